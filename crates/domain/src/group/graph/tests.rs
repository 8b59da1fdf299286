//! Unit tests of the group graph (G3–G5).

use super::*;
use crate::error::ErrorCode;

fn ids(n: usize) -> Vec<GroupId> {
    (0..n).map(|_| GroupId::new()).collect()
}

#[test]
fn g3_many_parents_and_cycles_refused() {
    let g = ids(4);
    let mut graph = GroupGraph::from_edges(
        g.clone(),
        [(g[1], g[0]), (g[2], g[0]), (g[3], g[1]), (g[3], g[2])],
    )
    .unwrap();
    assert!(graph.is_within(g[3], g[0]));
    assert_eq!(
        graph.check_add_parent(g[0], g[3]),
        Err(GroupGraphError::Cycle {
            child: g[0],
            parent: g[3]
        })
    );
    assert_eq!(
        graph.add_parent(g[0], g[0]),
        Err(GroupGraphError::SelfParent)
    );
    assert!(graph.remove_parent(g[3], g[1]));
    assert!(graph.is_within(g[3], g[0]), "still below 0 through 2");
    assert!(!graph.is_within(g[3], g[1]));
    assert!(!graph.remove_parent(g[3], g[1]), "already gone");
}

#[test]
fn g3_refused_change_leaves_the_graph_as_it_was() {
    let g = ids(3);
    let mut graph = GroupGraph::from_edges(g.clone(), [(g[1], g[0]), (g[2], g[1])]).unwrap();
    let err = graph.add_parent(g[0], g[2]).unwrap_err();
    assert_eq!(err.code(), "group_cycle");
    assert!(err.to_string().contains("cycle"));
    assert_eq!(graph.parents(g[0]).count(), 0);
    assert_eq!(graph.ancestors_or_self(g[0]), [g[0]].into());
}

#[test]
fn g3_unknown_groups_are_refused() {
    let g = ids(2);
    let stranger = GroupId::new();
    let mut graph = GroupGraph::from_edges(g.clone(), []).unwrap();
    assert_eq!(
        graph.add_parent(stranger, g[0]),
        Err(GroupGraphError::UnknownGroup(stranger))
    );
    assert_eq!(
        graph.add_parent(g[0], stranger),
        Err(GroupGraphError::UnknownGroup(stranger))
    );
    assert_eq!(
        GroupGraphError::UnknownGroup(stranger).code(),
        "unknown_group"
    );
    assert_eq!(GroupGraphError::SelfParent.code(), "group_self_parent");
    assert!(!graph.is_within(stranger, stranger));
    assert!(graph.descendants_or_self(stranger).is_empty());
    assert!(graph.ancestors_or_self(stranger).is_empty());
}

#[test]
fn g3_from_edges_reports_the_first_bad_edge_like_one_by_one() {
    let g = ids(3);
    let stranger = GroupId::new();
    // The cycle comes before the unknown group: adding one by one stops at the cycle.
    let edges = [(g[1], g[0]), (g[0], g[1]), (g[2], stranger)];
    assert_eq!(
        GroupGraph::from_edges(g.clone(), edges).unwrap_err(),
        GroupGraphError::Cycle {
            child: g[0],
            parent: g[1]
        }
    );
    assert_eq!(
        GroupGraph::from_edges(g.clone(), [(g[2], g[2])]).unwrap_err(),
        GroupGraphError::SelfParent
    );
}

#[test]
fn g3_from_edges_in_any_order_gives_the_same_closure() {
    let g = ids(5);
    // Leaves first: the bulk load must not depend on edges arriving top-down.
    let edges = [(g[4], g[3]), (g[3], g[2]), (g[2], g[1]), (g[1], g[0])];
    let graph = GroupGraph::from_edges(g.clone(), edges).unwrap();
    assert_eq!(graph.ancestors_or_self(g[4]), g.iter().copied().collect());
    assert_eq!(graph.descendants_or_self(g[0]), g.iter().copied().collect());
    assert_eq!(graph.len(), 5);
}

#[test]
fn g3_adding_a_parent_above_a_subtree_reaches_every_descendant() {
    let g = ids(4);
    let mut graph = GroupGraph::from_edges(g.clone(), [(g[2], g[1]), (g[3], g[2])]).unwrap();
    graph.add_parent(g[1], g[0]).unwrap();
    assert!(graph.is_within(g[3], g[0]));
    assert_eq!(graph.children(g[0]).collect::<Vec<_>>(), vec![g[1]]);
    // Re-adding is a no-op, not a duplicate edge.
    graph.add_parent(g[1], g[0]).unwrap();
    assert_eq!(graph.parents(g[1]).count(), 1);
}

#[test]
fn g5_removing_a_group_keeps_its_children() {
    let g = ids(3);
    let mut graph = GroupGraph::from_edges(g.clone(), [(g[1], g[0]), (g[2], g[1])]).unwrap();
    graph.remove_group(g[1]);
    assert!(graph.contains(g[2]) && !graph.contains(g[1]));
    assert!(!graph.is_within(g[2], g[0]));
    assert_eq!(graph.parents(g[2]).count(), 0);
    assert_eq!(graph.children(g[0]).count(), 0);
    assert_eq!(graph.len(), 2);
}

#[test]
fn g5_a_freed_slot_reused_by_a_new_group_inherits_nothing() {
    let g = ids(3);
    let mut graph = GroupGraph::from_edges(g.clone(), [(g[1], g[0]), (g[2], g[1])]).unwrap();
    graph.remove_group(g[1]);
    let fresh = GroupId::new();
    graph.add_group(fresh);
    assert!(!graph.is_within(g[2], fresh));
    assert_eq!(graph.ancestors_or_self(fresh), [fresh].into());
    assert_eq!(graph.descendants_or_self(fresh), [fresh].into());
}

#[test]
fn g4_deep_chains_do_not_overflow() {
    // A long chain: walks are iterative so depth is no risk; a chain's closures are
    // quadratic in total, which bounds how long a test can make it.
    let g = ids(3_000);
    let edges: Vec<_> = g.windows(2).map(|w| (w[1], w[0])).collect();
    let mut graph = GroupGraph::from_edges(g.clone(), edges).unwrap();
    assert!(graph.is_within(g[2_999], g[0]));
    assert!(graph.remove_parent(g[1], g[0]));
    assert!(!graph.is_within(g[2_999], g[0]));
    assert_eq!(graph.descendants_or_self(g[1]).len(), 2_999);
}

#[test]
fn up_set_unions_closures_in_every_representation() {
    let g = ids(6);
    let graph =
        GroupGraph::from_edges(g.clone(), [(g[1], g[0]), (g[2], g[1]), (g[4], g[3])]).unwrap();
    let none = UpSet::new(&graph, []);
    assert!(!none.contains(g[0]));
    let one = UpSet::new(&graph, [g[2]]);
    assert!(one.contains(g[0]) && one.contains(g[2]) && !one.contains(g[3]));
    let two = UpSet::new(&graph, [g[2], g[4], GroupId::new()]);
    for (i, want) in [true, true, true, true, true, false]
        .into_iter()
        .enumerate()
    {
        assert_eq!(two.contains(g[i]), want, "group {i}");
    }
    // A wide graph with a small union takes the sorted-list path.
    let mut wide = graph.clone();
    for _ in 0..6_000 {
        wide.add_group(GroupId::new());
    }
    let sparse = UpSet::new(&wide, [g[2], g[4]]);
    for (i, want) in [true, true, true, true, true, false]
        .into_iter()
        .enumerate()
    {
        assert_eq!(sparse.contains(g[i]), want, "group {i}, sparse");
    }
}

#[test]
fn up_set_bitset_form_spans_many_words() {
    // Two chains of 100: unions this dense take the bitset form, with slots past word 0.
    let left = ids(100);
    let right = ids(100);
    let mut edges: Vec<_> = left.windows(2).map(|w| (w[1], w[0])).collect();
    edges.extend(right.windows(2).map(|w| (w[1], w[0])));
    let mut graph = GroupGraph::from_edges(left.iter().chain(&right).copied(), edges).unwrap();
    let outsider = GroupId::new();
    graph.add_group(outsider);
    let up = UpSet::new(&graph, [left[99], right[99]]);
    assert!(left.iter().chain(&right).all(|g| up.contains(*g)));
    assert!(!up.contains(outsider));
    let mid = UpSet::new(&graph, [left[50], right[10]]);
    assert!(mid.contains(left[50]) && !mid.contains(left[51]));
    assert!(mid.contains(right[0]) && !mid.contains(right[11]));
}
