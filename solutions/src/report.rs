//! Worked output as text with named sections, which chapters include with
//! `{{#include outputs/chNN.txt:section}}`.

use std::fmt::Write as _;

/// Text made of named sections, each between `ANCHOR:` and `ANCHOR_END:` marker lines (which
/// mdBook leaves out when it includes a section).
#[derive(Default)]
pub struct Report {
    text: String,
}

impl Report {
    /// An empty report.
    pub fn new() -> Self {
        Report::default()
    }

    /// Adds a section called `name` holding `body` (a trailing newline is added if
    /// missing).
    pub fn section(&mut self, name: &str, body: impl AsRef<str>) -> &mut Self {
        let body = body.as_ref();
        let _ = writeln!(self.text, "ANCHOR: {name}");
        self.text.push_str(body);
        if !body.ends_with('\n') {
            self.text.push('\n');
        }
        let _ = writeln!(self.text, "ANCHOR_END: {name}");
        self
    }

    /// The finished text.
    pub fn finish(&self) -> String {
        self.text.clone()
    }
}
