//! Grant requests (P2): the body of `POST /api/v1/grants` and the page of `GET`.

use super::{Fields, GrantView, PrivilegeDto, ScopeDto};
use crate::problem::ApiError;
use poem_openapi::Object;
use roster_domain::authz::{Grant, NewGrant, Subject};
use roster_domain::ids::{GroupId, UserId};
use roster_domain::ports::Page;
use roster_domain::services::GrantQuery;
use uuid::Uuid;

/// At most one of a user or a group, named by two optional fields; both given is a field
/// error under `group_field`. `None` when both were given.
pub(crate) fn user_or_group(
    user: Option<Uuid>,
    group: Option<Uuid>,
    group_field: &str,
    errors: &mut Fields,
) -> Option<Option<Subject>> {
    match (user, group) {
        (Some(_), Some(_)) => {
            errors.push(
                group_field,
                "one_of_user_or_group",
                "give a user or a group, not both",
            );
            None
        }
        (Some(u), None) => Some(Some(Subject::User(UserId::from_uuid(u)))),
        (None, Some(g)) => Some(Some(Subject::Group(GroupId::from_uuid(g)))),
        (None, None) => Some(None),
    }
}

/// A grant to make: exactly one of `subject_user_id` and `subject_group_id`.
#[derive(Debug, Object)]
pub struct NewGrantBody {
    /// The user who will hold it.
    pub subject_user_id: Option<Uuid>,
    /// The group whose members (G4) will hold it.
    pub subject_group_id: Option<Uuid>,
    /// What it allows (P1).
    pub privilege: PrivilegeDto,
    /// Where (P2).
    pub scope: ScopeDto,
}

impl NewGrantBody {
    /// The grant, or 422 naming every bad field.
    pub fn parse(self) -> Result<NewGrant, ApiError> {
        let mut errors = Fields::new();
        let subject = match user_or_group(
            self.subject_user_id,
            self.subject_group_id,
            "subject_group_id",
            &mut errors,
        ) {
            Some(None) => {
                errors.push(
                    "subject_user_id",
                    "subject_required",
                    "give subject_user_id or subject_group_id",
                );
                None
            }
            other => other.flatten(),
        };
        let scope = self.scope.parse("scope", &mut errors);
        errors.finish()?;
        let (Some(subject), Some(scope)) = (subject, scope) else {
            return Err(ApiError::unexpected());
        };
        Ok(NewGrant {
            subject,
            privilege: self.privilege.into(),
            scope,
        })
    }
}

/// The filters of `GET /api/v1/grants`: at most one subject, and a privilege.
pub fn grant_query(
    subject_user_id: Option<Uuid>,
    subject_group_id: Option<Uuid>,
    privilege: Option<PrivilegeDto>,
) -> Result<GrantQuery, ApiError> {
    let mut errors = Fields::new();
    let subject = user_or_group(
        subject_user_id,
        subject_group_id,
        "subject_group_id",
        &mut errors,
    );
    errors.finish()?;
    Ok(GrantQuery {
        subject: subject.flatten(),
        privilege: privilege.map(Into::into),
    })
}

/// A page of grants.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct GrantPage {
    /// The grants, in the list's stable order.
    pub items: Vec<GrantView>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

impl From<Page<Grant>> for GrantPage {
    fn from(page: Page<Grant>) -> Self {
        Self {
            items: page.items.iter().map(GrantView::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
}
