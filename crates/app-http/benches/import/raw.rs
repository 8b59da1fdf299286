//! The storage bench's raw baseline (crates/infra-db/benches/storage), compiled in as it is:
//! the same 100k users and 200k memberships written with a prepared `INSERT` per row in one
//! transaction (SQLite) or `COPY` (PostgreSQL).

use roster_domain::ids::UserId;

/// One user of the baseline's data set (its shape, as the storage bench defines it).
pub struct Person {
    pub id: UserId,
    pub login: String,
    pub groups: [usize; 2],
}

#[path = "../../../infra-db/benches/storage/bulk/baseline.rs"]
pub mod baseline;

/// The baseline's people: the import's login IDs, two groups each (the import's rows have
/// one to three, two on average: the same membership count).
pub fn people(rows: usize, groups: usize) -> Vec<Person> {
    (0..rows)
        .map(|i| Person {
            id: UserId::new(),
            login: format!("user{i:07}"),
            groups: [i % groups, (i + 1) % groups],
        })
        .collect()
}
