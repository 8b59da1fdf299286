//! Fresh databases per test, on every configured backend.
//!
//! `on_every_backend!(a, b)` turns the `async fn a(store: Store)` of a test module into three
//! tests, `a::sqlite`, `a::postgres` and `a::mysql`. SQLite always runs (in memory). A server
//! backend runs when its URL is set; when the URL is set and the server cannot be reached the
//! test fails. When `ROSTER_REQUIRE_ALL_BACKENDS` is set (`.ci/run` sets it), an unset URL
//! fails too, so CI never skips a backend silently.

use roster_infra_db::Store;
use sea_orm::{ConnectionTrait, Database};
use std::future::Future;

/// A database the suite runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
    MySql,
}

impl Backend {
    fn url_variable(self) -> Option<&'static str> {
        match self {
            Self::Sqlite => None,
            Self::Postgres => Some("ROSTER_TEST_POSTGRES_URL"),
            Self::MySql => Some("ROSTER_TEST_MYSQL_URL"),
        }
    }
}

/// Whether every backend must run (CI).
pub fn all_backends_required() -> bool {
    std::env::var_os("ROSTER_REQUIRE_ALL_BACKENDS").is_some()
}

/// The server URL of a backend, `None` when the backend is not configured (and may be
/// skipped: only outside CI).
fn server_url(backend: Backend) -> Option<String> {
    let variable = backend.url_variable()?;
    match std::env::var(variable) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                !all_backends_required(),
                "{variable} is not set but ROSTER_REQUIRE_ALL_BACKENDS is: CI must test {backend:?}"
            );
            eprintln!("{variable} is not set: {backend:?} is not tested in this run");
            None
        }
    }
}

/// `url` with its database name replaced by `name` (query string kept).
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let root = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{root}/{name}?{query}"),
        None => format!("{root}/{name}"),
    }
}

/// A fresh, migrated database on `backend`, and what removes it afterwards.
pub struct TestDatabase {
    pub store: Store,
    server: Option<(String, String)>,
}

impl TestDatabase {
    /// `None` when `backend` is not configured.
    pub async fn create(backend: Backend) -> Option<Self> {
        let Some(admin_url) = server_url(backend) else {
            return match backend {
                Backend::Sqlite => Some(Self::migrated("sqlite::memory:", None).await),
                _ => None,
            };
        };
        let name = format!("roster_t_{}", uuid::Uuid::now_v7().simple());
        let admin = Database::connect(admin_url.as_str())
            .await
            .unwrap_or_else(|e| panic!("{backend:?} at {admin_url} cannot be reached: {e}"));
        let create = match backend {
            Backend::MySql => {
                format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
            }
            _ => format!("CREATE DATABASE \"{name}\""),
        };
        admin
            .execute_unprepared(&create)
            .await
            .unwrap_or_else(|e| panic!("cannot create {name} on {backend:?}: {e}"));
        admin.close().await.ok();
        let url = with_database(&admin_url, &name);
        Some(Self::migrated(&url, Some((admin_url, name))).await)
    }

    async fn migrated(url: &str, server: Option<(String, String)>) -> Self {
        let store = Store::open(url)
            .await
            .unwrap_or_else(|e| panic!("cannot open and migrate {url}: {e}"));
        Self { store, server }
    }

    /// Closes the store and drops the database (left behind when the test failed, for a
    /// look).
    pub async fn drop_database(self) {
        let backend = self.store.backend();
        self.store.close().await.ok();
        if let Some((admin_url, name)) = self.server {
            let drop = match backend {
                sea_orm::DbBackend::MySql => format!("DROP DATABASE IF EXISTS `{name}`"),
                _ => format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            };
            if let Ok(admin) = Database::connect(admin_url.as_str()).await {
                admin.execute_unprepared(&drop).await.ok();
                admin.close().await.ok();
            }
        }
    }
}

/// Runs `test` against a fresh database on `backend` (nothing when it is not configured).
pub async fn run<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let Some(database) = TestDatabase::create(backend).await else {
        return;
    };
    test(database.store.clone()).await;
    database.drop_database().await;
}

/// Turns each `async fn name(store: Store)` of the calling module into one test per backend.
macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use $crate::harness::{run, Backend};

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    run(Backend::Sqlite, super::$name).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    run(Backend::Postgres, super::$name).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn mysql() {
                    run(Backend::MySql, super::$name).await;
                }
            }
        )*
    };
}

#[test]
fn database_names_replace_the_path_of_a_server_url() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/roster_ci", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database(
            "mysql://root@127.0.0.1:3306/roster_ci?ssl-mode=disabled",
            "x"
        ),
        "mysql://root@127.0.0.1:3306/x?ssl-mode=disabled"
    );
    assert_eq!(
        with_database("mysql://root@h:3306", "x"),
        "mysql://root@h:3306/x"
    );
}

/// CI must never pass with a backend left out: with `ROSTER_REQUIRE_ALL_BACKENDS` set, both
/// server URLs must be present.
#[test]
fn ci_configures_every_backend() {
    if all_backends_required() {
        for backend in [Backend::Postgres, Backend::MySql] {
            assert!(
                server_url(backend).is_some(),
                "{backend:?} is not configured"
            );
        }
    }
}
