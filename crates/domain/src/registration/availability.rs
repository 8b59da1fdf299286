//! A6: which login IDs can be applied for, and what the public answer may reveal.
//!
//! Decision on enumeration:
//! - **Login ID taken — said.** The form cannot work otherwise: the applicant must pick
//!   another ID, and every sign-up form reveals this much. The answer is the same
//!   `login_id_taken` whether a user or an open application holds the ID, so it does not
//!   tell accounts from pending applications. Bulk probing is the throttle's job:
//!   `ApplicationService::submit` takes the client address, refuses a locked address with
//!   `too_many_attempts` before checking anything, and counts each `login_id_taken` (and
//!   each wrong, expired or used-up code) as a failure under the S3 per-address policy.
//! - **Email taken — never said.** Emails are not unique among users (U1: one address may
//!   serve a family or a class), so there is nothing to refuse, and the service answers an
//!   application identically whether or not the address is known. Whatever the address
//!   owner should learn (an account already uses this address) goes only into the mail to
//!   that address, where only its owner reads it. Activation needs the link in that mail,
//!   so applying with someone else's address gains nothing.
//! - The check runs before hashing the password, but the service should hash anyway (or
//!   compare against a dummy) so the time of a taken answer does not differ from a free one.
//!
//! Which applications hold an ID: the open ones (`not_activated`, `unapproved`). An
//! approved application's ID is held by its user; a `not_approved` one frees its ID so the
//! person can apply again. Storage enforces the same rule when inserting (a unique index on
//! open applications plus the user table, checked in one transaction), so a race between
//! this check and the insert still ends in `login_id_taken`.

use super::application::ApplicationError;

/// A6: refuses an ID held by a user or by an open application, with the one public answer.
pub fn check_login_id_available(
    taken_by_user: bool,
    taken_by_open_application: bool,
) -> Result<(), ApplicationError> {
    if taken_by_user || taken_by_open_application {
        Err(ApplicationError::LoginIdTaken)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn a6_taken_by_user_or_open_application_gives_one_answer() {
        assert_eq!(check_login_id_available(false, false), Ok(()));
        let by_user = check_login_id_available(true, false).unwrap_err();
        let by_application = check_login_id_available(false, true).unwrap_err();
        let by_both = check_login_id_available(true, true).unwrap_err();
        assert_eq!(by_user, by_application);
        assert_eq!(by_user, by_both);
        assert_eq!(by_user.code(), "login_id_taken");
        assert_eq!(by_user.to_string(), by_application.to_string());
    }
}
