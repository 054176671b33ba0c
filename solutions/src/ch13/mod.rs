//! Chapter 13, choosing where to evaluate next: the mean-only choice, LCB, PI and EI on the
//! course GP, their picks and what each pick teaches the model, grid-based BO loops with EI
//! and LCB on the running example and on a harder objective, figures and exercise answers.

mod exercises;
mod figures;
mod report;

use crate::figures::Colour;
use crate::{Artifact, Context};
use figures::{
    acquisitions_figure, best_figure, harder_figure, harder_loop_figure,
    loop_figure, mean_choice_figure, pi_vs_ei_figure,
};
use gradbo::gp::Gp;
use gradbo::numeric::column;
use gradbo::test_functions::{harder_example as g, running_example as f};
use gradbo_listings::ch13::bo_loop::{
    bo_loop, local_minima, surrogate, History, Rule,
};
use gradbo_listings::ch13::selection::{scores, setting, Scores};
use ndarray::Array1;
use report::report;

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part3", "ch13");

/// Steps of the loop on the running example, and on the harder objective.
const STEPS_F: usize = 5;
const STEPS_G: usize = 8;
/// The σ-multiplier of the LCB loops.
const BETA: f64 = 2.0;
/// Colours kept across the chapter: the model, the truth and the data in their
/// [`Colour`] roles; the next point in vermilion, LCB green, PI purple, EI orange.
const NEXT: usize = 1;
const LCB: usize = 2;
const PI: usize = 3;
const EI: usize = 4;

/// The three rules the loops compare: EI, LCB with β = 2, and the mean alone (β = 0).
const RULES: [(Rule, &str, Colour); 3] = [
    (Rule::ExpectedImprovement, "EI", Colour::Palette(EI)),
    (Rule::LowerConfidenceBound { beta: BETA }, "LCB, β = 2", Colour::Palette(LCB)),
    (Rule::LowerConfidenceBound { beta: 0.0 }, "mean only", Colour::Mean),
];

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

/// The data after one more evaluation, of f at `at` (the hyperparameters stay as they are).
fn after(x: &[f64], y: &[f64], at: f64) -> (Vec<f64>, Vec<f64>) {
    let (mut x, mut y) = (x.to_vec(), y.to_vec());
    x.push(at);
    y.push(f(at));
    (x, y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use super::{exercises::*, report::*};
    use gradbo::acquisition::{expected_improvement, log_expected_improvement};
    use gradbo_listings::ch13::bo_loop::{best_so_far, Rule};
    use gradbo_listings::ch13::selection::{argmax, argmin};

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
