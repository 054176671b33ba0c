//! The figures of chapter 23: the two landscapes, the grid in objective space with its
//! front, the initial design with the reference point, hypervolume against step over
//! seeds, the final fronts, the formulations in input space, and the three decisions.

use super::{quartiles, Grid, Results, SEEDS};
use crate::figures::{
    Colour, ColourBar, DrawResult, Heat, Layer, Legend, LinePlot, Marker, Panel,
};
use gradbo::test_functions::battery::{capacity, efficiency, REFERENCE_POINT};
use gradbo_listings::ch23::campaign::{
    front_rows, hv, Method, N_INIT, SEED, STEPS,
};
use gradbo_listings::ch23::decisions::{decide, EFFICIENCY_THRESHOLD, RULES};
use ndarray::{Array2, ArrayView2, Axis};

/// Two panels side by side.
const WIDE: (u32, u32) = (1500, 640);
/// One panel.
const ONE: (u32, u32) = (900, 640);
/// Grid cells per side of the filled contours.
const CELLS: usize = 70;
/// Filled-contour levels.
const LEVELS: usize = 12;
/// Every how many grid points along each axis the faint cloud shows one (25 × 25 points
/// of the 100 × 100).
const CLOUD_STRIDE: usize = 4;
/// Colours: the grid's front, qEHVI, Sobol, the reference point and threshold.
pub const FRONT: Colour = Colour::Truth;
pub const QEHVI: usize = 0;
pub const SOBOL: usize = 1;
pub const REFERENCE: usize = 2;

fn draw(result: DrawResult<String>) -> String {
    result.expect("chapter 23's figures draw")
}

/// The rows of an (E, C) or (s, a) matrix as points.
pub fn points(y: ArrayView2<'_, f64>, rows: &[usize]) -> Vec<(f64, f64)> {
    rows.iter().map(|&i| (y[[i, 0]], y[[i, 1]])).collect()
}

/// Filled contours of E and of C over the box, each with its grid maximum starred
/// (for C, the first grid point of the plateau at 235).
pub fn landscapes(g: &Grid) -> String {
    let panel =
        |title: &str, f: &dyn Fn(f64, f64) -> f64, label: &str, best: usize| {
            let heat = Heat::function(f, ((0.0, 1.0), (0.0, 1.0)), CELLS);
            let bar = ColourBar::new(label, heat.range(), LEVELS);
            let star = vec![(g.x[[best, 0]], g.x[[best, 1]])];
            let mut p =
                Panel::new(title, "salt concentration s", "additive fraction a")
                    .with(Layer::heat(heat, &bar))
                    .with(Layer::points(
                        "grid maximum",
                        star,
                        Colour::Chosen,
                        Marker::Star,
                    ))
                    .with_bar(bar);
            p.x_range = Some((0.0, 1.0));
            p.y_range = Some((0.0, 1.0));
            p.legend = Some(Legend::LowerRight);
            p
        };
    let panels = [
        panel("Coulombic efficiency E(s, a)", &efficiency, "E", g.best_e),
        panel("Charging capacity C(s, a)", &capacity, "C", g.best_c),
    ];
    draw(Panel::grid("The two objectives over the formulations", WIDE, 2, &panels))
}

/// The faint cloud of grid points in objective space.
pub fn cloud(g: &Grid) -> Layer {
    let n = gradbo::test_functions::battery::GRID_SIZE;
    let rows: Vec<usize> = (0..n)
        .step_by(CLOUD_STRIDE)
        .flat_map(|i| (0..n).step_by(CLOUD_STRIDE).map(move |j| i * n + j))
        .collect();
    Layer::cloud(
        "grid formulations (one in sixteen)",
        points(g.y.view(), &rows),
        Colour::Mean,
    )
}

/// The grid's front as a line (every fifth point, and the two ends, with markers).
pub fn front_line(g: &Grid, label: &str) -> Layer {
    let mut rows: Vec<usize> = g.front.iter().copied().step_by(5).collect();
    if rows.last() != g.front.last() {
        rows.extend(g.front.last());
    }
    Layer::path(label, points(g.y.view(), &rows), FRONT)
}

/// Every grid formulation in objective space with the grid's front and the plateau.
pub fn grid_front(g: &Grid) -> String {
    let mut p = Panel::new(
        "The grid in objective space and its Pareto front",
        "Coulombic efficiency E",
        "charging capacity C",
    )
    .with(cloud(g))
    .with(Layer::dots(
        "capacity plateau (C = 235)",
        points(g.y.view(), &g.plateau),
        SOBOL,
    ))
    .with(front_line(g, "grid Pareto front (every fifth point)"));
    p.legend = Some(Legend::UpperRight);
    draw(p.render(ONE))
}

/// The reference point as a marker, and dashed lines through it.
fn reference_layers(window: ((f64, f64), (f64, f64))) -> Vec<Layer> {
    let [re, rc] = REFERENCE_POINT;
    let ((_, x1), (_, y1)) = window;
    vec![
        Layer::dashed("", vec![(re, rc), (re, y1)], REFERENCE),
        Layer::dashed("", vec![(re, rc), (x1, rc)], REFERENCE),
        Layer::points(
            "reference point r",
            vec![(re, rc)],
            REFERENCE,
            Marker::Cross,
        ),
    ]
}

/// The region a front dominates above r, as a band under its staircase.
fn dominated_region(front: &Array2<f64>, label: &str, colour: usize) -> Layer {
    // Sorted by E ascending: the staircase is C_i on [E_{i−1}, E_i] (E_0 = r_E).
    let mut rows: Vec<(f64, f64)> =
        front.rows().into_iter().map(|p| (p[0], p[1])).collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let [re, rc] = REFERENCE_POINT;
    let (mut x, mut upper) = (Vec::new(), Vec::new());
    let mut left = re;
    for &(e, c) in &rows {
        x.extend([left, e]);
        upper.extend([c, c]);
        left = e;
    }
    let lower = vec![rc; x.len()];
    Layer::spread(label, &x, &lower, &upper, colour)
}

/// The example's initial design over the grid in objective space (left), and the
/// reference point with the region the design's front dominates (right).
pub fn initial(r: &Results) -> String {
    let g = &r.grid;
    let run = r.example(Method::Qehvi);
    let y0 = run.y.slice(ndarray::s![..N_INIT, ..]).to_owned();
    let front = front_rows(y0.view()).expect("a front");
    let all: Vec<usize> = (0..N_INIT).collect();
    let mut left = Panel::new(
        "Ten initial formulations",
        "Coulombic efficiency E",
        "charging capacity C",
    )
    .with(cloud(g))
    .with(front_line(g, "grid Pareto front"))
    .with(Layer::dots(
        "initial design",
        points(y0.view(), &all),
        Colour::Observation,
    ))
    .with(Layer::points(
        "its Pareto points",
        points(y0.view(), &front),
        Colour::Chosen,
        Marker::Star,
    ));
    left.legend = Some(Legend::LowerLeft);
    let window = ((0.87, 1.0), (105.0, 245.0));
    let values = y0.select(Axis(0), &front);
    let mut right = Panel::new(
        &format!("Hypervolume {:.4} above r", run.hypervolume[0]),
        "Coulombic efficiency E",
        "charging capacity C",
    )
    .with(dominated_region(&values, "region the design dominates", QEHVI))
    .with(front_line(g, "grid Pareto front"))
    .with(Layer::points(
        "its Pareto points",
        points(y0.view(), &front),
        Colour::Chosen,
        Marker::Star,
    ));
    for layer in reference_layers(window) {
        right = right.with(layer);
    }
    right.x_range = Some(window.0);
    right.y_range = Some(window.1);
    right.legend = Some(Legend::LowerLeft);
    draw(Panel::grid(
        "The initial design and the reference point",
        WIDE,
        2,
        &[left, right],
    ))
}

/// Hypervolume against step: medians over seeds with quartile bands, the example's runs,
/// and the grid front's hypervolume dashed.
pub fn hypervolume(r: &Results) -> String {
    let steps: Vec<f64> = (0..=STEPS).map(|k| k as f64).collect();
    let mut plot = LinePlot::new(
        &format!("Hypervolume over {} seeds", SEEDS.len()),
        "step (0 = the ten-point design)",
        "hypervolume of the observations",
    );
    for (name, runs, colour) in
        [("qEHVI", &r.qehvi, QEHVI), ("Sobol", &r.sobol, SOBOL)]
    {
        let q: Vec<[f64; 3]> = (0..=STEPS)
            .map(|k| {
                quartiles(
                    &runs.iter().map(|run| run.hypervolume[k]).collect::<Vec<_>>(),
                )
            })
            .collect();
        let lower: Vec<f64> = q.iter().map(|m| m[1]).collect();
        let upper: Vec<f64> = q.iter().map(|m| m[2]).collect();
        let median = steps.iter().zip(&q).map(|(&x, m)| (x, m[0])).collect();
        plot = plot.with(Layer::spread("", &steps, &lower, &upper, colour)).with(
            Layer::line(format!("{name}, median and quartiles"), median, colour),
        );
    }
    for (name, method, colour) in
        [("qEHVI", Method::Qehvi, QEHVI), ("Sobol", Method::Sobol, SOBOL)]
    {
        let run = r.example(method);
        let pts =
            steps.iter().zip(&run.hypervolume).map(|(&x, &h)| (x, h)).collect();
        plot = plot.with(Layer::path(format!("{name}, seed {SEED}"), pts, colour));
    }
    let grid_hv = hv(r.grid.front_values().view()).expect("finite");
    plot = plot.with(Layer::dashed(
        "grid Pareto front",
        vec![(0.0, grid_hv), (STEPS as f64, grid_hv)],
        FRONT,
    ));
    plot.legend = Legend::LowerRight;
    plot.x_range = Some((0.0, STEPS as f64));
    draw(plot.render())
}

/// The example's final observations and fronts, qEHVI (left) and Sobol (right).
pub fn fronts(r: &Results) -> String {
    let g = &r.grid;
    let window = ((0.87, 1.0), (105.0, 245.0));
    let panels: Vec<Panel> = [(Method::Qehvi, QEHVI), (Method::Sobol, SOBOL)]
        .into_iter()
        .map(|(method, colour)| {
            let run = r.example(method);
            let front = run.front().expect("a front");
            let all: Vec<usize> = (0..run.y.nrows()).collect();
            let mut p = Panel::new(
                &format!(
                    "{}: {} Pareto points, hypervolume {:.4}",
                    method.name(),
                    front.len(),
                    run.hypervolume[STEPS]
                ),
                "Coulombic efficiency E",
                "charging capacity C",
            )
            .with(dominated_region(
                &run.y.select(Axis(0), &front),
                "region dominated",
                colour,
            ))
            .with(front_line(g, "grid Pareto front"))
            .with(Layer::dots("observations", points(run.y.view(), &all), colour))
            .with(Layer::points(
                "observed Pareto points",
                points(run.y.view(), &front),
                Colour::Chosen,
                Marker::Star,
            ));
            for layer in reference_layers(window) {
                p = p.with(layer);
            }
            p.x_range = Some(window.0);
            p.y_range = Some(window.1);
            p.legend = Some(Legend::LowerLeft);
            p
        })
        .collect();
    draw(Panel::grid(
        &format!("Final observations and fronts, seed {SEED}"),
        WIDE,
        2,
        &panels,
    ))
}

/// Where the example's qEHVI run evaluated, in the input square, over the grid front's
/// formulations (the Pareto set).
pub fn inputs(r: &Results) -> String {
    let g = &r.grid;
    let run = r.example(Method::Qehvi);
    let front = run.front().expect("a front");
    let design: Vec<usize> = (0..N_INIT).collect();
    let chosen: Vec<usize> = (N_INIT..run.x.nrows()).collect();
    let mut p = Panel::new(
        &format!("Formulations evaluated by qEHVI, seed {SEED}"),
        "salt concentration s",
        "additive fraction a",
    )
    .with(Layer::cloud(
        "Pareto-optimal grid formulations",
        points(g.x.view(), &g.front),
        Colour::Truth,
    ))
    .with(Layer::points(
        "initial design",
        points(run.x.view(), &design),
        Colour::Observation,
        Marker::Square,
    ))
    .with(Layer::dots("qEHVI proposals", points(run.x.view(), &chosen), QEHVI))
    .with(Layer::points(
        "final Pareto formulations",
        points(run.x.view(), &front),
        Colour::Chosen,
        Marker::Star,
    ));
    p.x_range = Some((0.0, 1.0));
    p.y_range = Some((0.0, 1.0));
    p.legend = Some(Legend::UpperLeft);
    draw(p.render(ONE))
}

/// The three rules' choices on the example's qEHVI front, with the efficiency threshold.
pub fn decisions(r: &Results) -> String {
    let run = r.example(Method::Qehvi);
    let front = run.front().expect("a front");
    let values = run.y.select(Axis(0), &front);
    let choices = decide(values.view()).expect("the rules apply");
    let all: Vec<usize> = (0..values.nrows()).collect();
    let mut p = Panel::new(
        &format!("Three rules on the qEHVI front, seed {SEED}"),
        "Coulombic efficiency E",
        "charging capacity C",
    )
    .with(Layer::shade(
        format!("E ≥ {EFFICIENCY_THRESHOLD}"),
        EFFICIENCY_THRESHOLD,
        1.0,
        REFERENCE,
    ))
    .with(Layer::vline(EFFICIENCY_THRESHOLD, REFERENCE))
    .with(Layer::path("learned front", points(values.view(), &all), QEHVI));
    let markers =
        [(Marker::Square, 1usize), (Marker::Triangle, 3), (Marker::Star, 4)];
    for ((name, c), (marker, colour)) in RULES.iter().zip(&choices).zip(markers) {
        p = p.with(Layer::points(
            *name,
            points(values.view(), &[c.index]),
            colour,
            marker,
        ));
    }
    let (e_lo, e_hi) = super::report::range(values.column(0).iter().copied());
    let (c_lo, c_hi) = super::report::range(values.column(1).iter().copied());
    let pad_e = 0.08 * (e_hi - e_lo);
    let pad_c = 0.08 * (c_hi - c_lo);
    p.x_range = Some((e_lo - pad_e, e_hi + pad_e));
    p.y_range = Some((c_lo - pad_c, c_hi + pad_c));
    p.legend = Some(Legend::UpperRight);
    draw(p.render(ONE))
}
