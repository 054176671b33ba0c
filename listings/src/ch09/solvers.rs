//! The Part 2 problems handed to established solvers (argmin's L-BFGS and Nelder–Mead),
//! beside the hand-built methods.

use gradbo::linalg::eigenvalues_2x2;
use gradbo::optim::dynamics::{optimal_momentum, optimal_step};
use gradbo::optim::functions::{multi_well, rosenbrock};
use gradbo::optim::solvers::{lbfgs, nelder_mead};
use gradbo::optim::{run, Method, Objective, Quadratic};
use ndarray::{array, Array1, Array2};

/// One row of the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub method: String,
    pub iterations: u64,
    /// Calls that asked for f alone.
    pub cost_evaluations: u64,
    /// Calls that asked for ∇f (with f, which comes at no extra cost here).
    pub gradient_evaluations: u64,
    /// ‖x − x*‖ at the end.
    pub error: f64,
    /// f at the end.
    pub value: f64,
}

// ANCHOR: hand_built
/// A hand-built method run until the gradient norm falls below 10⁻⁸ (or `max_steps`). Each
/// step asks for f and ∇f once (Nesterov twice), and one more call at the last point finds
/// the small gradient that stops the run: `steps · per_step + 1` calls in all.
pub fn hand_built(
    f: &dyn Objective,
    method: Method,
    x0: &Array1<f64>,
    x_star: &Array1<f64>,
    max_steps: usize,
) -> gradbo::Result<Row> {
    let t = run(f, method, x0, max_steps, None)?;
    let steps = t.grad_norms.iter().position(|&g| g < 1e-8).unwrap_or(max_steps);
    let per_step = if matches!(method, Method::Nesterov { .. }) { 2 } else { 1 };
    Ok(Row {
        method: match method {
            Method::GradientDescent { lr } => {
                format!("gradient descent, η = {lr:.4}")
            }
            Method::HeavyBall { lr, beta } => {
                format!("heavy ball, η = {lr:.4}, β = {beta:.4}")
            }
            Method::Nesterov { lr, beta } => {
                format!("Nesterov, η = {lr:.4}, β = {beta:.4}")
            }
        },
        iterations: steps as u64,
        cost_evaluations: 0,
        gradient_evaluations: (steps * per_step + 1) as u64,
        error: (&t.xs[steps] - x_star).mapv(|d| d * d).sum().sqrt(),
        value: f.value(&t.xs[steps])?,
    })
}
// ANCHOR_END: hand_built

// ANCHOR: library
/// argmin's L-BFGS (memory 7) and Nelder–Mead on the same problem.
pub fn library(
    f: &dyn Objective,
    x0: &Array1<f64>,
    x_star: &Array1<f64>,
) -> gradbo::Result<Vec<Row>> {
    let error = |x: &Array1<f64>| (x - x_star).mapv(|d| d * d).sum().sqrt();
    let l = lbfgs(f, x0, 7, 1000, 1e-8)?;
    let n = nelder_mead(f, x0, 0.5, 5000, 1e-15)?;
    Ok(vec![
        Row {
            method: "L-BFGS (argmin)".into(),
            iterations: l.iterations,
            cost_evaluations: l.cost_evaluations,
            gradient_evaluations: l.gradient_evaluations,
            error: error(&l.x),
            value: l.value,
        },
        Row {
            method: "Nelder–Mead (argmin)".into(),
            iterations: n.iterations,
            cost_evaluations: n.cost_evaluations,
            gradient_evaluations: n.gradient_evaluations,
            error: error(&n.x),
            value: n.value,
        },
    ])
}
// ANCHOR_END: library

/// One problem of the table.
pub struct Problem {
    pub name: &'static str,
    pub f: Box<dyn Objective>,
    pub x0: Array1<f64>,
    pub x_star: Array1<f64>,
    /// The hand-built methods: gradient descent, then the heavy ball.
    pub methods: Vec<Method>,
    /// Where their parameters come from.
    pub parameters: String,
}

/// The problems of the table. On the quadratics the hand-built methods run at the best
/// parameters of Chapters 6 and 8, computed from the eigenvalues; the multi-well and
/// Rosenbrock's function have no such formula, and their parameters are chosen by hand.
pub fn problems() -> gradbo::Result<Vec<Problem>> {
    let g = 2.875_f64.sqrt();
    let quadratic = |a: f64| -> gradbo::Result<Problem> {
        let diag = Array2::from_diag(&array![a, 1.0]);
        let (gd, _) = optimal_step(&diag)?;
        let (lr, beta, _) = optimal_momentum(&diag)?;
        Ok(Problem {
            name: if a == 10.0 { "diag(10, 1)" } else { "diag(100, 1)" },
            f: Box::new(Quadratic::new(diag)?),
            x0: array![2.0, 2.0],
            x_star: array![0.0, 0.0],
            methods: vec![
                Method::GradientDescent { lr: gd },
                Method::HeavyBall { lr, beta },
            ],
            parameters:
                "at the best parameters: 2/(λ_min + λ_max) for GD, Polyak's (η, β)"
                    .into(),
        })
    };
    // Rosenbrock's Hessian at its minimum (1, 1) is [[802, −400], [−400, 200]].
    let [_, lambda_max] = eigenvalues_2x2(802.0, -400.0, 200.0);
    Ok(vec![
        quadratic(10.0)?,
        quadratic(100.0)?,
        Problem {
            name: "multi-well from (0.3, 0)",
            f: Box::new(multi_well()),
            x0: array![0.3, 0.0],
            x_star: array![g, -g],
            methods: vec![
                Method::GradientDescent { lr: 0.05 },
                Method::HeavyBall { lr: 0.05, beta: 0.5 },
            ],
            parameters: "at parameters picked by hand: the chapter's η = 0.05, and β = 0.5".into(),
        },
        Problem {
            name: "Rosenbrock from (−1.2, 1)",
            f: Box::new(rosenbrock()),
            x0: array![-1.2, 1.0],
            x_star: array![1.0, 1.0],
            methods: vec![
                Method::GradientDescent { lr: 0.001 },
                Method::HeavyBall { lr: 0.001, beta: 0.9 },
            ],
            parameters: format!(
                "at parameters picked by hand: η = 0.001, half of 2/λ_max = {:.5} at the minimum, β = 0.9",
                2.0 / lambda_max
            ),
        },
    ])
}

pub fn main() -> gradbo::Result<()> {
    for Problem { name, f, x0, x_star, methods, .. } in problems()? {
        println!("{name}");
        for m in methods {
            println!("  {:?}", hand_built(f.as_ref(), m, &x0, &x_star, 50_000)?);
        }
        for row in library(f.as_ref(), &x0, &x_star)? {
            println!("  {row:?}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_method_reaches_the_minimum_and_lbfgs_is_cheapest() {
        for Problem { name, f, x0, x_star, methods, .. } in problems().unwrap() {
            let lib = library(f.as_ref(), &x0, &x_star).unwrap();
            assert!(lib[0].error < 1e-6, "{name}: {:?}", lib[0]);
            // Nelder–Mead explores by reflecting a simplex, not by following the slope: on the
            // multi-well it can settle in a different minimum from the gradient methods.
            let at_a_minimum = lib[1].error < 1e-4
                || name.starts_with("multi")
                    && (lib[1].value + 1.80625).abs() < 1e-8;
            assert!(at_a_minimum, "{name}: {:?}", lib[1]);
            for m in methods {
                let row = hand_built(f.as_ref(), m, &x0, &x_star, 50_000).unwrap();
                assert!(row.error < 1e-6, "{name}: {row:?}");
                // Fewer calls of either kind together than any hand-built method.
                let lbfgs_calls =
                    lib[0].cost_evaluations + lib[0].gradient_evaluations;
                assert!(lbfgs_calls < row.gradient_evaluations, "{name}");
            }
        }
    }

    /// Counts the calls an objective receives, by kind.
    struct Counting<'a> {
        inner: &'a dyn Objective,
        values: std::cell::Cell<u64>,
        gradients: std::cell::Cell<u64>,
    }

    impl Objective for Counting<'_> {
        fn dim(&self) -> usize {
            self.inner.dim()
        }
        fn value_and_gradient(
            &self,
            x: &Array1<f64>,
        ) -> gradbo::Result<(f64, Array1<f64>)> {
            self.gradients.set(self.gradients.get() + 1);
            self.inner.value_and_gradient(x)
        }
        fn value(&self, x: &Array1<f64>) -> gradbo::Result<f64> {
            self.values.set(self.values.get() + 1);
            self.inner.value(x)
        }
    }

    #[test]
    fn rosenbrocks_curvatures_at_the_minimum() {
        // The chapter: "about 0.4 and 1002", so 2/λ_max ≈ 0.002 and η = 0.001 is half of it.
        let [lo, hi] = eigenvalues_2x2(802.0, -400.0, 200.0);
        assert!((lo - 0.4).abs() < 0.01 && (hi - 1002.0).abs() < 0.5, "{lo} {hi}");
        assert!((2.0 / hi - 0.002).abs() < 1e-5);
    }

    #[test]
    fn the_evaluation_counts_are_the_calls_made() {
        for Problem { name, f, x0, x_star, methods, .. } in problems().unwrap() {
            let counting = || Counting {
                inner: f.as_ref(),
                values: 0.into(),
                gradients: 0.into(),
            };
            // The library solvers: the reported counts are the calls received.
            let c = counting();
            let lib = library(&c, &x0, &x_star).unwrap();
            let (values, gradients) = (c.values.get(), c.gradients.get());
            assert_eq!(
                lib[0].cost_evaluations + lib[1].cost_evaluations,
                values,
                "{name}"
            );
            assert_eq!(lib[0].gradient_evaluations, gradients, "{name}");
            assert_eq!(lib[1].gradient_evaluations, 0, "{name}");
            // A hand-built method: `steps` calls reach x_steps, and one more finds its small
            // gradient; the run before it had not yet stopped.
            for m in methods {
                let row = hand_built(f.as_ref(), m, &x0, &x_star, 50_000).unwrap();
                let steps = row.iterations as usize;
                let c = counting();
                let t = run(&c, m, &x0, steps, None).unwrap();
                assert_eq!(c.gradients.get(), steps as u64, "{name}");
                let (_, g) = f.value_and_gradient(&t.xs[steps]).unwrap();
                assert!(g.dot(&g).sqrt() < 1e-8);
                assert!(t.grad_norms.iter().all(|&n| n >= 1e-8));
                assert_eq!(row.gradient_evaluations, steps as u64 + 1);
            }
        }
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
