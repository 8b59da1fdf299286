//! The store checks of one chunk (C3, C4, P3–P5): one batched lookup for the whole chunk,
//! then `check_row` and the plan for every parsed row, in file order.

use super::ImportError;
use super::ImportService;
use super::lookups::ChunkLookups;
use super::plan::{PlanContext, Planned, plan_row};
use super::read::Pending;
use crate::authz::Actor;
use crate::csv::{FieldChange, ImportOptions, RowError, UserRow, check_row};
use crate::group::graph::GroupGraph;
use crate::ports::imports::{LookupAnswer, LookupRequest};
use std::collections::HashSet;

/// What one run checks against, the same for every chunk.
#[derive(Debug)]
pub(super) struct RunContext<'a> {
    /// Who imports.
    pub actor: &'a Actor,
    /// The group graph, read once when the import starts.
    pub graph: GroupGraph,
    /// Mode and switches.
    pub options: ImportOptions,
    /// Planning context (custom fields, time).
    pub plan: PlanContext<'a>,
}

/// One row after every check.
#[derive(Debug)]
pub(super) enum Outcome {
    /// Ready to write.
    Valid(Planned),
    /// Refused, with its problems.
    Invalid(Vec<RowError>),
    /// Not looked at in this pass.
    Skipped,
}

impl ImportService {
    /// Checks a chunk: one lookup call for all its parsed rows (none when it has none).
    pub(super) async fn check_chunk(
        &self,
        run: &RunContext<'_>,
        rows: Vec<Pending>,
    ) -> Result<Vec<Outcome>, ImportError> {
        let parsed: Vec<&UserRow> = rows
            .iter()
            .filter_map(|p| match p {
                Pending::Parsed(row) => Some(row.as_ref()),
                Pending::Invalid(_) | Pending::Skipped => None,
            })
            .collect();
        let answer = if parsed.is_empty() {
            LookupAnswer::default()
        } else {
            self.ports.lookups.lookup(&lookup_request(&parsed)).await?
        };
        let lookups = ChunkLookups::new(run.actor, &run.graph, answer);
        Ok(rows
            .into_iter()
            .map(|pending| match pending {
                Pending::Parsed(row) => {
                    let checked = check_row(*row, &run.options, &lookups).and_then(|c| {
                        let existing = lookups.existing(&c.row.login_id);
                        plan_row(c, existing, &run.plan)
                    });
                    match checked {
                        Ok(planned) => Outcome::Valid(planned),
                        Err(errors) => Outcome::Invalid(errors),
                    }
                }
                Pending::Invalid(errors) => Outcome::Invalid(errors),
                Pending::Skipped => Outcome::Skipped,
            })
            .collect())
    }
}

/// The login IDs and group names of the rows, each once.
fn lookup_request(rows: &[&UserRow]) -> LookupRequest {
    let mut request = LookupRequest::default();
    let (mut logins, mut groups) = (HashSet::new(), HashSet::new());
    for row in rows {
        if logins.insert(row.login_id.key().to_owned()) {
            request.login_ids.push(row.login_id.clone());
        }
        if let FieldChange::Set(names) = &row.groups {
            for name in names {
                if groups.insert(name.key().to_owned()) {
                    request.group_names.push(name.clone());
                }
            }
        }
    }
    request
}
