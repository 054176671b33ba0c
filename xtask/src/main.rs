//! Book tasks, with mdBook and mdbook-katex pinned by Cargo.lock and nothing to
//! install:
//!
//! - `cargo xtask build`: build the book into `target/book`;
//! - `cargo xtask serve [PORT]`: build, serve on `http://127.0.0.1:PORT` (3000) and
//!   rebuild on change;
//! - `cargo xtask check`: build, then fail on anything a reader would trip over
//!   (see `check.rs`), including a listing that does not build in a fresh project;
//! - `cargo xtask listings`: only that last part (see `listings.rs`).

mod build;
mod check;
mod listings;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

/// The repository root: the folder holding `book.toml`.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repo")
        .to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => build::build(&root()).map(|report| report.print()),
        Some("serve") => {
            let port = args.get(1).and_then(|p| p.parse().ok()).unwrap_or(3000);
            serve::serve(&root(), port)
        }
        Some("check") => check::check(&root()),
        Some("listings") => listings::check(&root()).and_then(|problems| {
            for p in &problems {
                eprintln!("FAIL: {p}");
            }
            match problems.len() {
                0 => Ok(()),
                n => Err(format!("{n} listing(s) do not build in a fresh project")),
            }
        }),
        _ => {
            eprintln!("usage: cargo xtask build | serve [PORT] | check | listings");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
