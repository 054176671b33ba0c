//! Asking a fitted library model what it believes: the joint posterior, its marginals, and
//! the mean and standard deviation on a grid — then the same workflow on a harder objective.

use gradbo::gp::{fit, FitOptions, FittedGp};
use gradbo::models::Model;
use gradbo::numeric::{column, linspace};
use gradbo::test_functions::{ComplexFamily, LibraryExample, TestProblem};
use ndarray::Array1;

/// The seed and size of the observation noise (f(x) + 0.03·u, u ~ Uniform[0, 1)).
pub const SEED: u64 = 14;
pub const NOISE: f64 = 0.03;

// ANCHOR: surrogate
/// What a fitted model says on a grid: the posterior mean μ and standard deviation σ of
/// the latent f, in the data's units.
pub struct Surrogate {
    pub model: FittedGp,
    pub grid: Vec<f64>,
    pub mean: Array1<f64>,
    pub sd: Array1<f64>,
}

/// Observes `problem` at n evenly spaced points of [lo, hi], fits the single-task GP and
/// evaluates its posterior on `grid`.
pub fn surrogate(
    problem: &dyn TestProblem,
    (lo, hi, n): (f64, f64, usize),
    grid: Vec<f64>,
) -> gradbo::Result<Surrogate> {
    let x = column(&linspace(lo, hi, n));
    let y = problem.observe(x.view(), NOISE, SEED)?;
    let model = fit(x.view(), &y, &FitOptions::single_task(1))?;
    let marginals = model.marginals(column(&grid).view())?; // one μ and σ² per row

    // σ² is kept ≥ 1e-12 (in the model's units) by the library: rounding can leave it just
    // below zero at the data.
    let sd = marginals.variance.mapv(f64::sqrt);
    Ok(Surrogate { model, grid, mean: marginals.mean, sd })
}
// ANCHOR_END: surrogate

/// Fits both of the chapter's objectives and prints their posteriors at a few points.
pub fn main() -> gradbo::Result<()> {
    // ANCHOR: query
    let s = surrogate(
        &LibraryExample::new(),
        (-1.5, 1.5, 8),
        linspace(-3.0, 3.0, 500),
    )?;
    let joint = s.model.posterior(column(&s.grid[..3]).view())?; // N(μ, Σ) at 3 points
    println!(
        "joint: mean {:?}, covariance {:?}",
        joint.mean().dim(),
        joint.covariance().dim()
    );
    println!("grid:  mean {:?}, sd {:?}", s.mean.dim(), s.sd.dim());
    // ANCHOR_END: query
    for i in [0, 250, 499] {
        println!(
            "x = {:7.4}: μ = {:8.5}, σ = {:.5}",
            s.grid[i], s.mean[i], s.sd[i]
        );
    }
    // ANCHOR: complex
    let complex = ComplexFamily::library_models(); // (a₂, a_t) = (0.72, 0.32)
    let c = surrogate(&complex, (-2.0, 2.0, 12), linspace(-3.0, 3.0, 600))?;
    // ANCHOR_END: complex
    let best =
        (0..c.grid.len()).fold(0, |b, i| if c.mean[i] < c.mean[b] { i } else { b });
    println!("complex: lowest mean {:.4} at x = {:.4}", c.mean[best], c.grid[best]);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() < tol, "{a} vs {b}");
    }

    #[test]
    fn the_grid_posterior_has_one_mean_and_sd_per_point() {
        let s = surrogate(
            &LibraryExample::new(),
            (-1.5, 1.5, 8),
            linspace(-3.0, 3.0, 500),
        )
        .unwrap();
        assert_eq!((s.mean.len(), s.sd.len()), (500, 500));
        assert!(s.sd.iter().all(|v| v.is_finite() && *v >= 1e-6));
    }

    #[test]
    fn the_joint_posterior_agrees_with_the_marginals() {
        let s = surrogate(
            &LibraryExample::new(),
            (-1.5, 1.5, 8),
            linspace(-3.0, 3.0, 500),
        )
        .unwrap();
        let joint = s.model.posterior(column(&s.grid[..3]).view()).unwrap();
        for i in 0..3 {
            close(joint.mean()[i], s.mean[i], 1e-12);
            close(joint.variance()[i].sqrt(), s.sd[i], 1e-12);
        }
        // A covariance: symmetric, with |ρ| ≤ 1.
        let c = joint.covariance();
        close(c[[0, 1]], c[[1, 0]], 1e-15);
        assert!(c[[0, 1]].abs() <= (c[[0, 0]] * c[[1, 1]]).sqrt());
    }

    #[test]
    fn sigma_is_small_at_the_data_and_grows_away_from_them() {
        let s = surrogate(
            &LibraryExample::new(),
            (-1.5, 1.5, 8),
            linspace(-3.0, 3.0, 500),
        )
        .unwrap();
        let inside = (0..500).filter(|&i| s.grid[i].abs() <= 1.5).map(|i| s.sd[i]);
        let outside = s.sd[0].min(s.sd[499]);
        assert!(inside.fold(0.0_f64, f64::max) < 0.5 * outside);
    }

    #[test]
    fn the_complex_objectives_check_values() {
        let c = ComplexFamily::library_models();
        close(c.minimiser(), 1.7140, 5e-5);
        close(c.optimal_value(), -0.77446, 5e-6);
        let expected = [
            (-2.0871, -0.381),
            (-1.4329, -0.2252),
            (-0.345, -0.7558),
            (0.8126, 0.2472),
            (1.7140, -0.77446),
        ];
        for (m, e) in c.local_minima().iter().zip(expected) {
            close(m.0, e.0, 5e-4);
            close(m.1, e.1, 5e-4);
        }
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
