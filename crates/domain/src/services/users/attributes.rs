//! U8 in the user service: custom field values are checked against the administrators'
//! field definitions on registration (every required field present) and on update (only the
//! keys given change; a required one may not be cleared), every problem reported at once.

use super::{UserService, UserServiceError};
use crate::user::{AttributeMode, Attributes, validate_attributes};

impl UserService {
    /// The values, trimmed and normalised (dates as `YYYY-MM-DD`), or `validation_failed`
    /// with one `FieldError` per offending key. In `Update` mode an empty value is kept, to
    /// mean "clear" for `merge_attributes`.
    pub(super) async fn checked_attributes(
        &self,
        values: &Attributes,
        mode: AttributeMode,
    ) -> Result<Attributes, UserServiceError> {
        let definitions = self.fields.list().await?;
        validate_attributes(&definitions, values, mode).map_err(UserServiceError::Invalid)
    }
}

#[cfg(test)]
mod tests {
    use crate::authz::{Privilege, Scope};
    use crate::error::ErrorCode;
    use crate::ports::audit::AuditAction;
    use crate::services::testing::{Mocks, World, admin, field, owner, stored, user};
    use crate::services::{RegisterUser, UserPatch, UserService, UserServiceError};
    use crate::user::{Attributes, DisplayName, FieldType, LoginId};
    use std::collections::BTreeSet;

    fn attrs(pairs: &[(&str, &str)]) -> Attributes {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn definitions() -> Vec<crate::user::FieldDefinition> {
        vec![
            field("student_no", FieldType::Text, true, true),
            field("enrolled", FieldType::Date, false, false),
            field(
                "course",
                FieldType::select(["Math", "Art"]).unwrap(),
                false,
                true,
            ),
        ]
    }

    fn command(attributes: Attributes) -> RegisterUser {
        RegisterUser {
            login_id: LoginId::parse("kenji").unwrap(),
            name: DisplayName::parse("Kenji").unwrap(),
            email: None,
            password: None,
            status: None,
            expires_at: None,
            group_ids: BTreeSet::new(),
            attributes,
        }
    }

    fn field_codes(err: UserServiceError) -> Vec<(String, &'static str)> {
        let UserServiceError::Invalid(fields) = err else {
            panic!("expected validation errors, got {err:?}");
        };
        fields.into_iter().map(|f| (f.field, f.code)).collect()
    }

    #[tokio::test]
    async fn u8_register_stores_normalised_values() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_fields(definitions());
        m.users.expect_get_by_login_id().returning(|_| Ok(None));
        m.users
            .expect_create()
            .times(1)
            .withf(|n| n.attributes == attrs(&[("student_no", "S-1"), ("enrolled", "2026-04-01")]))
            .returning(|n| Ok(stored(&n)));
        m.expect_audit(AuditAction::UserCreate, Ok(()));
        let service = UserService::new(&m.ports());
        let given = attrs(&[
            ("student_no", " S-1 "),
            ("enrolled", "2026/4/1"),
            ("course", ""),
        ]);
        service.register(&owner(), command(given)).await.unwrap();
    }

    #[tokio::test]
    async fn u8_register_reports_every_bad_field_and_writes_nothing() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_fields(definitions());
        m.users.expect_create().times(0);
        m.expect_audit(AuditAction::UserCreate, Err("validation_failed"));
        let service = UserService::new(&m.ports());
        let given = attrs(&[("enrolled", "April"), ("course", "Music"), ("shoe", "42")]);
        let err = service
            .register(&owner(), command(given))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "validation_failed");
        assert_eq!(
            field_codes(err),
            [
                ("course".to_owned(), "field_invalid_option"),
                ("enrolled".to_owned(), "field_invalid_date"),
                ("shoe".to_owned(), "unknown_field"),
                ("student_no".to_owned(), "field_required"),
            ]
        );
    }

    #[tokio::test]
    async fn u8_update_merges_changes_into_stored_values() {
        let w = World::new();
        let mut bob = user("bob");
        bob.attributes = attrs(&[("student_no", "S-9"), ("course", "Art")]);
        let mut m = Mocks::new();
        m.with_managed(&w.graph, &bob, [w.class_a].into());
        m.with_fields(definitions());
        m.echo_update(&bob);
        m.expect_audit(AuditAction::UserUpdate, Ok(()));
        let service = UserService::new(&m.ports());
        let patch = UserPatch {
            attributes: Some(attrs(&[("course", " "), ("enrolled", "2027-1-2")])),
            ..UserPatch::default()
        };
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let updated = service.update(&a, bob.id, patch).await.unwrap();
        assert_eq!(
            updated.attributes,
            attrs(&[("student_no", "S-9"), ("enrolled", "2027-01-02")]),
            "course cleared, enrolled set, student_no kept"
        );
    }

    #[tokio::test]
    async fn u8_update_cannot_clear_a_required_field() {
        let w = World::new();
        let mut bob = user("bob");
        bob.attributes = attrs(&[("student_no", "S-9")]);
        let mut m = Mocks::new();
        m.with_managed(&w.graph, &bob, [w.class_a].into());
        m.with_fields(definitions());
        m.users.expect_update().times(0);
        m.expect_audit(AuditAction::UserUpdate, Err("validation_failed"));
        let service = UserService::new(&m.ports());
        let patch = UserPatch {
            attributes: Some(attrs(&[("student_no", "")])),
            ..UserPatch::default()
        };
        let err = service.update(&owner(), bob.id, patch).await.unwrap_err();
        assert_eq!(
            field_codes(err),
            [("student_no".to_owned(), "field_required")]
        );
    }

    #[tokio::test]
    async fn u8_update_without_attributes_does_not_read_definitions() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_managed(&w.graph, &bob, [w.class_a].into());
        m.fields.expect_list().times(0);
        m.echo_update(&bob);
        m.expect_audit(AuditAction::UserUpdate, Ok(()));
        let service = UserService::new(&m.ports());
        let patch = UserPatch {
            name: Some(DisplayName::parse("Bob T").unwrap()),
            ..UserPatch::default()
        };
        service.update(&owner(), bob.id, patch).await.unwrap();
    }
}
