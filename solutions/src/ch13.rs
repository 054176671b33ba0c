//! Chapter 13, choosing where to evaluate next: the mean-only choice, LCB, PI and EI on the
//! course GP, their picks and what each pick teaches the model, grid-based BO loops with EI
//! and LCB on the running example and on a harder objective, figures and exercise answers.

use crate::figures::{Colour, Layer, Legend, Marker, Panel};
use crate::report::Report;
use crate::{Artifact, Context};
use gradbo::acquisition::{expected_improvement, log_expected_improvement};
use gradbo::gp::{fit, FitOptions, Gp, KernelKind};
use gradbo::numeric::column;
use gradbo::test_functions::{harder_example as g, running_example as f};
use gradbo_listings::ch13::acquisition::{ei, lcb, pi};
use gradbo_listings::ch13::bo_loop::{
    acquisition, best_so_far, bo_loop, local_minima, surrogate, History, Rule,
};
use gradbo_listings::ch13::selection::{argmax, argmin, scores, setting, Scores};
use ndarray::Array1;
use std::fmt::Write as _;

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part3", "ch13");
/// Steps of the loop on the running example, and on the harder objective.
const STEPS_F: usize = 5;
const STEPS_G: usize = 8;
/// The σ-multiplier of the LCB loops.
const BETA: f64 = 2.0;
/// The three rules the loops compare: EI, LCB with β = 2, and the mean alone (β = 0).
const RULES: [(Rule, &str, Colour); 3] = [
    (Rule::ExpectedImprovement, "EI", Colour::Palette(EI)),
    (Rule::LowerConfidenceBound { beta: BETA }, "LCB, β = 2", Colour::Palette(LCB)),
    (Rule::LowerConfidenceBound { beta: 0.0 }, "mean only", Colour::Mean),
];
/// The sizes of the evenly spaced initial designs in the design sweep.
const DESIGNS: std::ops::RangeInclusive<usize> = 3..=10;
/// The states of the loops shown in the panel figures.
const STATES_F: [usize; 3] = [0, 2, 5];
const STATES_G: [usize; 5] = [0, 2, 4, 6, 8];
/// PI margins and LCB multipliers of the exercises.
const XIS: [f64; 4] = [0.0, 0.01, 0.05, 0.1];
const BETAS: [f64; 4] = [0.5, 1.0, 2.0, 3.0];

/// Everything chapter 13 shows.
pub fn run() -> Vec<Artifact> {
    vec![
        Artifact::new(CTX.output(), report()),
        Artifact::new(CTX.figure("mean-choice"), mean_choice_figure()),
        Artifact::new(CTX.figure("acquisitions"), acquisitions_figure()),
        Artifact::new(CTX.figure("pi-vs-ei"), pi_vs_ei_figure()),
        Artifact::new(CTX.figure("loop"), loop_figure()),
        Artifact::new(CTX.figure("best-so-far"), best_figure(&Problem::f())),
        Artifact::new(CTX.figure("harder"), harder_figure()),
        Artifact::new(CTX.figure("harder-loop"), harder_loop_figure()),
        Artifact::new(CTX.figure("harder-best"), best_figure(&Problem::g())),
    ]
}

// ---------------------------------------------------------------- the two problems

/// An objective with its candidate grid and initial design.
struct Problem {
    name: &'static str,
    objective: fn(f64) -> f64,
    grid: Vec<f64>,
    x: Vec<f64>,
    steps: usize,
    range: (f64, f64),
}

impl Problem {
    /// The running example: 400 candidates on [−3, 3], eight points on [−1.5, 1.5].
    fn f() -> Self {
        let (grid, x, _) = setting();
        Problem {
            name: "f",
            objective: f,
            grid,
            x,
            steps: STEPS_F,
            range: (-3.0, 3.0),
        }
    }

    /// The harder objective: 500 candidates on [−3.5, 3.5], six points spread over it.
    fn g() -> Self {
        Problem {
            name: "g",
            objective: g,
            grid: Array1::linspace(-3.5, 3.5, 500).to_vec(),
            x: Array1::linspace(-3.5, 3.5, 6).to_vec(),
            steps: STEPS_G,
            range: (-3.5, 3.5),
        }
    }

    fn y(&self) -> Vec<f64> {
        self.x.iter().map(|&x| (self.objective)(x)).collect()
    }

    fn run(&self, rule: Rule) -> History {
        bo_loop(
            self.objective,
            &self.grid,
            self.x.clone(),
            self.y(),
            self.steps,
            rule,
        )
        .expect("the loop runs")
    }

    /// The global minimum (x, value), from all local minima.
    fn minimum(&self) -> (f64, f64) {
        global(&local_minima(self.objective, self.range.0, self.range.1))
    }
}

fn global(minima: &[(f64, f64)]) -> (f64, f64) {
    minima.iter().copied().fold((f64::NAN, f64::INFINITY), |b, m| {
        if m.1 < b.1 {
            m
        } else {
            b
        }
    })
}

fn smallest(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

/// Mean and standard deviation of a GP at the points `xs`.
fn moments(gp: &Gp, xs: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let p = gp.predict(column(xs).view()).expect("valid");
    (p.mean.to_vec(), p.variance.iter().map(|v| v.sqrt()).collect())
}

/// The points added by a loop, in order.
fn picks(history: &History) -> Vec<f64> {
    let last = &history[history.len() - 1].0;
    last[history[0].0.len()..].to_vec()
}

/// The starting scores on the running example.
fn start() -> (Vec<f64>, Vec<f64>, Vec<f64>, f64, Scores) {
    let (grid, x, y) = setting();
    let best = smallest(&y);
    let s = scores(&surrogate(&x, &y).expect("valid"), &grid, best).expect("valid");
    (grid, x, y, best, s)
}

// ---------------------------------------------------------------- report

fn report() -> String {
    let mut r = Report::new();
    let (grid, x, y, best, s) = start();
    let at = argmin(&y);
    r.section(
        "incumbent",
        format!(
            "best observation f* = {best:+.5} at x = {:+.4}\n\
             true minimum of f on [−3, 3]: {:+.6} at x = {:+.4}\n",
            x[at],
            Problem::f().minimum().1,
            Problem::f().minimum().0
        ),
    );
    r.section("two-candidates", two_candidates());
    r.section("choices", choices_table(&grid, best, &s));
    r.section("pi-vs-ei", pi_vs_ei_text(&x, &y));
    r.section("logei", logei_text());
    let pf = Problem::f();
    r.section("loop", loop_text(&pf, pf.run(Rule::ExpectedImprovement), "EI"));
    r.section("rules", rules_text(&pf));
    r.section("harder", harder_text());
    let pg = Problem::g();
    r.section(
        "harder-loop",
        loop_text(&pg, pg.run(Rule::ExpectedImprovement), "EI"),
    );
    r.section("harder-rules", rules_text(&pg));
    r.section("designs", designs_text());
    r.section("answers", answers());
    r.finish()
}

fn two_candidates() -> String {
    let mut t =
        String::from("f* = 0       μ       σ      LCB (β = 1)    PI       EI\n");
    for (name, mean, sd) in
        [("sure, small", -0.1, 0.01), ("unsure, large", 0.2, 0.5)]
    {
        let _ = writeln!(
            t,
            "{name:<13} {mean:+.2}   {sd:.2}   {:+.3}        {:.3}   {:.4}",
            lcb(mean, sd, 1.0),
            pi(mean, sd, 0.0, 0.0),
            ei(mean, sd, 0.0, 0.0)
        );
    }
    t
}

fn choices_table(grid: &[f64], best: f64, s: &Scores) -> String {
    let lcb2: Vec<f64> =
        s.mean.iter().zip(&s.sd).map(|(m, d)| lcb(*m, *d, BETA)).collect();
    let rows = [
        ("mean μ (min)", argmin(&s.mean), s.mean.clone()),
        ("LCB β = 1 (min)", argmin(&s.lcb), s.lcb.clone()),
        ("LCB β = 2 (min)", argmin(&lcb2), lcb2.clone()),
        ("PI (max)", argmax(&s.pi), s.pi.clone()),
        ("EI (max)", argmax(&s.ei), s.ei.clone()),
    ];
    let mut t = String::from(
        "rule               x         μ(x)      σ(x)     score       f(x)    PI      EI\n",
    );
    for (name, i, score) in rows {
        let _ = writeln!(
            t,
            "{name:<16} {:+.4}   {:+.4}   {:.4}   {:+.5}   {:+.4}   {:.5}  {:.4}",
            grid[i],
            s.mean[i],
            s.sd[i],
            score[i],
            f(grid[i]),
            s.pi[i],
            s.ei[i]
        );
    }
    let p = argmax(&s.pi);
    let _ = writeln!(
        t,
        "PI at its argmax: {:.7}; z = (f* − μ)/σ = {:.3}",
        s.pi[p],
        (best - s.mean[p]) / s.sd[p]
    );
    let plateau: Vec<f64> = grid
        .iter()
        .zip(&s.pi)
        .filter(|(_, v)| **v > 0.9999)
        .map(|(x, _)| *x)
        .collect();
    let _ = writeln!(
        t,
        "PI > 0.9999 at {} candidates, from x = {:+.4} to {:+.4}",
        plateau.len(),
        plateau[0],
        plateau[plateau.len() - 1]
    );
    let e = argmax(&s.ei);
    let _ = writeln!(
        t,
        "EI at its argmax: {:.4}; z = {:.3}; f* − μ = {:.4}, (f* − μ)Φ(z) = {:.4}, σφ(z) = {:.4}",
        s.ei[e],
        (best - s.mean[e]) / s.sd[e],
        best - s.mean[e],
        (best - s.mean[e]) * gradbo::special::normal_cdf((best - s.mean[e]) / s.sd[e]),
        s.sd[e] * gradbo::special::normal_pdf((best - s.mean[e]) / s.sd[e])
    );
    t
}

/// Adds one evaluation and refits: the new incumbent and what the model now believes.
fn after(x: &[f64], y: &[f64], at: f64) -> (Vec<f64>, Vec<f64>) {
    let (mut x, mut y) = (x.to_vec(), y.to_vec());
    x.push(at);
    y.push(f(at));
    (x, y)
}

fn pi_vs_ei_text(x: &[f64], y: &[f64]) -> String {
    let (grid, _, _, _, s) = start();
    let mut t = String::new();
    for (name, i) in [("PI", argmax(&s.pi)), ("EI", argmax(&s.ei))] {
        let (x2, y2) = after(x, y, grid[i]);
        let best = smallest(&y2);
        let s2 = scores(&surrogate(&x2, &y2).expect("valid"), &grid, best)
            .expect("valid");
        let m = argmin(&s2.mean);
        let e = argmax(&s2.ei);
        let _ = writeln!(
            t,
            "{name} pick x = {:+.4}: f = {:+.4}, new f* = {best:+.5}, improvement {:.4}\n   \
             after refitting: min μ = {:+.3} at x = {:+.4}; μ(2.3985) = {:+.3}; max EI = {:.4} at x = {:+.4}",
            grid[i],
            f(grid[i]),
            smallest(y) - best,
            s2.mean[m],
            grid[m],
            s2.mean[argmin(&grid.iter().map(|g| (g - 2.3985).abs()).collect::<Vec<_>>())],
            s2.ei[e],
            grid[e]
        );
    }
    t
}

fn logei_text() -> String {
    let mut t = String::from("maximisation form, f* = 0, σ = 1:\n");
    for mean in [-5.0, -20.0, -40.0] {
        let _ = writeln!(
            t,
            "μ = {mean:+5.0}: EI = {:.3e}, log EI = {:+.3}",
            expected_improvement(mean, 1.0, 0.0).value,
            log_expected_improvement(mean, 1.0, 0.0).value
        );
    }
    t
}

fn loop_text(p: &Problem, h: History, rule: &str) -> String {
    let best = best_so_far(&h);
    let mut t = format!(
        "{rule} on {}, {} steps (μ and σ: the model's belief when it chose x):\n\
         step      x        μ(x)     σ(x)      {}(x)      best so far\n",
        p.name, p.steps, p.name
    );
    let _ = writeln!(
        t,
        "   0                                           {:+.5}",
        best[0]
    );
    for (k, x) in picks(&h).iter().enumerate() {
        let (xs, ys) = &h[k];
        let (m, sd) = moments(&surrogate(xs, ys).expect("valid"), &[*x]);
        let _ = writeln!(
            t,
            "{:4}   {x:+.4}   {:+.4}   {:.4}   {:+.5}     {:+.5}",
            k + 1,
            m[0],
            sd[0],
            (p.objective)(*x),
            best[k + 1]
        );
    }
    let (xm, vm) = p.minimum();
    let _ = writeln!(
        t,
        "true minimum {vm:+.6} at x = {xm:+.4}; gap left {:.5}",
        best[best.len() - 1] - vm
    );
    t
}

/// The picks and best-so-far of each rule on a problem.
fn rules_text(p: &Problem) -> String {
    let mut t = format!("{} steps on {}:\n", p.steps, p.name);
    for (rule, name, _) in RULES {
        let h = p.run(rule);
        let xs: Vec<String> =
            picks(&h).iter().map(|x| format!("{x:+.4}")).collect();
        let best: Vec<String> =
            best_so_far(&h).iter().map(|b| format!("{b:+.5}")).collect();
        let _ = writeln!(
            t,
            "{name:<11} picks      {}\n{:<11} best so far {}",
            xs.join(" "),
            "",
            best.join(" ")
        );
    }
    t
}

/// The final best of each rule from evenly spaced initial designs of several sizes.
fn design_sweep(p: &Problem) -> Vec<(usize, [f64; 3])> {
    DESIGNS
        .map(|n| {
            let q = Problem {
                x: Array1::linspace(p.range.0, p.range.1, n).to_vec(),
                grid: p.grid.clone(),
                ..*p
            };
            let mut finals = [0.0; 3];
            for (k, (rule, _, _)) in RULES.iter().enumerate() {
                finals[k] = smallest(&best_so_far(&q.run(*rule)));
            }
            (n, finals)
        })
        .collect()
}

fn designs_text() -> String {
    let mut t = String::new();
    for p in [Problem::f(), Problem::g()] {
        let (_, vm) = p.minimum();
        let _ = writeln!(
            t,
            "{} ({} steps, true minimum {vm:+.5}): final best from linspace({}, {}, n)",
            p.name, p.steps, p.range.0, p.range.1
        );
        let _ = writeln!(t, "   n      EI      LCB β = 2   mean only");
        let sweep = design_sweep(&p);
        let mut hits = [0; 3];
        for (n, finals) in &sweep {
            let _ = writeln!(
                t,
                "  {n:2}   {:+.5}   {:+.5}   {:+.5}",
                finals[0], finals[1], finals[2]
            );
            for k in 0..3 {
                if finals[k] - vm < 0.01 {
                    hits[k] += 1;
                }
            }
        }
        let _ = writeln!(
            t,
            "  within 0.01 of the minimum: EI {} of {}, LCB {}, mean only {}",
            hits[0],
            sweep.len(),
            hits[1],
            hits[2]
        );
    }
    t
}

fn harder_text() -> String {
    let p = Problem::g();
    let minima = local_minima(g, -3.5, 3.5);
    let (xm, _) = global(&minima);
    let mut t = String::from("local minima of g on [−3.5, 3.5]:\n");
    for (x, v) in &minima {
        let tag = if *x == xm {
            "  ← global (broad basin)"
        } else if (x - 2.12).abs() < 0.1 {
            "  ← narrow dip (local)"
        } else {
            ""
        };
        let _ = writeln!(t, "   x = {x:+.4}   g = {v:+.5}{tag}");
    }
    let lowest = p
        .grid
        .iter()
        .map(|&x| (x, g(x)))
        .fold((f64::NAN, f64::INFINITY), |b, c| if c.1 < b.1 { c } else { b });
    let _ = writeln!(
        t,
        "lowest value on the 500-point grid: g = {:+.5} at x = {:+.4}",
        lowest.1, lowest.0
    );
    let _ = writeln!(t, "initial design:");
    for (x, y) in p.x.iter().zip(p.y()) {
        let _ = writeln!(t, "   x = {x:+.4}   g = {y:+.4}");
    }
    t
}

// ---------------------------------------------------------------- figures

/// Colours kept across the chapter: the model, the truth and the data in their
/// [`Colour`] roles; the next point in vermilion, LCB green, PI purple, EI orange.
const NEXT: usize = 1;
const LCB: usize = 2;
const PI: usize = 3;
const EI: usize = 4;
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
        .with(Layer::line(&format!("true {}", p.name), truth, Colour::Truth))
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

fn mean_choice_figure() -> String {
    let (grid, x, y, _, s) = start();
    let i = argmin(&s.mean);
    let mut panel = posterior_panel(
        "The posterior of chapter 12 and the point of lowest mean",
        &Problem::f(),
        &x,
        &y,
    )
    .with(Layer::points(
        &format!("argmin μ: x = {:.4}", grid[i]),
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

fn acquisitions_figure() -> String {
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
                &format!(
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
            &format!("argmax: x = {:.4}", grid[p]),
            vec![(grid[p], s.pi[p])],
            NEXT,
            Marker::Star,
        ))
        .with(Layer::vline(grid[p], NEXT));
    pi_panel.y_range = Some((-0.05, 1.15));
    let mut ei_panel = Panel::new("expected improvement", "x", "EI(x)")
        .with(Layer::line("EI", curve(&grid, &s.ei), EI))
        .with(Layer::points(
            &format!("argmax: x = {:.4}", grid[e]),
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

fn pi_vs_ei_figure() -> String {
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

fn loop_figure() -> String {
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

fn best_figure(p: &Problem) -> String {
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
        &format!("true minimum {vm:.4}"),
        vec![(0.0, vm), (steps, vm)],
        Colour::Truth,
    ));
    right = right.with(Layer::dashed(
        &format!("true minimiser x = {xm:.4}"),
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

fn harder_figure() -> String {
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

fn harder_loop_figure() -> String {
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

// ---------------------------------------------------------------- exercises

const ANSWER_TEXT: &str = "\
why:
1. With ξ > 0, PI asks for an improvement of at least ξ. A margin of 0.01 is too small to change
   the ranking on this grid: the argmax stays at 1.9023. With 0.05 and 0.1 no point near the data
   is confident of the larger improvement, and the argmax moves outwards, to where σ is larger:
   to 1.9323 and then 1.9624, which happens to be within a grid step of the true minimiser.
2. Small β does best at this budget (β = 1 ends at −0.70472). The larger β spend most of their
   evaluations where σ is large rather than where μ is low: β = 2 and 3 go twice to the left
   half (near −2.8 or −2.9, then −2.26 or −2.34) and once to the edge x = 3, and β = 3 never
   improves on f* = −0.60757.
3. Refitting helps here: the loop ends at −0.38012 against −0.34483 with fixed hyperparameters.
   But the fitted lengthscale jumps between 0.176 and 2.399 on so few points, and steps 2 to 6
   improve nothing, so one run says little about how reliable the gain is.
";

fn answers() -> String {
    let mut t = String::new();
    let _ = writeln!(t, "1. PI with a margin ξ (argmax on the grid):");
    for (xi, x, mu, sd, fx) in pi_margins() {
        let _ = writeln!(
            t,
            "   ξ = {xi:.2}: x = {x:+.4}, μ = {mu:+.4}, σ = {sd:.4}, f = {fx:+.4}"
        );
    }
    let _ = writeln!(t, "2. LCB loops on f, {STEPS_F} steps:");
    for (beta, xs, best) in lcb_sweep() {
        let xs: Vec<String> = xs.iter().map(|x| format!("{x:+.4}")).collect();
        let _ = writeln!(
            t,
            "   β = {beta:.1}: picks {}; best {best:+.5}",
            xs.join(", ")
        );
    }
    let _ = writeln!(t, "3. EI on g with hyperparameters refitted at every step:");
    let (xs, best, hyper) = refit_loop();
    for (k, (x, (l, v))) in xs.iter().zip(&hyper).enumerate() {
        let _ = writeln!(t, "   step {}: ℓ = {l:.3}, σf² = {v:.4} → x = {x:+.4}, g = {:+.5}, best {:+.5}", k + 1, g(*x), best[k + 1]);
    }
    t.push_str(ANSWER_TEXT);
    t
}

/// The PI argmax for each margin ξ: (ξ, x, μ, σ, f(x)).
fn pi_margins() -> Vec<(f64, f64, f64, f64, f64)> {
    let (grid, _, _, best, s) = start();
    XIS.iter()
        .map(|&xi| {
            let v: Vec<f64> = s
                .mean
                .iter()
                .zip(&s.sd)
                .map(|(m, d)| pi(*m, *d, best, xi))
                .collect();
            let i = argmax(&v);
            (xi, grid[i], s.mean[i], s.sd[i], f(grid[i]))
        })
        .collect()
}

/// The LCB loop on f for each β: (β, picks, final best).
fn lcb_sweep() -> Vec<(f64, Vec<f64>, f64)> {
    let p = Problem::f();
    BETAS
        .iter()
        .map(|&beta| {
            let h = p.run(Rule::LowerConfidenceBound { beta });
            let best = best_so_far(&h);
            (beta, picks(&h), best[best.len() - 1])
        })
        .collect()
}

/// EI on g with the hyperparameters refitted by maximum marginal likelihood before every
/// step: the picks, the best-so-far and the fitted (ℓ, σf²) in the data's units.
fn refit_loop() -> (Vec<f64>, Vec<f64>, Vec<(f64, f64)>) {
    let p = Problem::g();
    let (mut x, mut y) = (p.x.clone(), p.y());
    let mut best = vec![smallest(&y)];
    let mut hyper = Vec::new();
    let options =
        FitOptions { kind: KernelKind::SquaredExponential, ..Default::default() };
    for _ in 0..p.steps {
        let model = fit(column(&x).view(), &Array1::from(y.clone()), &options)
            .expect("fits");
        let h = model.gp.hyperparameters();
        let s = model.standardize;
        let (lo, hi) =
            (smallest(&x), -smallest(&x.iter().map(|v| -v).collect::<Vec<_>>()));
        hyper.push((
            h.kernel.lengthscales()[0] * (hi - lo),
            h.kernel.outputscale() * s.std * s.std,
        ));
        let pr = model.predict(column(&p.grid).view()).expect("valid");
        let incumbent = smallest(&y);
        let seen = |c: f64| x.iter().any(|xi| (xi - c).abs() < 1e-6);
        let mut next = (f64::NAN, f64::NEG_INFINITY);
        for (k, &c) in p.grid.iter().enumerate() {
            let score = expected_improvement(
                -pr.mean[k],
                pr.variance[k].sqrt(),
                -incumbent,
            )
            .value;
            if !seen(c) && score > next.1 {
                next = (c, score);
            }
        }
        x.push(next.0);
        y.push(g(next.0));
        best.push(smallest(&y));
    }
    (x[p.x.len()..].to_vec(), best, hyper)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_margin_of_001_leaves_pi_where_it_was_and_larger_ones_move_it_outwards() {
        let m = pi_margins();
        assert!(m[0].0 == 0.0 && m[1].0 == 0.01, "{m:?}");
        assert_eq!(m[1].1, m[0].1);
        assert!(m[2].1 > m[0].1 && m[3].1 > m[2].1 && m[3].3 > m[0].3, "{m:?}");
    }

    #[test]
    fn the_chapter_values() {
        let (grid, _, _, best, s) = start();
        assert!((best + 0.60757).abs() < 5e-6);
        // EI at the mean-only point is almost all (f* − μ): the σφ(z) part is small.
        let e = argmax(&s.ei);
        assert_eq!(e, argmin(&s.mean));
        assert!((s.ei[e] - (best - s.mean[e])).abs() < 0.01);
        assert!((grid[argmax(&s.pi)] - 1.9023).abs() < 5e-5);
        let (xm, vm) = Problem::f().minimum();
        assert!((vm + 0.705535).abs() < 5e-7 && (xm - 1.9595).abs() < 5e-4);
        // The library's LogEI stays finite where EI underflows to zero.
        assert_eq!(expected_improvement(-40.0, 1.0, 0.0).value, 0.0);
        assert!(log_expected_improvement(-40.0, 1.0, 0.0).value.is_finite());
    }

    #[test]
    fn the_rules_on_both_problems() {
        let last = |p: &Problem, rule| *best_so_far(&p.run(rule)).last().unwrap();
        let (f_, g_) = (Problem::f(), Problem::g());
        let lcb = Rule::LowerConfidenceBound { beta: BETA };
        let mean = Rule::LowerConfidenceBound { beta: 0.0 };
        assert!((last(&f_, lcb) + 0.62924).abs() < 5e-6);
        assert!(
            (last(&f_, mean) - last(&f_, Rule::ExpectedImprovement)).abs() < 1e-12
        );
        assert!((last(&g_, lcb) + 0.34483).abs() < 5e-6);
        // On g's course design the mean alone finds the global basin and stays there.
        assert!((last(&g_, mean) + 0.38793).abs() < 5e-6);
        // Over designs of 3 to 10 points on g, EI misses only the course design.
        let sweep = design_sweep(&g_);
        let (_, vm) = g_.minimum();
        let misses: Vec<usize> = sweep
            .iter()
            .filter(|(_, finals)| finals[0] - vm >= 0.01)
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(misses, vec![6]);
        let mean_misses =
            sweep.iter().filter(|(_, finals)| finals[2] - vm >= 0.01).count();
        assert_eq!(mean_misses, 3);
    }

    #[test]
    fn exercise_answers() {
        // 1: a margin pushes PI's choice towards larger σ, to the right here.
        let margins = pi_margins();
        for w in margins.windows(2) {
            assert!(w[1].1 >= w[0].1 && w[1].3 >= w[0].3, "{margins:?}");
        }
        assert!((margins[0].1 - 1.9023).abs() < 5e-5);
        assert!((margins[3].1 - 1.9624).abs() < 5e-5);
        // 2: a small β finishes near the minimum, β = 3 never improves on f*.
        let sweep = lcb_sweep();
        assert!((sweep[1].2 + 0.70472).abs() < 5e-6, "{sweep:?}");
        assert!((sweep[3].2 + 0.60757).abs() < 5e-6, "{sweep:?}");
        // 3: refitting the hyperparameters ends closer to the global minimum than the
        // fixed ℓ = 0.8 loop (−0.34483).
        let (_, best, _) = refit_loop();
        let last = best[best.len() - 1];
        assert!(last < -0.37, "{best:?}");
    }
}
