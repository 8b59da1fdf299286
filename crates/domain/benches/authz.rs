//! Authorization decision benchmarks (P2–P6 on a G3 DAG). Goal: ≤ 1 µs median for one
//! decision on a 10,000-group DAG, actor in 10 groups with 100 grants, target in 5 groups,
//! denied (every grant scanned) as well as allowed.
//!
//! Run: `CARGO_TARGET_DIR=/work/target cargo bench -p roster-domain --bench authz`

use divan::{Bencher, black_box};
use roster_domain::authz::{
    Actor, Grant, Privilege, Scope, Subject, Target, TargetUser, authorize, explain, is_allowed,
    visibility,
};
use roster_domain::group::graph::GroupGraph;
use roster_domain::ids::{GrantId, GroupId, UserId};
use std::collections::BTreeSet;
use std::sync::LazyLock;
use uuid::Uuid;

const GROUPS: usize = 10_000;
const ROOTS: usize = 10;
const ACTOR_GROUPS: usize = 10;
const GRANTS: usize = 100;
const TARGET_GROUPS: usize = 5;
/// Targets of each kind the benchmarks rotate through, so no single target stays hot.
const ROTATION: usize = 64;
/// The privilege decided on: the one P4's manager/viewer scenarios are about.
const ASKED: Privilege = Privilege::UsersEdit;

fn main() {
    divan::main();
}

/// xorshift64*: deterministic, dependency-free, plenty for picking graph shapes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick(&mut self, ids: &[GroupId], n: usize) -> BTreeSet<GroupId> {
        (0..n).map(|_| ids[self.below(ids.len())]).collect()
    }
}

/// The groups and (child, parent) edges: each non-root group has 1–3 parents among the
/// groups created before it.
fn dag(rng: &mut Rng) -> (Vec<GroupId>, Vec<(GroupId, GroupId)>) {
    let ids: Vec<GroupId> = (0..GROUPS)
        .map(|i| GroupId::from_uuid(Uuid::from_u128(0xB000_0000 + i as u128)))
        .collect();
    let mut edges = Vec::new();
    for child in ROOTS..GROUPS {
        for _ in 0..=rng.below(3) {
            edges.push((ids[child], ids[rng.below(child)]));
        }
    }
    (ids, edges)
}

fn build(ids: &[GroupId], edges: &[(GroupId, GroupId)]) -> GroupGraph {
    match GroupGraph::from_edges(ids.iter().copied(), edges.iter().copied()) {
        Ok(graph) => graph,
        Err(e) => {
            // Parents always come earlier, so this cannot happen; say so loudly if it does.
            eprintln!("benchmark DAG refused: {e}");
            std::process::exit(1)
        }
    }
}

struct World {
    ids: Vec<GroupId>,
    edges: Vec<(GroupId, GroupId)>,
    graph: GroupGraph,
    actor: Actor,
    allowed: Vec<Target>,
    denied: Vec<Target>,
}

static WORLD: LazyLock<World> = LazyLock::new(|| {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (ids, edges) = dag(&mut rng);
    let graph = build(&ids, &edges);
    let actor_groups = rng.pick(&ids, ACTOR_GROUPS);
    let actor_ancestors: Vec<GroupId> = actor_groups
        .iter()
        .flat_map(|g| graph.ancestors_or_self(*g))
        .collect();
    let user_id = UserId::new();
    let grants = (0..GRANTS)
        .map(|_| {
            // Mostly the actor's own grants; some to groups, half of those reaching it.
            let subject = match rng.below(10) {
                0 => Subject::Group(actor_ancestors[rng.below(actor_ancestors.len())]),
                1 => Subject::Group(ids[rng.below(GROUPS)]),
                _ => Subject::User(user_id),
            };
            // Never `all`: it would cover everything and end the scan at once.
            let scope = if rng.below(5) == 0 {
                Scope::MemberGroups
            } else {
                let n = 1 + rng.below(3);
                Scope::Groups {
                    group_ids: rng.pick(&ids, n),
                }
            };
            Grant {
                id: GrantId::new(),
                subject,
                privilege: Privilege::ALL[rng.below(Privilege::ALL.len())],
                scope,
            }
        })
        .collect();
    let actor = Actor {
        user_id,
        is_owner: false,
        direct_groups: actor_groups,
        grants,
    };
    let (mut allowed, mut denied) = (Vec::new(), Vec::new());
    while allowed.len() < ROTATION || denied.len() < ROTATION {
        let target = Target::User(TargetUser {
            id: UserId::new(),
            is_owner: false,
            direct_groups: rng.pick(&ids, TARGET_GROUPS),
        });
        let bucket = if is_allowed(&actor, &graph, ASKED, &target) {
            &mut allowed
        } else {
            &mut denied
        };
        if bucket.len() < ROTATION {
            bucket.push(target);
        }
    }
    World {
        ids,
        edges,
        graph,
        actor,
        allowed,
        denied,
    }
});

/// Benchmarks `decide` over the rotating targets. Samples are fixed at 1,000 calls: left to
/// itself divan times single calls here, and a single call is at the timer's resolution.
fn rotate<O>(bencher: Bencher, targets: &'static [Target], decide: fn(&'static Target) -> O) {
    let mut next = 0usize;
    bencher
        .with_inputs(|| {
            next = (next + 1) % targets.len();
            &targets[next]
        })
        .bench_local_values(|target| decide(black_box(target)));
}

fn world() -> &'static World {
    &WORLD
}

#[divan::bench(sample_count = 200, sample_size = 1000)]
fn is_allowed_allowed(bencher: Bencher) {
    rotate(bencher, &world().allowed, |t| {
        is_allowed(&world().actor, &world().graph, ASKED, t)
    });
}

#[divan::bench(sample_count = 200, sample_size = 1000)]
fn is_allowed_denied(bencher: Bencher) {
    rotate(bencher, &world().denied, |t| {
        is_allowed(&world().actor, &world().graph, ASKED, t)
    });
}

#[divan::bench(sample_count = 200, sample_size = 1000)]
fn authorize_allowed(bencher: Bencher) {
    rotate(bencher, &world().allowed, |t| {
        authorize(&world().actor, &world().graph, ASKED, t)
    });
}

/// Denied `users.edit`, then a second scan for `users.view` to tell 404 from 403.
#[divan::bench(sample_count = 200, sample_size = 1000)]
fn authorize_denied(bencher: Bencher) {
    rotate(bencher, &world().denied, |t| {
        authorize(&world().actor, &world().graph, ASKED, t)
    });
}

#[divan::bench(sample_count = 200, sample_size = 1000)]
fn explain_allowed(bencher: Bencher) {
    rotate(bencher, &world().allowed, |t| {
        explain(&world().actor, &world().graph, ASKED, t)
    });
}

#[divan::bench(sample_count = 200, sample_size = 1000)]
fn explain_denied(bencher: Bencher) {
    rotate(bencher, &world().denied, |t| {
        explain(&world().actor, &world().graph, ASKED, t)
    });
}

/// A list's scope: expands every applicable scope group's subtree (not per decision).
#[divan::bench]
fn visibility_users_view(bencher: Bencher) {
    let w = world();
    bencher.bench_local(|| visibility(&w.actor, &w.graph, black_box(Privilege::UsersView)));
}

/// Loading the 10,000-group graph from its edges (what a service does at start).
#[divan::bench(sample_count = 10)]
fn graph_from_edges(bencher: Bencher) {
    let w = world();
    bencher.bench_local(|| build(&w.ids, &w.edges));
}

/// Building the same graph one change at a time (add_group, add_parent).
#[divan::bench(sample_count = 10)]
fn graph_one_change_at_a_time(bencher: Bencher) {
    let w = world();
    bencher.bench_local(|| {
        let mut graph = GroupGraph::new();
        for g in &w.ids {
            graph.add_group(*g);
        }
        for (child, parent) in &w.edges {
            // Accepted by construction; a refusal would only make the run shorter.
            let _ = graph.add_parent(*child, *parent);
        }
        graph
    });
}

/// One group gains a parent above a large subtree, then loses it again.
#[divan::bench(sample_count = 20)]
fn graph_relink_a_root(bencher: Bencher) {
    let w = world();
    let mut graph = w.graph.clone();
    let (root, top) = (w.ids[1], w.ids[0]);
    bencher.bench_local(|| {
        let _ = graph.add_parent(root, top);
        graph.remove_parent(root, top)
    });
}
