//! Changing one's own password (U10, P3, S1): the current one proven first.

use super::{MeError, MeService};
use crate::authz::Actor;
use crate::ports::password::{PlainPassword, Verification};
use crate::user::password::Password;

impl MeService {
    /// U10, P3: changes one's own password. The new one passes the policy first (cheap), then
    /// the current one is verified, then the new one is hashed and stored; every session of
    /// the user ends, this one included, and its reset links die (S1, U10, by the credential
    /// store's contract). Errors: `validation_failed`; `wrong_password`
    /// (also when the account has no password); `busy`; `not_found`; `unexpected`.
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
        let stored = self
            .credentials
            .password_hash(user.id)
            .await?
            .ok_or(MeError::WrongPassword)?;
        match self.hasher.verify(&current, &stored).await? {
            Verification::Ok | Verification::OkNeedsRehash => {}
            Verification::Mismatch => return Err(MeError::WrongPassword),
        }
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
    use crate::ports::password::{HashError, PasswordHash};
    use crate::services::testing::{Mocks, actor_of, user};
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
