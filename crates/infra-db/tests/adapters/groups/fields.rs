//! U8: custom field definitions, in creation order, and their values removed on delete.

use super::fixtures::{attributes_of, user_with};
use roster_domain::ports::fields::{FieldWriteError, UserFieldRepository};
use roster_domain::user::{FieldDefinition, FieldKey, FieldLabel, FieldType};
use roster_infra_db::Store;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Query};
use uuid::Uuid;

fn field(key: &str, label: &str, field_type: FieldType) -> FieldDefinition {
    let key = FieldKey::parse(key).unwrap();
    let label = FieldLabel::parse(label).unwrap();
    FieldDefinition::new(key, label, field_type, false, true).unwrap()
}

fn key(text: &str) -> FieldKey {
    FieldKey::parse(text).unwrap()
}

async fn u8_fields_list_in_creation_order_and_update_in_place(store: Store) {
    let dept = field("dept", "Department", FieldType::Text);
    let level = FieldType::select(["A", "B"]).unwrap();
    let grade = field("grade", "Grade", level);
    let born = field("born", "Born", FieldType::Date);
    for f in [&dept, &grade, &born] {
        store.create(f).await.unwrap();
    }
    assert_eq!(
        store.list().await.unwrap(),
        [dept.clone(), grade.clone(), born.clone()]
    );
    assert_eq!(store.get(&key("grade")).await.unwrap(), Some(grade));
    assert_eq!(store.get(&key("nope")).await.unwrap(), None);

    let err = store
        .create(&field("dept", "Again", FieldType::Date))
        .await
        .unwrap_err();
    assert!(matches!(err, FieldWriteError::KeyTaken), "{err:?}");

    let renamed = field("dept", "Division", FieldType::Date);
    store.update(&renamed).await.unwrap();
    let listed = store.list().await.unwrap();
    assert_eq!(listed[0], renamed, "an updated field keeps its place");
    assert_eq!(listed.len(), 3);
    let err = store
        .update(&field("ghost", "Ghost", FieldType::Text))
        .await
        .unwrap_err();
    assert!(matches!(err, FieldWriteError::NotFound), "{err:?}");
}

async fn application(store: &Store, login: &str, status: &str, attributes: &str) -> Uuid {
    let id = Uuid::now_v7();
    let columns = [
        "id",
        "login_id",
        "login_key",
        "name",
        "email",
        "email_key",
        "attributes",
        "status",
        "applied_at",
        "password_hash",
    ];
    let insert = Query::insert()
        .into_table(Alias::new("applications"))
        .columns(columns.map(Alias::new))
        .values_panic([
            id.into(),
            login.into(),
            login.into(),
            login.into(),
            format!("{login}@example.com").into(),
            format!("{login}@example.com").into(),
            attributes.into(),
            status.into(),
            1_700_000_000_000_000_i64.into(),
            "hash".into(),
        ])
        .to_owned();
    store.connection().execute(&insert).await.unwrap();
    id
}

async fn u8_deleting_a_field_removes_its_values_from_users_and_open_applications(store: Store) {
    store
        .create(&field("dept", "Department", FieldType::Text))
        .await
        .unwrap();
    store
        .create(&field("dept_code", "Code", FieldType::Text))
        .await
        .unwrap();
    let both = r#"{"dept":"Sales","dept_code":"S1"}"#;
    let alice = user_with(&store, "alice", both).await;
    let bob = user_with(&store, "bob", r#"{"dept_code":"x"}"#).await;
    // More users than one batch holds, so the rewrite goes round several times.
    let mut many = Vec::new();
    for i in 0..510 {
        many.push(user_with(&store, &format!("u{i}"), r#"{"dept":"R&D"}"#).await);
    }
    let open = application(&store, "carol", "unapproved", both).await;
    let fresh = application(&store, "dave", "not_activated", both).await;
    let closed = application(&store, "erin", "approved", both).await;

    store.delete(&key("dept")).await.unwrap();
    assert_eq!(store.list().await.unwrap().len(), 1);
    assert_eq!(store.get(&key("dept")).await.unwrap(), None);
    let kept = r#"{"dept_code":"S1"}"#;
    assert_eq!(attributes_of(&store, "users", alice.as_uuid()).await, kept);
    assert_eq!(
        attributes_of(&store, "users", bob.as_uuid()).await,
        r#"{"dept_code":"x"}"#
    );
    for u in [many[0], many[509]] {
        assert_eq!(attributes_of(&store, "users", u.as_uuid()).await, "{}");
    }
    assert_eq!(attributes_of(&store, "applications", open).await, kept);
    assert_eq!(attributes_of(&store, "applications", fresh).await, kept);
    assert_eq!(
        attributes_of(&store, "applications", closed).await,
        both,
        "closed: kept"
    );

    let err = store.delete(&key("dept")).await.unwrap_err();
    assert!(matches!(err, FieldWriteError::NotFound), "{err:?}");
    // Re-created, the field starts empty (its old values are gone).
    store
        .create(&field("dept", "Department", FieldType::Text))
        .await
        .unwrap();
    assert_eq!(
        attributes_of(&store, "users", many[3].as_uuid()).await,
        "{}"
    );
}

on_every_backend!(
    u8_fields_list_in_creation_order_and_update_in_place,
    u8_deleting_a_field_removes_its_values_from_users_and_open_applications,
);
