//! Every committed worked output and figure must be what the code produces now.
//! After a change, regenerate them with `cargo run -p gradbo-solutions -- all`.

use gradbo_solutions::{chapters, repo_root};
use std::fs;

#[test]
fn committed_outputs_and_figures_are_fresh() {
    let root = repo_root();
    let mut stale = Vec::new();
    for chapter in chapters() {
        for artifact in (chapter.run)() {
            let committed =
                fs::read_to_string(root.join(&artifact.path)).unwrap_or_default();
            if committed != artifact.contents {
                stale.push(format!(
                    "{} ({})",
                    artifact.path.display(),
                    chapter.name
                ));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale or missing; run `cargo run -p gradbo-solutions -- all`:\n{}",
        stale.join("\n")
    );
}
