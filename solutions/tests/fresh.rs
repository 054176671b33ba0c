//! Every committed worked output and figure must be what the code produces now.
//! After a change, regenerate them with `cargo run -p gradbo-solutions -- all`.

use gradbo_solutions::parallel::run_all;
use gradbo_solutions::{chapters, repo_root};
use std::fs;

#[test]
fn committed_outputs_and_figures_are_fresh() {
    let root = repo_root();
    // The chapters are independent and deterministic: run them on both cores. Later
    // chapters run the long Bayesian-optimisation loops, so they go first, and neither
    // thread is left with a long chapter at the end.
    let mut list = chapters();
    list.reverse();
    let stale: Vec<String> = run_all(&list, |chapter| {
        (chapter.run)()
            .into_iter()
            .filter(|artifact| {
                fs::read_to_string(root.join(&artifact.path)).unwrap_or_default()
                    != artifact.contents
            })
            .map(|artifact| {
                format!("{} ({})", artifact.path.display(), chapter.name)
            })
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    assert!(
        stale.is_empty(),
        "stale or missing; run `cargo run -p gradbo-solutions -- all`:\n{}",
        stale.join("\n")
    );
}
