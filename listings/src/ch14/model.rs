//! A library model: training data as the library wants it, the single-task GP, what its
//! transforms do to the data, and its fitted hyperparameters in two sets of units.

use gradbo::gp::{fit, DataUnits, FitOptions, FittedGp};
use gradbo::numeric::{column, linspace};
use gradbo::test_functions::{LibraryExample, TestProblem};
use ndarray::{Array1, Array2};

/// The seed of the chapter's observation noise.
pub const SEED: u64 = 14;

// ANCHOR: data
/// The size of the observation noise: each observation is f(x) + 0.03·u, u ~ Uniform[0, 1).
pub const NOISE: f64 = 0.03;

/// Training data as the library takes it: inputs as an n × d matrix (one row per point,
/// one column per input variable), outputs as a vector of n values.
pub struct Data {
    pub x: Array2<f64>,
    pub y: Array1<f64>,
}

/// n evenly spaced points of [lo, hi] as a column, observed with the chapter's noise.
pub fn data(
    problem: &dyn TestProblem,
    lo: f64,
    hi: f64,
    n: usize,
) -> gradbo::Result<Data> {
    let x = column(&linspace(lo, hi, n)); //            n × 1
    let y = problem.observe(x.view(), NOISE, SEED)?; //      n
    Ok(Data { x, y })
}
// ANCHOR_END: data

// ANCHOR: fit
/// Fits the library's default single-task GP: a squared-exponential kernel with one
/// lengthscale per input, a constant mean, Gaussian noise, the default priors and
/// constraints, inputs normalised and outputs standardised; a maximum a posteriori fit.
pub fn fit_single_task(data: &Data) -> gradbo::Result<FittedGp> {
    let options = FitOptions::single_task(data.x.ncols());
    fit(data.x.view(), &data.y, &options)
}
// ANCHOR_END: fit

// ANCHOR: transforms
/// What the model's two transforms make of the training data: the normalised inputs'
/// smallest and largest value, and the standardised outputs' mean and (n − 1) standard
/// deviation.
pub struct Transformed {
    pub x_range: (f64, f64),
    pub y_mean: f64,
    pub y_std: f64,
}

pub fn transformed(model: &FittedGp, data: &Data) -> gradbo::Result<Transformed> {
    let xn = model.normalize.apply(data.x.view())?; // (x − min) / (max − min)
    let yn = model.standardize.apply(data.y.view()); // (y − ȳ) / s
    let lo = xn.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = xn.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let n = yn.len() as f64;
    let y_mean = yn.sum() / n;
    let y_std = (yn.mapv(|v| (v - y_mean).powi(2)).sum() / (n - 1.0)).sqrt();
    Ok(Transformed { x_range: (lo, hi), y_mean, y_std })
}
// ANCHOR_END: transforms

// ANCHOR: units
/// The fitted hyperparameters as the model holds them — lengthscale in normalised input
/// units, mean and noise in standardised output units — and in the data's units.
pub fn hyperparameters(model: &FittedGp) -> gradbo::Result<(Model, DataUnits)> {
    let h = model.gp.hyperparameters();
    let own = Model {
        lengthscale: h.kernel.lengthscales()[0],
        mean: h.mean,
        noise: h.noise,
    };
    Ok((own, model.data_units()?))
}

/// Hyperparameters in the model's own units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Model {
    pub lengthscale: f64,
    pub mean: f64,
    pub noise: f64,
}
// ANCHOR_END: units

/// Fits the chapter's eight observations and prints the model, the transformed data and
/// the hyperparameters.
pub fn main() -> gradbo::Result<()> {
    let data = data(&LibraryExample::new(), -1.5, 1.5, 8)?;
    println!("x: {:?}, y: {:?}", data.x.dim(), data.y.dim());
    let model = fit_single_task(&data)?;
    println!("{model:#?}");
    let t = transformed(&model, &data)?;
    println!(
        "normalised x in [{}, {}]; standardised y: mean {:.1e}, std {}",
        t.x_range.0, t.x_range.1, t.y_mean, t.y_std
    );
    let (own, units) = hyperparameters(&model)?;
    println!(
        "model units: ℓ = {:.4}, m = {:.4}, σₙ² = {:.6}",
        own.lengthscale, own.mean, own.noise
    );
    println!(
        "data units:  ℓ = {:.4}, m = {:.4}, σ_f² = {:.6}, σₙ² = {:.6}",
        units.lengthscales[0], units.mean, units.outputscale, units.noise
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::test_functions::library_example as f;

    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() < tol, "{a} vs {b}");
    }

    #[test]
    fn the_objective_and_its_minima() {
        let p = LibraryExample::new();
        close(p.optimisers()[0][0], 1.1761, 5e-5);
        close(p.optimal_value(), -0.42560, 5e-6);
        close(LibraryExample::LOCAL_MINIMA[0].0, -2.3612, 5e-5);
        close(LibraryExample::LOCAL_MINIMA[0].1, 0.321, 5e-4);
        close(LibraryExample::LOCAL_MINIMA[1].0, -0.4483, 5e-5);
        close(LibraryExample::LOCAL_MINIMA[1].1, 0.0406, 5e-5);
    }

    #[test]
    fn the_data_have_the_library_shapes_and_one_sided_noise() {
        let data = data(&LibraryExample::new(), -1.5, 1.5, 8).unwrap();
        assert_eq!(data.x.dim(), (8, 1));
        assert_eq!(data.y.dim(), 8);
        let clean = [
            0.34025, 0.19711, 0.05792, 0.06095, 0.10073, -0.10846, -0.40917,
            -0.28575,
        ];
        for ((x, y), c) in linspace(-1.5, 1.5, 8).iter().zip(&data.y).zip(clean) {
            close(f(*x), c, 5e-6);
            assert!((0.0..NOISE).contains(&(y - f(*x))), "{y} at {x}");
        }
        let mean = linspace(-1.5, 1.5, 8).iter().map(|x| f(*x)).sum::<f64>() / 8.0;
        close(mean, -0.005804, 5e-7);
    }

    #[test]
    fn the_transforms_give_the_unit_interval_and_standard_moments() {
        let data = data(&LibraryExample::new(), -1.5, 1.5, 8).unwrap();
        let model = fit_single_task(&data).unwrap();
        let t = transformed(&model, &data).unwrap();
        assert_eq!(t.x_range, (0.0, 1.0));
        close(t.y_mean, 0.0, 1e-15);
        close(t.y_std, 1.0, 1e-15);
    }

    #[test]
    fn the_units_convert_by_the_transforms_scales() {
        let data = data(&LibraryExample::new(), -1.5, 1.5, 8).unwrap();
        let model = fit_single_task(&data).unwrap();
        let (own, units) = hyperparameters(&model).unwrap();
        let s = model.standardize;
        close(units.lengthscales[0], own.lengthscale * 3.0, 1e-14);
        close(units.noise, own.noise * s.std * s.std, 1e-16);
        close(units.mean, s.mean + s.std * own.mean, 1e-15);
        close(units.outputscale, s.std * s.std, 1e-15);
        // The constraints hold: ℓ ≥ 0.025, σₙ² ≥ 1e-4.
        assert!(own.lengthscale >= 0.025 && own.noise >= 1e-4, "{own:?}");
    }

    #[test]
    fn the_structure_shows_the_parts_of_the_model() {
        let data = data(&LibraryExample::new(), -1.5, 1.5, 8).unwrap();
        let text = format!("{:#?}", fit_single_task(&data).unwrap());
        for part in [
            "Gaussian",
            "Constant",
            "SquaredExponential",
            "Normalize",
            "Standardize",
        ] {
            assert!(text.contains(part), "{part} in {text}");
        }
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
