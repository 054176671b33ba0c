//! Every listing, built the way the introduction tells a reader to use one: a fresh
//! `cargo new` project whose `[dependencies]` are the introduction's `toml` block,
//! with each listing file copied whole over `src/main.rs` and built, tests included.
//!
//! One project serves all listings, so the dependencies compile once; its build
//! folder (`listing-check` in the target folder) is kept between runs. The
//! workspace's `Cargo.lock` is copied in, so that the check builds the versions the
//! rest of the repository is tested with, and a new release upstream cannot turn it
//! red overnight.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The project name the introduction uses.
const PROJECT: &str = "my-exercises";

/// Builds every listing with a `main` in a fresh project; returns one line per
/// listing that fails to build or warns.
pub fn check(root: &Path) -> Result<Vec<String>, String> {
    let start = Instant::now();
    let dependencies = introduction_dependencies(root)?;
    let listings = listings_with_main(&root.join("listings/src"));
    if listings.is_empty() {
        return Err("no listing with a main under listings/src".into());
    }
    let scratch =
        env::temp_dir().join(format!("gradbo-listings-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch)
        .map_err(|e| format!("creating {}: {e}", scratch.display()))?;
    let result = build_all(root, &scratch, &dependencies, &listings);
    let _ = fs::remove_dir_all(&scratch);
    let problems = result?;
    eprintln!(
        "built {} listing(s) as a reader would, in a fresh project, in {:.0} s",
        listings.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(problems)
}

fn build_all(
    root: &Path,
    scratch: &Path,
    dependencies: &str,
    listings: &[PathBuf],
) -> Result<Vec<String>, String> {
    let target = target_dir(root).join("listing-check");
    run(cargo().args(["new", "--quiet", PROJECT]).current_dir(scratch))?;
    let project = scratch.join(PROJECT);
    let manifest = project.join("Cargo.toml");
    let text = read(&manifest)?;
    let Some(at) = text.find("[dependencies]") else {
        return Err("cargo new wrote no [dependencies] section".into());
    };
    let manifest_text = format!("{}{dependencies}", &text[..at]);
    fs::write(&manifest, manifest_text)
        .map_err(|e| format!("writing {}: {e}", manifest.display()))?;
    fs::copy(root.join("Cargo.lock"), project.join("Cargo.lock"))
        .map_err(|e| format!("copying Cargo.lock: {e}"))?;
    let main = project.join("src/main.rs");
    let mut problems = Vec::new();
    for listing in listings {
        let rel =
            listing.strip_prefix(root).unwrap_or(listing).display().to_string();
        fs::copy(listing, &main).map_err(|e| format!("copying {rel}: {e}"))?;
        let output = cargo()
            .args([
                "build",
                "--all-targets",
                "--quiet",
                "--message-format",
                "short",
            ])
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(&project)
            .output()
            .map_err(|e| format!("running cargo build: {e}"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let complaints: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains("error") || l.contains("warning"))
            .collect();
        if !output.status.success() || !complaints.is_empty() {
            problems.push(format!(
                "{rel} does not build cleanly as src/main.rs of a fresh project:\n    {}",
                complaints.join("\n    ")
            ));
        }
        eprintln!(
            "listing {rel}: {}",
            if output.status.success() { "builds" } else { "FAILS" }
        );
    }
    Ok(problems)
}

/// The `toml` block of the introduction that starts with `[dependencies]`, with the
/// path of `gradbo` pointed at this repository.
fn introduction_dependencies(root: &Path) -> Result<String, String> {
    let intro = read(&root.join("book/introduction.md"))?;
    let mut lines = intro.lines();
    while let Some(line) = lines.next() {
        let Some(indent) = line.find("```toml") else { continue };
        let block: Vec<&str> = lines
            .by_ref()
            .take_while(|l| l.trim() != "```")
            .map(|l| l.get(indent..).unwrap_or("").trim_end())
            .collect();
        if block.first() != Some(&"[dependencies]") {
            continue;
        }
        let repo = root.display().to_string().replace('\\', "/");
        let text = block
            .join("\n")
            .replace("path = \"../gradbo\"", &format!("path = \"{repo}\""));
        if !text.contains(&repo) {
            return Err(
                "the introduction's dependencies give gradbo no path \"../gradbo\""
                    .into(),
            );
        }
        return Ok(text + "\n");
    }
    Err("book/introduction.md has no ```toml block starting with [dependencies]"
        .into())
}

/// Every `.rs` file under `dir` with a `main` at the start of a line, sorted.
fn listings_with_main(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).unwrap_or_default();
                if text.lines().any(|l| {
                    l.starts_with("pub fn main(") || l.starts_with("fn main(")
                }) {
                    found.push(path);
                }
            }
        }
    }
    found.sort();
    found
}

/// Where cargo builds: `CARGO_TARGET_DIR` if set, else `target/` of the repository.
fn target_dir(root: &Path) -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), PathBuf::from)
}

/// The cargo that runs this task (cargo sets `CARGO`), else the one on the path.
fn cargo() -> Command {
    Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn run(command: &mut Command) -> Result<(), String> {
    let output =
        command.output().map_err(|e| format!("running {command:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}
