//! Enumerations as the API spells them (the domain's serde names).

use poem_openapi::Enum;
use roster_domain::authz::Privilege;
use roster_domain::user::UserStatus;

/// A privilege (P1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum PrivilegeDto {
    /// See users, groups and the integration list.
    #[oai(rename = "users.view")]
    UsersView,
    /// Register, invite, edit, disable, delete users; groups; CSV; integrations.
    #[oai(rename = "users.edit")]
    UsersEdit,
    /// Teaching materials (checked by the host LMS).
    #[oai(rename = "materials.manage")]
    MaterialsManage,
    /// Assigning material folders (checked by the host LMS).
    #[oai(rename = "materials.assign")]
    MaterialsAssign,
    /// Other users' scores.
    #[oai(rename = "grades.view")]
    GradesView,
    /// Granting and revoking privileges.
    #[oai(rename = "admin.authorization")]
    AdminAuthorization,
    /// Notification settings.
    #[oai(rename = "admin.notifications")]
    AdminNotifications,
    /// Email templates.
    #[oai(rename = "admin.email_templates")]
    AdminEmailTemplates,
    /// Registration settings, registration URLs, user fields.
    #[oai(rename = "admin.settings")]
    AdminSettings,
}

impl From<PrivilegeDto> for Privilege {
    fn from(p: PrivilegeDto) -> Self {
        match p {
            PrivilegeDto::UsersView => Self::UsersView,
            PrivilegeDto::UsersEdit => Self::UsersEdit,
            PrivilegeDto::MaterialsManage => Self::MaterialsManage,
            PrivilegeDto::MaterialsAssign => Self::MaterialsAssign,
            PrivilegeDto::GradesView => Self::GradesView,
            PrivilegeDto::AdminAuthorization => Self::AdminAuthorization,
            PrivilegeDto::AdminNotifications => Self::AdminNotifications,
            PrivilegeDto::AdminEmailTemplates => Self::AdminEmailTemplates,
            PrivilegeDto::AdminSettings => Self::AdminSettings,
        }
    }
}

impl From<Privilege> for PrivilegeDto {
    fn from(p: Privilege) -> Self {
        match p {
            Privilege::UsersView => Self::UsersView,
            Privilege::UsersEdit => Self::UsersEdit,
            Privilege::MaterialsManage => Self::MaterialsManage,
            Privilege::MaterialsAssign => Self::MaterialsAssign,
            Privilege::GradesView => Self::GradesView,
            Privilege::AdminAuthorization => Self::AdminAuthorization,
            Privilege::AdminNotifications => Self::AdminNotifications,
            Privilege::AdminEmailTemplates => Self::AdminEmailTemplates,
            Privilege::AdminSettings => Self::AdminSettings,
        }
    }
}

/// A user's status (U2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum UserStatusDto {
    /// May log in.
    Valid,
    /// Disabled by an administrator.
    Invalid,
    /// Invited; no password yet.
    Pending,
}

impl From<UserStatusDto> for UserStatus {
    fn from(s: UserStatusDto) -> Self {
        match s {
            UserStatusDto::Valid => Self::Valid,
            UserStatusDto::Invalid => Self::Invalid,
            UserStatusDto::Pending => Self::Pending,
        }
    }
}

impl From<UserStatus> for UserStatusDto {
    fn from(s: UserStatus) -> Self {
        match s {
            UserStatus::Valid => Self::Valid,
            UserStatus::Invalid => Self::Invalid,
            UserStatus::Pending => Self::Pending,
        }
    }
}

/// The kind of a grant's scope (P2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ScopeKind {
    /// Everywhere, users in no group included.
    All,
    /// The listed groups and everything below them.
    Groups,
    /// The groups the holder is a direct member of, and everything below them.
    MemberGroups,
}
