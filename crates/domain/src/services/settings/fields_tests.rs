//! Tests of the user information fields (U8, P4, Z1).

use super::super::testing::SettingsMocks;
use super::*;
use crate::authz::Scope;
use crate::error::ErrorCode;
use crate::ports::audit::AuditOutcome;
use crate::ports::fields::FieldWriteError;
use crate::services::testing::{World, admin, field, owner};
use mockall::predicate::eq;

fn key(k: &str) -> FieldKey {
    FieldKey::parse(k).unwrap()
}

fn settings_admin() -> Actor {
    admin(Privilege::AdminSettings, Scope::All)
}

#[tokio::test]
async fn u8_fields_are_listed_for_settings_admins_and_user_viewers() {
    let w = World::new();
    for a in [
        settings_admin(),
        admin(Privilege::UsersView, Scope::groups([w.class_a]).unwrap()),
    ] {
        let mut m = SettingsMocks::new(&w);
        m.base
            .with_fields(vec![field("student_no", FieldType::Text, true, true)]);
        let listed = m.service().list_fields(&a).await.unwrap();
        assert_eq!(listed.len(), 1);
    }
    let mut m = SettingsMocks::new(&w);
    m.base.fields.expect_list().times(0);
    let outsider = admin(Privilege::MaterialsManage, Scope::All);
    let err = m.service().list_fields(&outsider).await.unwrap_err();
    assert_eq!(err.code(), "forbidden");
}

#[tokio::test]
async fn u8_create_field_is_stored_and_audited() {
    let w = World::new();
    let def = field("student_no", FieldType::Text, true, true);
    let mut m = SettingsMocks::new(&w);
    m.base
        .fields
        .expect_create()
        .with(eq(def.clone()))
        .times(1)
        .returning(|_| Ok(()));
    m.base
        .audit
        .expect_record()
        .times(1)
        .withf(|e| {
            e.action == AuditAction::UserFieldCreate
                && e.outcome == AuditOutcome::Success
                && e.target == AuditTarget::new(AuditTargetKind::UserField, "student_no")
        })
        .returning(|_| Ok(()));
    let created = m
        .service()
        .create_field(&settings_admin(), def.clone())
        .await
        .unwrap();
    assert_eq!(created, def);
}

#[tokio::test]
async fn u8_create_field_refusals() {
    let w = World::new();
    let def = field("student_no", FieldType::Text, true, true);
    let mut m = SettingsMocks::new(&w);
    m.base.fields.expect_create().times(0);
    m.base
        .expect_audit(AuditAction::UserFieldCreate, Err("forbidden"));
    let scoped = admin(Privilege::AdminSettings, Scope::groups([w.school]).unwrap());
    let err = m
        .service()
        .create_field(&scoped, def.clone())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");

    let mut m = SettingsMocks::new(&w);
    m.base
        .fields
        .expect_create()
        .times(1)
        .returning(|_| Err(FieldWriteError::KeyTaken));
    m.base
        .expect_audit(AuditAction::UserFieldCreate, Err("field_key_taken"));
    let err = m.service().create_field(&owner(), def).await.unwrap_err();
    assert_eq!(err.code(), "field_key_taken");
}

#[tokio::test]
async fn u8_update_field_keeps_the_key_and_unchanged_aspects() {
    let w = World::new();
    let current = field("course", FieldType::select(["Math"]).unwrap(), false, false);
    let mut m = SettingsMocks::new(&w);
    m.base
        .fields
        .expect_get()
        .with(eq(key("course")))
        .returning(move |_| Ok(Some(current.clone())));
    m.base
        .fields
        .expect_update()
        .times(1)
        .withf(|d| {
            d.key().as_str() == "course"
                && d.label().as_str() == "course"
                && d.field_type() == &FieldType::select(["Math", "Art"]).unwrap()
                && d.required()
                && !d.on_registration_form()
        })
        .returning(|_| Ok(()));
    m.base
        .audit
        .expect_record()
        .times(1)
        .withf(|e| {
            e.action == AuditAction::UserFieldUpdate && e.details["fields"] == "type,required"
        })
        .returning(|_| Ok(()));
    let patch = FieldPatch {
        field_type: Some(FieldType::select(["Math", "Art"]).unwrap()),
        required: Some(true),
        ..FieldPatch::default()
    };
    m.service()
        .update_field(&settings_admin(), &key("course"), patch)
        .await
        .unwrap();
}

#[tokio::test]
async fn u8_update_field_refusals_write_nothing() {
    let w = World::new();
    let bad_options = FieldPatch {
        field_type: Some(FieldType::Select {
            options: vec!["A".into(), "A".into()],
        }),
        ..FieldPatch::default()
    };
    for (stored, patch, code) in [
        (None, FieldPatch::default(), "not_found"),
        (
            Some(field("course", FieldType::Text, false, false)),
            bad_options,
            "validation_failed",
        ),
    ] {
        let mut m = SettingsMocks::new(&w);
        m.base
            .fields
            .expect_get()
            .returning(move |_| Ok(stored.clone()));
        m.base.fields.expect_update().times(0);
        m.base.expect_audit(AuditAction::UserFieldUpdate, Err(code));
        let err = m
            .service()
            .update_field(&owner(), &key("course"), patch)
            .await
            .unwrap_err();
        assert_eq!(err.code(), code);
    }
}

#[tokio::test]
async fn u8_delete_field() {
    let w = World::new();
    let mut m = SettingsMocks::new(&w);
    m.base
        .fields
        .expect_delete()
        .with(eq(key("course")))
        .times(1)
        .returning(|_| Ok(()));
    m.base.expect_audit(AuditAction::UserFieldDelete, Ok(()));
    m.service()
        .delete_field(&settings_admin(), &key("course"))
        .await
        .unwrap();

    let mut m = SettingsMocks::new(&w);
    m.base
        .fields
        .expect_delete()
        .returning(|_| Err(FieldWriteError::NotFound));
    m.base
        .expect_audit(AuditAction::UserFieldDelete, Err("not_found"));
    let err = m
        .service()
        .delete_field(&owner(), &key("course"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");

    let mut m = SettingsMocks::new(&w);
    m.base.fields.expect_delete().times(0);
    m.base
        .expect_audit(AuditAction::UserFieldDelete, Err("forbidden"));
    let editor = admin(Privilege::UsersEdit, Scope::All);
    let err = m
        .service()
        .delete_field(&editor, &key("course"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
}
