//! The integration store (I5–I10): `IntegrationRepository` for the store — apply and cancel
//! each in one transaction, the list and details, and the bookkeeping a user's deletion
//! asks for (shared with the user store through `integration_links`).

mod apply;
mod cancel;
mod entities;
mod plans;
mod read;
mod row;

use crate::error::unexpected;
use crate::integration_links;
use crate::store::Store;
use chrono::{DateTime, Utc};
use roster_domain::ids::{IntegrationId, UserId};
use roster_domain::integration::{
    Integration, IntegrationDetails, IntegrationFacts, IntegrationPlan,
};
use roster_domain::ports::integrations::{
    ApplyError, CancelError, CancelOutcome, IntegrationFilter, IntegrationRepository,
    IntegrationStoreError, IntegrationSummary,
};
use roster_domain::ports::{Page, PageRequest};

#[async_trait::async_trait]
impl IntegrationRepository for Store {
    async fn apply(
        &self,
        plan: &IntegrationPlan,
        integration: &Integration,
    ) -> Result<(), ApplyError> {
        self.apply_integration(plan, integration).await
    }

    async fn cancel(
        &self,
        id: IntegrationId,
        at: DateTime<Utc>,
        by: UserId,
    ) -> Result<CancelOutcome, CancelError> {
        self.cancel_integration(id, at, by).await
    }

    async fn get(&self, id: IntegrationId) -> Result<Option<Integration>, IntegrationStoreError> {
        self.get_integration(id).await
    }

    async fn list(
        &self,
        filter: &IntegrationFilter,
        page: &PageRequest,
    ) -> Result<Page<IntegrationSummary>, IntegrationStoreError> {
        self.list_integrations(filter, page).await
    }

    async fn live_facts(
        &self,
        source: UserId,
        target: UserId,
    ) -> Result<IntegrationFacts, IntegrationStoreError> {
        self.integration_facts(source, target).await
    }

    async fn details(
        &self,
        id: IntegrationId,
    ) -> Result<Option<IntegrationDetails>, IntegrationStoreError> {
        self.integration_details(id).await
    }

    async fn mark_source_deleted(&self, source: UserId) -> Result<u64, IntegrationStoreError> {
        let marked = integration_links::mark_source_deleted(self.db(), source).await;
        Ok(marked.map_err(unexpected)?)
    }

    async fn remove_for_target(&self, target: UserId) -> Result<u64, IntegrationStoreError> {
        // The stored plans go with their integrations (a cascading foreign key).
        let removed = integration_links::remove_for_target(self.db(), target).await;
        Ok(removed.map_err(unexpected)?)
    }
}
