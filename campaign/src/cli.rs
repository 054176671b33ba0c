//! The command line: arguments (clap) and the commands.

use crate::engine::{design_object, design_to_json, id_of, load, State, Status};
use crate::error::{Error, Result};
use crate::results;
use crate::spec::{display_value, parse_number, Campaign};
use crate::sqlite::SqliteStore;
use crate::store::{
    AuditEntry, Failure, Outcome, Review, Store, StoredCampaign, Suggestion,
    Verdict,
};
use clap::{Args, Parser, Subcommand};
use serde_json::json;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  unexpected failure (the optimiser failed, a file could not be written)
  2  wrong command-line usage
  3  bad input: campaign file, value or results file (nothing was written)
  4  the command does not fit the campaign's state: unknown id, result already
     recorded, rejected suggestion, database file already exists (nothing was written)
  5  database problem: missing, not a campaign database, written by a newer version
  6  busy: another command held the campaign longer than --busy-timeout; retry";

/// Bayesian-optimisation campaigns that run over days: suggest designs, record results,
/// all kept in one SQLite file.
#[derive(Parser, Debug)]
#[command(name = "gradbo-campaign", version, after_help = EXIT_CODES)]
#[command(after_long_help = concat!(
    "A campaign: `init` once from a campaign file, then `suggest` designs to run, `record` \
     (or `import`) their results as they come in, `review` suggestions that must not be run, \
     and read `status`, `export` the table or write a `report` page at any time; `run` runs a command on each \
     suggestion automatically. Each command is one transaction on the database; concurrent \
     commands wait for each other.\n\n",
    "Example:\n",
    "  gradbo-campaign init campaign.toml --db lab.db\n",
    "  gradbo-campaign suggest --db lab.db --batch 4\n",
    "  gradbo-campaign record s0001 0.82 --db lab.db\n",
    "  gradbo-campaign import results.csv --db lab.db\n",
    "  gradbo-campaign status --db lab.db\n",
    "  gradbo-campaign report --db lab.db\n\n",
    "Environment:\n",
    "  USER                   who runs a command, unless --user says\n",
    "  NO_COLOR               no colour, even on a terminal\n",
    "  GRADBO_CAMPAIGN_CLOCK  a fixed time YYYY-MM-DDTHH:MM:SSZ, stored and printed as the\n",
    "                         time of every command (reproducible transcripts); timeouts\n",
    "                         stay real\n\n",
    "Exit codes:\n",
    "  0  success\n",
    "  1  unexpected failure (the optimiser failed, a file could not be written)\n",
    "  2  wrong command-line usage\n",
    "  3  bad input: campaign file, value or results file (nothing was written)\n",
    "  4  the command does not fit the campaign's state: unknown id, result already\n",
    "     recorded, rejected suggestion, database file already exists (nothing was written)\n",
    "  5  database problem: missing, not a campaign database, written by a newer version\n",
    "  6  busy: another command held the campaign longer than --busy-timeout; retry"
))]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Args, Debug)]
pub struct Common {
    /// The campaign database (an SQLite file).
    #[arg(long, value_name = "FILE")]
    pub db: PathBuf,
    /// Who runs the command, for the audit log [default: $USER].
    #[arg(long)]
    pub user: Option<String>,
    /// How long to wait for another command to finish, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    pub busy_timeout: u64,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Creates a campaign database from a campaign file (TOML).
    #[command(
        after_help = "Example:\n  gradbo-campaign init campaign.toml --db lab.db\n\n\
        The database must not exist yet. The campaign file is checked first: every error \
        names its line and column."
    )]
    Init {
        /// The campaign file.
        campaign: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Suggests designs to run next, stored as pending under new ids.
    #[command(after_help = "Examples:\n  gradbo-campaign suggest --db lab.db\n  \
        gradbo-campaign suggest --db lab.db --batch 4 --json\n\n\
        Until the campaign has `initial_design` results, designs come from a scrambled Sobol \
        sequence; then from the model (LogEI, conditioned on the pending designs, so a second \
        suggest before the results proposes other designs). With several objectives the \
        model is one GP per objective and the designs maximise qEHVI, the expected \
        hypervolume improvement of the Pareto front, conditioned on the pending designs the \
        same way. The same stored state gives the same suggestions.")]
    Suggest {
        /// How many designs [default: the campaign's batch_size].
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100))]
        batch: Option<u32>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Records the result of a suggestion: one value per objective.
    #[command(
        after_help = "Examples:\n  gradbo-campaign record s0003 0.82 --db lab.db\n  \
        gradbo-campaign record s0003 0.79 --force --db lab.db   # replace, audited\n  \
        gradbo-campaign record s0004 -1.5 --db lab.db\n\n\
        With several objectives (a Pareto campaign), give every one, by name in any order \
        or alone in the campaign file's order:\n  \
        gradbo-campaign record s0005 yield=0.82 impurity=3.1 --db lab.db\n  \
        gradbo-campaign record s0005 0.82 3.1 --db lab.db\n\n\
        A missing, extra or repeated value, or one that is not a finite number, is an error \
        and nothing is recorded."
    )]
    Record {
        /// The suggestion's id.
        id: String,
        /// The objective's value (a finite number; negative ones need no `--`), or the first
        /// objective's, or name=value.
        #[arg(allow_hyphen_values = true)]
        value: String,
        /// The other objectives' values, in the campaign file's order, or name=value.
        #[arg(num_args = 0.., allow_negative_numbers = true)]
        more: Vec<String>,
        /// The run's cost, if the campaign records one.
        #[arg(long, allow_hyphen_values = true)]
        cost: Option<String>,
        /// Replace a result already recorded.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Imports results from a CSV file, all or nothing.
    #[command(
        after_help = "Example:\n  gradbo-campaign import results.csv --db lab.db\n\n\
        Columns: id, the objectives (one column each), the cost (if any), the variables; an \
        export's other columns are ignored. A row with an id gives that suggestion's result \
        (its variables, if given, must match); a row without one is an experiment run \
        outside the campaign (every variable given); a row with every objective empty is \
        skipped, one with some empty is an error. A result already \
        recorded with the same value is left as it is; another value needs --force. Any \
        error names file, line and column, and nothing is imported."
    )]
    Import {
        /// The results file.
        file: PathBuf,
        /// Replace results already recorded with other values.
        #[arg(long)]
        force: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Accepts or rejects a suggestion; rejected ones are abandoned.
    #[command(
        after_help = "Examples:\n  gradbo-campaign review s0005 --reject --reason \"reactor down\" --db lab.db\n  \
        gradbo-campaign review s0005 --accept --reason \"reactor fixed\" --db lab.db\n\n\
        A rejected suggestion is never run and never suggested again: its result, if any, \
        is not used by the model, which treats the design as pending so as not to come \
        back to it."
    )]
    Review {
        /// The suggestion's id.
        id: String,
        /// Accept it.
        #[arg(long, conflicts_with = "reject", required_unless_present = "reject")]
        accept: bool,
        /// Reject it.
        #[arg(long)]
        reject: bool,
        /// Why (kept in the audit log).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        common: Common,
    },
    /// Shows the campaign: counts, the best result (or the Pareto front and its
    /// hypervolume), the pending suggestions.
    #[command(after_help = "Examples:\n  gradbo-campaign status --db lab.db\n  \
        gradbo-campaign status --db lab.db --json\n\n\
        With several objectives: the non-dominated results (the observed Pareto front), the \
        reference point (from the campaign file, or inferred: each objective's worst value \
        on the front less a tenth of the front's range) and the hypervolume the results \
        dominate above it.")]
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Writes every suggestion, its status and result to a CSV file.
    #[command(
        after_help = "Example:\n  gradbo-campaign export table.csv --db lab.db\n\n\
        Columns: id, status, review, the variables, the objectives, the cost (if any), \
        suggested_at, recorded_at. Fill in results and `import` the file back."
    )]
    Export {
        /// The CSV file to write (replaced if it exists).
        out: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Suggests designs and runs a command on each, recording what it prints.
    #[command(
        after_help = "Examples:\n  gradbo-campaign run --command './measure.sh' --timeout 600 --db lab.db\n  \
        gradbo-campaign run --command 'python3 sim.py' --batch 2 --rounds 10 --db lab.db\n\n\
        Each round suggests designs (as `suggest`) and runs the command on each by `sh -c`. \
        The command finds the design in GRADBO_ID, GRADBO_DESIGN (a JSON object) and one \
        GRADBO_<NAME> per variable (capitals, other characters as _; a category's label), \
        and on its standard input (the JSON object). The last non-empty line it prints is \
        the objective's value (with several objectives, one value per objective in the \
        campaign file's order, separated by spaces or commas). A non-zero exit or a line \
        without those numbers is stored as failed; a command \
        still running at --timeout is killed with its process group and stored as timed \
        out. Failed runs are abandoned like rejected suggestions (a result recorded later \
        takes their place). Each result is stored as soon as its run ends."
    )]
    Run {
        /// The command, run by `sh -c` once per design.
        #[arg(long)]
        command: String,
        /// Seconds a run may take before it is killed.
        #[arg(long, default_value_t = 3600.0, allow_negative_numbers = true)]
        timeout: f64,
        /// Designs per round [default: the campaign's batch_size].
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100))]
        batch: Option<u32>,
        /// Rounds of suggesting and running.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        rounds: u32,
        /// Print JSON: one object per run.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Writes a report: one self-contained HTML page with figures.
    #[command(
        after_help = "Examples:\n  gradbo-campaign report --db lab.db                 # writes lab-report.html\n  \
        gradbo-campaign report --db lab.db --output today.html\n  \
        gradbo-campaign report --db lab.db --output - > page.html\n\n\
        The page shows the campaign and the counts of each status, the best observations, \
        and SVG figures: the best value so far against evaluations (and against the cost \
        spent, if the campaign records one), the model's posterior at the observations with \
        the incumbent (the best posterior mean), each variable's trace, the fitted \
        lengthscales, and the Pareto front when there are several objectives. It loads \
        nothing from the network and opens offline; the same stored state gives the same \
        page byte for byte. The database is only read."
    )]
    Report {
        /// The page to write (replaced if it exists), `-` for standard output
        /// [default: the database's name with `-report.html`, beside it].
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Prints the audit log: who did what, and when.
    #[command(after_help = "Examples:\n  gradbo-campaign log --db lab.db\n  \
        gradbo-campaign log --db lab.db --json")]
    Log {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        common: Common,
    },
}

/// Text in bold colour `code` when stdout is a terminal and NO_COLOR is unset.
fn paint(text: &str, code: &str) -> String {
    if colour(std::io::stdout().is_terminal()) {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Whether to colour a stream that is (or is not) a terminal.
pub fn colour(terminal: bool) -> bool {
    terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The environment variable that fixes the clock: a time `YYYY-MM-DDTHH:MM:SSZ` (UTC) that
/// every command stores and prints as "now" instead of the system's time. It makes a
/// transcript or a test reproducible; it changes no timeout (`run` still measures real
/// seconds). Unset or empty: the system's clock.
pub const CLOCK_VAR: &str = "GRADBO_CAMPAIGN_CLOCK";

/// The fixed time of [`CLOCK_VAR`], if it is set and not empty.
///
/// # Errors
/// [`Error::input`] when it is set but not a time `YYYY-MM-DDTHH:MM:SSZ`.
pub fn fixed_clock() -> Result<Option<String>> {
    let Some(value) = std::env::var_os(CLOCK_VAR).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let text = value.to_string_lossy().into_owned();
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r.clone())
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .and_then(|_| text[r].parse().ok())
    };
    let shape = b.len() == 20
        && [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':'), (19, b'Z')]
            .iter()
            .all(|&(i, c)| b[i] == c);
    let ok = shape
        && digits(0..4).is_some()
        && digits(5..7).is_some_and(|m| (1..=12).contains(&m))
        && digits(8..10).is_some_and(|d| (1..=31).contains(&d))
        && digits(11..13).is_some_and(|h| h < 24)
        && digits(14..16).is_some_and(|m| m < 60)
        && digits(17..19).is_some_and(|s| s < 60);
    if ok {
        Ok(Some(text))
    } else {
        Err(Error::input(format!(
            "{CLOCK_VAR}: {text:?} is not a time YYYY-MM-DDTHH:MM:SSZ (UTC)"
        )))
    }
}

/// The current time, UTC, RFC 3339 to the second; the time of [`CLOCK_VAR`] when it is set.
pub fn now() -> String {
    if let Ok(Some(fixed)) = fixed_clock() {
        return fixed;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

impl Common {
    fn user(&self) -> String {
        self.user
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| "unknown".into())
    }

    fn busy(&self) -> Duration {
        Duration::from_millis(self.busy_timeout)
    }

    fn open(&self) -> Result<SqliteStore> {
        SqliteStore::open(&self.db, self.busy())
    }

    fn audit(&self, command: &str, detail: String) -> AuditEntry {
        AuditEntry { at: now(), user: self.user(), command: command.into(), detail }
    }
}

/// Runs a parsed command line.
///
/// # Errors
/// Whatever the command met; nothing is written then.
pub fn run(cli: Cli) -> Result<()> {
    fixed_clock()?;
    match cli.command {
        Command::Init { campaign, common } => init(&campaign, &common),
        Command::Suggest { batch, json, common } => suggest(batch, json, &common),
        Command::Record { id, value, more, cost, force, common } => {
            let values: Vec<String> = std::iter::once(value).chain(more).collect();
            record(&id, &values, cost.as_deref(), force, &common)
        }
        Command::Import { file, force, json, common } => {
            import(&file, force, json, &common)
        }
        Command::Review { id, accept, reject: _, reason, common } => {
            review(&id, accept, &reason, &common)
        }
        Command::Status { json, common } => status(json, &common),
        Command::Export { out, common } => export(&out, &common),
        Command::Log { json, common } => log(json, &common),
        Command::Report { output, common } => report(output, &common),
        Command::Run { command, timeout, batch, rounds, json, common } => {
            run_rounds(&command, timeout, batch, rounds, json, &common)
        }
    }
}

fn init(file: &Path, common: &Common) -> Result<()> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| {
        Error::input(format!("cannot read the campaign file {name}: {e}"))
    })?;
    let campaign = Campaign::parse(&name, &text)?;
    let mut store = SqliteStore::create(&common.db, common.busy())?;
    let written = (|| {
        let mut tx = store.write()?;
        tx.install_schema()?;
        tx.insert_campaign(&StoredCampaign {
            name: campaign.name.clone(),
            spec: text.clone(),
            created_at: now(),
            created_by: common.user(),
        })?;
        tx.append_audit(
            &common
                .audit("init", format!("campaign {:?} from {name}", campaign.name)),
        )?;
        tx.commit()
    })();
    drop(store);
    if let Err(e) = written {
        let db = common.db.display().to_string();
        for path in [db.clone(), format!("{db}-wal"), format!("{db}-shm")] {
            let _ = std::fs::remove_file(path);
        }
        return Err(e);
    }
    let objectives: Vec<String> = campaign
        .objectives
        .iter()
        .map(|o| format!("{} ({})", o.name, direction_word(o.direction)))
        .collect();
    println!(
        "initialised campaign {:?} in {}: {} variables, objective{} {}, {} Sobol designs first",
        campaign.name,
        common.db.display(),
        campaign.variables().len(),
        if objectives.len() == 1 { "" } else { "s" },
        objectives.join(", "),
        campaign.initial_design
    );
    println!("next: gradbo-campaign suggest --db {}", common.db.display());
    Ok(())
}

fn direction_word(d: gradbo::acquisition::Direction) -> &'static str {
    match d {
        gradbo::acquisition::Direction::Maximise => "maximise",
        gradbo::acquisition::Direction::Minimise => "minimise",
    }
}

/// Suggestions made and stored by one transaction.
struct Made {
    state: State,
    made: Vec<(Suggestion, ndarray::Array1<f64>)>,
    source: &'static str,
    acquisition: Option<Vec<f64>>,
    batch_no: i64,
}

/// Proposes and stores `batch` designs (the campaign's batch size by default), audited as
/// `command`.
fn make_suggestions(
    batch: Option<u32>,
    common: &Common,
    command: &str,
) -> Result<Made> {
    let mut store = common.open()?;
    let mut tx = store.write()?;
    let state = load(tx.as_ref())?;
    let q = batch.map_or(state.campaign.batch_size, |b| b as usize);
    let proposal = state.propose(q)?;
    let batch_no =
        state.entries.iter().map(|e| e.stored.batch).max().unwrap_or(0) + 1;
    let at = now();
    let mut made = Vec::new();
    for (k, design) in proposal.designs.rows().into_iter().enumerate() {
        let seq = state.entries.len() as i64 + 1 + k as i64;
        let s = Suggestion {
            seq,
            id: id_of(seq),
            design: design_to_json(&state.campaign, &design.to_owned()),
            batch: batch_no,
            source: proposal.source.into(),
            created_at: at.clone(),
            created_by: common.user(),
            result: None,
            results: Vec::new(),
            review: None,
            failure: None,
        };
        tx.insert_suggestion(&s)?;
        made.push((s, design.to_owned()));
    }
    let ids: Vec<&str> = made.iter().map(|(s, _)| s.id.as_str()).collect();
    tx.append_audit(&common.audit(
        command,
        format!("{} ({}, batch {batch_no})", ids.join(", "), proposal.source),
    ))?;
    tx.commit()?;
    Ok(Made {
        state,
        made,
        source: proposal.source,
        acquisition: proposal.acquisition,
        batch_no,
    })
}

fn suggest(batch: Option<u32>, json: bool, common: &Common) -> Result<()> {
    let Made { state, made, source, acquisition, batch_no } =
        make_suggestions(batch, common, "suggest")?;
    let proposal = crate::engine::Proposal {
        designs: ndarray::Array2::zeros((0, 0)),
        source,
        acquisition,
    };
    let campaign = &state.campaign;
    if json {
        let list: Vec<_> = made
            .iter()
            .enumerate()
            .map(|(k, (s, d))| {
                json!({
                    "id": s.id,
                    "batch": s.batch,
                    "source": s.source,
                    "design": design_object(campaign, d),
                    "acquisition": proposal.acquisition.as_ref().map(|a| a[k]),
                })
            })
            .collect();
        println!("{}", json!({ "campaign": campaign.name, "suggestions": list }));
        return Ok(());
    }
    println!(
        "{} designs (batch {batch_no}, from the {}):",
        made.len(),
        if proposal.source == "sobol" { "initial Sobol design" } else { "model" }
    );
    let mut header = vec!["id".to_string()];
    header.extend(campaign.variables().iter().map(|v| v.name().to_string()));
    let rows: Vec<Vec<String>> = made
        .iter()
        .map(|(s, d)| {
            let mut row = vec![s.id.clone()];
            row.extend(
                campaign
                    .variables()
                    .iter()
                    .zip(d.iter())
                    .map(|(v, &x)| display_value(v, x)),
            );
            row
        })
        .collect();
    print_table(&header, &rows);
    Ok(())
}

fn print_table(header: &[String], rows: &[Vec<String>]) {
    let widths: Vec<usize> = (0..header.len())
        .map(|j| {
            rows.iter()
                .map(|r| r[j].chars().count())
                .chain([header[j].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |r: &[String]| {
        r.iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    println!("  {}", paint(&line(header), "1"));
    for r in rows {
        println!("  {}", line(r));
    }
}

fn parse_cost(campaign: &Campaign, cost: Option<&str>) -> Result<Option<f64>> {
    match (cost, &campaign.cost) {
        (None, _) => Ok(None),
        (Some(_), None) => Err(Error::input(
            "--cost: this campaign records no cost (add a [cost] table to its campaign file)",
        )),
        (Some(text), Some(name)) => {
            let c = parse_number(text).map_err(|m| Error::input(format!("--cost ({name}): {m}")))?;
            if c < 0.0 {
                return Err(Error::input(format!("--cost ({name}): {c} is negative")));
            }
            Ok(Some(c))
        }
    }
}

fn record(
    id: &str,
    given: &[String],
    cost: Option<&str>,
    force: bool,
    common: &Common,
) -> Result<()> {
    let mut store = common.open()?;
    let mut tx = store.write()?;
    let state = load(tx.as_ref())?;
    let values = crate::pareto::parse_values(&state.campaign, given)?;
    let cost = parse_cost(&state.campaign, cost)?;
    let entry = state.entry(id)?;
    let names = state.campaign.objective_names();
    let mut detail = format!("{id}: {}", described(&names, &values));
    if let Some(c) = cost {
        detail.push_str(&format!(", cost {c}"));
    }
    let old_values: Vec<f64> =
        entry.stored.results.iter().map(|r| r.value).collect();
    let old_names: Vec<&str> =
        entry.stored.results.iter().map(|r| r.objective.as_str()).collect();
    match (entry.status(), &entry.stored.result) {
        (Status::Rejected, _) => {
            return Err(Error::state(format!(
                "{id} was rejected ({}); accept it with `review {id} --accept` to record a result",
                entry.stored.review.as_ref().map_or("", |r| r.reason.as_str())
            )))
        }
        (_, Some(old)) if !force => {
            return Err(Error::state(format!(
                "{id} already has a result ({}, recorded {} by {}): use --force to replace it",
                described(&old_names, &old_values),
                old.recorded_at,
                old.recorded_by
            )))
        }
        (_, Some(old)) if names.len() == 1 => {
            detail.push_str(&format!(" (replaces {} with --force)", old.value))
        }
        (_, Some(_)) => detail.push_str(&format!(
            " (replaces {} with --force)",
            described(&old_names, &old_values)
        )),
        _ => {}
    }
    let at = now();
    for (name, v) in names.iter().zip(&values) {
        tx.put_result(
            id,
            &Outcome {
                objective: name.to_string(),
                value: *v,
                cost,
                recorded_at: at.clone(),
                recorded_by: common.user(),
            },
        )?;
    }
    tx.append_audit(&common.audit("record", detail.clone()))?;
    tx.commit()?;
    println!("recorded {detail}");
    Ok(())
}

/// `name = value` for each objective, joined by commas.
fn described(names: &[&str], values: &[f64]) -> String {
    names
        .iter()
        .zip(values)
        .map(|(n, v)| format!("{n} = {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn import(file: &Path, force: bool, json: bool, common: &Common) -> Result<()> {
    let mut store = common.open()?;
    let mut tx = store.write()?;
    let state = load(tx.as_ref())?;
    let rows = results::read(file, &state)?;
    let names = state.campaign.objective_names();
    let name = file.display().to_string();
    let (mut recorded, mut replaced, mut unchanged, mut new) =
        (Vec::new(), Vec::new(), 0, Vec::new());
    let at = now();
    let put = |tx: &mut Box<dyn crate::store::Transaction + '_>,
               id: &str,
               values: &[f64],
               cost: Option<f64>|
     -> Result<()> {
        for (objective, &value) in names.iter().zip(values) {
            tx.put_result(
                id,
                &Outcome {
                    objective: objective.to_string(),
                    value,
                    cost,
                    recorded_at: at.clone(),
                    recorded_by: common.user(),
                },
            )?;
        }
        Ok(())
    };
    let mut seq = state.entries.len() as i64;
    for row in &rows {
        match &row.id {
            Some(id) => {
                let entry = state.entry(id)?;
                if let Some(old) = &entry.stored.result {
                    let old_values = crate::pareto::values(&state.campaign, entry)
                        .unwrap_or_default();
                    if old_values == row.values && old.cost == row.cost {
                        unchanged += 1;
                        continue;
                    }
                    let show = |v: &[f64]| match v {
                        [one] => one.to_string(),
                        _ => format!("({})", described(&names, v)),
                    };
                    if !force {
                        return Err(Error::state(format!(
                            "{name}:{}: {id} already has a result ({}): use --force \
                             to replace it (nothing was imported)",
                            row.line,
                            described(&names, &old_values)
                        )));
                    }
                    replaced.push(format!(
                        "{id} ({} -> {})",
                        show(&old_values),
                        show(&row.values)
                    ));
                } else {
                    recorded.push(id.clone());
                }
                put(&mut tx, id, &row.values, row.cost)?;
            }
            None => {
                seq += 1;
                let id = id_of(seq);
                let design = row.design.clone().unwrap_or_default();
                tx.insert_suggestion(&Suggestion {
                    seq,
                    id: id.clone(),
                    design: design_to_json(&state.campaign, &design),
                    batch: 0,
                    source: "import".into(),
                    created_at: at.clone(),
                    created_by: common.user(),
                    result: None,
                    results: Vec::new(),
                    review: None,
                    failure: None,
                })?;
                put(&mut tx, &id, &row.values, row.cost)?;
                new.push(id);
            }
        }
    }
    let summary = format!(
        "{} results recorded, {} replaced, {} unchanged, {} new experiments",
        recorded.len(),
        replaced.len(),
        unchanged,
        new.len()
    );
    let mut detail = format!("{name}: {summary}");
    for (what, list) in [
        ("recorded", recorded.join(", ")),
        ("replaced with --force", replaced.join(", ")),
        ("new", new.join(", ")),
    ] {
        if !list.is_empty() {
            detail.push_str(&format!("; {what}: {list}"));
        }
    }
    tx.append_audit(&common.audit("import", detail))?;
    tx.commit()?;
    if json {
        println!(
            "{}",
            json!({"recorded": recorded, "replaced": replaced.len(), "unchanged": unchanged, "new": new})
        );
    } else {
        println!("imported {name}: {summary}");
    }
    Ok(())
}

fn review(id: &str, accept: bool, reason: &str, common: &Common) -> Result<()> {
    if reason.trim().is_empty() {
        return Err(Error::input("--reason: give a reason"));
    }
    let mut store = common.open()?;
    let mut tx = store.write()?;
    let state = load(tx.as_ref())?;
    state.entry(id)?;
    let verdict = if accept { Verdict::Accepted } else { Verdict::Rejected };
    tx.put_review(
        id,
        &Review {
            verdict,
            reason: reason.into(),
            reviewed_at: now(),
            reviewed_by: common.user(),
        },
    )?;
    let detail = format!("{id} {}: {reason}", verdict.as_str());
    tx.append_audit(&common.audit("review", detail.clone()))?;
    tx.commit()?;
    println!("{detail}");
    Ok(())
}

fn read_state(common: &Common) -> Result<State> {
    let mut store = common.open()?;
    let tx = store.read()?;
    load(tx.as_ref())
}

fn status(json: bool, common: &Common) -> Result<()> {
    let state = read_state(common)?;
    if state.campaign.is_pareto() {
        return pareto_status(&state, json);
    }
    let campaign = &state.campaign;
    let counts = state.counts();
    let o = campaign.objective();
    let best = state.best();
    let pending = state.pending_ids();
    let next = if state.model_decides() { "model" } else { "sobol" };
    if json {
        let best = best.map(|e| {
            json!({
                "id": e.stored.id,
                "value": e.stored.result.as_ref().map(|r| r.value),
                "design": design_object(campaign, &e.design),
            })
        });
        println!(
            "{}",
            json!({
                "campaign": campaign.name,
                "objective": o.name,
                "direction": direction_word(o.direction),
                "suggestions": state.entries.len(),
                "pending": counts.pending,
                "recorded": counts.recorded,
                "rejected": counts.rejected,
                "failed": counts.failed,
                "pending_ids": pending,
                "best": best,
                "next": next,
            })
        );
        return Ok(());
    }
    println!(
        "campaign {:?}: {} {}",
        campaign.name,
        direction_word(o.direction),
        o.name
    );
    print_counts(&counts);
    match best {
        Some(e) => {
            let design: Vec<String> = campaign
                .variables()
                .iter()
                .zip(e.design.iter())
                .map(|(v, &x)| format!("{} = {}", v.name(), display_value(v, x)))
                .collect();
            let value = e.stored.result.as_ref().map_or(f64::NAN, |r| r.value);
            println!(
                "  best: {} {} = {value} at {}",
                paint(&e.stored.id, "1"),
                o.name,
                design.join(", ")
            );
        }
        None => println!("  best: none yet"),
    }
    print_next(&state, &pending, next);
    Ok(())
}

fn export(out: &Path, common: &Common) -> Result<()> {
    let state = read_state(common)?;
    results::write(out, &state)?;
    println!("wrote {} suggestions to {}", state.entries.len(), out.display());
    Ok(())
}

fn report(output: Option<PathBuf>, common: &Common) -> Result<()> {
    let state = read_state(common)?;
    let made = crate::report::report(&state)?;
    let out = output.unwrap_or_else(|| crate::report::default_output(&common.db));
    if out.as_os_str() == "-" {
        print!("{}", made.html);
        return Ok(());
    }
    crate::report::write(&out, &made.html)?;
    println!(
        "wrote {} ({} observations, {} figures)",
        out.display(),
        made.observations,
        made.figures.len()
    );
    Ok(())
}

fn log(json: bool, common: &Common) -> Result<()> {
    let mut store = common.open()?;
    let tx = store.read()?;
    let entries = tx.audit()?;
    if json {
        let list: Vec<_> = entries
            .iter()
            .map(|e| json!({"at": e.at, "user": e.user, "command": e.command, "detail": e.detail}))
            .collect();
        println!("{}", serde_json::Value::from(list));
        return Ok(());
    }
    for e in entries {
        println!("{}  {:<10} {:<8} {}", e.at, e.user, e.command, e.detail);
    }
    Ok(())
}

fn run_rounds(
    command: &str,
    timeout: f64,
    batch: Option<u32>,
    rounds: u32,
    json: bool,
    common: &Common,
) -> Result<()> {
    if !(timeout.is_finite() && timeout > 0.0) {
        return Err(Error::input(format!(
            "--timeout: {timeout} is not a positive number of seconds"
        )));
    }
    let timeout = Duration::from_secs_f64(timeout);
    for _ in 0..rounds {
        let Made { state, made, .. } = make_suggestions(batch, common, "run")?;
        let campaign = &state.campaign;
        let names = campaign.objective_names();
        for (s, design) in &made {
            let mut env = vec![
                ("GRADBO_ID".to_string(), s.id.clone()),
                ("GRADBO_DESIGN".to_string(), s.design.clone()),
            ];
            for (v, &x) in campaign.variables().iter().zip(design.iter()) {
                env.push((
                    crate::run::env_name(v.name()),
                    crate::spec::format_value(v, x),
                ));
            }
            let input = format!("{}\n", s.design);
            let (outcome, seconds) = crate::run::run_command(
                command,
                &env,
                &input,
                timeout,
                names.len(),
            );
            // Each run's outcome in its own transaction, as soon as it ends.
            let mut store = common.open()?;
            let mut tx = store.write()?;
            let (word, detail) = match &outcome {
                crate::run::RunOutcome::Value(values) => {
                    let at = now();
                    for (name, &value) in names.iter().zip(values) {
                        tx.put_result(
                            &s.id,
                            &Outcome {
                                objective: name.to_string(),
                                value,
                                cost: None,
                                recorded_at: at.clone(),
                                recorded_by: common.user(),
                            },
                        )?;
                    }
                    ("recorded", described(&names, values))
                }
                crate::run::RunOutcome::Failed(m) => ("failed", m.clone()),
                crate::run::RunOutcome::TimedOut => (
                    "timed out",
                    format!("still running after {} s", timeout.as_secs_f64()),
                ),
            };
            if word != "recorded" {
                tx.put_failure(
                    &s.id,
                    &Failure {
                        outcome: word.into(),
                        detail: detail.clone(),
                        seconds,
                        ran_at: now(),
                        ran_by: common.user(),
                    },
                )?;
            }
            tx.append_audit(&common.audit(
                "run",
                format!("{}: {word} after {seconds:.3} s: {detail}", s.id),
            ))?;
            tx.commit()?;
            if json {
                let mut line = json!({"id": s.id, "outcome": word, "detail": detail,
                       "seconds": seconds, "design": design_object(campaign, design)});
                let values = match &outcome {
                    crate::run::RunOutcome::Value(v) => Some(v.clone()),
                    _ => None,
                };
                match (&values, names.len()) {
                    (Some(v), 1) => line["value"] = json!(v[0]),
                    (None, 1) => line["value"] = json!(null),
                    (Some(v), _) => {
                        line["values"] = names
                            .iter()
                            .zip(v)
                            .map(|(n, x)| (n.to_string(), json!(x)))
                            .collect();
                    }
                    (None, _) => line["values"] = json!(null),
                }
                println!("{line}");
            } else {
                println!("{} {word} after {seconds:.1} s: {detail}", s.id);
            }
        }
    }
    Ok(())
}

/// `status` of a Pareto campaign: counts, the observed front, the reference point and the
/// hypervolume.
fn pareto_status(state: &State, json: bool) -> Result<()> {
    let campaign = &state.campaign;
    let counts = state.counts();
    let pending = state.pending_ids();
    let next = if state.model_decides() { "model" } else { "sobol" };
    let front = state.front()?;
    let names = campaign.objective_names();
    let by_name = |v: ndarray::ArrayView1<'_, f64>| {
        names
            .iter()
            .zip(v.iter())
            .map(|(n, &x)| (n.to_string(), json!(x)))
            .collect::<serde_json::Map<_, _>>()
    };
    if json {
        let objectives: Vec<_> = campaign
            .objectives
            .iter()
            .map(|o| {
                json!({"name": o.name, "direction": direction_word(o.direction),
                       "reference": o.reference})
            })
            .collect();
        let (points, reference, inferred, hypervolume) = match &front {
            Some(f) => {
                let points: Vec<_> = f
                    .ids
                    .iter()
                    .zip(f.values.rows())
                    .map(|(id, v)| {
                        let e = state.entry(id)?;
                        Ok(json!({"id": id, "values": by_name(v),
                                  "design": design_object(campaign, &e.design)}))
                    })
                    .collect::<Result<Vec<_>>>()?;
                let inferred: Vec<&str> = names
                    .iter()
                    .zip(&f.inferred)
                    .filter(|(_, i)| **i)
                    .map(|(n, _)| *n)
                    .collect();
                (
                    points,
                    json!(by_name(f.reference.view())),
                    json!(inferred),
                    json!(f.hypervolume),
                )
            }
            None => (Vec::new(), json!(null), json!([]), json!(null)),
        };
        println!(
            "{}",
            json!({
                "campaign": campaign.name,
                "objectives": objectives,
                "suggestions": state.entries.len(),
                "pending": counts.pending,
                "recorded": counts.recorded,
                "rejected": counts.rejected,
                "failed": counts.failed,
                "pending_ids": pending,
                "front": points,
                "reference_point": reference,
                "reference_inferred": inferred,
                "hypervolume": hypervolume,
                "next": next,
            })
        );
        return Ok(());
    }
    let goals: Vec<String> = campaign
        .objectives
        .iter()
        .map(|o| format!("{} {}", direction_word(o.direction), o.name))
        .collect();
    println!("campaign {:?}: Pareto front of {}", campaign.name, goals.join(", "));
    print_counts(&counts);
    match &front {
        Some(f) => {
            println!(
                "  front: {} of {} results non-dominated",
                f.ids.len(),
                state.observations().count()
            );
            let mut header = vec!["id".to_string()];
            header.extend(names.iter().map(|n| n.to_string()));
            header
                .extend(campaign.variables().iter().map(|v| v.name().to_string()));
            let rows: Vec<Vec<String>> = f
                .ids
                .iter()
                .zip(f.values.rows())
                .map(|(id, v)| {
                    let mut row = vec![id.clone()];
                    row.extend(v.iter().map(|x| x.to_string()));
                    if let Ok(e) = state.entry(id) {
                        row.extend(
                            campaign
                                .variables()
                                .iter()
                                .zip(e.design.iter())
                                .map(|(v, &x)| display_value(v, x)),
                        );
                    }
                    row
                })
                .collect();
            print_table(&header, &rows);
            let reference: Vec<String> = names
                .iter()
                .zip(f.reference.iter().zip(&f.inferred))
                .map(|(n, (r, i))| {
                    format!("{n} = {r}{}", if *i { " (inferred)" } else { "" })
                })
                .collect();
            println!("  reference point: {}", reference.join(", "));
            println!("  hypervolume: {}", f.hypervolume);
        }
        None => println!("  front: none yet"),
    }
    print_next(state, &pending, next);
    Ok(())
}

/// The last lines of `status`: the pending ids and where the next suggestions come from.
fn print_counts(c: &crate::engine::Counts) {
    println!(
        "  {} suggestions: {} pending, {} recorded, {} rejected, {} failed",
        c.suggestions, c.pending, c.recorded, c.rejected, c.failed
    );
}

fn print_next(state: &State, pending: &[&str], next: &str) {
    if !pending.is_empty() {
        println!("  pending: {}", pending.join(", "));
    }
    println!(
        "  next suggestions from the {}",
        if next == "model" {
            "model".to_string()
        } else {
            format!(
                "initial Sobol design ({} of {} results)",
                state.observations().count(),
                state.campaign.initial_design
            )
        }
    );
}
