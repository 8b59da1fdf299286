//! Reading integrations (I5, I10): one, the filtered list newest first, the details from the
//! stored plan, and the live facts `check_integration` needs.

use super::apply::exists;
use super::entities::integration;
use super::plans;
use crate::convert::micros;
use crate::error::unexpected;
use crate::integration_links::is_live_source;
use crate::records::{PageError, key_of, newest_page};
use crate::store::Store;
use roster_domain::ids::{IntegrationId, UserId};
use roster_domain::integration::{
    Integration, IntegrationDetails, IntegrationFacts, IntegrationState,
};
use roster_domain::ports::integrations::{IntegrationFilter, IntegrationStoreError};
use roster_domain::ports::{Page, PageRequest};
use roster_domain::user::login_id::fold;
use sea_orm::EntityTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LikeExpr, Query};

fn col(name: &'static str) -> Expr {
    Expr::col(Alias::new(name))
}

/// `column` contains `needle`, ignoring case: both sides folded as login keys are, with
/// `%`, `_` and the escape character taken literally.
fn contains(column: &'static str, needle: &str) -> Expr {
    let mut pattern = String::from("%");
    for c in fold(needle).chars() {
        if matches!(c, '%' | '_' | '!') {
            pattern.push('!');
        }
        pattern.push(c);
    }
    pattern.push('%');
    col(column).like(LikeExpr::new(pattern).escape('!'))
}

/// The filter as one condition (`TRUE` when nothing is set).
fn condition(filter: &IntegrationFilter) -> Expr {
    let mut all = Expr::val(true).eq(true);
    if let Some(from) = filter.integrated_from {
        all = all.and(col("integrated_at").gte(micros(from)));
    }
    if let Some(to) = filter.integrated_to {
        all = all.and(col("integrated_at").lt(micros(to)));
    }
    if let Some(source) = filter.source_user_id {
        all = all.and(col("source_user_id").eq(source.as_uuid()));
    }
    if let Some(target) = filter.target_user_id {
        all = all.and(col("target_user_id").eq(target.as_uuid()));
    }
    if let Some(text) = &filter.source_login_contains {
        all = all.and(contains("source_login_key", text));
    }
    if let Some(text) = &filter.target_login_contains {
        all = all.and(contains("target_login_key", text));
    }
    if let Some(groups) = &filter.target_in_groups {
        let members = Query::select()
            .column(Alias::new("user_id"))
            .from(Alias::new("memberships"))
            .and_where(col("group_id").is_in(groups.iter().map(|g| g.as_uuid())))
            .to_owned();
        all = all.and(col("target_user_id").in_subquery(members));
    }
    all
}

impl From<PageError> for IntegrationStoreError {
    fn from(error: PageError) -> Self {
        match error {
            PageError::InvalidCursor => Self::InvalidCursor,
            PageError::Unexpected(e) => Self::Unexpected(e),
        }
    }
}

impl Store {
    pub(super) async fn get_integration(
        &self,
        id: IntegrationId,
    ) -> Result<Option<Integration>, IntegrationStoreError> {
        let row = integration::Entity::find_by_id(id.as_uuid())
            .one(self.db())
            .await
            .map_err(unexpected)?;
        Ok(row.map(Integration::try_from).transpose()?)
    }

    pub(super) async fn list_integrations(
        &self,
        filter: &IntegrationFilter,
        page: &PageRequest,
    ) -> Result<Page<Integration>, IntegrationStoreError> {
        let key = |i: &Integration| key_of(i.integrated_at, i.id.as_uuid());
        let filter = condition(filter);
        let db = self.db();
        Ok(newest_page::<integration::Entity, _>(db, filter, "integrated_at", page, key).await?)
    }

    pub(super) async fn integration_details(
        &self,
        id: IntegrationId,
    ) -> Result<Option<IntegrationDetails>, IntegrationStoreError> {
        let Some(integration) = self.get_integration(id).await? else {
            return Ok(None);
        };
        let (plan, _) = plans::load(self.db(), id).await?;
        Ok(Some(IntegrationDetails::from_plan(integration, &plan)))
    }

    pub(super) async fn integration_facts(
        &self,
        source: UserId,
        target: UserId,
    ) -> Result<IntegrationFacts, IntegrationStoreError> {
        let db = self.db();
        let live = Some(IntegrationState::Live);
        Ok(IntegrationFacts {
            source_is_live_source: is_live_source(db, source).await.map_err(unexpected)?,
            source_is_live_target: exists(db, "target_user_id", source, live)
                .await
                .map_err(unexpected)?,
            target_is_live_source: is_live_source(db, target).await.map_err(unexpected)?,
        })
    }
}
