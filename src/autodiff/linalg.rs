//! Differentiable linear algebra on the tape: the Cholesky factorisation and
//! triangular solves, the two steps from a covariance matrix Σ to samples
//! μ + L z and to Gaussian log-likelihoods.
//!
//! Both backward rules are written with tape operations (matrix products,
//! triangular solves, masks), so they are recorded when the backward pass is
//! ([`Tape::grad_graph`](crate::autodiff::Tape::grad_graph)) and can be
//! differentiated again.

use super::function::Function;
use super::tape::Var;
use crate::linalg::{solve_lower_triangular, Cholesky};
use crate::{Error, Result};
use ndarray::{Array2, ArrayD, ArrayView2, Ix2};

/// `a` as a square matrix.
fn square<'a>(
    a: &'a ArrayD<f64>,
    context: &'static str,
) -> Result<ArrayView2<'a, f64>> {
    let m =
        a.view().into_dimensionality::<Ix2>().map_err(|_| Error::InvalidInput {
            context,
            reason: format!("needs a matrix, found shape {:?}", a.shape()),
        })?;
    if m.nrows() != m.ncols() {
        return Err(Error::ShapeMismatch {
            context,
            expected: vec![m.nrows(), m.nrows()],
            found: m.shape().to_vec(),
        });
    }
    if m.is_empty() {
        return Err(Error::Empty { context });
    }
    Ok(m)
}

/// An n × n constant holding `inside` on the lower (or upper) triangle, `diagonal`
/// on the diagonal and 0 elsewhere: multiplying by it projects onto a triangle.
fn triangle_mask(n: usize, lower: bool, inside: f64, diagonal: f64) -> ArrayD<f64> {
    Array2::from_shape_fn((n, n), |(i, j)| match (i == j, (i > j) == lower) {
        (true, _) => diagonal,
        (false, true) => inside,
        (false, false) => 0.0,
    })
    .into_dyn()
}

/// A ↦ L = chol(½(A + Aᵀ)), without jitter.
struct CholeskyFactor;

impl Function for CholeskyFactor {
    fn name(&self) -> &'static str {
        "cholesky"
    }

    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let a = square(x[0], "cholesky")?;
        // Factor the symmetric part, so that the op is a function of every entry
        // whose exact gradient is the symmetric one the backward rule returns.
        // Halving first keeps entries near f64::MAX from overflowing.
        let sym = Array2::from_shape_fn(a.raw_dim(), |(i, j)| {
            0.5 * a[[i, j]] + 0.5 * a[[j, i]]
        });
        Ok(Cholesky::new(sym.view())?.factor().clone().into_dyn())
    }

    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        l: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        let n = l.shape().first().copied().unwrap_or(0);
        let phi = l.gemm(g, true, false)
            * g.tape().constant(triangle_mask(n, true, 1.0, 0.5));
        // L⁻ᵀ Φ, then L⁻ᵀ (L⁻ᵀ Φ)ᵀ = L⁻ᵀ Φᵀ L⁻¹ = Sᵀ: the same once symmetrised,
        // and one transpose cheaper than S.
        let y = l.solve_triangular(phi, true, true);
        let s_t = l.solve_triangular(y.t(), true, true);
        vec![x[0].requires_grad().then(|| (s_t + s_t.t()) * 0.5)]
    }
}

/// (T, B) ↦ X = op(T)⁻¹ B for a triangular T, op the identity or the transpose.
struct SolveTriangular {
    lower: bool,
    transpose: bool,
}

impl Function for SolveTriangular {
    fn name(&self) -> &'static str {
        "solve_triangular"
    }

    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let context = "solve_triangular";
        let t = square(x[0], context)?;
        let b = x[1].view().into_dimensionality::<Ix2>().map_err(|_| {
            Error::InvalidInput {
                context,
                reason: format!(
                    "the right-hand side must be a matrix (n × k), found shape {:?}",
                    x[1].shape()
                ),
            }
        })?;
        let n = t.nrows();
        if b.nrows() != n {
            return Err(Error::ShapeMismatch {
                context: "solve_triangular: right-hand side rows",
                expected: vec![n, b.ncols()],
                found: b.shape().to_vec(),
            });
        }
        // The solvers read the lower triangle: an upper T is read as Tᵀ, which
        // swaps forward and back substitution.
        let l = if self.lower { t } else { t.reversed_axes() };
        let read = l.indexed_iter().filter(|((i, j), _)| j <= i);
        if read.map(|(_, v)| v).chain(b.iter()).any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context });
        }
        if let Some(i) = l.diag().iter().position(|&d| d == 0.0) {
            return Err(Error::InvalidInput {
                context,
                reason: format!("the matrix is singular: diagonal entry {i} is 0"),
            });
        }
        let solution = solve_lower_triangular(l, b, self.lower == self.transpose);
        if solution.iter().any(|v| !v.is_finite()) {
            return Err(Error::InvalidInput {
                context,
                reason: "the solution overflows f64: the matrix is too close to \
                         singular for this right-hand side"
                    .into(),
            });
        }
        Ok(solution.into_dyn())
    }

    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        out: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        let (t, b) = (x[0], x[1]);
        // B̄ = op(T)⁻ᵀ X̄, which T̄ needs too.
        let b_bar = t.solve_triangular(g, self.lower, !self.transpose);
        let t_bar = || {
            // op(T)‾ = −B̄ Xᵀ, transposed back when op transposes.
            let outer = if self.transpose {
                out.gemm(b_bar, false, true)
            } else {
                b_bar.gemm(out, false, true)
            };
            let n = out.shape().first().copied().unwrap_or(0);
            outer * g.tape().constant(triangle_mask(n, self.lower, -1.0, -1.0))
        };
        vec![t.requires_grad().then(t_bar), b.requires_grad().then_some(b_bar)]
    }
}

impl<'t> Var<'t> {
    /// The Cholesky factor L of a symmetric positive-definite n × n matrix A:
    /// lower triangular with a positive diagonal and L Lᵀ = A.
    ///
    /// The op factors the symmetric part ½(A + Aᵀ) (A itself when A is
    /// symmetric), and adds **no jitter**: jitter would make the op a different,
    /// piecewise function of A whose jumps the gradient cannot see. A caller that
    /// needs it adds εI on the tape first, where it is differentiable.
    ///
    /// # Backward rule
    /// From A = L Lᵀ, dA = dL Lᵀ + L dLᵀ, so L⁻¹ dA L⁻ᵀ = L⁻¹dL + (L⁻¹dL)ᵀ with
    /// L⁻¹dL lower triangular: L⁻¹dL = Φ(L⁻¹ dA L⁻ᵀ), where Φ keeps the lower
    /// triangle and halves the diagonal. Then, Φ being its own adjoint,
    /// ⟨L̄, dL⟩ = ⟨Φ(Lᵀ L̄), L⁻¹ dA L⁻ᵀ⟩ = ⟨S, dA⟩ with S = L⁻ᵀ Φ(Lᵀ L̄) L⁻¹
    /// (Murray 2016). That step used dA symmetric, so only sym(S) is determined:
    ///
    /// Ā = ½(S + Sᵀ),
    ///
    /// which is also the exact gradient of L = chol(½(A + Aᵀ)) in all n² entries,
    /// so finite differences agree entry by entry. The two L⁻ᵀ·L⁻¹ products are
    /// triangular solves, never explicit inverses.
    ///
    /// # Errors
    /// (Carried by the result, returned by [`Tape::value`](crate::autodiff::Tape::value)
    /// and `backward`.) [`Error::InvalidInput`] unless A is 2-dimensional, or if
    /// it is not positive definite; [`Error::ShapeMismatch`] unless square;
    /// [`Error::Empty`] for 0 × 0; [`Error::NonFinite`] for NaN or ±∞ entries.
    pub fn cholesky(self) -> Var<'t> {
        self.tape.apply(CholeskyFactor, &[self])
    }

    /// X = op(T)⁻¹ B for a triangular n × n matrix T (`self`) and an n × k matrix
    /// B: T is lower triangular if `lower`, else upper, and only that triangle is
    /// read; op(T) is Tᵀ if `transpose`, else T. So `l.solve_triangular(b, true,
    /// false)` is L⁻¹B and `l.solve_triangular(b, true, true)` is L⁻ᵀB, both from
    /// the stored L.
    ///
    /// # Backward rule
    /// From op(T) X = B, dX = op(T)⁻¹(dB − d op(T) X), so
    ///
    /// B̄ = op(T)⁻ᵀ X̄ (a solve with the other op), op(T)‾ = −B̄ Xᵀ,
    ///
    /// and T̄ is −B̄ Xᵀ (or −X B̄ᵀ when op transposes) restricted to T's triangle:
    /// the entries outside it are never read.
    ///
    /// # Errors
    /// (Carried by the result.) [`Error::InvalidInput`] unless both are
    /// 2-dimensional, for a zero on T's diagonal, or if the solution overflows;
    /// [`Error::ShapeMismatch`] unless T is square with as many rows as B;
    /// [`Error::Empty`] for n = 0; [`Error::NonFinite`] for NaN or ±∞ in T's
    /// triangle or in B; an error if `b` lives on another tape.
    pub fn solve_triangular(
        self,
        b: Var<'t>,
        lower: bool,
        transpose: bool,
    ) -> Var<'t> {
        self.binary(b, SolveTriangular { lower, transpose })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autodiff::Tape;
    use crate::numeric::central_difference;
    use ndarray::{Array1, IxDyn};
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};

    /// A seeded random n × m matrix with entries in [−1, 1).
    fn random(n: usize, m: usize, seed: u64) -> Array2<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        Array2::from_shape_fn((n, m), |_| rng.random_range(-1.0..1.0))
    }

    /// A seeded random SPD matrix M Mᵀ/n + ½I: eigenvalues at least ½, so the
    /// finite differences below are well conditioned.
    fn spd(n: usize, seed: u64) -> Array2<f64> {
        let m = random(n, n, seed);
        m.dot(&m.t()) / n as f64 + Array2::<f64>::eye(n) * 0.5
    }

    fn inverse(a: &Array2<f64>) -> Array2<f64> {
        Cholesky::new(a.view()).unwrap().inverse()
    }

    fn max_abs_diff(a: &ArrayD<f64>, b: &ArrayD<f64>) -> f64 {
        assert_eq!(a.shape(), b.shape());
        a.iter().zip(b).fold(0.0_f64, |m, (x, y)| m.max((x - y).abs()))
    }

    /// A scalar loss of some matrices, built on a tape.
    type Loss = for<'t> fn(&[Var<'t>]) -> Var<'t>;

    /// The tape's gradient of `loss` in every input, each checked against central
    /// differences of the loss evaluated on fresh tapes; returns the gradients.
    fn check_against_differences(
        loss: Loss,
        inputs: &[Array2<f64>],
    ) -> Vec<ArrayD<f64>> {
        let tape = Tape::new();
        let vars: Vec<Var<'_>> =
            inputs.iter().map(|a| tape.param(a.clone().into_dyn())).collect();
        tape.backward(loss(&vars)).unwrap();
        let grads: Vec<ArrayD<f64>> =
            vars.iter().map(|&v| tape.grad(v).unwrap()).collect();
        for (k, grad) in grads.iter().enumerate() {
            let shape = inputs[k].raw_dim();
            let flat: Array1<f64> = inputs[k].iter().copied().collect();
            let numeric = central_difference(
                |v| {
                    let tape = Tape::new();
                    let vars: Vec<Var<'_>> = (0..inputs.len())
                        .map(|j| {
                            let a = if j == k {
                                Array2::from_shape_vec(shape, v.to_vec()).unwrap()
                            } else {
                                inputs[j].clone()
                            };
                            tape.constant(a.into_dyn())
                        })
                        .collect();
                    tape.item(loss(&vars)).unwrap()
                },
                &flat,
                1e-6,
            );
            let numeric = numeric.into_shape_with_order(grad.raw_dim()).unwrap();
            let scale = numeric.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
            let error = max_abs_diff(grad, &numeric);
            assert!(
                error < 1e-7 * scale,
                "input {k}: error {error:e}, {grad} vs {numeric}"
            );
        }
        grads
    }

    /// Fixed weights for Σ W ⊙ L: every entry of L matters, each differently.
    fn weights(n: usize) -> ArrayD<f64> {
        ArrayD::from_shape_fn(IxDyn(&[n, n]), |i| {
            0.3 + 0.17 * ((i[0] * 5 + i[1] * 3) % 7) as f64
        })
    }

    #[test]
    fn cholesky_weighted_sum_matches_finite_differences() {
        for n in [1, 2, 5, 8] {
            let loss: Loss = |v| {
                let n = v[0].shape()[0];
                (v[0].cholesky() * v[0].tape().constant(weights(n))).sum()
            };
            let grads = check_against_differences(loss, &[spd(n, n as u64)]);
            // The gradient of a symmetric input is symmetric.
            let g = grads[0].view().into_dimensionality::<Ix2>().unwrap();
            assert!(
                max_abs_diff(
                    &g.to_owned().into_dyn(),
                    &g.t().to_owned().into_dyn()
                ) < 1e-12
            );
        }
    }

    #[test]
    fn log_determinant_gradient_is_the_inverse() {
        for n in [1, 2, 5, 8] {
            let a = spd(n, 10 + n as u64);
            let loss: Loss = |v| {
                let n = v[0].shape()[0];
                let eye = v[0].tape().constant(Array2::<f64>::eye(n).into_dyn());
                (v[0].cholesky() * eye).sum_axis(1).ln().sum() * 2.0
            };
            let grads = check_against_differences(loss, std::slice::from_ref(&a));
            let closed = inverse(&a).into_dyn();
            let error = max_abs_diff(&grads[0], &closed);
            assert!(error < 1e-12 * n as f64, "n = {n}: {error:e}");
            // And the value is log det A.
            let tape = Tape::new();
            let value =
                tape.item(loss(&[tape.constant(a.clone().into_dyn())])).unwrap();
            let log_det = Cholesky::new(a.view()).unwrap().log_det();
            assert!((value - log_det).abs() < 1e-12 * log_det.abs().max(1.0));
        }
    }

    #[test]
    fn triangular_solves_match_finite_differences_for_every_variant() {
        // A triangular matrix with a diagonal well away from 0, and 3 right-hand
        // sides.
        let t = random(5, 5, 1) * 0.5 + Array2::<f64>::eye(5) * 2.0;
        let b = random(5, 3, 2);
        let losses: [Loss; 4] = [
            |v| (v[0].solve_triangular(v[1], true, false) * weights_5x3(v)).sum(),
            |v| (v[0].solve_triangular(v[1], true, true) * weights_5x3(v)).sum(),
            |v| (v[0].solve_triangular(v[1], false, false) * weights_5x3(v)).sum(),
            |v| (v[0].solve_triangular(v[1], false, true) * weights_5x3(v)).sum(),
        ];
        for (k, loss) in losses.into_iter().enumerate() {
            let grads = check_against_differences(loss, &[t.clone(), b.clone()]);
            // Entries outside the triangle that is read get no gradient.
            let lower = k < 2;
            let outside = grads[0]
                .indexed_iter()
                .filter(|(i, _)| if lower { i[1] > i[0] } else { i[1] < i[0] })
                .all(|(_, &g)| g == 0.0);
            assert!(outside, "variant {k}");
        }
    }

    fn weights_5x3<'t>(v: &[Var<'t>]) -> Var<'t> {
        v[0].tape().constant(ArrayD::from_shape_fn(IxDyn(&[5, 3]), |i| {
            1.0 + (i[0] * 3 + i[1]) as f64 * 0.1
        }))
    }

    #[test]
    fn solves_are_the_right_solutions() {
        let t = random(4, 4, 3) + Array2::<f64>::eye(4) * 3.0;
        let b = random(4, 2, 4);
        let tape = Tape::new();
        let (tv, bv) = (
            tape.constant(t.clone().into_dyn()),
            tape.constant(b.clone().into_dyn()),
        );
        let lower =
            Array2::from_shape_fn(
                (4, 4),
                |(i, j)| if j <= i { t[[i, j]] } else { 0.0 },
            );
        let upper =
            Array2::from_shape_fn(
                (4, 4),
                |(i, j)| if j >= i { t[[i, j]] } else { 0.0 },
            );
        for (lo, tr, m) in [
            (true, false, lower.clone()),
            (true, true, lower.t().to_owned()),
            (false, false, upper.clone()),
            (false, true, upper.t().to_owned()),
        ] {
            let x = tape.value(tv.solve_triangular(bv, lo, tr)).unwrap();
            let x = x.into_dimensionality::<Ix2>().unwrap();
            let residual = (m.dot(&x) - &b).into_dyn();
            assert!(
                max_abs_diff(&residual, &ArrayD::zeros(IxDyn(&[4, 2]))) < 1e-13
            );
        }
    }

    #[test]
    fn log_likelihood_gradient_matches_the_closed_form() {
        // ½ yᵀA⁻¹y + Σ log Lᵢᵢ = ½ yᵀA⁻¹y + ½ log det A, through cholesky and one
        // solve: z = L⁻¹y, so yᵀA⁻¹y = zᵀz.
        let loss: Loss = |v| {
            let n = v[0].shape()[0];
            let eye = v[0].tape().constant(Array2::<f64>::eye(n).into_dyn());
            let l = v[0].cholesky();
            let z = l.solve_triangular(v[1], true, false);
            (z * z).sum() * 0.5 + (l * eye).sum_axis(1).ln().sum()
        };
        for n in [1, 2, 5, 8] {
            let a = spd(n, 20 + n as u64);
            let y = random(n, 1, 30 + n as u64);
            let grads = check_against_differences(loss, &[a.clone(), y.clone()]);
            let a_inv = inverse(&a);
            let alpha = a_inv.dot(&y);
            let closed = ((&a_inv - &alpha.dot(&alpha.t())) * 0.5).into_dyn();
            assert!(max_abs_diff(&grads[0], &closed) < 1e-12, "n = {n}");
            // ∂/∂y = A⁻¹y.
            assert!(max_abs_diff(&grads[1], &alpha.into_dyn()) < 1e-12, "n = {n}");
        }
    }

    #[test]
    fn second_derivatives_of_the_log_determinant() {
        // g(A) = A⁻¹ recorded on the tape; h = ⟨g, V⟩ for a symmetric V has the
        // gradient −A⁻¹ V A⁻¹.
        let n = 4;
        let a = spd(n, 40);
        let v = spd(n, 41);
        let tape = Tape::new();
        let av = tape.param(a.clone().into_dyn());
        let eye = tape.constant(Array2::<f64>::eye(n).into_dyn());
        let log_det = (av.cholesky() * eye).sum_axis(1).ln().sum() * 2.0;
        let g = tape.grad_graph(log_det, &[av]).unwrap()[0];
        let h = (g * tape.constant(v.clone().into_dyn())).sum();
        tape.backward(h).unwrap();
        let a_inv = inverse(&a);
        let closed = -a_inv.dot(&v).dot(&a_inv);
        let error = max_abs_diff(&tape.grad(av).unwrap(), &closed.into_dyn());
        assert!(error < 1e-11, "{error:e}");
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        let tape = Tape::new();
        let not_spd =
            tape.param(ndarray::arr2(&[[1.0, 2.0], [2.0, 1.0]]).into_dyn());
        let err = tape.value(not_spd.cholesky()).unwrap_err();
        assert!(err.to_string().contains("not positive definite"), "{err}");
        // The error travels through later ops and out of backward.
        assert!(tape.backward(not_spd.cholesky().sum()).is_err());
        let wide = tape.param(ArrayD::ones(IxDyn(&[2, 3])));
        assert!(matches!(
            tape.value(wide.cholesky()),
            Err(Error::ShapeMismatch { .. })
        ));
        let vector = tape.param(ArrayD::ones(IxDyn(&[3])));
        assert!(matches!(
            tape.value(vector.cholesky()),
            Err(Error::InvalidInput { .. })
        ));
        let empty = tape.param(ArrayD::zeros(IxDyn(&[0, 0])));
        assert!(matches!(tape.value(empty.cholesky()), Err(Error::Empty { .. })));
        let nan = tape.param(ndarray::arr2(&[[f64::NAN]]).into_dyn());
        assert!(matches!(tape.value(nan.cholesky()), Err(Error::NonFinite { .. })));

        let singular =
            tape.param(ndarray::arr2(&[[1.0, 0.0], [5.0, 0.0]]).into_dyn());
        let b = tape.param(ArrayD::ones(IxDyn(&[2, 1])));
        let err =
            tape.value(singular.solve_triangular(b, true, false)).unwrap_err();
        assert!(err.to_string().contains("singular"), "{err}");
        let tall = tape.param(ArrayD::ones(IxDyn(&[3, 1])));
        let eye = tape.param(Array2::<f64>::eye(2).into_dyn());
        assert!(matches!(
            tape.value(eye.solve_triangular(tall, true, false)),
            Err(Error::ShapeMismatch { .. })
        ));
        let tiny = tape.param(ndarray::arr2(&[[1e-300]]).into_dyn());
        let huge = tape.param(ndarray::arr2(&[[1e300]]).into_dyn());
        assert!(tape.value(tiny.solve_triangular(huge, true, false)).is_err());
        let other = Tape::new();
        let foreign = other.param(ArrayD::ones(IxDyn(&[2, 1])));
        assert!(tape.value(eye.solve_triangular(foreign, true, false)).is_err());
    }

    #[test]
    fn extreme_scales_factor_or_refuse() {
        // A = s·B factors as √s·chol(B) at scales near the ends of f64.
        let b = spd(3, 50);
        let l_b = Cholesky::new(b.view()).unwrap().factor().clone();
        for s in [1e-300, 1e300] {
            let tape = Tape::new();
            let l = tape.value(tape.param((&b * s).into_dyn()).cholesky()).unwrap();
            let expected = (&l_b * s.sqrt()).into_dyn();
            assert!(max_abs_diff(&l, &expected) < 1e-13 * s.sqrt());
        }
        let tape = Tape::new();
        let max = tape.param((&b * f64::MAX).into_dyn());
        let result = tape.value(max.cholesky());
        assert!(result.map(|l| l.iter().all(|v| v.is_finite())).unwrap_or(true));
    }
}
