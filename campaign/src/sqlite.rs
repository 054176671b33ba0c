//! The embedded SQLite [`Store`]: one file, no server.
//!
//! - The schema is versioned: the table `schema_version` holds the version, and
//!   [`MIGRATIONS`]`[i]` takes a database from version i to i + 1. Opening an older database
//!   migrates it in one transaction; a database from a newer version of the tool is
//!   refused with a message saying so.
//! - Writes run in `BEGIN IMMEDIATE` transactions: a second process waits up to the busy
//!   timeout for the first to finish, then gets a "busy, retry" error.
//! - The file is in WAL mode with `synchronous = FULL`: a command killed at any moment
//!   leaves the database as it was before the command or after it.
//! - The audit table refuses updates and deletions (triggers): it is append-only.

use crate::error::{Error, Kind, Result};
use crate::store::{
    AuditEntry, Failure, Outcome, Review, Store, StoredCampaign, Suggestion,
    Transaction, Verdict,
};
use rusqlite::{
    params, Connection, OpenFlags, OptionalExtension, TransactionBehavior,
};
use std::path::Path;
use std::time::Duration;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 2;

/// `MIGRATIONS[i]` takes the schema from version i to i + 1 (version 0: an empty file).
/// Version 1: the campaign, suggestions, results, reviews and the audit log; version 2:
/// the failed and timed-out runs of `run`.
pub const MIGRATIONS: [&str; SCHEMA_VERSION as usize] = [
    r#"
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (0);
CREATE TABLE campaign (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    spec TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE TABLE suggestions (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    design TEXT NOT NULL,
    batch INTEGER NOT NULL,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE TABLE results (
    suggestion TEXT NOT NULL REFERENCES suggestions (id),
    objective TEXT NOT NULL,
    value REAL NOT NULL,
    cost REAL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (suggestion, objective)
);
CREATE TABLE reviews (
    suggestion TEXT PRIMARY KEY REFERENCES suggestions (id),
    verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected')),
    reason TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    reviewed_by TEXT NOT NULL
);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    command TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"#,
    r#"
CREATE TABLE failures (
    suggestion TEXT PRIMARY KEY REFERENCES suggestions (id),
    outcome TEXT NOT NULL CHECK (outcome IN ('failed', 'timed out')),
    detail TEXT NOT NULL,
    seconds REAL NOT NULL,
    ran_at TEXT NOT NULL,
    ran_by TEXT NOT NULL
);
"#,
];

/// A campaign in an SQLite file.
pub struct SqliteStore {
    conn: Connection,
}

fn connect(path: &Path, flags: OpenFlags, busy: Duration) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags).map_err(|e| {
        Error::database(format!(
            "cannot open the campaign database {}: {e}",
            path.display()
        ))
    })?;
    conn.busy_timeout(busy)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(conn)
}

/// The schema version of an open database: `None` if it has no `schema_version` table.
fn version(conn: &Connection) -> Result<Option<i64>> {
    let has: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
        [],
        |r| r.get(0),
    )?;
    if !has {
        return Ok(None);
    }
    Ok(Some(conn.query_row(
        "SELECT max(version) FROM schema_version",
        [],
        |r| r.get(0),
    )?))
}

/// Applies the migrations from `from` to [`SCHEMA_VERSION`] inside the open transaction.
fn migrate(conn: &Connection, from: i64) -> Result<()> {
    for (v, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        conn.execute_batch(sql)?;
        conn.execute("UPDATE schema_version SET version = ?1", [v as i64 + 1])?;
    }
    Ok(())
}

impl SqliteStore {
    /// Creates a new campaign database at `path` (which must not exist) with the current
    /// schema, in WAL mode.
    ///
    /// # Errors
    /// A state error if the file exists; a database error if it cannot be created.
    pub fn create(path: &Path, busy: Duration) -> Result<SqliteStore> {
        if path.exists() {
            return Err(Error::state(format!(
                "{} already exists: a campaign database is never overwritten",
                path.display()
            )));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = connect(path, flags, busy)?;
        let mode: String =
            conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if mode != "wal" {
            return Err(Error::database(format!(
                "{}: the file system does not support the WAL journal",
                path.display()
            )));
        }
        Ok(SqliteStore { conn })
    }

    /// Opens the campaign database at `path`, migrating an older schema.
    ///
    /// # Errors
    /// A database error if the file does not exist, is not SQLite, has no campaign schema,
    /// or comes from a newer version of this tool.
    pub fn open(path: &Path, busy: Duration) -> Result<SqliteStore> {
        if !path.is_file() {
            return Err(Error::database(format!(
                "no campaign database at {}: create one with `gradbo-campaign init`",
                path.display()
            )));
        }
        let flags =
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = connect(path, flags, busy)?;
        let found = version(&conn).map_err(|e| match e.kind {
            Kind::Busy => e,
            _ => Error::database(format!(
                "{} is not a campaign database ({})",
                path.display(),
                e.message
            )),
        })?;
        match found {
            None => Err(Error::database(format!(
                "{} is not a campaign database (no schema_version table)",
                path.display()
            ))),
            Some(v) if v > SCHEMA_VERSION => Err(Error::database(format!(
                "{} was written by a newer gradbo-campaign (schema version {v}; this one \
                 reads up to {SCHEMA_VERSION}): use the newer version",
                path.display()
            ))),
            Some(v) if v < SCHEMA_VERSION => {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                // Another process may have migrated it meanwhile.
                let now = version(&tx)?.unwrap_or(0);
                migrate(&tx, now)?;
                tx.commit()?;
                Ok(SqliteStore { conn })
            }
            Some(_) => Ok(SqliteStore { conn }),
        }
    }
}

struct SqliteTx<'c> {
    tx: rusqlite::Transaction<'c>,
}

impl Store for SqliteStore {
    fn write(&mut self) -> Result<Box<dyn Transaction + '_>> {
        let tx =
            self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        Ok(Box::new(SqliteTx { tx }))
    }

    fn read(&mut self) -> Result<Box<dyn Transaction + '_>> {
        let tx =
            self.conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        Ok(Box::new(SqliteTx { tx }))
    }
}

fn verdict(text: &str) -> Verdict {
    if text == "rejected" {
        Verdict::Rejected
    } else {
        Verdict::Accepted
    }
}

impl Transaction for SqliteTx<'_> {
    fn campaign(&self) -> Result<StoredCampaign> {
        self.tx
            .query_row(
                "SELECT name, spec, created_at, created_by FROM campaign WHERE id = 1",
                [],
                |r| {
                    Ok(StoredCampaign {
                        name: r.get(0)?,
                        spec: r.get(1)?,
                        created_at: r.get(2)?,
                        created_by: r.get(3)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| Error::database("the database holds no campaign"))
    }

    fn suggestions(&self) -> Result<Vec<Suggestion>> {
        let mut stmt = self.tx.prepare(
            "SELECT s.seq, s.id, s.design, s.batch, s.source, s.created_at, s.created_by,
                    r.objective, r.value, r.cost, r.recorded_at, r.recorded_by,
                    v.verdict, v.reason, v.reviewed_at, v.reviewed_by,
                    f.outcome, f.detail, f.seconds, f.ran_at, f.ran_by
             FROM suggestions s
             LEFT JOIN results r ON r.suggestion = s.id
             LEFT JOIN reviews v ON v.suggestion = s.id
             LEFT JOIN failures f ON f.suggestion = s.id
             ORDER BY s.seq, r.rowid",
        )?;
        let rows = stmt.query_map([], |r| {
            let objective: Option<String> = r.get(7)?;
            let result = match objective {
                Some(objective) => Some(Outcome {
                    objective,
                    value: r.get(8)?,
                    cost: r.get(9)?,
                    recorded_at: r.get(10)?,
                    recorded_by: r.get(11)?,
                }),
                None => None,
            };
            let v: Option<String> = r.get(12)?;
            let review = match v {
                Some(v) => Some(Review {
                    verdict: verdict(&v),
                    reason: r.get(13)?,
                    reviewed_at: r.get(14)?,
                    reviewed_by: r.get(15)?,
                }),
                None => None,
            };
            let outcome: Option<String> = r.get(16)?;
            let failure = match outcome {
                Some(outcome) => Some(Failure {
                    outcome,
                    detail: r.get(17)?,
                    seconds: r.get(18)?,
                    ran_at: r.get(19)?,
                    ran_by: r.get(20)?,
                }),
                None => None,
            };
            Ok(Suggestion {
                seq: r.get(0)?,
                id: r.get(1)?,
                design: r.get(2)?,
                batch: r.get(3)?,
                source: r.get(4)?,
                created_at: r.get(5)?,
                created_by: r.get(6)?,
                results: result.iter().cloned().collect(),
                result,
                review,
                failure,
            })
        })?;
        // A suggestion with several objectives' results comes once per result: merged.
        let mut merged: Vec<Suggestion> = Vec::new();
        for row in rows {
            let row = row?;
            match merged.last_mut() {
                Some(last) if last.seq == row.seq => {
                    last.results.extend(row.results);
                }
                _ => merged.push(row),
            }
        }
        Ok(merged)
    }

    fn insert_campaign(&mut self, c: &StoredCampaign) -> Result<()> {
        self.tx.execute(
            "INSERT INTO campaign (id, name, spec, created_at, created_by) VALUES (1, ?1, ?2, ?3, ?4)",
            params![c.name, c.spec, c.created_at, c.created_by],
        )?;
        Ok(())
    }

    fn insert_suggestion(&mut self, s: &Suggestion) -> Result<()> {
        self.tx.execute(
            "INSERT INTO suggestions (seq, id, design, batch, source, created_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![s.seq, s.id, s.design, s.batch, s.source, s.created_at, s.created_by],
        )?;
        Ok(())
    }

    fn put_result(&mut self, id: &str, o: &Outcome) -> Result<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO results (suggestion, objective, value, cost, recorded_at, recorded_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, o.objective, o.value, o.cost, o.recorded_at, o.recorded_by],
        )?;
        Ok(())
    }

    fn put_failure(&mut self, id: &str, f: &Failure) -> Result<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO failures (suggestion, outcome, detail, seconds, ran_at, ran_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, f.outcome, f.detail, f.seconds, f.ran_at, f.ran_by],
        )?;
        Ok(())
    }

    fn put_review(&mut self, id: &str, v: &Review) -> Result<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO reviews (suggestion, verdict, reason, reviewed_at, reviewed_by)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, v.verdict.as_str(), v.reason, v.reviewed_at, v.reviewed_by],
        )?;
        Ok(())
    }

    fn append_audit(&mut self, e: &AuditEntry) -> Result<()> {
        self.tx.execute(
            "INSERT INTO audit (at, user, command, detail) VALUES (?1, ?2, ?3, ?4)",
            params![e.at, e.user, e.command, e.detail],
        )?;
        Ok(())
    }

    fn audit(&self) -> Result<Vec<AuditEntry>> {
        let mut stmt = self
            .tx
            .prepare("SELECT at, user, command, detail FROM audit ORDER BY seq")?;
        let rows = stmt.query_map([], |r| {
            Ok(AuditEntry {
                at: r.get(0)?,
                user: r.get(1)?,
                command: r.get(2)?,
                detail: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn install_schema(&mut self) -> Result<()> {
        migrate(&self.tx, 0)
    }

    fn commit(self: Box<Self>) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }
}
