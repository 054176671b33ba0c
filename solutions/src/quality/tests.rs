use super::*;

const HEADER: &str =
    "problem,method,seed,evaluation,f,best_so_far,log10_regret,seconds\n";

/// A run of `budget`-long seeds: seed s's regret after evaluation e is `regret(s, e)`,
/// the first two evaluations the initial design (0 seconds), then `0.1 × e` seconds.
fn csv(
    seeds: &[u64],
    evaluations: usize,
    regret: impl Fn(u64, usize) -> f64,
) -> String {
    let mut out = HEADER.to_string();
    for &s in seeds {
        for e in 1..=evaluations {
            let secs = if e <= 2 { 0.0 } else { 0.1 * e as f64 };
            out.push_str(&format!("p,m,{s},{e},1.0,1.0,{},{secs}\n", regret(s, e)));
        }
    }
    out
}

#[test]
fn only_seeds_that_reach_the_budget_are_read() {
    let mut text = csv(&[0, 2], 4, |s, e| s as f64 - 0.5 * e as f64);
    // Seed 1 stops after 3 of 4 evaluations; a row past the budget is ignored.
    text.push_str("p,m,1,1,1,1,0.5,0\np,m,1,2,1,1,0.4,0\np,m,1,3,1,1,0.3,0.2\n");
    text.push_str("p,m,0,5,1,1,-9.0,0.1\nnot,a,row\n");
    let runs = Runs::read(&text, 4);
    assert_eq!(runs.finals(), [(0, -2.0), (2, 0.0)]);
    assert_eq!(runs.final_spread(), Some((-1.0, -2.0, 0.0)));
    // Seconds of evaluations 3 and 4 of both seeds: 0.3, 0.4, 0.3, 0.4.
    assert!((runs.median_seconds().unwrap() - 0.35).abs() < 1e-12);
    let (x, med, lo, hi) = runs.curves();
    assert_eq!(x, [1.0, 2.0, 3.0, 4.0]);
    assert_eq!(lo, [-0.5, -1.0, -1.5, -2.0]);
    assert_eq!(hi, [1.5, 1.0, 0.5, 0.0]);
    assert_eq!(med, [0.5, 0.0, -0.5, -1.0]);
}

#[test]
fn pairs_count_seeds_both_ran_within_the_tolerance() {
    let ours = Runs::read(
        &csv(&[0, 1, 2, 3, 5], 2, |s, _| {
            [-1.0, -2.0, 0.0, 1.0, 0.0, 7.0][s as usize]
        }),
        2,
    );
    let other = Runs::read(
        &csv(&[0, 1, 2, 3, 4], 2, |s, _| [-0.5, -2.004, 0.5, 0.9, 3.0][s as usize]),
        2,
    );
    // Seed 5 has no partner and seed 4 none either: 0 and 2 lower, 3 higher, 1 the same.
    assert_eq!(pairs(&ours, &other), Pairs { lower: 2, higher: 1, same: 1 });
}

/// The study with `files` (path, text) present and every other file absent.
fn study(files: &[(String, String)]) -> Study {
    Study::load(|path| files.iter().find(|f| f.0 == path).map(|f| f.1.clone()))
}

#[test]
fn the_tables_show_dashes_where_files_are_missing() {
    let branin = &PROBLEMS[0];
    let files = [
        (
            METHODS[BOTORCH].path(branin.key),
            csv(&[0, 1, 2], branin.budget, |s, _| s as f64),
        ),
        (
            METHODS[SPEND].path(branin.key),
            csv(&[0, 1], branin.budget, |s, _| s as f64 - 0.5),
        ),
        // A file whose only seed stops early counts as absent.
        (METHODS[DEFAULT].path(branin.key), csv(&[0], 10, |_, _| 0.0)),
    ];
    let study = study(&files);
    assert!(study.get(0, DEFAULT).is_none());
    let evidence = table::evidence(&study);
    // The rows of `text` from the one starting with `key` on, each with its runs of
    // spaces made one.
    let rows = |text: &str, key: &str| -> Vec<String> {
        text.lines()
            .skip_while(|l| !l.starts_with(key))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    };
    let branin_rows = rows(&evidence, "branin");
    assert_eq!(
        branin_rows[..3],
        [
            "branin BoTorch default 3 1.00 [0.00, 2.00] -1.00 2 / 0 / 0",
            "gradbo spend 2 0.00 [-0.50, 0.50]",
            "hartmann6 BoTorch default 0 — — —",
        ],
        "{evidence}"
    );
    // TuRBO has rows only where it ran.
    let (regret, seconds) = evidence.split_once("Seconds per iteration").unwrap();
    assert!(!regret.contains("TuRBO"), "{evidence}");
    // Seconds: the median of 0.1 × 3 … 0.1 × 50 (2.65) for both, their ratio 1.
    assert_eq!(rows(seconds, "branin")[0], "branin 2.65 — — 2.65 1.00");
    let parts = table::parts(&study);
    assert_eq!(rows(&parts, "branin")[0], "branin — — — — — — 0.00 (2)");
    assert_eq!(rows(&parts, "ackley10")[0], "ackley10 — — — — — — —");
    for word in ["target", "met ", "issue"] {
        assert!(!evidence.contains(word) && !parts.contains(word), "{word}");
    }
}

#[test]
fn the_figures_draw_with_files_missing() {
    let branin = &PROBLEMS[0];
    let files = [(
        METHODS[SPEND].path(branin.key),
        csv(&[0, 1], branin.budget, |_, e| -0.01 * e as f64),
    )];
    let study = study(&files);
    let svg = figures::regret(&study).unwrap();
    assert!(svg.contains("Hartmann-6 in 30-D (d = 30)"));
    assert!(figures::seconds(&study).unwrap().contains("Seconds per iteration"));
}
