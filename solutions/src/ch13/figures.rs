//! Chapter 13's figures.

use super::{
    after, global, moments, picks, smallest, start, Problem, BETA, EI, LCB, NEXT,
    PI, RULES,
};
use crate::figures::{Colour, Layer, Legend, Marker, Panel};
use gradbo::test_functions::{harder_example as g, running_example as f};
use gradbo_listings::ch13::acquisition::lcb;
use gradbo_listings::ch13::bo_loop::{
    acquisition, best_so_far, local_minima, surrogate, History, Rule,
};
use gradbo_listings::ch13::selection::{argmax, argmin};
use ndarray::Array1;

/// The states of the loops shown in the panel figures.
const STATES_F: [usize; 3] = [0, 2, 5];
const STATES_G: [usize; 5] = [0, 2, 4, 6, 8];
/// The vertical windows of the posterior panels, with room for a legend above the curves.
const F_RANGE: (f64, f64) = (-3.5, 4.0);
const G_RANGE: (f64, f64) = (-1.5, 5.0);

/// The posterior of the course GP on (x, y) drawn over the problem's grid, with the true
/// objective and the observations.
fn posterior_panel(title: &str, p: &Problem, x: &[f64], y: &[f64]) -> Panel {
    let gp = surrogate(x, y).expect("valid");
    let (mean, sd) = moments(&gp, &p.grid);
    let lower: Vec<f64> = mean.iter().zip(&sd).map(|(m, s)| m - 2.0 * s).collect();
    let upper: Vec<f64> = mean.iter().zip(&sd).map(|(m, s)| m + 2.0 * s).collect();
    let truth = p.grid.iter().map(|&x| (x, (p.objective)(x))).collect();
    let mut panel = Panel::new(title, "x", &format!("{}(x)", p.name))
        .with(Layer::band("μ ± 2σ", &p.grid, &lower, &upper, Colour::Mean))
        .with(Layer::line(format!("true {}", p.name), truth, Colour::Truth))
        .with(Layer::line(
            "posterior mean μ",
            p.grid.iter().copied().zip(mean).collect(),
            Colour::Mean,
        ))
        .with(Layer::points(
            "observations",
            x.iter().copied().zip(y.iter().copied()).collect(),
            Colour::Truth,
            Marker::Dot,
        ));
    panel.x_range = Some(p.range);
    panel
}

/// The posterior mean at one point.
fn mean_at(x: &[f64], y: &[f64], at: f64) -> f64 {
    moments(&surrogate(x, y).expect("valid"), &[at]).0[0]
}

pub(super) fn mean_choice_figure() -> String {
    let (grid, x, y, _, s) = start();
    let i = argmin(&s.mean);
    let mut panel = posterior_panel(
        "The posterior of chapter 12 and the point of lowest mean",
        &Problem::f(),
        &x,
        &y,
    )
    .with(Layer::points(
        format!("argmin μ: x = {:.4}", grid[i]),
        vec![(grid[i], s.mean[i])],
        NEXT,
        Marker::Star,
    ))
    .with(Layer::points(
        "f at that x",
        vec![(grid[i], f(grid[i]))],
        NEXT,
        Marker::Cross,
    ))
    .with(Layer::vline(grid[i], NEXT));
    panel.y_range = Some(F_RANGE);
    panel.legend = Some(Legend::UpperRight);
    panel.render((900, 560)).expect("draws")
}

fn curve(grid: &[f64], v: &[f64]) -> Vec<(f64, f64)> {
    grid.iter().copied().zip(v.iter().copied()).collect()
}

pub(super) fn acquisitions_figure() -> String {
    let (grid, _, _, _, s) = start();
    let lcb2: Vec<f64> =
        s.mean.iter().zip(&s.sd).map(|(m, d)| lcb(*m, *d, BETA)).collect();
    let (l1, l2, p, e) =
        (argmin(&s.lcb), argmin(&lcb2), argmax(&s.pi), argmax(&s.ei));
    let mut lcb_panel =
        Panel::new("LCB = μ − βσ (smaller is better)", "x", "LCB(x)")
            .with(Layer::line("μ (β = 0)", curve(&grid, &s.mean), Colour::Mean))
            .with(Layer::line("β = 1", curve(&grid, &s.lcb), LCB))
            .with(Layer::dashed("β = 2", curve(&grid, &lcb2), LCB))
            .with(Layer::points(
                format!(
                    "argmin: x = {:.4} (β = 1), {:.4} (β = 2)",
                    grid[l1], grid[l2]
                ),
                vec![(grid[l1], s.lcb[l1]), (grid[l2], lcb2[l2])],
                NEXT,
                Marker::Star,
            ));
    lcb_panel.y_range = Some((-3.6, 2.8));
    lcb_panel.legend = Some(Legend::UpperRight);
    let mut pi_panel = Panel::new("probability of improvement", "x", "PI(x)")
        .with(Layer::line("PI", curve(&grid, &s.pi), PI))
        .with(Layer::points(
            format!("argmax: x = {:.4}", grid[p]),
            vec![(grid[p], s.pi[p])],
            NEXT,
            Marker::Star,
        ))
        .with(Layer::vline(grid[p], NEXT));
    pi_panel.y_range = Some((-0.05, 1.15));
    let mut ei_panel = Panel::new("expected improvement", "x", "EI(x)")
        .with(Layer::line("EI", curve(&grid, &s.ei), EI))
        .with(Layer::points(
            format!("argmax: x = {:.4}", grid[e]),
            vec![(grid[e], s.ei[e])],
            NEXT,
            Marker::Star,
        ))
        .with(Layer::vline(grid[e], NEXT));
    ei_panel.y_range = Some((-0.05, 1.65));
    Panel::grid(
        "Three acquisition functions on the same posterior (f* = −0.608)",
        (1100, 1150),
        1,
        &[lcb_panel, pi_panel, ei_panel],
    )
    .expect("draws")
}

pub(super) fn pi_vs_ei_figure() -> String {
    let (grid, x, y, _, s) = start();
    let pf = Problem::f();
    let mut out = Vec::new();
    for (name, i) in [("PI", argmax(&s.pi)), ("EI", argmax(&s.ei))] {
        let at = grid[i];
        let before =
            posterior_panel(&format!("{name} picks x = {at:.4}"), &pf, &x, &y)
                .with(Layer::points(
                    "next point, at μ",
                    vec![(at, s.mean[i])],
                    NEXT,
                    Marker::Star,
                ))
                .with(Layer::vline(at, NEXT));
        let (x2, y2) = after(&x, &y, at);
        let after_panel = posterior_panel(
            &format!("after evaluating it: f = {:.4}", f(at)),
            &pf,
            &x2,
            &y2,
        )
        .with(Layer::points(
            "new observation",
            vec![(at, f(at))],
            NEXT,
            Marker::Star,
        ));
        out.push(before);
        out.push(after_panel);
    }
    for p in out.iter_mut() {
        p.y_range = Some(F_RANGE);
        p.legend = None;
    }
    out[0].legend = Some(Legend::UpperLeft);
    out[1].legend = Some(Legend::UpperLeft);
    Panel::grid(
        "The PI pick and the EI pick, before and after the evaluation",
        (1200, 860),
        2,
        &out,
    )
    .expect("draws")
}

/// Top row: the posterior at each state with the next EI point; bottom row: EI with the
/// evaluated candidates blanked out.
fn loop_panels(
    p: &Problem,
    h: &History,
    states: &[usize],
    y_range: (f64, f64),
    legend: Legend,
) -> Vec<Panel> {
    let mut top = Vec::new();
    let mut bottom = Vec::new();
    let added = picks(h);
    for &k in states {
        let (x, y) = &h[k];
        let gp = surrogate(x, y).expect("valid");
        let best = smallest(y);
        let mut score = acquisition(&gp, &p.grid, best, Rule::ExpectedImprovement)
            .expect("valid");
        for (c, v) in p.grid.iter().zip(score.iter_mut()) {
            if x.iter().any(|xi| (xi - c).abs() < 1e-6) {
                *v = f64::NAN;
            }
        }
        let title = if k == 0 {
            "start".to_string()
        } else {
            format!("after {k} step{}", if k == 1 { "" } else { "s" })
        };
        let mut post = posterior_panel(&title, p, x, y);
        let mut acq =
            Panel::new(&format!("EI, {title}"), "x", "EI(x)").with(Layer::line(
                "EI (evaluated points blanked)",
                curve(&p.grid, &score),
                EI,
            ));
        if let Some(&next) = added.get(k) {
            post = post
                .with(Layer::points(
                    "next EI point, at μ",
                    vec![(next, mean_at(x, y, next))],
                    NEXT,
                    Marker::Star,
                ))
                .with(Layer::vline(next, NEXT));
            acq = acq.with(Layer::vline(next, NEXT));
        }
        post.y_range = Some(y_range);
        post.legend = None;
        acq.legend = None;
        acq.x_range = Some(p.range);
        top.push(post);
        bottom.push(acq);
    }
    top[0].legend = Some(legend);
    top.extend(bottom);
    top
}

pub(super) fn loop_figure() -> String {
    let p = Problem::f();
    let h = p.run(Rule::ExpectedImprovement);
    Panel::grid(
        "Five steps of EI on the running example: states 0, 2 and 5",
        (1500, 900),
        STATES_F.len(),
        &loop_panels(&p, &h, &STATES_F, F_RANGE, Legend::UpperLeft),
    )
    .expect("draws")
}

pub(super) fn best_figure(p: &Problem) -> String {
    let (xm, vm) = p.minimum();
    let steps = p.steps as f64;
    let mut left =
        Panel::new("best value so far", "step", &format!("min {}", p.name));
    let mut right = Panel::new("where each step evaluated", "step", "x evaluated");
    // Each rule is shifted sideways a little, so that identical runs stay visible.
    let mut start = 0.0;
    for (k, (rule, name, colour)) in RULES.into_iter().enumerate() {
        let dodge = 0.1 * (k as f64 - 1.0);
        let h = p.run(rule);
        let best: Vec<(f64, f64)> = best_so_far(&h)
            .iter()
            .enumerate()
            .map(|(k, b)| (k as f64 + dodge, *b))
            .collect();
        start = best[0].1;
        left = left
            .with(Layer::line(name, best.clone(), colour))
            .with(Layer::points("", best, colour, Marker::Dot));
        let xs: Vec<(f64, f64)> = picks(&h)
            .iter()
            .enumerate()
            .map(|(k, x)| ((k + 1) as f64 + dodge, *x))
            .collect();
        right = right.with(Layer::points(name, xs, colour, Marker::Dot));
    }
    left = left.with(Layer::dashed(
        format!("true minimum {vm:.4}"),
        vec![(0.0, vm), (steps, vm)],
        Colour::Truth,
    ));
    right = right.with(Layer::dashed(
        format!("true minimiser x = {xm:.4}"),
        vec![(0.0, xm), (steps, xm)],
        Colour::Truth,
    ));
    left.x_range = Some((-0.3, steps + 0.3));
    right.x_range = Some((-0.3, steps + 0.3));
    let span = start - vm;
    left.y_range = Some((vm - 0.08 * span, start + 0.8 * span));
    right.y_range = Some((p.range.0 - 0.2, p.range.1 + 2.6));
    left.legend = Some(Legend::UpperRight);
    right.legend = Some(Legend::UpperRight);
    Panel::grid(
        &format!("EI, LCB and the mean alone on {}: progress and picks", p.name),
        (1300, 560),
        2,
        &[left, right],
    )
    .expect("draws")
}

pub(super) fn harder_figure() -> String {
    let p = Problem::g();
    let fine: Vec<f64> = Array1::linspace(-3.5, 3.5, 1400).to_vec();
    let minima = local_minima(g, -3.5, 3.5);
    let (xm, vm) = global(&minima);
    let dip = minima
        .iter()
        .copied()
        .find(|m| (m.0 - 2.12).abs() < 0.1)
        .expect("the narrow dip");
    let mut panel = Panel::new(
        "The harder objective g: a broad global basin and a narrow local dip",
        "x",
        "g(x)",
    )
    .with(Layer::line(
        "g",
        fine.iter().map(|&x| (x, g(x))).collect(),
        Colour::Truth,
    ))
    .with(Layer::points(
        "local minima",
        minima.clone(),
        Colour::Mean,
        Marker::Cross,
    ))
    .with(Layer::points("global minimum", vec![(xm, vm)], LCB, Marker::Cross))
    .with(Layer::points(
        "initial design",
        p.x.iter().map(|&x| (x, g(x))).collect(),
        Colour::Truth,
        Marker::Dot,
    ))
    .with(Layer::Text {
        at: (xm, vm - 0.15),
        text: format!("global: x = {xm:.3}, g = {vm:.3}"),
    })
    .with(Layer::Text {
        at: (dip.0, dip.1 - 0.15),
        text: format!("local: x = {:.3}, g = {:.3}", dip.0, dip.1),
    });
    panel.y_range = Some((-0.7, 1.5));
    panel.render((1000, 560)).expect("draws")
}

pub(super) fn harder_loop_figure() -> String {
    let p = Problem::g();
    let h = p.run(Rule::ExpectedImprovement);
    let minima = local_minima(g, -3.5, 3.5);
    let (xm, vm) = global(&minima);
    let dip =
        minima.iter().copied().find(|m| (m.0 - 2.12).abs() < 0.1).expect("dip");
    let n = STATES_G.len();
    let mut panels = loop_panels(&p, &h, &STATES_G, G_RANGE, Legend::UpperLeft);
    for panel in panels.iter_mut().take(n) {
        panel.layers.push(Layer::points(
            "global minimum",
            vec![(xm, vm)],
            LCB,
            Marker::Cross,
        ));
        panel.layers.push(Layer::points(
            "narrow local dip",
            vec![dip],
            Colour::Mean,
            Marker::Cross,
        ));
    }
    // One row per state, posterior beside EI: five columns would be too narrow to read.
    let (top, bottom) = panels.split_at_mut(n);
    let mut rows = Vec::new();
    for (post, acq) in top.iter_mut().zip(bottom.iter_mut()) {
        rows.push(std::mem::replace(post, Panel::new("", "", "")));
        rows.push(std::mem::replace(acq, Panel::new("", "", "")));
    }
    Panel::grid(
        "Eight steps of EI on g: states 0, 2, 4, 6 and 8",
        (1300, 2300),
        2,
        &rows,
    )
    .expect("draws")
}
