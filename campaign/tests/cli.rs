//! The built `gradbo-campaign` binary run as a process on real files: a whole campaign,
//! every bad input (a clear message, its exit code, the database unchanged), determinism,
//! abandoned suggestions, and concurrent processes.

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_gradbo-campaign");

/// A fresh folder under the target directory's temporary folder.
fn folder(name: &str) -> PathBuf {
    let dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("campaign-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the binary in `dir` with `args`, as user "tester".
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .env("USER", "tester")
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs and expects success; returns stdout.
fn ok(dir: &Path, args: &[&str]) -> String {
    let o = run(dir, args);
    assert!(o.status.success(), "{args:?}: {}{}", stdout(&o), stderr(&o));
    stdout(&o)
}

/// Runs and expects exit `code` with `message` on stderr.
fn fails(dir: &Path, args: &[&str], code: i32, message: &str) {
    let o = run(dir, args);
    assert_eq!(
        o.status.code(),
        Some(code),
        "{args:?}: {}{}",
        stdout(&o),
        stderr(&o)
    );
    assert!(
        stderr(&o).contains(message),
        "{args:?}: {:?} lacks {message:?}",
        stderr(&o)
    );
}

const CAMPAIGN: &str = r#"name = "bench"
seed = 11
batch_size = 2
initial_design = 4

[[variables]]
name = "temperature"
type = "continuous"
lower = 40.0
upper = 140.0

[[variables]]
name = "stirrers"
type = "integer"
lower = 1
upper = 4

[[variables]]
name = "solvent"
type = "categorical"
values = ["water", "ethanol"]

[[objectives]]
name = "yield"
direction = "maximise"

[cost]
name = "hours"
"#;

/// The yield of a design: best at 90 °C, 2 stirrers, ethanol.
fn yield_of(t: f64, n: i64, solvent: &str) -> f64 {
    let s = if solvent == "ethanol" { 0.0 } else { 0.4 };
    1.0 - ((t - 90.0) / 50.0).powi(2) - 0.1 * (n - 2).pow(2) as f64 - s
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Every table's schema and rows, as text.
fn dump(db: &Path) -> String {
    let conn = Connection::open(db).unwrap();
    let mut out = String::new();
    let tables: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (name, sql) in tables {
        out.push_str(&sql);
        out.push('\n');
        if !sql.starts_with("CREATE TABLE") {
            continue;
        }
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{name}\" ORDER BY rowid"))
            .unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap();
        for row in rows {
            out.push_str(&row.unwrap());
            out.push('\n');
        }
    }
    out
}

/// A campaign with four Sobol suggestions, three of them recorded.
fn started(name: &str) -> (PathBuf, Vec<serde_json::Value>) {
    let dir = folder(name);
    std::fs::write(dir.join("campaign.toml"), CAMPAIGN).unwrap();
    ok(&dir, &["init", "campaign.toml", "--db", "lab.db"]);
    let s =
        json(&ok(&dir, &["suggest", "--db", "lab.db", "--batch", "4", "--json"]));
    let list = s["suggestions"].as_array().unwrap().clone();
    for e in &list[..3] {
        let d = &e["design"];
        let y = yield_of(
            d["temperature"].as_f64().unwrap(),
            d["stirrers"].as_i64().unwrap(),
            d["solvent"].as_str().unwrap(),
        );
        ok(
            &dir,
            &[
                "record",
                e["id"].as_str().unwrap(),
                &y.to_string(),
                "--db",
                "lab.db",
            ],
        );
    }
    (dir, list)
}

#[test]
fn a_whole_campaign_from_init_to_export() {
    let (dir, first) = started("whole");
    assert_eq!(first.len(), 4);
    assert!(first.iter().all(|e| e["source"] == "sobol"));
    let ids: Vec<&str> = first.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["s0001", "s0002", "s0003", "s0004"]);
    // The fourth result and an experiment run outside the campaign, imported from a file
    // with a cost; the fourth's variables are checked against its suggestion.
    let d = &first[3]["design"];
    let y4 = yield_of(
        d["temperature"].as_f64().unwrap(),
        d["stirrers"].as_i64().unwrap(),
        d["solvent"].as_str().unwrap(),
    );
    let csv = format!(
        "id,temperature,stirrers,solvent,yield,hours\n\
         s0004,{},{},{},{y4},1.5\n\
         ,90,2,ethanol,1.0,2\n",
        d["temperature"],
        d["stirrers"],
        d["solvent"].as_str().unwrap()
    );
    std::fs::write(dir.join("results.csv"), csv).unwrap();
    let out = ok(&dir, &["import", "results.csv", "--db", "lab.db"]);
    assert!(
        out.contains(
            "1 results recorded, 0 replaced, 0 unchanged, 1 new experiments"
        ),
        "{out}"
    );
    // Five results: the model decides now. Two calls before any result: different designs.
    let a = json(&ok(&dir, &["suggest", "--db", "lab.db", "--json"]));
    let b =
        json(&ok(&dir, &["suggest", "--db", "lab.db", "--batch", "1", "--json"]));
    let a = a["suggestions"].as_array().unwrap();
    let b = b["suggestions"].as_array().unwrap();
    assert_eq!((a.len(), b.len()), (2, 1));
    assert!(a.iter().chain(b).all(|e| e["source"] == "model"));
    assert_eq!(
        [&a[0]["id"], &a[1]["id"], &b[0]["id"]],
        ["s0006", "s0007", "s0008"]
    );
    let designs = [&a[0]["design"], &a[1]["design"], &b[0]["design"]];
    assert!(
        designs[0] != designs[1]
            && designs[0] != designs[2]
            && designs[1] != designs[2]
    );
    ok(&dir, &["record", "s0006", "0.25", "--cost", "3", "--db", "lab.db"]);
    ok(
        &dir,
        &[
            "review",
            "s0007",
            "--reject",
            "--reason",
            "reactor down",
            "--db",
            "lab.db",
        ],
    );
    let status = json(&ok(&dir, &["status", "--db", "lab.db", "--json"]));
    assert_eq!(status["suggestions"], 8);
    assert_eq!(status["recorded"], 6);
    assert_eq!(status["pending"], 1);
    assert_eq!(status["rejected"], 1);
    assert_eq!(status["pending_ids"], serde_json::json!(["s0008"]));
    assert_eq!(status["best"]["id"], "s0005");
    assert_eq!(status["best"]["value"], 1.0);
    assert_eq!(status["next"], "model");
    let human = ok(&dir, &["status", "--db", "lab.db"]);
    assert!(human.contains("best: s0005 yield = 1 at temperature = 90, stirrers = 2, solvent = ethanol"), "{human}");
    ok(&dir, &["export", "table.csv", "--db", "lab.db"]);
    let table = std::fs::read_to_string(dir.join("table.csv")).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[0],
        "id,status,review,temperature,stirrers,solvent,yield,hours,suggested_at,recorded_at"
    );
    assert_eq!(lines.len(), 9);
    assert!(
        lines[5].starts_with("s0005,recorded,,90,2,ethanol,1,2,"),
        "{}",
        lines[5]
    );
    assert!(
        lines[6].starts_with("s0006,recorded,,") && lines[6].contains(",0.25,3,")
    );
    assert!(lines[7].starts_with("s0007,rejected,rejected,"));
    assert!(lines[8].starts_with("s0008,pending,,"));
    // The export imports back unchanged.
    let out = ok(&dir, &["import", "table.csv", "--db", "lab.db"]);
    assert!(
        out.contains("0 results recorded, 0 replaced, 6 unchanged, 0 new"),
        "{out}"
    );
    let log = json(&ok(&dir, &["log", "--db", "lab.db", "--json"]));
    let commands: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["command"].as_str().unwrap())
        .collect();
    assert_eq!(
        commands,
        [
            "init", "suggest", "record", "record", "record", "import", "suggest",
            "suggest", "record", "review", "import"
        ]
    );
    assert!(log.as_array().unwrap().iter().all(|e| e["user"] == "tester"));
    assert_eq!(log[9]["detail"], "s0007 rejected: reactor down");
}

#[test]
fn bad_input_is_refused_with_its_exit_code_and_changes_nothing() {
    let (dir, list) = started("bad");
    let db = dir.join("lab.db");
    let before = dump(&db);
    let done = list[0]["id"].as_str().unwrap();
    let open = list[3]["id"].as_str().unwrap();
    let write =
        |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    // Values: not numbers, not finite, wrong ids, results already recorded.
    for value in ["abc", "nan", "NaN", "inf", "-inf", "1e400", ""] {
        fails(&dir, &["record", open, value, "--db", "lab.db"], 3, "the value:");
    }
    fails(
        &dir,
        &["record", "s0099", "1", "--db", "lab.db"],
        4,
        "no suggestion \"s0099\"",
    );
    fails(
        &dir,
        &["record", "s0099", "-1.5", "--db", "lab.db"],
        4,
        "no suggestion \"s0099\"",
    );
    fails(
        &dir,
        &["record", done, "1", "--db", "lab.db"],
        4,
        "already has a result",
    );
    fails(
        &dir,
        &["record", open, "1", "--cost", "-2", "--db", "lab.db"],
        3,
        "negative",
    );
    fails(
        &dir,
        &["record", open, "1", "--cost", "x", "--db", "lab.db"],
        3,
        "--cost (hours)",
    );
    fails(
        &dir,
        &["review", "s0099", "--reject", "--reason", "r", "--db", "lab.db"],
        4,
        "no suggestion",
    );
    fails(
        &dir,
        &["review", open, "--reject", "--reason", " ", "--db", "lab.db"],
        3,
        "--reason",
    );
    fails(&dir, &["review", open, "--reject", "--db", "lab.db"], 2, "--reason");
    fails(
        &dir,
        &[
            "review", open, "--accept", "--reject", "--reason", "r", "--db",
            "lab.db",
        ],
        2,
        "cannot be used",
    );
    fails(&dir, &["suggest", "--batch", "0", "--db", "lab.db"], 2, "--batch");
    // Results files: each problem named by file, line and column; nothing imported even
    // when the good rows come first.
    let cases = [
        ("id,yield\ns0004,1\ns0099,2\n", 4, "r.csv:3:1: no suggestion \"s0099\""),
        (
            "id,yield\ns0004,1\ns0004,2\n",
            3,
            "r.csv:3:1: s0004 is given twice (also on line 2)",
        ),
        (
            "id,yield\ns0004,1\ns0001,abc\n",
            3,
            "r.csv:3:2 (yield): \"abc\" is not a number",
        ),
        (
            "id,yield\ns0004,inf\n",
            3,
            "r.csv:2:2 (yield): \"inf\" is not a finite number",
        ),
        ("id,yield\ns0004,1,2\n", 3, "r.csv:2: the row has 3 fields, the header 2"),
        ("id,yeild\ns0004,1\n", 3, "r.csv:1:2: unknown column \"yeild\""),
        ("id,stirrers\ns0004,1\n", 3, "r.csv:1: no column \"yield\""),
        (
            "id,stirrers,yield\ns0004,2.5,1\n",
            3,
            "r.csv:2:2: stirrers: \"2.5\" is not an integer",
        ),
        (
            "solvent,yield\nbenzene,1\n",
            3,
            "r.csv:2:1: solvent: \"benzene\" is not one of water, ethanol",
        ),
        (
            "temperature,yield\n90,1\n",
            3,
            "r.csv:2: a row needs every variable: stirrers is missing",
        ),
        (
            "id,temperature,yield\ns0004,200,1\n",
            3,
            "r.csv:2:2: temperature: 200 is outside [40, 140]",
        ),
        ("id,yield,hours\ns0004,1,-1\n", 3, "r.csv:2:3 (cost): -1 is negative"),
        ("", 3, "r.csv:1: empty"),
    ];
    for (text, code, message) in cases {
        write("r.csv", text);
        fails(&dir, &["import", "r.csv", "--db", "lab.db"], code, message);
    }
    write("r.csv", &format!("id,yield\ns0004,1\n{done},7\n"));
    fails(
        &dir,
        &["import", "r.csv", "--db", "lab.db"],
        4,
        &format!("r.csv:3: {done} already has a result"),
    );
    let t = list[3]["design"]["temperature"].as_f64().unwrap();
    write("r.csv", &format!("id,temperature,yield\ns0004,{},1\n", t + 1.0));
    fails(
        &dir,
        &["import", "r.csv", "--db", "lab.db"],
        3,
        "is not the value suggested for s0004",
    );
    fails(
        &dir,
        &["import", "missing.csv", "--db", "lab.db"],
        3,
        "missing.csv: cannot read",
    );
    // Campaign files and databases.
    fails(&dir, &["init", "campaign.toml", "--db", "lab.db"], 4, "already exists");
    write("broken.toml", &CAMPAIGN.replace("upper = 4", "upper = 0"));
    fails(
        &dir,
        &["init", "broken.toml", "--db", "new.db"],
        3,
        "broken.toml:15:9: stirrers: lower 1 is greater than upper 0",
    );
    write("broken.toml", &CAMPAIGN.replace("seed = 11", "seed = \"eleven\""));
    fails(&dir, &["init", "broken.toml", "--db", "new.db"], 3, "broken.toml:2:8: ");
    fails(
        &dir,
        &["init", "nothing.toml", "--db", "new.db"],
        3,
        "cannot read the campaign file",
    );
    assert!(!dir.join("new.db").exists(), "a failed init leaves no file");
    fails(&dir, &["status", "--db", "new.db"], 5, "no campaign database at new.db");
    write(
        "text.db",
        "not a database, just text that is long enough to have a header......",
    );
    fails(&dir, &["status", "--db", "text.db"], 5, "not a campaign database");
    assert_eq!(dump(&db), before, "the database changed");
    // A database from a newer version is refused.
    std::fs::copy(&db, dir.join("newer.db")).unwrap();
    Connection::open(dir.join("newer.db"))
        .unwrap()
        .execute("UPDATE schema_version SET version = 99", [])
        .unwrap();
    fails(
        &dir,
        &["status", "--db", "newer.db"],
        5,
        "written by a newer gradbo-campaign (schema version 99",
    );
    // The audit log is append-only, even to SQL.
    let conn = Connection::open(&db).unwrap();
    let e = conn.execute("DELETE FROM audit", []).unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    assert!(conn.execute("UPDATE audit SET user = 'x'", []).is_err());
    drop(conn);
    // Re-recording with --force is allowed, and audited.
    ok(
        &dir,
        &["record", done, "0.5", "--force", "--db", "lab.db", "--user", "ann"],
    );
    let log = json(&ok(&dir, &["log", "--json", "--db", "lab.db"]));
    let last = log.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["user"], "ann");
    assert!(last["detail"].as_str().unwrap().contains("(replaces"), "{last}");
    // A rejected suggestion takes no result until accepted again.
    ok(
        &dir,
        &["review", open, "--reject", "--reason", "no reagent", "--db", "lab.db"],
    );
    fails(&dir, &["record", open, "1", "--db", "lab.db"], 4, "was rejected");
    ok(
        &dir,
        &["review", open, "--accept", "--reason", "reagent came", "--db", "lab.db"],
    );
    ok(&dir, &["record", open, "1", "--db", "lab.db"]);
}

#[test]
fn suggestions_are_a_function_of_the_stored_state() {
    let (dir, _) = started("determinism");
    ok(&dir, &["record", "s0004", "0.3", "--db", "lab.db"]);
    std::fs::copy(dir.join("lab.db"), dir.join("copy.db")).unwrap();
    let a = json(&ok(&dir, &["suggest", "--db", "lab.db", "--json"]));
    let b = json(&ok(&dir, &["suggest", "--db", "copy.db", "--json"]));
    assert_eq!(a, b);
    assert_eq!(a["suggestions"][0]["source"], "model");
}

#[test]
fn rejected_designs_of_a_finite_space_are_never_suggested_again() {
    let dir = folder("finite");
    let text = "name = \"grid\"\nseed = 1\ninitial_design = 2\n\
        [[variables]]\nname = \"n\"\ntype = \"integer\"\nlower = 0\nupper = 2\n\
        [[variables]]\nname = \"s\"\ntype = \"categorical\"\nvalues = [\"a\", \"b\"]\n\
        [[objectives]]\nname = \"loss\"\ndirection = \"minimise\"\n";
    std::fs::write(dir.join("c.toml"), text).unwrap();
    ok(&dir, &["init", "c.toml", "--db", "g.db"]);
    let first =
        json(&ok(&dir, &["suggest", "--batch", "2", "--db", "g.db", "--json"]));
    ok(&dir, &["record", "s0001", "1", "--db", "g.db"]);
    ok(&dir, &["record", "s0002", "2", "--db", "g.db"]);
    let next = json(&ok(&dir, &["suggest", "--db", "g.db", "--json"]));
    let rejected = next["suggestions"][0]["design"].clone();
    ok(
        &dir,
        &["review", "s0003", "--reject", "--reason", "cannot run", "--db", "g.db"],
    );
    let rest =
        json(&ok(&dir, &["suggest", "--batch", "3", "--db", "g.db", "--json"]));
    let mut seen: Vec<serde_json::Value> = vec![
        first["suggestions"][0]["design"].clone(),
        first["suggestions"][1]["design"].clone(),
        rejected,
    ];
    seen.extend(
        rest["suggestions"].as_array().unwrap().iter().map(|e| e["design"].clone()),
    );
    for i in 0..seen.len() {
        for j in 0..i {
            assert_ne!(seen[i], seen[j], "{seen:?}");
        }
    }
    // Six designs in all, every one suggested: nothing is left to offer.
    fails(&dir, &["suggest", "--db", "g.db"], 4, "nothing left to offer");
}

#[test]
fn a_held_lock_gives_busy_then_the_retry_succeeds() {
    let (dir, _) = started("busy");
    let db = dir.join("lab.db");
    let before = dump(&db);
    let mut conn = Connection::open(&db).unwrap();
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    fails(
        &dir,
        &["record", "s0004", "1", "--db", "lab.db", "--busy-timeout", "50"],
        6,
        "busy",
    );
    fails(&dir, &["suggest", "--db", "lab.db", "--busy-timeout", "50"], 6, "retry");
    drop(tx);
    assert_eq!(dump(&db), before);
    ok(&dir, &["record", "s0004", "1", "--db", "lab.db", "--busy-timeout", "50"]);
}

#[test]
fn concurrent_processes_lose_nothing_and_record_nothing_twice() {
    let dir = folder("concurrent");
    // Sobol suggestions only (the model never decides): the test is about the storage.
    let text = CAMPAIGN.replace("initial_design = 4", "initial_design = 100");
    std::fs::write(dir.join("campaign.toml"), text).unwrap();
    ok(&dir, &["init", "campaign.toml", "--db", "lab.db"]);
    ok(&dir, &["suggest", "--batch", "12", "--db", "lab.db"]);
    let timeout = "200";
    let suggester = {
        let dir = dir.clone();
        std::thread::spawn(move || {
            (0..8)
                .map(|_| {
                    run(
                        &dir,
                        &[
                            "suggest",
                            "--db",
                            "lab.db",
                            "--busy-timeout",
                            timeout,
                            "--json",
                        ],
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let recorder = {
        let dir = dir.clone();
        std::thread::spawn(move || {
            (1..=12)
                .map(|i| {
                    let id = format!("s{i:04}");
                    (
                        id.clone(),
                        run(
                            &dir,
                            &[
                                "record",
                                &id,
                                &i.to_string(),
                                "--db",
                                "lab.db",
                                "--busy-timeout",
                                timeout,
                            ],
                        ),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let suggested = suggester.join().unwrap();
    let recorded = recorder.join().unwrap();
    let mut ids: Vec<String> = (1..=12).map(|i| format!("s{i:04}")).collect();
    for o in &suggested {
        if o.status.success() {
            for e in json(&stdout(o))["suggestions"].as_array().unwrap() {
                ids.push(e["id"].as_str().unwrap().to_string());
            }
        } else {
            assert_eq!(o.status.code(), Some(6), "{}", stderr(o));
            assert!(stderr(o).contains("busy"));
        }
    }
    let mut values = std::collections::BTreeMap::new();
    for (id, o) in &recorded {
        if o.status.success() {
            values.insert(id.clone(), id[1..].parse::<f64>().unwrap());
        } else {
            assert_eq!(o.status.code(), Some(6), "{}", stderr(o));
        }
    }
    let conn = Connection::open(dir.join("lab.db")).unwrap();
    let stored: Vec<String> = conn
        .prepare("SELECT id FROM suggestions ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(stored, ids, "every suggestion printed is stored, once, in order");
    let results: std::collections::BTreeMap<String, f64> = conn
        .prepare("SELECT suggestion, value FROM results")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(results, values, "every result reported recorded is stored, once");
    // Every design is distinct: each suggest saw the ones before it.
    let designs: std::collections::BTreeSet<String> = conn
        .prepare("SELECT design FROM suggestions")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(designs.len(), stored.len());
    let integrity: String =
        conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
}

#[test]
fn every_command_has_help_with_examples() {
    let dir = folder("help");
    let top = ok(&dir, &["--help"]);
    assert!(top.contains("Exit codes:") && top.contains("6  busy"), "{top}");
    for command in [
        "init", "suggest", "record", "import", "review", "status", "export", "log",
        "run", "report",
    ] {
        let help = ok(&dir, &[command, "--help"]);
        assert!(help.contains("Example"), "{command}: {help}");
        assert!(help.contains("--db"), "{command}");
    }
}

#[test]
fn processes_killed_mid_command_leave_a_whole_database() {
    let dir = folder("sigkill");
    let text = CAMPAIGN.replace("initial_design = 4", "initial_design = 1000");
    std::fs::write(dir.join("campaign.toml"), text).unwrap();
    ok(&dir, &["init", "campaign.toml", "--db", "lab.db"]);
    let db = dir.join("lab.db");
    let count = |conn: &Connection, sql: &str| -> i64 {
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    };
    let mut finished = 0;
    for round in 0..30u64 {
        let conn = Connection::open(&db).unwrap();
        let pending: Option<String> = conn
            .query_row(
                "SELECT id FROM suggestions WHERE id NOT IN (SELECT suggestion FROM results) ORDER BY seq",
                [],
                |r| r.get(0),
            )
            .ok();
        drop(conn);
        let args: Vec<String> = match (&pending, round % 2) {
            (Some(id), 0) => vec!["record".into(), id.clone(), round.to_string()],
            _ => vec!["suggest".into(), "--batch".into(), "2".into()],
        };
        let mut child = Command::new(BIN)
            .current_dir(&dir)
            .args(&args)
            .args(["--db", "lab.db"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Kill after 0 to 29 ms: before, during or after the transaction.
        std::thread::sleep(std::time::Duration::from_millis(round * 7 % 30));
        let _ = child.kill();
        if child.wait().unwrap().success() {
            finished += 1;
        }
        let conn = Connection::open(&db).unwrap();
        let integrity: String =
            conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(integrity, "ok", "round {round}");
        // Each command's data and its audit line were committed together, or neither.
        let suggests =
            count(&conn, "SELECT count(*) FROM audit WHERE command = 'suggest'");
        let records =
            count(&conn, "SELECT count(*) FROM audit WHERE command = 'record'");
        assert_eq!(
            count(&conn, "SELECT count(*) FROM suggestions"),
            2 * suggests,
            "round {round}"
        );
        assert_eq!(
            count(&conn, "SELECT count(*) FROM results"),
            records,
            "round {round}"
        );
    }
    // The campaign still works.
    ok(&dir, &["suggest", "--db", "lab.db"]);
    ok(&dir, &["status", "--db", "lab.db"]);
    assert!(
        finished < 30,
        "every process finished before it was killed: the test killed nothing"
    );
}

#[test]
fn run_records_values_and_stores_failed_and_timed_out_runs() {
    let dir = folder("run");
    let text = CAMPAIGN.replace("initial_design = 4", "initial_design = 100");
    std::fs::write(dir.join("campaign.toml"), text).unwrap();
    ok(&dir, &["init", "campaign.toml", "--db", "lab.db"]);
    // s0001 prints its stirrers; s0002 fails; s0003 hangs with a child process.
    let script = "case \"$GRADBO_ID\" in s0002) echo broken >&2; exit 3;; \
                  s0003) sleep 30 & wait;; *) echo \"$GRADBO_SOLVENT\"; echo \"$GRADBO_STIRRERS\";; esac";
    let start = std::time::Instant::now();
    let out = ok(
        &dir,
        &[
            "run",
            "--command",
            script,
            "--timeout",
            "0.5",
            "--batch",
            "3",
            "--json",
            "--db",
            "lab.db",
        ],
    );
    assert!(start.elapsed().as_secs_f64() < 10.0, "the hung run was not stopped");
    let runs: Vec<serde_json::Value> = out.lines().map(json).collect();
    assert_eq!(runs.len(), 3);
    assert_eq!(runs[0]["outcome"], "recorded");
    assert_eq!(runs[0]["value"].as_f64(), runs[0]["design"]["stirrers"].as_f64());
    assert_eq!(runs[1]["outcome"], "failed");
    assert!(runs[1]["detail"].as_str().unwrap().contains("broken"), "{}", runs[1]);
    assert_eq!(runs[2]["outcome"], "timed out");
    let status = json(&ok(&dir, &["status", "--json", "--db", "lab.db"]));
    assert_eq!(
        (status["recorded"].as_i64(), status["failed"].as_i64()),
        (Some(1), Some(2))
    );
    ok(&dir, &["export", "t.csv", "--db", "lab.db"]);
    let table = std::fs::read_to_string(dir.join("t.csv")).unwrap();
    let statuses: Vec<&str> =
        table.lines().skip(1).map(|l| l.split(',').nth(1).unwrap()).collect();
    assert_eq!(statuses, ["recorded", "failed", "timed out"]);
    // A failed run measured by hand afterwards takes its result.
    ok(&dir, &["record", "s0002", "0.5", "--db", "lab.db"]);
    let status = json(&ok(&dir, &["status", "--json", "--db", "lab.db"]));
    assert_eq!(
        (status["recorded"].as_i64(), status["failed"].as_i64()),
        (Some(2), Some(1))
    );
    fails(
        &dir,
        &["run", "--command", "true", "--timeout", "-1", "--db", "lab.db"],
        3,
        "--timeout",
    );
}

#[test]
fn a_database_of_the_first_schema_is_migrated_and_keeps_its_data() {
    let dir = folder("migrate");
    let db = dir.join("old.db");
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(gradbo_campaign::sqlite::MIGRATIONS[0]).unwrap();
    conn.execute("UPDATE schema_version SET version = 1", []).unwrap();
    conn.execute(
        "INSERT INTO campaign VALUES (1, 'bench', ?1, '2026-01-01T00:00:00Z', 'ann')",
        [CAMPAIGN],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO suggestions VALUES (1, 's0001', \
         '{\"solvent\":\"water\",\"stirrers\":2,\"temperature\":50.5}', 1, 'sobol', \
         '2026-01-01T00:00:00Z', 'ann')",
        [],
    )
    .unwrap();
    drop(conn);
    let status = json(&ok(&dir, &["status", "--json", "--db", "old.db"]));
    assert_eq!(
        (status["suggestions"].as_i64(), status["pending"].as_i64()),
        (Some(1), Some(1))
    );
    let conn = Connection::open(&db).unwrap();
    let version: i64 = conn
        .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, gradbo_campaign::sqlite::SCHEMA_VERSION);
    let failures: i64 =
        conn.query_row("SELECT count(*) FROM failures", [], |r| r.get(0)).unwrap();
    assert_eq!(failures, 0);
    drop(conn);
    ok(&dir, &["record", "s0001", "0.7", "--db", "old.db"]);
}

/// The bench's campaign with a second objective, to minimise, in place of the cost.
fn pareto_campaign() -> String {
    CAMPAIGN
        .replace(
            "name = \"bench\"\nseed = 11\nbatch_size = 2\n",
            "name = \"pareto\"\nseed = 5\n",
        )
        .replace(
            "[cost]\nname = \"hours\"\n",
            "[[objectives]]\nname = \"impurity\"\ndirection = \"minimise\"\n",
        )
}

/// The impurity of a design: lowest when cool, with few stirrers, in water — against the
/// yield.
fn impurity_of(t: f64, n: i64, solvent: &str) -> f64 {
    let s = if solvent == "ethanol" { 0.3 } else { 0.0 };
    1.0 + ((t - 40.0) / 50.0).powi(2) + 0.2 * n as f64 + s
}

/// Both objectives of a suggestion's design (a JSON object).
fn pareto_values(design: &serde_json::Value) -> (f64, f64) {
    let t = design["temperature"].as_f64().unwrap();
    let n = design["stirrers"].as_i64().unwrap();
    let s = design["solvent"].as_str().unwrap();
    (yield_of(t, n, s), impurity_of(t, n, s))
}

/// Suggests (`extra` arguments) and returns the suggestions.
fn suggest_json(dir: &Path, db: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["suggest", "--json", "--db", db];
    args.extend_from_slice(extra);
    json(&ok(dir, &args))["suggestions"].as_array().unwrap().clone()
}

/// Records a suggestion's two values, by name.
fn record_pareto(dir: &Path, db: &str, s: &serde_json::Value) {
    let (y, i) = pareto_values(&s["design"]);
    let id = s["id"].as_str().unwrap();
    let (y, i) = (format!("yield={y}"), format!("impurity={i}"));
    ok(dir, &["record", id, &i, &y, "--db", db]);
}

#[test]
fn a_pareto_campaign_suggests_records_and_reports_its_front() {
    let dir = folder("pareto");
    let pareto = pareto_campaign();
    assert!(pareto.contains("\"impurity\"") && !pareto.contains("batch_size"));
    std::fs::write(dir.join("c.toml"), &pareto).unwrap();
    let out = ok(&dir, &["init", "c.toml", "--db", "lab.db"]);
    assert!(
        out.contains("objectives yield (maximise), impurity (minimise)"),
        "{out}"
    );
    // The initial design: four Sobol designs, recorded by name and by position.
    let first = suggest_json(&dir, "lab.db", &["--batch", "4"]);
    assert!(first.iter().all(|s| s["source"] == "sobol"));
    for s in &first[..3] {
        record_pareto(&dir, "lab.db", s);
    }
    let (y, i) = pareto_values(&first[3]["design"]);
    let last = first[3]["id"].as_str().unwrap();
    let (y, i) = (y.to_string(), i.to_string());
    ok(&dir, &["record", last, &y, &i, "--db", "lab.db"]);
    // Wrong counts and values: refused, nothing written.
    let pending = suggest_json(&dir, "lab.db", &[]);
    assert_eq!(pending[0]["source"], "model");
    assert!(pending[0]["acquisition"].as_f64().unwrap() > 0.0);
    let open = pending[0]["id"].as_str().unwrap();
    let db = dir.join("lab.db");
    let before = dump(&db);
    for (values, message) in [
        (vec!["0.5"], "expected 2 values (yield, impurity"),
        (vec!["0.5", "1", "2"], "expected 2 values"),
        (vec!["yield=0.5"], "no value for impurity"),
        (vec!["yield=0.5", "yield=0.6"], "yield is given twice"),
        (vec!["yield=0.5", "purity=1"], "\"purity\" is not an objective"),
        (vec!["yield=0.5", "2"], "not a mix"),
        (
            vec!["yield=0.5", "impurity=nan"],
            "the value of impurity: \"nan\" is not a finite",
        ),
        (vec!["-inf", "0.5"], "the value of yield: \"-inf\" is not a finite"),
        (
            vec!["0.5", "-1e400"],
            "the value of impurity: \"-1e400\" is not a finite",
        ),
        (vec!["1e400", "1"], "the value of yield"),
    ] {
        let mut args = vec!["record", open];
        args.extend(values);
        args.extend(["--db", "lab.db"]);
        fails(&dir, &args, 3, message);
    }
    let write =
        |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    for (text, message) in [
        (format!("id,yield\n{open},0.5\n"), "r.csv:1: no column \"impurity\""),
        (
            format!("id,yield,impurity\n{open},0.5,\n"),
            "r.csv:2: no value for impurity",
        ),
        (
            format!("id,yield,impurity\n{open},0.5,inf\n"),
            "r.csv:2:3 (impurity): \"inf\"",
        ),
        (
            format!("id,yield,impurity,extra\n{open},0.5,1,2\n"),
            "unknown column \"extra\"",
        ),
    ] {
        write("r.csv", &text);
        fails(&dir, &["import", "r.csv", "--db", "lab.db"], 3, message);
    }
    assert_eq!(dump(&db), before, "a refused command wrote");
    // A second suggest before the result proposes another design, and the same stored
    // state gives the same suggestion.
    std::fs::copy(&db, dir.join("copy.db")).unwrap();
    let again = suggest_json(&dir, "lab.db", &[]);
    assert_ne!(again[0]["design"], pending[0]["design"]);
    let (y, i) = pareto_values(&pending[0]["design"]);
    write("r.csv", &format!("id,impurity,yield\n{open},{i},{y}\n"));
    ok(&dir, &["import", "r.csv", "--db", "lab.db"]);
    record_pareto(&dir, "lab.db", &again[0]);
    let twin = suggest_json(&dir, "copy.db", &[]);
    assert_eq!(twin, again);
    // Rounds of a batch of two.
    for _ in 0..2 {
        let batch = suggest_json(&dir, "lab.db", &["--batch", "2"]);
        assert_eq!(batch.len(), 2);
        assert_ne!(batch[0]["design"], batch[1]["design"]);
        for s in &batch {
            record_pareto(&dir, "lab.db", s);
        }
    }
    // The export has a column per objective; the front and hypervolume of status are the
    // library's on the same values.
    ok(&dir, &["export", "table.csv", "--db", "lab.db"]);
    let table = std::fs::read_to_string(dir.join("table.csv")).unwrap();
    let header: Vec<&str> = table.lines().next().unwrap().split(',').collect();
    assert_eq!(
        &header[3..8],
        ["temperature", "stirrers", "solvent", "yield", "impurity"]
    );
    let mut ids = Vec::new();
    let mut y = ndarray::Array2::<f64>::zeros((0, 2));
    for line in table.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f[1], "recorded", "{line}");
        ids.push(f[0].to_string());
        let v = [f[6].parse::<f64>().unwrap(), -f[7].parse::<f64>().unwrap()];
        y.push_row(ndarray::ArrayView1::from(&v)).unwrap();
    }
    assert_eq!(ids.len(), 10);
    let status = json(&ok(&dir, &["status", "--json", "--db", "lab.db"]));
    use gradbo::multi_objective::{
        hypervolume, infer_reference_point, non_dominated,
    };
    let mut rows = non_dominated(y.view()).unwrap();
    rows.sort_unstable();
    // By hand: a row is on the front when no other is at least as good in both and better
    // in one.
    let by_hand: Vec<usize> = (0..y.nrows())
        .filter(|&i| {
            !(0..y.nrows()).any(|j| {
                y[[j, 0]] >= y[[i, 0]]
                    && y[[j, 1]] >= y[[i, 1]]
                    && (y[[j, 0]] > y[[i, 0]] || y[[j, 1]] > y[[i, 1]])
            })
        })
        .collect();
    assert_eq!(rows, by_hand);
    let front: Vec<&str> = status["front"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = rows.iter().map(|&r| ids[r].as_str()).collect();
    assert_eq!(front, expected);
    assert!(front.len() >= 2, "{status}");
    // serde_json reads a number back to within an ulp (without its float_roundtrip
    // feature): the JSON is compared to a few ulps, the text below exactly.
    let same = |a: &serde_json::Value, b: f64| {
        let a = a.as_f64().unwrap();
        assert!((a - b).abs() <= 4.0 * f64::EPSILON * b.abs(), "{a} {b}");
    };
    let r = infer_reference_point(y.view(), 0.1).unwrap();
    same(&status["reference_point"]["yield"], r[0]);
    same(&status["reference_point"]["impurity"], -r[1]);
    assert_eq!(
        status["reference_inferred"],
        serde_json::json!(["yield", "impurity"])
    );
    let hv = hypervolume(y.view(), r.view()).unwrap();
    assert!(hv > 0.0);
    same(&status["hypervolume"], hv);
    let p = &status["front"][0];
    same(&p["values"]["yield"], y[[rows[0], 0]]);
    let text = ok(&dir, &["status", "--db", "lab.db"]);
    assert!(text.contains(&format!("hypervolume: {hv}")), "{text}");
    let reference = format!(
        "reference point: yield = {} (inferred), impurity = {} (inferred)",
        r[0], -r[1]
    );
    assert!(text.contains(&reference), "{text}");
    assert!(text.contains("(inferred)"), "{text}");
    // A reference point from the campaign file is used as given.
    let fixed = pareto.replace(
        "direction = \"minimise\"",
        "direction = \"minimise\"\nreference = 4.5",
    );
    std::fs::write(dir.join("fixed.toml"), fixed).unwrap();
    ok(&dir, &["init", "fixed.toml", "--db", "fixed.db"]);
    // The export without its ids: experiments run outside this campaign.
    let anonymous: Vec<String> = table
        .lines()
        .enumerate()
        .map(|(k, l)| match k {
            0 => l.to_string(),
            _ => format!(",{}", l.split_once(',').unwrap().1),
        })
        .collect();
    write("all.csv", &(anonymous.join("\n") + "\n"));
    let imported =
        json(&ok(&dir, &["import", "all.csv", "--json", "--db", "fixed.db"]));
    assert_eq!(imported["new"].as_array().unwrap().len(), 10);
    let status = json(&ok(&dir, &["status", "--json", "--db", "fixed.db"]));
    same(&status["reference_point"]["impurity"], 4.5);
    assert_eq!(status["reference_inferred"], serde_json::json!(["yield"]));
    let r = ndarray::array![r[0], -4.5];
    let hv = hypervolume(y.view(), r.view()).unwrap();
    same(&status["hypervolume"], hv);
    let text = ok(&dir, &["status", "--db", "fixed.db"]);
    assert!(text.contains(&format!("hypervolume: {hv}")), "{text}");
    // The report draws the front of every recorded objective.
    let out = ok(&dir, &["report", "--db", "fixed.db", "--output", "-"]);
    let doc = parse(&out);
    let front = doc.descendants().find(|n| n.attribute("id") == Some("fig-pareto"));
    let svg = front
        .expect("a Pareto figure")
        .children()
        .find(|n| n.tag_name().name() == "svg");
    assert!(svg.expect("an svg").descendants().count() > 50);
    // `run` reads one value per objective from the last line, in the file's order; a line
    // with too few is a failed run, stored as such.
    let before = json(&ok(&dir, &["status", "--json", "--db", "fixed.db"]));
    let out = ok(
        &dir,
        &[
            "run",
            "--command",
            "echo 0.25, 3.5",
            "--batch",
            "1",
            "--json",
            "--db",
            "fixed.db",
        ],
    );
    let line = json(out.lines().next().unwrap());
    assert_eq!(line["outcome"], "recorded", "{out}");
    same(&line["values"]["yield"], 0.25);
    same(&line["values"]["impurity"], 3.5);
    let out = ok(
        &dir,
        &[
            "run",
            "--command",
            "echo 0.25",
            "--batch",
            "1",
            "--json",
            "--db",
            "fixed.db",
        ],
    );
    let line = json(out.lines().next().unwrap());
    assert_eq!(line["outcome"], "failed", "{out}");
    assert!(line["detail"].as_str().unwrap().contains("2 values"), "{out}");
    ok(&dir, &["export", "mo.csv", "--db", "fixed.db"]);
    let export = std::fs::read_to_string(dir.join("mo.csv")).unwrap();
    let recorded = export.lines().find(|l| l.contains("0.25") && l.contains("3.5"));
    assert!(recorded.is_some(), "{export}");
    let after = json(&ok(&dir, &["status", "--json", "--db", "fixed.db"]));
    assert_ne!(before, after);
}

/// A campaign of 30 results (with costs) from the Sobol design, two suggestions pending,
/// one rejected and one failed run: every status a report counts.
fn reported(name: &str) -> PathBuf {
    let dir = folder(name);
    let text = CAMPAIGN.replace("initial_design = 4", "initial_design = 100");
    std::fs::write(dir.join("campaign.toml"), text).unwrap();
    ok(&dir, &["init", "campaign.toml", "--db", "lab.db"]);
    let s =
        json(&ok(&dir, &["suggest", "--db", "lab.db", "--batch", "33", "--json"]));
    let mut csv = String::from("id,yield,hours\n");
    for (k, e) in s["suggestions"].as_array().unwrap()[..30].iter().enumerate() {
        let d = &e["design"];
        let y = yield_of(
            d["temperature"].as_f64().unwrap(),
            d["stirrers"].as_i64().unwrap(),
            d["solvent"].as_str().unwrap(),
        );
        csv.push_str(&format!(
            "{},{y},{}\n",
            e["id"].as_str().unwrap(),
            0.5 + (k % 4) as f64
        ));
    }
    std::fs::write(dir.join("results.csv"), csv).unwrap();
    ok(&dir, &["import", "results.csv", "--db", "lab.db"]);
    ok(
        &dir,
        &[
            "review",
            "s0031",
            "--reject",
            "--reason",
            "no reagent",
            "--db",
            "lab.db",
        ],
    );
    ok(&dir, &["run", "--command", "exit 3", "--batch", "1", "--db", "lab.db"]);
    dir
}

/// The page as XML (its `<!DOCTYPE html>` allowed): a page that is not well-formed fails.
fn parse(page: &str) -> roxmltree::Document<'_> {
    let options =
        roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    roxmltree::Document::parse_with_options(page, options)
        .unwrap_or_else(|e| panic!("the page is not well-formed: {e}"))
}

/// Every attribute of the page: none may name a place on a network.
fn assert_offline(page: &str) {
    let doc = parse(page);
    for node in doc.descendants().filter(|n| n.is_element()) {
        let tag = node.tag_name().name();
        assert!(
            !["script", "link", "iframe", "img", "object", "embed"].contains(&tag),
            "<{tag}>"
        );
        for a in node.attributes() {
            let (name, value) = (a.name(), a.value());
            assert!(
                !["href", "src", "srcset", "action"].contains(&name),
                "{tag} {name}={value}"
            );
            for bad in ["http:", "https:", "//", "url("] {
                assert!(!value.contains(bad), "{tag} {name}={value}");
            }
        }
        if tag == "style" {
            let css = node.text().unwrap_or("");
            assert!(
                !css.contains("url(")
                    && !css.contains("@import")
                    && !css.contains("//")
            );
        }
    }
    // The only URLs are the two namespaces.
    let rest = page
        .replace("xmlns=\"http://www.w3.org/1999/xhtml\"", "")
        .replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for bad in ["http://", "https://", "src=", "href=", "url("] {
        assert!(!rest.contains(bad), "{bad}");
    }
}

/// The text of the element with id `id`.
fn text_of(doc: &roxmltree::Document, id: &str) -> String {
    let node = doc
        .descendants()
        .find(|n| n.attribute("id") == Some(id))
        .unwrap_or_else(|| panic!("no element with id {id}"));
    let text: Vec<&str> = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    text.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn report_writes_a_well_formed_offline_page_with_every_figure() {
    let dir = reported("report");
    let db = dir.join("lab.db");
    let before = dump(&db);
    let out = ok(&dir, &["report", "--db", "lab.db"]);
    assert!(
        out.contains("wrote lab-report.html (30 observations, 5 figures)"),
        "{out}"
    );
    let page = std::fs::read_to_string(dir.join("lab-report.html")).unwrap();
    let doc = parse(&page);
    assert_eq!(doc.root_element().tag_name().name(), "html");
    for id in [
        "fig-best-evaluations",
        "fig-best-cost",
        "fig-model",
        "fig-traces",
        "fig-lengthscales",
    ] {
        let figure = doc
            .descendants()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("no figure {id}"));
        assert_eq!(figure.tag_name().name(), "figure");
        let svg = figure.children().find(|n| n.tag_name().name() == "svg");
        let svg = svg.unwrap_or_else(|| panic!("{id} has no svg"));
        assert_eq!(svg.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
        // Something is drawn: text (titles, ticks) and shapes.
        assert!(
            svg.descendants().filter(|n| n.tag_name().name() == "text").count() > 5,
            "{id}"
        );
        assert!(svg.descendants().count() > 50, "{id}");
    }
    assert!(doc.descendants().all(|n| n.attribute("id") != Some("fig-pareto")));
    // The counts and the tables.
    let counts = text_of(&doc, "counts");
    for (what, n) in [
        ("suggestions", 34),
        ("observations)", 30),
        ("pending", 2),
        ("rejected", 1),
        ("timed out", 1),
    ] {
        assert!(counts.contains(&format!("{what} {n}")), "{what}: {counts}");
    }
    let best = text_of(&doc, "best-table");
    assert_eq!(
        doc.descendants()
            .find(|n| n.attribute("id") == Some("best-table"))
            .unwrap()
            .descendants()
            .filter(|n| n.tag_name().name() == "tr")
            .count(),
        11
    );
    // The best observation is the largest yield recorded.
    let conn = Connection::open(&db).unwrap();
    let (best_id, best_yield): (String, f64) = conn
        .query_row(
            "SELECT suggestion, value FROM results ORDER BY value DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(conn);
    assert!(
        best.starts_with(&format!(
            "rank id yield hours temperature stirrers solvent 1 {best_id} "
        )),
        "{best}"
    );
    assert!(best_yield > 0.5);
    let incumbent = text_of(&doc, "incumbent-table");
    assert!(incumbent.contains("posterior mean"), "{incumbent}");
    let lengthscales = text_of(&doc, "lengthscale-table");
    for name in ["temperature", "stirrers", "solvent = water", "solvent = ethanol"]
    {
        assert!(lengthscales.contains(name), "{lengthscales}");
    }
    assert_offline(&page);
    // The same state gives the same bytes: again, on standard output, and from a copy.
    let again = ok(&dir, &["report", "--db", "lab.db", "--output", "again.html"]);
    assert!(again.contains("again.html"));
    assert_eq!(std::fs::read_to_string(dir.join("again.html")).unwrap(), page);
    assert_eq!(ok(&dir, &["report", "--db", "lab.db", "--output", "-"]), page);
    let copy = dir.join("copy");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::copy(&db, copy.join("other.db")).unwrap();
    ok(&copy, &["report", "--db", "other.db", "-o", "page.html"]);
    assert_eq!(std::fs::read_to_string(copy.join("page.html")).unwrap(), page);
    // Nothing was written to the database, the audit log included.
    assert_eq!(dump(&db), before);
}

#[test]
fn report_of_an_empty_campaign_says_so_and_a_missing_database_fails() {
    let dir = folder("report-empty");
    std::fs::write(dir.join("campaign.toml"), CAMPAIGN).unwrap();
    ok(&dir, &["init", "campaign.toml", "--db", "lab.db"]);
    ok(&dir, &["suggest", "--db", "lab.db", "--batch", "2"]);
    let out = ok(&dir, &["report", "--db", "lab.db", "--output", "empty.html"]);
    assert!(out.contains("(0 observations, 0 figures)"), "{out}");
    let page = std::fs::read_to_string(dir.join("empty.html")).unwrap();
    let doc = parse(&page);
    assert!(text_of(&doc, "best").contains("No results have been recorded yet"));
    assert!(text_of(&doc, "counts").contains("pending 2"));
    assert_eq!(
        doc.descendants().filter(|n| n.tag_name().name() == "svg").count(),
        0
    );
    assert_offline(&page);
    // A missing database: the usual message and exit code, and no page.
    fails(
        &dir,
        &["report", "--db", "missing.db"],
        5,
        "no campaign database at missing.db",
    );
    assert!(!dir.join("missing-report.html").exists());
    // A page that cannot be written: exit 1.
    fails(
        &dir,
        &["report", "--db", "lab.db", "--output", "no/such/folder/r.html"],
        1,
        "cannot write the report",
    );
}

#[test]
fn a_fixed_clock_dates_every_change_and_a_bad_one_is_refused() {
    let dir = folder("clock");
    std::fs::write(dir.join("campaign.toml"), CAMPAIGN).unwrap();
    let at = |time: &str, args: &[&str]| {
        Command::new(BIN)
            .current_dir(&dir)
            .args(args)
            .env("USER", "tester")
            .env("GRADBO_CAMPAIGN_CLOCK", time)
            .output()
            .unwrap()
    };
    let o =
        at("2026-03-02T09:00:00Z", &["init", "campaign.toml", "--db", "lab.db"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = at("2026-03-02T09:05:00Z", &["suggest", "--db", "lab.db"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o =
        at("2026-03-03T17:30:59Z", &["record", "s0001", "0.5", "--db", "lab.db"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let log = json(&ok(&dir, &["log", "--json", "--db", "lab.db"]));
    let times: Vec<&str> =
        log.as_array().unwrap().iter().map(|e| e["at"].as_str().unwrap()).collect();
    assert_eq!(
        times,
        ["2026-03-02T09:00:00Z", "2026-03-02T09:05:00Z", "2026-03-03T17:30:59Z"]
    );
    ok(&dir, &["export", "t.csv", "--db", "lab.db"]);
    let table = std::fs::read_to_string(dir.join("t.csv")).unwrap();
    assert!(
        table
            .lines()
            .nth(1)
            .unwrap()
            .ends_with(",2026-03-02T09:05:00Z,2026-03-03T17:30:59Z"),
        "{table}"
    );
    // A clock that is not a UTC time is refused before anything is written.
    let before = dump(&dir.join("lab.db"));
    for bad in [
        "yesterday",
        "2026-03-02 09:00:00",
        "2026-13-02T09:00:00Z",
        "2026-03-02T24:00:00Z",
    ] {
        let o = at(bad, &["record", "s0002", "0.7", "--db", "lab.db"]);
        assert_eq!(o.status.code(), Some(3), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("GRADBO_CAMPAIGN_CLOCK"), "{}", stderr(&o));
    }
    assert_eq!(dump(&dir.join("lab.db")), before);
    // Empty means unset: the system's clock.
    let o = at("", &["record", "s0002", "0.7", "--db", "lab.db"]);
    assert!(o.status.success(), "{}", stderr(&o));
}
