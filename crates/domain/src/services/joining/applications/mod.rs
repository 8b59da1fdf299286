//! Account applications (A2–A4, A6): a person applies (through `/register` or a group's
//! registration URL), activates by the mailed link, and is approved — automatically or by
//! an administrator with `users.edit` in the application's group scope.
//!
//! Decisions:
//! - **URLs and the A1 switch.** A registration URL is a way into self-registration, not a
//!   switch of its own (as `RegistrationSettings` documents, and as in learningBOX, where the
//!   per-group URLs live under the account-application feature that must be enabled): with
//!   self-registration off, every application is refused with `registration_closed`. Each
//!   URL has its own on/off in its status (stop / publish).
//! - **Scope of an application.** It lies in the scope of the groups it will join (its
//!   URL's group); one through no URL joins no group, so only scope `all` covers it (P3:
//!   users in no group are only in scope `all`). Out of scope reads as `not_found` (P4).
//! - **Activation after closing.** Closing self-registration stops new applications, not
//!   the activation of those already made: the person applied while it was open.
//! - **Approval notice on automatic approval.** With automatic approval, activation sends
//!   the approval notice when that kind is on (M3) — nobody ticks "notify", and the person
//!   learns where to log in.
//! - **P5.** Approving puts the new user into the application's groups, so the approver must
//!   be able to give the grants those groups hand their members (see `grants.rs`).
//!   Automatic approval has no approver to check, so it applies only to applications whose
//!   groups (and the groups above them) hold no grant; the others wait `unapproved` for an
//!   administrator who passes that check (see `activate.rs`).

mod activate;
mod form;
mod review;
mod submit;

pub use activate::Activated;
pub use form::RegistrationForm;
pub use review::Decision;
pub use submit::Submitted;

use super::{Context, JoiningConfig, JoiningError, JoiningPorts};
use crate::authz::{Actor, Denied, Privilege, Target, authorize, is_allowed};
use crate::group::graph::GroupGraph;
use crate::registration::Application;
use crate::services::Ports;
use crate::user::FieldDefinition;

/// A2–A4: applying, activating, and reviewing applications.
#[derive(Clone, Debug)]
pub struct ApplicationService {
    cx: Context,
}

impl ApplicationService {
    /// The service over these ports.
    pub fn new(ports: &Ports, joining: &JoiningPorts, config: &JoiningConfig) -> Self {
        Self {
            cx: Context::new(ports, joining, config),
        }
    }

    /// A2, U8 (public): the custom fields the registration form asks for, in display order.
    /// Errors: `unexpected`.
    pub async fn form_fields(&self) -> Result<Vec<FieldDefinition>, JoiningError> {
        let mut fields = self.cx.fields.list().await?;
        fields.retain(FieldDefinition::on_registration_form);
        Ok(fields)
    }
}

/// A4, P4: `users.edit` over every group the application joins; scope `all` for one that
/// joins none. Refused as `not_found` when the actor cannot even see it.
fn check_scope(actor: &Actor, graph: &GroupGraph, app: &Application) -> Result<(), Denied> {
    if app.group_ids.is_empty() {
        return if is_allowed(actor, graph, Privilege::UsersEdit, &Target::Global) {
            Ok(())
        } else if is_allowed(actor, graph, Privilege::UsersView, &Target::Global) {
            Err(Denied::Forbidden)
        } else {
            Err(Denied::NotFound)
        };
    }
    for g in &app.group_ids {
        authorize(actor, graph, Privilege::UsersEdit, &Target::Group(*g))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::Scope;
    use crate::registration::application::fixtures::application;
    use crate::services::testing::{World, admin, now, owner};

    #[test]
    fn a4_application_scope_follows_its_groups() {
        let w = World::new();
        let mut in_class = application("kenji", now());
        in_class.group_ids = [w.class_a].into();
        let no_group = application("yui", now());
        let school = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        assert_eq!(check_scope(&school, &w.graph, &in_class), Ok(()));
        assert_eq!(
            check_scope(&school, &w.graph, &no_group),
            Err(Denied::NotFound)
        );
        let other = admin(Privilege::UsersEdit, Scope::groups([w.other]).unwrap());
        assert_eq!(
            check_scope(&other, &w.graph, &in_class),
            Err(Denied::NotFound)
        );
        let viewer = admin(Privilege::UsersView, Scope::All);
        assert_eq!(
            check_scope(&viewer, &w.graph, &in_class),
            Err(Denied::Forbidden)
        );
        assert_eq!(
            check_scope(&viewer, &w.graph, &no_group),
            Err(Denied::Forbidden)
        );
        assert_eq!(check_scope(&owner(), &w.graph, &no_group), Ok(()));
    }
}
