//! `cargo run -p gradbo-solutions -- [all | chNN ...]`: recompute the chapters'
//! worked outputs and figures, write them into `book/`, and print the text outputs.

use gradbo_solutions::{chapters, repo_root};
use std::fs;
use std::process::ExitCode;

fn main() -> ExitCode {
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    let all = wanted.is_empty() || wanted.iter().any(|w| w == "all");
    let known: Vec<&str> = chapters().iter().map(|c| c.name).collect();
    if let Some(unknown) =
        wanted.iter().find(|w| *w != "all" && !known.contains(&w.as_str()))
    {
        eprintln!("unknown chapter {unknown}; known: all {}", known.join(" "));
        return ExitCode::from(2);
    }
    let root = repo_root();
    for chapter in
        chapters().into_iter().filter(|c| all || wanted.iter().any(|w| w == c.name))
    {
        for artifact in (chapter.run)() {
            let path = root.join(&artifact.path);
            if let Some(dir) = path.parent() {
                if let Err(e) = fs::create_dir_all(dir) {
                    eprintln!("cannot create {}: {e}", dir.display());
                    return ExitCode::FAILURE;
                }
            }
            if let Err(e) = fs::write(&path, &artifact.contents) {
                eprintln!("cannot write {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
            if artifact.path.extension().is_some_and(|e| e == "txt") {
                println!("{}", artifact.contents);
            }
            eprintln!("wrote {}", artifact.path.display());
        }
    }
    ExitCode::SUCCESS
}
