//! Groups as the API shows and takes them (G1, G3): bodies parse into domain commands here.

use super::Fields;
use crate::problem::ApiError;
use poem_openapi::Object;
use poem_openapi::types::MaybeUndefined;
use roster_domain::group::{ExternalCode, Group, GroupDescription, GroupName};
use roster_domain::ids::GroupId;
use roster_domain::ports::Page;
use roster_domain::services::{CreateGroup, GroupDetails, GroupPatch};
use uuid::Uuid;

/// A group (G1).
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct GroupView {
    /// Its id.
    pub id: Uuid,
    /// Unique, case-insensitive; shown as it was given.
    pub name: String,
    /// An external code (SIS, HR), unique, when set.
    #[oai(nullable)]
    pub external_code: Option<String>,
    /// Free text.
    pub description: String,
}

impl From<Group> for GroupView {
    fn from(g: Group) -> Self {
        Self {
            id: g.id.as_uuid(),
            name: g.name.as_str().to_owned(),
            external_code: g.external_code.map(|c| c.as_str().to_owned()),
            description: g.description.as_str().to_owned(),
        }
    }
}

/// A group with its direct parents and children — those the caller may see (G3, P4).
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct GroupDetailsView {
    /// The group.
    #[oai(flatten)]
    pub group: GroupView,
    /// Its direct parents within the caller's view.
    pub parent_ids: Vec<Uuid>,
    /// Its direct children within the caller's view.
    pub child_ids: Vec<Uuid>,
}

impl From<GroupDetails> for GroupDetailsView {
    fn from(d: GroupDetails) -> Self {
        Self {
            group: d.group.into(),
            parent_ids: d.parent_ids.iter().map(GroupId::as_uuid).collect(),
            child_ids: d.child_ids.iter().map(GroupId::as_uuid).collect(),
        }
    }
}

/// A page of groups.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct GroupPage {
    /// The groups, in the list's stable order.
    pub items: Vec<GroupView>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

impl From<Page<Group>> for GroupPage {
    fn from(page: Page<Group>) -> Self {
        Self {
            items: page.items.into_iter().map(GroupView::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// A group to create.
#[derive(Debug, Object)]
pub struct NewGroupBody {
    /// Unique (case-insensitive), 1–128 characters, no `;`.
    pub name: String,
    /// An external code, unique.
    pub external_code: Option<String>,
    /// Free text, at most 2,000 characters.
    pub description: Option<String>,
    /// Its parents (G3). None makes a root group, which needs `users.edit` with scope
    /// `all`; a scoped administrator names at least one parent in its scope (P3).
    #[oai(default)]
    pub parent_ids: Vec<Uuid>,
}

impl NewGroupBody {
    /// The command, or 422 naming every bad field.
    pub fn parse(self) -> Result<CreateGroup, ApiError> {
        let mut errors = Fields::new();
        let name = errors.check("name", GroupName::parse(&self.name));
        let external_code = match &self.external_code {
            Some(raw) => errors
                .check("external_code", ExternalCode::parse(raw))
                .map(Some),
            None => Some(None),
        };
        let description = match &self.description {
            Some(raw) => errors.check("description", GroupDescription::parse(raw)),
            None => Some(GroupDescription::default()),
        };
        errors.finish()?;
        let (Some(name), Some(external_code), Some(description)) =
            (name, external_code, description)
        else {
            return Err(ApiError::unexpected());
        };
        Ok(CreateGroup {
            name,
            external_code,
            description,
            parent_ids: self
                .parent_ids
                .into_iter()
                .map(GroupId::from_uuid)
                .collect(),
        })
    }
}

/// A change to a group. Absent fields stay as they are; `null` clears `external_code`.
#[derive(Debug, Object)]
pub struct GroupPatchBody {
    /// New name.
    pub name: Option<String>,
    /// New external code, or `null` to remove it.
    pub external_code: MaybeUndefined<String>,
    /// New description (`""` empties it).
    pub description: Option<String>,
}

impl GroupPatchBody {
    /// The patch, or 422 naming every bad field.
    pub fn parse(self) -> Result<GroupPatch, ApiError> {
        let mut errors = Fields::new();
        let name = match &self.name {
            Some(raw) => errors.check("name", GroupName::parse(raw)).map(Some),
            None => Some(None),
        };
        let external_code = match &self.external_code {
            MaybeUndefined::Undefined => Some(None),
            MaybeUndefined::Null => Some(Some(None)),
            MaybeUndefined::Value(raw) => errors
                .check("external_code", ExternalCode::parse(raw))
                .map(|c| Some(Some(c))),
        };
        let description = match &self.description {
            Some(raw) => errors
                .check("description", GroupDescription::parse(raw))
                .map(Some),
            None => Some(None),
        };
        errors.finish()?;
        let (Some(name), Some(external_code), Some(description)) =
            (name, external_code, description)
        else {
            return Err(ApiError::unexpected());
        };
        Ok(GroupPatch {
            name,
            external_code,
            description,
        })
    }
}
