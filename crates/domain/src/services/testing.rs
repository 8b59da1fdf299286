//! Test support for the services: every port mocked, a small group world, and actors.
//! A port method with no expectation panics when called, so a test that sets none for a
//! write also proves the write never happens.

use super::Ports;
use crate::authz::{Actor, Grant, Privilege, Scope, Subject};
use crate::clock::FixedClock;
use crate::group::graph::GroupGraph;
use crate::ids::{GrantId, GroupId, UserId};
use crate::ports::audit::{AuditAction, AuditOutcome, MockAuditLog};
use crate::ports::fields::MockUserFieldRepository;
use crate::ports::grants::MockGrantRepository;
use crate::ports::groups::MockGroupRepository;
use crate::ports::password::MockPasswordHasher;
use crate::ports::users::{MockCredentialStore, MockUserRepository};
use crate::user::{FieldDefinition, User};
use chrono::{DateTime, TimeZone, Utc};
use mockall::predicate::eq;
use std::collections::BTreeSet;
use std::sync::Arc;

pub(crate) use crate::user::user::fixtures::user;

/// The instant every test runs at.
pub(crate) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 1, 9, 0, 0).unwrap()
}

/// Every port, mocked.
pub(crate) struct Mocks {
    pub users: MockUserRepository,
    pub credentials: MockCredentialStore,
    pub groups: MockGroupRepository,
    pub grants: MockGrantRepository,
    pub hasher: MockPasswordHasher,
    pub fields: MockUserFieldRepository,
    pub audit: MockAuditLog,
}

impl Mocks {
    pub fn new() -> Self {
        Self {
            users: MockUserRepository::new(),
            credentials: MockCredentialStore::new(),
            groups: MockGroupRepository::new(),
            grants: MockGrantRepository::new(),
            hasher: MockPasswordHasher::new(),
            fields: MockUserFieldRepository::new(),
            audit: MockAuditLog::new(),
        }
    }

    pub fn ports(self) -> Ports {
        Ports {
            users: Arc::new(self.users),
            credentials: Arc::new(self.credentials),
            groups: Arc::new(self.groups),
            grants: Arc::new(self.grants),
            hasher: Arc::new(self.hasher),
            fields: Arc::new(self.fields),
            audit: Arc::new(self.audit),
            clock: Arc::new(FixedClock(now())),
        }
    }

    /// `fields.list` answers these custom field definitions (U8), as often as asked.
    pub fn with_fields(&mut self, definitions: Vec<FieldDefinition>) {
        self.fields
            .expect_list()
            .returning(move || Ok(definitions.clone()));
    }

    pub fn with_graph(&mut self, graph: &GroupGraph) {
        let graph = graph.clone();
        self.groups
            .expect_graph()
            .returning(move || Ok(graph.clone()));
    }

    /// `get` and `direct_groups` answer for this user.
    pub fn with_user(&mut self, u: &User, groups: BTreeSet<GroupId>) {
        let stored = u.clone();
        self.users
            .expect_get()
            .with(eq(u.id))
            .returning(move |_| Ok(Some(stored.clone())));
        self.users
            .expect_direct_groups()
            .with(eq(u.id))
            .returning(move |_| Ok(groups.clone()));
    }

    /// `grants_for_user` answers for this user.
    pub fn with_grants_of(&mut self, id: UserId, grants: Vec<Grant>) {
        self.grants
            .expect_grants_for_user()
            .with(eq(id))
            .returning(move |_| Ok(grants.clone()));
    }

    /// The graph, and the user in `groups` holding no grant.
    pub fn with_managed(&mut self, graph: &GroupGraph, u: &User, groups: BTreeSet<GroupId>) {
        self.with_graph(graph);
        self.with_user(u, groups);
        self.with_grants_of(u.id, Vec::new());
    }

    /// `update` is called once, and the stored user comes back with the new fields.
    pub fn echo_update(&mut self, u: &User) {
        let base = u.clone();
        self.users
            .expect_update()
            .times(1)
            .returning(move |update| {
                let mut out = base.clone();
                out.name = update.fields.name;
                out.email = update.fields.email;
                out.status = update.fields.status;
                out.expires_at = update.fields.expires_at;
                out.attributes = update.fields.attributes;
                out.updated_at = update.updated_at;
                Ok(out)
            });
    }

    /// Exactly one audit entry with this action and outcome (`Ok` or `Err(code)`).
    pub fn expect_audit(&mut self, action: AuditAction, outcome: Result<(), &'static str>) {
        let outcome = match outcome {
            Ok(()) => AuditOutcome::Success,
            Err(code) => AuditOutcome::Refused { code: code.into() },
        };
        self.audit
            .expect_record()
            .times(1)
            .withf(move |e| e.action == action && e.outcome == outcome && e.at == now())
            .returning(|_| Ok(()));
    }
}

/// A school with two classes, and an unrelated root group.
pub(crate) struct World {
    pub school: GroupId,
    pub class_a: GroupId,
    pub class_b: GroupId,
    pub other: GroupId,
    pub graph: GroupGraph,
}

impl World {
    pub fn new() -> Self {
        let (school, class_a, class_b, other) = (
            GroupId::new(),
            GroupId::new(),
            GroupId::new(),
            GroupId::new(),
        );
        let graph = GroupGraph::from_edges(
            [school, class_a, class_b, other],
            [(class_a, school), (class_b, school)],
        )
        .unwrap();
        Self {
            school,
            class_a,
            class_b,
            other,
            graph,
        }
    }
}

/// A grant held by a user.
pub(crate) fn grant_to(user: UserId, privilege: Privilege, scope: Scope) -> Grant {
    Grant {
        id: GrantId::new(),
        subject: Subject::User(user),
        privilege,
        scope,
    }
}

/// An actor in no group with one grant.
pub(crate) fn admin(privilege: Privilege, scope: Scope) -> Actor {
    let id = UserId::new();
    Actor {
        user_id: id,
        is_owner: false,
        direct_groups: BTreeSet::new(),
        grants: vec![grant_to(id, privilege, scope)],
    }
}

/// The actor of a stored user, with no grant.
pub(crate) fn actor_of(u: &User, direct_groups: BTreeSet<GroupId>) -> Actor {
    Actor {
        user_id: u.id,
        is_owner: u.is_owner,
        direct_groups,
        grants: Vec::new(),
    }
}

/// The owner (U3).
pub(crate) fn owner() -> Actor {
    Actor {
        user_id: UserId::new(),
        is_owner: true,
        direct_groups: BTreeSet::new(),
        grants: Vec::new(),
    }
}

/// The user a store would return for `new`.
pub(crate) fn stored(new: &crate::ports::users::NewUser) -> User {
    User {
        id: new.id,
        login_id: new.login_id.clone(),
        name: new.name.clone(),
        email: new.email.clone(),
        has_password: new.password_hash.is_some(),
        status: new.status,
        expires_at: new.expires_at,
        attributes: new.attributes.clone(),
        is_owner: new.is_owner,
        created_at: new.created_at,
        updated_at: new.created_at,
    }
}

/// A custom field definition (U8) whose label is its key.
pub(crate) fn field(
    key: &str,
    field_type: crate::user::FieldType,
    required: bool,
    on_registration_form: bool,
) -> FieldDefinition {
    FieldDefinition::new(
        crate::user::FieldKey::parse(key).unwrap(),
        crate::user::FieldLabel::parse(key).unwrap(),
        field_type,
        required,
        on_registration_form,
    )
    .unwrap()
}
