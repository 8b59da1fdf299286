//! Running an import (C4, C6, Z1): authority first, the validation pass, the C4 decision,
//! the write pass when there is something to write, then the job's outcome and one audit
//! entry with the counts.

use super::check::{Outcome, RunContext};
use super::plan::PlanContext;
use super::read::{Chunk, Reader, RowMask, attribute_cell, expiry_cell};
use super::{ImportError, ImportService, options_details};
use crate::authz::{Actor, Privilege};
use crate::csv::{ImportOptions, ImportReport, ImportTally, RowContext, WriteDecision};
use crate::error::{ErrorCode, Unexpected};
use crate::ids::ImportJobId;
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::ports::imports::{ImportOutcome, ImportPhase, ImportProgress, ImportSource};
use crate::services::audit::Details;
use crate::services::guard::require_some;
use crate::user::fields::FieldDefinition;

/// One import to run: its job and how.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// The job made by [`ImportService::submit`].
    pub job: ImportJobId,
    /// Mode and switches (C3, C4, C5).
    pub options: ImportOptions,
}

/// A request with the custom field definitions (U8) read once at the start of the run: their
/// keys are the extra columns and their rules check the cells, the same for both passes.
#[derive(Debug)]
pub(super) struct Loaded {
    pub(super) job: ImportJobId,
    pub(super) options: ImportOptions,
    pub(super) fields: Vec<FieldDefinition>,
}

impl ImportService {
    /// C1, C3–C6, C8, C9: runs a submitted import over `source`. Needs `users.edit`
    /// somewhere, checked before any row is read (P1); then every row must pass the actor's
    /// authority over it (P3–P5). Validates every row, in chunks with one lookup each; then,
    /// as C4 decides — all or nothing by default, nothing on a dry run, the valid rows with
    /// `skip_invalid` — writes them in a second pass over the source, hashing passwords
    /// several at a time (C9) and inviting created users when asked (C5). Progress is
    /// recorded per chunk and the outcome at the end (C6). Audited once as `import.run` with
    /// the counts (Z1). Returns the report (also stored with the job).
    /// Errors: `forbidden`; `busy` (the hasher; with `skip_invalid`, chunks written before
    /// stay written); `unexpected`.
    pub async fn run(
        &self,
        actor: &Actor,
        request: &ImportRequest,
        source: &mut dyn ImportSource,
    ) -> Result<ImportReport, ImportError> {
        let result = self.run_passes(actor, request, source).await;
        let outcome = match &result {
            Ok(report) => ImportOutcome::from(report),
            Err(e) => ImportOutcome::Failed {
                code: e.code().to_owned(),
            },
        };
        // The import ran but nobody could see how it ended: an operator must look.
        let result = match (self.ports.jobs.finish(request.job, &outcome).await, result) {
            (Err(e), Ok(_)) => Err(e.into()),
            (_, result) => result,
        };
        let mut details = options_details(&request.options);
        if let Ok(report) = &result {
            details.extend(report_details(report));
        }
        let target = AuditTarget::new(AuditTargetKind::Import, request.job);
        self.auditor
            .record(actor, AuditAction::ImportRun, target, details, result)
            .await
    }

    async fn run_passes(
        &self,
        actor: &Actor,
        request: &ImportRequest,
        source: &mut dyn ImportSource,
    ) -> Result<ImportReport, ImportError> {
        let graph = self.groups.graph().await?;
        require_some(actor, &graph, Privilege::UsersEdit)?;
        let request = &Loaded {
            job: request.job,
            options: request.options,
            fields: self.fields.list().await?,
        };
        let run = RunContext {
            actor,
            graph,
            options: request.options,
            plan: PlanContext {
                actor: actor.user_id,
                fields: &request.fields,
                now: self.clock.now(),
            },
        };
        self.progress(request.job, ImportPhase::Validating, 0, None)
            .await?;
        let (decision, report, mask) = self.validate(&run, request, source).await?;
        match decision {
            WriteDecision::Nothing => Ok(report),
            WriteDecision::AllRows | WriteDecision::ValidRowsOnly => {
                source.rewind()?;
                self.write(&run, request, source, decision, &mask, report)
                    .await
            }
        }
    }

    /// The first pass: every row checked and tallied; one bit per row remembered.
    async fn validate(
        &self,
        run: &RunContext<'_>,
        request: &Loaded,
        source: &mut dyn ImportSource,
    ) -> Result<(WriteDecision, ImportReport, RowMask), ImportError> {
        let mut tally = ImportTally::new();
        let mut mask = RowMask::default();
        let mut reader = match Reader::open(source, &field_keys(&request.fields))? {
            Ok(reader) => reader,
            Err(problems) => {
                tally.header_errors(problems);
                let (decision, report) = tally.finish(&run.options);
                return Ok((decision, report, mask));
            }
        };
        loop {
            let first = mask.len();
            let chunk = read_chunk(&mut reader, self.config.chunk_size, request, first, &|_| {
                true
            })?;
            for outcome in self.check_chunk(run, chunk.rows).await? {
                match outcome {
                    Outcome::Valid(planned) => {
                        tally.valid_row(&planned.action);
                        mask.push(true);
                    }
                    Outcome::Invalid(errors) => {
                        tally.invalid_row(errors);
                        mask.push(false);
                    }
                    Outcome::Skipped => mask.push(false),
                }
            }
            if let Some(problem) = chunk.malformed {
                tally.header_errors(vec![problem]);
            }
            self.progress(
                request.job,
                ImportPhase::Validating,
                tally.processed(),
                None,
            )
            .await?;
            if chunk.last {
                break;
            }
        }
        let (decision, report) = tally.finish(&run.options);
        Ok((decision, report, mask))
    }

    /// Records how far the import has come (C6).
    pub(super) async fn progress(
        &self,
        job: ImportJobId,
        phase: ImportPhase,
        processed: u64,
        total: Option<u64>,
    ) -> Result<(), ImportError> {
        let progress = ImportProgress {
            phase,
            processed,
            total,
        };
        Ok(self.ports.jobs.update_progress(job, &progress).await?)
    }
}

/// The custom field keys, as header columns.
pub(super) fn field_keys(fields: &[FieldDefinition]) -> Vec<String> {
    fields.iter().map(|d| d.key().as_str().to_owned()).collect()
}

/// Reads a chunk. Synchronous, so the row context (which borrows plain closures) never lives
/// across an `await` and the import's future stays `Send`.
pub(super) fn read_chunk(
    reader: &mut Reader<'_>,
    size: usize,
    request: &Loaded,
    first: u64,
    keep: &dyn Fn(u64) -> bool,
) -> Result<Chunk, Unexpected> {
    let attribute = |key: &str, value: &str| attribute_cell(&request.fields, key, value);
    let ctx = RowContext {
        parse_expiry: &expiry_cell,
        check_attribute: &attribute,
    };
    reader.next_chunk(size, &ctx, first, keep)
}

fn report_details(report: &ImportReport) -> Details {
    Details::from([
        ("processed".to_owned(), report.processed.to_string()),
        ("created".to_owned(), report.created.to_string()),
        ("updated".to_owned(), report.updated.to_string()),
        ("invalid_rows".to_owned(), report.invalid_rows.to_string()),
    ])
}
