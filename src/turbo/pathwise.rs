//! Joint posterior draws of a GP at thousands of points, by pathwise conditioning on random
//! Fourier features (Wilson et al., 2020, "Efficiently sampling functions from Gaussian
//! process posteriors", ICML), and Thompson sampling's choice of a batch from them.
//!
//! A joint draw at N points by the Cholesky factor of their N × N posterior covariance costs
//! N³/3 flops and N² memory: at TuRBO's 5000 candidates, 4·10¹⁰ flops and 200 MB per step.
//! Matheron's rule gives the same distribution another way: if f̃ is a draw of the prior
//! and ε̃ ~ N(0, Σ) of the noise, then
//!
//! f̃(·) + k(·, X) (K + Σ)⁻¹ (y − f̃(X) − ε̃)
//!
//! is a draw of the posterior. The prior is drawn as a random Fourier-feature function
//! f̃(x) = m + √(2σ²/M) Σⱼ wⱼ cos(ωⱼᵀx + bⱼ), with wⱼ ~ N(0, 1), bⱼ ~ U(0, 2π) and ωⱼ from the
//! kernel's spectral density (Rahimi and Recht, 2007): for the squared exponential,
//! ωⱼ = z/ℓ with z ~ N(0, I); for Matérn ν, the multivariate Student t with 2ν degrees of
//! freedom, ωⱼ = z·√(2ν/g)/ℓ with g ~ χ²₂ᵥ (the sum of 2ν squared standard normals). The cost
//! is then N·M·d for the features and N·n for the update: linear in N.
//!
//! Each draw has its own frequencies. Averaged over them, E[√(2σ²/M) cos(ωᵀx + b) ·
//! √(2σ²/M) cos(ωᵀx' + b)]·M = k(x, x'), so a draw's mean and covariance are exactly the
//! posterior's (the mean is the posterior mean for any features; the covariance is linear
//! in the prior's) — only its higher moments show the finite M. Sharing frequencies between
//! draws would save the cosines but correlate the draws' errors.

use crate::gp::{Gp, KernelKind};
use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayView2, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;
use std::f64::consts::TAU;

/// Random Fourier features per draw by default: BoTorch's pathwise sampler
/// (`draw_kernel_feature_paths`) uses 1024 too.
pub const DEFAULT_FEATURES: usize = 1024;

/// `count` joint draws of the latent f of `gp` at the rows of `xs`, one draw per row of the
/// result (count × N), by pathwise conditioning on `features` random Fourier features per
/// draw (see the module's documentation), in the GP's own units. Deterministic for a seed.
///
/// The noise draw ε̃ has the variance of the factored matrix's diagonal: the learned noise,
/// any known per-observation variances and the factorisation's jitter, so that
/// (K + Σ)⁻¹ is exactly the inverse the GP holds.
///
/// # Errors
/// [`Error::InvalidInput`] for count = 0 or features = 0; [`Error::ShapeMismatch`] or
/// [`Error::NonFinite`] for bad points.
pub fn posterior_draws(
    gp: &Gp,
    xs: ArrayView2<'_, f64>,
    count: usize,
    features: usize,
    seed: u64,
) -> Result<Array2<f64>> {
    let context = "posterior_draws";
    if count == 0 || features == 0 {
        return Err(Error::InvalidInput {
            context,
            reason: format!(
                "the draws and features must be at least 1, got {count} and {features}"
            ),
        });
    }
    let hyper = gp.hyperparameters();
    let kernel = &hyper.kernel;
    crate::error::check_points(xs, kernel.dim(), context)?;
    let x = gp.inputs();
    let n = x.nrows();
    let mut noise = Array1::from_elem(n, hyper.noise + gp.jitter());
    if let Some(v) = gp.noise_variances() {
        noise += v;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut draws = Array2::zeros((count, xs.nrows()));
    let mut residuals = Array2::zeros((n, count));
    for (c, mut row) in draws.rows_mut().into_iter().enumerate() {
        let prior = FourierPrior::draw(kernel, features, &mut rng);
        row.assign(&prior.values(xs));
        row += hyper.mean;
        let at_data = prior.values(x.view());
        for i in 0..n {
            let eps: f64 = rng.sample(StandardNormal);
            residuals[[i, c]] = gp.observations()[i]
                - hyper.mean
                - at_data[i]
                - eps * noise[i].sqrt();
        }
    }
    let weights = gp.factor().solve(residuals.view())?;
    let cross = kernel.matrix(xs, x.view())?;
    draws += &cross.dot(&weights).t();
    Ok(draws)
}

/// One prior draw f̃ − m = √(2σ²/M) Σⱼ wⱼ cos(ωⱼᵀx + bⱼ).
struct FourierPrior {
    /// ωⱼ as the columns of a d × M matrix.
    frequencies: Array2<f64>,
    phases: Array1<f64>,
    /// √(2σ²/M)·wⱼ.
    amplitudes: Array1<f64>,
}

impl FourierPrior {
    fn draw(
        kernel: &crate::gp::Kernel,
        features: usize,
        rng: &mut ChaCha8Rng,
    ) -> Self {
        let d = kernel.dim();
        // 2ν degrees of freedom of the Student t, or none for the Gaussian.
        let dof = match kernel.kind() {
            KernelKind::SquaredExponential => 0,
            KernelKind::Matern12 => 1,
            KernelKind::Matern32 => 3,
            KernelKind::Matern52 => 5,
        };
        let mut frequencies: Array2<f64> =
            Array2::from_shape_simple_fn((d, features), || {
                rng.sample(StandardNormal)
            });
        if dof > 0 {
            for mut column in frequencies.columns_mut() {
                let g: f64 = (0..dof)
                    .map(|_| {
                        let z: f64 = rng.sample(StandardNormal);
                        z * z
                    })
                    .sum();
                column *= (dof as f64 / g).sqrt();
            }
        }
        for (mut row, l) in
            frequencies.rows_mut().into_iter().zip(kernel.lengthscales())
        {
            row /= *l;
        }
        let phases =
            Array1::from_shape_simple_fn(features, || TAU * rng.random::<f64>());
        let scale = (2.0 * kernel.outputscale() / features as f64).sqrt();
        let amplitudes = Array1::from_shape_simple_fn(features, || {
            scale * rng.sample::<f64, _>(StandardNormal)
        });
        FourierPrior { frequencies, phases, amplitudes }
    }

    /// f̃ − m at the rows of `x` (which has d columns), a block of rows at a time so that
    /// the block's features stay in cache.
    fn values(&self, x: ArrayView2<'_, f64>) -> Array1<f64> {
        const BLOCK: usize = 128;
        let mut out = Array1::zeros(x.nrows());
        for (block, mut part) in x
            .axis_chunks_iter(Axis(0), BLOCK)
            .zip(out.axis_chunks_iter_mut(Axis(0), BLOCK))
        {
            let mut projected = block.dot(&self.frequencies);
            for mut row in projected.rows_mut() {
                row += &self.phases;
                if let Some(values) = row.as_slice_mut() {
                    cos_in_place(values);
                } else {
                    row.mapv_inplace(f64::cos);
                }
            }
            part.assign(&projected.dot(&self.amplitudes));
        }
        out
    }
}

/// Arguments beyond this are reduced less accurately by [`cos_reduced`]: they are left to
/// `f64::cos`.
const COS_REDUCTION_LIMIT: f64 = 1e6;

/// cos x for |x| ≤ [`COS_REDUCTION_LIMIT`], branch-free so that a loop over it vectorises:
/// x = n·π/2 + r with |r| ≤ π/4 by a three-part Cody–Waite reduction (exact for
/// |n| < 2²⁰), then sin r or cos r by fdlibm's minimax polynomials, chosen and signed by
/// n mod 4. Within 2·10⁻¹⁶ of `f64::cos` up to |x| = 10³ and 10⁻¹³ up to 10⁶ (tested).
// The coefficients are quoted as fdlibm publishes them, beyond what an f64 holds.
#[allow(clippy::excessive_precision)]
#[inline(always)]
fn cos_reduced(x: f64) -> f64 {
    // 1.5·2⁵²: adding it rounds to an integer kept in the low bits of the sum.
    const ROUNDER: f64 = 6_755_399_441_055_744.0;
    const PIO2_1: f64 = 1.570_796_326_734_125_614_17;
    const PIO2_2: f64 = 6.077_100_506_303_965_976_6e-11;
    const PIO2_3: f64 = 2.022_266_248_711_166_455_8e-21;
    const S: [f64; 6] = [
        -1.666_666_666_666_663_243_48e-1,
        8.333_333_333_322_489_461_24e-3,
        -1.984_126_982_985_794_931_34e-4,
        2.755_731_370_707_006_767_89e-6,
        -2.505_076_025_340_686_341_95e-8,
        1.589_690_995_211_550_102_21e-10,
    ];
    const C: [f64; 6] = [
        4.166_666_666_666_660_190_37e-2,
        -1.388_888_888_887_410_957_49e-3,
        2.480_158_728_947_672_941_78e-5,
        -2.755_731_435_139_066_330_35e-7,
        2.087_572_321_298_174_827_90e-9,
        -1.135_964_755_778_819_482_65e-11,
    ];
    let shifted = x * std::f64::consts::FRAC_2_PI + ROUNDER;
    let n = shifted - ROUNDER;
    let quadrant = shifted.to_bits() & 3;
    let r = ((x - n * PIO2_1) - n * PIO2_2) - n * PIO2_3;
    let z = r * r;
    let sin = r + r
        * z
        * (S[0] + z * (S[1] + z * (S[2] + z * (S[3] + z * (S[4] + z * S[5])))));
    let cos = 1.0 - 0.5 * z
        + z * z
            * (C[0] + z * (C[1] + z * (C[2] + z * (C[3] + z * (C[4] + z * C[5])))));
    // cos(nπ/2 + r) = cos r, −sin r, −cos r, sin r for n ≡ 0, 1, 2, 3 (mod 4).
    let value = if quadrant & 1 == 0 { cos } else { sin };
    if quadrant == 1 || quadrant == 2 {
        -value
    } else {
        value
    }
}

crate::special::multiversion! {
    /// Replaces every element of `values` with its cosine: [`cos_reduced`] in a loop the
    /// compiler vectorises, then `f64::cos` for the rare arguments beyond
    /// [`COS_REDUCTION_LIMIT`].
    fn cos_in_place(values: &mut [f64]) {
        let mut far = false;
        for v in values.iter_mut() {
            far |= v.abs() > COS_REDUCTION_LIMIT;
            *v = if v.abs() > COS_REDUCTION_LIMIT { *v } else { cos_reduced(*v) };
        }
        if far {
            for v in values.iter_mut() {
                if v.abs() > COS_REDUCTION_LIMIT {
                    *v = v.cos();
                }
            }
        }
    }
}

/// The batch Thompson sampling chooses from `draws` (one draw per row, one column per
/// candidate): draw j's best candidate among those not chosen by draws 0 … j − 1, so the
/// batch holds distinct candidates (BoTorch's `MaxPosteriorSampling` with
/// `replacement=False` also keeps them distinct). Larger is better.
///
/// # Errors
/// [`Error::Empty`] for no draw, [`Error::InvalidInput`] for fewer candidates than draws,
/// [`Error::NonFinite`] for a NaN or infinite value.
pub fn thompson_choice(draws: ArrayView2<'_, f64>) -> Result<Vec<usize>> {
    let context = "thompson_choice";
    if draws.nrows() == 0 {
        return Err(Error::Empty { context });
    }
    if draws.ncols() < draws.nrows() {
        return Err(Error::InvalidInput {
            context,
            reason: format!(
                "{} draws cannot choose distinct points among {} candidates",
                draws.nrows(),
                draws.ncols()
            ),
        });
    }
    if draws.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context });
    }
    let mut taken = vec![false; draws.ncols()];
    let mut chosen = Vec::with_capacity(draws.nrows());
    for row in draws.axis_iter(Axis(0)) {
        let best = row
            .iter()
            .enumerate()
            .filter(|(i, _)| !taken[*i])
            .reduce(|a, b| if b.1 > a.1 { b } else { a })
            .map(|(i, _)| i)
            .unwrap_or_else(|| unreachable!("more candidates than draws"));
        taken[best] = true;
        chosen.push(best);
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::{Hyperparameters, Kernel};
    use ndarray::{array, s};

    /// A GP on eight points of [0, 1]² with the given kernel shape.
    fn small_gp(kind: KernelKind) -> Gp {
        let x = array![
            [0.1, 0.2],
            [0.3, 0.9],
            [0.5, 0.5],
            [0.7, 0.1],
            [0.9, 0.7],
            [0.2, 0.6],
            [0.6, 0.3],
            [0.8, 0.95]
        ];
        let y = x
            .rows()
            .into_iter()
            .map(|r| (3.0f64 * r[0]).sin() + r[1] * r[1])
            .collect::<Array1<f64>>();
        let kernel = Kernel::new(kind, array![0.3, 0.5], 1.7).unwrap();
        Gp::new(x, y, Hyperparameters { kernel, mean: 0.4, noise: 1e-3 }).unwrap()
    }

    /// Test points: one at a datum, two near the data, two far outside (the prior's part
    /// dominates there), at distances of about a lengthscale from each other.
    fn test_points() -> Array2<f64> {
        array![[0.5, 0.5], [0.4, 0.7], [0.45, 0.25], [1.4, 1.2], [1.6, 1.5]]
    }

    /// The draws' sample mean and covariance agree with the exact posterior within 4.5
    /// standard errors, the errors estimated from the draws themselves.
    fn check_moments(kind: KernelKind) {
        let gp = small_gp(kind);
        let xs = test_points();
        let (mean, cov) = gp.covariance(xs.view()).unwrap();
        let count = 20_000;
        let f = posterior_draws(&gp, xs.view(), count, 64, 17).unwrap();
        let k = xs.nrows();
        let sample_mean = f.mean_axis(Axis(0)).unwrap();
        let centred = &f - &mean;
        for i in 0..k {
            let se = (cov[[i, i]] / count as f64).sqrt();
            assert!(
                (sample_mean[i] - mean[i]).abs() < 4.5 * se.max(1e-9),
                "{kind:?} mean {i}: {} vs {}, se {se}",
                sample_mean[i],
                mean[i]
            );
            for j in 0..=i {
                // Products of centred values (about the exact mean): their average estimates
                // the covariance without bias; their spread gives its standard error.
                let p = &centred.column(i) * &centred.column(j);
                let avg = p.mean().unwrap();
                let se = (p.var(1.0) / count as f64).sqrt();
                assert!(
                    (avg - cov[[i, j]]).abs() < 4.5 * se.max(1e-12),
                    "{kind:?} cov {i},{j}: {avg} vs {}, se {se}",
                    cov[[i, j]]
                );
            }
        }
        // The test can tell: far from the data the covariance of the two far points is
        // neither the variance nor 0.
        assert!(cov[[4, 3]] > 0.2 * cov[[3, 3]] && cov[[4, 3]] < 0.9 * cov[[3, 3]]);
    }

    #[test]
    fn draws_have_the_posterior_mean_and_covariance() {
        for kind in [
            KernelKind::Matern52,
            KernelKind::SquaredExponential,
            KernelKind::Matern32,
            KernelKind::Matern12,
        ] {
            check_moments(kind);
        }
    }

    #[test]
    fn the_moment_check_can_tell_two_kernels_apart() {
        // The exact posteriors under Matérn-5/2 and under the squared exponential (same
        // lengthscales) differ at the far pair of points by many of the check's standard
        // errors: draws from the wrong spectral density would fail it.
        let gp = small_gp(KernelKind::Matern52);
        let other = small_gp(KernelKind::SquaredExponential);
        let xs = test_points();
        let (_, cov) = gp.covariance(xs.view()).unwrap();
        let (_, wrong) = other.covariance(xs.view()).unwrap();
        let f = posterior_draws(&gp, xs.view(), 20_000, 64, 17).unwrap();
        let (m3, m4) = (f.column(3).mean().unwrap(), f.column(4).mean().unwrap());
        let p = (&f.column(3) - m3) * (&f.column(4) - m4);
        let se = (p.var(1.0) / 20_000.0).sqrt();
        assert!(
            (wrong[[4, 3]] - cov[[4, 3]]).abs() > 8.0 * se,
            "{} {} {se}",
            wrong[[4, 3]],
            cov[[4, 3]]
        );
    }

    #[test]
    fn draws_are_deterministic_and_pass_through_exact_data() {
        let gp = small_gp(KernelKind::Matern52);
        let xs = test_points();
        let a = posterior_draws(&gp, xs.view(), 3, 256, 5).unwrap();
        assert_eq!(a, posterior_draws(&gp, xs.view(), 3, 256, 5).unwrap());
        assert_ne!(a, posterior_draws(&gp, xs.view(), 3, 256, 6).unwrap());
        // At a datum the posterior sd is about √σₙ² = 0.03: every draw is within a few.
        let y = gp.observations()[2];
        assert!(a.column(0).iter().all(|v| (v - y).abs() < 0.2), "{a}");
        // A subset of the points gets the same draws' values there (same seed, same
        // features, same noise).
        let b = posterior_draws(&gp, xs.slice(s![..2, ..]), 3, 256, 5).unwrap();
        assert!((&b - &a.slice(s![.., ..2])).iter().all(|d| d.abs() < 1e-12));
    }

    #[test]
    fn the_fast_cosine_agrees_with_the_library_s() {
        let sweep = |hi: f64, n: usize| {
            (0..=n).map(move |i| {
                hi * (2.0 * ((i as f64 * 0.618_033_988_749_895) % 1.0) - 1.0)
            })
        };
        for (hi, tol) in [(4.0, 2e-16), (1e3, 2e-16), (1e6, 1e-13)] {
            let x: Vec<f64> = sweep(hi, 20_000).collect();
            let mut c = x.clone();
            cos_in_place(&mut c);
            for (a, b) in x.iter().zip(&c) {
                assert!((a.cos() - b).abs() <= tol, "cos {a}: {b} vs {}", a.cos());
            }
        }
        // Multiples of π/2, and arguments beyond the reduction's range.
        let mut x = vec![
            0.0,
            std::f64::consts::FRAC_PI_2,
            std::f64::consts::PI,
            3e9,
            -1e12,
        ];
        let want: Vec<f64> = x.iter().map(|v| v.cos()).collect();
        cos_in_place(&mut x);
        for (a, b) in x.iter().zip(&want) {
            assert!((a - b).abs() <= 2e-16, "{a} vs {b}");
        }
    }

    #[test]
    fn thompson_choice_takes_each_draw_s_best_unchosen_candidate() {
        let draws = array![
            [0.0, 5.0, 1.0, 2.0],
            [0.0, 9.0, 3.0, 2.0],
            [7.0, 8.0, 9.0, 1.0]
        ];
        // Draw 0: candidate 1; draw 1: 1 taken, so 2; draw 2: 2 taken, 1 taken, so 0.
        assert_eq!(thompson_choice(draws.view()).unwrap(), vec![1, 2, 0]);
        assert!(thompson_choice(Array2::zeros((0, 3)).view()).is_err());
        assert!(thompson_choice(Array2::zeros((3, 2)).view()).is_err());
        assert!(thompson_choice(array![[0.0, f64::NAN]].view()).is_err());
    }

    #[test]
    fn bad_draw_requests_are_refused() {
        let gp = small_gp(KernelKind::Matern52);
        let xs = test_points();
        assert!(posterior_draws(&gp, xs.view(), 0, 8, 0).is_err());
        assert!(posterior_draws(&gp, xs.view(), 2, 0, 0).is_err());
        assert!(posterior_draws(&gp, array![[0.5]].view(), 2, 8, 0).is_err());
        assert!(
            posterior_draws(&gp, array![[0.5, f64::NAN]].view(), 2, 8, 0).is_err()
        );
    }
}
