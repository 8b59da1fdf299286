//! Property tests of the group graph (G3–G5) against a plain edge list: random sequences of
//! changes never leave a cycle, refuse exactly the changes that would make one, and the
//! precomputed closure always equals reachability computed by brute force.

use super::*;
use proptest::prelude::*;
use std::collections::BTreeSet;
use uuid::Uuid;

const N: usize = 8;

fn gid(i: usize) -> GroupId {
    GroupId::from_uuid(Uuid::from_u128(0x1000 + i as u128))
}

#[derive(Debug, Clone)]
enum Op {
    AddGroup(usize),
    AddParent(usize, usize),
    RemoveParent(usize, usize),
    RemoveGroup(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => (0..N).prop_map(Op::AddGroup),
        6 => (0..N, 0..N).prop_map(|(c, p)| Op::AddParent(c, p)),
        2 => (0..N, 0..N).prop_map(|(c, p)| Op::RemoveParent(c, p)),
        1 => (0..N).prop_map(Op::RemoveGroup),
    ]
}

/// The model: which groups exist and the (child, parent) edges, nothing precomputed.
#[derive(Debug, Default)]
struct Model {
    present: BTreeSet<usize>,
    edges: BTreeSet<(usize, usize)>,
}

impl Model {
    /// Whether `to` is reached from `from` by following child → parent edges (or is it).
    fn reaches(&self, from: usize, to: usize) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(x) = stack.pop() {
            if x == to {
                return true;
            }
            if seen.insert(x) {
                stack.extend(self.edges.iter().filter(|(c, _)| *c == x).map(|(_, p)| *p));
            }
        }
        false
    }
}

/// Applies an op without checking its answer (for the second copy of the graph).
fn apply(graph: &mut GroupGraph, op: &Op) {
    match *op {
        Op::AddGroup(g) => graph.add_group(gid(g)),
        Op::AddParent(c, p) => {
            let _ = graph.add_parent(gid(c), gid(p));
        }
        Op::RemoveParent(c, p) => {
            graph.remove_parent(gid(c), gid(p));
        }
        Op::RemoveGroup(g) => graph.remove_group(gid(g)),
    }
}

/// Independent cycle check on the graph's own reported edges: DFS with colours.
fn acyclic(graph: &GroupGraph) -> bool {
    fn visit(graph: &GroupGraph, g: GroupId, colour: &mut Vec<(GroupId, u8)>) -> bool {
        match colour.iter().find(|(x, _)| *x == g).map(|(_, c)| *c) {
            Some(1) => return false,
            Some(_) => return true,
            None => {}
        }
        colour.push((g, 1));
        for p in graph.parents(g).collect::<Vec<_>>() {
            if !visit(graph, p, colour) {
                return false;
            }
        }
        if let Some(entry) = colour.iter_mut().find(|(x, _)| *x == g) {
            entry.1 = 2;
        }
        true
    }
    let mut colour = Vec::new();
    (0..N)
        .map(gid)
        .filter(|g| graph.contains(*g))
        .all(|g| visit(graph, g, &mut colour))
}

fn assert_matches(graph: &GroupGraph, model: &Model) -> Result<(), TestCaseError> {
    prop_assert!(acyclic(graph));
    prop_assert_eq!(graph.len(), model.present.len());
    for a in 0..N {
        prop_assert_eq!(graph.contains(gid(a)), model.present.contains(&a));
        let parents: BTreeSet<GroupId> = graph.parents(gid(a)).collect();
        let want: BTreeSet<GroupId> = model
            .edges
            .iter()
            .filter(|(c, _)| *c == a)
            .map(|(_, p)| gid(*p))
            .collect();
        prop_assert_eq!(parents, want);
        let children: BTreeSet<GroupId> = graph.children(gid(a)).collect();
        let want: BTreeSet<GroupId> = model
            .edges
            .iter()
            .filter(|(_, p)| *p == a)
            .map(|(c, _)| gid(*c))
            .collect();
        prop_assert_eq!(children, want);
        let (mut up, mut down) = (BTreeSet::new(), BTreeSet::new());
        for b in 0..N {
            let within =
                model.present.contains(&a) && model.present.contains(&b) && model.reaches(a, b);
            prop_assert_eq!(graph.is_within(gid(a), gid(b)), within, "{} in {}", a, b);
            // The same through the rows (built here, so later changes must drop them).
            let from_a = graph.slots_of([gid(a)]);
            prop_assert_eq!(
                graph.any_below(gid(b), &from_a),
                within,
                "{} below {}",
                a,
                b
            );
            if within {
                up.insert(gid(b));
            }
            if model.present.contains(&a) && model.present.contains(&b) && model.reaches(b, a) {
                down.insert(gid(b));
            }
        }
        prop_assert_eq!(graph.ancestors_or_self(gid(a)), up);
        prop_assert_eq!(graph.descendants_or_self(gid(a)), down);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn g3_g5_random_changes_keep_a_dag_and_an_exact_closure(
        ops in prop::collection::vec(op(), 1..40)
    ) {
        let mut graph = GroupGraph::from_edges((0..N).map(gid), []).unwrap();
        // Room for one row only: the rest is answered by search, and rows come and go.
        graph.set_row_budget(8);
        let mut unbudgeted = graph.clone();
        unbudgeted.set_row_budget(usize::MAX / 2);
        let mut model = Model { present: (0..N).collect(), ..Model::default() };
        for op in ops {
            apply(&mut unbudgeted, &op);
            match op {
                Op::AddGroup(g) => {
                    graph.add_group(gid(g));
                    model.present.insert(g);
                }
                Op::AddParent(c, p) => {
                    let got = graph.add_parent(gid(c), gid(p));
                    let known = model.present.contains(&c) && model.present.contains(&p);
                    match got {
                        Ok(()) => {
                            prop_assert!(known && c != p && !model.reaches(p, c));
                            model.edges.insert((c, p));
                        }
                        Err(GroupGraphError::UnknownGroup(x)) => {
                            prop_assert!(!known);
                            prop_assert!(x == gid(c) || x == gid(p));
                        }
                        Err(GroupGraphError::SelfParent) => prop_assert!(known && c == p),
                        Err(GroupGraphError::Cycle { child, parent }) => {
                            // Refused only when the edge would have closed a cycle.
                            prop_assert!(known && c != p && model.reaches(p, c));
                            prop_assert_eq!((child, parent), (gid(c), gid(p)));
                        }
                    }
                }
                Op::RemoveParent(c, p) => {
                    let existed = model.edges.remove(&(c, p));
                    prop_assert_eq!(graph.remove_parent(gid(c), gid(p)), existed);
                }
                Op::RemoveGroup(g) => {
                    graph.remove_group(gid(g));
                    model.present.remove(&g);
                    model.edges.retain(|(c, p)| *c != g && *p != g);
                }
            }
            assert_matches(&graph, &model)?;
            assert_matches(&unbudgeted, &model)?;
        }
        // The bulk loader agrees with the incremental result.
        let bulk = GroupGraph::from_edges(
            model.present.iter().map(|g| gid(*g)),
            model.edges.iter().map(|(c, p)| (gid(*c), gid(*p))),
        ).unwrap();
        assert_matches(&bulk, &model)?;
    }

    #[test]
    fn g3_from_edges_accepts_exactly_the_acyclic_edge_lists(
        edges in prop::collection::vec((0..N, 0..N), 0..20)
    ) {
        let mut model = Model { present: (0..N).collect(), ..Model::default() };
        let mut first_error = None;
        for (c, p) in &edges {
            if c == p || model.reaches(*p, *c) {
                first_error = Some((*c, *p));
                break;
            }
            model.edges.insert((*c, *p));
        }
        let got = GroupGraph::from_edges(
            (0..N).map(gid),
            edges.iter().map(|(c, p)| (gid(*c), gid(*p))),
        );
        match (got, first_error) {
            (Ok(graph), None) => assert_matches(&graph, &model)?,
            (Err(GroupGraphError::SelfParent), Some((c, p))) => prop_assert_eq!(c, p),
            (Err(GroupGraphError::Cycle { child, parent }), Some((c, p))) => {
                prop_assert_eq!((child, parent), (gid(c), gid(p)));
            }
            (got, want) => prop_assert!(false, "got {:?}, first bad edge {:?}", got, want),
        }
    }
}
