//! Worked versions of every chapter: the numbers, tables and figures the book
//! shows, and the answers to its exercises.
//!
//! Each chapter module has a `run()` that returns [`Artifact`]s: the text file of
//! worked output that the chapter includes, and its SVG figures. `cargo run -p
//! gradbo-solutions -- all` writes them into `book/`; `tests/fresh.rs` fails when a
//! committed copy differs from what the code produces now.

pub mod appendix;
pub mod campaign;
pub mod ch01;
pub mod ch02;
pub mod ch03;
pub mod ch04;
pub mod ch05;
pub mod ch06;
pub mod ch07;
pub mod ch08;
pub mod ch09;
pub mod ch10;
pub mod ch11;
pub mod ch12;
pub mod ch13;
pub mod ch14;
pub mod ch15;
pub mod ch16;
pub mod ch17;
pub mod ch18;
pub mod ch19;
pub mod ch20;
pub mod ch21;
pub mod ch22;
pub mod ch23;
pub mod ch24;
pub mod ch25;
pub mod figures;
pub mod intro;
pub mod parallel;
pub mod quality;
pub mod report;

use std::path::PathBuf;

/// One file the book shows: a worked output or a figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Artifact {
    /// Path relative to the repository root.
    pub path: PathBuf,
    /// The file's full contents.
    pub contents: String,
}

impl Artifact {
    /// An artifact at `path` (relative to the repository root).
    pub fn new(path: impl Into<PathBuf>, contents: String) -> Self {
        Artifact { path: path.into(), contents }
    }
}

/// Where a chapter's files go: its part's folder under `book/` and the chapter's
/// prefix, e.g. `Context::new("part2", "ch06")`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    /// The part's folder under `book/`, e.g. `part2`.
    pub part: &'static str,
    /// The chapter's prefix, e.g. `ch06`.
    pub prefix: &'static str,
}

impl Context {
    /// The context of chapter `prefix` in `book/<part>/`.
    pub const fn new(part: &'static str, prefix: &'static str) -> Self {
        Context { part, prefix }
    }

    /// The path of the chapter's figure `name`: `book/<part>/figures/<prefix>-<name>.svg`.
    pub fn figure(&self, name: &str) -> String {
        format!("book/{}/figures/{}-{name}.svg", self.part, self.prefix)
    }

    /// The path of the chapter's worked output: `book/<part>/outputs/<prefix>.txt`.
    pub fn output(&self) -> String {
        format!("book/{}/outputs/{}.txt", self.part, self.prefix)
    }
}

/// A chapter's worked version.
pub struct Chapter {
    /// Short name used on the command line, e.g. `ch01`.
    pub name: &'static str,
    /// Computes everything the chapter shows.
    pub run: fn() -> Vec<Artifact>,
}

/// Every chapter with a worked version, in book order.
pub fn chapters() -> Vec<Chapter> {
    vec![
        Chapter { name: "intro", run: intro::run },
        Chapter { name: "ch01", run: ch01::run },
        Chapter { name: "ch02", run: ch02::run },
        Chapter { name: "ch03", run: ch03::run },
        Chapter { name: "ch04", run: ch04::run },
        Chapter { name: "ch05", run: ch05::run },
        Chapter { name: "ch06", run: ch06::run },
        Chapter { name: "ch07", run: ch07::run },
        Chapter { name: "ch08", run: ch08::run },
        Chapter { name: "ch09", run: ch09::run },
        Chapter { name: "ch10", run: ch10::run },
        Chapter { name: "ch11", run: ch11::run },
        Chapter { name: "ch12", run: ch12::run },
        Chapter { name: "ch13", run: ch13::run },
        Chapter { name: "ch14", run: ch14::run },
        Chapter { name: "ch15", run: ch15::run },
        Chapter { name: "ch16", run: ch16::run },
        Chapter { name: "ch17", run: ch17::run },
        Chapter { name: "ch18", run: ch18::run },
        Chapter { name: "ch19", run: ch19::run },
        Chapter { name: "ch20", run: ch20::run },
        Chapter { name: "ch21", run: ch21::run },
        Chapter { name: "ch22", run: ch22::run },
        Chapter { name: "ch23", run: ch23::run },
        Chapter { name: "ch24", run: ch24::run },
        Chapter { name: "ch25", run: ch25::run },
        Chapter { name: "appendix", run: appendix::run },
        Chapter { name: "quality", run: quality::run },
        Chapter { name: "campaign", run: campaign::run },
    ]
}

/// The repository root (the parent of this crate).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("solutions/ lies in the repo")
        .to_path_buf()
}
