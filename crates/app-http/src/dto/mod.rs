//! The JSON shapes of the API and their conversions to and from domain types. Request DTOs
//! parse into domain commands here, collecting every field error at once (422); response
//! DTOs are built from domain values and never carry a secret.

mod application;
mod audit;
mod csv_body;
mod csv_file;
mod enums;
mod explain;
mod fields;
mod grant;
mod grant_input;
mod group;
mod imports;
mod integration;
mod integration_input;
mod invitation;
mod mail;
mod records;
mod registration_settings;
mod registration_url;
mod user;
mod user_input;

pub use audit::{
    AUDIT_CSV_HEADER, AuditEntryView, AuditFormat, AuditOutcomeDto, AuditPage, AuditQuery,
    audit_csv_record,
};
pub use csv_file::CsvFile;

pub use application::{
    ActivatedView, ApplicationPage, ApplicationStatusDto, ApplicationView, AppliedView, ApplyBody,
    DecisionBody, DecisionView, TokenBody,
};
pub use csv_body::CsvBody;
pub use enums::{PrivilegeDto, ScopeKind, UserStatusDto};
pub use explain::{ExplainBody, ExplanationView, PathStepKind, PathStepView};
pub use fields::Fields;
pub use grant::{GrantView, ScopeDto};
pub use grant_input::{GrantPage, NewGrantBody, grant_query};
pub use group::{GroupDetailsView, GroupPage, GroupPatchBody, GroupView, NewGroupBody};
pub use imports::{
    ExportEncodingDto, ImportAccepted, ImportJobView, ImportModeDto, ImportRowErrorView,
    ImportStatusDto,
};
pub use integration::{IntegrationDetailsView, IntegrationItemView, IntegrationPage, PreviewView};
pub use integration_input::{
    BulkResultView, CancelBody, CancelResultsView, PairBody, pairs_of_csv, parse_bound,
};
pub use invitation::{InvitationView, ResetAccepted, ResetRequestBody, TokenPasswordBody};
pub use mail::{
    MailKindDto, MailStatusDto, NotificationsDto, PreviewBody, QueuedMailPage, RenderedDto,
    TemplateBody, TemplateDto, TemplateList,
};
pub use records::{
    AccessLogPage, AccessLogView, BadgePage, BadgeView, CertificatePage, CertificateView,
    NewBadgeBody, NewCertificateBody, NewScoreBody, ScorePage, ScoreView,
};
pub use registration_settings::{
    FieldTypeDto, NewUserFieldBody, RegistrationSettingsDto, UserFieldList, UserFieldPatchBody,
    UserFieldView,
};
pub use registration_url::{
    CodeBody, CodeView, PublishOutcomeDto, PublishUrlsBody, PublishedUrl, PublishedUrls,
    RegistrationUrlPage, RegistrationUrlView, StopUrlsBody, StoppedUrls, UrlPatchBody,
    UrlStatusDto,
};
pub use user::{UserPage, UserView};
pub use user_input::{NewUserBody, PasswordBody, UserPatchBody};
