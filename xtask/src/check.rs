//! The built-book check: everything a reader of the served book would trip over.
//!
//! It fails on
//! - any warning or error logged while building (KaTeX's "Rendering failed", a
//!   failed include);
//! - a chapter whose include expansion by `build/expand.rs` (what skeptic tests)
//!   differs from mdBook's own (what the reader sees);
//! - a broken internal link or `#anchor`, or a missing image, in the built HTML;
//! - a network address in the built HTML (outside comments) or in a stylesheet's
//!   `url(...)`: the book reads offline;
//! - a chapter file under `book/` that SUMMARY.md does not list;
//! - a listing that does not build, or warns, when copied over `src/main.rs` of a
//!   fresh project made as the introduction says (`listings.rs`).

#[path = "../../build/expand.rs"]
#[allow(dead_code)]
mod expand;

use mdbook_driver::book::BookItem;
use mdbook_driver::builtin_preprocessors::LinkPreprocessor;
use mdbook_driver::MDBook;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Namespace URIs are names, not fetches: an inline SVG or MathML element may carry
/// one.
const NAMESPACES: [&str; 3] = [
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1998/Math/MathML",
];

pub fn check(root: &Path) -> Result<(), String> {
    let report = crate::build::build(root)?;
    report.print();
    let mut problems = report.problems;
    problems.extend(expansion_parity(root)?);
    let out = root.join("target/book");
    problems.extend(built_html(&out));
    problems.extend(unlisted_chapters(&root.join("book")));
    problems.extend(crate::listings::check(root)?);
    if problems.is_empty() {
        eprintln!("book check passed");
        Ok(())
    } else {
        for p in &problems {
            eprintln!("FAIL: {p}");
        }
        Err(format!("{} problem(s) in the built book", problems.len()))
    }
}

/// Compares our expansion of every chapter with mdBook's links preprocessor, byte
/// for byte.
fn expansion_parity(root: &Path) -> Result<Vec<String>, String> {
    let book =
        MDBook::load(root).map_err(|e| format!("loading the book: {e:#}"))?;
    let src = root.join(&book.config.book.src);
    let ctx = PreprocessorContext::new(
        root.to_path_buf(),
        book.config.clone(),
        "html".into(),
    );
    let linked = LinkPreprocessor::new()
        .run(&ctx, book.book.clone())
        .map_err(|e| format!("mdBook's links preprocessor: {e:#}"))?;
    let mut problems = Vec::new();
    let mut compared = 0;
    for item in linked.iter() {
        let BookItem::Chapter(ch) = item else {
            continue;
        };
        let Some(path) = &ch.path else { continue };
        let file = src.join(path);
        match expand::expand_file(&file) {
            Ok(ours) if ours == ch.content => compared += 1,
            Ok(ours) => problems.push(format!(
                "{}: our expansion differs from mdBook's at byte {}",
                path.display(),
                first_difference(&ours, &ch.content)
            )),
            Err(e) => problems.push(format!("{}: {e}", path.display())),
        }
    }
    eprintln!("include expansion matches mdBook's in {compared} chapter(s)");
    Ok(problems)
}

fn first_difference(a: &str, b: &str) -> usize {
    a.bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()))
}

/// Links, anchors, images and network addresses in the rendered site.
fn built_html(out: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let files = walk(out);
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    for file in files.iter().filter(|f| has_ext(f, "html")) {
        let html = fs::read_to_string(file).unwrap_or_default();
        ids.insert(
            file.clone(),
            attribute_values(&html, "id").into_iter().collect(),
        );
    }
    for file in &files {
        let rel = file.strip_prefix(out).unwrap_or(file).display().to_string();
        if has_ext(file, "css") {
            let css = fs::read_to_string(file).unwrap_or_default();
            for url in css_urls(&css) {
                if is_network(&url) {
                    problems.push(format!("{rel}: stylesheet fetches {url}"));
                }
            }
        }
        if !has_ext(file, "html") {
            continue;
        }
        let html = fs::read_to_string(file).unwrap_or_default();
        for url in network_addresses(&without_comments(&html)) {
            problems.push(format!("{rel}: network address {url}"));
        }
        for attr in ["href", "src", "data"] {
            for target in attribute_values(&html, attr) {
                if let Some(p) = broken_target(out, file, &target, &ids) {
                    problems.push(format!("{rel}: {attr}=\"{target}\": {p}"));
                }
            }
        }
    }
    problems
}

/// Why a local link target is broken, or `None` when it resolves.
fn broken_target(
    out: &Path,
    from: &Path,
    target: &str,
    ids: &HashMap<PathBuf, HashSet<String>>,
) -> Option<String> {
    if is_network(target)
        || target.starts_with("mailto:")
        || target.starts_with("javascript:")
    {
        return None; // network addresses are reported on their own
    }
    let target = target.split('?').next().unwrap_or("");
    let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
    let file = if path.is_empty() {
        from.to_path_buf()
    } else if let Some(abs) = path.strip_prefix('/') {
        out.join(abs)
    } else {
        from.parent().unwrap_or(out).join(path)
    };
    let file = normalise(&file);
    let file = if file.is_dir() { file.join("index.html") } else { file };
    if !file.exists() {
        return Some(format!("{} does not exist", file.display()));
    }
    if !fragment.is_empty() && has_ext(&file, "html") {
        let known =
            ids.get(&file).is_some_and(|set| set.contains(&decode(fragment)));
        if !known {
            return Some(format!("no id \"{fragment}\" in {}", file.display()));
        }
    }
    None
}

/// Chapter files under `book/` that SUMMARY.md does not list.
fn unlisted_chapters(src: &Path) -> Vec<String> {
    let summary = fs::read_to_string(src.join("SUMMARY.md")).unwrap_or_default();
    let listed: HashSet<PathBuf> = summary
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|p| !p.is_empty())
        .map(|p| normalise(&src.join(p)))
        .collect();
    walk(src)
        .into_iter()
        .filter(|f| has_ext(f, "md") && !f.to_string_lossy().ends_with(".skt.md"))
        .filter(|f| f.file_name().is_some_and(|n| n != "SUMMARY.md"))
        .filter(|f| !listed.contains(&normalise(f)))
        .map(|f| format!("{} is not listed in SUMMARY.md", f.display()))
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension().is_some_and(|e| e == ext)
}

fn is_network(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http:")
        || lower.starts_with("https:")
        || lower.starts_with("//")
}

/// The page without its `<!-- … -->` comments: licence notices in mdBook's inline
/// icons name their home page there, and a comment is never fetched.
fn without_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("-->").map_or("", |end| &rest[start + end + 3..]);
    }
    out.push_str(rest);
    out
}

/// Every `http://` or `https://` address in a page, namespace URIs aside.
fn network_addresses(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for scheme in ["http://", "https://"] {
        for (at, _) in html.match_indices(scheme) {
            let end = html[at..]
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')')
                })
                .map_or(html.len(), |n| at + n);
            let url = &html[at..end];
            if !NAMESPACES.contains(&url) {
                found.push(url.to_owned());
            }
        }
    }
    found
}

/// The values of `name="…"` attributes (double-quoted, as mdBook and pulldown-cmark
/// write them).
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let pattern = format!(" {name}=\"");
    html.match_indices(&pattern)
        .filter_map(|(at, _)| {
            let start = at + pattern.len();
            html[start..]
                .find('"')
                .map(|len| html[start..start + len].replace("&amp;", "&"))
        })
        .collect()
}

fn css_urls(css: &str) -> Vec<String> {
    css.match_indices("url(")
        .filter_map(|(at, _)| {
            let rest = &css[at + 4..];
            rest.find(')').map(|end| {
                rest[..end].trim_matches(|c| c == '"' || c == '\'').to_owned()
            })
        })
        .collect()
}

/// Percent-decodes an anchor the way a browser would before matching an id.
fn decode(fragment: &str) -> String {
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&fragment[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves `.` and `..` without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
