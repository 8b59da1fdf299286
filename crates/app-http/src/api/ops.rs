//! Liveness and readiness (O4): `/healthz` answers while the process runs; `/readyz` only
//! while the database answers too.

use super::Tag;
use crate::state::Roster;
use poem::web::Data;
use poem_openapi::payload::PlainText;
use poem_openapi::{ApiResponse, OpenApi};

#[derive(ApiResponse)]
enum Health {
    /// Up.
    #[oai(status = 200)]
    Ok(PlainText<&'static str>),
}

#[derive(ApiResponse)]
enum Readiness {
    /// Ready to serve.
    #[oai(status = 200)]
    Ready(PlainText<&'static str>),
    /// Not ready: the database does not answer.
    #[oai(status = 503)]
    NotReady(PlainText<&'static str>),
}

/// Operations endpoints.
#[derive(Debug)]
pub struct OpsApi;

#[OpenApi(tag = "Tag::Ops")]
impl OpsApi {
    /// Liveness: the process is up.
    #[oai(path = "/healthz", method = "get", operation_id = "healthz")]
    async fn healthz(&self) -> Health {
        Health::Ok(PlainText("ok"))
    }

    /// Readiness: the database answers.
    #[oai(path = "/readyz", method = "get", operation_id = "readyz")]
    async fn readyz(&self, roster: Data<&Roster>) -> Readiness {
        match roster.readiness.check().await {
            Ok(()) => Readiness::Ready(PlainText("ready")),
            Err(reason) => {
                tracing::warn!(%reason, "not ready");
                Readiness::NotReady(PlainText("not ready"))
            }
        }
    }
}
