//! `roster serve`'s background jobs (U6, A7, M4, O5): the domain's `JobRunner` over the
//! store, with the mail dispatcher over the configured transport (SMTP or the outbox),
//! ticking every mail interval until shutdown. Several instances may run it on one
//! database: the job claims and the mail claims keep each job and each mail to one.

use super::config::Config;
use chrono::Duration;
use roster_domain::ports::jobs::JobKind;
use roster_domain::registration::RetryPolicy;
use roster_domain::services::{
    JobOutcome, JobPorts, JobRunner, JobsConfig, MailDispatchPorts, MailDispatcher,
};
use roster_infra_db::Store;
use roster_infra_mail::MiniJinjaRenderer;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The runner over `store` and the configured mail transport.
pub fn runner(config: &Config, store: &Store) -> Result<JobRunner, String> {
    let transport = roster_infra_mail::transport(
        config.smtp_url.as_deref(),
        &config.mail_outbox,
        &config.mail_from,
    )
    .map_err(|e| e.to_string())?;
    let shared = Arc::new(store.clone());
    let mail = MailDispatcher::new(
        MailDispatchPorts {
            outbox: shared.clone(),
            templates: shared.clone(),
            renderer: Arc::new(MiniJinjaRenderer),
            transport,
        },
        RetryPolicy::default(),
    );
    let ports = JobPorts {
        claims: shared.clone(),
        purge: shared.clone(),
        records: shared.clone(),
        applications: shared.clone(),
        registration_settings: shared.clone(),
        tokens: shared.clone(),
        sessions: shared.clone(),
        throttle: shared,
        mail: Arc::new(mail),
    };
    let jobs = JobsConfig {
        mail_interval: Duration::seconds(i64::from(config.mail_interval_seconds)),
        maintenance_interval: Duration::minutes(i64::from(config.jobs_interval_minutes)),
        purge_expired_grades: config.purge_expired_grades,
        ..JobsConfig::default()
    };
    Ok(JobRunner::new(ports, jobs))
}

/// Runs a tick every `tick` until `stop` turns true; the tick in progress finishes first.
pub fn spawn(
    runner: JobRunner,
    tick: std::time::Duration,
    mut stop: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            for report in runner.run_due(chrono::Utc::now()).await {
                log(report.kind, &report.outcome);
            }
            tokio::select! {
                _ = tokio::time::sleep(tick) => {}
                _ = stop.changed() => {}
            }
            if *stop.borrow() {
                return;
            }
        }
    })
}

/// `roster jobs run`: every due job once (O5: claimed like the server's ticks, so it never
/// runs a job another instance holds), a line per job on standard output; an error when
/// any job failed.
pub async fn run_once(config: &Config) -> Result<(), String> {
    let store = super::wiring::open_store(config).await?;
    let reports = runner(config, &store)?.run_due(chrono::Utc::now()).await;
    let mut failed = 0;
    for report in &reports {
        let line = match &report.outcome {
            JobOutcome::Disabled => "switched off".to_owned(),
            JobOutcome::NotDue => "not due (or running elsewhere)".to_owned(),
            JobOutcome::Done { items } => format!("done, {items} handled"),
            JobOutcome::Failed { code, message } => {
                failed += 1;
                format!("FAILED [{code}]: {message}")
            }
        };
        println!("{}: {line}", report.kind);
    }
    match failed {
        0 => Ok(()),
        n => Err(format!("{n} job(s) failed; a later run retries them")),
    }
}

fn log(kind: JobKind, outcome: &JobOutcome) {
    match outcome {
        JobOutcome::Done { items } if *items > 0 => {
            tracing::info!(job = %kind, items, "job ran");
        }
        JobOutcome::Failed { code, message } => {
            tracing::warn!(job = %kind, code, message, "job failed; a later tick retries");
        }
        _ => {}
    }
}
