//! The include expander that feeds skeptic, and proof that a broken block fails
//! `cargo test`.

#[path = "../build/expand.rs"]
#[allow(dead_code)] // expand_file serves the xtask
mod expand;

use std::fs;
use std::panic;
use std::path::{Path, PathBuf};

/// A fresh folder under the system's temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("gradbo-expand-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("code")).unwrap();
    dir
}

const LISTING: &str = "\
use std::fmt;
// ANCHOR: shown
fn double(x: i32) -> i32 {
    2 * x
}
// ANCHOR_END: shown
// ANCHOR: main
fn main() {
    assert_eq!(double(21), 42);
}
// ANCHOR_END: main
";

#[test]
fn include_takes_the_anchored_lines_without_markers() {
    let dir = scratch("anchor");
    fs::write(dir.join("code/l.rs"), LISTING).unwrap();
    let out = expand::expand("A\n{{#include code/l.rs:shown}}\nB", &dir).unwrap();
    assert_eq!(out, "A\nfn double(x: i32) -> i32 {\n    2 * x\n}\nB");
}

#[test]
fn rustdoc_include_hides_the_rest_behind_hash_space() {
    let dir = scratch("rustdoc");
    fs::write(dir.join("code/l.rs"), LISTING).unwrap();
    let out = expand::expand("{{#rustdoc_include code/l.rs:shown}}", &dir).unwrap();
    let expected = "# use std::fmt;\nfn double(x: i32) -> i32 {\n    2 * x\n}\n\
                    # fn main() {\n#     assert_eq!(double(21), 42);\n# }";
    assert_eq!(out, expected);
}

#[test]
fn line_ranges_are_one_based_and_inclusive() {
    let dir = scratch("lines");
    fs::write(dir.join("code/t.txt"), "1\n2\n3\n4\n5\n").unwrap();
    let cases = [
        ("2:3", "2\n3"),
        ("4", "4"),
        ("4:", "4\n5"),
        (":2", "1\n2"),
        ("", "1\n2\n3\n4\n5"),
    ];
    for (sel, want) in cases {
        let directive = if sel.is_empty() {
            "{{#include code/t.txt}}".to_owned()
        } else {
            format!("{{{{#include code/t.txt:{sel}}}}}")
        };
        assert_eq!(
            expand::expand(&directive, &dir).unwrap(),
            want,
            "selection {sel:?}"
        );
    }
    let hidden =
        expand::expand("{{#rustdoc_include code/t.txt:2:3}}", &dir).unwrap();
    assert_eq!(hidden, "# 1\n2\n3\n# 4\n# 5");
}

#[test]
fn nested_includes_resolve_relative_to_the_including_file() {
    let dir = scratch("nested");
    fs::write(dir.join("code/outer.md"), "outer {{#include inner.txt}}").unwrap();
    fs::write(dir.join("code/inner.txt"), "inner").unwrap();
    assert_eq!(
        expand::expand("{{#include code/outer.md}}", &dir).unwrap(),
        "outer inner"
    );
    let files = expand::included_files("{{#include code/outer.md}}", &dir);
    assert_eq!(files, vec![dir.join("code/inner.txt"), dir.join("code/outer.md")]);
}

#[test]
fn escaped_directives_lose_only_their_backslash() {
    let out =
        expand::expand("see \\{{#include x.rs}} here", Path::new(".")).unwrap();
    assert_eq!(out, "see {{#include x.rs}} here");
}

#[test]
fn a_missing_file_or_anchor_is_an_error() {
    let dir = scratch("missing");
    fs::write(dir.join("code/l.rs"), LISTING).unwrap();
    assert!(expand::expand("{{#include code/nope.rs}}", &dir).is_err());
    assert!(expand::expand("{{#include code/l.rs:nope}}", &dir).is_err());
}

/// The Rust blocks of an expanded chapter, with hidden lines revealed the way
/// skeptic does.
fn rust_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```rust") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), l) => {
                let shown = l
                    .strip_prefix("# ")
                    .map_or(line, |_| &line[line.find("# ").unwrap() + 2..]);
                block.push_str(shown);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

/// Runs one block through skeptic's runner: `true` when it compiled and ran without
/// failing.
fn skeptic_passes(code: &str) -> bool {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = env!("OUT_DIR");
    let target = env!("GRADBO_TARGET");
    panic::catch_unwind(|| skeptic::rt::run_test(root, out, target, code)).is_ok()
}

fn chapter_with(listing: &str, name: &str) -> String {
    let dir = scratch(name);
    fs::write(dir.join("code/l.rs"), listing).unwrap();
    let chapter =
        "# A chapter\n\n```rust\n{{#rustdoc_include code/l.rs:shown}}\n```\n";
    let expanded = expand::expand(chapter, &dir).unwrap();
    let blocks = rust_blocks(&expanded);
    assert_eq!(blocks.len(), 1);
    blocks.into_iter().next().unwrap()
}

#[test]
fn a_good_block_passes_and_a_broken_one_fails() {
    assert!(skeptic_passes(&chapter_with(LISTING, "good")));
    // A compile error inside the shown lines...
    let type_error = LISTING.replace("2 * x", "\"two\" * x");
    assert!(!skeptic_passes(&chapter_with(&type_error, "type-error")));
    // ...or in the hidden lines, which the reader does not see but skeptic compiles
    // all the same...
    let hidden_error = LISTING.replace("use std::fmt;", "use std::no_such_module;");
    assert!(!skeptic_passes(&chapter_with(&hidden_error, "hidden-error")));
    // ...and a claim that no longer holds at run time.
    let wrong_claim = LISTING.replace("42", "43");
    assert!(!skeptic_passes(&chapter_with(&wrong_claim, "wrong-claim")));
}

#[test]
fn the_aliasing_listing_fails_only_because_of_its_marked_line() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("listings/fail/ch01_aliasing.rs");
    let code = fs::read_to_string(path).unwrap();
    assert!(!skeptic_passes(&code), "the aliasing example must not compile");
    let without: String = code
        .lines()
        .filter(|l| !l.contains("error[E0502]"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(skeptic_passes(&without), "removing the marked line must fix it");
}
