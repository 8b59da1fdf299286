//! A fresh database with ten groups and the owner, the import service over it as the
//! `roster` binary builds it, and the CSV files the parts import.

use crate::fresh::{FreshDb, Target};
use roster_app_http::LiveImportJobs;
use roster_app_http::{Adapters, SystemClock};
use roster_domain::authz::Actor;
use roster_domain::ids::GroupId;
use roster_domain::ports::password::PlainPassword;
use roster_domain::services::{
    BootstrapOutcome, ImportConfig, ImportPorts, ImportService, OwnerConfig, Ports, ensure_owner,
    load_actor,
};
use roster_domain::user::{DisplayName, LoginId};
use roster_infra_crypto::{Argon2Hasher, OsTokenGenerator};
use roster_infra_db::Store;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, Query};
use std::io::{BufWriter, Write};
use std::sync::Arc;

/// Groups in every database.
pub const GROUPS: usize = 10;

/// A database ready to import into.
pub struct Ready {
    pub db: FreshDb,
    pub owner: Actor,
    pub service: ImportService,
}

/// Creates the database, its groups and owner, and the import service (hashing on
/// `hasher`, `2 × workers` passwords in flight, as `roster serve` sets it).
pub async fn ready(target: &Target, hasher: &Argon2Hasher) -> Result<Ready, String> {
    let db = FreshDb::create(target).await?;
    create_groups(&db.store).await?;
    let owner = OwnerConfig {
        login_id: LoginId::parse("owner").map_err(|e| e.to_string())?,
        name: DisplayName::parse("Owner").map_err(|e| e.to_string())?,
        password: Some(PlainPassword::new("Owner-Pass-1234!")),
    };
    let created = ensure_owner(&db.store, hasher, &OsTokenGenerator, &SystemClock, owner)
        .await
        .map_err(|e| e.to_string())?;
    let BootstrapOutcome::Created { owner, .. } = created else {
        return Err("the fresh database had an owner".into());
    };
    let owner = load_actor(owner.id, &db.store, &db.store)
        .await
        .map_err(|e| e.to_string())?;
    let service = service(&db.store, hasher);
    Ok(Ready { db, owner, service })
}

fn service(store: &Store, hasher: &Argon2Hasher) -> ImportService {
    let adapters = Adapters::over_store(
        store.clone(),
        Arc::new(hasher.clone()),
        Arc::new(OsTokenGenerator),
        Arc::new(SystemClock),
    );
    let ports: Ports = adapters.ports;
    let imports = ImportPorts {
        jobs: Arc::new(LiveImportJobs::new(Arc::new(store.clone()))),
        ..adapters.csv.imports
    };
    let config = ImportConfig {
        hash_concurrency: 2 * hasher.workers(),
        ..ImportConfig::default()
    };
    ImportService::new(&ports, imports, config)
}

pub async fn create_groups(store: &Store) -> Result<Vec<GroupId>, String> {
    let ids: Vec<GroupId> = (0..GROUPS).map(|_| GroupId::new()).collect();
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("groups"))
        .columns(["id", "name", "name_key", "description"].map(Alias::new));
    for (i, id) in ids.iter().enumerate() {
        let name = format!("group{i}");
        insert
            .values([
                Expr::val(id.as_uuid()),
                Expr::val(name.clone()),
                Expr::val(name),
                Expr::val(""),
            ])
            .map_err(|e| e.to_string())?;
    }
    store
        .connection()
        .execute(&insert)
        .await
        .map_err(|e| format!("cannot create the groups: {e}"))?;
    Ok(ids)
}

/// A CSV file of `rows` new users with one to three groups each (two on average), and a
/// password when `passwords` is set, in an unnamed temporary file.
pub fn csv_file(rows: usize, passwords: bool) -> Result<std::fs::File, String> {
    let file = tempfile::tempfile().map_err(|e| e.to_string())?;
    let mut out = BufWriter::new(file);
    let header = if passwords {
        "login_id,name,email,groups,password\r\n"
    } else {
        "login_id,name,email,groups\r\n"
    };
    let mut write = || -> std::io::Result<()> {
        out.write_all(header.as_bytes())?;
        for i in 0..rows {
            let groups: Vec<String> = (0..1 + i % 3)
                .map(|k| format!("group{}", (i + k) % GROUPS))
                .collect();
            write!(
                out,
                "user{i:07},\"利用者 {i}, 学生\",user{i}@example.com,{}",
                groups.join(";")
            )?;
            if passwords {
                write!(out, ",Correct-Horse-{i}-Staple!")?;
            }
            out.write_all(b"\r\n")?;
        }
        out.flush()
    };
    write().map_err(|e| e.to_string())?;
    out.into_inner().map_err(|e| e.to_string())
}
