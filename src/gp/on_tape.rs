//! The joint posterior of a GP as a function of its inputs *on the autodiff tape*: the mean
//! μ(X) and covariance Σ(X) at q points X (q × d), recorded with the tape's operations so
//! that a quantity computed from them — a Monte Carlo acquisition value averaged over
//! samples μ + L z, say — has its gradient in X by one backward pass.
//!
//! What does not depend on X is computed once, off the tape, when a [`TapePosterior`] is
//! built: the training inputs in the kernel's scaled coordinates, the Cholesky factor L of
//! K + σₙ²I and α = (K + σₙ²I)⁻¹(y − m). Each call then records, for X in the data's units,
//!
//! - the scaled inputs X̃ = (X − l) ⊘ (r ⊙ ℓ) (the input normalisation and the
//!   lengthscales in one affine map),
//! - the cross-covariance K(X_train, X) = σ² κ(R²) with R² the squared scaled distances,
//! - the mean μ = ȳ + s (m + K(X_train, X)ᵀ α),
//! - V = L⁻¹ K(X_train, X), and Σ = s² (K(X, X) − VᵀV),
//!
//! with (ȳ, s) the output standardisation. The triangular solve for V is taken as a product
//! with L⁻¹, formed once with the other constants: for the few columns of a batch, that is
//! one matrix product per call instead of a substitution that must also check and re-invert
//! the factor's blocks every time (the largest cost when measured, at n = 40). L⁻¹ is held
//! once and shared by every tape, and the product runs over its lower triangle for the few
//! columns of a batch. Points fixed across calls, such as pending points, have their share
//! computed once ([`TapePosterior::fix`]). Gradients in
//! X flow through the kernel and the products; two kernel operations of this module do the
//! element-wise work in one pass each.

use super::fit::FittedGp;
use super::kernel::KernelKind;
use super::model::Gp;
use crate::autodiff::{Function, Var};
use crate::linalg::Cholesky;
use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayD, ArrayView2, Ix2};
use std::sync::Arc;

/// `a` as a matrix, for the kernel operations.
fn matrix<'a>(
    a: &'a ArrayD<f64>,
    context: &'static str,
) -> Result<ndarray::ArrayView2<'a, f64>> {
    a.view().into_dimensionality::<Ix2>().map_err(|_| Error::InvalidInput {
        context,
        reason: format!("needs a matrix, found shape {:?}", a.shape()),
    })
}

/// (A, B) ↦ R², R²ᵢⱼ = Σ_d (aᵢ_d − bⱼ_d)², for the rows of A (nₐ × d) and of B (n_b × d),
/// summed directly: no cancellation, so that a point is exactly 0 from itself.
///
/// Backward rule: ∂R²ᵢⱼ/∂aᵢ = 2(aᵢ − bⱼ), so with G the adjoint of R²,
/// Ā = 2(diag(G 1) A − G B) and B̄ = 2(diag(Gᵀ1) B − Gᵀ A), each one
/// [`DistanceAdjoint`] operation, itself differentiable.
pub(super) struct SquaredDistances;

impl Function for SquaredDistances {
    fn name(&self) -> &'static str {
        "squared_distances"
    }

    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let a = matrix(x[0], "squared_distances")?;
        let b = matrix(x[1], "squared_distances")?;
        if a.ncols() != b.ncols() {
            return Err(Error::ShapeMismatch {
                context: "squared_distances: the points' dimension",
                expected: vec![b.nrows(), a.ncols()],
                found: b.shape().to_vec(),
            });
        }
        let mut out = Array2::zeros((a.nrows(), b.nrows()));
        for (mut row, p) in out.rows_mut().into_iter().zip(a.rows()) {
            for (o, q) in row.iter_mut().zip(b.rows()) {
                *o = p.iter().zip(q).map(|(u, v)| (u - v) * (u - v)).sum();
            }
        }
        Ok(out.into_dyn())
    }

    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        let (a, b) = (x[0], x[1]);
        let tape = g.tape();
        let da = || tape.custom(DistanceAdjoint, &[g, a, b]);
        let db = || tape.custom(DistanceAdjoint, &[g.t(), b, a]);
        vec![a.requires_grad().then(da), b.requires_grad().then(db)]
    }
}

/// (G, A, B) ↦ 2(diag(G 1) A − G B): the adjoint of A in [`SquaredDistances`] as one
/// operation (the adjoint of B is the same with Gᵀ and the roles swapped), one pass
/// instead of six recorded operations.
///
/// Its own backward rule, for second derivatives: with Ō the adjoint of the output,
/// Ḡᵢⱼ = 2 Ōᵢ·(aᵢ − bⱼ), Ā = 2 diag(G 1) Ō and B̄ = −2 Gᵀ Ō.
struct DistanceAdjoint;

impl Function for DistanceAdjoint {
    fn name(&self) -> &'static str {
        "distance_adjoint"
    }

    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let g = matrix(x[0], "distance_adjoint")?;
        let a = matrix(x[1], "distance_adjoint")?;
        let b = matrix(x[2], "distance_adjoint")?;
        if g.dim() != (a.nrows(), b.nrows()) || a.ncols() != b.ncols() {
            return Err(Error::ShapeMismatch {
                context: "distance_adjoint",
                expected: vec![a.nrows(), b.nrows()],
                found: g.shape().to_vec(),
            });
        }
        let mut out = Array2::zeros(a.raw_dim());
        for ((mut o, p), weights) in
            out.rows_mut().into_iter().zip(a.rows()).zip(g.rows())
        {
            for (&w, q) in weights.iter().zip(b.rows()) {
                for ((o, &pk), &qk) in o.iter_mut().zip(&p).zip(&q) {
                    *o += 2.0 * w * (pk - qk);
                }
            }
        }
        Ok(out.into_dyn())
    }

    fn vjp<'t>(
        &self,
        o: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        let (g, a, b) = (x[0], x[1], x[2]);
        let rows = a.shape()[0];
        let dg = || {
            let along_a = (o * a).sum_axis(1).reshape(&[rows, 1]);
            (along_a - o.gemm(b, false, true)) * 2.0
        };
        let da = || g.sum_axis(1).reshape(&[rows, 1]) * o * 2.0;
        let db = || g.gemm(o, true, false) * -2.0;
        vec![
            g.requires_grad().then(dg),
            a.requires_grad().then(da),
            b.requires_grad().then(db),
        ]
    }
}

/// The kernel's shape as a function of u = r², scaled by `scale`, or one of its derivatives
/// in u: c κ(√u) for `order` 0, c dκ/du = −(c/2)(−κ'(r)/r) for 1, c d²κ/du² for 2.
///
/// Working in u rather than r keeps the first derivative finite at u = 0 for every shape
/// (the squared exponential and the Matérn kernels have dκ/du = −½, −5/6, −3/2 there; for
/// Matérn ½, whose κ has a kink at r = 0, 0 is taken, where it multiplies a zero distance
/// anyway). The second derivative is given for the squared exponential and Matérn 5/2,
/// the shapes smooth enough for it at u = 0; asking for more is an error.
struct KernelShape {
    kind: KernelKind,
    scale: f64,
    order: u8,
}

impl KernelShape {
    fn at(&self, u: f64) -> f64 {
        let r = u.max(0.0).sqrt();
        let c = self.scale;
        match (self.order, self.kind) {
            (0, kind) => c * kind.shape(r),
            (1, kind) => -0.5 * c * kind.slope_over_r(r),
            (_, KernelKind::SquaredExponential) => 0.25 * c * (-0.5 * u).exp(),
            // κ = (1 + a + a²/3) e⁻ᵃ, a = √(5u): dκ/du = −(5/6)(1 + a) e⁻ᵃ and
            // d²κ/du² = (25/12) e⁻ᵃ.
            (_, _) => 25.0 / 12.0 * c * (-(5.0 * u.max(0.0)).sqrt()).exp(),
        }
    }
}

impl Function for KernelShape {
    fn name(&self) -> &'static str {
        match self.order {
            0 => "kernel_shape",
            _ => "kernel_shape_derivative",
        }
    }

    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let supported = self.order < 2
            || (self.order == 2
                && matches!(
                    self.kind,
                    KernelKind::SquaredExponential | KernelKind::Matern52
                ));
        if !supported {
            return Err(Error::InvalidInput {
                context: "kernel_shape",
                reason: format!(
                    "derivative {} in r² of the {:?} shape is not available",
                    self.order, self.kind
                ),
            });
        }
        Ok(x[0].mapv(|u| self.at(u)))
    }

    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        let next = KernelShape {
            kind: self.kind,
            scale: self.scale,
            order: self.order + 1,
        };
        vec![Some(g * g.tape().custom(next, &[x[0]]))]
    }
}

/// A GP's posterior prepared for the tape: the constants of the training side, computed
/// once, and the maps from X (in the data's units) to μ(X) and Σ(X) (in the data's units).
#[derive(Debug, Clone)]
pub struct TapePosterior {
    pub(super) kind: KernelKind,
    /// σ² in the model's units.
    pub(super) outputscale: f64,
    /// 1/(r_j ℓ_j): input normalisation and lengthscale in one factor.
    pub(super) scale: ArrayD<f64>,
    /// l_j/(r_j ℓ_j).
    pub(super) shift: ArrayD<f64>,
    /// The training inputs x̃ᵢ = xₙ ⊘ ℓ (n × d).
    pub(super) train: ArrayD<f64>,
    /// L⁻¹, L L ᵀ = K + σₙ²I (n × n, jitter included).
    pub(super) factor_inverse: Arc<ArrayD<f64>>,
    /// Whether the stored L⁻¹ is exactly lower triangular, checked once.
    pub(super) factor_lower: bool,
    /// s αᵀ (1 × n).
    pub(super) weights: ArrayD<f64>,
    /// ȳ + s m.
    pub(super) offset: f64,
    /// s².
    pub(super) variance_scale: f64,
}

/// B ↦ A B (or Aᵀ B) for a constant matrix A shared by every call: the product by L⁻¹
/// without copying the n × n factor onto each tape. Backward: B̄ = Aᵀ G (or A G). For the
/// few columns of a batch and a lower-triangular A (L⁻¹ is), the product runs over the
/// triangle alone, row by row: half the work of the dense product, and none of the
/// packing a general matrix product does at every call.
struct ConstProduct {
    a: Arc<ArrayD<f64>>,
    transpose: bool,
    /// Whether A is lower triangular, checked once.
    lower: bool,
}

/// Batches of at most this many columns take the triangular path of [`ConstProduct`].
const NARROW: usize = 8;

/// Whether the square matrix `a` is lower triangular (exact zeros above the diagonal).
fn is_lower(a: ndarray::ArrayView2<'_, f64>) -> bool {
    a.nrows() == a.ncols()
        && a.rows()
            .into_iter()
            .enumerate()
            .all(|(i, r)| r.iter().skip(i + 1).all(|v| *v == 0.0))
}

/// L B (or Lᵀ B) for lower-triangular L (n × n) and B (n × c), over the triangle.
fn triangular_product(
    l: ndarray::ArrayView2<'_, f64>,
    b: ndarray::ArrayView2<'_, f64>,
    transpose: bool,
) -> Array2<f64> {
    use ndarray::s;
    let (n, c) = b.dim();
    let mut out = Array2::zeros((n, c));
    for i in 0..n {
        let row = l.slice(s![i, ..=i]);
        for k in 0..c {
            if transpose {
                // (Lᵀ B)ⱼₖ = Σᵢ Lᵢⱼ Bᵢₖ: row i of L scaled by Bᵢₖ into rows 0..=i.
                let bik = b[[i, k]];
                out.slice_mut(s![..=i, k]).scaled_add(bik, &row);
            } else {
                out[[i, k]] = row.dot(&b.slice(s![..=i, k]));
            }
        }
    }
    out
}

impl Function for ConstProduct {
    fn name(&self) -> &'static str {
        "const_product"
    }

    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let l = matrix(&self.a, "const_product")?;
        let a = if self.transpose { l.t() } else { l };
        let b = matrix(x[0], "const_product")?;
        if a.ncols() == b.nrows() && b.ncols() <= NARROW && self.lower {
            return Ok(triangular_product(l, b, self.transpose).into_dyn());
        }
        if a.ncols() != b.nrows() {
            return Err(Error::ShapeMismatch {
                context: "const_product: A B",
                expected: vec![a.ncols(), b.ncols()],
                found: b.shape().to_vec(),
            });
        }
        Ok(a.dot(&b).into_dyn())
    }

    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        let back = || {
            let t = ConstProduct {
                a: self.a.clone(),
                transpose: !self.transpose,
                lower: self.lower,
            };
            g.tape().custom(t, &[g])
        };
        vec![x[0].requires_grad().then(back)]
    }
}

/// Fixed points' share of a [`TapePosterior`]'s joint posterior, computed once by
/// [`TapePosterior::fix`].
#[derive(Debug, Clone)]
pub struct FixedPoints {
    /// The scaled inputs (p × d).
    scaled: ArrayD<f64>,
    /// L⁻¹ K(X_train, X_p) (n × p).
    v: ArrayD<f64>,
    /// The posterior mean (p).
    mean: ArrayD<f64>,
    /// The posterior covariance (p × p).
    covariance: ArrayD<f64>,
}

impl TapePosterior {
    /// The posterior of `model` (its GP with its input normalisation and output
    /// standardisation), answering in the data's units as [`Model::posterior`] does.
    ///
    /// [`Model::posterior`]: crate::models::Model::posterior
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if the output scale overflows in the data's units.
    pub fn new(model: &FittedGp) -> Result<Self> {
        let n = &model.normalize;
        let s = model.standardize;
        TapePosterior::build(
            &model.gp,
            n.lower().view(),
            n.range().view(),
            s.mean,
            s.std,
        )
    }

    /// The posterior of `gp` in its own units (no transforms).
    ///
    /// # Errors
    /// As for [`TapePosterior::new`].
    pub fn from_gp(gp: &Gp) -> Result<Self> {
        let d = gp.hyperparameters().kernel.dim();
        let (zero, one) = (Array1::zeros(d), Array1::ones(d));
        TapePosterior::build(gp, zero.view(), one.view(), 0.0, 1.0)
    }

    fn build(
        gp: &Gp,
        lower: ndarray::ArrayView1<'_, f64>,
        range: ndarray::ArrayView1<'_, f64>,
        y_mean: f64,
        y_std: f64,
    ) -> Result<Self> {
        let h = gp.hyperparameters();
        let ls = h.kernel.lengthscales();
        let width = &range * ls;
        let d = ls.len();
        let scale = width.mapv(|w| 1.0 / w).into_shape_with_order((1, d));
        let shift = (&lower / &width).into_shape_with_order((1, d));
        let (Ok(scale), Ok(shift)) = (scale, shift) else {
            unreachable!("d entries make a 1 × d row")
        };
        let train = gp.inputs() / ls;
        let n = train.nrows();
        let weights = (gp.alpha() * y_std).into_shape_with_order((1, n));
        let Ok(weights) = weights else {
            unreachable!("n entries make a 1 × n row")
        };
        let linv = gp.factor().factor_inverse();
        let posterior = TapePosterior {
            kind: h.kernel.kind(),
            outputscale: h.kernel.outputscale(),
            scale: scale.into_dyn(),
            shift: shift.into_dyn(),
            train: train.into_dyn(),
            factor_lower: is_lower(linv.view()),
            factor_inverse: Arc::new(linv.into_dyn()),
            weights: weights.into_dyn(),
            offset: y_mean + y_std * h.mean,
            variance_scale: y_std * y_std,
        };
        let finite = [posterior.offset, posterior.prior_variance()]
            .iter()
            .chain(&posterior.weights)
            .chain(&posterior.scale)
            .chain(&posterior.shift)
            .all(|v| v.is_finite());
        if !finite {
            return Err(super::overflow("TapePosterior"));
        }
        Ok(posterior)
    }

    /// The input dimension d.
    pub fn dim(&self) -> usize {
        self.scale.len()
    }

    /// The prior variance s²σ² in the data's units: the scale of the sampling jitter.
    pub fn prior_variance(&self) -> f64 {
        self.variance_scale * self.outputscale
    }

    /// The posterior mean μ (a vector of q entries) and covariance Σ (q × q) of the latent function at
    /// the rows of `x` (q × d, in the data's units), recorded on `x`'s tape.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `x` is a q × d matrix with q ≥ 1,
    /// [`Error::NonFinite`] for NaN or infinite entries, a failed operation's error.
    pub fn mean_and_covariance<'t>(
        &self,
        x: Var<'t>,
    ) -> Result<(Var<'t>, Var<'t>)> {
        let q = self.check(x)?;
        let (_, _, mean, covariance) = self.parts(x);
        let mean = mean.reshape(&[q]);
        x.tape().inspect(covariance, |_| ())?;
        Ok((mean, covariance))
    }

    /// For checked X (q × d) on the tape: the scaled inputs X̃, V = L⁻¹ K(X_train, X), the
    /// mean (1 × q) and Σ(X).
    fn parts<'t>(&self, x: Var<'t>) -> (Var<'t>, Var<'t>, Var<'t>, Var<'t>) {
        let tape = x.tape();
        let scaled = x * tape.constant(self.scale.clone())
            - tape.constant(self.shift.clone());
        let train = tape.constant(self.train.clone());
        let cross = self.shape(tape.custom(SquaredDistances, &[train, scaled]));
        let mean = tape.constant(self.weights.clone()).matmul(cross) + self.offset;
        let v = self.solve(cross);
        let own = self.shape(tape.custom(SquaredDistances, &[scaled, scaled]));
        let covariance = (own - v.gemm(v, true, false)) * self.variance_scale;
        (scaled, v, mean, covariance)
    }

    /// Reparameterised joint samples Y = μᵀ + Z Lᵀ at the rows of `x` (q × d): one row per
    /// row of `base` (s × q standard normal draws, the fixed base samples), with L the
    /// Cholesky factor of Σ + εI and ε from the jitter schedule of
    /// [`Cholesky::with_jitter_scaled`] relative to the prior variance, the one
    /// [`Posterior::sample`](crate::models::Posterior::sample) uses. ε is chosen from Σ's
    /// value and then held fixed: the factor on the tape is of Σ + εI, so the gradient is
    /// that of the function actually computed.
    ///
    /// # Errors
    /// As for [`TapePosterior::mean_and_covariance`]; [`Error::ShapeMismatch`] unless
    /// `base` has q columns; [`Error::NonFinite`] for non-finite draws;
    /// [`Error::InvalidInput`] if Σ cannot be factored even with jitter.
    pub fn samples<'t>(
        &self,
        x: Var<'t>,
        base: ArrayView2<'_, f64>,
    ) -> Result<Var<'t>> {
        let q = self.check(x)?;
        if base.ncols() != q {
            return Err(Error::ShapeMismatch {
                context:
                    "TapePosterior::samples: base samples, one column per point",
                expected: vec![base.nrows(), q],
                found: base.shape().to_vec(),
            });
        }
        if base.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                context: "TapePosterior::samples: base samples",
            });
        }
        let (mean, covariance) = self.mean_and_covariance(x)?;
        let factor = self.jittered_factor(covariance)?;
        let tape = x.tape();
        let z = tape.constant(base.to_owned().into_dyn());
        Ok(z.gemm(factor, false, true) + mean)
    }

    /// What [`TapePosterior::samples_with_fixed`] needs of fixed points X_p (p × d, in the
    /// data's units, p ≥ 1), computed once off the tape: their scaled inputs, V_p =
    /// L⁻¹ K(X_train, X_p), their posterior mean and covariance. Pending points are such
    /// points: every evaluation of a Monte Carlo acquisition function puts them beside the
    /// candidate in the joint posterior, and their share of the triangular solve, the
    /// largest cost of an evaluation, is the same each time.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `fixed` is p × d with p ≥ 1, [`Error::NonFinite`] for
    /// non-finite entries.
    pub fn fix(&self, fixed: ArrayView2<'_, f64>) -> Result<FixedPoints> {
        crate::error::check_points(fixed, self.dim(), "TapePosterior::fix")?;
        if fixed.nrows() == 0 {
            return Err(Error::ShapeMismatch {
                context: "TapePosterior::fix: at least one point",
                expected: vec![1, self.dim()],
                found: fixed.shape().to_vec(),
            });
        }
        let tape = crate::autodiff::Tape::new();
        let x = tape.constant(fixed.to_owned().into_dyn());
        let scaled = x * tape.constant(self.scale.clone())
            - tape.constant(self.shift.clone());
        let train = tape.constant(self.train.clone());
        let cross = self.shape(tape.custom(SquaredDistances, &[train, scaled]));
        let v = self.solve(cross);
        let (mean, covariance) = self.mean_and_covariance(x)?;
        let get = |var: Var<'_>| tape.inspect(var, |a| a.clone());
        Ok(FixedPoints {
            scaled: get(scaled)?,
            v: get(v)?,
            mean: get(mean)?,
            covariance: get(covariance)?,
        })
    }

    /// As [`TapePosterior::samples`] at the rows of `x` (q × d) followed by the fixed
    /// points of `fixed` (from [`TapePosterior::fix`]): joint samples of the q + p points,
    /// one row per row of `base` (s × (q + p)), the same numbers up to rounding, with the
    /// fixed points' share of the posterior taken from `fixed` instead of recomputed.
    ///
    /// # Errors
    /// As for [`TapePosterior::samples`]; [`Error::ShapeMismatch`] if `fixed` was made for
    /// points of another dimension.
    pub fn samples_with_fixed<'t>(
        &self,
        x: Var<'t>,
        fixed: &FixedPoints,
        base: ArrayView2<'_, f64>,
    ) -> Result<Var<'t>> {
        let q = self.check(x)?;
        let p = fixed.mean.len();
        if base.ncols() != q + p || fixed.scaled.shape() != [p, self.dim()] {
            return Err(Error::ShapeMismatch {
                context: "TapePosterior::samples_with_fixed: base samples, one column per \
                          point and fixed point",
                expected: vec![base.nrows(), q + p],
                found: base.shape().to_vec(),
            });
        }
        if base.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                context: "TapePosterior::samples_with_fixed: base samples",
            });
        }
        let tape = x.tape();
        let (scaled, v, mean, top_left) = self.parts(x);
        let fixed_scaled = tape.constant(fixed.scaled.clone());
        let fixed_v = tape.constant(fixed.v.clone());
        let to_fixed =
            self.shape(tape.custom(SquaredDistances, &[scaled, fixed_scaled]));
        let top_right =
            (to_fixed - v.gemm(fixed_v, true, false)) * self.variance_scale;
        let from_fixed =
            self.shape(tape.custom(SquaredDistances, &[fixed_scaled, scaled]));
        let bottom_left =
            (from_fixed - fixed_v.gemm(v, true, false)) * self.variance_scale;
        let bottom_right = tape.constant(fixed.covariance.clone());
        let covariance = tape.concat(
            &[
                tape.concat(&[top_left, top_right], 1),
                tape.concat(&[bottom_left, bottom_right], 1),
            ],
            0,
        );
        let mean = tape
            .concat(&[mean.reshape(&[q]), tape.constant(fixed.mean.clone())], 0);
        tape.inspect(covariance, |_| ())?;
        let factor = self.jittered_factor(covariance)?;
        let z = tape.constant(base.to_owned().into_dyn());
        Ok(z.gemm(factor, false, true) + mean)
    }

    /// The Cholesky factor of Σ + εI on the tape, ε from Σ's value.
    pub(super) fn jittered_factor<'t>(
        &self,
        covariance: Var<'t>,
    ) -> Result<Var<'t>> {
        let tape = covariance.tape();
        let (jitter, q) = tape.inspect(covariance, |value| {
            let sigma =
                value.view().into_dimensionality::<Ix2>().map_err(|_| {
                    Error::InvalidInput {
                        context: "TapePosterior::samples",
                        reason: "the covariance is not a matrix".into(),
                    }
                })?;
            let factor =
                Cholesky::with_jitter_scaled(sigma, self.prior_variance())?;
            Ok::<_, Error>((factor.jitter(), sigma.nrows()))
        })??;
        let jittered = if jitter > 0.0 {
            let eye = Array2::<f64>::eye(q) * jitter;
            covariance + tape.constant(eye.into_dyn())
        } else {
            covariance
        };
        Ok(jittered.cholesky())
    }

    /// V = L⁻¹ K for the cross-covariance K (n × q) on the tape, L⁻¹ shared rather than
    /// copied onto the tape at every call.
    pub(super) fn solve<'t>(&self, cross: Var<'t>) -> Var<'t> {
        let product = ConstProduct {
            a: self.factor_inverse.clone(),
            transpose: false,
            lower: self.factor_lower,
        };
        cross.tape().custom(product, &[cross])
    }

    /// σ² κ on the squared distances `r2`.
    pub(super) fn shape<'t>(&self, r2: Var<'t>) -> Var<'t> {
        let shape =
            KernelShape { kind: self.kind, scale: self.outputscale, order: 0 };
        r2.tape().custom(shape, &[r2])
    }

    /// q for a q × d matrix of finite inputs.
    pub(super) fn check(&self, x: Var<'_>) -> Result<usize> {
        let shape = x.shape();
        let d = self.dim();
        let context = "TapePosterior: the points X (q × d)";
        if shape.len() != 2 || shape[1] != d || shape[0] == 0 {
            return Err(Error::ShapeMismatch {
                context,
                expected: vec![shape.first().copied().unwrap_or(0).max(1), d],
                found: shape,
            });
        }
        if !x.tape().inspect(x, |value| value.iter().all(|v| v.is_finite()))? {
            return Err(Error::NonFinite { context });
        }
        Ok(shape[0])
    }
}

/// A model with fixed hyperparameters on data far from the unit cube and from mean 0, so
/// that both transforms matter: n points of a smooth function of d inputs.
#[cfg(test)]
pub(crate) fn fixed_model(kind: KernelKind, n: usize, d: usize) -> FittedGp {
    use super::{FitOptions, Hyperparameters, Kernel};
    use crate::transforms::{Normalize, Standardize};
    let x = Array2::from_shape_fn((n, d), |(i, j)| {
        let u = ((i * 7 + j * 3 + 1) % (n + 1)) as f64 / n as f64;
        10.0 * u - 3.0 + 20.0 * j as f64
    });
    let y = x.map_axis(ndarray::Axis(1), |r| {
        let s: f64 =
            r.iter().enumerate().map(|(j, v)| (0.3 * v + j as f64).sin()).sum();
        50.0 + 8.0 * s
    });
    let normalize = Normalize::learn(x.view()).unwrap();
    let standardize = Standardize::learn(y.view()).unwrap();
    let lengthscales = Array1::from_shape_fn(d, |j| 0.25 + 0.1 * j as f64);
    let kernel = Kernel::new(kind, lengthscales, 1.3).unwrap();
    let hyper = Hyperparameters { kernel, mean: 0.1, noise: 1e-3 };
    let xn = normalize.apply(x.view()).unwrap();
    let gp = Gp::new(xn, standardize.apply(y.view()), hyper).unwrap();
    FittedGp { gp, normalize, standardize, options: FitOptions::default() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autodiff::Tape;
    use crate::models::Model;
    use crate::numeric::central_difference;
    use ndarray::{array, Array1};

    const KINDS: [KernelKind; 4] = [
        KernelKind::SquaredExponential,
        KernelKind::Matern12,
        KernelKind::Matern32,
        KernelKind::Matern52,
    ];

    /// q points of the model's box, one near a training input.
    fn points(q: usize, d: usize) -> Array2<f64> {
        Array2::from_shape_fn((q, d), |(i, j)| {
            1.3 + 2.1 * i as f64 + 0.7 * j as f64 + 20.0 * j as f64
        })
    }

    fn on_tape(p: &TapePosterior, x: &Array2<f64>) -> (Array1<f64>, Array2<f64>) {
        let tape = Tape::new();
        let (m, c) =
            p.mean_and_covariance(tape.constant(x.clone().into_dyn())).unwrap();
        let m = tape.value(m).unwrap().into_dimensionality().unwrap();
        let c = tape.value(c).unwrap().into_dimensionality().unwrap();
        (m, c)
    }

    #[test]
    fn the_tape_posterior_is_the_model_s_posterior() {
        for kind in KINDS {
            let model = fixed_model(kind, 12, 3);
            let p = TapePosterior::new(&model).unwrap();
            assert_eq!(p.dim(), 3);
            let x = points(4, 3);
            let (mean, cov) = on_tape(&p, &x);
            let want = model.posterior(x.view()).unwrap();
            let s = model.standardize.std;
            for (a, b) in mean.iter().zip(want.mean()) {
                assert!((a - b).abs() < 1e-10 * b.abs(), "{kind:?}: {a} vs {b}");
            }
            for (a, b) in cov.iter().zip(want.covariance()) {
                assert!((a - b).abs() < 1e-10 * s * s, "{kind:?}: {a} vs {b}");
            }
            // The prior variance is the model's, in data units.
            let prior = s * s * model.gp.hyperparameters().kernel.outputscale();
            assert!((p.prior_variance() - prior).abs() < 1e-12 * prior);
            // And a plain GP in its own units.
            let plain = TapePosterior::from_gp(&model.gp).unwrap();
            let xn = model.normalize.apply(x.view()).unwrap();
            let (mean, cov) = on_tape(&plain, &xn);
            let want = model.gp.posterior(xn.view()).unwrap();
            assert!((&mean - want.mean()).iter().all(|e| e.abs() < 1e-12));
            assert!((&cov - want.covariance()).iter().all(|e| e.abs() < 1e-12));
        }
    }

    /// A weighted sum of μ, Σ and the samples: every entry matters, each differently.
    fn loss(
        p: &TapePosterior,
        x: &Array2<f64>,
        base: &Array2<f64>,
    ) -> (f64, Array2<f64>) {
        let tape = Tape::new();
        let xv = tape.param(x.clone().into_dyn());
        let (m, c) = p.mean_and_covariance(xv).unwrap();
        let y = p.samples(xv, base.view()).unwrap();
        let q = x.nrows();
        let wm = Array1::from_shape_fn(q, |i| 0.3 + 0.2 * i as f64).into_dyn();
        let wc =
            Array2::from_shape_fn((q, q), |(i, j)| 1.0 + 0.1 * (i * 3 + j) as f64);
        let wy = base.mapv(|z| 0.5 + 0.1 * z).into_dyn();
        let total = (m * tape.constant(wm)).sum()
            + (c * tape.constant(wc.into_dyn())).sum()
            + (y * tape.constant(wy)).sum();
        tape.backward(total).unwrap();
        let g = tape.grad(xv).unwrap().into_dimensionality().unwrap();
        (tape.item(total).unwrap(), g)
    }

    #[test]
    fn gradients_in_x_match_finite_differences() {
        for kind in KINDS {
            let model = fixed_model(kind, 10, 2);
            let p = TapePosterior::new(&model).unwrap();
            for q in [1, 2, 4] {
                let x = points(q, 2);
                let base = crate::sampling::qmc_normal(8, q, 3).unwrap();
                let (_, g) = loss(&p, &x, &base);
                let flat: Array1<f64> = x.iter().copied().collect();
                let fd = central_difference(
                    |v| {
                        let x = Array2::from_shape_vec((q, 2), v.to_vec()).unwrap();
                        loss(&p, &x, &base).0
                    },
                    &flat,
                    1e-5,
                );
                let scale = fd.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
                for (a, b) in g.iter().zip(&fd) {
                    assert!(
                        (a - b).abs() < 1e-6 * scale,
                        "{kind:?} q={q}: {g} vs {fd}"
                    );
                }
            }
        }
    }

    #[test]
    fn samples_are_the_posterior_s_samples() {
        let model = fixed_model(KernelKind::Matern52, 12, 3);
        let p = TapePosterior::new(&model).unwrap();
        let s = model.standardize.std;
        let base = crate::sampling::qmc_normal(16, 3, 1).unwrap();
        let x = points(3, 3);
        // A point twice: Σ is singular to rounding, and whether its factorisation needs
        // the first jitter ε = 1e-10 s²σ² depends on that rounding, which differs between
        // the two computations; the samples then differ by up to √ε |z|.
        let mut twice = x.clone();
        twice.row_mut(2).assign(&x.row(1));
        let root_jitter = (1e-10 * p.prior_variance()).sqrt() / s;
        for (x, tol) in [(x, 1e-10), (twice, 5.0 * root_jitter)] {
            let tape = Tape::new();
            let y = p
                .samples(tape.constant(x.clone().into_dyn()), base.view())
                .unwrap();
            let y = tape.value(y).unwrap();
            let want =
                model.posterior(x.view()).unwrap().sample(base.view()).unwrap();
            for (a, b) in y.iter().zip(&want) {
                assert!((a - b).abs() < tol * s, "{a} vs {b}");
            }
        }
    }

    #[test]
    fn fixed_points_give_the_joint_samples() {
        let model = fixed_model(KernelKind::Matern52, 12, 3);
        let p = TapePosterior::new(&model).unwrap();
        let all = points(4, 3);
        let (x, fixed) =
            (all.slice(ndarray::s![..1, ..]), all.slice(ndarray::s![1.., ..]));
        let base = crate::sampling::NormalSampler::new(16, 4, 3).unwrap();
        let cache = p.fix(fixed).unwrap();
        let run = |with: bool| {
            let tape = Tape::new();
            let xv = tape.param(x.to_owned().into_dyn());
            let y = if with {
                p.samples_with_fixed(xv, &cache, base.base()).unwrap()
            } else {
                let joint = tape
                    .concat(&[xv, tape.constant(fixed.to_owned().into_dyn())], 0);
                p.samples(joint, base.base()).unwrap()
            };
            let loss = (y * y).mean();
            tape.backward(loss).unwrap();
            let value = tape.inspect(y, |a| a.clone()).unwrap();
            (value, tape.grad(xv).unwrap().clone())
        };
        let ((a, ga), (b, gb)) = (run(true), run(false));
        assert_eq!(a.shape(), [16, 4]);
        for (u, v) in a.iter().zip(&b).chain(ga.iter().zip(&gb)) {
            assert!((u - v).abs() <= 1e-9 * (1.0 + v.abs()), "{u} {v}");
        }
        assert!(p.fix(all.slice(ndarray::s![..0, ..])).is_err());
        let tape = Tape::new();
        let xv = tape.param(x.to_owned().into_dyn());
        let narrow = crate::sampling::NormalSampler::new(16, 2, 3).unwrap();
        assert!(p.samples_with_fixed(xv, &cache, narrow.base()).is_err());
    }

    #[test]
    fn bad_points_are_errors() {
        let model = fixed_model(KernelKind::SquaredExponential, 6, 2);
        let p = TapePosterior::new(&model).unwrap();
        let tape = Tape::new();
        let run =
            |x: ArrayD<f64>| p.mean_and_covariance(tape.constant(x)).map(|_| ());
        assert!(matches!(
            run(Array2::zeros((0, 2)).into_dyn()),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            run(Array2::zeros((2, 3)).into_dyn()),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            run(Array1::zeros(2).into_dyn()),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            run(array![[0.0, f64::NAN]].into_dyn()),
            Err(Error::NonFinite { .. })
        ));
        let x = tape.constant(array![[0.0, 1.0]].into_dyn());
        assert!(matches!(
            p.samples(x, array![[1.0, 2.0]].view()),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            p.samples(x, array![[f64::INFINITY]].view()),
            Err(Error::NonFinite { .. })
        ));
    }
}
