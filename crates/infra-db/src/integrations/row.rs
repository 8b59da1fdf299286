//! An integration row and the domain's `Integration`, both ways.

use super::entities::integration::Model;
use crate::convert::{from_json, instant, instant_opt, micros, micros_opt, to_json};
use crate::error::corrupt;
use roster_domain::Unexpected;
use roster_domain::ids::{IntegrationId, UserId};
use roster_domain::integration::{Integration, IntegrationState};
use roster_domain::user::LoginId;

/// The state of a stored word.
pub(crate) fn state(word: &str) -> Result<IntegrationState, Unexpected> {
    [
        IntegrationState::Live,
        IntegrationState::Cancelled,
        IntegrationState::Frozen,
    ]
    .into_iter()
    .find(|s| s.as_str() == word)
    .ok_or_else(|| corrupt("integration state", word))
}

impl TryFrom<Model> for Integration {
    type Error = Unexpected;

    fn try_from(row: Model) -> Result<Self, Unexpected> {
        let login = |raw: &str| LoginId::parse(raw).map_err(|e| corrupt("integration login", e));
        Ok(Self {
            id: IntegrationId::from_uuid(row.id),
            source_user_id: UserId::from_uuid(row.source_user_id),
            target_user_id: UserId::from_uuid(row.target_user_id),
            source_login_id: login(&row.source_login_id)?,
            target_login_id: login(&row.target_login_id)?,
            state: state(&row.state)?,
            source_deleted: row.source_deleted,
            integrated_at: instant(row.integrated_at)?,
            integrated_by: UserId::from_uuid(row.integrated_by),
            cancelled_at: instant_opt(row.cancelled_at)?,
            cancelled_by: row.cancelled_by.map(UserId::from_uuid),
            counts: from_json("integration counts", &row.counts)?,
        })
    }
}

/// The row of `integration`; `live_source_id` holds the source while live (its unique index
/// allows one live integration per source, I10).
pub(crate) fn model_of(integration: &Integration) -> Result<Model, Unexpected> {
    Ok(Model {
        id: integration.id.as_uuid(),
        source_user_id: integration.source_user_id.as_uuid(),
        target_user_id: integration.target_user_id.as_uuid(),
        source_login_id: integration.source_login_id.as_str().to_owned(),
        source_login_key: integration.source_login_id.key().to_owned(),
        target_login_id: integration.target_login_id.as_str().to_owned(),
        target_login_key: integration.target_login_id.key().to_owned(),
        state: integration.state.as_str().to_owned(),
        live_source_id: integration
            .is_live()
            .then(|| integration.source_user_id.as_uuid()),
        source_deleted: integration.source_deleted,
        integrated_at: micros(integration.integrated_at),
        integrated_by: integration.integrated_by.as_uuid(),
        cancelled_at: micros_opt(integration.cancelled_at),
        cancelled_by: integration.cancelled_by.map(|u| u.as_uuid()),
        counts: to_json(&integration.counts)?,
    })
}
