//! The introduction: the map of the course and the output of the seeds listing.

use crate::figures::{arrow, colour, svg, tint, title_font, DrawResult, FONT};
use crate::report::Report;
use crate::Artifact;
use gradbo_listings::intro::seeds;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

const OUTPUT: &str = "book/outputs/introduction.txt";
const PATH_FIGURE: &str = "book/figures/course-path.svg";

/// The six parts: title, what they build, and their chapters.
const PARTS: [(&str, &str, &str); 6] = [
    ("Part 1", "Foundations", "arrays · autodiff · VJPs\nchapters 1–5"),
    (
        "Part 2",
        "Optimisation dynamics",
        "stability · conditioning\nmomentum · non-convexity\nchapters 6–9",
    ),
    (
        "Part 3",
        "Modelling unknown functions",
        "surrogates · uncertainty\nGaussian processes\nchapters 10–13",
    ),
    (
        "Part 4",
        "A practical BO library",
        "models · EI, LogEI, UCB\nthe optimisation loop\nchapters 14–17",
    ),
    (
        "Part 5",
        "Realistic BO",
        "dimensions · batches\nconstraints · budgets\nchapters 18–21",
    ),
    (
        "Part 6",
        "Structured BO",
        "noise · objectives\nfidelities · hierarchy\nchapters 22–25",
    ),
];

/// Everything the introduction shows.
pub fn run() -> Vec<Artifact> {
    let mut r = Report::new();
    r.section(
        "seeds",
        format!(
            "seed 42: {:?}\nseed 42: {:?}\nseed 43: {:?}",
            seeds::draws(42),
            seeds::draws(42),
            seeds::draws(43)
        ),
    );
    vec![
        Artifact::new(OUTPUT, r.finish()),
        Artifact::new(PATH_FIGURE, path_figure().expect("the path figure draws")),
    ]
}

/// Six boxes in two rows of three, joined by arrows in reading order.
fn path_figure() -> DrawResult<String> {
    let (w, h) = (960, 590);
    svg((w, h), |root| {
        let body = root.titled(
            "The path: from gradients to Bayesian optimisation",
            title_font(),
        )?;
        let (bw, bh) = (270, 200);
        let positions =
            [(30, 40), (345, 40), (660, 40), (660, 330), (345, 330), (30, 330)];
        let centre = |(x, y): (i32, i32)| (x + bw / 2, y + bh / 2);
        for (i, ((part, name, topics), &(x, y))) in
            PARTS.iter().zip(&positions).enumerate()
        {
            let shade = tint(colour(0), 0.15 + 0.13 * i as f64);
            body.draw(&Rectangle::new([(x, y), (x + bw, y + bh)], shade.filled()))?;
            body.draw(&Rectangle::new(
                [(x, y), (x + bw, y + bh)],
                BLACK.stroke_width(2),
            ))?;
            let ink = if i >= 4 { WHITE } else { BLACK };
            let centred = |size: u32, bold: bool| {
                let font = (FONT, size).into_font();
                let font = if bold { font.style(FontStyle::Bold) } else { font };
                font.color(&ink).pos(Pos::new(HPos::Center, VPos::Center))
            };
            let cx = x + bw / 2;
            body.draw(&Text::new(
                part.to_string(),
                (cx, y + 28),
                centred(22, true),
            ))?;
            body.draw(&Text::new(
                name.to_string(),
                (cx, y + 60),
                centred(21, true),
            ))?;
            for (k, line) in topics.lines().enumerate() {
                body.draw(&Text::new(
                    line.to_string(),
                    (cx, y + 100 + 28 * k as i32),
                    centred(19, false),
                ))?;
            }
        }
        // Arrows from each part to the next: along the top row, down, and back
        // along the bottom.
        for pair in positions.windows(2) {
            let (a, b) = (centre(pair[0]), centre(pair[1]));
            let (from, to) = if a.1 == b.1 {
                let dir = (b.0 - a.0).signum();
                ((a.0 + dir * bw / 2, a.1), (b.0 - dir * bw / 2, b.1))
            } else {
                ((a.0, a.1 + bh / 2), (b.0, b.1 - bh / 2))
            };
            arrow(&body, from, to, BLACK.stroke_width(4))?;
        }
        Ok(())
    })
}
