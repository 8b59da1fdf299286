//! Test support for the import service: an in-memory source, a store the lookup mock
//! answers from, and a transaction mock that records what it is given.

use super::{ImportConfig, ImportPorts, ImportRequest, ImportService};
use crate::csv::{ImportMode, ImportOptions, RowError};
use crate::group::{Group, GroupName};
use crate::ids::{GroupId, ImportJobId};
use crate::ports::audit::AuditAction;
use crate::ports::imports::{
    ImportOutcome, ImportUser, LineWrite, LookupAnswer, MockImportJobs, MockImportLookups,
    MockImportSink, MockImportTxn, SourceError, SourceRecord, WriteMode,
};
use crate::ports::mail::MockNotificationSettingsStore;
use crate::ports::password::PasswordHash;
use crate::ports::tokens::MockTokenGenerator;
use crate::registration::{NotificationSettings, PlainToken, TokenHash};
use crate::services::testing::Mocks;
use crate::user::User;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// One item of an in-memory file.
#[derive(Debug, Clone)]
pub(super) enum Item {
    Record(u64, Vec<String>),
    BadRecord(RowError),
    Malformed(RowError),
}

/// An in-memory decoded file that counts its reads.
#[derive(Debug, Clone)]
pub(super) struct VecSource {
    pub items: Vec<Item>,
    pub position: usize,
    pub reads: Arc<AtomicUsize>,
}

impl VecSource {
    /// Lines of comma-separated cells (no quoting), the first being the header at line 1.
    pub fn csv(lines: &[&str]) -> Self {
        let items = lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                Item::Record(i as u64 + 1, line.split(',').map(str::to_owned).collect())
            })
            .collect();
        Self {
            items,
            position: 0,
            reads: Arc::new(AtomicUsize::new(0)),
        }
    }
}

impl crate::ports::imports::ImportSource for VecSource {
    fn next_record(&mut self) -> Option<Result<SourceRecord, SourceError>> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        let item = self.items.get(self.position)?.clone();
        self.position += 1;
        Some(match item {
            Item::Record(line, cells) => Ok(SourceRecord { line, cells }),
            Item::BadRecord(e) => Err(SourceError::Record(e)),
            Item::Malformed(e) => Err(SourceError::Malformed(e)),
        })
    }

    fn rewind(&mut self) -> Result<(), crate::Unexpected> {
        self.position = 0;
        Ok(())
    }
}

/// A stored user as the lookup returns it.
pub(super) fn stored_user(u: &User, groups: &[GroupId]) -> ImportUser {
    ImportUser {
        user: u.clone(),
        direct_groups: groups.iter().copied().collect(),
        grants: Vec::new(),
        live_integration_source: false,
    }
}

/// A group named `name` with this id.
pub(super) fn group(id: GroupId, name: &str) -> Group {
    Group {
        id,
        name: GroupName::parse(name).unwrap(),
        external_code: None,
        description: crate::group::GroupDescription::default(),
    }
}

/// Everything the import touches, mocked.
pub(super) struct ImportMocks {
    pub m: Mocks,
    pub lookups: MockImportLookups,
    pub sink: MockImportSink,
    pub jobs: MockImportJobs,
    pub tokens: MockTokenGenerator,
    pub notifications: MockNotificationSettingsStore,
    pub config: ImportConfig,
}

impl ImportMocks {
    /// Mocks with no custom fields defined (set others with `m.with_fields` after a
    /// `m.fields.checkpoint()`).
    pub fn new() -> Self {
        let mut m = Mocks::new();
        m.with_fields(Vec::new());
        Self {
            m,
            lookups: MockImportLookups::new(),
            sink: MockImportSink::new(),
            jobs: MockImportJobs::new(),
            tokens: MockTokenGenerator::new(),
            notifications: MockNotificationSettingsStore::new(),
            config: ImportConfig::default(),
        }
    }

    pub fn service(self) -> ImportService {
        let ports = ImportPorts {
            lookups: Arc::new(self.lookups),
            sink: Arc::new(self.sink),
            jobs: Arc::new(self.jobs),
            tokens: Arc::new(self.tokens),
            notifications: Arc::new(self.notifications),
        };
        ImportService::new(&self.m.ports(), ports, self.config)
    }

    /// The lookup answers from this store, returning only what was asked; counts its calls.
    pub fn with_store(&mut self, users: Vec<ImportUser>, groups: Vec<Group>) -> Arc<AtomicUsize> {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        self.lookups.expect_lookup().returning(move |request| {
            counter.fetch_add(1, Ordering::SeqCst);
            let users = users
                .iter()
                .filter(|u| {
                    request
                        .login_ids
                        .iter()
                        .any(|l| l.key() == u.user.login_id.key())
                })
                .cloned()
                .collect();
            let groups = groups
                .iter()
                .filter(|g| request.group_names.iter().any(|n| n.key() == g.name.key()))
                .cloned()
                .collect();
            Ok(LookupAnswer {
                users,
                groups,
                group_grants: Vec::new(),
            })
        });
        calls
    }

    /// Progress is recorded freely; the job ends once, with an outcome `check` accepts.
    pub fn expect_finish(&mut self, check: fn(&ImportOutcome) -> bool) {
        self.jobs.expect_update_progress().returning(|_, _| Ok(()));
        self.jobs
            .expect_finish()
            .times(1)
            .withf(move |_, outcome| check(outcome))
            .returning(|_, _| Ok(()));
    }

    /// The write pass opens one transaction in `mode`, which records every chunk written and
    /// expects one commit.
    pub fn expect_writes(&mut self, mode: WriteMode) -> Arc<Mutex<Vec<LineWrite>>> {
        let written = Arc::new(Mutex::new(Vec::new()));
        let mut txn = MockImportTxn::new();
        let log = written.clone();
        txn.expect_write_chunk().returning(move |rows| {
            log.lock().unwrap().extend_from_slice(rows);
            Ok(())
        });
        txn.expect_commit().times(1).returning(|| Ok(()));
        self.expect_txn(mode, txn);
        written
    }

    /// The write pass opens this transaction.
    pub fn expect_txn(&mut self, mode: WriteMode, txn: MockImportTxn) {
        self.sink
            .expect_begin()
            .withf(move |m| *m == mode)
            .times(1)
            .return_once(move |_| Ok(Box::new(txn)));
    }

    /// No write pass at all.
    pub fn expect_no_writes(&mut self) {
        self.sink.expect_begin().times(0);
    }

    /// Passwords hash to `hash:<password>`.
    pub fn hashing(&mut self) {
        self.m
            .hasher
            .expect_hash()
            .returning(|p| Ok(PasswordHash::new(format!("hash:{}", p.expose()))));
    }

    /// Invitation tokens `secret-N`, mail switched on.
    pub fn inviting(&mut self) {
        let n = Arc::new(AtomicUsize::new(0));
        self.tokens.expect_generate().returning(move || {
            let i = n.fetch_add(1, Ordering::SeqCst) as u8;
            (
                PlainToken::new(format!("secret-{i}")),
                TokenHash::from_bytes([i; 32]),
            )
        });
        self.notifications
            .expect_get()
            .returning(|| Ok(NotificationSettings::default()));
    }

    /// One `import.run` audit entry with this outcome.
    pub fn expect_audit(&mut self, outcome: Result<(), &'static str>) {
        self.m.expect_audit(AuditAction::ImportRun, outcome);
    }
}

/// A request for a new job.
pub(super) fn request(mode: ImportMode, tweak: fn(&mut ImportOptions)) -> ImportRequest {
    let mut options = ImportOptions::new(mode);
    tweak(&mut options);
    ImportRequest {
        job: ImportJobId::new(),
        options,
    }
}

/// The groups a create writes.
pub(super) fn created_groups(w: &LineWrite) -> Option<BTreeSet<GroupId>> {
    match &w.write {
        crate::ports::imports::RowWrite::Create { user, .. } => Some(user.group_ids.clone()),
        crate::ports::imports::RowWrite::Update { .. } => None,
    }
}
