//! G3: parent edges, the cycle check inside the store's transaction, and the graph read.

use super::fixtures::{group, new_group};
use roster_domain::ids::GroupId;
use roster_domain::ports::groups::{GroupRepository, GroupWriteError, LinkError};
use roster_infra_db::Store;

async fn g3_create_stores_parent_edges_and_refuses_an_unknown_parent(store: Store) {
    let school = group(&store, "School", &[]).await;
    let year = group(&store, "Year 1", &[&school]).await;
    let club = group(&store, "Chess club", &[]).await;
    let class = group(&store, "Class 1-A", &[&year, &club]).await;
    let graph = store.graph().await.unwrap();
    assert_eq!(graph.len(), 4);
    assert!(graph.is_within(class.id, school.id));
    assert!(graph.is_within(class.id, club.id));
    assert!(!graph.is_within(school.id, class.id));

    let ghost = GroupId::new();
    let mut orphan = new_group("Orphan");
    orphan.parent_ids = [school.id, ghost].into();
    let err = store.create(orphan.clone()).await.unwrap_err();
    assert!(
        matches!(err, GroupWriteError::UnknownGroup(g) if g == ghost),
        "{err:?}"
    );
    assert_eq!(store.get(orphan.id).await.unwrap(), None, "nothing stored");
    assert_eq!(store.graph().await.unwrap().len(), 4);
}

async fn g3_add_parent_refuses_cycles_and_unknown_groups(store: Store) {
    let a = group(&store, "A", &[]).await;
    let b = group(&store, "B", &[&a]).await;
    let c = group(&store, "C", &[&b]).await;
    for (child, parent) in [(a.id, c.id), (a.id, b.id), (b.id, c.id), (b.id, b.id)] {
        let err = store.add_parent(child, parent).await.unwrap_err();
        assert!(
            matches!(err, LinkError::Cycle { child: x, parent: y } if x == child && y == parent),
            "{err:?}"
        );
    }
    let ghost = GroupId::new();
    let err = store.add_parent(ghost, a.id).await.unwrap_err();
    assert!(
        matches!(err, LinkError::UnknownGroup(g) if g == ghost),
        "{err:?}"
    );
    let err = store.add_parent(a.id, ghost).await.unwrap_err();
    assert!(
        matches!(err, LinkError::UnknownGroup(g) if g == ghost),
        "{err:?}"
    );

    // A second parent (a DAG, not a tree), and adding an edge again is a no-op.
    let d = group(&store, "D", &[]).await;
    store.add_parent(c.id, d.id).await.unwrap();
    store.add_parent(c.id, d.id).await.unwrap();
    store.add_parent(c.id, a.id).await.unwrap();
    let graph = store.graph().await.unwrap();
    let mut parents: Vec<GroupId> = graph.parents(c.id).collect();
    parents.sort();
    let mut expected = vec![a.id, b.id, d.id];
    expected.sort();
    assert_eq!(parents, expected);
    let err = store.add_parent(d.id, c.id).await.unwrap_err();
    assert!(matches!(err, LinkError::Cycle { .. }), "{err:?}");
}

async fn g3_remove_parent_reports_whether_the_edge_existed(store: Store) {
    let a = group(&store, "A", &[]).await;
    let b = group(&store, "B", &[&a]).await;
    assert!(store.remove_parent(b.id, a.id).await.unwrap());
    assert!(!store.remove_parent(b.id, a.id).await.unwrap());
    assert!(!store.remove_parent(a.id, GroupId::new()).await.unwrap());
    assert!(!store.graph().await.unwrap().is_within(b.id, a.id));
    // With the edge gone, the opposite edge is no cycle.
    store.add_parent(a.id, b.id).await.unwrap();
    assert!(store.graph().await.unwrap().is_within(a.id, b.id));
}

/// G3: two requests adding opposite edges at once must not both pass the cycle check.
async fn g3_concurrent_opposite_edges_never_close_a_cycle(store: Store) {
    for round in 0..8 {
        let a = group(&store, &format!("A{round}"), &[]).await;
        let b = group(&store, &format!("B{round}"), &[]).await;
        let (one, two) = (store.clone(), store.clone());
        let first = tokio::spawn(async move { one.add_parent(a.id, b.id).await });
        let second = tokio::spawn(async move { two.add_parent(b.id, a.id).await });
        let results = [first.await.unwrap(), second.await.unwrap()];
        let won = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(won, 1, "round {round}: exactly one edge wins: {results:?}");
        for result in &results {
            if let Err(e) = result {
                assert!(matches!(e, LinkError::Cycle { .. }), "{e:?}");
            }
        }
        // The stored edges still form a graph the domain accepts (no cycle).
        let graph = store.graph().await.unwrap();
        assert!(graph.is_within(a.id, b.id) != graph.is_within(b.id, a.id));
    }
}

on_every_backend!(
    g3_create_stores_parent_edges_and_refuses_an_unknown_parent,
    g3_add_parent_refuses_cycles_and_unknown_groups,
    g3_remove_parent_reports_whether_the_edge_existed,
    g3_concurrent_opposite_edges_never_close_a_cycle,
);
