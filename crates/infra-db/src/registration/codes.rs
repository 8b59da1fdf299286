//! A5: registration codes — rows to domain codes, and the one conditional increment that
//! counts a use, shared by `consume_code` and the application submission.

use super::rows::{code, url};
use crate::convert::{instant_opt, micros};
use crate::error::{corrupt, unexpected};
use chrono::{DateTime, Utc};
use roster_domain::Unexpected;
use roster_domain::ports::registration::ConsumeCodeError;
use roster_domain::registration::{AuthCode, CodeText, UrlRefusal, UrlStatus};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

/// The storage word of a URL status.
pub(super) fn parse_status(word: &str) -> Result<UrlStatus, Unexpected> {
    match word {
        "active" => Ok(UrlStatus::Active),
        "stopped" => Ok(UrlStatus::Stopped),
        other => Err(corrupt("registration URL status", other)),
    }
}

/// A stored code as the domain's.
pub(super) fn auth_code(row: &code::Model) -> Result<AuthCode, Unexpected> {
    let text = CodeText::parse(&row.code).map_err(|e| corrupt("registration code", e))?;
    let max_uses = row
        .max_uses
        .map(u32::try_from)
        .transpose()
        .map_err(|e| corrupt("registration code maximum", e))?;
    let uses = u32::try_from(row.uses).map_err(|e| corrupt("registration code uses", e))?;
    AuthCode::restore(text, instant_opt(row.expires_at)?, max_uses, uses)
        .map_err(|e| corrupt("registration code", e))
}

/// Counts one use of `text` on the active URL `url_id`, in one conditional UPDATE: it
/// matches only while the URL is active and the code exists, is unexpired at `now` and has
/// uses left, so racing applicants cannot exceed `max_uses`. Only after it matched nothing
/// are the rows read again, to say why.
pub(super) async fn consume_in(
    conn: &impl ConnectionTrait,
    url_id: Uuid,
    text: &CodeText,
    now: DateTime<Utc>,
) -> Result<(), ConsumeCodeError> {
    let active_url = Query::select()
        .column(url::Column::Id)
        .from(url::Entity)
        .and_where(Expr::col(url::Column::Id).eq(url_id))
        .and_where(Expr::col(url::Column::Status).eq(UrlStatus::Active.as_str()))
        .to_owned();
    let counted = code::Entity::update_many()
        .col_expr(code::Column::Uses, Expr::col(code::Column::Uses).add(1))
        .filter(code::Column::UrlId.eq(url_id))
        .filter(code::Column::Code.eq(text.as_str()))
        .filter(code::Column::UrlId.in_subquery(active_url))
        .filter(
            Condition::any()
                .add(code::Column::MaxUses.is_null())
                .add(Expr::col(code::Column::Uses).lt(Expr::col(code::Column::MaxUses))),
        )
        .filter(
            Condition::any()
                .add(code::Column::ExpiresAt.is_null())
                .add(code::Column::ExpiresAt.gt(micros(now))),
        )
        .exec(conn)
        .await
        .map_err(unexpected)?;
    if counted.rows_affected == 1 {
        return Ok(());
    }
    Err(ConsumeCodeError::Refused(
        why_refused(conn, url_id, text, now).await?,
    ))
}

async fn why_refused(
    conn: &impl ConnectionTrait,
    url_id: Uuid,
    text: &CodeText,
    now: DateTime<Utc>,
) -> Result<UrlRefusal, Unexpected> {
    let Some(url) = url::Entity::find_by_id(url_id)
        .one(conn)
        .await
        .map_err(unexpected)?
    else {
        return Ok(UrlRefusal::NotFound);
    };
    if parse_status(&url.status)? == UrlStatus::Stopped {
        return Ok(UrlRefusal::Stopped);
    }
    let row = code::Entity::find_by_id((url_id, text.as_str().to_owned()))
        .one(conn)
        .await
        .map_err(unexpected)?;
    let Some(row) = row else {
        return Ok(UrlRefusal::CodeInvalid);
    };
    // The same rule as the UPDATE; a code that passes it here was changed meanwhile, and
    // "used up" is the closest honest answer to a lost race.
    Ok(auth_code(&row)?
        .check_usable(now)
        .err()
        .unwrap_or(UrlRefusal::CodeUsedUp))
}
