//! P5 for joining a group: membership hands the new member every grant held by the group and
//! the groups above it (G4), so whoever lets a person into a group — by approving an
//! application or by publishing the group's registration URL — must be able to give those
//! grants themselves. The rule is shared with direct registration (U4) in
//! `services::guard::check_joining_grants`.

use super::{Context, JoiningError};
use crate::authz::Actor;
use crate::group::graph::GroupGraph;
use crate::ids::GroupId;
use crate::services::guard;
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
        guard::check_joining_grants(self.grants.as_ref(), actor, graph, groups).await
    }
}
