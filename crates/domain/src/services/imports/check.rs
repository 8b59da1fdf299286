//! The store checks of one chunk (C3, C4, P3–P5): one batched lookup for the whole chunk,
//! then `check_row` and the plan for every parsed row, in file order.

use super::ImportError;
use super::ImportService;
use super::lookups::{ChunkLookups, SeeFirst};
use super::plan::{Change, PlanContext, Planned, plan_row};
use super::read::Pending;
use crate::authz::Actor;
use crate::csv::{
    FieldChange, ImportOptions, RowAction, RowError, RowLookups, UserRow, check_row, denied,
};
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
                Pending::Parsed(row) => match check_and_plan(*row, run, &lookups) {
                    Ok(planned) => Outcome::Valid(planned),
                    Err(errors) => Outcome::Invalid(errors),
                },
                Pending::Invalid(errors) => Outcome::Invalid(errors),
                Pending::Skipped => Outcome::Skipped,
            })
            .collect())
    }
}

/// C4, C7, P3–P5: the row's checks with visibility only, the plan, then write authority
/// only when the plan changes something. A refused row stays refused whatever the options:
/// the all-or-nothing rule sees it like any other invalid row.
pub(super) fn check_and_plan(
    row: UserRow,
    run: &RunContext<'_>,
    lookups: &ChunkLookups<'_>,
) -> Result<Planned, Vec<RowError>> {
    let mut checked = check_row(row, &run.options, &SeeFirst(lookups))?;
    let facts = match &checked.action {
        RowAction::Create => None,
        RowAction::Update(facts) => Some(facts.clone()),
    };
    let cell = std::mem::replace(&mut checked.group_ids, FieldChange::Keep);
    checked.group_ids = lookups.keep_invisible(facts.as_ref(), cell);
    let groups = checked.group_ids.clone();
    let line = checked.row.line;
    let existing = lookups.existing(&checked.row.login_id);
    let planned = plan_row(checked, existing, &run.plan)?;
    // A creation passed the full check in the first pass; a row that changes nothing
    // needs no write authority.
    if facts.is_none() || matches!(planned.change, Change::Unchanged) {
        return Ok(planned);
    }
    lookups
        .may_write(facts.as_ref(), &groups)
        .map_err(|denial| vec![denied(line, run.options.mode, facts.is_some(), denial)])?;
    Ok(planned)
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
