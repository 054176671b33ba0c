//! Chapter 19: qEI estimated by hand from reparameterised samples y = μ + L z, and the
//! gradient of qLogEI in the q × d block recorded on the autodiff tape, beside central
//! finite differences.

use gradbo::acquisition::{
    AcquisitionFunction, Direction, MonteCarlo, MonteCarloKind, MonteCarloOptions,
};
use gradbo::autodiff::Tape;
use gradbo::gp::{fit, FitOptions, FittedGp, TapePosterior};
use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::{ShiftedRosenbrock, TestProblem};
use gradbo::{Bounds, Error, Result};
use ndarray::{Array1, Array2, Axis, Ix2};

/// Variables, design points and Monte Carlo samples of the demonstration.
const DIM: usize = 4;
const N_INIT: usize = 8;
pub const SAMPLES: usize = 128;
/// The batch whose score and gradient are shown.
pub const Q: usize = 3;

/// A GP fitted to an 8-point Sobol design of [−2, 2]⁴ (seed 7), the best value observed,
/// and a batch of Q other Sobol points.
pub fn setting() -> Result<(FittedGp, f64, Array2<f64>)> {
    let problem = ShiftedRosenbrock::new(DIM)?;
    let bounds = problem.bounds().clone();
    let x = draw_sobol_samples(&bounds, N_INIT, 7)?;
    let y = problem.values(x.view())?;
    let options = FitOptions {
        input_bounds: Some(bounds.clone()),
        ..FitOptions::single_task(DIM)
    };
    let model = fit(x.view(), &y, &options)?;
    let best = y.iter().copied().fold(f64::INFINITY, f64::min);
    // Q points within 0.3 of the best observation in every coordinate, so that each of
    // them has a say in the best of the batch.
    let k = y.iter().position(|&v| v == best).unwrap_or(0);
    let near = Bounds::new(
        x.row(k).mapv(|v| (v - 0.3).max(-2.0)),
        x.row(k).mapv(|v| (v + 0.3).min(2.0)),
    )?;
    let batch = draw_sobol_samples(&near, Q, 1)?;
    Ok((model, best, batch))
}

// ANCHOR: by_hand
/// qEI for minimisation by hand: s joint samples y⁽ⁱ⁾ = μ + L z⁽ⁱ⁾ of f at the batch, and
/// the mean over i of the best improvement maxⱼ (ξ − y⁽ⁱ⁾ⱼ)⁺.
pub fn q_ei_by_hand(
    model: &FittedGp,
    best: f64,
    batch: &Array2<f64>,
    z: &Array2<f64>,
) -> Result<f64> {
    let tape = Tape::new();
    let posterior = TapePosterior::new(model)?;
    let (mean, covariance) =
        posterior.mean_and_covariance(tape.constant(batch.clone().into_dyn()))?;
    let mu = tape.value(mean)?;
    let sigma =
        tape.value(covariance)?.into_dimensionality::<Ix2>().map_err(|_| {
            Error::InvalidInput {
                context: "q_ei_by_hand",
                reason: "Σ is not a matrix".into(),
            }
        })?;
    let l = gradbo::linalg::Cholesky::with_jitter_scaled(
        sigma.view(),
        posterior.prior_variance(),
    )?
    .factor()
    .to_owned();
    let mut total = 0.0;
    for zi in z.rows() {
        let y = &mu + &l.dot(&zi).into_dyn(); // one joint draw of f at the q points
        let improvement =
            y.iter().map(|&yj| (best - yj).max(0.0)).fold(0.0, f64::max);
        total += improvement;
    }
    Ok(total / z.nrows() as f64)
}
// ANCHOR_END: by_hand

// ANCHOR: gradient
/// qLogEI at `batch` (q × d) and its gradient, one entry per coordinate of the block, by
/// the tape: the value is recorded through the posterior's mean and covariance, the
/// Cholesky factor, the samples, the smoothed maximum and the log-mean-exp, and one
/// backward pass differentiates all of it.
pub fn on_the_tape(
    acqf: &MonteCarlo,
    batch: &Array2<f64>,
) -> Result<(f64, Array2<f64>)> {
    let tape = Tape::new();
    let x = tape.param(batch.clone().into_dyn());
    let value = acqf.value_on_tape(x)?;
    tape.backward(value)?;
    let gradient = tape
        .grad(x)
        .ok_or(Error::InvalidInput {
            context: "on_the_tape",
            reason: "no gradient".into(),
        })?
        .into_dimensionality::<Ix2>()
        .map_err(|_| Error::InvalidInput {
            context: "on_the_tape",
            reason: "not q × d".into(),
        })?;
    Ok((tape.item(value)?, gradient))
}

/// The same gradient by central differences, (α(X + h eᵢⱼ) − α(X − h eᵢⱼ)) / 2h.
pub fn by_differences(
    acqf: &MonteCarlo,
    batch: &Array2<f64>,
    h: f64,
) -> Result<Array2<f64>> {
    let flat = |b: &Array2<f64>| {
        b.iter().copied().collect::<Array1<f64>>().insert_axis(Axis(0))
    };
    let mut gradient = Array2::zeros(batch.dim());
    for ((i, j), g) in gradient.indexed_iter_mut() {
        let (mut up, mut down) = (batch.clone(), batch.clone());
        up[[i, j]] += h;
        down[[i, j]] -= h;
        let a = acqf.values(flat(&up).view())?[0];
        let b = acqf.values(flat(&down).view())?[0];
        *g = (a - b) / (2.0 * h);
    }
    Ok(gradient)
}
// ANCHOR_END: gradient

pub fn main() -> Result<()> {
    let (model, best, batch) = setting()?;
    let options = MonteCarloOptions {
        samples: SAMPLES,
        seed: 0,
        ..MonteCarloOptions::default()
    };
    let kind = MonteCarloKind::ExpectedImprovement { best };
    let q_ei = MonteCarlo::new(&model, kind, Direction::Minimise, Q, &options)?;
    let flat = batch.iter().copied().collect::<Array1<f64>>().insert_axis(Axis(0));
    let by_hand =
        q_ei_by_hand(&model, best, &batch, &q_ei.base_samples().to_owned())?;
    println!(
        "qEI by hand {by_hand:.6e}, by the library {:.6e}",
        q_ei.values(flat.view())?[0]
    );
    let kind = MonteCarloKind::LogExpectedImprovement { best };
    let q_log_ei = MonteCarlo::new(&model, kind, Direction::Minimise, Q, &options)?;
    let (value, tape) = on_the_tape(&q_log_ei, &batch)?;
    let differences = by_differences(&q_log_ei, &batch, 1e-5)?;
    println!("qLogEI = {value:.6}");
    println!("point  coord   tape            differences");
    for ((i, j), g) in tape.indexed_iter() {
        println!(
            "{:>5}  x{:<5} {g:>+14.8}  {:>+14.8}",
            i + 1,
            j + 1,
            differences[[i, j]]
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> MonteCarloOptions {
        MonteCarloOptions {
            samples: SAMPLES,
            seed: 0,
            ..MonteCarloOptions::default()
        }
    }

    #[test]
    fn q_ei_by_hand_is_the_library_s() {
        let (model, best, batch) = setting().unwrap();
        let kind = MonteCarloKind::ExpectedImprovement { best };
        let q_ei =
            MonteCarlo::new(&model, kind, Direction::Minimise, Q, &options())
                .unwrap();
        let flat =
            batch.iter().copied().collect::<Array1<f64>>().insert_axis(Axis(0));
        let library = q_ei.values(flat.view()).unwrap()[0];
        let hand =
            q_ei_by_hand(&model, best, &batch, &q_ei.base_samples().to_owned())
                .unwrap();
        assert!(library > 0.0);
        assert!((hand - library).abs() <= 1e-10 * library, "{hand} vs {library}");
    }

    #[test]
    fn the_tape_s_gradient_matches_central_differences() {
        let (model, best, batch) = setting().unwrap();
        let kind = MonteCarloKind::LogExpectedImprovement { best };
        let f = MonteCarlo::new(&model, kind, Direction::Minimise, Q, &options())
            .unwrap();
        let (_, tape) = on_the_tape(&f, &batch).unwrap();
        let fd = by_differences(&f, &batch, 1e-5).unwrap();
        // Every point of the batch has a say: no entry of the gradient is negligible.
        assert!(tape.iter().map(|g| g.abs()).fold(f64::INFINITY, f64::min) > 1e-3);
        for (g, d) in tape.iter().zip(&fd) {
            assert!((g - d).abs() <= 1e-6 * g.abs().max(1.0), "{g} vs {d}");
        }
    }
}
