//! `report`: one self-contained HTML page about a campaign, made from its stored state.
//!
//! The page has a header (the campaign, its variables and objectives, the counts of every
//! status), a table of the best observations and inline SVG figures in the book's figure
//! style: the best value so far against evaluations (and against cumulative cost when the
//! campaign records one), the model's posterior at the observations with the incumbent,
//! every variable's trace, the fitted lengthscales, and the Pareto front of a campaign with
//! several objectives. [`data`] computes what is shown, [`figures`] draws it, [`page`]
//! writes the markup.
//!
//! The page is a function of the stored state alone: no clock, no hash order, numbers
//! written by fixed rules, so the same state gives the same bytes. It loads nothing: no
//! script, no web font, no link; the only URLs in it are the XHTML and SVG namespaces.

pub mod data;
pub mod figures;
pub mod page;

use crate::engine::State;
use crate::error::{Error, Result};
use crate::spec::display_value;
use data::{
    cumulative_cost, model_view, non_dominated, observations, ranking, Observation,
};
use gradbo::acquisition::Direction;
use gradbo::mixed::Variable;
use page::{Cell, Page};
use std::path::{Path, PathBuf};

/// Rows in the table of best observations.
pub const BEST_ROWS: usize = 10;

/// A report: the page and the ids of its figures, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The page's text.
    pub html: String,
    /// The ids of the figures it holds (`fig-best-evaluations`, …).
    pub figures: Vec<String>,
    /// How many observations it shows.
    pub observations: usize,
}

/// A number as the page writes it: at most six significant digits, without trailing
/// zeros; powers of ten outside 1e-4 … 1e9 in exponent form.
pub fn number(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return if v == 0.0 { "0".into() } else { v.to_string() };
    }
    let magnitude = v.abs().log10().floor() as i32;
    if !(-4..9).contains(&magnitude) {
        let text = format!("{v:.5e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exponent}");
    }
    let digits = (5 - magnitude).clamp(0, 12) as usize;
    let text = format!("{v:.digits$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" {
        "0".into()
    } else {
        text
    }
}

fn word(d: Direction) -> &'static str {
    match d {
        Direction::Maximise => "maximise",
        Direction::Minimise => "minimise",
    }
}

/// What a variable can take, in words.
fn domain(v: &Variable) -> (&'static str, String) {
    let list = |xs: Vec<String>| xs.join(", ");
    match v {
        Variable::Continuous { lower, upper, .. } => {
            ("continuous", format!("[{}, {}]", number(*lower), number(*upper)))
        }
        Variable::Integer { lower, upper, .. } => {
            ("integer", format!("{lower} … {upper}"))
        }
        Variable::Discrete { levels, .. } => {
            ("discrete", list(levels.iter().map(|&l| number(l)).collect()))
        }
        Variable::Categorical { labels, .. } => {
            ("categorical", list(labels.clone()))
        }
    }
}

/// A row of the observations' table: rank, id, the objectives, the cost, the variables.
fn observation_row(state: &State, rank: usize, o: &Observation) -> Vec<Cell> {
    let campaign = &state.campaign;
    let mut row = vec![Cell::Number(rank.to_string()), Cell::Text(o.id.clone())];
    row.extend(o.values.iter().map(|&v| Cell::Number(number(v))));
    if campaign.cost.is_some() {
        row.push(Cell::Number(o.cost.map_or_else(String::new, number)));
    }
    row.extend(
        campaign
            .variables()
            .iter()
            .zip(o.design.iter())
            .map(|(v, &x)| Cell::Text(display_value(v, x))),
    );
    row
}

fn observation_header(state: &State, first: &str) -> Vec<String> {
    let campaign = &state.campaign;
    let mut header = vec![first.to_string(), "id".to_string()];
    header.extend(campaign.objectives.iter().map(|o| o.name.clone()));
    if let Some(cost) = &campaign.cost {
        header.push(cost.clone());
    }
    header.extend(campaign.variables().iter().map(|v| v.name().to_string()));
    header
}

/// The report of `state`.
///
/// # Errors
/// A failure if a figure cannot be drawn. A model that cannot be fitted is reported on
/// the page, not as an error.
pub fn report(state: &State) -> Result<Report> {
    let campaign = &state.campaign;
    let (obs, counts) = observations(state);
    let first = &campaign.objectives[0];
    let mut page = Page::default();
    page.heading(&format!("Campaign report: {}", campaign.name));
    let goals: Vec<String> = campaign
        .objectives
        .iter()
        .map(|o| format!("{} {}", word(o.direction), o.name))
        .collect();
    page.paragraph(&format!(
        "{} over {} variables; {} suggestions: {} results recorded, {} pending, {} rejected, {} failed. \
         Made from the campaign's stored state: the same state gives the same page.",
        capitalised(&goals.join(" and ")),
        campaign.variables().len(),
        counts.suggestions,
        counts.recorded,
        counts.pending,
        counts.rejected,
        counts.failed
    ));

    page.section("campaign", "The campaign");
    let count_rows = vec![
        vec![
            Cell::Text("suggestions".into()),
            Cell::Number(counts.suggestions.to_string()),
        ],
        vec![
            Cell::Text("results recorded (observations)".into()),
            Cell::Number(counts.recorded.to_string()),
        ],
        vec![
            Cell::Text("pending".into()),
            Cell::Number(counts.pending.to_string()),
        ],
        vec![
            Cell::Text("rejected".into()),
            Cell::Number(counts.rejected.to_string()),
        ],
        vec![
            Cell::Text("failed or timed out".into()),
            Cell::Number(counts.failed.to_string()),
        ],
    ];
    page.table("counts", &["status", "count"], &count_rows, &[]);
    let variable_rows: Vec<Vec<Cell>> = campaign
        .variables()
        .iter()
        .map(|v| {
            let (kind, values) = domain(v);
            vec![
                Cell::Text(v.name().into()),
                Cell::Text(kind.into()),
                Cell::Text(values),
            ]
        })
        .collect();
    page.table("variables", &["variable", "type", "values"], &variable_rows, &[]);
    let mut objective_rows: Vec<Vec<Cell>> = campaign
        .objectives
        .iter()
        .map(|o| {
            vec![Cell::Text(o.name.clone()), Cell::Text(word(o.direction).into())]
        })
        .collect();
    if let Some(cost) = &campaign.cost {
        objective_rows.push(vec![
            Cell::Text(cost.clone()),
            Cell::Text("cost, recorded with each result".into()),
        ]);
    }
    page.table("objectives", &["measured", "goal"], &objective_rows, &[]);

    if obs.is_empty() {
        page.section("best", "Best observations");
        page.paragraph(
            "No results have been recorded yet, so there is nothing to plot: the figures \
             appear once the first results are recorded.",
        );
        return Ok(Report {
            html: page.finish(&title(state)),
            figures: Vec::new(),
            observations: 0,
        });
    }

    let directions: Vec<Direction> =
        campaign.objectives.iter().map(|o| o.direction).collect();
    let values: Vec<f64> = obs.iter().map(|o| o.values[0]).collect();
    let order = ranking(&values, first.direction);
    let best = order[0];
    let several = campaign.objectives.len() > 1;
    let front = if several {
        non_dominated(
            &obs.iter().map(|o| o.values.clone()).collect::<Vec<_>>(),
            &directions,
        )?
    } else {
        Vec::new()
    };

    page.section("best", "Best observations");
    let header = observation_header(state, "rank");
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    if several {
        page.paragraph(&format!(
            "The {} non-dominated observations (no other observation is at least as good in every \
             objective and better in one), in the order of evaluation.",
            front.len()
        ));
        let rows: Vec<Vec<Cell>> = front
            .iter()
            .enumerate()
            .map(|(r, &i)| observation_row(state, r + 1, &obs[i]))
            .collect();
        page.table("best-table", &header, &rows, &[]);
    } else {
        page.paragraph(&format!(
            "The {} best of {} observations by the observed {}, best first (the earlier on a tie).",
            order.len().min(BEST_ROWS),
            obs.len(),
            first.name
        ));
        let rows: Vec<Vec<Cell>> = order
            .iter()
            .take(BEST_ROWS)
            .enumerate()
            .map(|(r, &i)| observation_row(state, r + 1, &obs[i]))
            .collect();
        page.table("best-table", &header, &rows, &[0]);
    }

    page.section("progress", "Progress");
    page.note(
        "Evaluations are numbered in the order of their suggestions, counting recorded results \
         only (rejected, failed and pending suggestions are left out).",
    );
    let evaluations: Vec<f64> = (1..=obs.len()).map(|k| k as f64).collect();
    let svg = figures::progress(
        campaign,
        &obs,
        &evaluations,
        "evaluation",
        "Best so far",
    )?;
    page.figure(
        "fig-best-evaluations",
        &svg,
        &format!("The best {} so far (line) and every observation (dots), by evaluation.", first.name),
    );
    if let Some(cost) = &campaign.cost {
        let costs: Vec<Option<f64>> = obs.iter().map(|o| o.cost).collect();
        let missing = costs.iter().filter(|c| c.is_none()).count();
        if missing == costs.len() {
            page.note(&format!(
                "No {cost} has been recorded with the results yet."
            ));
        } else {
            let spent = cumulative_cost(&costs);
            let svg = figures::progress(
                campaign,
                &obs,
                &spent,
                &format!("cumulative {cost}"),
                &format!("Best so far against {cost} spent"),
            )?;
            let mut caption = format!(
                "The best {} so far against the {cost} spent up to and including each evaluation \
                 ({} in all).",
                first.name,
                number(spent[spent.len() - 1])
            );
            if missing > 0 {
                caption.push_str(&format!(
                    " {missing} results have no {cost} recorded and count as none."
                ));
            }
            page.figure("fig-best-cost", &svg, &caption);
        }
    }

    page.section("model", "The model and the incumbent");
    let view = match model_view(campaign, &obs) {
        Ok(view) => Some(view),
        Err(e) => {
            page.note(&format!("No model: {e}."));
            None
        }
    };
    if let Some(view) = &view {
        let i = view.incumbent;
        let o = &obs[i];
        let (m, s) = (view.mean[i], view.sd[i]);
        page.paragraph(&format!(
            "The model is the one suggest fits: a Gaussian process on the {} results of {}{}, \
             on the variables scaled to [0, 1] (categories one-hot). The incumbent, the design \
             recommended now, is the observation with the best posterior mean: the model's \
             estimate weighs each result against its neighbours, so a lucky noisy result does \
             not win on its own. The interval is the posterior mean ± 2 sd (about 95 %) of the \
             {} there, noise not included; the fitted noise sd is {}.",
            obs.len(),
            first.name,
            if several { " (the first objective)" } else { "" },
            first.name,
            number(view.noise_sd)
        ));
        let mut header = vec!["id".to_string(), format!("observed {}", first.name)];
        header.extend(
            ["posterior mean", "sd", "mean − 2 sd", "mean + 2 sd"]
                .map(String::from),
        );
        header.extend(campaign.variables().iter().map(|v| v.name().to_string()));
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut row = vec![
            Cell::Text(o.id.clone()),
            Cell::Number(number(o.values[0])),
            Cell::Number(number(m)),
            Cell::Number(number(s)),
            Cell::Number(number(m - 2.0 * s)),
            Cell::Number(number(m + 2.0 * s)),
        ];
        row.extend(
            campaign
                .variables()
                .iter()
                .zip(o.design.iter())
                .map(|(v, &x)| Cell::Text(display_value(v, x))),
        );
        page.table("incumbent-table", &header, &[row], &[]);
        if i != best {
            page.note(&format!(
                "The best observed result, {} ({} = {}), is not the incumbent: the model's mean \
                 there is {}.",
                obs[best].id,
                first.name,
                number(obs[best].values[0]),
                number(view.mean[best])
            ));
        }
        let svg = figures::model(campaign, &obs, view)?;
        page.figure(
            "fig-model",
            &svg,
            &format!(
                "Each observation (black dot) with the model's posterior mean (square) and \
                 ± 2 sd (bar) at its design; the star is the incumbent, {}.",
                o.id
            ),
        );
    }

    page.section("traces", "The variables");
    let svg = figures::traces(campaign, &obs, best)?;
    page.figure(
        "fig-traces",
        &svg,
        &format!(
            "Each variable's value at each evaluation; the star marks the best observation, {}.",
            obs[best].id
        ),
    );

    if let Some(view) = &view {
        page.section("lengthscales", "Lengthscales");
        page.paragraph(
            "A lengthscale is how far along a variable the model expects the objective to \
             change appreciably, as a share of the variable's range (the model sees every \
             variable scaled to [0, 1]). A short lengthscale means the objective changes fast \
             along that variable, which therefore matters; a long one (near or above 1) \
             means the objective hardly changes across the whole range. A categorical \
             variable has one per label.",
        );
        if view.lengthscales.iter().any(|l| l.numeric) {
            let svg = figures::lengthscales(view)?;
            page.figure(
                "fig-lengthscales",
                &svg,
                "The fitted lengthscale of each numeric variable, as a share of its range.",
            );
        }
        let rows: Vec<Vec<Cell>> = view
            .lengthscales
            .iter()
            .map(|l| {
                vec![Cell::Text(l.name.clone()), Cell::Number(number(l.value))]
            })
            .collect();
        page.table("lengthscale-table", &["variable", "lengthscale"], &rows, &[]);
    }

    if several {
        page.section("pareto", "Pareto front");
        let svg = figures::pareto(campaign, &obs, &front)?;
        page.figure(
            "fig-pareto",
            &svg,
            &format!(
                "Every observation (dots) and the {} non-dominated ones (squares), in the plane \
                 of each pair of objectives.",
                front.len()
            ),
        );
    }

    Ok(Report {
        figures: page.figures().to_vec(),
        html: page.finish(&title(state)),
        observations: obs.len(),
    })
}

/// Where `report` writes by default: beside the database, its name with `-report.html`
/// in place of its extension (`lab.db` → `lab-report.html`).
pub fn default_output(db: &Path) -> PathBuf {
    let stem = db
        .file_stem()
        .map_or_else(|| "campaign".into(), |s| s.to_string_lossy().into_owned());
    db.with_file_name(format!("{stem}-report.html"))
}

/// Writes `html` to `out` through a temporary file beside it, renamed into place, so that a
/// reader never sees half a page.
///
/// # Errors
/// A failure naming the file if it cannot be written.
pub fn write(out: &Path, html: &str) -> Result<()> {
    let failed = |e: std::io::Error| {
        Error::failure(format!("cannot write the report {}: {e}", out.display()))
    };
    let name = out
        .file_name()
        .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    let temporary = out.with_file_name(format!(".{name}.partial"));
    std::fs::write(&temporary, html).map_err(failed)?;
    std::fs::rename(&temporary, out).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        failed(e)
    })
}

fn title(state: &State) -> String {
    format!("{}: campaign report", state.campaign.name)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn numbers_have_six_significant_digits_at_most() {
        assert_eq!(number(0.0), "0");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(1.0), "1");
        assert_eq!(number(0.123456789), "0.123457");
        assert_eq!(number(-12345.678), "-12345.7");
        assert_eq!(number(2.5e-7), "2.5e-7");
        assert_eq!(number(1.25e12), "1.25e12");
        assert_eq!(number(90.0), "90");
    }
}
