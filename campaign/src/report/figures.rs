//! The report's figures, drawn in the book's figure style (`gradbo-figures`): each a
//! function from the report's data to SVG text.

use super::data::{ModelView, Observation};
use crate::error::{Error, Result};
use crate::spec::Campaign;
use gradbo::acquisition::Direction;
use gradbo::mixed::Variable;
use gradbo_figures::{
    bar_chart, Colour, DrawResult, Layer, Legend, LinePlot, Marker,
};

/// A drawing failure: a bug in this code, reported as an unexpected failure.
fn drawn(figure: &str, svg: DrawResult<String>) -> Result<String> {
    svg.map_err(|e| {
        Error::failure(format!("drawing the figure {figure} failed: {e}"))
    })
}

/// Where the legend goes on a best-so-far curve: away from where the curve ends.
fn corner(direction: Direction) -> Legend {
    match direction {
        Direction::Maximise => Legend::LowerRight,
        Direction::Minimise => Legend::UpperRight,
    }
}

/// A best-so-far curve as steps: each best value held until the next evaluation.
fn steps(x: &[f64], best: &[f64]) -> Vec<(f64, f64)> {
    let mut points = Vec::with_capacity(2 * x.len());
    for (k, (&xk, &bk)) in x.iter().zip(best).enumerate() {
        if k > 0 {
            points.push((xk, best[k - 1]));
        }
        points.push((xk, bk));
    }
    points
}

/// The best value so far and every observation, against `x` (evaluation number or
/// cumulative cost).
pub fn progress(
    campaign: &Campaign,
    obs: &[Observation],
    x: &[f64],
    x_label: &str,
    title: &str,
) -> Result<String> {
    let o = &campaign.objectives[0];
    let values: Vec<f64> = obs.iter().map(|o| o.values[0]).collect();
    let best = o.direction.best_so_far(&values);
    let mut plot = LinePlot::new(title, x_label, &o.name)
        .with(Layer::dots(
            "observations",
            x.iter().copied().zip(values.iter().copied()).collect(),
            Colour::Observation,
        ))
        .with(Layer::line("best so far", steps(x, &best), Colour::Mean));
    plot.legend = corner(o.direction);
    drawn(title, plot.render())
}

/// Each observation with the model's posterior mean ± 2 sd at its design, by evaluation
/// number, the incumbent starred.
pub fn model(
    campaign: &Campaign,
    obs: &[Observation],
    view: &ModelView,
) -> Result<String> {
    let o = &campaign.objectives[0];
    let mut plot = LinePlot::new(
        &format!("The model of {} at the observations", o.name),
        "evaluation",
        &o.name,
    );
    for (k, (&m, &s)) in view.mean.iter().zip(&view.sd).enumerate() {
        let x = (k + 1) as f64;
        let label = if k == 0 { "model mean ± 2 sd" } else { "" };
        plot = plot.with(Layer::line(
            label,
            vec![(x, m - 2.0 * s), (x, m + 2.0 * s)],
            Colour::Mean,
        ));
    }
    let at = |k: usize| (k + 1) as f64;
    plot = plot
        .with(Layer::points(
            "model mean",
            view.mean.iter().enumerate().map(|(k, &m)| (at(k), m)).collect(),
            Colour::Mean,
            Marker::Square,
        ))
        .with(Layer::dots(
            "observed",
            obs.iter().enumerate().map(|(k, o)| (at(k), o.values[0])).collect(),
            Colour::Observation,
        ))
        .with(Layer::points(
            "incumbent",
            vec![(at(view.incumbent), view.mean[view.incumbent])],
            Colour::Chosen,
            Marker::Star,
        ));
    plot.legend = corner(o.direction);
    drawn("model", plot.render())
}

/// One panel per variable: its value at each evaluation, the best observation starred;
/// a categorical variable's labels name the levels of its axis.
pub fn traces(
    campaign: &Campaign,
    obs: &[Observation],
    best: usize,
) -> Result<String> {
    let variables = campaign.variables();
    let plots: Vec<LinePlot> = variables
        .iter()
        .enumerate()
        .map(|(j, v)| {
            let points: Vec<(f64, f64)> = obs
                .iter()
                .enumerate()
                .map(|(k, o)| ((k + 1) as f64, o.design[j]))
                .collect();
            let mut plot = LinePlot::new(v.name(), "evaluation", v.name())
                .with(Layer::path("", points.clone(), 0))
                .with(Layer::points(
                    "best",
                    vec![points[best]],
                    Colour::Chosen,
                    Marker::Star,
                ));
            plot.legend = Legend::UpperRight;
            match v {
                Variable::Categorical { labels, .. } => {
                    plot.with_levels(labels.clone())
                }
                Variable::Continuous { lower, upper, .. } => {
                    plot.y_range = Some(pad(*lower, *upper));
                    plot
                }
                Variable::Integer { lower, upper, .. } => {
                    plot.y_range = Some(pad(*lower as f64, *upper as f64));
                    plot
                }
                Variable::Discrete { levels, .. } => {
                    let lo = levels.iter().copied().fold(f64::INFINITY, f64::min);
                    let hi =
                        levels.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    plot.y_range = Some(pad(lo, hi));
                    plot
                }
            }
        })
        .collect();
    let cols = if plots.len() == 1 { 1 } else { 2 };
    let rows = plots.len().div_ceil(cols);
    let size = (if cols == 1 { 900 } else { 1400 }, 60 + 420 * rows as u32);
    drawn(
        "traces",
        LinePlot::grid("The variables at each evaluation", size, cols, &plots),
    )
}

/// A variable's range with 5% room on each side (a range of one value gets ±0.5).
fn pad(lo: f64, hi: f64) -> (f64, f64) {
    let room = if hi > lo { 0.05 * (hi - lo) } else { 0.5 };
    (lo - room, hi + room)
}

/// The numeric variables' fitted lengthscales as bars.
pub fn lengthscales(view: &ModelView) -> Result<String> {
    let numeric: Vec<_> = view.lengthscales.iter().filter(|l| l.numeric).collect();
    let names: Vec<String> = numeric.iter().map(|l| l.name.clone()).collect();
    let values: Vec<f64> = numeric.iter().map(|l| l.value).collect();
    drawn(
        "lengthscales",
        bar_chart(
            "Fitted lengthscales",
            ("variable", "lengthscale (share of the range)"),
            &names,
            &[("lengthscale".to_string(), values, 0)],
            false,
        ),
    )
}

/// The observations in the plane of two objectives or, for more, one panel per pair (at
/// most six, the first objectives' pairs first), the non-dominated ones highlighted.
pub fn pareto(
    campaign: &Campaign,
    obs: &[Observation],
    front: &[usize],
) -> Result<String> {
    let objectives = &campaign.objectives;
    let mut pairs = Vec::new();
    for a in 0..objectives.len() {
        for b in a + 1..objectives.len() {
            pairs.push((a, b));
        }
    }
    pairs.truncate(6);
    let plots: Vec<LinePlot> = pairs
        .iter()
        .map(|&(a, b)| {
            let point = |o: &Observation| (o.values[a], o.values[b]);
            let title =
                format!("{} and {}", objectives[a].name, objectives[b].name);
            let mut plot =
                LinePlot::new(&title, &objectives[a].name, &objectives[b].name)
                    .with(Layer::dots(
                        "observations",
                        obs.iter().map(point).collect(),
                        Colour::Observation,
                    ));
            plot = plot.with(Layer::points(
                "non-dominated",
                front.iter().map(|&i| point(&obs[i])).collect(),
                Colour::Chosen,
                Marker::Square,
            ));
            plot.legend = Legend::UpperRight;
            plot
        })
        .collect();
    if plots.len() == 1 {
        let title = format!("Pareto front of {} observations", obs.len());
        let mut only =
            plots.into_iter().next().ok_or_else(|| Error::failure("no pair"))?;
        only.title = title;
        return drawn("pareto", only.render());
    }
    let cols = 2;
    let rows = plots.len().div_ceil(cols);
    drawn(
        "pareto",
        LinePlot::grid(
            "Observations and the Pareto front",
            (1400, 60 + 420 * rows as u32),
            cols,
            &plots,
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::data::non_dominated;
    use crate::spec::Objective;
    use ndarray::array;

    /// A campaign of one variable; `objectives` replaces its one objective (the campaign
    /// file takes one objective in this version, the report any number).
    fn campaign(objectives: &[(&str, Direction)]) -> Campaign {
        let text = "name = \"t\"\nseed = 1\n[[variables]]\nname = \"x\"\ntype = \"continuous\"\n\
                    lower = 0.0\nupper = 1.0\n[[objectives]]\nname = \"a\"\ndirection = \"max\"\n";
        let mut c = Campaign::parse("t.toml", text).unwrap();
        c.objectives = objectives
            .iter()
            .map(|&(name, direction)| Objective {
                name: name.into(),
                direction,
                reference: None,
            })
            .collect();
        c
    }

    fn observed(values: &[Vec<f64>]) -> Vec<Observation> {
        values
            .iter()
            .enumerate()
            .map(|(k, v)| Observation {
                id: format!("s{k:04}"),
                design: array![k as f64 / 10.0],
                values: v.clone(),
                cost: None,
            })
            .collect()
    }

    #[test]
    fn the_pareto_figure_marks_the_non_dominated_observations() {
        let two = campaign(&[
            ("yield", Direction::Maximise),
            ("cost", Direction::Minimise),
        ]);
        let values =
            vec![vec![1.0, 1.0], vec![2.0, 3.0], vec![1.5, 3.5], vec![3.0, 5.0]];
        let directions: Vec<Direction> =
            two.objectives.iter().map(|o| o.direction).collect();
        let front = non_dominated(&values, &directions).unwrap();
        assert_eq!(front, [0, 1, 3]);
        let svg = pareto(&two, &observed(&values), &front).unwrap();
        assert!(
            svg.starts_with("<svg")
                && svg.contains("Pareto front of 4 observations")
        );
        assert!(
            svg.contains("\nnon-dominated\n") && svg.contains("\nobservations\n")
        );
        // Three objectives: one panel per pair.
        let three = campaign(&[
            ("a", Direction::Maximise),
            ("b", Direction::Maximise),
            ("c", Direction::Minimise),
        ]);
        let values =
            vec![vec![1.0, 0.0, 0.0], vec![0.0, 1.0, 0.0], vec![0.5, 0.5, -1.0]];
        let svg = pareto(&three, &observed(&values), &[0, 1, 2]).unwrap();
        for title in ["\na and b\n", "\na and c\n", "\nb and c\n"] {
            assert!(svg.contains(title), "{title}");
        }
    }
}
