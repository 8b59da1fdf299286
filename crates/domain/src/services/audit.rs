//! Z1: recording every administrator change — refusals too — and reading the record back
//! (with `admin.settings`).

use super::Ports;
use super::guard::require_some;
use crate::authz::{Actor, Denied, Privilege, Target, authorize};
use crate::clock::Clock;
use crate::error::{ErrorCode, Unexpected};
use crate::ids::AuditId;
use crate::ports::audit::{
    AuditAction, AuditEntry, AuditFilter, AuditLog, AuditOutcome, AuditTarget,
};
use crate::ports::groups::GroupRepository;
use crate::ports::{Page, PageRequest, StoreError};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Facts recorded with an entry.
pub type Details = BTreeMap<String, String>;

/// Records the outcome of administrator operations (Z1). Services pass it every result,
/// success or refusal, just before returning it.
#[derive(Clone)]
pub struct Auditor {
    log: Arc<dyn AuditLog>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Auditor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auditor").finish_non_exhaustive()
    }
}

impl Auditor {
    /// An auditor writing to `log` with times from `clock`.
    pub fn new(log: Arc<dyn AuditLog>, clock: Arc<dyn Clock>) -> Self {
        Self { log, clock }
    }

    /// Records `result` and hands it back. When the log cannot be written: a refusal is still
    /// returned as it was (the client must learn why it was refused); a success becomes
    /// `Unexpected`, since the change happened but its record did not — an operator must look.
    pub async fn record<T, E>(
        &self,
        actor: &Actor,
        action: AuditAction,
        target: AuditTarget,
        details: Details,
        result: Result<T, E>,
    ) -> Result<T, E>
    where
        E: ErrorCode + From<Unexpected>,
    {
        let entry = AuditEntry {
            id: AuditId::new(),
            at: self.clock.now(),
            actor: actor.user_id,
            action,
            target,
            outcome: AuditOutcome::of(&result),
            details,
        };
        match (self.log.record(entry).await, result) {
            (Ok(()), result) => result,
            (Err(_), Err(refusal)) => Err(refusal),
            (Err(StoreError::Unexpected(cause)), Ok(_)) => Err(E::from(cause)),
        }
    }
}

/// Why the audit log could not be read.
#[derive(Debug, thiserror::Error)]
pub enum AuditServiceError {
    /// Reading the audit needs `admin.settings` with scope `all`.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for AuditServiceError {
    fn code(&self) -> &'static str {
        match self {
            Self::Denied(d) => d.code(),
            Self::Unexpected(_) => "unexpected",
        }
    }
}

impl From<StoreError> for AuditServiceError {
    fn from(e: StoreError) -> Self {
        Self::Unexpected(e.into())
    }
}

/// Reads the audit log (Z1).
#[derive(Clone)]
pub struct AuditService {
    log: Arc<dyn AuditLog>,
    groups: Arc<dyn GroupRepository>,
}

impl fmt::Debug for AuditService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuditService").finish_non_exhaustive()
    }
}

impl AuditService {
    /// The service over these ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            log: ports.audit.clone(),
            groups: ports.groups.clone(),
        }
    }

    /// Z1: one page of entries, newest first. Needs `admin.settings` over everything (the log
    /// spans every group). Errors: `forbidden`; `unexpected`.
    pub async fn list(
        &self,
        actor: &Actor,
        filter: AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>, AuditServiceError> {
        let graph = self.groups.graph().await?;
        require_some(actor, &graph, Privilege::AdminSettings)?;
        authorize(actor, &graph, Privilege::AdminSettings, &Target::Global)?;
        Ok(self.log.list(filter, page.clamped()).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::Scope;
    use crate::ports::audit::AuditTargetKind;
    use crate::services::testing::{Mocks, World, admin, now, owner};

    #[tokio::test]
    async fn z1_success_and_refusal_are_both_recorded() {
        let mut m = Mocks::new();
        m.audit
            .expect_record()
            .times(1)
            .withf(|e| e.outcome == AuditOutcome::Success && e.at == now())
            .returning(|_| Ok(()));
        m.audit
            .expect_record()
            .times(1)
            .withf(|e| {
                e.outcome
                    == AuditOutcome::Refused {
                        code: "forbidden".into(),
                    }
            })
            .returning(|_| Ok(()));
        let ports = m.ports();
        let auditor = Auditor::new(ports.audit.clone(), ports.clock.clone());
        let a = owner();
        let target = AuditTarget::kind_only(AuditTargetKind::Settings);
        let ok: Result<u8, AuditServiceError> = auditor
            .record(
                &a,
                AuditAction::SettingsUpdate,
                target.clone(),
                Details::new(),
                Ok(7),
            )
            .await;
        assert_eq!(ok.unwrap(), 7);
        let refused: Result<u8, AuditServiceError> = auditor
            .record(
                &a,
                AuditAction::SettingsUpdate,
                target,
                Details::new(),
                Err(Denied::Forbidden.into()),
            )
            .await;
        assert_eq!(refused.unwrap_err().code(), "forbidden");
    }

    #[tokio::test]
    async fn z1_unrecorded_success_is_reported_but_refusal_kept() {
        let mut m = Mocks::new();
        m.audit
            .expect_record()
            .times(2)
            .returning(|_| Err(StoreError::Unexpected(Unexpected::new("disk full"))));
        let ports = m.ports();
        let auditor = Auditor::new(ports.audit.clone(), ports.clock.clone());
        let a = owner();
        let target = AuditTarget::kind_only(AuditTargetKind::Settings);
        let ok: Result<u8, AuditServiceError> = auditor
            .record(
                &a,
                AuditAction::SettingsUpdate,
                target.clone(),
                Details::new(),
                Ok(7),
            )
            .await;
        assert_eq!(ok.unwrap_err().code(), "unexpected");
        let refused: Result<u8, AuditServiceError> = auditor
            .record(
                &a,
                AuditAction::SettingsUpdate,
                target,
                Details::new(),
                Err(Denied::NotFound.into()),
            )
            .await;
        assert_eq!(refused.unwrap_err().code(), "not_found");
    }

    #[tokio::test]
    async fn z1_audit_readable_with_admin_settings_all() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.audit
            .expect_list()
            .times(1)
            .withf(|_, p| p.limit == 500)
            .returning(|_, _| Ok(Page::empty()));
        let service = AuditService::new(&m.ports());
        let a = admin(Privilege::AdminSettings, Scope::All);
        let page = service
            .list(
                &a,
                AuditFilter::default(),
                PageRequest {
                    limit: 9999,
                    cursor: None,
                },
            )
            .await
            .unwrap();
        assert!(page.items.is_empty());
    }

    #[tokio::test]
    async fn z1_audit_refused_without_admin_settings_all() {
        let w = World::new();
        for a in [
            admin(Privilege::UsersEdit, Scope::All),
            admin(Privilege::AdminSettings, Scope::groups([w.school]).unwrap()),
        ] {
            let mut m = Mocks::new();
            m.with_graph(&w.graph);
            m.audit.expect_list().times(0);
            let service = AuditService::new(&m.ports());
            let err = service
                .list(&a, AuditFilter::default(), PageRequest::default())
                .await
                .unwrap_err();
            assert_eq!(err.code(), "forbidden");
        }
    }
}
