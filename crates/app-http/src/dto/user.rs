//! Users as the API shows them (U1): never a password or hash, only whether one is set.

use super::UserStatusDto;
use chrono::{DateTime, Utc};
use poem_openapi::Object;
use roster_domain::ports::Page;
use roster_domain::user::User;
use std::collections::BTreeMap;
use uuid::Uuid;

/// A user account.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct UserView {
    /// Its id (UUIDv7).
    pub id: Uuid,
    /// Unique, case-insensitive; shown as it was registered.
    pub login_id: String,
    /// Display name.
    pub name: String,
    /// Email, when set.
    #[oai(nullable)]
    pub email: Option<String>,
    /// Whether a password is set (the password itself is never returned).
    pub has_password: bool,
    /// valid, invalid or pending (U2).
    pub status: UserStatusDto,
    /// After this instant the user cannot log in (U6).
    #[oai(nullable)]
    pub expires_at: Option<DateTime<Utc>>,
    /// Custom profile fields (U8), by key.
    pub attributes: BTreeMap<String, String>,
    /// The one owner account (U3).
    pub is_owner: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change; send it back as `expected_updated_at` to refuse lost updates.
    pub updated_at: DateTime<Utc>,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        Self {
            id: u.id.as_uuid(),
            login_id: u.login_id.as_str().to_owned(),
            name: u.name.as_str().to_owned(),
            email: u.email.map(|e| e.as_str().to_owned()),
            has_password: u.has_password,
            status: u.status.into(),
            expires_at: u.expires_at,
            attributes: u.attributes,
            is_owner: u.is_owner,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// A page of users.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct UserPage {
    /// The users, in id order.
    pub items: Vec<UserView>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

impl From<Page<User>> for UserPage {
    fn from(page: Page<User>) -> Self {
        Self {
            items: page.items.into_iter().map(UserView::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
}
