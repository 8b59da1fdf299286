//! The write pass (C4, C5, C8, C9): the rows accepted by the validation pass are read again,
//! checked again against fresh lookups (the store may have changed in between), their
//! passwords hashed a batch at a time, and written in chunks — all in one transaction, or
//! one per chunk with `skip_invalid`. A row refused now although it passed before is
//! reported; all-or-nothing then writes nothing at all. With invitation mail switched off
//! (M3), rows asking for an invitation create their users without one (no link nobody
//! could deliver) and are counted in the report's `invitations_not_sent`.

use super::check::{Outcome, RunContext};
use super::join::{BoxFuture, join_all};
use super::plan::{Change, Planned};
use super::read::{Reader, RowMask};
use super::run::{Loaded, field_keys, read_chunk};
use super::{ImportError, ImportService};
use crate::csv::{ImportReport, MAX_REPORTED_ERRORS, RowError, WriteDecision};
use crate::error::Unexpected;
use crate::ports::imports::{
    ImportInvitation, ImportPhase, ImportSource, ImportTxn, ImportWriteError, LineWrite, RowWrite,
    WriteMode,
};
use crate::ports::password::{HashError, PasswordHash};
use crate::ports::users::NewUser;
use crate::registration::{MailKind, OneTimeToken, OutgoingMail};
use std::collections::{BTreeMap, BTreeSet};

/// What the write pass did.
#[derive(Debug, Default)]
struct Written {
    created: u64,
    updated: u64,
    /// Rows accepted by the validation pass but refused now.
    late_rows: u64,
    late_errors: Vec<RowError>,
    /// C5, M3: lines whose invitation was not issued (mail off), counted once written.
    not_invited: BTreeSet<u64>,
    invitations_not_sent: u64,
}

impl Written {
    fn late(&mut self, errors: Vec<RowError>) {
        self.late_rows += 1;
        self.late_errors.extend(errors);
    }

    fn count(&mut self, writes: &[LineWrite]) {
        for w in writes {
            if self.not_invited.contains(&w.line) {
                self.invitations_not_sent += 1;
            }
            match w.write {
                RowWrite::Create { .. } => self.created += 1,
                RowWrite::Update { .. } => self.updated += 1,
            }
        }
    }

    /// The report after the pass; `committed` false when all-or-nothing wrote nothing.
    fn into_report(self, mut report: ImportReport, committed: bool) -> ImportReport {
        (report.created, report.updated, report.invitations_not_sent) = if committed {
            (self.created, self.updated, self.invitations_not_sent)
        } else {
            (0, 0, 0)
        };
        report.invalid_rows += self.late_rows;
        for error in self.late_errors {
            if report.errors.len() < MAX_REPORTED_ERRORS {
                report.errors.push(error);
            } else {
                report.errors_omitted += 1;
            }
        }
        report.errors.sort_by_key(|e| e.line);
        report
    }
}

/// The source no longer reads as it did in the validation pass.
fn changed_between_passes() -> ImportError {
    Unexpected::new("the import file read differently in the write pass").into()
}

impl ImportService {
    /// The second pass; `report` is the validation pass's.
    pub(super) async fn write(
        &self,
        run: &RunContext<'_>,
        request: &Loaded,
        source: &mut dyn ImportSource,
        decision: WriteDecision,
        mask: &RowMask,
        report: ImportReport,
    ) -> Result<ImportReport, ImportError> {
        // `skip_invalid` commits per chunk even when every row passed, so a row the store
        // refuses at write time is skipped as the option promises, not fatal to the rest.
        let mode = match (decision, run.options.skip_invalid) {
            (WriteDecision::Nothing, _) => return Ok(report),
            (WriteDecision::AllRows | WriteDecision::ValidRowsOnly, true) => WriteMode::PerChunk,
            (WriteDecision::AllRows | WriteDecision::ValidRowsOnly, false) => {
                WriteMode::AllOrNothing
            }
        };
        let send_invitations = if run.options.invite {
            self.ports
                .notifications
                .get()
                .await?
                .is_enabled(MailKind::Invitation)
        } else {
            false
        };
        let Ok(mut reader) = Reader::open(source, &field_keys(&request.fields))? else {
            return Err(changed_between_passes());
        };
        let mut txn = self.ports.sink.begin(mode).await?;
        let mut written = Written::default();
        let mut index = 0u64;
        loop {
            let keep = |i: u64| mask.get(i);
            let chunk = read_chunk(&mut reader, self.config.chunk_size, request, index, &keep)?;
            index += chunk.rows.len() as u64;
            if chunk.malformed.is_some() {
                return Err(changed_between_passes());
            }
            let mut planned = Vec::new();
            for outcome in self.check_chunk(run, chunk.rows).await? {
                match outcome {
                    Outcome::Valid(p) => planned.push(p),
                    Outcome::Invalid(errors) => written.late(errors),
                    Outcome::Skipped => {}
                }
            }
            if mode == WriteMode::AllOrNothing && written.late_rows > 0 {
                // Dropping the transaction rolls back every chunk written so far.
                return Ok(written.into_report(report, false));
            }
            let writes = self
                .prepare(run, planned, send_invitations, &mut written)
                .await?;
            if !write_rows(txn.as_mut(), writes, mode, &mut written).await? {
                return Ok(written.into_report(report, false));
            }
            self.progress(
                request.job,
                ImportPhase::Writing,
                index,
                Some(report.processed),
            )
            .await?;
            if chunk.last {
                break;
            }
        }
        txn.commit().await?;
        Ok(written.into_report(report, true))
    }

    /// The chunk's writes: passwords hashed (C9), legacy hashes kept as given (C8),
    /// invitations made (C5). Rows that change nothing count as updated, unwritten.
    async fn prepare(
        &self,
        run: &RunContext<'_>,
        planned: Vec<Planned>,
        send_invitations: bool,
        written: &mut Written,
    ) -> Result<Vec<LineWrite>, ImportError> {
        let hashes = self.hash_all(&planned).await?;
        let mut writes = Vec::with_capacity(planned.len());
        for (row, hash) in planned.into_iter().zip(hashes) {
            let write = match row.change {
                Change::Unchanged => {
                    written.updated += 1;
                    continue;
                }
                Change::Create { user, invite, .. } => {
                    let mut user = *user;
                    if hash.is_some() {
                        user.password_hash = hash;
                    }
                    let invitation = match (invite, send_invitations) {
                        (true, true) => self.invitation(&user, run)?,
                        (true, false) => {
                            written.not_invited.insert(row.line);
                            None
                        }
                        (false, _) => None,
                    };
                    RowWrite::Create { user, invitation }
                }
                Change::Update {
                    update,
                    group_ids,
                    legacy_hash,
                    ..
                } => RowWrite::Update {
                    update: *update,
                    group_ids,
                    password_hash: hash.or(legacy_hash),
                },
            };
            writes.push(LineWrite {
                line: row.line,
                write,
            });
        }
        Ok(writes)
    }

    /// C9: the rows' passwords, hashed `hash_concurrency` at a time (the hasher runs them in
    /// parallel off the async threads), in row order; `None` for rows without one.
    async fn hash_all(
        &self,
        planned: &[Planned],
    ) -> Result<Vec<Option<PasswordHash>>, ImportError> {
        let mut hashes = Vec::with_capacity(planned.len());
        for batch in planned.chunks(self.config.hash_concurrency) {
            let futures: Vec<BoxFuture<'_, Result<Option<PasswordHash>, HashError>>> = batch
                .iter()
                .map(|row| -> BoxFuture<'_, _> {
                    match row.password() {
                        Some(password) => {
                            let hasher = self.hasher.as_ref();
                            Box::pin(async move { hasher.hash(password).await.map(Some) })
                        }
                        None => Box::pin(async { Ok(None) }),
                    }
                })
                .collect();
            for hash in join_all(futures).await {
                hashes.push(hash?);
            }
        }
        Ok(hashes)
    }

    /// C5, U5: the invitation of a created user — its link's token and the mail carrying
    /// the link; `None` for a user without an email (`check_row` invites only rows with
    /// one).
    fn invitation(
        &self,
        user: &NewUser,
        run: &RunContext<'_>,
    ) -> Result<Option<ImportInvitation>, ImportError> {
        let Some(to) = &user.email else {
            return Ok(None);
        };
        let (secret, hash) = self.ports.tokens.generate();
        let token = OneTimeToken::invitation(user.id, hash, &self.config.lifetimes, run.plan.now);
        let variables = BTreeMap::from([
            ("site_name".to_owned(), self.config.site_name.clone()),
            ("name".to_owned(), user.name.as_str().to_owned()),
            ("login_id".to_owned(), user.login_id.as_str().to_owned()),
            (
                "link".to_owned(),
                format!("{}{}", self.config.invite_link_base, secret.expose()),
            ),
            (
                "expires_at".to_owned(),
                token.expires_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            ),
        ]);
        let mail = OutgoingMail::new(to.clone(), MailKind::Invitation, variables)
            .map_err(|e| Unexpected::new(e.to_string()))?;
        Ok(Some(ImportInvitation { token, mail }))
    }
}

/// Writes a chunk. A row the store refuses (taken or changed meanwhile) is reported; with
/// `PerChunk` the chunk is written again without it, with `AllOrNothing` nothing is written
/// (`Ok(false)`: the caller drops the transaction).
async fn write_rows(
    txn: &mut dyn ImportTxn,
    mut writes: Vec<LineWrite>,
    mode: WriteMode,
    written: &mut Written,
) -> Result<bool, ImportError> {
    while !writes.is_empty() {
        match txn.write_chunk(&writes).await {
            Ok(()) => {
                written.count(&writes);
                return Ok(true);
            }
            Err(ImportWriteError::Unexpected(u)) => return Err(u.into()),
            Err(ImportWriteError::Row(error)) => {
                let before = writes.len();
                writes.retain(|w| w.line != error.line);
                if writes.len() == before {
                    // A refusal naming no row of the chunk would loop forever.
                    return Err(Unexpected::new(format!(
                        "the import writer refused line {}, which is not in the chunk",
                        error.line
                    ))
                    .into());
                }
                written.late(vec![error]);
                if mode == WriteMode::AllOrNothing {
                    return Ok(false);
                }
            }
        }
    }
    Ok(true)
}
