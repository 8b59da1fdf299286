//! A5: editing, stopping, listing and exporting registration URLs.

use super::publish::joined;
use super::{JoiningError, RegistrationUrlService, check_bulk_size, check_group};
use crate::authz::{Actor, Denied, Privilege, Visibility, visibility};
use crate::ids::{GroupId, RegistrationUrlId};
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::ports::registration::UrlFilter;
use crate::ports::{MAX_PAGE_LIMIT, Page, PageRequest};
use crate::registration::{AuthCodes, CodeSpec, RegistrationUrl, UrlStatus};
use crate::services::audit::Details;
use crate::services::guard::require_some;
use std::collections::{BTreeMap, BTreeSet};

/// A change to one URL (`PATCH /registration-urls/{id}`); `None` leaves it as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UrlPatch {
    /// The complete new list of codes (kept codes keep their use counts).
    pub codes: Option<Vec<CodeSpec>>,
    /// Stop, or publish again.
    pub status: Option<UrlStatus>,
}

/// One URL as a list shows it (A5). The codes are empty, and `codes_hidden` set, for an
/// actor who could not publish the URL (P5: codes admit people into the group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlListItem {
    /// The URL; its codes are empty when hidden.
    pub url: RegistrationUrl,
    /// The URL has codes the actor may not read.
    pub codes_hidden: bool,
}

/// One row of the URL download (A5): group, URL, status. It carries no codes, so the
/// download needs no redaction.
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
    /// A5: edits a URL's codes and/or status (`admin.settings` over its group; P5 — the
    /// actor could give the grants its group hands out — when it starts accepting again, or
    /// when its codes change while it is or becomes active). Errors: `not_found`, `forbidden`; `privilege_not_held`,
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
        // P5: whoever sets the codes of a URL that accepts applications decides who joins
        // its group, exactly as publishing does; so does resuming one.
        let active_after = match patch.status {
            Some(status) => status == UrlStatus::Active,
            None => url.status == UrlStatus::Active,
        };
        let admits = patch.codes.is_some() || patch.status == Some(UrlStatus::Active);
        if admits && active_after {
            let groups = BTreeSet::from([url.group_id]);
            cx.check_joining_grants(actor, &graph, &groups).await?;
        }
        if let Some(codes) = patch.codes {
            url.edit_codes(codes)?;
        }
        match patch.status {
            None => {}
            Some(UrlStatus::Stopped) => url.stop(),
            Some(UrlStatus::Active) => url.resume(),
        }
        cx.urls.update(&url).await?;
        Ok(url)
    }

    /// A5: stops several URLs at once (`admin.settings` over each group; stopping a stopped
    /// URL changes nothing). Errors: `not_found` (an id unknown or out of scope — then none
    /// is stopped), `forbidden`; `too_many_items` (over [`super::MAX_BULK_URLS`] ids);
    /// `unexpected`. Audited once as `registration_url.stop`.
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
        check_bulk_size(ids.len())?;
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
    /// page. P5: the codes of a URL admit people into its group, so they are shown only to
    /// an actor who could publish it (`check_joining_grants` over its group); for the others
    /// the item's codes are empty and `codes_hidden` is set. Errors: `unexpected`.
    pub async fn list(
        &self,
        actor: &Actor,
        status: Option<UrlStatus>,
        page: PageRequest,
    ) -> Result<Page<UrlListItem>, JoiningError> {
        let graph = self.cx.groups.graph().await?;
        let group_ids = match visibility(actor, &graph, Privilege::AdminSettings) {
            Visibility::Nothing => return Ok(Page::empty()),
            Visibility::All => None,
            Visibility::Groups(groups) => Some(groups),
        };
        let filter = UrlFilter { group_ids, status };
        let urls = self.cx.urls.list(&filter, &page.clamped()).await?;
        let mut may_read: BTreeMap<GroupId, bool> = BTreeMap::new();
        let mut items = Vec::with_capacity(urls.items.len());
        for mut url in urls.items {
            let readable = match may_read.get(&url.group_id) {
                Some(known) => *known,
                None => {
                    let groups = BTreeSet::from([url.group_id]);
                    let known = match self.cx.check_joining_grants(actor, &graph, &groups).await {
                        Ok(()) => true,
                        Err(JoiningError::Escalation(_)) => false,
                        Err(other) => return Err(other),
                    };
                    may_read.insert(url.group_id, known);
                    known
                }
            };
            let codes_hidden = !readable && !url.codes.is_empty();
            if codes_hidden {
                url.codes = AuthCodes::default();
            }
            items.push(UrlListItem { url, codes_hidden });
        }
        Ok(Page {
            items,
            next_cursor: urls.next_cursor,
        })
    }

    /// A5: every URL in the actor's scope as (group name, URL, status) rows, for the CSV
    /// codec. Errors: `unexpected`.
    pub async fn export_rows(&self, actor: &Actor) -> Result<Vec<UrlExportRow>, JoiningError> {
        let mut rows = Vec::new();
        let mut page = PageRequest::first(MAX_PAGE_LIMIT);
        loop {
            let urls = self.list(actor, None, page).await?;
            for UrlListItem { url, .. } in &urls.items {
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
