//! Databases beyond the in-memory SQLite: a fresh PostgreSQL database per test (named
//! `roster_t_…`, beside the one `ROSTER_TEST_POSTGRES_URL` names, dropped afterwards), and
//! the rule that CI never skips it: with `ROSTER_REQUIRE_ALL_BACKENDS` set, a missing URL
//! fails the test.

use sea_orm::{ConnectionTrait, Database};

/// A fresh PostgreSQL database, dropped by [`Fresh::drop_database`].
pub struct Fresh {
    /// Its URL.
    pub url: String,
    admin_url: String,
    name: String,
}

/// A fresh PostgreSQL database; `None` when none is configured and CI does not require it.
pub async fn postgres() -> Option<Fresh> {
    let admin_url = match std::env::var("ROSTER_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            assert!(
                std::env::var_os("ROSTER_REQUIRE_ALL_BACKENDS").is_none(),
                "ROSTER_TEST_POSTGRES_URL is not set but ROSTER_REQUIRE_ALL_BACKENDS is"
            );
            eprintln!("ROSTER_TEST_POSTGRES_URL is not set: PostgreSQL is not tested here");
            return None;
        }
    };
    let name = format!("roster_t_{}", uuid::Uuid::now_v7().simple());
    let admin = Database::connect(admin_url.as_str())
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} cannot be reached: {e}"));
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    admin.close().await.ok();
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (admin_url.as_str(), String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let root = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    let url = format!("{root}/{name}{query}");
    Some(Fresh {
        url,
        admin_url,
        name,
    })
}

impl Fresh {
    /// Drops the database (left behind when the test failed, for a look).
    pub async fn drop_database(self) {
        if let Ok(admin) = Database::connect(self.admin_url.as_str()).await {
            let drop = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
            admin.execute_unprepared(&drop).await.ok();
            admin.close().await.ok();
        }
    }
}
