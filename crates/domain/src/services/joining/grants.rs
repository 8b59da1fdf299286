//! P5 for joining a group: membership hands the new member every grant held by the group and
//! the groups above it (G4), so whoever lets a person into a group — by approving an
//! application or by publishing the group's registration URL — must be able to give those
//! grants themselves. Otherwise a URL for a "staff" group holding `admin.authorization`
//! would hand that privilege to anyone who applies.

use super::{Context, JoiningError};
use crate::authz::{Actor, NewGrant, Subject, check_grant};
use crate::group::graph::GroupGraph;
use crate::ids::{GroupId, UserId};
use std::collections::BTreeSet;

impl Context {
    /// Refused with the escalation error when a grant reaching a member of `groups` could not
    /// be given by the actor to a new user in those groups.
    pub(super) async fn check_joining_grants(
        &self,
        actor: &Actor,
        graph: &GroupGraph,
        groups: &BTreeSet<GroupId>,
    ) -> Result<(), JoiningError> {
        if actor.is_owner || groups.is_empty() {
            return Ok(());
        }
        let holders: BTreeSet<GroupId> = groups
            .iter()
            .flat_map(|g| graph.ancestors_or_self(*g))
            .collect();
        // The new member does not exist yet; any fresh id stands for it.
        let newcomer = Subject::User(UserId::new());
        for held in self.grants.grants_for_groups(holders).await? {
            let as_new = NewGrant {
                subject: newcomer,
                privilege: held.privilege,
                scope: held.scope,
            };
            check_grant(actor, graph, &as_new, groups)?;
        }
        Ok(())
    }
}
