//! The Part 2 problems handed to established solvers (argmin's L-BFGS and Nelder–Mead),
//! beside the hand-built methods.

use gradbo::optim::functions::{multi_well, rosenbrock};
use gradbo::optim::solvers::{lbfgs, nelder_mead};
use gradbo::optim::{run, Method, Objective, Quadratic};
use ndarray::{array, Array1};

/// One row of the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub method: String,
    pub iterations: u64,
    pub cost_evaluations: u64,
    pub gradient_evaluations: u64,
    /// ‖x − x*‖ at the end.
    pub error: f64,
    /// f at the end.
    pub value: f64,
}

// ANCHOR: hand_built
/// A hand-built method run until the gradient norm falls below 10⁻⁸ (or `max_steps`): each
/// step evaluates the value and gradient once (Nesterov twice).
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
    let evaluations = (steps * per_step) as u64;
    Ok(Row {
        method: match method {
            Method::GradientDescent { lr } => {
                format!("gradient descent, η = {lr:.4}")
            }
            Method::HeavyBall { lr, beta } => {
                format!("heavy ball, η = {lr}, β = {beta}")
            }
            Method::Nesterov { lr, beta } => {
                format!("Nesterov, η = {lr}, β = {beta}")
            }
        },
        iterations: steps as u64,
        cost_evaluations: evaluations,
        gradient_evaluations: evaluations,
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
    /// The hand-built methods, at their best parameters.
    pub methods: Vec<Method>,
}

/// The problems of the table.
pub fn problems() -> Vec<Problem> {
    let g = 2.875_f64.sqrt();
    let quad = |a: f64| {
        Box::new(Quadratic::diagonal(&[a, 1.0]).expect("a valid diagonal"))
            as Box<dyn Objective>
    };
    vec![
        Problem {
            name: "diag(10, 1)",
            f: quad(10.0),
            x0: array![2.0, 2.0],
            x_star: array![0.0, 0.0],
            methods: vec![
                Method::GradientDescent { lr: 2.0 / 11.0 },
                Method::HeavyBall { lr: 0.2307, beta: 0.2699 },
            ],
        },
        Problem {
            name: "diag(100, 1)",
            f: quad(100.0),
            x0: array![2.0, 2.0],
            x_star: array![0.0, 0.0],
            methods: vec![
                Method::GradientDescent { lr: 2.0 / 101.0 },
                Method::HeavyBall { lr: 0.0331, beta: 0.6694 },
            ],
        },
        Problem {
            name: "multi-well from (0.3, 0)",
            f: Box::new(multi_well()),
            x0: array![0.3, 0.0],
            x_star: array![g, -g],
            methods: vec![
                Method::GradientDescent { lr: 0.05 },
                Method::HeavyBall { lr: 0.05, beta: 0.5 },
            ],
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
        },
    ]
}

pub fn main() -> gradbo::Result<()> {
    for Problem { name, f, x0, x_star, methods } in problems() {
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
        for Problem { name, f, x0, x_star, methods } in problems() {
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
                assert!(
                    lib[0].gradient_evaluations < row.gradient_evaluations,
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
