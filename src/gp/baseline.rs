//! Posterior samples at new points drawn *jointly* with samples already drawn at fixed
//! baseline points: what noisy expected improvement needs, where every sample compares the
//! candidates with the best of the observed points in the same draw of f.
//!
//! With the baseline B first, the Cholesky factor of the joint covariance of f at (B, X) is
//!
//! ```text
//! L = [ L_B   0   ]     L_B L_Bᵀ = Σ_BB,   A = L_B⁻¹ Σ_BX,
//!     [ Aᵀ   L_X|B ]    L_X|B L_X|Bᵀ = Σ_XX − AᵀA,
//! ```
//!
//! so a joint sample with base draws (z_B, z_X) is Y_B = μ_B + L_B z_B at the baseline —
//! which does not depend on X and is computed once — and Y_X = μ_X + Aᵀ z_B + L_X|B z_X at
//! the candidates. This is BoTorch's cached root decomposition for noisy expected
//! improvement. In the posterior's terms (see [`TapePosterior`]), Σ_BX = s²(K_BX − V_Bᵀ V_X)
//! with V = L⁻¹ K(X_train, ·), so A = (s² L_B⁻¹) K_BX − (s² L_B⁻¹ V_Bᵀ L⁻¹) K(X_train, X):
//! two constant matrices, formed once, times kernel matrices recorded on the tape. Each
//! evaluation at q candidates then costs kernel values against the n training points and
//! the b baseline points and a q × q factorisation, instead of the (b + q) × (b + q)
//! factorisation of the joint covariance.

use super::on_tape::{SquaredDistances, TapePosterior};
use crate::autodiff::{Tape, Var};
use crate::linalg::Cholesky;
use crate::{Error, Result};
use ndarray::{Array2, ArrayD, ArrayView2, Ix1, Ix2};
use std::sync::Arc;

/// Samples of the posterior at fixed baseline points B (b × d), and the constants that
/// sample new points jointly with them.
#[derive(Debug, Clone)]
pub struct BaselineSamples {
    posterior: Arc<TapePosterior>,
    /// B in the data's units (b × d).
    points: Array2<f64>,
    /// B in the kernel's scaled coordinates.
    scaled: ArrayD<f64>,
    /// The baseline's base draws z_B (s × b).
    base: ArrayD<f64>,
    /// Y_B = μ_B + z_B L_Bᵀ (s × b), in the data's units.
    samples: Array2<f64>,
    /// s² L_B⁻¹ (b × b).
    left: ArrayD<f64>,
    /// s² L_B⁻¹ V_Bᵀ L⁻¹ (b × n).
    right: ArrayD<f64>,
}

/// `v` as a matrix, after a tape computation that produced one.
fn as_matrix(v: ArrayD<f64>) -> Result<Array2<f64>> {
    v.into_dimensionality::<Ix2>().map_err(|e| Error::InvalidInput {
        context: "BaselineSamples",
        reason: e.to_string(),
    })
}

impl BaselineSamples {
    /// Draws the posterior of `posterior` at the rows of `points` (b × d, data units) with
    /// the base draws `base` (s × b standard normal values, one column per baseline
    /// point): Y_B = μ_B + z_B L_Bᵀ, L_B the Cholesky factor of Σ_BB with the jitter
    /// schedule of [`Cholesky::with_jitter_scaled`] relative to the prior variance.
    ///
    /// # Errors
    /// [`Error::Empty`] for no points or no draws; [`Error::ShapeMismatch`] unless `points`
    /// has d columns and `base` one column per point; [`Error::NonFinite`] for non-finite
    /// entries; [`Error::InvalidInput`] if Σ_BB cannot be factored even with jitter.
    pub fn new(
        posterior: Arc<TapePosterior>,
        points: ArrayView2<'_, f64>,
        base: ArrayView2<'_, f64>,
    ) -> Result<Self> {
        let context = "BaselineSamples: the baseline points";
        crate::error::check_points(points, posterior.dim(), context)?;
        if points.nrows() == 0 || base.nrows() == 0 {
            return Err(Error::Empty { context: "BaselineSamples" });
        }
        let b = points.nrows();
        check_base(base, b, "BaselineSamples: base draws, one column per point")?;
        let tape = Tape::new();
        let p = &*posterior;
        let x = tape.constant(points.to_owned().into_dyn());
        let scaled =
            x * tape.constant(p.scale.clone()) - tape.constant(p.shift.clone());
        let train = tape.constant(p.train.clone());
        let cross = p.shape(tape.custom(SquaredDistances, &[train, scaled]));
        let v = tape.constant(p.factor_inverse.as_ref().clone()).matmul(cross);
        let (mean, covariance) = p.mean_and_covariance(x)?;
        let mean = tape.value(mean)?.into_dimensionality::<Ix1>().map_err(|e| {
            Error::InvalidInput {
                context: "BaselineSamples",
                reason: e.to_string(),
            }
        })?;
        let covariance = as_matrix(tape.value(covariance)?)?;
        let v = as_matrix(tape.value(v)?)?;
        let factor =
            Cholesky::with_jitter_scaled(covariance.view(), p.prior_variance())?;
        let mut samples = base.dot(&factor.factor().t());
        for mut row in samples.rows_mut() {
            row += &mean;
        }
        let left = factor.factor_inverse() * p.variance_scale;
        let linv = as_matrix(p.factor_inverse.as_ref().clone())?;
        let right = left.dot(&v.t()).dot(&linv);
        let built = BaselineSamples {
            posterior: posterior.clone(),
            points: points.to_owned(),
            scaled: tape.value(scaled)?,
            base: base.to_owned().into_dyn(),
            samples,
            left: left.into_dyn(),
            right: right.into_dyn(),
        };
        if built
            .samples
            .iter()
            .chain(&built.left)
            .chain(&built.right)
            .any(|v| !v.is_finite())
        {
            return Err(Error::NonFinite {
                context: "BaselineSamples: the samples",
            });
        }
        Ok(built)
    }

    /// The baseline points B (b × d).
    pub fn points(&self) -> ArrayView2<'_, f64> {
        self.points.view()
    }

    /// The samples Y_B at the baseline (s × b, one draw of f per row).
    pub fn samples(&self) -> ArrayView2<'_, f64> {
        self.samples.view()
    }

    /// The number of draws s.
    pub fn draws(&self) -> usize {
        self.samples.nrows()
    }

    /// Samples at the rows of `x` (q × d, data units) jointly with the baseline's: row i
    /// is μ_X + Aᵀ z_B⁽ⁱ⁾ + L_X|B z_X⁽ⁱ⁾ with the baseline's draws z_B and the draws `base`
    /// (s × q) for the new points, recorded on `x`'s tape (s × q). With base draws
    /// (z_B, z_X) these are the samples of the joint posterior at (B, X) factored with B
    /// first; the conditional covariance L_X|B gets jitter as
    /// [`TapePosterior::samples`] does.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `x` is q × d with q ≥ 1 and `base` is s × q;
    /// [`Error::NonFinite`] for non-finite entries; [`Error::InvalidInput`] if the
    /// conditional covariance cannot be factored even with jitter.
    pub fn joint_samples<'t>(
        &self,
        x: Var<'t>,
        base: ArrayView2<'_, f64>,
    ) -> Result<Var<'t>> {
        let p = &*self.posterior;
        let q = p.check(x)?;
        check_base(
            base,
            q,
            "BaselineSamples: base draws, one column per new point",
        )?;
        if base.nrows() != self.draws() {
            return Err(Error::ShapeMismatch {
                context: "BaselineSamples: as many draws as the baseline's",
                expected: vec![self.draws(), q],
                found: base.shape().to_vec(),
            });
        }
        let tape = x.tape();
        let constant = |a: &ArrayD<f64>| tape.constant(a.clone());
        let scaled = x * constant(&p.scale) - constant(&p.shift);
        let cross =
            p.shape(tape.custom(SquaredDistances, &[constant(&p.train), scaled]));
        let mean = (constant(&p.weights).matmul(cross) + p.offset).reshape(&[q]);
        let v = constant(p.factor_inverse.as_ref()).matmul(cross);
        let with_baseline = p.shape(
            tape.custom(SquaredDistances, &[constant(&self.scaled), scaled]),
        );
        let a = constant(&self.left).matmul(with_baseline)
            - constant(&self.right).matmul(cross);
        let own = p.shape(tape.custom(SquaredDistances, &[scaled, scaled]));
        let covariance = (own - v.gemm(v, true, false)) * p.variance_scale
            - a.gemm(a, true, false);
        let factor = p.jittered_factor(covariance)?;
        let z = tape.constant(base.to_owned().into_dyn());
        Ok(constant(&self.base).matmul(a) + z.gemm(factor, false, true) + mean)
    }
}

impl BaselineSamples {
    /// Samples at one point `x` (d entries, data units) jointly with the baseline's, with
    /// their Jacobian in x, computed directly rather than on the tape: the values of
    /// [`BaselineSamples::joint_samples`] for q = 1 (s entries, from the draws `base`, one
    /// per baseline draw) and ∂yᵢ/∂x (s × d). For one point every quantity is a vector or a
    /// number — k(X_train, x), k(B, x), A = (s²L_B⁻¹) k(B, x) − (s²L_B⁻¹V_BᵀL⁻¹) k(X_train, x),
    /// the conditional variance s²(σ² − vᵀv) − AᵀA with v = L⁻¹k(X_train, x) — and their
    /// gradients follow from ∂k(t, x)/∂x̃ = −σ²(−κ′(r)/r)(x̃ − t): a few matrix–vector
    /// products instead of a recorded graph, which is what makes a one-point search cheap.
    /// The conditional variance gets jitter as the factorisation on the tape does.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `x` has d entries and `base` one per draw;
    /// [`Error::NonFinite`] for non-finite entries; [`Error::InvalidInput`] if the
    /// conditional variance stays non-positive even with the largest jitter.
    pub fn point_samples(
        &self,
        x: ndarray::ArrayView1<'_, f64>,
        base: ndarray::ArrayView1<'_, f64>,
    ) -> Result<(ndarray::Array1<f64>, Array2<f64>)> {
        let p = &*self.posterior;
        let d = p.dim();
        if x.len() != d || base.len() != self.draws() {
            return Err(Error::ShapeMismatch {
                context: "BaselineSamples::point_samples: a point of d entries and one draw \
                          per baseline draw",
                expected: vec![d, self.draws()],
                found: vec![x.len(), base.len()],
            });
        }
        if x.iter().chain(base.iter()).any(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                context: "BaselineSamples::point_samples",
            });
        }
        let m = view2;
        let (scale, shift) = (m(&p.scale)?, m(&p.shift)?);
        let xs: ndarray::Array1<f64> =
            (0..d).map(|j| x[j] * scale[[0, j]] - shift[[0, j]]).collect();
        let (s2, kind) = (p.outputscale, p.kind);
        // k(t, x) and ∂k/∂x̃ for every row t of `points`.
        let kernel = |points: ndarray::ArrayView2<'_, f64>| {
            let mut k = ndarray::Array1::zeros(points.nrows());
            let mut dk = Array2::zeros((points.nrows(), d));
            for (i, t) in points.rows().into_iter().enumerate() {
                let u: f64 =
                    t.iter().zip(&xs).map(|(a, b)| (b - a) * (b - a)).sum();
                let r = u.sqrt();
                k[i] = s2 * kind.shape(r);
                let slope = s2 * kind.slope_over_r(r);
                for j in 0..d {
                    dk[[i, j]] = -slope * (xs[j] - t[j]);
                }
            }
            (k, dk)
        };
        let (kc, dkc) = kernel(m(&p.train)?);
        let (kb, dkb) = kernel(m(&self.scaled)?);
        let weights = m(&p.weights)?;
        let weights = weights.row(0);
        let mean = p.offset + weights.dot(&kc);
        let dmean = dkc.t().dot(&weights);
        let linv = m(p.factor_inverse.as_ref())?;
        let (v, dv) = (linv.dot(&kc), linv.dot(&dkc));
        let (left, right) = (m(&self.left)?, m(&self.right)?);
        let a = left.dot(&kb) - right.dot(&kc);
        let da = left.dot(&dkb) - right.dot(&dkc);
        let vs = p.variance_scale;
        let raw = vs * (s2 * kind.shape(0.0) - v.dot(&v)) - a.dot(&a);
        let draw = dv.t().dot(&v) * (-2.0 * vs) - da.t().dot(&a) * 2.0;
        let prior = p.prior_variance();
        let variance = crate::linalg::JITTERS
            .iter()
            .map(|j| raw + j * prior)
            .find(|v| *v > 0.0 && v.is_finite())
            .ok_or_else(|| Error::InvalidInput {
                context: "BaselineSamples::point_samples",
                reason: format!(
                    "the conditional variance {raw:e} stays non-positive"
                ),
            })?;
        let c = variance.sqrt();
        let dc = draw / (2.0 * c);
        let zb = m(&self.base)?;
        let mut y = zb.dot(&a) + &base * c;
        y += mean;
        let mut jac = zb.dot(&da);
        for (mut row, &z) in jac.rows_mut().into_iter().zip(&base) {
            for j in 0..d {
                row[j] = (row[j] + dmean[j] + z * dc[j]) * scale[[0, j]];
            }
        }
        Ok((y, jac))
    }
}

/// `a` as a matrix view.
fn view2(a: &ArrayD<f64>) -> Result<ArrayView2<'_, f64>> {
    a.view().into_dimensionality::<Ix2>().map_err(|e| Error::InvalidInput {
        context: "BaselineSamples::point_samples",
        reason: e.to_string(),
    })
}

/// Base draws with `width` columns, finite.
fn check_base(
    base: ArrayView2<'_, f64>,
    width: usize,
    context: &'static str,
) -> Result<()> {
    if base.ncols() != width {
        return Err(Error::ShapeMismatch {
            context,
            expected: vec![base.nrows(), width],
            found: base.shape().to_vec(),
        });
    }
    if base.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::{fixed_model, KernelKind};
    use crate::models::Model;
    use crate::numeric::central_difference;
    use ndarray::{concatenate, s, Array1, Axis};

    fn setup() -> (crate::gp::FittedGp, Arc<TapePosterior>, Array2<f64>) {
        let model = fixed_model(KernelKind::Matern52, 10, 2);
        let p = Arc::new(TapePosterior::new(&model).unwrap());
        // Four of the training inputs as the baseline.
        let b = model
            .normalize
            .untransform(model.gp.inputs().slice(s![..4, ..]))
            .unwrap();
        (model, p, b)
    }

    #[test]
    fn joint_samples_equal_those_of_the_joint_posterior_factored_baseline_first() {
        let (model, p, b) = setup();
        let x = ndarray::array![[1.3, 21.2], [4.4, 18.0]];
        let z = crate::sampling::qmc_normal(16, 6, 2).unwrap();
        let baseline =
            BaselineSamples::new(p.clone(), b.view(), z.slice(s![.., ..4]))
                .unwrap();
        let tape = Tape::new();
        let y = baseline
            .joint_samples(
                tape.constant(x.clone().into_dyn()),
                z.slice(s![.., 4..]),
            )
            .unwrap();
        let y = as_matrix(tape.value(y).unwrap()).unwrap();
        let both = concatenate![Axis(0), b, x];
        let want = model.posterior(both.view()).unwrap().sample(z.view()).unwrap();
        let scale = model.standardize.std;
        for (got, w) in baseline.samples().iter().zip(want.slice(s![.., ..4])) {
            assert!((got - w).abs() < 1e-9 * scale, "{got} vs {w}");
        }
        for (got, w) in y.iter().zip(want.slice(s![.., 4..])) {
            assert!((got - w).abs() < 1e-9 * scale, "{got} vs {w}");
        }
        assert_eq!(baseline.draws(), 16);
        assert_eq!(baseline.points(), b);
    }

    #[test]
    fn gradients_in_x_match_finite_differences() {
        let (_, p, b) = setup();
        let z = crate::sampling::qmc_normal(8, 6, 5).unwrap();
        let baseline =
            BaselineSamples::new(p, b.view(), z.slice(s![.., ..4])).unwrap();
        let weights = z.slice(s![.., 4..]).mapv(|v| 0.3 + 0.2 * v);
        let loss = |flat: &Array1<f64>| {
            let tape = Tape::new();
            let x = tape.param(
                flat.clone().into_shape_with_order((2, 2)).unwrap().into_dyn(),
            );
            let y = baseline.joint_samples(x, z.slice(s![.., 4..])).unwrap();
            let total = (y * tape.constant(weights.clone().into_dyn())).sum();
            tape.backward(total).unwrap();
            let g: Array1<f64> = tape.grad(x).unwrap().iter().copied().collect();
            (tape.item(total).unwrap(), g)
        };
        let at = ndarray::array![1.3, 21.2, 4.4, 18.0];
        let (_, g) = loss(&at);
        let fd = central_difference(|v| loss(v).0, &at, 1e-5);
        let scale = fd.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
        for (a, f) in g.iter().zip(&fd) {
            assert!((a - f).abs() < 1e-6 * scale, "{g} vs {fd}");
        }
    }

    #[test]
    fn one_point_samples_and_jacobian_equal_the_tape_s() {
        for kind in [KernelKind::SquaredExponential, KernelKind::Matern52] {
            let model = fixed_model(kind, 10, 2);
            let p = Arc::new(TapePosterior::new(&model).unwrap());
            let b = model
                .normalize
                .untransform(model.gp.inputs().slice(s![..5, ..]))
                .unwrap();
            let z = crate::sampling::qmc_normal(16, 6, 3).unwrap();
            let baseline =
                BaselineSamples::new(p, b.view(), z.slice(s![.., ..5])).unwrap();
            for at in [ndarray::array![1.3, 21.2], b.row(2).to_owned()] {
                let tape = Tape::new();
                let xv = tape.param(at.clone().insert_axis(Axis(0)).into_dyn());
                let y = baseline.joint_samples(xv, z.slice(s![.., 5..])).unwrap();
                let weights = z.column(0).mapv(|v| 0.7 + 0.3 * v);
                let total = (y * tape
                    .constant(weights.clone().insert_axis(Axis(1)).into_dyn()))
                .sum();
                tape.backward(total).unwrap();
                let want_grad: Array1<f64> =
                    tape.grad(xv).unwrap().iter().copied().collect();
                let want = as_matrix(tape.value(y).unwrap()).unwrap();
                let (got, jac) =
                    baseline.point_samples(at.view(), z.column(5)).unwrap();
                let scale = model.standardize.std;
                for (g, w) in got.iter().zip(want.column(0)) {
                    assert!((g - w).abs() < 1e-10 * scale, "{kind:?}: {g} vs {w}");
                }
                let grad = jac.t().dot(&weights);
                let size = want_grad.iter().fold(1e-3_f64, |m, v| m.max(v.abs()));
                for (g, w) in grad.iter().zip(&want_grad) {
                    assert!(
                        (g - w).abs() < 1e-8 * size,
                        "{kind:?}: {grad} vs {want_grad}"
                    );
                }
            }
            assert!(baseline
                .point_samples(ndarray::array![1.0].view(), z.column(5))
                .is_err());
            assert!(baseline
                .point_samples(ndarray::array![1.0, f64::NAN].view(), z.column(5))
                .is_err());
        }
    }

    #[test]
    fn bad_input_is_an_error() {
        let (_, p, b) = setup();
        let z = crate::sampling::qmc_normal(8, 5, 5).unwrap();
        assert!(matches!(
            BaselineSamples::new(p.clone(), b.view(), z.view()),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            BaselineSamples::new(
                p.clone(),
                b.slice(s![..0, ..]),
                z.slice(s![.., ..0])
            ),
            Err(Error::Empty { .. })
        ));
        let mut bad = b.clone();
        bad[[0, 0]] = f64::NAN;
        assert!(matches!(
            BaselineSamples::new(p.clone(), bad.view(), z.slice(s![.., ..4])),
            Err(Error::NonFinite { .. })
        ));
        let baseline =
            BaselineSamples::new(p, b.view(), z.slice(s![.., ..4])).unwrap();
        let tape = Tape::new();
        let x = tape.constant(ndarray::array![[1.0, 20.0]].into_dyn());
        assert!(baseline.joint_samples(x, z.slice(s![.., ..2])).is_err());
        assert!(baseline.joint_samples(x, z.slice(s![..4, ..1])).is_err());
        assert!(baseline.joint_samples(x, z.slice(s![.., ..1])).is_ok());
    }
}
