//! The data set, made before anything is timed: the owner as at first start, 100k users
//! through the import sink (the adapter's bulk path), and one user with a password for the
//! logins.

use chrono::{DateTime, Utc};
use roster_app_http::SystemClock;
use roster_domain::ids::UserId;
use roster_domain::ports::imports::{ImportSink, LineWrite, RowWrite, WriteMode};
use roster_domain::ports::password::{PasswordHasher, PlainPassword};
use roster_domain::ports::users::NewUser;
use roster_domain::services::{OwnerConfig, ensure_owner};
use roster_domain::user::{Attributes, DisplayName, LoginId, UserStatus};
use roster_infra_crypto::{Argon2Hasher, OsTokenGenerator};
use roster_infra_db::Store;
use std::collections::BTreeSet;

/// Users besides the owner and the runner.
pub const USERS: usize = 100_000;
/// The owner, who lists users.
pub const OWNER: &str = "owner";
pub const OWNER_PASSWORD: &str = "Owner-Pass-1234!";
/// The user who logs in during the login phases.
pub const RUNNER: &str = "runner";
pub const RUNNER_PASSWORD: &str = "Correct-Horse-77!";
/// Rows per `write_chunk`, as an import sends them.
const CHUNK: usize = 1_000;

/// Fills `store`; the hasher makes the owner's and the runner's hashes (production cost).
pub async fn seed(store: &Store, hasher: &Argon2Hasher) -> Result<(), String> {
    let owner = OwnerConfig {
        login_id: parse_login(OWNER)?,
        name: parse_name("The Owner")?,
        password: Some(PlainPassword::new(OWNER_PASSWORD)),
    };
    ensure_owner(store, hasher, &OsTokenGenerator, &SystemClock, owner)
        .await
        .map_err(|e| format!("cannot create the owner: {e}"))?;
    let runner_hash = hasher
        .rehash(&PlainPassword::new(RUNNER_PASSWORD))
        .await
        .map_err(|e| format!("cannot hash the runner's password: {e}"))?;

    let now = DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap_or_default();
    let mut rows = Vec::with_capacity(USERS + 1);
    let mut runner = new_user(RUNNER, now)?;
    runner.password_hash = Some(runner_hash);
    rows.push(runner);
    for i in 0..USERS {
        rows.push(new_user(&format!("user{i:06}"), now)?);
    }
    let rows: Vec<LineWrite> = rows
        .into_iter()
        .enumerate()
        .map(|(i, user)| LineWrite {
            line: i as u64 + 2,
            write: RowWrite::Create {
                user,
                invitation: None,
            },
        })
        .collect();

    let mut txn = store
        .begin(WriteMode::AllOrNothing)
        .await
        .map_err(|e| format!("the import sink did not open: {e}"))?;
    for chunk in rows.chunks(CHUNK) {
        txn.write_chunk(chunk)
            .await
            .map_err(|e| format!("a chunk was refused: {e}"))?;
    }
    txn.commit()
        .await
        .map_err(|e| format!("the import sink did not commit: {e}"))
}

fn new_user(login: &str, now: DateTime<Utc>) -> Result<NewUser, String> {
    Ok(NewUser {
        id: UserId::new(),
        login_id: parse_login(login)?,
        name: parse_name(login)?,
        email: None,
        password_hash: None,
        status: UserStatus::Valid,
        expires_at: None,
        attributes: Attributes::new(),
        group_ids: BTreeSet::new(),
        is_owner: false,
        created_at: now,
    })
}

fn parse_login(text: &str) -> Result<LoginId, String> {
    LoginId::parse(text).map_err(|e| format!("{text}: {e}"))
}

fn parse_name(text: &str) -> Result<DisplayName, String> {
    DisplayName::parse(text).map_err(|e| format!("{text}: {e}"))
}
