//! What a campaign keeps, behind one trait, [`Store`], so that another database (a shared
//! server) can take the place of the embedded SQLite file ([`crate::sqlite`]).
//!
//! Every command runs in one [`Transaction`]: it reads the state, decides, writes and
//! appends to the audit log, then commits; an error drops the transaction and nothing is
//! written.

use crate::error::Result;

/// The campaign as initialised: its name and the text of its campaign file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCampaign {
    /// The campaign's name.
    pub name: String,
    /// The campaign file's text, parsed again by every command.
    pub spec: String,
    /// When it was initialised (UTC, RFC 3339).
    pub created_at: String,
    /// Who initialised it.
    pub created_by: String,
}

/// A suggested design, with its result and review if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Its number, from 1, in the order of suggestion.
    pub seq: i64,
    /// Its stable id, such as `s0007`.
    pub id: String,
    /// The design: a JSON object from variable names to values (numbers, or a category's
    /// label).
    pub design: String,
    /// The `suggest` call it came from (1, 2, …).
    pub batch: i64,
    /// How it was chosen: `sobol` (the initial design) or `model`.
    pub source: String,
    /// When it was suggested (UTC, RFC 3339).
    pub created_at: String,
    /// Who asked for it.
    pub created_by: String,
    /// Its result, once recorded (of a Pareto campaign, the first objective's).
    pub result: Option<Outcome>,
    /// Every objective's result, once recorded (ignored by
    /// [`Transaction::insert_suggestion`]).
    pub results: Vec<Outcome>,
    /// Its review, if reviewed.
    pub review: Option<Review>,
    /// How its automatic run failed, if `run` ran it and it failed or timed out.
    pub failure: Option<Failure>,
}

/// A run by `run` that gave no result.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// `failed` (a non-zero exit, or no number on the last line of its output) or
    /// `timed out`.
    pub outcome: String,
    /// What happened: the exit status and the end of the error output.
    pub detail: String,
    /// How long it ran, in seconds.
    pub seconds: f64,
    /// When it ended (UTC, RFC 3339).
    pub ran_at: String,
    /// Who ran it.
    pub ran_by: String,
}

/// A recorded result.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The objective's name.
    pub objective: String,
    /// The observed value (finite).
    pub value: f64,
    /// The cost of the run, if the campaign records one.
    pub cost: Option<f64>,
    /// When it was recorded (UTC, RFC 3339).
    pub recorded_at: String,
    /// Who recorded it.
    pub recorded_by: String,
}

/// A person's verdict on a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// To be run (or its result kept).
    Accepted,
    /// Abandoned: never run, never suggested again, its result (if any) not used.
    Rejected,
}

impl Verdict {
    /// The word stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::Rejected => "rejected",
        }
    }
}

/// A review of a suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// The verdict.
    pub verdict: Verdict,
    /// Why.
    pub reason: String,
    /// When (UTC, RFC 3339).
    pub reviewed_at: String,
    /// By whom.
    pub reviewed_by: String,
}

/// One line of the append-only audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When (UTC, RFC 3339).
    pub at: String,
    /// Who.
    pub user: String,
    /// Which command.
    pub command: String,
    /// What it did.
    pub detail: String,
}

/// A campaign's storage.
pub trait Store {
    /// Starts a transaction that will write: it holds the campaign's write lock until it
    /// commits or is dropped, so that commands run one after another.
    ///
    /// # Errors
    /// A busy error if another process holds the lock longer than the busy timeout; a
    /// database error otherwise.
    fn write(&mut self) -> Result<Box<dyn Transaction + '_>>;

    /// Starts a transaction that only reads: a consistent snapshot.
    ///
    /// # Errors
    /// As for [`Store::write`].
    fn read(&mut self) -> Result<Box<dyn Transaction + '_>>;
}

/// One transaction on a [`Store`]. Dropping it without [`Transaction::commit`] undoes
/// everything it wrote.
pub trait Transaction {
    /// The campaign.
    ///
    /// # Errors
    /// A database error, or a state error if the database holds no campaign.
    fn campaign(&self) -> Result<StoredCampaign>;

    /// Every suggestion, in order, with its result and review.
    ///
    /// # Errors
    /// A database error.
    fn suggestions(&self) -> Result<Vec<Suggestion>>;

    /// Creates the schema in a new, empty store (by `init`).
    ///
    /// # Errors
    /// A database error.
    fn install_schema(&mut self) -> Result<()>;

    /// Stores the campaign (once, by `init`).
    ///
    /// # Errors
    /// A database error.
    fn insert_campaign(&mut self, campaign: &StoredCampaign) -> Result<()>;

    /// Stores a new suggestion (its result, review and failure are ignored).
    ///
    /// # Errors
    /// A database error, such as a repeated id.
    fn insert_suggestion(&mut self, suggestion: &Suggestion) -> Result<()>;

    /// Stores the result of suggestion `id`, replacing any before.
    ///
    /// # Errors
    /// A database error.
    fn put_result(&mut self, id: &str, outcome: &Outcome) -> Result<()>;

    /// Stores the failed run of suggestion `id`, replacing any before.
    ///
    /// # Errors
    /// A database error.
    fn put_failure(&mut self, id: &str, failure: &Failure) -> Result<()>;

    /// Stores the review of suggestion `id`, replacing any before.
    ///
    /// # Errors
    /// A database error.
    fn put_review(&mut self, id: &str, review: &Review) -> Result<()>;

    /// Appends a line to the audit log.
    ///
    /// # Errors
    /// A database error.
    fn append_audit(&mut self, entry: &AuditEntry) -> Result<()>;

    /// The audit log, oldest first.
    ///
    /// # Errors
    /// A database error.
    fn audit(&self) -> Result<Vec<AuditEntry>>;

    /// Makes everything written permanent.
    ///
    /// # Errors
    /// A database error (then nothing was written).
    fn commit(self: Box<Self>) -> Result<()>;
}
