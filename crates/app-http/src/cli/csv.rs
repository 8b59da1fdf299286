//! `roster import` and `roster export` (C1–C9) on the configured database, acting as the
//! owner or as `--as LOGIN_ID` (whose privileges and scope then apply to every row, as over
//! HTTP). The import shows a progress bar (C6) and a report with every problem by line and
//! column, and exits non-zero when any row was refused or the import failed.

use super::config::Config;
use super::wiring;
use indicatif::{ProgressBar, ProgressStyle};
use roster_app_http::{Adapters, LiveImportJobs, SystemClock};
use roster_domain::authz::Actor;
use roster_domain::csv::{ImportMode, ImportOptions, ImportReport};
use roster_domain::ids::{GroupId, ImportJobId};
use roster_domain::ports::PageRequest;
use roster_domain::ports::imports::{ImportJobs, ImportPhase, ImportProgress};
use roster_domain::ports::users::UserRepository;
use roster_domain::services::{
    ExportService, ImportPorts, ImportRequest, ImportService, UserQuery, load_actor,
};
use roster_domain::user::{LoginId, UserStatus};
use roster_infra_crypto::OsTokenGenerator;
use roster_infra_csv::{CsvSource, CsvWriter, Encoding};
use roster_infra_db::Store;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// What `roster import` was asked.
#[derive(Debug)]
pub struct ImportArgs {
    pub file: PathBuf,
    pub mode: ImportMode,
    pub dry_run: bool,
    pub skip_invalid: bool,
    pub invite: bool,
    pub encoding: Option<Encoding>,
    pub acting_as: Option<String>,
}

/// What `roster export` was asked.
#[derive(Debug)]
pub struct ExportArgs {
    pub encoding: Encoding,
    pub q: Option<String>,
    pub group_id: Option<uuid::Uuid>,
    pub status: Option<String>,
    pub output: Option<PathBuf>,
    pub acting_as: Option<String>,
}

/// The store, the adapters over it and the acting user.
async fn open(
    config: &Config,
    acting_as: Option<&str>,
) -> Result<(Store, Adapters, Actor), String> {
    let store = wiring::open_store(config).await?;
    let login = acting_as.unwrap_or(&config.owner_login_id);
    let login_id = LoginId::parse(login).map_err(|e| format!("--as {login}: {e}"))?;
    let user = store
        .get_by_login_id(&login_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no user with the login ID {login}"))?;
    let actor = load_actor(user.id, &store, &store)
        .await
        .map_err(|e| format!("cannot load {login}: {e}"))?;
    let hasher = wiring::hasher(config);
    let adapters = Adapters::over_store(
        store.clone(),
        Arc::new(hasher),
        Arc::new(OsTokenGenerator),
        Arc::new(SystemClock),
    );
    Ok((store, adapters, actor))
}

/// `roster import FILE`.
pub async fn import(config: &Config, args: ImportArgs) -> Result<(), String> {
    let (store, adapters, actor) = open(config, args.acting_as.as_deref()).await?;
    let import_config = wiring::import_config(config, &wiring::hasher(config));
    let live = Arc::new(LiveImportJobs::new(Arc::new(store)));
    let jobs: Arc<dyn ImportJobs> = live.clone();
    let ports = ImportPorts {
        jobs,
        ..adapters.csv.imports.clone()
    };
    let service = ImportService::new(&adapters.ports, ports, import_config);
    let mut source = open_file(&args.file, args.encoding)?;
    let options = ImportOptions {
        mode: args.mode,
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
        invite: args.invite,
    };
    let job = service
        .submit(&actor, options)
        .await
        .map_err(|e| e.to_string())?;
    let bar = progress_bar();
    let request = ImportRequest { job, options };
    let run = service.run(&actor, &request, &mut source);
    tokio::pin!(run);
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    let result = loop {
        tokio::select! {
            result = &mut run => break result,
            _ = tick.tick() => show(&bar, live.progress(job)),
        }
    };
    bar.finish_and_clear();
    let report = result.map_err(|e| format!("the import stopped: {e}"))?;
    print_report(&report, options, job);
    if report.invalid_rows > 0 {
        let written = if options.dry_run || (!options.skip_invalid) {
            "nothing was written"
        } else {
            "the other rows were written"
        };
        return Err(format!(
            "{} row(s) have errors; {written}",
            report.invalid_rows
        ));
    }
    Ok(())
}

fn open_file(path: &Path, encoding: Option<Encoding>) -> Result<CsvSource, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    match encoding {
        Some(encoding) => CsvSource::open(file, encoding),
        None => CsvSource::detect(file),
    }
    .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed_precise}] {wide_bar} {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message("starting");
    bar
}

fn show(bar: &ProgressBar, progress: Option<ImportProgress>) {
    let Some(progress) = progress else { return };
    let phase = match progress.phase {
        ImportPhase::Queued => "starting",
        ImportPhase::Validating => "checking rows",
        ImportPhase::Writing => "writing rows",
    };
    bar.set_message(phase);
    if let Some(total) = progress.total {
        bar.set_length(total);
    }
    bar.set_position(progress.processed);
    bar.tick();
}

fn print_report(report: &ImportReport, options: ImportOptions, job: ImportJobId) {
    let would = if options.dry_run {
        " (dry run: nothing written)"
    } else {
        ""
    };
    println!(
        "import {}: {} row(s) read, {} created, {} updated, {} with errors{would}",
        job.as_uuid(),
        report.processed,
        report.created,
        report.updated,
        report.invalid_rows
    );
    if report.invitations_not_sent > 0 {
        println!(
            "{} user(s) created without an invitation: invitation mail is switched off",
            report.invitations_not_sent
        );
    }
    for error in &report.errors {
        eprintln!("  {error} [{}]", error.code);
    }
    if report.errors_omitted > 0 {
        eprintln!("  … and {} more problem(s)", report.errors_omitted);
    }
}

/// `roster export`.
pub async fn export(config: &Config, args: ExportArgs) -> Result<(), String> {
    let (_store, adapters, actor) = open(config, args.acting_as.as_deref()).await?;
    let status = args
        .status
        .as_deref()
        .map(UserStatus::parse)
        .transpose()
        .map_err(|e| format!("--status: {e}"))?;
    let query = UserQuery {
        q: args.q,
        group_id: args.group_id.map(GroupId::from_uuid),
        status,
    };
    let keys: Vec<String> = adapters
        .ports
        .fields
        .list()
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .map(|d| d.key().as_str().to_owned())
        .collect();
    let service = ExportService::new(&adapters.ports, adapters.csv.export_names.clone());
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| format!("cannot create {}: {e}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut writer = CsvWriter::new(args.encoding);
    let mut bytes = Vec::new();
    writer.record(&service.header(&keys), &mut bytes);
    let mut cursor = None;
    let mut rows = 0u64;
    loop {
        let page = service
            .page(&actor, &query, &keys, PageRequest::new(Some(500), cursor))
            .await
            .map_err(|e| e.to_string())?;
        for row in &page.items {
            writer.record(row, &mut bytes);
        }
        rows += page.items.len() as u64;
        out.write_all(&bytes)
            .map_err(|e| format!("cannot write: {e}"))?;
        bytes.clear();
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    out.flush().map_err(|e| format!("cannot write: {e}"))?;
    if writer.unmappable() > 0 {
        eprintln!(
            "warning: {} character(s) have no Shift_JIS code and were written as `?`; use --encoding utf-8-bom to keep them",
            writer.unmappable()
        );
    }
    eprintln!("exported {rows} user(s)");
    Ok(())
}
