//! The appendix "Running a real campaign": the `gradbo-campaign` binary run as a reader
//! runs it, on the catalyst problem of chapters 20 and 21, in a temporary folder — a week
//! of suggestions, results, a rejection, a late result, automated simulator runs with a
//! failure and a timeout, a process killed with SIGKILL and the campaign resumed — each
//! command line and its output written to `book/appendix/outputs/campaign.txt`.
//!
//! The clock of every command is fixed with `GRADBO_CAMPAIGN_CLOCK` (the prompt shows it)
//! and the user with `$USER`, so the transcripts are the same on every run; how long a
//! simulator run took is shown as `…`.

pub mod exercises;
pub mod page;
pub mod shell;

use crate::report::Report;
use crate::Artifact;
use gradbo::test_functions::catalyst::{self, Catalyst, Design, Pipeline};
use ndarray::array;
use shell::Shell;
use std::collections::BTreeMap;

/// The worked output.
const OUTPUT: &str = "book/appendix/outputs/campaign.txt";
/// The campaign file, as the chapter shows it.
pub const CAMPAIGN_FILE: &str = "book/appendix/campaign/catalyst.toml";
/// The simulator, as the chapter shows it.
pub const SIMULATOR: &str = "book/appendix/campaign/simulate.sh";

/// One row of `export`'s table.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub status: String,
    pub temperature: f64,
    pub loading: f64,
    pub time: u32,
    pub solvent: String,
    pub score: Option<f64>,
    pub cost: Option<f64>,
    /// The fields as written, for showing a row.
    pub line: String,
}

/// Reads an export (columns id, status, review, temperature, loading, time, solvent, score,
/// cost, suggested_at, recorded_at).
pub fn read_table(text: &str) -> BTreeMap<String, Row> {
    let mut lines = text.lines();
    let header = lines.next().expect("a header");
    assert_eq!(
        header,
        "id,status,review,temperature,loading,time,solvent,score,cost,suggested_at,recorded_at"
    );
    lines
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let num = |s: &str| {
                (!s.is_empty()).then(|| s.parse::<f64>().expect("a number"))
            };
            let row = Row {
                id: f[0].into(),
                status: f[1].into(),
                temperature: f[3].parse().expect("T"),
                loading: f[4].parse().expect("L"),
                time: f[5].parse().expect("t"),
                solvent: f[6].into(),
                score: num(f[7]),
                cost: num(f[8]),
                line: line.into(),
            };
            (row.id.clone(), row)
        })
        .collect()
}

/// What the simulator does with a design: the experiment it runs, its score and its cost
/// (chapter 21's), or `None` when the solvent boils.
pub fn experiment(
    t: f64,
    l: f64,
    time: u32,
    solvent: &str,
) -> Option<(Design, f64, f64)> {
    let s = match solvent {
        "A" => 0.0,
        "B" => 0.5,
        _ => 1.0,
    };
    let latent = array![
        (t - 40.0) / 100.0,
        (l - 0.01) / 0.19,
        (f64::from(time) - 10.0) / 40.0,
        s
    ];
    let problem = Catalyst::new(Pipeline::SnapInDecoder);
    let decoded =
        problem.decode(latent.view()).expect("a latent point in the cube");
    if decoded.temperature > catalyst::HIGH_TEMPERATURE && solvent != "C" {
        return None;
    }
    let e = problem.evaluate(latent.view()).expect("a design evaluates");
    let cost = catalyst::cost(&e.repaired.design).expect("a cost");
    Some((e.repaired.design, e.score, cost))
}

/// The simulator's environment for a design, as a reader would type it.
fn sim_env(r: &Row, precise: bool) -> Vec<(&'static str, String)> {
    let num = |x: f64| if precise { format!("{x}") } else { six_digits(x) };
    vec![
        ("GRADBO_TEMPERATURE", num(r.temperature)),
        ("GRADBO_LOADING", num(r.loading)),
        ("GRADBO_TIME", r.time.to_string()),
        ("GRADBO_SOLVENT", r.solvent.clone()),
    ]
}

/// A number to 6 significant digits, as `suggest` prints it.
fn six_digits(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let digits = (5 - x.abs().log10().floor() as i32).clamp(0, 17) as usize;
    let text = format!("{x:.digits$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// A design's score and cost as a person types them: two decimals and one. Checked against
/// what the simulator prints for the same design.
fn bench_result(shell: &Shell, r: &Row) -> (String, String) {
    let (_, score, cost) = experiment(r.temperature, r.loading, r.time, &r.solvent)
        .expect("a design that runs");
    let env = sim_env(r, true);
    let env: Vec<(&str, &str)> =
        env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let printed = shell.quiet("./simulate.sh", &env);
    let value = format!("{score:.2}");
    assert_eq!(
        printed.lines().last(),
        Some(value.as_str()),
        "the simulator agrees with the library"
    );
    (value, format!("{cost:.1}"))
}

/// Everything the walk-through produced that the exercises and the tests read.
pub struct Walk {
    pub report: Report,
    /// The last export.
    pub table: BTreeMap<String, Row>,
    /// The re-import of that export on a copy: the tool's summary line.
    pub reimport: String,
}

/// Runs the walk-through.
pub fn walk() -> Walk {
    let mut sh = Shell::new(shell::campaign_binary());
    sh.copy_in(CAMPAIGN_FILE, "catalyst.toml");
    sh.copy_in(SIMULATOR, "simulate.sh");
    let mut report = Report::new();

    // Monday: the campaign, its first batch, a rejection, the first results by hand.
    sh.gc("2026-03-02 09:00", "ana", &["init", "catalyst.toml", "--db", "lab.db"]);
    report.section("init", sh.take());
    assert!(
        sh.log_json().contains(r#""at":"2026-03-02T09:00:00Z""#),
        "this gradbo-campaign ignores GRADBO_CAMPAIGN_CLOCK: it was built from older \
         sources than this repository's; rebuild it with `cargo build -p gradbo-campaign`"
    );
    sh.gc("2026-03-02 09:05", "ana", &["suggest", "--db", "lab.db"]);
    report.section("suggest-1", sh.take());
    let t = sh.table();
    let boiling = t
        .values()
        .find(|r| {
            experiment(r.temperature, r.loading, r.time, &r.solvent).is_none()
        })
        .expect("a design that boils")
        .clone();
    assert_eq!(boiling.id, "s0002");
    sh.gc(
        "2026-03-02 09:10",
        "ana",
        &[
            "review",
            "s0002",
            "--reject",
            "--reason",
            "solvent A boils above 110 °C",
            "--db",
            "lab.db",
        ],
    );
    report.section("reject", sh.take());
    let first = t["s0001"].clone();
    let env = sim_env(&first, false);
    let env: Vec<(&str, &str)> =
        env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let shown = sh.sh("2026-03-02 10:00", "ana", &env, "./simulate.sh", &[]);
    report.section("by-hand", sh.take());
    let (v1, c1) = bench_result(&sh, &t["s0001"]);
    assert_eq!(
        shown.lines().last(),
        Some(v1.as_str()),
        "the table's digits give the same run"
    );
    let (v3, c3) = bench_result(&sh, &t["s0003"]);
    let (v4, c4) = bench_result(&sh, &t["s0004"]);
    sh.gc(
        "2026-03-02 16:30",
        "ana",
        &["record", "s0001", &v1, "--cost", &c1, "--db", "lab.db"],
    );
    let typo = v3.replace('.', ",");
    sh.gc_fails(
        "2026-03-02 16:31",
        "ana",
        &["record", "s0003", &typo, "--cost", &c3, "--db", "lab.db"],
        3,
    );
    sh.gc(
        "2026-03-02 16:32",
        "ana",
        &["record", "s0003", &v3, "--cost", &c3, "--db", "lab.db"],
    );
    sh.gc(
        "2026-03-02 16:33",
        "ana",
        &["record", "s0004", &v4, "--cost", &c4, "--db", "lab.db"],
    );
    report.section("record-1", sh.take());

    // Tuesday: the simulator takes over; one design boils, one run outlasts its timeout.
    sh.gc(
        "2026-03-03 09:00",
        "ben",
        &["run", "--command", "./simulate.sh", "--db", "lab.db"],
    );
    report.section("run-1", sh.take());
    sh.gc("2026-03-03 09:05", "ben", &["status", "--db", "lab.db"]);
    report.section("status-1", sh.take());
    sh.gc_env(
        "2026-03-03 10:00",
        "ben",
        &[("SIM_PAUSE", "5")],
        &[
            "run",
            "--command",
            "./simulate.sh",
            "--batch",
            "1",
            "--timeout",
            "1",
            "--db",
            "lab.db",
        ],
    );
    report.section("timeout", sh.take());

    // Wednesday and Thursday: by hand again, with a result that comes in late.
    sh.gc(
        "2026-03-04 09:00",
        "ana",
        &["suggest", "--batch", "2", "--db", "lab.db"],
    );
    report.section("suggest-2", sh.take());
    let t = sh.table();
    let (v10, c10) = bench_result(&sh, &t["s0010"]);
    let (v11, c11) = bench_result(&sh, &t["s0011"]);
    sh.gc(
        "2026-03-04 17:00",
        "ana",
        &["record", "s0010", &v10, "--cost", &c10, "--db", "lab.db"],
    );
    report.section("record-2", sh.take());
    sh.gc(
        "2026-03-05 09:00",
        "ana",
        &["suggest", "--batch", "1", "--db", "lab.db"],
    );
    report.section("suggest-3", sh.take());
    let t = sh.table();
    let (v12, c12) = bench_result(&sh, &t["s0012"]);
    sh.gc(
        "2026-03-05 11:00",
        "ana",
        &["record", "s0011", &v11, "--cost", &c11, "--db", "lab.db"],
    );
    sh.gc(
        "2026-03-05 16:00",
        "ana",
        &["record", "s0012", &v12, "--cost", &c12, "--db", "lab.db"],
    );
    report.section("late", sh.take());

    // Friday: a run killed with SIGKILL mid-simulation; nothing is lost, the campaign goes on.
    sh.gc_killed(
        "2026-03-06 09:00",
        "ben",
        &[("SIM_PAUSE", "600")],
        &["run", "--command", "./simulate.sh", "--batch", "1", "--db", "lab.db"],
    );
    report.section("killed", sh.take());
    sh.gc("2026-03-06 09:02", "ben", &["status", "--db", "lab.db"]);
    report.section("status-killed", sh.take());
    sh.gc("2026-03-06 09:03", "ben", &["export", "table.csv", "--db", "lab.db"]);
    sh.grep("2026-03-06 09:03", "ben", "s0013", "table.csv");
    let t = sh.table();
    let interrupted = t["s0013"].clone();
    assert_eq!(interrupted.status, "pending");
    let env = sim_env(&interrupted, true);
    let env: Vec<(&str, &str)> =
        env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = sh.sh("2026-03-06 09:04", "ben", &env, "./simulate.sh", &[]);
    let v13 = out.lines().last().expect("a value").to_string();
    sh.gc("2026-03-06 09:05", "ben", &["record", "s0013", &v13, "--db", "lab.db"]);
    report.section("resume", sh.take());
    sh.gc(
        "2026-03-06 09:10",
        "ben",
        &["run", "--command", "./simulate.sh", "--batch", "2", "--db", "lab.db"],
    );
    report.section("run-2", sh.take());

    // The state of the campaign, its table and its audit log.
    sh.gc("2026-03-06 09:20", "ana", &["status", "--db", "lab.db"]);
    report.section("status-end", sh.take());
    sh.gc("2026-03-06 09:21", "ana", &["export", "table.csv", "--db", "lab.db"]);
    sh.head("2026-03-06 09:21", "ana", "table.csv", 4);
    report.section("export", sh.take());
    sh.gc("2026-03-06 09:22", "ana", &["log", "--db", "lab.db"]);
    report.section("log", sh.take());
    sh.gc("2026-03-06 09:23", "ana", &["report", "--db", "lab.db"]);
    report.section("report", sh.take());
    let html = std::fs::read_to_string(sh.dir.join("lab-report.html"))
        .expect("report wrote its page");
    report.section("report-figures", page::inventory(&html));

    let table = sh.table();
    let reimport = sh.reimport("table.csv");
    Walk { report, table, reimport }
}

/// Runs the walk-through and the exercises.
pub fn run() -> Vec<Artifact> {
    let mut walk = walk();
    let answers = exercises::answers(&walk);
    walk.report.section("exercises", answers);
    vec![Artifact::new(OUTPUT, walk.report.finish())]
}
