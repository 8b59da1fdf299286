//! Audit rows at the seam: an entry as a row and back; a row the domain refuses is corrupt.

use super::entity::Model;
use crate::convert::{from_json, instant, micros, to_json};
use crate::error::corrupt;
use roster_domain::Unexpected;
use roster_domain::ids::{AuditId, UserId};
use roster_domain::ports::audit::{
    AuditAction, AuditEntry, AuditOutcome, AuditTarget, AuditTargetKind,
};

/// The stored outcome of a success; anything else is a refusal's error code (codes are
/// snake_case words, never `ok`).
pub(super) const SUCCESS: &str = "ok";

/// The row an entry is stored as.
pub(super) fn row_of(entry: &AuditEntry) -> Result<Model, Unexpected> {
    Ok(Model {
        id: entry.id.as_uuid(),
        at: micros(entry.at),
        actor: entry.actor.as_uuid(),
        action: entry.action.as_str().to_owned(),
        target_kind: entry.target.kind.as_str().to_owned(),
        target_id: entry.target.id.clone(),
        outcome: match &entry.outcome {
            AuditOutcome::Success => SUCCESS.to_owned(),
            AuditOutcome::Refused { code } => code.clone(),
        },
        details: to_json(&entry.details)?,
    })
}

impl TryFrom<Model> for AuditEntry {
    type Error = Unexpected;

    fn try_from(row: Model) -> Result<Self, Self::Error> {
        Ok(AuditEntry {
            id: AuditId::from_uuid(row.id),
            at: instant(row.at)?,
            actor: UserId::from_uuid(row.actor),
            action: AuditAction::parse(&row.action).map_err(|e| corrupt("audit action", e))?,
            target: AuditTarget {
                kind: AuditTargetKind::parse(&row.target_kind)
                    .map_err(|e| corrupt("audit target kind", e))?,
                id: row.target_id,
            },
            outcome: if row.outcome == SUCCESS {
                AuditOutcome::Success
            } else {
                AuditOutcome::Refused { code: row.outcome }
            },
            details: from_json("audit details", &row.details)?,
        })
    }
}
