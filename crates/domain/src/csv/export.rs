//! Export (C7): the import format without the password columns, every value neutralised
//! against spreadsheet formulas and escaped against the clear marker, so that importing an
//! export in update mode changes nothing.

use super::cell::encode_cell;
use super::header::Column;
use crate::group::GroupName;
use crate::user::User;
use crate::user::expiry::format_expiry;

/// The export's columns: `login_id, name, email, groups, status, expires_at`, then one per
/// custom field key. Never a password.
pub fn export_header(field_keys: &[String]) -> Vec<String> {
    export_columns(field_keys)
        .map(|column| column.name().to_owned())
        .collect()
}

fn export_columns(field_keys: &[String]) -> impl Iterator<Item = Column> + '_ {
    [
        Column::LoginId,
        Column::Name,
        Column::Email,
        Column::Groups,
        Column::Status,
        Column::ExpiresAt,
    ]
    .into_iter()
    .chain(field_keys.iter().cloned().map(Column::Attribute))
}

/// One user's cells, in [`export_header`]'s order. `group_names` are the user's direct
/// groups, written `;`-separated (group names cannot contain `;`).
pub fn export_record(user: &User, group_names: &[GroupName], field_keys: &[String]) -> Vec<String> {
    export_columns(field_keys)
        .map(|column| {
            let value = match &column {
                Column::LoginId => user.login_id.as_str().to_owned(),
                Column::Name => user.name.as_str().to_owned(),
                Column::Email => user
                    .email
                    .as_ref()
                    .map(|e| e.as_str().to_owned())
                    .unwrap_or_default(),
                Column::Groups => group_names
                    .iter()
                    .map(GroupName::as_str)
                    .collect::<Vec<_>>()
                    .join(";"),
                Column::Status => user.status.as_str().to_owned(),
                Column::ExpiresAt => user.expires_at.map(format_expiry).unwrap_or_default(),
                Column::Attribute(key) => user.attributes.get(key).cloned().unwrap_or_default(),
                // Never exported; listed so a new column cannot be forgotten here.
                Column::Password | Column::PasswordHash => String::new(),
            };
            encode_cell(&value).into_owned()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user::user::fixtures::user;
    use crate::user::{Email, UserStatus};
    use chrono::{TimeZone, Utc};

    fn keys() -> Vec<String> {
        vec!["dept".into(), "note".into()]
    }

    #[test]
    fn c7_header_has_no_password_and_ends_with_custom_fields() {
        assert_eq!(
            export_header(&keys()),
            [
                "login_id",
                "name",
                "email",
                "groups",
                "status",
                "expires_at",
                "dept",
                "note"
            ]
        );
        assert!(!export_header(&[]).iter().any(|c| c.contains("password")));
    }

    #[test]
    fn c7_record_matches_the_header_and_neutralises_formulas() {
        let mut u = user("=cmd");
        u.email = Some(Email::parse("-x@example.com").unwrap());
        u.status = UserStatus::Pending;
        u.expires_at = Some(Utc.with_ymd_and_hms(2030, 3, 31, 15, 0, 0).unwrap());
        u.attributes.insert("dept".into(), "@SUM(1)".into());
        let groups = [
            GroupName::parse("+Math").unwrap(),
            GroupName::parse("Art").unwrap(),
        ];
        let record = export_record(&u, &groups, &keys());
        assert_eq!(
            record,
            [
                "'=cmd",
                "'=cmd",
                "'-x@example.com",
                "'+Math;Art",
                "pending",
                "2030-03-31T15:00:00Z",
                "'@SUM(1)",
                ""
            ]
        );
        assert_eq!(record.len(), export_header(&keys()).len());
    }

    #[test]
    fn c7_a_value_equal_to_the_clear_marker_is_escaped() {
        let mut u = user("alice");
        u.attributes.insert("note".into(), "<clear>".into());
        let record = export_record(&u, &[], &keys());
        assert_eq!(record[7], "'<clear>");
        assert_eq!(record[3], "", "no groups: empty cell");
    }
}
