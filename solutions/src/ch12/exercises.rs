//! The answers to chapter 12's exercises.

use gradbo::gp::{Gp, Hyperparameters, Kernel, KernelKind};
use gradbo::linalg::{symmetric_eigen, Cholesky};
use gradbo::numeric::column;
use gradbo_listings::ch12::kernel::kernel_matrix;
use gradbo_listings::ch12::posterior::{observations, posterior, NOISE};
use ndarray::{array, Array1, Array2};
use std::fmt::Write as _;

/// Exercise answers: (1) the kernel family and the overshoot; (2) conditioning in two
/// batches; (3) a larger noise variance.
pub(super) fn answers() -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "1. μ and σ at x = 3, and the largest weight |α| (α = K_y⁻¹y), by kernel\n   \
         (ℓ = 1.0, σf² = 1, σₙ² = 10⁻⁴):"
    );
    for r in kernel_family_at_3() {
        let _ = writeln!(
            t,
            "   {:<20} μ(3) = {:+.3}   σ(3) = {:.4}   max |α| = {:.1}",
            r.name, r.mean, r.sd, r.max_alpha
        );
    }
    t.push_str(
        "   why: the rougher the kernel, the smaller the weights, from about 400 for the squared\n   \
         exponential to about 1 for Matérn 1/2. A smooth kernel passes through the eight wiggly\n   \
         observations only with large bumps of alternating sign that cancel on the data and not\n   \
         beyond it; a rough kernel bends between the points with small weights, leaves little to\n   \
         cancel, and its mean returns to the prior mean 0 soon after the data. Matérn 1/2\n   \
         overshoots least.\n",
    );
    let _ = writeln!(
        t,
        "2. largest difference between conditioning on all 8 points at once and in two\n   \
         batches of 4: mean {:.1e}, covariance {:.1e}",
        two_batches().0,
        two_batches().1
    );
    let _ =
        writeln!(t, "3. noise variance against the overshoot at x = 3 (ℓ = 1.0):");
    for (noise, mu, max_alpha) in noise_sweep() {
        let _ = writeln!(
            t,
            "   σₙ² = {noise:.0e}: μ(3) = {mu:+.3}, max |α| = {max_alpha:.1}, \
             largest gain 1/(λ_min + σₙ²) = {:.1e}",
            1.0 / (smallest_eigenvalue() + noise)
        );
    }
    let (x, _) = observations();
    let k = kernel_matrix(&x, &x, 1.0, 1.0);
    let values = symmetric_eigen(k.view()).expect("symmetric").values;
    let _ = writeln!(
        t,
        "   eigenvalues of K (ℓ = 1.0, the 8 observations): {}",
        values
            .iter()
            .rev()
            .map(|v| format!("{v:.1e}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    t.push_str(
        "   why: with K = Σ λᵢ uᵢuᵢᵀ, α = (K + σₙ²I)⁻¹y = Σ uᵢ (uᵢᵀy)/(λᵢ + σₙ²). The part of y\n   \
         along each eigenvector is divided by λᵢ + σₙ², so with λ_min = 7.6e-6 and a small σₙ² the\n   \
         part along the last eigenvectors is multiplied by up to 1/(λ_min + σₙ²). That gives the\n   \
         huge weights, whose bumps cancel on the data and not beyond them. Adding σₙ² to every\n   \
         eigenvalue caps the gain at 1/σₙ²: once σₙ² exceeds the small eigenvalues (1e-2 and\n   \
         1e-1 above), those directions are treated as noise, the weights shrink and the\n   \
         overshoot at x = 3 goes with them.\n",
    );
    t
}

/// The smallest eigenvalue of K (ℓ = 1, σf² = 1) on the chapter's eight inputs.
fn smallest_eigenvalue() -> f64 {
    let (x, _) = observations();
    let k = kernel_matrix(&x, &x, 1.0, 1.0);
    symmetric_eigen(k.view()).expect("symmetric").values[0]
}

/// One kernel's posterior at x = 3 and its largest weight.
#[derive(Debug)]
pub(super) struct AtThree {
    pub name: &'static str,
    /// μ(3).
    pub mean: f64,
    /// σ(3).
    pub sd: f64,
    /// max |αᵢ| with α = K_y⁻¹y, K_y = K + σₙ²I (the prior mean is 0).
    pub max_alpha: f64,
}

/// The posterior at x = 3 and the largest weight |α| for each kernel of the Matérn family
/// and the squared exponential.
pub(super) fn kernel_family_at_3() -> Vec<AtThree> {
    let (x, y) = observations();
    let inputs = column(&x);
    [
        (KernelKind::SquaredExponential, "squared exponential"),
        (KernelKind::Matern52, "Matérn 5/2"),
        (KernelKind::Matern32, "Matérn 3/2"),
        (KernelKind::Matern12, "Matérn 1/2"),
    ]
    .iter()
    .map(|&(kind, name)| {
        let kernel = Kernel::new(kind, array![1.0], 1.0).expect("valid");
        // The representer weights α = K_y⁻¹y, solved through K_y's Cholesky factor.
        let k_y = kernel.matrix(inputs.view(), inputs.view()).expect("valid")
            + Array2::<f64>::eye(x.len()) * NOISE;
        let alpha = Cholesky::new(k_y.view())
            .expect("positive definite")
            .solve_vec(Array1::from(y.clone()).view())
            .expect("solves");
        let gp = Gp::new(
            inputs.clone(),
            Array1::from(y.clone()),
            Hyperparameters { kernel, mean: 0.0, noise: NOISE },
        )
        .expect("valid");
        let p = gp.predict(array![[3.0]].view()).expect("valid");
        AtThree {
            name,
            mean: p.mean[0],
            sd: p.variance[0].sqrt(),
            max_alpha: alpha.iter().fold(0.0, |m: f64, a| m.max(a.abs())),
        }
    })
    .collect()
}

/// Conditions a zero-mean SE prior on a grid on the first four observations and then, using
/// that posterior as the new prior, on the last four; compares with conditioning on all eight
/// at once. Returns the largest differences in mean and covariance.
pub(super) fn two_batches() -> (f64, f64) {
    let (x, y) = observations();
    let g: Vec<f64> = Array1::linspace(-3.0, 3.0, 25).to_vec();
    // Joint points: the 8 inputs followed by the grid.
    let all: Vec<f64> = x.iter().chain(&g).copied().collect();
    let k = kernel_matrix(&all, &all, 0.8, 1.0);
    let condition = |mean: &Array1<f64>, cov: &Array2<f64>, idx: &[usize]| {
        // Condition the Gaussian (mean, cov) on noisy observations y[idx] of components idx.
        let s = Array2::from_shape_fn((idx.len(), idx.len()), |(a, b)| {
            cov[[idx[a], idx[b]]] + if a == b { NOISE } else { 0.0 }
        });
        let c = Array2::from_shape_fn((cov.nrows(), idx.len()), |(i, b)| {
            cov[[i, idx[b]]]
        });
        let r = Array1::from_shape_fn(idx.len(), |b| y[idx[b]] - mean[idx[b]]);
        let chol = Cholesky::new(s.view()).expect("positive definite");
        let gain = chol.solve(c.t()).expect("solves"); // S⁻¹Cᵀ
        let new_mean = mean + &gain.t().dot(&r);
        let new_cov = cov - &c.dot(&gain);
        (new_mean, new_cov)
    };
    let zero = Array1::zeros(all.len());
    let (m_all, c_all) = condition(&zero, &k, &(0..8).collect::<Vec<_>>());
    let (m_half, c_half) = condition(&zero, &k, &[0, 1, 2, 3]);
    let (m_two, c_two) = condition(&m_half, &c_half, &[4, 5, 6, 7]);
    let max_diff = |a: &Array2<f64>, b: &Array2<f64>| {
        a.iter().zip(b).fold(0.0_f64, |m, (p, q)| m.max((p - q).abs()))
    };
    let mean_diff =
        m_all.iter().zip(&m_two).fold(0.0_f64, |m, (p, q)| m.max((p - q).abs()));
    (mean_diff, max_diff(&c_all, &c_two))
}

/// μ(3) and the largest weight |α| for growing noise variance (ℓ = 1.0).
pub(super) fn noise_sweep() -> Vec<(f64, f64, f64)> {
    let (x, y) = observations();
    [1e-6, 1e-4, 1e-2, 1e-1]
        .iter()
        .map(|&noise| {
            let p = posterior(&x, &y, &[3.0], 1.0, 1.0, noise).expect("valid");
            let max_alpha = p.alpha.iter().fold(0.0_f64, |m, a| m.max(a.abs()));
            (noise, p.mean[0], max_alpha)
        })
        .collect()
}
