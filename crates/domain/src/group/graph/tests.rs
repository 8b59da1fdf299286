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
fn g4_any_below_answers_with_and_without_rows() {
    let g = ids(6);
    let edges = [(g[1], g[0]), (g[2], g[1]), (g[4], g[3])];
    let unknown = GroupId::new();
    for budget in [None, Some(0)] {
        let mut graph = GroupGraph::from_edges(g.clone(), edges).unwrap();
        if let Some(bytes) = budget {
            graph.set_row_budget(bytes);
        }
        let slots = graph.slots_of([g[5], g[2], unknown]);
        assert_eq!(slots.len(), 2, "unknown groups have no slot");
        assert!(graph.any_below(g[0], &slots) && graph.any_below(g[2], &slots));
        assert!(!graph.any_below(g[3], &slots) && !graph.any_below(unknown, &slots));
        assert!(graph.is_any_within([g[5], g[2]], g[0]));
        assert!(!graph.is_any_within([g[5], g[4]], g[0]));
        assert!(!graph.any_below(g[0], &[]));
    }
}

#[test]
fn g4_rows_follow_every_change_to_the_graph() {
    let g = ids(4);
    let mut graph = GroupGraph::from_edges(g.clone(), [(g[1], g[0])]).unwrap();
    let below =
        |graph: &GroupGraph, x: usize, top: usize| graph.any_below(g[top], &graph.slots_of([g[x]]));
    assert!(below(&graph, 1, 0) && !below(&graph, 2, 0));
    // Rows of 0 and 1 are built now; each change below must drop them.
    graph.add_parent(g[2], g[1]).unwrap();
    assert!(below(&graph, 2, 0));
    assert!(graph.remove_parent(g[1], g[0]));
    assert!(!below(&graph, 2, 0) && below(&graph, 2, 1));
    graph.remove_group(g[1]);
    assert!(!below(&graph, 2, 1));
    // The freed slot goes to a new group, which is below nothing and has nothing below.
    let fresh = GroupId::new();
    graph.add_group(fresh);
    assert!(!graph.any_below(fresh, &graph.slots_of([g[2]])));
    assert!(!graph.any_below(g[0], &graph.slots_of([fresh])));
    // A group added after a row was built is past the row's end: below nothing in it.
    let late = GroupId::new();
    graph.add_group(late);
    assert!(!graph.any_below(g[0], &graph.slots_of([late])));
    graph.add_parent(late, g[0]).unwrap();
    assert!(graph.any_below(g[0], &graph.slots_of([late])));
}

#[test]
fn g4_rows_stop_at_the_budget_and_free_it_when_dropped() {
    let g = ids(130);
    let edges: Vec<_> = g.windows(2).map(|w| (w[1], w[0])).collect();
    let mut graph = GroupGraph::from_edges(g.clone(), edges).unwrap();
    // Room for exactly one row of 130 slots (3 words).
    graph.set_row_budget(24);
    let bottom = graph.slots_of([g[129]]);
    assert!(graph.any_below(g[0], &bottom));
    assert_eq!(graph.row_bytes_used(), 24, "row of g0 built");
    assert!(
        graph.any_below(g[64], &bottom),
        "budget spent: answered by search"
    );
    assert!(!graph.any_below(g[129], &graph.slots_of([g[0]])));
    assert_eq!(graph.row_bytes_used(), 24);
    // Dropping the row (a change above g[0]'s descendants) frees its bytes for the next one.
    assert!(graph.remove_parent(g[1], g[0]));
    assert_eq!(graph.row_bytes_used(), 0);
    assert!(graph.any_below(g[64], &bottom));
    assert_eq!(
        graph.row_bytes_used(),
        24,
        "row of g64 built in the freed room"
    );
    assert!(!graph.any_below(g[0], &bottom), "answered by search");
    assert_eq!(
        graph.clone().row_bytes_used(),
        24,
        "a clone carries its rows"
    );
}

#[test]
fn g3_the_graph_can_be_shared_across_threads() {
    // Services keep one graph behind an Arc; lazily built rows must not break that.
    fn shareable<T: Send + Sync + Clone + Default + std::fmt::Debug>() {}
    shareable::<GroupGraph>();
    let g = ids(3);
    let graph = GroupGraph::from_edges(g.clone(), [(g[1], g[0]), (g[2], g[1])]).unwrap();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| assert!(graph.any_below(g[0], &graph.slots_of([g[2]]))));
        }
    });
}
