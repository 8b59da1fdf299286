//! Test support for the integration service: an invalid source and a valid target in one
//! class, every port mocked.

use super::IntegrationService;
use crate::authz::Grant;
use crate::ids::{GroupId, UserId};
use crate::integration::{Integration, UserRecords, plan_integration};
use crate::ports::integrations::MockIntegrationRepository;
use crate::ports::records::MockLearningRecords;
use crate::services::testing::{Mocks, World, now, user};
use crate::user::{User, UserStatus};
use mockall::predicate::eq;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The school world, with `old-hanako` (invalid) and `hanako` (valid), both in class A.
pub(crate) struct Scene {
    pub world: World,
    pub source: User,
    pub target: User,
}

impl Scene {
    pub fn new() -> Self {
        let mut source = user("old-hanako");
        source.status = UserStatus::Invalid;
        Self {
            world: World::new(),
            source,
            target: user("hanako"),
        }
    }

    /// A live integration of this pair, made by `by` at `minutes` past `now()`.
    pub fn integration(&self, minutes: i64) -> Integration {
        let plan = plan_integration(
            &UserRecords::empty(self.source.id),
            &UserRecords::empty(self.target.id),
        );
        let at = now() + chrono::Duration::minutes(minutes);
        Integration::new(&plan, &self.source, &self.target, UserId::new(), at)
    }
}

/// The base mocks plus the integration store and the learning records.
pub(crate) struct IMocks {
    pub base: Mocks,
    pub store: MockIntegrationRepository,
    pub records: MockLearningRecords,
}

impl IMocks {
    /// Graph, both users (in class A) and no grants held by either.
    pub fn new(scene: &Scene) -> Self {
        Self::with_target_grants(scene, Vec::new())
    }

    /// As `new`, with the target holding `grants`.
    pub fn with_target_grants(scene: &Scene, grants: Vec<Grant>) -> Self {
        let class_a = scene.world.class_a;
        Self::placed(scene, [class_a].into(), [class_a].into(), grants)
    }

    /// The source and the target in these groups, the target holding `grants`.
    pub fn placed(
        scene: &Scene,
        source_groups: BTreeSet<GroupId>,
        target_groups: BTreeSet<GroupId>,
        grants: Vec<Grant>,
    ) -> Self {
        let mut base = Mocks::new();
        base.with_graph(&scene.world.graph);
        base.with_user(&scene.source, source_groups);
        base.with_user(&scene.target, target_groups);
        base.with_grants_of(scene.source.id, Vec::new());
        base.with_grants_of(scene.target.id, grants);
        base.users.expect_get().returning(|_| Ok(None));
        Self {
            base,
            store: MockIntegrationRepository::new(),
            records: MockLearningRecords::new(),
        }
    }

    /// `records_of(id)` answers the records `fill` builds.
    pub fn records_with(&mut self, id: UserId, fill: impl FnOnce(&mut UserRecords)) {
        let mut records = UserRecords::empty(id);
        fill(&mut records);
        self.records
            .expect_records_of()
            .with(eq(id))
            .returning(move |_| Ok(records.clone()));
    }

    pub fn service(self) -> IntegrationService {
        IntegrationService::new(
            &self.base.ports(),
            Arc::new(self.store),
            Arc::new(self.records),
        )
    }
}
