//! The API, one `#[OpenApi]` struct per resource, combined into one OpenAPI service.

mod applications;
mod audit;
mod csv_payload;
mod explain;
mod exports;
mod grants;
mod groups;
mod imports;
mod integrations;
mod invitations;
mod mail_queue;
mod me;
mod notifications;
mod ops;
pub(crate) mod password_reset;
mod records;
mod registration_settings;
mod registration_urls;
mod session;
mod templates;
mod user_fields;
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
    /// The audit log (Z1).
    Audit,
    /// CSV import jobs and export (C1–C9).
    Imports,
    /// Self-registration settings, user information fields and registration URLs (A1, A5, U8).
    Registration,
    /// Account applications (A2–A4).
    Applications,
    /// Learning records: scores, badges, certificates, the access log (L1, L2).
    Records,
    /// Merging two accounts of one person, and cancelling it (I1–I12).
    Integrations,
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
    audit::AuditApi,
    records::RecordsApi,
    integrations::IntegrationsApi,
    (
        notifications::NotificationsApi,
        templates::TemplatesApi,
        mail_queue::MailQueueApi,
    ),
    ops::OpsApi,
    imports::ImportsApi,
    exports::ExportsApi,
    (
        password_reset::PasswordResetApi,
        invitations::InvitationsApi,
        registration_settings::RegistrationSettingsApi,
        user_fields::UserFieldsApi,
        registration_urls::RegistrationUrlsApi,
        applications::ApplicationsApi,
    ),
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
            audit::AuditApi,
            records::RecordsApi,
            integrations::IntegrationsApi,
            (
                notifications::NotificationsApi,
                templates::TemplatesApi,
                mail_queue::MailQueueApi,
            ),
            ops::OpsApi,
            imports::ImportsApi,
            exports::ExportsApi,
            (
                password_reset::PasswordResetApi,
                invitations::InvitationsApi,
                registration_settings::RegistrationSettingsApi,
                user_fields::UserFieldsApi,
                registration_urls::RegistrationUrlsApi,
                applications::ApplicationsApi,
            ),
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
