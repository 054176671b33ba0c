//! Stationary covariance functions with one lengthscale per input dimension (ARD) and an
//! output scale: k(x, x') = σ² κ(r), with r² = Σ_d (x_d − x'_d)² / ℓ_d².

use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayView2};

/// The shape κ(r) of a kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KernelKind {
    /// exp(−r²/2): infinitely smooth sample paths.
    SquaredExponential,
    /// exp(−r): continuous, nowhere differentiable paths (the Ornstein–Uhlenbeck kernel).
    Matern12,
    /// (1 + √3 r) exp(−√3 r): once differentiable paths.
    Matern32,
    /// (1 + √5 r + 5r²/3) exp(−√5 r): twice differentiable paths.
    Matern52,
}

impl KernelKind {
    /// κ(r).
    pub fn shape(self, r: f64) -> f64 {
        match self {
            KernelKind::SquaredExponential => (-0.5 * r * r).exp(),
            KernelKind::Matern12 => (-r).exp(),
            KernelKind::Matern32 => {
                let a = 3f64.sqrt() * r;
                (1.0 + a) * (-a).exp()
            }
            KernelKind::Matern52 => {
                let a = 5f64.sqrt() * r;
                (1.0 + a + a * a / 3.0) * (-a).exp()
            }
        }
    }

    /// −κ'(r)/r, the factor that turns ∂r²/∂θ into ∂κ/∂θ (finite at r = 0 except for
    /// Matérn ½, whose κ is not differentiable there; 0 is returned at r = 0, where the
    /// factor multiplies a zero distance anyway).
    pub fn slope_over_r(self, r: f64) -> f64 {
        match self {
            KernelKind::SquaredExponential => (-0.5 * r * r).exp(),
            KernelKind::Matern12 => {
                if r > 0.0 {
                    (-r).exp() / r
                } else {
                    0.0
                }
            }
            KernelKind::Matern32 => 3.0 * (-(3f64.sqrt()) * r).exp(),
            KernelKind::Matern52 => {
                let a = 5f64.sqrt() * r;
                5.0 / 3.0 * (1.0 + a) * (-a).exp()
            }
        }
    }
}

/// A kernel: its shape, its lengthscales ℓ_d and its output scale σ².
#[derive(Debug, Clone, PartialEq)]
pub struct Kernel {
    kind: KernelKind,
    lengthscales: Array1<f64>,
    outputscale: f64,
}

fn positive(
    values: impl IntoIterator<Item = f64>,
    context: &'static str,
) -> Result<()> {
    for v in values {
        if !v.is_finite() {
            return Err(Error::NonFinite { context });
        }
        if v <= 0.0 {
            return Err(Error::InvalidInput {
                context,
                reason: format!("must be positive, got {v}"),
            });
        }
    }
    Ok(())
}

impl Kernel {
    /// A kernel of `kind` with the given lengthscales (one per input dimension) and output
    /// scale σ².
    ///
    /// # Errors
    /// [`Error::Empty`] for no lengthscale, [`Error::NonFinite`] or [`Error::InvalidInput`]
    /// for a lengthscale or output scale that is not a positive number.
    pub fn new(
        kind: KernelKind,
        lengthscales: Array1<f64>,
        outputscale: f64,
    ) -> Result<Self> {
        if lengthscales.is_empty() {
            return Err(Error::Empty { context: "Kernel: lengthscales" });
        }
        positive(lengthscales.iter().copied(), "Kernel: lengthscale")?;
        positive([outputscale], "Kernel: output scale")?;
        Ok(Kernel { kind, lengthscales, outputscale })
    }

    /// The shape.
    pub fn kind(&self) -> KernelKind {
        self.kind
    }

    /// The lengthscales ℓ_d.
    pub fn lengthscales(&self) -> &Array1<f64> {
        &self.lengthscales
    }

    /// The output scale σ².
    pub fn outputscale(&self) -> f64 {
        self.outputscale
    }

    /// The input dimension d.
    pub fn dim(&self) -> usize {
        self.lengthscales.len()
    }

    fn check_inputs(
        &self,
        x: ArrayView2<'_, f64>,
        context: &'static str,
    ) -> Result<()> {
        if x.ncols() != self.dim() {
            return Err(Error::ShapeMismatch {
                context,
                expected: vec![x.nrows(), self.dim()],
                found: x.shape().to_vec(),
            });
        }
        if x.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context });
        }
        Ok(())
    }

    /// The squared scaled distances r²ᵢⱼ = Σ_d ((aᵢ_d − bⱼ_d)/ℓ_d)² between the rows of `a` and
    /// of `b`, summed directly: no cancellation, so identical points are exactly 0 apart.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if the inputs do not have d columns, [`Error::NonFinite`] for
    /// NaN or infinite inputs.
    pub fn scaled_sq_distances(
        &self,
        a: ArrayView2<'_, f64>,
        b: ArrayView2<'_, f64>,
    ) -> Result<Array2<f64>> {
        self.check_inputs(a, "Kernel: first inputs")?;
        self.check_inputs(b, "Kernel: second inputs")?;
        let sa = (&a / &self.lengthscales).as_standard_layout().into_owned();
        let sb = (&b / &self.lengthscales).as_standard_layout().into_owned();
        let d = self.dim();
        let (rows_a, rows_b) =
            (sa.as_slice().unwrap_or(&[]), sb.as_slice().unwrap_or(&[]));
        let mut out = Array2::zeros((a.nrows(), b.nrows()));
        // Contiguous rows of d scaled coordinates, walked as slices: no per-pair views.
        for (row, p) in out.rows_mut().into_iter().zip(rows_a.chunks_exact(d)) {
            for (o, q) in row.into_iter().zip(rows_b.chunks_exact(d)) {
                *o = p.iter().zip(q).map(|(u, v)| (u - v) * (u - v)).sum();
            }
        }
        Ok(out)
    }

    /// The covariance matrix K[i, j] = k(aᵢ, bⱼ).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if the inputs do not have d columns, [`Error::NonFinite`] for
    /// NaN or infinite inputs.
    pub fn matrix(
        &self,
        a: ArrayView2<'_, f64>,
        b: ArrayView2<'_, f64>,
    ) -> Result<Array2<f64>> {
        let d = self.scaled_sq_distances(a, b)?;
        let (kind, s) = (self.kind, self.outputscale);
        Ok(d.mapv(|r2| s * kind.shape(r2.sqrt())))
    }

    /// The diagonal k(x, x) = σ² for `n` points.
    pub fn diagonal(&self, n: usize) -> Array1<f64> {
        Array1::from_elem(n, self.outputscale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn shapes_at_zero_and_known_values() {
        for kind in [
            KernelKind::SquaredExponential,
            KernelKind::Matern12,
            KernelKind::Matern32,
            KernelKind::Matern52,
        ] {
            assert_eq!(kind.shape(0.0), 1.0);
            // −κ'(r)/r against a central difference of κ.
            for r in [0.3, 1.0, 2.5] {
                let h = 1e-6;
                let fd = -(kind.shape(r + h) - kind.shape(r - h)) / (2.0 * h) / r;
                assert!(
                    (kind.slope_over_r(r) - fd).abs() < 1e-7,
                    "{kind:?} at {r}"
                );
            }
        }
        // The course's check value: k(0, 1) with ℓ = 0.8, σ² = 1.
        let k =
            Kernel::new(KernelKind::SquaredExponential, array![0.8], 1.0).unwrap();
        let m = k.matrix(array![[0.0]].view(), array![[1.0]].view()).unwrap();
        assert!((m[[0, 0]] - 0.457833).abs() < 1e-6);
    }

    #[test]
    fn ard_distances_scale_each_dimension() {
        let k = Kernel::new(KernelKind::Matern52, array![2.0, 0.5], 1.5).unwrap();
        let a = array![[0.0, 0.0], [1.0, 1.0]];
        let b = array![[2.0, 0.5]];
        let d = k.scaled_sq_distances(a.view(), b.view()).unwrap();
        assert!((d[[0, 0]] - (1.0 + 1.0)).abs() < 1e-14);
        assert!((d[[1, 0]] - (0.25 + 1.0)).abs() < 1e-14);
        let m = k.matrix(a.view(), a.view()).unwrap();
        assert!(
            (m[[0, 0]] - 1.5).abs() < 1e-14
                && (m[[0, 1]] - m[[1, 0]]).abs() < 1e-15
        );
    }

    #[test]
    fn bad_hyperparameters_and_inputs_are_errors() {
        let kind = KernelKind::SquaredExponential;
        assert!(Kernel::new(kind, array![1.0, -1.0], 1.0).is_err());
        assert!(Kernel::new(kind, array![1.0], 0.0).is_err());
        assert!(Kernel::new(kind, array![f64::NAN], 1.0).is_err());
        assert!(Kernel::new(kind, Array1::zeros(0), 1.0).is_err());
        let k = Kernel::new(kind, array![1.0], 1.0).unwrap();
        assert!(matches!(
            k.matrix(array![[0.0, 1.0]].view(), array![[0.0]].view()),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            k.matrix(array![[f64::INFINITY]].view(), array![[0.0]].view()),
            Err(Error::NonFinite { .. })
        ));
    }
}
