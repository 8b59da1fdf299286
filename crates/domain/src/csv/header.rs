//! The header line (C1): columns by name, in any order, case-insensitive, trimmed. Unknown,
//! unnamed, ambiguous and duplicate columns are errors, never silently ignored; `login_id` is
//! required. There is deliberately no column for privileges or grants: an import can never
//! grant anything (P5).

use super::error::{HEADER_LINE, RowError};
use crate::user::login_id::fold;

/// A column of the import and export format.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Column {
    /// `login_id` (required).
    LoginId,
    /// `name`.
    Name,
    /// `email`.
    Email,
    /// `password`: a plain password, hashed by the service under its policy.
    Password,
    /// `password_hash`: a hash from another system (C8).
    PasswordHash,
    /// `groups`: group names separated by `;`.
    Groups,
    /// `status`.
    Status,
    /// `expires_at`.
    ExpiresAt,
    /// A custom profile field (U8), by its key as defined.
    Attribute(String),
}

impl Column {
    /// The built-in columns, in export order (the password columns are import-only).
    pub const BUILT_IN: [Self; 8] = [
        Self::LoginId,
        Self::Name,
        Self::Email,
        Self::Password,
        Self::PasswordHash,
        Self::Groups,
        Self::Status,
        Self::ExpiresAt,
    ];

    /// The header name.
    pub fn name(&self) -> &str {
        match self {
            Self::LoginId => "login_id",
            Self::Name => "name",
            Self::Email => "email",
            Self::Password => "password",
            Self::PasswordHash => "password_hash",
            Self::Groups => "groups",
            Self::Status => "status",
            Self::ExpiresAt => "expires_at",
            Self::Attribute(key) => key,
        }
    }
}

/// A checked header: the column of each position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMap {
    columns: Vec<Column>,
    login_id: usize,
}

impl HeaderMap {
    /// Maps the header cells to columns. `field_keys` are the custom field keys (U8). All
    /// problems are reported at once, at line 1.
    pub fn parse(header: &[String], field_keys: &[String]) -> Result<Self, Vec<RowError>> {
        let mut errors = Vec::new();
        // By position; `None` where the name was refused, so positions stay the file's.
        let mut resolved: Vec<Option<Column>> = Vec::with_capacity(header.len());
        for (index, raw) in header.iter().enumerate() {
            // The codec strips a UTF-8 BOM; one it missed would otherwise make the first
            // column unknown, a confusing error for a file Excel wrote.
            let raw = if index == 0 {
                raw.trim_start_matches('\u{feff}')
            } else {
                raw
            };
            let name = raw.trim();
            let position = index + 1;
            match resolve(name, field_keys) {
                Err(problem) => {
                    errors.push(RowError::new(
                        HEADER_LINE,
                        name,
                        problem.code(),
                        problem.message(name, position),
                    ));
                    resolved.push(None);
                }
                Ok(column) => {
                    let earlier = resolved.iter().position(|c| c.as_ref() == Some(&column));
                    if let Some(first) = earlier {
                        errors.push(RowError::new(
                            HEADER_LINE,
                            name,
                            "column_duplicate",
                            format!(
                                "column {position} repeats column {} ({})",
                                first + 1,
                                column.name()
                            ),
                        ));
                    }
                    resolved.push(Some(column));
                }
            }
        }
        let login_id = resolved
            .iter()
            .position(|c| c.as_ref() == Some(&Column::LoginId));
        if login_id.is_none() {
            errors.push(RowError::new(
                HEADER_LINE,
                Column::LoginId.name(),
                "column_missing",
                "the login_id column is required",
            ));
        }
        match login_id {
            Some(login_id) if errors.is_empty() => Ok(Self {
                columns: resolved.into_iter().flatten().collect(),
                login_id,
            }),
            Some(_) | None => Err(errors),
        }
    }

    /// The columns by position.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The number of columns every row must have.
    pub fn len(&self) -> usize {
        self.columns.len()
    }

    /// Never true: a header has at least `login_id`.
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// The position of `login_id`.
    pub fn login_id_index(&self) -> usize {
        self.login_id
    }

    /// The position of a column, when present.
    pub fn index_of(&self, column: &Column) -> Option<usize> {
        self.columns.iter().position(|c| c == column)
    }
}

enum HeaderProblem {
    Unnamed,
    Unknown,
    Ambiguous,
}

impl HeaderProblem {
    fn code(&self) -> &'static str {
        match self {
            Self::Unnamed => "column_unnamed",
            Self::Unknown => "column_unknown",
            Self::Ambiguous => "column_ambiguous",
        }
    }

    fn message(&self, name: &str, position: usize) -> String {
        match self {
            Self::Unnamed => format!("column {position} has no name"),
            Self::Unknown => format!(
                "column {position} ({name:?}) is neither a user column nor a custom field key"
            ),
            Self::Ambiguous => format!(
                "column {position} ({name:?}) matches more than one column or custom field key"
            ),
        }
    }
}

fn resolve(name: &str, field_keys: &[String]) -> Result<Column, HeaderProblem> {
    if name.is_empty() {
        return Err(HeaderProblem::Unnamed);
    }
    let wanted = fold(name);
    let built_in = Column::BUILT_IN.iter().find(|c| c.name() == wanted);
    let mut custom = field_keys.iter().filter(|k| fold(k.trim()) == wanted);
    match (built_in, custom.next(), custom.next()) {
        (Some(column), None, _) => Ok(column.clone()),
        (None, Some(key), None) => Ok(Column::Attribute(key.clone())),
        (None, None, _) => Err(HeaderProblem::Unknown),
        (Some(_), Some(_), _) | (None, Some(_), Some(_)) => Err(HeaderProblem::Ambiguous),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn c1_columns_in_any_order_case_insensitive_and_trimmed() {
        let keys = strings(&["Dept"]);
        let header = strings(&[" EMAIL", "\u{feff}x", "Login_ID "]);
        assert!(
            HeaderMap::parse(&header, &keys).is_err(),
            "BOM only on the first cell"
        );
        let header = strings(&[
            "\u{feff}Email",
            " groups",
            "LOGIN_ID ",
            "dept",
            "Expires_At",
        ]);
        let map = HeaderMap::parse(&header, &keys).unwrap();
        assert_eq!(
            map.columns(),
            &[
                Column::Email,
                Column::Groups,
                Column::LoginId,
                Column::Attribute("Dept".into()),
                Column::ExpiresAt
            ]
        );
        assert_eq!((map.len(), map.login_id_index()), (5, 2));
        assert_eq!(map.index_of(&Column::Groups), Some(1));
        assert_eq!(map.index_of(&Column::Name), None);
    }

    #[test]
    fn c1_unknown_unnamed_and_duplicate_columns_are_errors_at_line_1() {
        let header = strings(&["login_id", "nickname", "", "NAME", "name"]);
        let errors = HeaderMap::parse(&header, &[]).unwrap_err();
        let found: Vec<_> = errors
            .iter()
            .map(|e| (e.line, e.column.as_str(), e.code))
            .collect();
        assert_eq!(
            found,
            [
                (1, "nickname", "column_unknown"),
                (1, "", "column_unnamed"),
                (1, "name", "column_duplicate"),
            ]
        );
        assert!(
            errors[2].message.contains("column 4"),
            "{}",
            errors[2].message
        );
    }

    #[test]
    fn c1_login_id_is_required() {
        let errors = HeaderMap::parse(&strings(&["name", "email"]), &[]).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].column.as_str(), errors[0].code),
            ("login_id", "column_missing")
        );
    }

    #[test]
    fn c1_custom_key_clashing_with_a_column_or_another_key_is_ambiguous() {
        let keys = strings(&["email", "Dept", "DEPT"]);
        let errors = HeaderMap::parse(&strings(&["login_id", "email", "dept"]), &keys).unwrap_err();
        assert!(
            errors.iter().all(|e| e.code == "column_ambiguous"),
            "{errors:?}"
        );
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn c8_password_and_password_hash_columns_may_both_be_present() {
        let header = strings(&["login_id", "password", "password_hash"]);
        assert!(HeaderMap::parse(&header, &[]).is_ok());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn c1_header_mapping_never_panics(
            header in proptest::collection::vec(
                prop_oneof![any::<String>(), "(login_id|name|email|groups|dept|LOGIN_ID| x )"],
                0..8,
            ),
            keys in proptest::collection::vec(prop_oneof![any::<String>(), "(dept|Dept|email)"], 0..3),
        ) {
            if let Ok(map) = HeaderMap::parse(&header, &keys) {
                prop_assert_eq!(map.len(), header.len());
                prop_assert_eq!(&map.columns()[map.login_id_index()], &Column::LoginId);
                for (i, c) in map.columns().iter().enumerate() {
                    prop_assert_eq!(map.index_of(c), Some(i), "columns are unique");
                }
            }
        }
    }
}
