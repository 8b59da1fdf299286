//! The JSON shapes of the API and their conversions to and from domain types. Request DTOs
//! parse into domain commands here, collecting every field error at once (422); response
//! DTOs are built from domain values and never carry a secret.

mod enums;
mod explain;
mod fields;
mod grant;
mod grant_input;
mod group;
mod mail;
mod user;
mod user_input;

pub use enums::{PrivilegeDto, ScopeKind, UserStatusDto};
pub use explain::{ExplainBody, ExplanationView, PathStepKind, PathStepView};
pub use fields::Fields;
pub use grant::{GrantView, ScopeDto};
pub use grant_input::{GrantPage, NewGrantBody, grant_query};
pub use group::{GroupDetailsView, GroupPage, GroupPatchBody, GroupView, NewGroupBody};
pub use mail::{
    MailKindDto, MailStatusDto, NotificationsDto, PreviewBody, QueuedMailPage, RenderedDto,
    TemplateBody, TemplateDto, TemplateList,
};
pub use user::{UserPage, UserView};
pub use user_input::{NewUserBody, PasswordBody, UserPatchBody};
