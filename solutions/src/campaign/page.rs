//! The report's page, read back as a browser would get it: it must parse as XML, load
//! nothing from the network and hold every figure the campaign calls for. What the walk-through
//! prints is the page's own inventory: each figure's id and caption.

use std::fmt::Write;

/// The figures a one-objective campaign with a cost must show.
pub const FIGURES: [&str; 5] = [
    "fig-best-evaluations",
    "fig-best-cost",
    "fig-model",
    "fig-traces",
    "fig-lengthscales",
];

/// Checks the page and returns its inventory, one line per figure: id, then caption.
///
/// # Panics
/// If the page is not well-formed, refers to anything outside itself, or lacks a figure of
/// [`FIGURES`] (each an SVG with something drawn in it) — the worked version must not print
/// a walk-through of a broken report.
pub fn inventory(page: &str) -> String {
    // The page starts with `<!DOCTYPE html>`, which an XML parser must be told to accept.
    let options =
        roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(page, options)
        .expect("the report is well-formed XML");
    for node in doc.descendants().filter(|n| n.is_element()) {
        let tag = node.tag_name().name();
        assert!(
            !matches!(tag, "script" | "link" | "img" | "iframe"),
            "a <{tag}> element"
        );
        for a in node.attributes() {
            let external = ["http:", "https:", "//", "url("]
                .iter()
                .any(|p| a.value().contains(p));
            let namespace = a.name() == "xmlns" || a.namespace().is_some();
            assert!(!external || namespace, "{} = {}", a.name(), a.value());
        }
    }
    let style: String = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "style")
        .filter_map(|n| n.text())
        .collect();
    assert!(
        !style.contains("url(") && !style.contains("@import"),
        "the style loads nothing"
    );
    let mut out = String::new();
    for id in FIGURES {
        let figure = doc
            .descendants()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("the report has no {id}"));
        let svg = figure
            .children()
            .find(|n| n.tag_name().name() == "svg")
            .unwrap_or_else(|| panic!("{id} has no SVG"));
        assert!(svg.descendants().count() > 50, "{id} draws nothing");
        let caption: String = figure
            .children()
            .filter(|n| n.tag_name().name() == "figcaption")
            .flat_map(|n| {
                n.descendants().filter(|t| t.is_text()).filter_map(|t| t.text())
            })
            .collect();
        let _ = writeln!(
            out,
            "{id}: {}",
            caption.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(extra: &str) -> String {
        let figures: String = FIGURES
            .iter()
            .map(|id| {
                let shapes = "<rect/>".repeat(60);
                format!(
                    "<figure id=\"{id}\"><svg xmlns=\"http://www.w3.org/2000/svg\">{shapes}</svg>\
                     <figcaption>About {id}.</figcaption></figure>"
                )
            })
            .collect();
        format!("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>{figures}{extra}</body></html>")
    }

    #[test]
    fn a_complete_offline_page_gives_one_line_per_figure() {
        let lines = inventory(&page(""));
        assert_eq!(lines.lines().count(), 5);
        assert!(
            lines.starts_with("fig-best-evaluations: About fig-best-evaluations.")
        );
    }

    #[test]
    #[should_panic(expected = "src")]
    fn a_network_reference_is_refused() {
        inventory(&page("<p src=\"https://example.org/a.png\"/>"));
    }

    #[test]
    #[should_panic(expected = "well-formed")]
    fn a_broken_page_is_refused() {
        inventory(&page("<p>"));
    }
}
