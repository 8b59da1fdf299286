//! Registration URLs (A5) as the API shows and takes them.

use super::Fields;
use crate::problem::ApiError;
use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use roster_domain::ports::Page;
use roster_domain::registration::{CodeSpec, CodeText, RegistrationUrl, UrlStatus};
use roster_domain::services::joining::{PublishOutcome, UrlListItem};
use uuid::Uuid;

/// Whether a URL accepts applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum UrlStatusDto {
    /// Published: accepts applications.
    Active,
    /// Stopped: refuses them.
    Stopped,
}

impl From<UrlStatus> for UrlStatusDto {
    fn from(s: UrlStatus) -> Self {
        match s {
            UrlStatus::Active => Self::Active,
            UrlStatus::Stopped => Self::Stopped,
        }
    }
}

impl From<UrlStatusDto> for UrlStatus {
    fn from(s: UrlStatusDto) -> Self {
        match s {
            UrlStatusDto::Active => Self::Active,
            UrlStatusDto::Stopped => Self::Stopped,
        }
    }
}

/// One authentication code of a URL.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct CodeView {
    /// The code applicants type.
    pub code: String,
    /// From this instant on it no longer works.
    #[oai(nullable)]
    pub expires_at: Option<DateTime<Utc>>,
    /// How many applications it admits in all.
    #[oai(nullable)]
    pub max_uses: Option<u32>,
    /// How many it has admitted.
    pub uses: u32,
}

/// A group's registration URL.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct RegistrationUrlView {
    /// Its id.
    pub id: Uuid,
    /// The group applicants join.
    pub group_id: Uuid,
    /// The public address (`ROSTER_PUBLIC_URL/register/{token}`).
    pub url: String,
    /// The token in the address (`registration_token` of an application).
    pub token: String,
    /// Active or stopped.
    pub status: UrlStatusDto,
    /// Its codes; empty when there are none or `codes_hidden`.
    pub codes: Vec<CodeView>,
    /// The URL has codes the caller may not read (P5: codes admit people into the group).
    pub codes_hidden: bool,
    /// When it was first published.
    pub created_at: DateTime<Utc>,
}

impl RegistrationUrlView {
    /// The view of `url`, published at `link`.
    pub fn new(url: RegistrationUrl, link: String, codes_hidden: bool) -> Self {
        Self {
            id: url.id.as_uuid(),
            group_id: url.group_id.as_uuid(),
            url: link,
            token: url.token.as_str().to_owned(),
            status: url.status.into(),
            codes: url
                .codes
                .iter()
                .map(|c| CodeView {
                    code: c.code().as_str().to_owned(),
                    expires_at: c.expires_at(),
                    max_uses: c.max_uses(),
                    uses: c.uses(),
                })
                .collect(),
            codes_hidden,
            created_at: url.created_at,
        }
    }

    /// The view of a list item.
    pub fn of_item(item: UrlListItem, link: String) -> Self {
        Self::new(item.url, link, item.codes_hidden)
    }
}

/// A page of registration URLs.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct RegistrationUrlPage {
    /// The URLs, in creation order.
    pub items: Vec<RegistrationUrlView>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

impl RegistrationUrlPage {
    /// The page, each URL with its link.
    pub fn new(page: Page<UrlListItem>, link: impl Fn(&RegistrationUrl) -> String) -> Self {
        Self {
            items: page
                .items
                .into_iter()
                .map(|item| {
                    let l = link(&item.url);
                    RegistrationUrlView::of_item(item, l)
                })
                .collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// An authentication code as set by an administrator.
#[derive(Debug, Clone, Object)]
pub struct CodeBody {
    /// The code: no spaces.
    #[oai(validator(max_length = 256))]
    pub code: String,
    /// When it stops working.
    pub expires_at: Option<DateTime<Utc>>,
    /// How many applications it admits (at least 1).
    pub max_uses: Option<u32>,
}

/// Parses codes, each error named `codes[i].code`.
fn parse_codes(fields: &mut Fields, codes: Vec<CodeBody>) -> Vec<CodeSpec> {
    let mut specs = Vec::with_capacity(codes.len());
    for (i, c) in codes.into_iter().enumerate() {
        if let Some(code) = fields.check(&format!("codes[{i}].code"), CodeText::parse(&c.code)) {
            specs.push(CodeSpec {
                code,
                expires_at: c.expires_at,
                max_uses: c.max_uses,
            });
        }
    }
    specs
}

/// Publish URLs for groups (A5).
#[derive(Debug, Clone, Object)]
pub struct PublishUrlsBody {
    /// The groups, one URL each.
    #[oai(validator(max_items = 1000))]
    pub group_ids: Vec<Uuid>,
    /// Codes for the URLs created (up to 10).
    #[oai(default, validator(max_items = 100))]
    pub codes: Vec<CodeBody>,
}

impl PublishUrlsBody {
    /// The codes, or 422.
    pub fn parse_codes(self) -> Result<(Vec<Uuid>, Vec<CodeSpec>), ApiError> {
        let mut fields = Fields::new();
        let codes = parse_codes(&mut fields, self.codes);
        fields.finish()?;
        Ok((self.group_ids, codes))
    }
}

/// What publishing did for one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum PublishOutcomeDto {
    /// A new URL.
    Created,
    /// A stopped URL accepts applications again, with its link and codes.
    Resumed,
    /// Already active; nothing changed.
    AlreadyActive,
}

impl From<PublishOutcome> for PublishOutcomeDto {
    fn from(o: PublishOutcome) -> Self {
        match o {
            PublishOutcome::Created => Self::Created,
            PublishOutcome::Resumed => Self::Resumed,
            PublishOutcome::AlreadyActive => Self::AlreadyActive,
        }
    }
}

/// One group's result.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct PublishedUrl {
    /// What happened.
    pub outcome: PublishOutcomeDto,
    /// The URL as it now is.
    pub url: RegistrationUrlView,
}

/// The result of a publish, one item per group.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct PublishedUrls {
    /// Per group.
    pub items: Vec<PublishedUrl>,
}

/// A change to one URL; absent members stay as they are.
#[derive(Debug, Clone, Object)]
pub struct UrlPatchBody {
    /// The complete new list of codes (kept codes keep their use counts).
    #[oai(validator(max_items = 100))]
    pub codes: Option<Vec<CodeBody>>,
    /// Stop, or publish again.
    pub status: Option<UrlStatusDto>,
}

impl UrlPatchBody {
    /// The domain patch, or 422.
    pub fn parse(self) -> Result<roster_domain::services::joining::UrlPatch, ApiError> {
        let mut fields = Fields::new();
        let codes = self.codes.map(|c| parse_codes(&mut fields, c));
        fields.finish()?;
        Ok(roster_domain::services::joining::UrlPatch {
            codes,
            status: self.status.map(Into::into),
        })
    }
}

/// URLs to stop.
#[derive(Debug, Clone, Object)]
pub struct StopUrlsBody {
    /// Their ids.
    #[oai(validator(max_items = 1000))]
    pub ids: Vec<Uuid>,
}

/// The URLs stopped.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct StoppedUrls {
    /// Their ids.
    pub ids: Vec<Uuid>,
}
