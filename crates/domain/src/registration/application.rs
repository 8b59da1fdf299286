//! An account application (A2–A4, A7): what a person applied with, and the changes the state
//! machine allows, as plain values that storage applies with one conditional update.

use super::form::ApplyCommand;
use super::settings::RegistrationSettings;
use super::status::{ApplicationEvent, ApplicationStatus};
use super::url::RegistrationUrl;
use crate::error::ErrorCode;
use crate::ids::{ApplicationId, GroupId, RegistrationUrlId, UserId};
use crate::user::{Attributes, DisplayName, Email, LoginId};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use std::fmt;

/// A password hash (a PHC string) as produced by the hasher, held until the user is created.
/// Opaque: Debug is redacted and nothing serializes it, so it is never returned (U1).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHashString(String);

impl PasswordHashString {
    /// Wraps a hash from the hasher or from storage.
    pub fn new(hash: String) -> Self {
        Self(hash)
    }

    /// The hash, for storage and for creating the user.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHashString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHashString(<redacted>)")
    }
}

/// Why an application step was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ApplicationError {
    /// Self-registration is turned off (A1).
    #[error("self-registration is closed")]
    RegistrationClosed,
    /// A user or an open application holds the login ID (A6).
    #[error("this login ID is already taken; choose another")]
    LoginIdTaken,
    /// An administrator tried to decide an application before its activation.
    #[error("the application has not been activated yet")]
    NotActivated,
    /// The application was activated already.
    #[error("the application has already been activated")]
    AlreadyActivated,
    /// The application was approved or not approved already; decisions are final.
    #[error("the application has already been decided")]
    AlreadyDecided,
}

impl ErrorCode for ApplicationError {
    fn code(&self) -> &'static str {
        match self {
            Self::RegistrationClosed => "registration_closed",
            Self::LoginIdTaken => "login_id_taken",
            Self::NotActivated => "application_not_activated",
            Self::AlreadyActivated => "application_already_activated",
            Self::AlreadyDecided => "application_already_decided",
        }
    }
}

/// A stored application.
#[derive(Debug, Clone, PartialEq)]
pub struct Application {
    /// Its id.
    pub id: ApplicationId,
    /// Wished login ID; held while the application is open (A6).
    pub login_id: LoginId,
    /// Display name.
    pub name: DisplayName,
    /// Email the activation link went to.
    pub email: Email,
    /// Custom fields from the form (U8).
    pub attributes: Attributes,
    /// Groups the user joins when created: the group of the registration URL (A5).
    pub group_ids: BTreeSet<GroupId>,
    /// The registration URL applied through, if any.
    pub registration_url_id: Option<RegistrationUrlId>,
    /// Where it stands.
    pub status: ApplicationStatus,
    /// When the person applied (A4 filter, A7 purge).
    pub applied_at: DateTime<Utc>,
    /// When the activation link was followed.
    pub activated_at: Option<DateTime<Utc>>,
    /// When it was approved or not approved.
    pub decided_at: Option<DateTime<Utc>>,
    /// The administrator who decided; `None` for automatic approval.
    pub decided_by: Option<UserId>,
    /// The hashed password the user will log in with.
    pub password_hash: PasswordHashString,
}

/// A change to store: storage writes it only while the application still has status
/// `expected` (so two administrators deciding at once cannot both win), and creates the user
/// `create_user` in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationUpdate {
    /// The application.
    pub id: ApplicationId,
    /// The status the change was decided on.
    pub expected: ApplicationStatus,
    /// The new status.
    pub status: ApplicationStatus,
    /// The activation time after the change.
    pub activated_at: Option<DateTime<Utc>>,
    /// The decision time after the change.
    pub decided_at: Option<DateTime<Utc>>,
    /// The deciding administrator after the change.
    pub decided_by: Option<UserId>,
    /// When set, create the `valid` user with this id from the application: its login ID,
    /// name, email, attributes, password hash and groups.
    pub create_user: Option<UserId>,
}

impl Application {
    /// A2: a new `not_activated` application from a checked command and the hashed password,
    /// joining the group of the registration URL it came through. The raw password in the
    /// command is dropped here.
    pub fn submit(
        cmd: ApplyCommand,
        password_hash: PasswordHashString,
        via: Option<&RegistrationUrl>,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id: ApplicationId::new(),
            login_id: cmd.login_id,
            name: cmd.name,
            email: cmd.email,
            attributes: cmd.attributes,
            group_ids: via.map(|url| url.group_id).into_iter().collect(),
            registration_url_id: via.map(|url| url.id),
            status: ApplicationStatus::NotActivated,
            applied_at: now,
            activated_at: None,
            decided_at: None,
            decided_by: None,
            password_hash,
        }
    }

    /// A2/A3: the applicant followed the activation link.
    pub fn activate(
        &self,
        settings: &RegistrationSettings,
        now: DateTime<Utc>,
    ) -> Result<ApplicationUpdate, ApplicationError> {
        let event = ApplicationEvent::Activate {
            auto_approve: settings.auto_approve,
        };
        self.change(event, None, now)
    }

    /// A4: an administrator approves.
    pub fn approve(
        &self,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<ApplicationUpdate, ApplicationError> {
        self.change(ApplicationEvent::Approve, Some(by), now)
    }

    /// A4: an administrator does not approve.
    pub fn reject(
        &self,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<ApplicationUpdate, ApplicationError> {
        self.change(ApplicationEvent::Reject, Some(by), now)
    }

    fn change(
        &self,
        event: ApplicationEvent,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<ApplicationUpdate, ApplicationError> {
        let t = self.status.apply(event)?;
        let activated = matches!(event, ApplicationEvent::Activate { .. });
        let decided = matches!(
            t.to,
            ApplicationStatus::Approved | ApplicationStatus::NotApproved
        );
        Ok(ApplicationUpdate {
            id: self.id,
            expected: t.from,
            status: t.to,
            activated_at: if activated {
                Some(now)
            } else {
                self.activated_at
            },
            decided_at: if decided { Some(now) } else { self.decided_at },
            decided_by: if decided { by } else { self.decided_by },
            create_user: t.create_user.then(UserId::new),
        })
    }

    /// The application as it is after `update` (what storage holds once it succeeded).
    pub fn with_update(&self, update: &ApplicationUpdate) -> Self {
        Self {
            status: update.status,
            activated_at: update.activated_at,
            decided_at: update.decided_at,
            decided_by: update.decided_by,
            ..self.clone()
        }
    }
}

/// A1: refuses applications while self-registration is off.
pub fn check_open(settings: &RegistrationSettings) -> Result<(), ApplicationError> {
    if settings.self_registration {
        Ok(())
    } else {
        Err(ApplicationError::RegistrationClosed)
    }
}

/// A7: `not_activated` applications applied at or before this instant are due for deletion;
/// `None` when the purge is off. The purge job hands this to storage in one delete.
pub fn stale_cutoff(settings: &RegistrationSettings, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    settings
        .purge_not_activated_after
        .map(|days| now - days.as_duration())
}

/// A7: whether the purge deletes this application now.
pub fn is_stale(app: &Application, settings: &RegistrationSettings, now: DateTime<Utc>) -> bool {
    app.status == ApplicationStatus::NotActivated
        && stale_cutoff(settings, now).is_some_and(|cutoff| app.applied_at <= cutoff)
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// A `not_activated` application for `login`, applied at `at`, through no URL.
    pub fn application(login: &str, at: DateTime<Utc>) -> Application {
        Application {
            id: ApplicationId::new(),
            login_id: LoginId::parse(login).unwrap(),
            name: DisplayName::parse(login).unwrap(),
            email: Email::parse(&format!("{login}@example.com")).unwrap(),
            attributes: Attributes::new(),
            group_ids: BTreeSet::new(),
            registration_url_id: None,
            status: ApplicationStatus::NotActivated,
            applied_at: at,
            activated_at: None,
            decided_at: None,
            decided_by: None,
            password_hash: PasswordHashString::new("$argon2id$v=19$m=19456,t=2,p=1$x$y".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::application;
    use super::*;
    use crate::registration::PurgeAfterDays;
    use chrono::Duration;
    use proptest::prelude::*;

    fn t0() -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::days(1000)
    }

    fn settings(auto_approve: bool, purge: Option<u16>) -> RegistrationSettings {
        RegistrationSettings {
            self_registration: true,
            auto_approve,
            purge_not_activated_after: purge.map(|d| PurgeAfterDays::new(d).unwrap()),
        }
    }

    #[test]
    fn a3_auto_approved_activation_sets_both_times_and_a_user_id() {
        let app = application("kenji", t0());
        let at = t0() + Duration::hours(1);
        let u = app.activate(&settings(true, None), at).unwrap();
        assert_eq!(u.expected, ApplicationStatus::NotActivated);
        assert_eq!(u.status, ApplicationStatus::Approved);
        assert_eq!((u.activated_at, u.decided_at), (Some(at), Some(at)));
        assert_eq!(
            u.decided_by, None,
            "automatic approval has no administrator"
        );
        assert!(u.create_user.is_some());
    }

    #[test]
    fn a3_manual_approval_activation_only_activates() {
        let app = application("kenji", t0());
        let u = app.activate(&settings(false, None), t0()).unwrap();
        assert_eq!(u.status, ApplicationStatus::Unapproved);
        assert_eq!(u.activated_at, Some(t0()));
        assert_eq!((u.decided_at, u.create_user), (None, None));
    }

    #[test]
    fn a4_approve_and_reject_record_who_and_when() {
        let admin = UserId::new();
        let app = application("kenji", t0());
        let activated = app.with_update(&app.activate(&settings(false, None), t0()).unwrap());
        let later = t0() + Duration::days(1);

        let approved = activated.approve(admin, later).unwrap();
        assert_eq!(approved.expected, ApplicationStatus::Unapproved);
        assert_eq!(approved.activated_at, Some(t0()), "activation time kept");
        assert_eq!(
            (approved.decided_at, approved.decided_by),
            (Some(later), Some(admin))
        );
        assert!(approved.create_user.is_some());

        let rejected = activated.reject(admin, later).unwrap();
        assert_eq!(rejected.status, ApplicationStatus::NotApproved);
        assert_eq!(rejected.create_user, None);
        assert_eq!(
            activated.with_update(&rejected).reject(admin, later),
            Err(ApplicationError::AlreadyDecided)
        );
    }

    #[test]
    fn a4_deciding_before_activation_is_refused() {
        let app = application("kenji", t0());
        assert_eq!(
            app.approve(UserId::new(), t0()),
            Err(ApplicationError::NotActivated)
        );
    }

    #[test]
    fn a1_closed_registration_refuses() {
        assert_eq!(
            check_open(&RegistrationSettings::default()),
            Err(ApplicationError::RegistrationClosed)
        );
        assert_eq!(check_open(&settings(false, None)), Ok(()));
        assert_eq!(
            ApplicationError::RegistrationClosed.code(),
            "registration_closed"
        );
    }

    #[test]
    fn a7_stale_only_when_not_activated_past_the_days() {
        let app = application("yui", t0());
        let s = settings(false, Some(3));
        assert!(!is_stale(
            &app,
            &s,
            t0() + Duration::days(3) - Duration::seconds(1)
        ));
        assert!(is_stale(&app, &s, t0() + Duration::days(3)));
        assert!(!is_stale(
            &app,
            &settings(false, None),
            t0() + Duration::days(999)
        ));
        let mut activated = app.clone();
        activated.status = ApplicationStatus::Unapproved;
        assert!(!is_stale(&activated, &s, t0() + Duration::days(999)));
    }

    #[test]
    fn a2_hash_is_redacted() {
        let app = application("yui", t0());
        assert!(!format!("{app:?}").contains("argon2"));
    }

    proptest! {
        #[test]
        fn a7_is_stale_agrees_with_the_cutoff(days in 1u16..=365, age_secs in 0i64..40_000_000) {
            let s = settings(false, Some(days));
            let now = t0() + Duration::seconds(age_secs);
            let app = application("yui", t0());
            let cutoff = stale_cutoff(&s, now).unwrap();
            prop_assert_eq!(is_stale(&app, &s, now), app.applied_at <= cutoff);
            prop_assert_eq!(is_stale(&app, &s, now), age_secs >= i64::from(days) * 86_400);
        }
    }
}
