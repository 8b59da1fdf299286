//! A5: publishing registration URLs for one or several groups at once.

use super::{JoiningError, RegistrationUrlService, check_bulk_size, check_group};
use crate::authz::{Actor, Privilege};
use crate::error::{FieldError, Unexpected};
use crate::ids::{GroupId, RegistrationUrlId};
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::registration::{
    CodeSpec, PublishPlan, RegistrationUrl, UrlStatus, UrlToken, plan_publish,
};
use crate::services::audit::Details;
use crate::services::guard::require_some;
use std::collections::BTreeSet;

/// What publishing did for one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishOutcome {
    /// A new URL was created.
    Created,
    /// The stopped URL accepts applications again, with its link and codes.
    Resumed,
    /// The URL was active already; nothing changed.
    AlreadyActive,
}

/// One group's result of a publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishResult {
    /// The group.
    pub group_id: GroupId,
    /// Its URL, as it now is.
    pub url: RegistrationUrl,
    /// What happened.
    pub outcome: PublishOutcome,
}

impl RegistrationUrlService {
    /// A5: publishes a URL for each group (`admin.settings` over each, P5 for the grants
    /// membership hands out); `codes` apply to the URLs created. Errors: `validation_failed`
    /// (no group); `too_many_items` (over [`super::MAX_BULK_URLS`] groups); `not_found`,
    /// `forbidden`; `privilege_not_held`, `scope_exceeds_own`;
    /// `registration_too_many_codes`, `registration_code_duplicate`, code errors;
    /// `registration_url_exists` (created meanwhile); `unexpected`. Audited once as
    /// `registration_url.create` with the groups and what happened to each.
    pub async fn publish(
        &self,
        actor: &Actor,
        group_ids: BTreeSet<GroupId>,
        codes: Vec<CodeSpec>,
    ) -> Result<Vec<PublishResult>, JoiningError> {
        let mut details = Details::new();
        details.insert("group_ids".into(), joined(group_ids.iter()));
        details.insert("codes".into(), codes.len().to_string());
        let result = self.publish_checked(actor, group_ids, codes).await;
        if let Ok(results) = &result {
            for (word, outcome) in [
                ("created", PublishOutcome::Created),
                ("resumed", PublishOutcome::Resumed),
            ] {
                let ids = results.iter().filter(|r| r.outcome == outcome);
                details.insert(word.into(), joined(ids.map(|r| r.url.id)));
            }
        }
        let target = AuditTarget::kind_only(AuditTargetKind::RegistrationUrl);
        self.cx
            .auditor
            .record(
                actor,
                AuditAction::RegistrationUrlCreate,
                target,
                details,
                result,
            )
            .await
    }

    async fn publish_checked(
        &self,
        actor: &Actor,
        group_ids: BTreeSet<GroupId>,
        codes: Vec<CodeSpec>,
    ) -> Result<Vec<PublishResult>, JoiningError> {
        check_bulk_size(group_ids.len())?;
        let cx = &self.cx;
        let graph = cx.groups.graph().await?;
        require_some(actor, &graph, Privilege::AdminSettings)?;
        if group_ids.is_empty() {
            return Err(JoiningError::Invalid(vec![FieldError {
                field: "group_ids".into(),
                code: "group_ids_empty",
                message: "choose at least one group".into(),
            }]));
        }
        for g in &group_ids {
            check_group(actor, &graph, *g)?;
            cx.check_joining_grants(actor, &graph, &BTreeSet::from([*g]))
                .await?;
        }
        let now = cx.clock.now();
        let mut results = Vec::with_capacity(group_ids.len());
        for g in group_ids {
            let existing = cx.urls.find_by_group(g).await?;
            let (url, outcome) = match (plan_publish(existing.as_ref()), existing) {
                (PublishPlan::Create, _) | (_, None) => {
                    let (plain, _) = cx.generator.generate();
                    // The generator's base64url secrets always parse; a failure is a bug.
                    let token = UrlToken::parse(plain.expose()).map_err(Unexpected::new)?;
                    let url = RegistrationUrl::publish(g, token, codes.clone(), now)?;
                    (url, PublishOutcome::Created)
                }
                (PublishPlan::Resume(_), Some(mut url)) => {
                    url.resume();
                    (url, PublishOutcome::Resumed)
                }
                (PublishPlan::AlreadyActive(_), Some(url)) => (url, PublishOutcome::AlreadyActive),
            };
            results.push(PublishResult {
                group_id: g,
                url,
                outcome,
            });
        }
        // Every check passed and every URL is built: now the writes.
        for created in results
            .iter()
            .filter(|r| r.outcome == PublishOutcome::Created)
        {
            cx.urls.create(&created.url).await?;
        }
        let resumed: Vec<RegistrationUrlId> = results
            .iter()
            .filter(|r| r.outcome == PublishOutcome::Resumed)
            .map(|r| r.url.id)
            .collect();
        if !resumed.is_empty() {
            cx.urls.set_status(&resumed, UrlStatus::Active).await?;
        }
        Ok(results)
    }
}

/// Ids as one comma-separated audit detail.
pub(super) fn joined<T: ToString>(ids: impl Iterator<Item = T>) -> String {
    ids.map(|id| id.to_string()).collect::<Vec<_>>().join(",")
}
