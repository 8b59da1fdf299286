//! Invitations (U5) and password reset (U10) as the API takes and shows them. Secrets
//! (tokens, passwords) are redacted from every Debug.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use std::fmt;
use uuid::Uuid;

/// An invitation sent (or, with invitation mail off, handed back).
#[derive(Clone, PartialEq, Eq, Object)]
pub struct InvitationView {
    /// The invited user.
    pub user_id: Uuid,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
    /// The link, only when invitation mail is off (M3): deliver it yourself. `null` when
    /// it went by mail.
    #[oai(nullable)]
    pub link: Option<String>,
}

impl fmt::Debug for InvitationView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InvitationView")
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

/// A token and the password to set with it.
#[derive(Clone, Object)]
pub struct TokenPasswordBody {
    /// The token from the mailed link.
    #[oai(validator(max_length = 512))]
    pub token: String,
    /// The new password.
    #[oai(validator(max_length = 4096))]
    pub password: String,
}

impl fmt::Debug for TokenPasswordBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenPasswordBody(<redacted>)")
    }
}

/// "Forgot password": the login ID or the email of the account.
#[derive(Clone, Object)]
pub struct ResetRequestBody {
    /// The login ID.
    #[oai(validator(max_length = 1024))]
    pub login_id: Option<String>,
    /// Or the email.
    #[oai(validator(max_length = 1024))]
    pub email: Option<String>,
}

impl fmt::Debug for ResetRequestBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ResetRequestBody(<redacted>)")
    }
}

/// The one answer to a reset request (U10).
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct ResetAccepted {
    /// Always the same words, whether or not an account exists.
    pub message: String,
}
