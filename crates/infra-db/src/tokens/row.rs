//! The `one_time_tokens` row (U5, A2, U10), shared by every writer of single-use links: the
//! token store, and the joining and import adapters that issue links in their own
//! transactions (use [`insert_token`] there, so every writer stores the same columns).

use crate::convert::{instant, instant_opt, micros, micros_opt};
use crate::error::corrupt;
use roster_domain::Unexpected;
use roster_domain::ids::{ApplicationId, UserId};
use roster_domain::ports::tokens::REVOKED_WITH_CREDENTIALS;
use roster_domain::registration::{OneTimeToken, TokenHash, TokenPurpose, TokenSubject};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, Condition, ConnectionTrait};

/// The `one_time_tokens` table.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "one_time_tokens")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    pub purpose: String,
    pub subject_user_id: Option<Uuid>,
    pub subject_application_id: Option<Uuid>,
    pub issued_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The stored word of a purpose back as the purpose.
fn purpose(word: &str) -> Option<TokenPurpose> {
    [
        TokenPurpose::Invitation,
        TokenPurpose::Activation,
        TokenPurpose::PasswordReset,
    ]
    .into_iter()
    .find(|p| p.as_str() == word)
}

impl TryFrom<Model> for OneTimeToken {
    type Error = Unexpected;

    fn try_from(row: Model) -> Result<Self, Self::Error> {
        let subject = match (row.subject_user_id, row.subject_application_id) {
            (Some(user), None) => TokenSubject::User(UserId::from_uuid(user)),
            (None, Some(application)) => {
                TokenSubject::Application(ApplicationId::from_uuid(application))
            }
            _ => return Err(corrupt("token subject", "not exactly one subject")),
        };
        Ok(OneTimeToken {
            purpose: purpose(&row.purpose).ok_or_else(|| corrupt("token purpose", &row.purpose))?,
            subject,
            token_hash: TokenHash::from_hex(&row.token_hash)
                .map_err(|e| corrupt("token hash", e))?,
            issued_at: instant(row.issued_at)?,
            expires_at: instant(row.expires_at)?,
            used_at: instant_opt(row.used_at)?,
        })
    }
}

/// The subject's two columns: (user, application), exactly one set.
pub(crate) fn subject_columns(subject: TokenSubject) -> (Option<Uuid>, Option<Uuid>) {
    match subject {
        TokenSubject::User(user) => (Some(user.as_uuid()), None),
        TokenSubject::Application(application) => (None, Some(application.as_uuid())),
    }
}

/// The row of `token`.
pub(crate) fn row_of(token: &OneTimeToken) -> ActiveModel {
    let (user, application) = subject_columns(token.subject);
    ActiveModel {
        token_hash: Set(token.token_hash.to_hex()),
        purpose: Set(token.purpose.as_str().to_owned()),
        subject_user_id: Set(user),
        subject_application_id: Set(application),
        issued_at: Set(micros(token.issued_at)),
        expires_at: Set(micros(token.expires_at)),
        used_at: Set(micros_opt(token.used_at)),
    }
}

/// Stores `token` on `conn` (the pool or the writer's transaction).
pub(crate) async fn insert_token(
    conn: &impl ConnectionTrait,
    token: &OneTimeToken,
) -> Result<(), DbErr> {
    Entity::insert(row_of(token))
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// How many links one multi-row statement carries: 7 parameters each, well under every
/// backend's bind limit.
const TOKENS_PER_STATEMENT: usize = 2_000;

/// U5: stores `tokens`, each replacing every earlier link of its purpose and subject (used or
/// not) — the one place links are issued, for the token store and the CSV import alike. The
/// earlier links are found by purpose and `IN` lists of subjects, not one condition per
/// token, so a large batch stays within SQLite's expression depth.
pub(crate) async fn replace_tokens(
    conn: &impl ConnectionTrait,
    tokens: &[&OneTimeToken],
) -> Result<(), DbErr> {
    for part in tokens.chunks(TOKENS_PER_STATEMENT) {
        for purpose in [
            TokenPurpose::Invitation,
            TokenPurpose::Activation,
            TokenPurpose::PasswordReset,
        ] {
            let (users, applications): (Vec<_>, Vec<_>) = part
                .iter()
                .filter(|t| t.purpose == purpose)
                .map(|t| subject_columns(t.subject))
                .unzip();
            let users: Vec<Uuid> = users.into_iter().flatten().collect();
            let applications: Vec<Uuid> = applications.into_iter().flatten().collect();
            if users.is_empty() && applications.is_empty() {
                continue;
            }
            Entity::delete_many()
                .filter(Column::Purpose.eq(purpose.as_str()))
                .filter(
                    Condition::any()
                        .add(Column::SubjectUserId.is_in(users))
                        .add(Column::SubjectApplicationId.is_in(applications)),
                )
                .exec(conn)
                .await?;
        }
        Entity::insert_many(part.iter().map(|t| row_of(t)))
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// The condition selecting the tokens of `purpose` and `subject`, used or not.
pub(crate) fn of_subject(purpose: TokenPurpose, subject: TokenSubject) -> Condition {
    let subject = match subject {
        TokenSubject::User(user) => Column::SubjectUserId.eq(user.as_uuid()),
        TokenSubject::Application(application) => {
            Column::SubjectApplicationId.eq(application.as_uuid())
        }
    };
    Condition::all()
        .add(Column::Purpose.eq(purpose.as_str()))
        .add(subject)
}

/// U5, U10: deletes the user's unused links of the purposes in [`REVOKED_WITH_CREDENTIALS`]
/// (password reset, invitation), inside the writer's transaction. Returns how many.
pub(crate) async fn delete_credential_links(
    conn: &impl ConnectionTrait,
    user: UserId,
) -> Result<u64, DbErr> {
    let purposes = REVOKED_WITH_CREDENTIALS.map(TokenPurpose::as_str);
    let result = Entity::delete_many()
        .filter(Column::SubjectUserId.eq(user.as_uuid()))
        .filter(Column::Purpose.is_in(purposes))
        .filter(Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}
