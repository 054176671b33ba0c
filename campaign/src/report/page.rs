//! The page: one self-contained file of XHTML-compatible HTML (every element closed,
//! attributes quoted, text escaped) with the figures inline as SVG and the style in the
//! page, so that it opens offline in any browser and parses as XML.

use std::fmt::Write;

/// The page's style: system fonts, nothing loaded from anywhere.
const STYLE: &str = "\
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; \
color: #222; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.8em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f2f2f2; }
tr.best td { background: #fff4dc; }
figure { margin: 1.2em 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.95em; color: #444; }
p.note { color: #555; }
";

/// Text with `&`, `<`, `>` and quotes escaped, for element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML does not allow in a document.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {
                out.push('\u{FFFD}')
            }
            c => out.push(c),
        }
    }
    out
}

/// A page being written: sections, paragraphs, tables and figures, in order.
#[derive(Debug, Default)]
pub struct Page {
    body: String,
    figures: Vec<String>,
    in_section: bool,
}

/// A cell of a table: text, or a number set to the right.
pub enum Cell {
    /// Text, left-aligned.
    Text(String),
    /// A number already formatted, right-aligned.
    Number(String),
}

impl Page {
    /// The page's top heading.
    pub fn heading(&mut self, text: &str) {
        let _ = writeln!(self.body, "<h1>{}</h1>", escape(text));
    }

    /// Opens a section with id `id` and heading `title` (closed by the next section or the
    /// end of the page).
    pub fn section(&mut self, id: &str, title: &str) {
        if self.in_section {
            self.body.push_str("</section>\n");
        }
        self.in_section = true;
        let _ = writeln!(
            self.body,
            "<section id=\"{}\">\n<h2>{}</h2>",
            escape(id),
            escape(title)
        );
    }

    /// A paragraph of plain text.
    pub fn paragraph(&mut self, text: &str) {
        let _ = writeln!(self.body, "<p>{}</p>", escape(text));
    }

    /// A paragraph set as a note.
    pub fn note(&mut self, text: &str) {
        let _ = writeln!(self.body, "<p class=\"note\">{}</p>", escape(text));
    }

    /// A table with an id, a header row and rows; rows whose index is in `marked` are
    /// highlighted.
    pub fn table(
        &mut self,
        id: &str,
        header: &[&str],
        rows: &[Vec<Cell>],
        marked: &[usize],
    ) {
        let _ = writeln!(self.body, "<table id=\"{}\">", escape(id));
        self.body.push_str("<thead><tr>");
        for h in header {
            let _ = write!(self.body, "<th>{}</th>", escape(h));
        }
        self.body.push_str("</tr></thead>\n<tbody>\n");
        for (i, row) in rows.iter().enumerate() {
            self.body.push_str(if marked.contains(&i) {
                "<tr class=\"best\">"
            } else {
                "<tr>"
            });
            for cell in row {
                let _ = match cell {
                    Cell::Text(t) => write!(self.body, "<td>{}</td>", escape(t)),
                    Cell::Number(t) => {
                        write!(self.body, "<td class=\"n\">{}</td>", escape(t))
                    }
                };
            }
            self.body.push_str("</tr>\n");
        }
        self.body.push_str("</tbody>\n</table>\n");
    }

    /// A figure with id `id`: the SVG drawn by plotters, inline, with a caption.
    pub fn figure(&mut self, id: &str, svg: &str, caption: &str) {
        // The SVG element itself, without anything plotters may put before it.
        let svg = svg.find("<svg").map_or(svg, |at| &svg[at..]).trim_end();
        let _ = writeln!(
            self.body,
            "<figure id=\"{}\">\n{svg}\n<figcaption>{}</figcaption>\n</figure>",
            escape(id),
            escape(caption)
        );
        self.figures.push(id.to_string());
    }

    /// The ids of the figures, in order.
    pub fn figures(&self) -> &[String] {
        &self.figures
    }

    /// The whole page, titled `title`.
    pub fn finish(&self, title: &str) -> String {
        let mut out = String::new();
        out.push_str("<!DOCTYPE html>\n");
        out.push_str(
            "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n",
        );
        out.push_str("<meta charset=\"utf-8\"/>\n");
        out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
        let _ = writeln!(out, "<title>{}</title>", escape(title));
        let _ = writeln!(out, "<style>\n{STYLE}</style>\n</head>\n<body>");
        out.push_str(&self.body);
        if self.in_section {
            out.push_str("</section>\n");
        }
        out.push_str("</body>\n</html>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_sections_close() {
        assert_eq!(
            escape("a < b & \"c\" 'd' >"),
            "a &lt; b &amp; &quot;c&quot; &#39;d&#39; &gt;"
        );
        assert_eq!(escape("bell\u{7}"), "bell\u{FFFD}");
        let mut p = Page::default();
        p.heading("R&D");
        p.section("one", "One");
        p.paragraph("x < y");
        p.section("two", "Two");
        p.figure("fig-a", "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n", "a");
        let page = p.finish("t");
        assert_eq!(page.matches("<section").count(), 2);
        assert_eq!(page.matches("</section>").count(), 2);
        assert!(
            page.contains("<h1>R&amp;D</h1>") && page.contains("<p>x &lt; y</p>")
        );
        assert!(!page.contains("<?xml"));
        assert_eq!(p.figures(), ["fig-a"]);
    }
}
