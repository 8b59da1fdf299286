//! The store as one chunk's rows see it (C4, P3–P5): users and groups from one batched
//! lookup, and the actor's authority per row decided by `authz` — never granting anything.
//!
//! Per row: editing an existing user needs `users.edit` over it (out of view, it reads as
//! unknown — P4), and the user may hold nothing the actor lacks (P5, U3). Changing groups
//! needs `users.edit` over every group joined or left (P3); ending in no group needs scope
//! `all` (users in no group are only in scope `all`), as does creating a user in none; and
//! the grants a joined group hands its members must be ones the actor could grant (P5), and
//! the actor must still hold at least what the user holds with its groups after the row
//! (P5: a `member_groups` grant grows with new direct groups).
//!
//! Order (C7): a first pass asks only that an existing user be visible ([`SeeFirst`]); the
//! row is planned; write authority is asked only when the plan changes something.

use crate::authz::{Actor, Denied, Grant, Privilege, Subject, Target, TargetUser};
use crate::authz::{authorize, check_hand_over, check_may_manage, is_allowed};
use crate::csv::{ExistingUserFacts, FieldChange, RowLookups, WriteDenial};
use crate::error::ErrorCode;
use crate::group::GroupName;
use crate::group::graph::GroupGraph;
use crate::ids::{GroupId, UserId};
use crate::ports::imports::{ImportUser, LookupAnswer};
use crate::user::LoginId;
use std::collections::{BTreeSet, HashMap};

/// One chunk's lookups.
pub(super) struct ChunkLookups<'a> {
    actor: &'a Actor,
    graph: &'a GroupGraph,
    users: HashMap<String, ImportUser>,
    grants_by_user: HashMap<UserId, Vec<Grant>>,
    groups: HashMap<String, GroupId>,
    group_grants: Vec<Grant>,
}

impl<'a> ChunkLookups<'a> {
    /// Indexes the store's answer by case-folded login ID and group name.
    pub fn new(actor: &'a Actor, graph: &'a GroupGraph, answer: LookupAnswer) -> Self {
        let grants_by_user = answer
            .users
            .iter()
            .map(|u| (u.user.id, u.grants.clone()))
            .collect();
        Self {
            actor,
            graph,
            users: answer
                .users
                .into_iter()
                .map(|u| (u.user.login_id.key().to_owned(), u))
                .collect(),
            grants_by_user,
            groups: answer
                .groups
                .into_iter()
                .map(|g| (g.name.key().to_owned(), g.id))
                .collect(),
            group_grants: answer.group_grants,
        }
    }

    /// The stored user holding this login ID.
    pub fn existing(&self, login_id: &LoginId) -> Option<&ImportUser> {
        self.users.get(login_id.key())
    }

    fn allowed(&self, target: &Target) -> bool {
        is_allowed(self.actor, self.graph, Privilege::UsersEdit, target)
    }

    /// P4, P5, U3: may the actor edit this existing user at all?
    fn may_manage(&self, facts: &ExistingUserFacts) -> Result<(), WriteDenial> {
        let target = TargetUser {
            id: facts.id,
            is_owner: facts.is_owner,
            direct_groups: facts.direct_groups.clone(),
        };
        match authorize(
            self.actor,
            self.graph,
            Privilege::UsersEdit,
            &Target::User(target.clone()),
        ) {
            Ok(()) => {}
            Err(Denied::NotFound) => return Err(WriteDenial::NotVisible),
            Err(Denied::Forbidden) => return Err(WriteDenial::Forbidden("forbidden")),
        }
        check_may_manage(self.actor, self.graph, &target, self.held(facts.id))
            .map_err(|e| WriteDenial::Forbidden(e.code()))
    }

    /// P5: joining groups hands the user the grants held by them and the groups above them;
    /// each must be one the actor could grant the user itself.
    fn may_hand_grants(
        &self,
        subject: UserId,
        before: &BTreeSet<GroupId>,
        after: &BTreeSet<GroupId>,
    ) -> Result<(), WriteDenial> {
        if self.actor.is_owner {
            return Ok(());
        }
        let above = |groups: &BTreeSet<GroupId>| -> BTreeSet<GroupId> {
            groups
                .iter()
                .flat_map(|g| self.graph.ancestors_or_self(*g))
                .collect()
        };
        let had = above(before);
        let reaching: BTreeSet<GroupId> = above(after).difference(&had).copied().collect();
        let held = self
            .group_grants
            .iter()
            .filter(|g| matches!(g.subject, Subject::Group(holder) if reaching.contains(&holder)));
        check_hand_over(self.actor, self.graph, held, Subject::User(subject), after)
            .map_err(|e| WriteDenial::Forbidden(e.code()))
    }
}

impl RowLookups for ChunkLookups<'_> {
    fn user(&self, login_id: &LoginId) -> Option<ExistingUserFacts> {
        self.existing(login_id).map(|u| ExistingUserFacts {
            id: u.user.id,
            is_owner: u.user.is_owner,
            direct_groups: u.direct_groups.clone(),
        })
    }

    /// P4: a group the actor cannot see reads as unknown.
    fn group(&self, name: &GroupName) -> Option<GroupId> {
        self.groups.get(name.key()).copied().filter(|g| {
            is_allowed(
                self.actor,
                self.graph,
                Privilege::UsersView,
                &Target::Group(*g),
            )
        })
    }

    fn may_write(
        &self,
        existing: Option<&ExistingUserFacts>,
        groups: &FieldChange<Vec<GroupId>>,
    ) -> Result<(), WriteDenial> {
        if let Some(facts) = existing {
            self.may_manage(facts)?;
        }
        let before = existing
            .map(|f| f.direct_groups.clone())
            .unwrap_or_default();
        let after: BTreeSet<GroupId> = match (groups, existing) {
            (FieldChange::Keep, Some(_)) => return Ok(()),
            (FieldChange::Keep | FieldChange::Clear, None) | (FieldChange::Clear, Some(_)) => {
                BTreeSet::new()
            }
            (FieldChange::Set(ids), _) => ids.iter().copied().collect(),
        };
        let leaves_scope = after.is_empty() && (existing.is_none() || !before.is_empty());
        if leaves_scope && !self.allowed(&Target::Global) {
            return Err(WriteDenial::Forbidden("group_required"));
        }
        if before
            .symmetric_difference(&after)
            .any(|g| !self.allowed(&Target::Group(*g)))
        {
            return Err(WriteDenial::Forbidden("forbidden"));
        }
        if let Some(facts) = existing {
            // P5: the user's own `member_groups` grants, and group grants reaching it, grow
            // with its groups: the actor must hold at least what the user holds after the row.
            let target = TargetUser {
                id: facts.id,
                is_owner: facts.is_owner,
                direct_groups: after.clone(),
            };
            check_may_manage(self.actor, self.graph, &target, self.held(facts.id))
                .map_err(|e| WriteDenial::Forbidden(e.code()))?;
        }
        // A new user has no id yet; `check_grant` only needs to know the subject is a user.
        let subject = existing.map_or_else(UserId::new, |f| f.id);
        self.may_hand_grants(subject, &before, &after)
    }
}

/// The first pass of a row's checks (C4, C7): the same lookups, but for an existing user
/// `may_write` asks only that the actor can see it (P4). Write authority is decided after
/// planning, and only for a row that changes something — an export imported back must
/// pass for users the actor may not edit (the owner, users holding more).
pub(super) struct SeeFirst<'l, 'a>(pub &'l ChunkLookups<'a>);

impl RowLookups for SeeFirst<'_, '_> {
    fn user(&self, login_id: &LoginId) -> Option<ExistingUserFacts> {
        self.0.user(login_id)
    }

    fn group(&self, name: &GroupName) -> Option<GroupId> {
        self.0.group(name)
    }

    fn may_write(
        &self,
        existing: Option<&ExistingUserFacts>,
        groups: &FieldChange<Vec<GroupId>>,
    ) -> Result<(), WriteDenial> {
        match existing {
            // Creating is always a change.
            None => self.0.may_write(None, groups),
            Some(facts) => {
                let target = Target::User(TargetUser {
                    id: facts.id,
                    is_owner: facts.is_owner,
                    direct_groups: facts.direct_groups.clone(),
                });
                if is_allowed(self.0.actor, self.0.graph, Privilege::UsersView, &target) {
                    Ok(())
                } else {
                    Err(WriteDenial::NotVisible)
                }
            }
        }
    }
}

impl ChunkLookups<'_> {
    fn held(&self, user: UserId) -> &[Grant] {
        self.grants_by_user
            .get(&user)
            .map_or(&[][..], Vec::as_slice)
    }

    /// C7, P4: the groups cell speaks only about the groups the actor can see (those are
    /// the only names it can hold, see `group`); an existing user's other groups stay.
    pub fn keep_invisible(
        &self,
        existing: Option<&ExistingUserFacts>,
        change: FieldChange<Vec<GroupId>>,
    ) -> FieldChange<Vec<GroupId>> {
        let Some(facts) = existing else {
            return change;
        };
        let hidden: Vec<GroupId> = facts
            .direct_groups
            .iter()
            .copied()
            .filter(|g| {
                !is_allowed(
                    self.actor,
                    self.graph,
                    Privilege::UsersView,
                    &Target::Group(*g),
                )
            })
            .collect();
        match change {
            FieldChange::Keep => FieldChange::Keep,
            FieldChange::Clear if hidden.is_empty() => FieldChange::Clear,
            FieldChange::Clear => FieldChange::Set(hidden),
            FieldChange::Set(mut ids) => {
                // Disjoint: the cell names only visible groups.
                ids.extend(hidden);
                FieldChange::Set(ids)
            }
        }
    }
}
