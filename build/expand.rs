//! Expands mdBook's `{{#include}}` and `{{#rustdoc_include}}` directives, so that
//! skeptic can test every Rust block exactly as the reader of the built book sees
//! it.
//!
//! skeptic reads raw markdown and knows nothing of mdBook's directives; the
//! chapters keep no code inline. This module reproduces mdBook's `links`
//! preprocessor for the two directives the book uses: paths relative to the
//! including file, `:anchor` and `:start:end` line selections, `# ` hidden lines
//! for `rustdoc_include`, nested includes and `\{{` escapes. `cargo xtask check`
//! compares its output with mdBook's own expansion of every chapter, byte for byte.
//!
//! It is shared by `build.rs` and by `tests/expand.rs`, and depends on nothing but
//! `std`.

use std::fmt;
use std::fs;
use std::ops::{Bound, RangeBounds};
use std::path::{Path, PathBuf};

/// How deep includes may nest before we assume a cycle (mdBook's limit too).
const MAX_DEPTH: usize = 10;

/// Why a chapter could not be expanded.
#[derive(Debug)]
pub enum ExpandError {
    /// An included file could not be read.
    Read { link: String, path: PathBuf, source: std::io::Error },
    /// An anchor named in a directive does not occur in the included file.
    MissingAnchor { link: String, path: PathBuf },
    /// Includes nested deeper than [`MAX_DEPTH`]: almost certainly a cycle.
    TooDeep { link: String },
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpandError::Read { link, path, source } => {
                write!(f, "{link}: cannot read {}: {source}", path.display())
            }
            ExpandError::MissingAnchor { link, path } => {
                write!(f, "{link}: no such anchor in {}", path.display())
            }
            ExpandError::TooDeep { link } => {
                write!(f, "{link}: includes nest too deep (a cycle?)")
            }
        }
    }
}

impl std::error::Error for ExpandError {}

/// Which part of an included file a directive selects.
#[derive(Debug, Clone, PartialEq)]
enum Selection {
    /// Lines `start..end` (0-based, end exclusive; `None` = open).
    Lines(Option<usize>, Option<usize>),
    /// The lines between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(String),
}

/// One directive found in a chapter.
#[derive(Debug, Clone, PartialEq)]
enum Directive {
    /// `\{{#...}}`: written out without the backslash, not expanded.
    Escaped,
    /// `{{#include path[:selection]}}`.
    Include(PathBuf, Selection),
    /// `{{#rustdoc_include path[:selection]}}`: the whole file, unselected lines
    /// behind `# `.
    RustdocInclude(PathBuf, Selection),
}

/// A directive and the byte span of its text in the chapter.
struct Link<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    directive: Directive,
}

/// Expands every directive in `text`, whose includes are relative to the folder
/// `base`.
pub fn expand(text: &str, base: &Path) -> Result<String, ExpandError> {
    expand_at_depth(text, base, 0)
}

/// Expands the chapter file at `path`.
pub fn expand_file(path: &Path) -> Result<String, ExpandError> {
    let text = fs::read_to_string(path).map_err(|source| ExpandError::Read {
        link: String::from("(chapter)"),
        path: path.to_path_buf(),
        source,
    })?;
    expand(&text, path.parent().unwrap_or(Path::new(".")))
}

/// Every file that `text` includes, directly or through nested includes, so that a
/// build script can ask Cargo to rerun when one of them changes.
pub fn included_files(text: &str, base: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    collect_included(text, base, 0, &mut files);
    files
}

fn collect_included(
    text: &str,
    base: &Path,
    depth: usize,
    files: &mut Vec<PathBuf>,
) {
    if depth >= MAX_DEPTH {
        return;
    }
    for link in find_links(text) {
        if let Directive::Include(p, _) | Directive::RustdocInclude(p, _) =
            &link.directive
        {
            let target = base.join(p);
            if let Ok(inner) = fs::read_to_string(&target) {
                collect_included(
                    &inner,
                    target.parent().unwrap_or(base),
                    depth + 1,
                    files,
                );
            }
            files.push(target);
        }
    }
}

fn expand_at_depth(
    text: &str,
    base: &Path,
    depth: usize,
) -> Result<String, ExpandError> {
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for link in find_links(text) {
        out.push_str(&text[done..link.start]);
        match &link.directive {
            Directive::Escaped => out.push_str(&link.text[1..]),
            Directive::Include(path, sel)
            | Directive::RustdocInclude(path, sel) => {
                if depth >= MAX_DEPTH {
                    return Err(ExpandError::TooDeep {
                        link: link.text.to_owned(),
                    });
                }
                let target = base.join(path);
                let file = fs::read_to_string(&target).map_err(|source| {
                    ExpandError::Read {
                        link: link.text.to_owned(),
                        path: target.clone(),
                        source,
                    }
                })?;
                let rustdoc =
                    matches!(link.directive, Directive::RustdocInclude(..));
                let selected = select(&file, sel, rustdoc).ok_or_else(|| {
                    ExpandError::MissingAnchor {
                        link: link.text.to_owned(),
                        path: target.clone(),
                    }
                })?;
                let inner_base = target.parent().unwrap_or(base);
                out.push_str(&expand_at_depth(&selected, inner_base, depth + 1)?);
            }
        }
        done = link.end;
    }
    out.push_str(&text[done..]);
    Ok(out)
}

/// Applies a selection to a file's text. `None` when a named anchor is absent
/// (mdBook would silently include nothing; a course listing that names a missing
/// anchor is a mistake).
fn select(file: &str, sel: &Selection, rustdoc: bool) -> Option<String> {
    match (sel, rustdoc) {
        (Selection::Lines(start, end), false) => {
            Some(take_lines(file, *start, *end))
        }
        (Selection::Lines(start, end), true) => {
            Some(hide_outside_lines(file, *start, *end))
        }
        (Selection::Anchor(name), _) => {
            if !file.lines().any(|l| anchor_start(l) == Some(name.as_str())) {
                return None;
            }
            Some(if rustdoc {
                hide_outside_anchor(file, name)
            } else {
                take_anchor(file, name)
            })
        }
    }
}

/// The anchor name of an `ANCHOR: name` line.
fn anchor_start(line: &str) -> Option<&str> {
    anchor_after(line, "ANCHOR:")
}

/// The anchor name of an `ANCHOR_END: name` line.
fn anchor_end(line: &str) -> Option<&str> {
    anchor_after(line, "ANCHOR_END:")
}

/// The `[\w-]+` name following `marker` and optional whitespace, as mdBook's anchor
/// regexes read it.
fn anchor_after<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let mut rest = line;
    while let Some(at) = rest.find(marker) {
        let after = rest[at + marker.len()..].trim_start();
        let len = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(after.len());
        if len > 0 {
            return Some(&after[..len]);
        }
        rest = &rest[at + marker.len()..];
    }
    None
}

fn in_range(i: usize, start: Option<usize>, end: Option<usize>) -> bool {
    Bounds(start, end).contains(&i)
}

fn take_lines(file: &str, start: Option<usize>, end: Option<usize>) -> String {
    let lines: Vec<&str> = file
        .lines()
        .enumerate()
        .filter(|(i, _)| in_range(*i, start, end))
        .map(|(_, l)| l)
        .collect();
    lines.join("\n")
}

fn hide_outside_lines(
    file: &str,
    start: Option<usize>,
    end: Option<usize>,
) -> String {
    let lines: Vec<String> =
        file.lines()
            .enumerate()
            .map(|(i, l)| {
                if in_range(i, start, end) {
                    l.to_owned()
                } else {
                    format!("# {l}")
                }
            })
            .collect();
    lines.join("\n")
}

fn take_anchor(file: &str, name: &str) -> String {
    let mut kept = Vec::new();
    let mut inside = false;
    for line in file.lines() {
        if inside {
            match anchor_end(line) {
                Some(end) if end == name => break,
                Some(_) => {}
                None if anchor_start(line).is_none() => kept.push(line),
                None => {}
            }
        } else if anchor_start(line) == Some(name) {
            inside = true;
        }
    }
    kept.join("\n")
}

fn hide_outside_anchor(file: &str, name: &str) -> String {
    let mut kept = Vec::new();
    let mut inside = false;
    for line in file.lines() {
        if inside {
            match anchor_end(line) {
                Some(end) if end == name => inside = false,
                Some(_) => {}
                None if anchor_start(line).is_none() => kept.push(line.to_owned()),
                None => {}
            }
        } else if let Some(start) = anchor_start(line) {
            inside = start == name; // other anchors' markers vanish, as in mdBook
        } else if anchor_end(line).is_none() {
            kept.push(format!("# {line}"));
        }
    }
    kept.join("\n")
}

/// Parses `path[:sel]`, where sel is `anchor`, `n`, `a:b`, `a:` or `:b` (1-based,
/// inclusive end).
fn parse_target(arg: &str) -> (PathBuf, Selection) {
    let (path, rest) = arg.split_once(':').unwrap_or((arg, ""));
    let mut parts = rest.splitn(2, ':');
    let first = parts.next().unwrap_or("");
    let second = parts.next();
    let start = match first.parse::<usize>() {
        Ok(n) => Some(n.saturating_sub(1)),
        Err(_) if first.is_empty() => None,
        Err(_) => return (path.into(), Selection::Anchor(first.to_owned())),
    };
    let end = second.map(|s| s.split(':').next().unwrap_or("").parse::<usize>());
    let sel = match (start, end) {
        (Some(s), Some(Ok(e))) => Selection::Lines(Some(s), Some(e)),
        (Some(s), Some(Err(_))) => Selection::Lines(Some(s), None),
        (Some(s), None) => Selection::Lines(Some(s), Some(s + 1)),
        (None, Some(Ok(e))) => Selection::Lines(None, Some(e)),
        (None, _) => Selection::Lines(None, None),
    };
    (path.into(), sel)
}

/// Finds directives the way mdBook's link regex does: `\{{#…}}` to the last `}}` on
/// the line, or `{{ #name arg…}}` with no `}` inside.
fn find_links(text: &str) -> Vec<Link<'_>> {
    let bytes = text.as_bytes();
    let mut links = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if text[i..].starts_with("\\{{#") {
            let line_end = text[i..].find('\n').map_or(text.len(), |n| i + n);
            if let Some(close) = text[i..line_end].rfind("}}") {
                let end = i + close + 2;
                links.push(Link {
                    start: i,
                    end,
                    text: &text[i..end],
                    directive: Directive::Escaped,
                });
                i = end;
                continue;
            }
        }
        if text[i..].starts_with("{{") {
            if let Some(link) = parse_directive(text, i) {
                i = link.end;
                links.push(link);
                continue;
            }
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    links
}

fn parse_directive(text: &str, start: usize) -> Option<Link<'_>> {
    let rest = text[start + 2..].trim_start();
    let rest = rest.strip_prefix('#')?;
    let name_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
    let (name, rest) = rest.split_at(name_len);
    if name.is_empty() || !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let body_start = text.len() - rest.len();
    let close = text[body_start..].find('}')?;
    if !text[body_start + close..].starts_with("}}") {
        return None;
    }
    let body = text[body_start..body_start + close].trim_start();
    let end = body_start + close + 2;
    let arg = body.split_whitespace().next()?;
    let (path, sel) = parse_target(arg);
    let directive = match name {
        "include" => Directive::Include(path, sel),
        "rustdoc_include" => Directive::RustdocInclude(path, sel),
        _ => return None,
    };
    Some(Link { start, end, text: &text[start..end], directive })
}

/// A line range with optional bounds, as mdBook's `LineRange`.
struct Bounds(Option<usize>, Option<usize>);

impl RangeBounds<usize> for Bounds {
    fn start_bound(&self) -> Bound<&usize> {
        self.0.as_ref().map_or(Bound::Unbounded, Bound::Included)
    }
    fn end_bound(&self) -> Bound<&usize> {
        self.1.as_ref().map_or(Bound::Unbounded, Bound::Excluded)
    }
}
