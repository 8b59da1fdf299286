//! Ports of self-registration (A): the settings, the registration URLs and the applications.
//! Each change that must be atomic is one method: the domain decides, the adapter applies it
//! in one transaction.

use super::{Page, PageRequest};
use crate::Unexpected;
use crate::error::ErrorCode;
use crate::ids::{ApplicationId, GroupId, RegistrationUrlId};
use crate::registration::{
    Application, ApplicationStatus, ApplicationUpdate, CodeText, OneTimeToken, OutgoingMail,
    RegistrationSettings, RegistrationUrl, UrlRefusal, UrlStatus, UrlToken, UsedCode,
};
use crate::user::LoginId;
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// Failure of the registration settings store.
#[derive(Debug, thiserror::Error)]
pub enum RegistrationSettingsError {
    /// Storage failed.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for RegistrationSettingsError {
    fn code(&self) -> &'static str {
        match self {
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Keeps the A1 settings.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait RegistrationSettingsStore: Send + Sync {
    /// The settings; `RegistrationSettings::default()` (closed) when none were ever saved.
    /// Errors: `Unexpected` when storage fails.
    async fn get(&self) -> Result<RegistrationSettings, RegistrationSettingsError>;

    /// Replaces the settings. Errors: `Unexpected` when storage fails.
    async fn put(&self, settings: &RegistrationSettings) -> Result<(), RegistrationSettingsError>;
}

/// Failure of the registration URL repository.
#[derive(Debug, thiserror::Error)]
pub enum UrlRepositoryError {
    /// No URL has this id.
    #[error("registration URL not found")]
    NotFound,
    /// The group already has a URL (one per group; resume it instead).
    #[error("the group already has a registration URL")]
    GroupHasUrl,
    /// The group does not exist.
    #[error("unknown group")]
    UnknownGroup,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for UrlRepositoryError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::GroupHasUrl => "registration_url_exists",
            Self::UnknownGroup => "unknown_group",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Why counting a code use failed.
#[derive(Debug, thiserror::Error)]
pub enum ConsumeCodeError {
    /// The URL or code no longer admits: `NotFound`, `Stopped`, `CodeInvalid` (the code was
    /// removed meanwhile), `CodeExpired` or `CodeUsedUp`.
    #[error(transparent)]
    Refused(UrlRefusal),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for ConsumeCodeError {
    fn code(&self) -> &'static str {
        match self {
            Self::Refused(r) => r.code(),
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Which URLs a list shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UrlFilter {
    /// Only URLs of these groups (the actor's visible groups, P4); `None` for all.
    pub group_ids: Option<BTreeSet<GroupId>>,
    /// Only URLs in this status.
    pub status: Option<UrlStatus>,
}

/// Keeps registration URLs (A5), at most one per group.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait RegistrationUrlRepository: Send + Sync {
    /// Stores a new URL with its codes. Errors: `GroupHasUrl` when the group has one,
    /// `UnknownGroup`, `Unexpected`.
    async fn create(&self, url: &RegistrationUrl) -> Result<(), UrlRepositoryError>;

    /// The URL with this id, or `None`. Errors: `Unexpected`.
    async fn get(
        &self,
        id: RegistrationUrlId,
    ) -> Result<Option<RegistrationUrl>, UrlRepositoryError>;

    /// The URL whose link carries this token, or `None`. Errors: `Unexpected`.
    async fn find_by_token(
        &self,
        token: &UrlToken,
    ) -> Result<Option<RegistrationUrl>, UrlRepositoryError>;

    /// The URL of a group, or `None`. Errors: `Unexpected`.
    async fn find_by_group(
        &self,
        group_id: GroupId,
    ) -> Result<Option<RegistrationUrl>, UrlRepositoryError>;

    /// URLs matching the filter, by creation order (also the CSV download). Errors:
    /// `Unexpected`.
    async fn list(
        &self,
        filter: &UrlFilter,
        page: &PageRequest,
    ) -> Result<Page<RegistrationUrl>, UrlRepositoryError>;

    /// Saves an edited URL's status and codes. Codes present before and after keep the use
    /// count in storage, not the one in `url`, so a use counted meanwhile is never lost.
    /// Errors: `NotFound`, `Unexpected`.
    async fn update(&self, url: &RegistrationUrl) -> Result<(), UrlRepositoryError>;

    /// Sets the status of several URLs at once (A5 bulk publish / stop) and returns the ids
    /// that exist; unknown ids are skipped, not an error. Errors: `Unexpected`.
    async fn set_status(
        &self,
        ids: &[RegistrationUrlId],
        status: UrlStatus,
    ) -> Result<Vec<RegistrationUrlId>, UrlRepositoryError>;

    /// Counts one use of `code` on an active URL, atomically: a conditional increment that
    /// succeeds only while the code exists, is unexpired at `now` and has uses left, so two
    /// applicants racing for the last use cannot both get it. Errors: `Refused` with the
    /// reason (re-read and decided by `check_application_via_url`), `Unexpected`.
    async fn consume_code(
        &self,
        url: RegistrationUrlId,
        code: &CodeText,
        now: DateTime<Utc>,
    ) -> Result<(), ConsumeCodeError>;
}

/// Everything a new application writes, together.
#[derive(Debug, Clone)]
pub struct ApplicationSubmission {
    /// The `not_activated` application.
    pub application: Application,
    /// The code that admitted it; its use is counted in the same transaction.
    pub used_code: UsedCode,
    /// The activation link's token.
    pub activation: OneTimeToken,
    /// The activation mail, when that notification is on (M3).
    pub mail: Option<OutgoingMail>,
}

/// Failure to store a new application.
#[derive(Debug, thiserror::Error)]
pub enum CreateApplicationError {
    /// A user or an open application holds the login ID (A6).
    #[error("this login ID is already taken; choose another")]
    LoginIdTaken,
    /// The registration URL or its code no longer admits.
    #[error(transparent)]
    Url(UrlRefusal),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for CreateApplicationError {
    fn code(&self) -> &'static str {
        match self {
            Self::LoginIdTaken => "login_id_taken",
            Self::Url(r) => r.code(),
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Failure to apply an application change.
#[derive(Debug, thiserror::Error)]
pub enum TransitionError {
    /// No application has this id.
    #[error("application not found")]
    NotFound,
    /// Its status is no longer the expected one (someone else decided first).
    #[error("the application was changed meanwhile; it is now {current}")]
    StatusChanged {
        /// The status found.
        current: ApplicationStatus,
    },
    /// Creating the user failed: an administrator registered the login ID meanwhile.
    #[error("this login ID is already taken")]
    LoginIdTaken,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for TransitionError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::StatusChanged { .. } => "application_status_changed",
            Self::LoginIdTaken => "login_id_taken",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Failure of application reads and the purge.
#[derive(Debug, thiserror::Error)]
pub enum ApplicationRepositoryError {
    /// Storage failed.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for ApplicationRepositoryError {
    fn code(&self) -> &'static str {
        match self {
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Which applications a list shows (A4).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApplicationFilter {
    /// Only this status.
    pub status: Option<ApplicationStatus>,
    /// Login IDs containing this text, case-insensitively.
    pub login_id: Option<String>,
    /// Emails containing this text, case-insensitively.
    pub email: Option<String>,
    /// Applied at or after.
    pub applied_from: Option<DateTime<Utc>>,
    /// Applied before.
    pub applied_to: Option<DateTime<Utc>>,
    /// Only applications joining one of these groups (the actor's `users.edit` scope, A4);
    /// `None` for all, including applications through no URL.
    pub group_ids: Option<BTreeSet<GroupId>>,
}

/// Keeps applications (A2–A4, A7).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait ApplicationRepository: Send + Sync {
    /// In one transaction: checks no user and no open application holds the login ID,
    /// counts the code use (as `RegistrationUrlRepository::consume_code`), inserts the
    /// application and its activation token, and queues the mail. A refusal writes nothing,
    /// so a refused application spends no code use. Errors: `LoginIdTaken`, `Url`,
    /// `Unexpected`.
    async fn create(
        &self,
        submission: &ApplicationSubmission,
    ) -> Result<(), CreateApplicationError>;

    /// The application, or `None`. Errors: `Unexpected`.
    async fn get(
        &self,
        id: ApplicationId,
    ) -> Result<Option<Application>, ApplicationRepositoryError>;

    /// Whether an open (`not_activated`, `unapproved`) application holds this login ID
    /// (compared by its case-folded key; A6). Errors: `Unexpected`.
    async fn is_login_id_held(
        &self,
        login_id: &LoginId,
    ) -> Result<bool, ApplicationRepositoryError>;

    /// Applications matching the filter, newest first. Errors: `Unexpected`.
    async fn list(
        &self,
        filter: &ApplicationFilter,
        page: &PageRequest,
    ) -> Result<Page<Application>, ApplicationRepositoryError>;

    /// In one transaction: writes `update` only while the application's status is still
    /// `update.expected`; when `update.create_user` is set, creates that `valid` user from
    /// the application (login ID, name, email, attributes, password hash, groups); queues
    /// `outbox` (approval notices, M4: the mail commits with the change). Once the user
    /// exists or the application is not approved, the stored password hash is erased.
    /// Errors: `NotFound`, `StatusChanged` (nothing written), `LoginIdTaken` (nothing
    /// written), `Unexpected`.
    async fn transition(
        &self,
        update: &ApplicationUpdate,
        outbox: &[OutgoingMail],
    ) -> Result<(), TransitionError>;

    /// A7: deletes `not_activated` applications applied at or before `cutoff` (see
    /// `registration::stale_cutoff`), with their activation tokens, and returns how many.
    /// Errors: `Unexpected`.
    async fn delete_stale(&self, cutoff: DateTime<Utc>) -> Result<u64, ApplicationRepositoryError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a7_purge_job_hands_the_cutoff_to_storage() {
        use crate::registration::{PurgeAfterDays, stale_cutoff};
        let now = DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::days(100);
        let settings = RegistrationSettings {
            self_registration: true,
            auto_approve: false,
            purge_not_activated_after: Some(PurgeAfterDays::new(7).unwrap()),
        };
        let mut repo = MockApplicationRepository::new();
        repo.expect_delete_stale()
            .withf(move |cutoff| *cutoff == now - chrono::Duration::days(7))
            .times(1)
            .returning(|_| Ok(3));
        let cutoff = stale_cutoff(&settings, now).unwrap();
        assert_eq!(repo.delete_stale(cutoff).await.unwrap(), 3);
    }

    #[test]
    fn a5_consume_refusals_keep_their_codes() {
        let e = ConsumeCodeError::Refused(UrlRefusal::CodeUsedUp);
        assert_eq!(e.code(), "registration_code_used_up");
        let e = CreateApplicationError::Url(UrlRefusal::Stopped);
        assert_eq!(e.code(), "registration_url_stopped");
        let e = TransitionError::StatusChanged {
            current: ApplicationStatus::Approved,
        };
        assert_eq!(
            e.to_string(),
            "the application was changed meanwhile; it is now approved"
        );
    }
}
