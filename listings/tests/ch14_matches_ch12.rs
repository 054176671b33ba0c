//! Chapter 14's claim: the library's posterior is chapter 12's hand-written one, given the
//! same hyperparameters. The fitted model's hyperparameters, read in the data's units, go
//! into chapter 12's `posterior` (a zero-mean GP, so the constant mean is subtracted from
//! the data and added back), and the two posteriors agree to rounding on a grid.

use gradbo::models::Model;
use gradbo::numeric::{column, linspace};
use gradbo::test_functions::{ComplexFamily, LibraryExample, TestProblem};
use gradbo_listings::ch12::posterior::posterior;
use gradbo_listings::ch14::posterior::surrogate;

fn agree(problem: &dyn TestProblem, design: (f64, f64, usize)) {
    let grid = linspace(-3.0, 3.0, 200);
    let s = surrogate(problem, design, grid.clone()).unwrap();
    let u = s.model.data_units().unwrap();
    let x = linspace(design.0, design.1, design.2);
    let y: Vec<f64> = s
        .model
        .gp
        .observations()
        .iter()
        .map(|yn| s.model.standardize.untransform(*yn) - u.mean)
        .collect();
    let hand = posterior(&x, &y, &grid, u.lengthscales[0], u.outputscale, u.noise)
        .unwrap();
    let library = s.model.marginals(column(&grid).view()).unwrap();
    let scale = s.model.standardize.std;
    for (i, x) in grid.iter().enumerate() {
        let mean = hand.mean[i] + u.mean;
        assert!((mean - library.mean[i]).abs() < 1e-11 * scale, "μ at {x}");
        let var = hand.covariance[[i, i]].max(1e-12 * scale * scale);
        let tol = 1e-10 * scale * scale;
        assert!((var - library.variance[i]).abs() < tol, "σ² at {x}");
    }
}

#[test]
fn the_library_posterior_is_the_hand_written_one_on_the_first_objective() {
    agree(&LibraryExample::new(), (-1.5, 1.5, 8));
}

#[test]
fn and_on_the_complex_objective() {
    agree(&ComplexFamily::library_models(), (-2.0, 2.0, 12));
}
