//! Changing one's own password (U10, P3, S1): the current one proven first.

use super::{MeError, MeService};
use crate::authz::Actor;
use crate::ports::password::PlainPassword;
use crate::user::password::Password;

impl MeService {
    /// U10, P3: changes one's own password. The new one passes the policy first (cheap), then
    /// the current one is verified, then the new one is hashed and stored; every session of
    /// the user ends, this one included, and its reset links die (S1, U10, by the credential
    /// store's contract). Errors: `validation_failed`; `wrong_password`
    /// (also when the account has no password); `too_many_attempts` (S3, with a throttle —
    /// see the module documentation of `services::me`); `busy`; `not_found`; `unexpected`.
    pub async fn change_password(
        &self,
        actor: &Actor,
        current: PlainPassword,
        new: PlainPassword,
    ) -> Result<(), MeError> {
        let user = self.me(actor).await?;
        let inputs = [
            user.login_id.as_str(),
            user.name.as_str(),
            user.email.as_ref().map_or("", |e| e.as_str()),
        ];
        let new = Password::parse(new.expose(), &inputs)?;
        self.verify_current(&user, &current).await?;
        let hash = self.hasher.hash(&new).await?;
        self.credentials
            .set_password_hash(user.id, hash, false)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::ports::password::{HashError, PasswordHash, Verification};
    use crate::services::testing::{Mocks, actor_of, user};
    use crate::user::User;
    use mockall::predicate::eq;

    #[tokio::test]
    async fn u10_change_password_verifies_current_and_sets_new() {
        let me = user("me");
        let mut m = Mocks::new();
        m.with_user(&me, [].into());
        m.credentials
            .expect_password_hash()
            .with(eq(me.id))
            .returning(|_| Ok(Some(PasswordHash::new("old"))));
        m.hasher
            .expect_verify()
            .withf(|c, h| c.expose() == "old secret" && h.expose() == "old")
            .times(1)
            .returning(|_, _| Ok(Verification::Ok));
        m.hasher
            .expect_hash()
            .withf(|p| p.expose() == "quiet-harbor-lamp")
            .returning(|_| Ok(PasswordHash::new("new")));
        m.credentials
            .expect_set_password_hash()
            .with(eq(me.id), eq(PasswordHash::new("new")), eq(false))
            .times(1)
            .returning(|_, _, _| Ok(()));
        let service = MeService::new(&m.ports());
        service
            .change_password(
                &actor_of(&me, [].into()),
                PlainPassword::new("old secret"),
                PlainPassword::new("quiet-harbor-lamp"),
            )
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn u10_wrong_current_password_refused_and_nothing_written() {
        let me = user("me");
        let mut m = Mocks::new();
        m.with_user(&me, [].into());
        m.credentials
            .expect_password_hash()
            .returning(|_| Ok(Some(PasswordHash::new("old"))));
        m.hasher
            .expect_verify()
            .returning(|_, _| Ok(Verification::Mismatch));
        m.hasher.expect_hash().times(0);
        m.credentials.expect_set_password_hash().times(0);
        let service = MeService::new(&m.ports());
        let err = service
            .change_password(
                &actor_of(&me, [].into()),
                PlainPassword::new("guess"),
                PlainPassword::new("quiet-harbor-lamp"),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), "wrong_password");
    }

    use crate::ports::sessions::{FailureCount, MockLoginThrottleStore};
    use crate::registration::{ThrottleKey, ThrottlePolicy};
    use crate::services::testing::now;
    use std::sync::Arc;

    fn throttle_with(seen: FailureCount, me: &User, failures: usize) -> MockLoginThrottleStore {
        let key = ThrottleKey::login_id(&me.login_id);
        let mut t = MockLoginThrottleStore::new();
        let read = key.clone();
        t.expect_failures_since()
            .withf(move |k, _| *k == read)
            .times(1)
            .returning(move |_, _| Ok(seen));
        t.expect_record_failure()
            .with(eq(key), eq(now()))
            .times(failures)
            .returning(|_, _| Ok(()));
        t
    }

    #[tokio::test]
    async fn s3_wrong_current_password_counts_against_the_login_id() {
        let me = user("me");
        let mut m = Mocks::new();
        m.with_user(&me, [].into());
        m.credentials
            .expect_password_hash()
            .returning(|_| Ok(Some(PasswordHash::new("old"))));
        m.hasher
            .expect_verify()
            .times(1)
            .returning(|_, _| Ok(Verification::Mismatch));
        m.credentials.expect_set_password_hash().times(0);
        let throttle = throttle_with(FailureCount::default(), &me, 1);
        let service = MeService::new(&m.ports())
            .with_throttle(Arc::new(throttle), ThrottlePolicy::per_login_id());
        let err = service
            .change_password(
                &actor_of(&me, [].into()),
                PlainPassword::new("guess"),
                PlainPassword::new("quiet-harbor-lamp"),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), "wrong_password");
    }

    #[tokio::test]
    async fn s3_locked_login_id_is_refused_before_verifying_and_nothing_written() {
        let me = user("me");
        let mut m = Mocks::new();
        m.with_user(&me, [].into());
        m.credentials.expect_password_hash().times(0);
        m.hasher.expect_verify().times(0);
        m.credentials.expect_set_password_hash().times(0);
        let locked = FailureCount {
            count: 5,
            last_at: Some(now()),
        };
        let throttle = throttle_with(locked, &me, 0);
        let service = MeService::new(&m.ports())
            .with_throttle(Arc::new(throttle), ThrottlePolicy::per_login_id());
        let err = service
            .change_password(
                &actor_of(&me, [].into()),
                PlainPassword::new("guess"),
                PlainPassword::new("quiet-harbor-lamp"),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), "too_many_attempts");
        let MeError::Throttled(t) = err else {
            panic!("expected a throttle, got {err:?}");
        };
        assert!(t.0.seconds() > 0, "the answer carries Retry-After");
    }

    #[tokio::test]
    async fn u1_new_password_policy_checked_before_verifying() {
        let me = user("me");
        let mut m = Mocks::new();
        m.with_user(&me, [].into());
        m.hasher.expect_verify().times(0);
        m.credentials.expect_set_password_hash().times(0);
        let service = MeService::new(&m.ports());
        let err = service
            .change_password(
                &actor_of(&me, [].into()),
                PlainPassword::new("old secret"),
                PlainPassword::new("short"),
            )
            .await
            .unwrap_err();
        let MeError::Invalid(fields) = err else {
            panic!("expected a validation error, got {err:?}");
        };
        assert_eq!(fields[0].field, "new_password");
    }

    #[tokio::test]
    async fn c9_busy_hasher_reported() {
        let me = user("me");
        let mut m = Mocks::new();
        m.with_user(&me, [].into());
        m.credentials
            .expect_password_hash()
            .returning(|_| Ok(Some(PasswordHash::new("old"))));
        m.hasher
            .expect_verify()
            .returning(|_, _| Err(HashError::Busy));
        m.credentials.expect_set_password_hash().times(0);
        let service = MeService::new(&m.ports());
        let err = service
            .change_password(
                &actor_of(&me, [].into()),
                PlainPassword::new("old secret"),
                PlainPassword::new("quiet-harbor-lamp"),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), "busy");
    }
}
