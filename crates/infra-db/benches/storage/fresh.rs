//! The databases a benchmark part runs on: a fresh one per part, dropped afterwards.

use roster_infra_db::Store;
use sea_orm::{ConnectionTrait, Database};

/// A backend the benchmark measures.
#[derive(Debug, Clone)]
pub enum Target {
    /// A SQLite file (WAL) in a temporary folder: the embedded default.
    Sqlite,
    /// A PostgreSQL server; the URL names any database the user may connect to.
    Postgres(String),
}

impl Target {
    /// SQLite, and PostgreSQL when its URL is set.
    pub fn configured() -> Vec<Self> {
        let mut targets = vec![Self::Sqlite];
        let url = std::env::var("ROSTER_BENCH_POSTGRES_URL")
            .or_else(|_| std::env::var("ROSTER_TEST_POSTGRES_URL"));
        match url {
            Ok(url) if !url.is_empty() => targets.push(Self::Postgres(url)),
            _ => println!("(PostgreSQL not measured: set ROSTER_BENCH_POSTGRES_URL)"),
        }
        targets
    }

    /// `SQLite` or `PostgreSQL`.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres(_) => "PostgreSQL",
        }
    }
}

/// A fresh, migrated database.
#[derive(Debug)]
pub struct FreshDb {
    /// Its URL, for raw connections beside the store.
    pub url: String,
    /// The adapter over it.
    pub store: Store,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Folder(std::path::PathBuf),
    Server { admin_url: String, name: String },
}

impl FreshDb {
    /// Creates and migrates a fresh database on `target`; the error says which step failed.
    pub async fn create(target: &Target) -> Result<Self, String> {
        let name = format!("roster_bench_{}", uuid::Uuid::now_v7().simple());
        let (url, cleanup) = match target {
            Target::Sqlite => {
                let folder = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&folder)
                    .map_err(|e| format!("cannot create the temporary folder: {e}"))?;
                let url = format!("sqlite://{}/roster.sqlite?mode=rwc", folder.display());
                (url, Cleanup::Folder(folder))
            }
            Target::Postgres(admin_url) => {
                let admin = Database::connect(admin_url.as_str())
                    .await
                    .map_err(|e| format!("cannot reach PostgreSQL: {e}"))?;
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .map_err(|e| format!("cannot create the database: {e}"))?;
                admin.close().await.ok();
                let root = admin_url
                    .rsplit_once('/')
                    .map_or(admin_url.as_str(), |(root, _)| root);
                let url = format!("{root}/{name}");
                let cleanup = Cleanup::Server {
                    admin_url: admin_url.clone(),
                    name,
                };
                (url, cleanup)
            }
        };
        let store = Store::open(&url)
            .await
            .map_err(|e| format!("cannot open and migrate the store: {e}"))?;
        Ok(Self {
            url,
            store,
            cleanup,
        })
    }

    /// Closes the store and removes the database.
    pub async fn remove(self) {
        self.store.close().await.ok();
        match self.cleanup {
            Cleanup::Folder(folder) => {
                std::fs::remove_dir_all(folder).ok();
            }
            Cleanup::Server { admin_url, name } => {
                if let Ok(admin) = Database::connect(admin_url.as_str()).await {
                    let drop = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                    admin.execute_unprepared(&drop).await.ok();
                    admin.close().await.ok();
                }
            }
        }
    }
}
