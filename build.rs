//! Expands the book's include directives into copies under `OUT_DIR` and hands them
//! to skeptic, so that `cargo test` compiles and runs every Rust block exactly as
//! the reader sees it.

#[path = "build/expand.rs"]
#[allow(dead_code)] // expand_file serves the xtask, not the build script
mod expand;

use std::collections::HashSet;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(
        env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let book = root.join("book");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("book");
    println!("cargo:rerun-if-changed=build/expand.rs");
    println!("cargo:rerun-if-changed={}", book.display());
    // The expander test hands skeptic's runner the target triple, as skeptic's own
    // tests do.
    println!(
        "cargo:rustc-env=GRADBO_TARGET={}",
        env::var("TARGET").expect("cargo sets TARGET")
    );

    let mut expanded = Vec::new();
    let mut programs = HashSet::new();
    let mut chapters = markdown_files(&book);
    chapters.sort();
    for chapter in chapters {
        let rel = chapter.strip_prefix(&book).expect("chapter lies under book/");
        // Flatten the path: skeptic names tests after the file stem, and several
        // parts have a README.
        let flat = rel.to_string_lossy().replace(['/', '\\'], "__");
        let text = fs::read_to_string(&chapter).expect("chapter is readable UTF-8");
        let base = chapter.parent().expect("chapter has a folder");
        for file in expand::included_files(&text, base) {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        let body = expand::expand(&text, base)
            .unwrap_or_else(|e| panic!("expanding {}: {e}", chapter.display()));
        let body = drop_repeated_programs(&body, &mut programs);
        let target = out.join(&flat);
        fs::create_dir_all(&out).expect("OUT_DIR is writable");
        write_if_changed(&target, &body);
        let template = PathBuf::from(format!("{}.skt.md", chapter.display()));
        if template.exists() {
            println!("cargo:rerun-if-changed={}", template.display());
            let text = fs::read_to_string(&template).expect("template is readable");
            write_if_changed(
                &PathBuf::from(format!("{}.skt.md", target.display())),
                &text,
            );
        }
        expanded.push(target);
    }
    expanded.sort();
    skeptic::generate_doc_tests(&expanded);
}

/// Removes every Rust block whose program is one that an earlier block already compiles and
/// runs. A chapter shows one listing file through several anchored blocks; each expands to
/// the whole file, with the lines outside its anchor hidden (`# `), so all of them are the
/// same program. Testing it once tests every one of those blocks, as the reader sees them;
/// testing it again would only repeat the same compilation and run.
fn drop_repeated_programs(
    body: &str,
    seen: &mut HashSet<(String, String)>,
) -> String {
    let mut out = String::with_capacity(body.len());
    let mut lines = body.split_inclusive('\n');
    while let Some(line) = lines.next() {
        let fence = line.trim_end();
        let info = fence.trim_start_matches('`');
        let is_rust = fence.starts_with("```")
            && info.starts_with("rust")
            && !info.split(',').any(|a| a.trim() == "ignore");
        if !is_rust {
            out.push_str(line);
            continue;
        }
        let mut block = vec![line];
        let mut program = String::new();
        for inner in lines.by_ref() {
            block.push(inner);
            if inner.trim_end().starts_with("```") {
                break;
            }
            // A hidden line is `# ` and the line of the file; the program is the file.
            let shown = match inner.strip_prefix("# ") {
                Some(rest) => rest,
                None if inner.trim_end() == "#" => "\n",
                None => inner,
            };
            program.push_str(shown);
        }
        if seen.insert((info.to_string(), program)) {
            block.into_iter().for_each(|l| out.push_str(l));
        } else {
            out.push_str(
                "<!-- the same program as an earlier block, tested there -->\n",
            );
        }
    }
    out
}

/// Every chapter under `dir`: `.md` files other than skeptic's `.skt.md` templates.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            found.extend(markdown_files(&path));
        } else if path.extension().is_some_and(|e| e == "md")
            && !path.to_string_lossy().ends_with(".skt.md")
        {
            found.push(path);
        }
    }
    found
}

/// Writing only on change keeps skeptic's generated tests, and so the test binary,
/// from rebuilding.
fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).expect("OUT_DIR is writable");
    }
}
