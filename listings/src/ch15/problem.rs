//! The objective, the data and the direction of chapter 15: a member of the complex 1-D family
//! to be minimised, ten noisy observations, and one GP fitted to them.

use gradbo::acquisition::Direction;
use gradbo::gp::{fit, FitOptions, FittedGp};
use gradbo::numeric::{column, linspace};
use gradbo::test_functions::{ComplexFamily, TestProblem};
use gradbo::Bounds;
use ndarray::{Array1, Array2};

// ANCHOR: data
/// The seed of the observation noise.
pub const SEED: u64 = 15;
/// The noise's range: each observation is f(x) + 0.03·U with U uniform on [0, 1).
pub const NOISE: f64 = 0.03;

/// The member (a₂, a_t) = (0.89, 0.24) of the complex family on [−3, 3].
pub fn objective() -> ComplexFamily {
    ComplexFamily::standard_acquisitions()
}

/// The box [−3, 3] searched for the next point.
pub fn bounds() -> gradbo::Result<Bounds> {
    Bounds::cube(1, -3.0, 3.0)
}

/// 500 evenly spaced points of [−3, 3], one per row: where the curves are drawn.
pub fn grid() -> Array2<f64> {
    column(&linspace(-3.0, 3.0, 500))
}

/// Ten points linspace(−2, 2, 10) as a 10 × 1 matrix, and their observations
/// f(x) + 0.03·U. The noise is one-sided: uniform on [0, 0.03), always upward, mean 0.015.
pub fn training_data(seed: u64) -> gradbo::Result<(Array2<f64>, Array1<f64>)> {
    let x = column(&linspace(-2.0, 2.0, 10));
    let y = objective().observe(x.view(), NOISE, seed)?;
    Ok((x, y))
}
// ANCHOR_END: data

// ANCHOR: direction
/// We minimise f. The library's acquisition functions maximise; the direction is said once,
/// here, and every acquisition function built with it scores g = −f.
pub const DIRECTION: Direction = Direction::Minimise;

/// BoTorch's single-task GP (RBF kernel, inputs normalised, outputs standardised, priors
/// on the lengthscale and the noise), fitted to the observations of f themselves.
pub fn fit_model(x: &Array2<f64>, y: &Array1<f64>) -> gradbo::Result<FittedGp> {
    fit(x.view(), y, &FitOptions::single_task(x.ncols()))
}

/// The incumbent: the best observation in the direction, here the lowest y.
pub fn incumbent(y: &Array1<f64>) -> gradbo::Result<f64> {
    DIRECTION
        .best(y.iter().copied())
        .ok_or(gradbo::Error::Empty { context: "incumbent: no observations" })
}
// ANCHOR_END: direction

/// Prints the data, the incumbent and the fitted hyperparameters.
pub fn main() -> gradbo::Result<()> {
    let (x, y) = training_data(SEED)?;
    println!("x: {:?}, y: {:?}", x.shape(), y.shape());
    for (xi, yi) in x.column(0).iter().zip(&y) {
        println!("  x = {xi:+.4}   y = {yi:+.5}");
    }
    let model = fit_model(&x, &y)?;
    println!("incumbent f* = {:.5}", incumbent(&y)?);
    println!("fitted: {:?}", model.data_units()?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::models::Model;
    use gradbo::numeric::golden_section;
    use gradbo::test_functions::TestProblem;

    #[test]
    fn the_minima_are_the_check_values() {
        let f = objective();
        // The global minimum is the narrow dip, found by golden section in its bracket.
        let x = golden_section(|x| f.eval(x), -0.6, -0.1, 200);
        assert!(
            (x - (-0.3447)).abs() < 5e-5 && (f.eval(x) - (-0.91750)).abs() < 5e-6
        );
        assert!((f.minimiser() - x).abs() < 1e-7);
        assert!((f.optimal_value() - f.eval(x)).abs() < 1e-12);
        // Every local minimum, left to right; the right-hand basin is only the second best.
        let want = [
            (-2.0797, -0.3233),
            (-1.4273, -0.1886),
            (-0.3447, -0.91750),
            (0.8192, 0.2272),
            (1.7171, -0.8197),
        ];
        assert_eq!(f.local_minima().len(), want.len());
        for (&(x, v), (wx, wv)) in f.local_minima().iter().zip(want) {
            assert!((x - wx).abs() < 5e-5 && (v - wv).abs() < 5e-5, "{x} {v}");
        }
        let right = golden_section(|x| f.eval(x), 1.4, 2.0, 200);
        assert!(
            (right - 1.7171).abs() < 5e-5
                && f.eval(right) > f.optimal_value() + 0.09
        );
    }

    #[test]
    fn the_data_are_ten_points_with_one_sided_noise() {
        let f = objective();
        let (x, y) = training_data(SEED).unwrap();
        assert_eq!((x.shape(), y.len()), (&[10, 1][..], 10));
        assert_eq!((grid().nrows(), bounds().unwrap().dim()), (500, 1));
        let noise: Vec<f64> =
            x.column(0).iter().zip(&y).map(|(&x, y)| y - f.eval(x)).collect();
        assert!(noise.iter().all(|&e| (0.0..NOISE).contains(&e)));
        // The best noise-free training value: f(−0.2222) = −0.73978.
        let (x_best, f_best) = x
            .column(0)
            .iter()
            .map(|&x| (x, f.eval(x)))
            .fold((0.0, f64::INFINITY), |b, p| if p.1 < b.1 { p } else { b });
        assert!((x_best - (-2.0 / 9.0)).abs() < 1e-12);
        assert!((f_best - (-0.73978)).abs() < 5e-6);
        // The incumbent is the lowest noisy observation.
        let best = incumbent(&y).unwrap();
        assert_eq!(best, y.fold(f64::INFINITY, |m, v| m.min(*v)));
    }

    #[test]
    fn a_model_of_f_is_a_model_of_minus_f_negated() {
        // Fitting to −y gives the mean −μ and the same σ: the direction can negate the mean
        // inside the acquisition function instead of negating the data.
        let (x, y) = training_data(SEED).unwrap();
        let (a, b) = (fit_model(&x, &y).unwrap(), fit_model(&x, &-&y).unwrap());
        let (pa, pb) = (
            a.marginals(grid().view()).unwrap(),
            b.marginals(grid().view()).unwrap(),
        );
        let scale = 1e-8;
        assert!((&pa.mean + &pb.mean).iter().all(|d| d.abs() < scale));
        assert!((&pa.variance - &pb.variance).iter().all(|d| d.abs() < scale));
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
