//! U1, U10: users written by the bulk path are found exactly like users the user store
//! created — the list's `q` (name, email, login ID, without case, non-ASCII included) and the
//! email lookup compare the same folded keys, before and after an imported update.

use super::fixtures::{created, new_user};
use super::writes::{stored, update_of, write};
use roster_domain::authz::Visibility;
use roster_domain::ports::PageRequest;
use roster_domain::ports::imports::{LineWrite, RowWrite, WriteMode};
use roster_domain::ports::users::{UserFilter, UserRepository};
use roster_domain::user::{DisplayName, Email, User};
use roster_infra_db::Store;

async fn matching(store: &Store, q: &str) -> Vec<User> {
    let filter = UserFilter {
        q: Some(q.to_owned()),
        in_groups: None,
        status: None,
        visibility: Visibility::All,
    };
    store
        .list(filter, PageRequest::first(50))
        .await
        .unwrap()
        .items
}

async fn u1_imported_users_are_searched_like_any_user(store: Store) {
    let mut arne = new_user("k-001", &[]);
    arne.name = DisplayName::parse("Ärne Ōkubo").unwrap();
    arne.email = Some(Email::parse("Arne.O@Example.org").unwrap());
    let id = arne.id;
    created(&store, vec![arne]).await;

    for q in ["ärne", "ÄRNE", "ōkubo", "arne.o@example", "K-00"] {
        let found = matching(&store, q).await;
        assert_eq!(found.len(), 1, "q = {q}");
        assert_eq!(found[0].id, id);
    }
    let by_email = store
        .find_by_email(&Email::parse("ARNE.O@example.org").unwrap(), 10)
        .await
        .unwrap();
    assert_eq!(
        by_email.len(),
        1,
        "U10: the local part compares without case"
    );

    let current = stored(&store, "k-001").await;
    let update = update_of(&current, |fields| {
        fields.name = DisplayName::parse("Émile Zola").unwrap();
    });
    let rows = [LineWrite {
        line: 2,
        write: RowWrite::Update {
            update,
            group_ids: None,
            password_hash: None,
        },
    }];
    write(&store, WriteMode::PerChunk, &rows).await;
    assert_eq!(
        matching(&store, "émile").await.len(),
        1,
        "the new name is found"
    );
    assert!(
        matching(&store, "ōkubo").await.is_empty(),
        "the old name is gone"
    );
}

on_every_backend!(u1_imported_users_are_searched_like_any_user);
