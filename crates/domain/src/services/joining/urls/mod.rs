//! Registration URLs (A5): administrators with `admin.settings` over a group publish its URL
//! (with up to 10 authentication codes), edit and stop it — one or many groups at once — and
//! download the list as rows for CSV. Every change is audited (Z1).
//!
//! Decisions:
//! - **Bulk is all or nothing for authority.** Every group or URL of a bulk call is checked
//!   (existence, scope, P5) and every new URL built before the first write; one refusal
//!   refuses the whole call, with no side effect.
//! - **Publishing an existing URL.** A stopped URL is resumed with its link and codes (the
//!   link is already on posters); an active one is left alone. Codes given to a bulk publish
//!   apply to the URLs it creates; edit a URL to change its codes.
//! - **P5.** A URL lets anyone join its group, so its publisher must be able to give the
//!   grants that group hands its members (see `grants.rs`); resuming counts as publishing,
//!   and so does changing the codes of a URL that is or becomes active. The codes are
//!   shown only to those who pass the same check (lists redact them for the others).
//! - **Bulk size.** A publish or stop names at most [`MAX_BULK_URLS`] items
//!   (`too_many_items`, refused before any read).
//! - **Reads are not audited.** Z1 records changes; listing and exporting change nothing.

mod manage;
mod publish;

/// Most groups one publish, or URLs one stop, may name: bounds the work of one request
/// (refused up front with `too_many_items`).
pub const MAX_BULK_URLS: usize = 1000;

/// Refuses a bulk call over [`MAX_BULK_URLS`] items before any read or write.
fn check_bulk_size(n: usize) -> Result<(), JoiningError> {
    if n > MAX_BULK_URLS {
        Err(JoiningError::TooManyItems { max: MAX_BULK_URLS })
    } else {
        Ok(())
    }
}

pub use manage::{UrlExportRow, UrlListItem, UrlPatch};
pub use publish::{PublishOutcome, PublishResult};

use super::{Context, JoiningConfig, JoiningError, JoiningPorts};
use crate::authz::{Actor, Denied, Privilege, Target, authorize};
use crate::group::graph::GroupGraph;
use crate::ids::GroupId;
use crate::registration::RegistrationUrl;
use crate::services::Ports;

/// A5: publishing, editing, stopping and listing registration URLs.
#[derive(Clone, Debug)]
pub struct RegistrationUrlService {
    cx: Context,
}

impl RegistrationUrlService {
    /// The service over these ports.
    pub fn new(ports: &Ports, joining: &JoiningPorts, config: &JoiningConfig) -> Self {
        Self {
            cx: Context::new(ports, joining, config),
        }
    }

    /// The public address of a URL (`{registration base}/{token}`), as mails and pages show it.
    pub fn link(&self, url: &RegistrationUrl) -> String {
        self.cx.config.registration_link(url.token.as_str())
    }
}

/// P4: `admin.settings` over the group; an unknown group reads as `not_found`.
fn check_group(actor: &Actor, graph: &GroupGraph, group: GroupId) -> Result<(), Denied> {
    if !graph.contains(group) {
        return Err(Denied::NotFound);
    }
    authorize(
        actor,
        graph,
        Privilege::AdminSettings,
        &Target::Group(group),
    )
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
