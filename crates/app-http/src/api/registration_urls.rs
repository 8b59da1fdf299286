//! A5: registration URLs — `GET/POST /api/v1/registration-urls`, `PATCH …/{id}`,
//! `POST …/stop`, `GET …/export` (CSV: group, URL, status). `admin.settings` over each
//! group; the domain decides, audits, and hides codes from those who could not publish.

use super::Tag;
use crate::auth::Session;
use crate::dto::{
    PublishUrlsBody, PublishedUrl, PublishedUrls, RegistrationUrlPage, RegistrationUrlView,
    StopUrlsBody, StoppedUrls, UrlPatchBody, UrlStatusDto,
};
use crate::problem::ApiResult;
use crate::state::Roster;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::{ApiResponse, OpenApi};
use roster_domain::ids::{GroupId, RegistrationUrlId};
use roster_domain::ports::PageRequest;
use roster_domain::services::joining::UrlExportRow;
use uuid::Uuid;

#[derive(ApiResponse)]
enum UrlList {
    /// One page of the URLs in scope.
    #[oai(status = 200)]
    Ok(Json<RegistrationUrlPage>),
}

#[derive(ApiResponse)]
enum Published {
    /// What happened for each group.
    #[oai(status = 200)]
    Ok(Json<PublishedUrls>),
}

#[derive(ApiResponse)]
enum UrlFound {
    /// The URL as it now is.
    #[oai(status = 200)]
    Ok(Json<RegistrationUrlView>),
}

#[derive(ApiResponse)]
enum Stopped {
    /// The URLs stopped (a stopped URL stays stopped).
    #[oai(status = 200)]
    Ok(Json<StoppedUrls>),
}

#[derive(ApiResponse)]
enum Export {
    /// `group,url,status`, one row per URL, UTF-8.
    #[oai(status = 200, content_type = "text/csv; charset=utf-8")]
    Ok(
        PlainText<String>,
        #[oai(header = "Content-Disposition")] String,
    ),
}

/// Registration URL endpoints.
#[derive(Debug)]
pub struct RegistrationUrlsApi;

#[OpenApi(prefix_path = "/api/v1/registration-urls", tag = "Tag::Registration")]
impl RegistrationUrlsApi {
    /// The URLs of the groups in the caller's `admin.settings` scope, in creation order.
    #[oai(path = "/", method = "get", operation_id = "list_registration_urls")]
    async fn list(
        &self,
        roster: Data<&Roster>,
        session: Session,
        /// Only URLs with this status.
        status: Query<Option<UrlStatusDto>>,
        /// Page size, 1–500 (50 by default).
        limit: Query<Option<u32>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<UrlList> {
        let page = roster
            .urls
            .list(
                &session.0,
                status.0.map(Into::into),
                PageRequest::new(limit.0, cursor.0),
            )
            .await?;
        let urls = &roster.urls;
        Ok(UrlList::Ok(Json(RegistrationUrlPage::new(page, |u| {
            urls.link(u)
        }))))
    }

    /// Publish a URL for each group (A5); a stopped one is resumed with its link and codes.
    /// The codes apply to the URLs created.
    #[oai(
        path = "/",
        method = "post",
        operation_id = "publish_registration_urls"
    )]
    async fn publish(
        &self,
        roster: Data<&Roster>,
        session: Session,
        body: Json<PublishUrlsBody>,
    ) -> ApiResult<Published> {
        let (groups, codes) = body.0.parse_codes()?;
        let groups = groups.into_iter().map(GroupId::from_uuid).collect();
        let results = roster.urls.publish(&session.0, groups, codes).await?;
        let items = results
            .into_iter()
            .map(|r| {
                let link = roster.urls.link(&r.url);
                PublishedUrl {
                    outcome: r.outcome.into(),
                    url: RegistrationUrlView::new(r.url, link, false),
                }
            })
            .collect();
        Ok(Published::Ok(Json(PublishedUrls { items })))
    }

    /// Edit a URL's codes and/or status.
    #[oai(
        path = "/:id",
        method = "patch",
        operation_id = "update_registration_url"
    )]
    async fn update(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        body: Json<UrlPatchBody>,
    ) -> ApiResult<UrlFound> {
        let patch = body.0.parse()?;
        let url = roster
            .urls
            .edit(&session.0, RegistrationUrlId::from_uuid(id.0), patch)
            .await?;
        let link = roster.urls.link(&url);
        Ok(UrlFound::Ok(Json(RegistrationUrlView::new(
            url, link, false,
        ))))
    }

    /// Stop several URLs at once; all or none (an unknown id stops nothing).
    #[oai(
        path = "/stop",
        method = "post",
        operation_id = "stop_registration_urls"
    )]
    async fn stop(
        &self,
        roster: Data<&Roster>,
        session: Session,
        body: Json<StopUrlsBody>,
    ) -> ApiResult<Stopped> {
        let ids = body
            .0
            .ids
            .into_iter()
            .map(RegistrationUrlId::from_uuid)
            .collect();
        let stopped = roster.urls.stop(&session.0, ids).await?;
        Ok(Stopped::Ok(Json(StoppedUrls {
            ids: stopped.into_iter().map(|i| i.as_uuid()).collect(),
        })))
    }

    /// Download the URLs in scope as CSV: group, URL, status (no codes).
    #[oai(
        path = "/export",
        method = "get",
        operation_id = "export_registration_urls"
    )]
    async fn export(&self, roster: Data<&Roster>, session: Session) -> ApiResult<Export> {
        let rows = roster.urls.export_rows(&session.0).await?;
        Ok(Export::Ok(
            PlainText(csv(&rows)),
            "attachment; filename=\"registration-urls.csv\"".to_owned(),
        ))
    }
}

/// RFC 4180 with every cell quoted; a cell a spreadsheet would run as a formula gets a
/// leading `'` (group names are administrator input).
fn csv(rows: &[UrlExportRow]) -> String {
    let mut out = String::from("group,url,status\r\n");
    for row in rows {
        let cells = [row.group_name.as_str(), &row.url, row.status.as_str()];
        let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

fn cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_domain::registration::UrlStatus;

    #[test]
    fn a5_csv_quotes_and_defuses_formulas() {
        let rows = [UrlExportRow {
            group_name: "=cmd \"x\"".into(),
            url: "https://x/register/t".into(),
            status: UrlStatus::Stopped,
        }];
        assert_eq!(
            csv(&rows),
            "group,url,status\r\n\"'=cmd \"\"x\"\"\",\"https://x/register/t\",\"stopped\"\r\n"
        );
    }
}
