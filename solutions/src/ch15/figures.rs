//! Chapter 15's figures.

use super::compute::{curve, Curve, Run};
use crate::figures::{Colour, Layer, Legend, Marker, Panel};
use gradbo::test_functions::TestProblem;
use ndarray::{Array1, Array2};

/// Colours kept across the chapter, beside the model pictures' [`Colour`] roles: LogEI orange
/// (the chosen point's colour), PI purple, UCB green; starts of local runs vermilion, their
/// ends sky blue; the raw points black; the global minimum green, the local one purple.
const LOG_EI: Colour = Colour::Chosen;
const PI: Colour = Colour::Palette(3);
const UCB: Colour = Colour::Palette(2);
const START: Colour = Colour::Palette(1);
const END: Colour = Colour::Palette(5);
const RAW: Colour = Colour::Palette(6);
const GLOBAL: Colour = Colour::Palette(2);
const LOCAL: Colour = Colour::Palette(3);

const WIDE: (u32, u32) = (1000, 600);

fn xs(grid: &Array2<f64>) -> Vec<f64> {
    grid.column(0).to_vec()
}

fn pairs(x: &[f64], y: &Array1<f64>) -> Vec<(f64, f64)> {
    x.iter().copied().zip(y.iter().copied()).collect()
}

/// The posterior's band and mean, the truth and the data on one panel.
fn model_panel(
    title: &str,
    run: &Run,
    c: &Curve,
    x: &Array2<f64>,
    y: &Array1<f64>,
    legend: bool,
) -> Panel {
    let g = xs(&run.grid);
    let lower: Vec<f64> =
        c.mean.iter().zip(&c.sd).map(|(m, s)| m - 2.0 * s).collect();
    let upper: Vec<f64> =
        c.mean.iter().zip(&c.sd).map(|(m, s)| m + 2.0 * s).collect();
    let truth: Vec<(f64, f64)> = g.iter().map(|&x| (x, run.f.eval(x))).collect();
    let data: Vec<(f64, f64)> =
        x.column(0).iter().copied().zip(y.iter().copied()).collect();
    let mut p = Panel::new(title, "x", "f(x)")
        .with(Layer::band("μ ± 2σ", &g, &lower, &upper, Colour::Mean))
        .with(Layer::line("true f", truth, Colour::Truth))
        .with(Layer::line("posterior mean μ", pairs(&g, &c.mean), Colour::Mean))
        .with(Layer::dots("observations", data, Colour::Observation));
    // Room above the curves for the legend, where there is one.
    p.y_range = Some((-1.4, if legend { 2.4 } else { 1.2 }));
    p.legend = legend.then_some(Legend::UpperLeft);
    p
}

fn minima_layers(run: &Run) -> [Layer; 2] {
    let f = &run.f;
    let right = *f.local_minima().last().expect("minima");
    [
        Layer::points(
            "global minimum",
            vec![(f.minimiser(), f.optimal_value())],
            GLOBAL,
            Marker::Cross,
        ),
        Layer::points(
            "right-hand basin (local)",
            vec![right],
            LOCAL,
            Marker::Cross,
        ),
    ]
}

pub fn posterior(run: &Run) -> String {
    let [global, local] = minima_layers(run);
    let p = model_panel(
        "The posterior from ten noisy observations",
        run,
        &run.before,
        &run.x,
        &run.y,
        true,
    )
    .with(global)
    .with(local);
    p.render(WIDE).expect("figure")
}

/// Each function's colour.
fn colour_of(name: &str) -> Colour {
    match name {
        "LogEI" => LOG_EI,
        "PI" => PI,
        _ => UCB,
    }
}

/// Each function's mark at `at`: a star for LogEI, a square for PI, a triangle for UCB.
fn mark(
    name: &str,
    label: impl Into<String>,
    at: (f64, f64),
    colour: Colour,
) -> Layer {
    let marker = match name {
        "LogEI" => Marker::Star,
        "PI" => Marker::Square,
        _ => Marker::Triangle,
    };
    Layer::points(label, vec![at], colour, marker)
}

pub fn acquisitions(run: &Run) -> String {
    let g = xs(&run.grid);
    let panels: Vec<Panel> = run
        .choices
        .iter()
        .map(|c| {
            let colour = colour_of(c.name);
            // LogEI reaches about −600 where the mean is far above the incumbent; the
            // interesting part is the top.
            let (lo, hi) = if c.name == "LogEI" {
                (-40.0, 0.0)
            } else {
                let hi = c.on_grid.fold(f64::NEG_INFINITY, |m, v| m.max(*v));
                let lo = c.on_grid.fold(f64::INFINITY, |m, v| m.min(*v));
                (lo - 0.05 * (hi - lo), hi + 0.1 * (hi - lo))
            };
            let mut p = Panel::new(c.name, "x", c.name)
                .with(Layer::line(c.name, pairs(&g, &c.on_grid), colour))
                .with(mark(
                    c.name,
                    format!("maximiser x = {:.4}", c.x()),
                    (c.x(), c.found.value),
                    colour,
                ));
            p.y_range = Some((lo, hi));
            p.legend = Some(Legend::LowerLeft);
            p
        })
        .collect();
    Panel::grid(
        "UCB, PI and LogEI on the grid (minimising f)",
        (1000, 1200),
        1,
        &panels,
    )
    .expect("figure")
}

pub fn optimize(run: &Run) -> String {
    let g = xs(&run.grid);
    let c = &run.choices[0];
    let raw: Vec<(f64, f64)> = run
        .raw
        .column(0)
        .iter()
        .copied()
        .zip(run.raw_log_ei.iter().copied())
        .collect();
    let mut p =
        Panel::new("optimize_acqf on LogEI: starts and local runs", "x", "LogEI")
            .with(Layer::line("LogEI", pairs(&g, &c.on_grid), LOG_EI))
            .with(Layer::dots("50 Sobol raw points", raw, RAW));
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    for (i, r) in c.found.runs.iter().enumerate() {
        starts.push((r.start[0], r.start_value));
        if let Ok((x, v, _)) = &r.end {
            ends.push((x[0], *v));
            let label = if i == 0 { "local run" } else { "" };
            p = p.with(Layer::line(
                label,
                vec![(r.start[0], r.start_value), (x[0], *v)],
                START,
            ));
        }
    }
    p = p
        .with(Layer::points("10 starts", starts, START, Marker::Square))
        .with(Layer::points("ends", ends, END, Marker::Dot))
        .with(Layer::points(
            "candidate",
            vec![(c.x(), c.found.value)],
            Colour::Chosen,
            Marker::Star,
        ));
    // Room below the lowest start for the legend.
    p.y_range = Some((-115.0, 0.0));
    p.legend = Some(Legend::LowerRight);
    p.render((1000, 700)).expect("figure")
}

/// The posterior mean at the grid point nearest x.
fn mean_near(run: &Run, c: &Curve, x: f64) -> f64 {
    let i = run
        .grid
        .column(0)
        .iter()
        .enumerate()
        .fold((0, f64::INFINITY), |b, (i, g)| {
            if (g - x).abs() < b.1 {
                (i, (g - x).abs())
            } else {
                b
            }
        })
        .0;
    c.mean[i]
}

pub fn candidates(run: &Run) -> String {
    // The whole posterior, and a close-up of the dip where the three candidates lie.
    let window = (-0.75, 0.05);
    let panel = |title: &str, zoom: bool| {
        let mut p = model_panel(title, run, &run.before, &run.x, &run.y, !zoom);
        if zoom {
            p.x_range = Some(window);
            p.y_range = Some((-1.1, -0.3));
            p.legend = Some(Legend::LowerLeft);
        }
        // UCB first and LogEI last, so that the star stays on top.
        for c in run.choices.iter().rev() {
            p = p.with(mark(
                c.name,
                format!("{} x = {:.4}", c.name, c.x()),
                (c.x(), mean_near(run, &run.before, c.x())),
                colour_of(c.name),
            ));
        }
        p
    };
    let panels = [
        panel("The posterior on [−3, 3]", false),
        panel("Close-up of the narrow dip", true),
    ];
    Panel::grid(
        "The three candidates on the posterior mean",
        (1000, 1100),
        1,
        &panels,
    )
    .expect("figure")
}

pub fn consequences(run: &Run) -> String {
    let panels: Vec<Panel> = run
        .choices
        .iter()
        .enumerate()
        .map(|(k, c)| {
            model_panel(
                &format!(
                    "after {}'s step: f({:.4}) = {:.4}",
                    c.name,
                    c.x(),
                    c.f_next
                ),
                run,
                &c.after,
                &c.x_after,
                &c.y_after,
                k == 0,
            )
            .with(mark(
                c.name,
                "new point",
                (c.x(), c.f_next),
                colour_of(c.name),
            ))
        })
        .collect();
    Panel::grid(
        "One step of each function: evaluate, append, refit",
        (1000, 1300),
        1,
        &panels,
    )
    .expect("figure")
}

pub fn demo(run: &Run) -> String {
    let (x, y, step) = &run.demo;
    let p = &step.proposals[0];
    let g = xs(&run.grid);
    let c = curve(&step.model, &run.grid);
    let top =
        model_panel("Twelve noise-free points: the posterior", run, &c, x, y, true)
            .with(Layer::points(
                format!("LogEI's candidate x = {:.4}", p.candidate[0]),
                vec![(p.candidate[0], mean_near(run, &c, p.candidate[0]))],
                Colour::Chosen,
                Marker::Star,
            ));
    let mut bottom = Panel::new("LogEI", "x", "LogEI")
        .with(Layer::line("LogEI", pairs(&g, &p.on_grid), LOG_EI))
        .with(Layer::points(
            "maximum",
            vec![(p.candidate[0], p.value)],
            Colour::Chosen,
            Marker::Star,
        ));
    bottom.y_range = Some((-40.0, 0.0));
    bottom.legend = Some(Legend::LowerLeft);
    Panel::grid(
        "The reusable step: minimising with LogEI",
        (1000, 1000),
        1,
        &[top, bottom],
    )
    .expect("figure")
}
