//! The API, one `#[OpenApi]` struct per resource, combined into one OpenAPI service.

mod explain;
mod grants;
mod groups;
mod mail_queue;
mod me;
mod notifications;
mod ops;
mod session;
mod templates;
mod users;

use poem_openapi::{OpenApiService, Tags};

/// The API's sections in the OpenAPI document.
#[derive(Debug, Tags)]
pub enum Tag {
    /// Logging in and out.
    Session,
    /// The caller's own account.
    Me,
    /// Users (U1–U7).
    Users,
    /// Groups, nesting and membership (G1–G5).
    Groups,
    /// Privileges, scopes and the explain call (P1–P6).
    Grants,
    /// Mail: templates, notification switches and the queue (M2–M4).
    Mail,
    /// Health and readiness.
    Ops,
}

/// Every endpoint of the API.
pub type Api = (
    session::SessionApi,
    me::MeApi,
    users::UsersApi,
    groups::GroupsApi,
    grants::GrantsApi,
    explain::ExplainApi,
    notifications::NotificationsApi,
    templates::TemplatesApi,
    mail_queue::MailQueueApi,
    ops::OpsApi,
);

/// The OpenAPI service of the whole API; `server` is where it is mounted.
pub fn service(server: &str) -> OpenApiService<Api, ()> {
    let service = OpenApiService::new(
        (
            session::SessionApi,
            me::MeApi,
            users::UsersApi,
            groups::GroupsApi,
            grants::GrantsApi,
            explain::ExplainApi,
            notifications::NotificationsApi,
            templates::TemplatesApi,
            mail_queue::MailQueueApi,
            ops::OpsApi,
        ),
        "Roster",
        env!("CARGO_PKG_VERSION"),
    )
    .summary("User management for an e-learning platform")
    .description(
        "Users, groups, privileges and scopes. Errors are RFC 9457 problem details with a \
         stable `code`. Authenticate with `POST /api/v1/auth/login`, then send \
         `Authorization: Bearer <token>`.",
    );
    if server.is_empty() {
        service
    } else {
        service.server(server)
    }
}
