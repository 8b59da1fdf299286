//! A5: editing, stopping, listing and exporting registration URLs.

use super::publish::joined;
use super::{JoiningError, RegistrationUrlService, check_group};
use crate::authz::{Actor, Denied, Privilege, Visibility, visibility};
use crate::ids::RegistrationUrlId;
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::ports::registration::UrlFilter;
use crate::ports::{MAX_PAGE_LIMIT, Page, PageRequest};
use crate::registration::{CodeSpec, RegistrationUrl, UrlStatus};
use crate::services::audit::Details;
use crate::services::guard::require_some;
use std::collections::BTreeSet;

/// A change to one URL (`PATCH /registration-urls/{id}`); `None` leaves it as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UrlPatch {
    /// The complete new list of codes (kept codes keep their use counts).
    pub codes: Option<Vec<CodeSpec>>,
    /// Stop, or publish again.
    pub status: Option<UrlStatus>,
}

/// One row of the URL download (A5): group, URL, status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlExportRow {
    /// The group's name.
    pub group_name: String,
    /// The public address.
    pub url: String,
    /// `active` or `stopped`.
    pub status: UrlStatus,
}

impl RegistrationUrlService {
    /// A5: edits a URL's codes and/or status (`admin.settings` over its group; P5 when it
    /// starts accepting again). Errors: `not_found`, `forbidden`; `privilege_not_held`,
    /// `scope_exceeds_own`; `registration_too_many_codes`, `registration_code_duplicate`,
    /// `registration_code_uses_above_max`, code errors; `unexpected`. Audited as
    /// `registration_url.update`.
    pub async fn edit(
        &self,
        actor: &Actor,
        id: RegistrationUrlId,
        patch: UrlPatch,
    ) -> Result<RegistrationUrl, JoiningError> {
        let mut details = Details::new();
        if let Some(codes) = &patch.codes {
            details.insert("codes".into(), codes.len().to_string());
        }
        if let Some(status) = patch.status {
            details.insert("status".into(), status.as_str().into());
        }
        let result = self.edit_checked(actor, id, patch).await;
        let target = AuditTarget::new(AuditTargetKind::RegistrationUrl, id);
        self.cx
            .auditor
            .record(
                actor,
                AuditAction::RegistrationUrlUpdate,
                target,
                details,
                result,
            )
            .await
    }

    async fn edit_checked(
        &self,
        actor: &Actor,
        id: RegistrationUrlId,
        patch: UrlPatch,
    ) -> Result<RegistrationUrl, JoiningError> {
        let cx = &self.cx;
        let mut url = cx.urls.get(id).await?.ok_or(Denied::NotFound)?;
        let graph = cx.groups.graph().await?;
        check_group(actor, &graph, url.group_id)?;
        if let Some(codes) = patch.codes {
            url.edit_codes(codes)?;
        }
        match patch.status {
            None => {}
            Some(UrlStatus::Stopped) => url.stop(),
            Some(UrlStatus::Active) => {
                let groups = BTreeSet::from([url.group_id]);
                cx.check_joining_grants(actor, &graph, &groups).await?;
                url.resume();
            }
        }
        cx.urls.update(&url).await?;
        Ok(url)
    }

    /// A5: stops several URLs at once (`admin.settings` over each group; stopping a stopped
    /// URL changes nothing). Errors: `not_found` (an id unknown or out of scope — then none
    /// is stopped), `forbidden`; `unexpected`. Audited once as `registration_url.stop`.
    pub async fn stop(
        &self,
        actor: &Actor,
        ids: Vec<RegistrationUrlId>,
    ) -> Result<Vec<RegistrationUrlId>, JoiningError> {
        let mut details = Details::new();
        details.insert("ids".into(), joined(ids.iter()));
        let result = self.stop_checked(actor, ids).await;
        let target = AuditTarget::kind_only(AuditTargetKind::RegistrationUrl);
        self.cx
            .auditor
            .record(
                actor,
                AuditAction::RegistrationUrlStop,
                target,
                details,
                result,
            )
            .await
    }

    async fn stop_checked(
        &self,
        actor: &Actor,
        ids: Vec<RegistrationUrlId>,
    ) -> Result<Vec<RegistrationUrlId>, JoiningError> {
        let cx = &self.cx;
        let graph = cx.groups.graph().await?;
        require_some(actor, &graph, Privilege::AdminSettings)?;
        for id in &ids {
            let url = cx.urls.get(*id).await?.ok_or(Denied::NotFound)?;
            check_group(actor, &graph, url.group_id)?;
        }
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(cx.urls.set_status(&ids, UrlStatus::Stopped).await?)
    }

    /// A5: one page of the URLs of the groups in the actor's `admin.settings` scope, in
    /// creation order, optionally only those in `status`. Nothing in scope gives an empty
    /// page. Errors: `unexpected`.
    pub async fn list(
        &self,
        actor: &Actor,
        status: Option<UrlStatus>,
        page: PageRequest,
    ) -> Result<Page<RegistrationUrl>, JoiningError> {
        let graph = self.cx.groups.graph().await?;
        let group_ids = match visibility(actor, &graph, Privilege::AdminSettings) {
            Visibility::Nothing => return Ok(Page::empty()),
            Visibility::All => None,
            Visibility::Groups(groups) => Some(groups),
        };
        let filter = UrlFilter { group_ids, status };
        Ok(self.cx.urls.list(&filter, &page.clamped()).await?)
    }

    /// A5: every URL in the actor's scope as (group name, URL, status) rows, for the CSV
    /// codec. Errors: `unexpected`.
    pub async fn export_rows(&self, actor: &Actor) -> Result<Vec<UrlExportRow>, JoiningError> {
        let mut rows = Vec::new();
        let mut page = PageRequest::first(MAX_PAGE_LIMIT);
        loop {
            let urls = self.list(actor, None, page).await?;
            for url in &urls.items {
                // A group deleted since the list was read takes its URL with it (G5).
                if let Some(group) = self.cx.groups.get(url.group_id).await? {
                    rows.push(UrlExportRow {
                        group_name: group.name.as_str().to_owned(),
                        url: self.link(url),
                        status: url.status,
                    });
                }
            }
            match urls.next_cursor {
                Some(cursor) => page = PageRequest::new(Some(MAX_PAGE_LIMIT), Some(cursor)),
                None => return Ok(rows),
            }
        }
    }
}
