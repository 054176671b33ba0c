//! The marginal likelihood: how probable the data are under a GP's hyperparameters, and its
//! derivative, which is what fitting climbs.

use gradbo::gp::{Kernel, KernelKind};
use gradbo::linalg::Cholesky;
use gradbo::test_functions::running_example;
use ndarray::{array, Array1, Array2, Axis};

// ANCHOR: evidence
/// log p(y | ℓ, σ_f², σₙ²) split into its two terms, and its derivative in log ℓ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    /// −½ yᵀ(K + σₙ²I)⁻¹y: how well the model explains the data (always ≤ 0).
    pub data_fit: f64,
    /// −½ log det(K + σₙ²I): the price of flexibility, lower (a heavier penalty) for short ℓ.
    pub complexity: f64,
    /// The whole log marginal likelihood: data fit + complexity − (n/2) log 2π.
    pub value: f64,
    /// ∂ value / ∂ log ℓ = ½ tr((ααᵀ − (K + σₙ²I)⁻¹) ∂K/∂log ℓ).
    pub d_log_lengthscale: f64,
}

/// The evidence of a zero-mean GP with the squared-exponential kernel for data (x, y).
pub fn evidence(
    x: &[f64],
    y: &[f64],
    lengthscale: f64,
    variance: f64,
    noise: f64,
) -> gradbo::Result<Evidence> {
    let kernel =
        Kernel::new(KernelKind::SquaredExponential, array![lengthscale], variance)?;
    let xc = Array1::from(x.to_vec()).insert_axis(Axis(1));
    let y = Array1::from(y.to_vec());
    let kf = kernel.matrix(xc.view(), xc.view())?;
    let mut k = kf.clone();
    k.diag_mut().mapv_inplace(|v| v + noise);
    let l = Cholesky::new(k.view())?;
    let alpha = l.solve_vec(y.view())?;
    let data_fit = -0.5 * y.dot(&alpha);
    let complexity = -0.5 * l.log_det();
    let n = y.len() as f64;
    let value = data_fit + complexity - 0.5 * n * (2.0 * std::f64::consts::PI).ln();
    // ∂k/∂log ℓ = k · (x − x′)²/ℓ²: the kernel scaled by the squared distance in ℓ units.
    let dk = Array2::from_shape_fn(kf.dim(), |(i, j)| {
        kf[[i, j]] * ((x[i] - x[j]) / lengthscale).powi(2)
    });
    let outer = Array2::from_shape_fn(kf.dim(), |(i, j)| alpha[i] * alpha[j]);
    let d_log_lengthscale = 0.5 * ((outer - l.inverse()) * dk).sum();
    Ok(Evidence { data_fit, complexity, value, d_log_lengthscale })
}
// ANCHOR_END: evidence

/// Prints the two terms for a range of lengthscales: the trade-off that fitting resolves.
pub fn main() -> gradbo::Result<()> {
    let x = Array1::linspace(-1.5, 1.5, 8).to_vec();
    let y: Vec<f64> = x.iter().map(|&x| running_example(x)).collect();
    for l in [0.1, 0.2, 0.3, 0.5, 0.8, 1.0, 1.2] {
        let e = evidence(&x, &y, l, 1.0, 1e-4)?;
        println!(
            "ℓ = {l:.1}: fit {:+9.3}  complexity {:+8.3}  log p(y) {:+9.3}",
            e.data_fit, e.complexity, e.value
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::gp::{Gp, Hyperparameters};
    use gradbo::numeric::derivative;

    fn data() -> (Vec<f64>, Vec<f64>) {
        let x = Array1::linspace(-1.5, 1.5, 8).to_vec();
        let y = x.iter().map(|&x: &f64| (2.2 * x).sin() * 0.35 + 0.1 * x).collect();
        (x, y)
    }

    #[test]
    fn the_derivative_matches_central_differences() {
        let (x, y) = data();
        for l in [0.3, 0.7, 1.5] {
            // The derivative in ln ℓ, at u = ln ℓ.
            let numeric = derivative(
                |u| evidence(&x, &y, l * u.exp(), 0.5, 1e-3).unwrap().value,
                0.0,
                1e-5,
            );
            let exact = evidence(&x, &y, l, 0.5, 1e-3).unwrap().d_log_lengthscale;
            assert!(
                (numeric - exact).abs() < 1e-5 * (1.0 + exact.abs()),
                "{numeric} {exact}"
            );
        }
    }

    #[test]
    fn agrees_with_the_library() {
        let (x, y) = data();
        let e = evidence(&x, &y, 0.6, 0.5, 1e-3).unwrap();
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![0.6], 0.5).unwrap();
        let hyper = Hyperparameters { kernel, mean: 0.0, noise: 1e-3 };
        let xc = Array1::from(x).insert_axis(Axis(1));
        let gp = Gp::new(xc, Array1::from(y), hyper).unwrap();
        assert!((e.value - gp.log_marginal_likelihood()).abs() < 1e-10);
        // The library's gradient is ordered (m, log ℓ, log σ_f², log σₙ²).
        assert!((e.d_log_lengthscale - gp.lml_gradient()[1]).abs() < 1e-8);
    }

    #[test]
    fn the_terms_trade_off() {
        // Shorter lengthscales fit the data better and pay more in complexity.
        let (x, y) = data();
        let short = evidence(&x, &y, 0.2, 0.5, 1e-4).unwrap();
        let long = evidence(&x, &y, 1.0, 0.5, 1e-4).unwrap();
        assert!(short.data_fit > long.data_fit);
        assert!(short.complexity < long.complexity);
        let n = 8.0;
        let constant = -0.5 * n * (2.0 * std::f64::consts::PI).ln();
        assert!(
            (short.value - short.data_fit - short.complexity - constant).abs()
                < 1e-12
        );
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
