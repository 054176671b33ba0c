//! What one new observation does to a least-squares polynomial: the change everywhere,
//! predicted from the old fit alone.

use gradbo::linalg::Cholesky;
use ndarray::{Array1, Array2};

// ANCHOR: kernel
/// The basis of a degree-`degree` polynomial at x: φ(x) = (xⁿ, …, x, 1).
pub fn basis(x: f64, degree: usize) -> Array1<f64> {
    (0..=degree).map(|j| x.powi((degree - j) as i32)).collect()
}

/// The least-squares fit's equivalent kernel k(x, x') = φ(x)ᵀ(ΦᵀΦ)⁻¹φ(x'), Φ the design
/// matrix of the observed inputs: how strongly an observation at x' pulls the fit at x.
pub struct EquivalentKernel {
    gram: Cholesky,
    degree: usize,
}

impl EquivalentKernel {
    /// The kernel of a degree-`degree` fit to observations at `data` (at least degree + 1
    /// distinct points, so that ΦᵀΦ is invertible).
    pub fn new(data: &[f64], degree: usize) -> gradbo::Result<Self> {
        let phi = Array2::from_shape_fn((data.len(), degree + 1), |(i, j)| {
            data[i].powi((degree - j) as i32)
        });
        let gram = Cholesky::new(phi.t().dot(&phi).view())?;
        Ok(EquivalentKernel { gram, degree })
    }

    /// k(x, x').
    pub fn k(&self, x: f64, x_prime: f64) -> gradbo::Result<f64> {
        let w = self.gram.solve_vec(basis(x_prime, self.degree).view())?;
        Ok(basis(x, self.degree).dot(&w))
    }
}

/// The change in the fitted mean at each point of `at` when the observation (x_new, y_new)
/// is added, from the old fit's residual r = y_new − μ(x_new):
/// Δμ(x) = k(x, x_new) r / (1 + k(x_new, x_new)).
pub fn mean_change(
    kernel: &EquivalentKernel,
    x_new: f64,
    residual: f64,
    at: &[f64],
) -> gradbo::Result<Vec<f64>> {
    let leverage = kernel.k(x_new, x_new)?;
    at.iter()
        .map(|&x| Ok(kernel.k(x, x_new)? * residual / (1.0 + leverage)))
        .collect()
}
// ANCHOR_END: kernel

pub fn main() -> gradbo::Result<()> {
    use gradbo::surrogate::polyfit;
    // A cubic through five points, then a sixth point far to the right.
    let x = [-1.0, -0.5, 0.0, 0.5, 1.0];
    let y = [0.2, -0.1, 0.0, 0.3, 0.1];
    let old = polyfit(&x, &y, 3)?;
    let (x_new, y_new) = (2.0, 1.0);
    let kernel = EquivalentKernel::new(&x, 3)?;
    let at = [-2.0, 0.0, 2.0];
    let predicted = mean_change(&kernel, x_new, y_new - old.eval(x_new), &at)?;
    let new = polyfit(
        &[x.as_slice(), &[x_new]].concat(),
        &[y.as_slice(), &[y_new]].concat(),
        3,
    )?;
    for (&a, d) in at.iter().zip(&predicted) {
        println!(
            "x = {a:+}: predicted change {d:+.4}, refitted change {:+.4}",
            new.eval(a) - old.eval(a)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::surrogate::polyfit;

    #[test]
    fn the_predicted_change_is_the_refitted_change() {
        let x: Vec<f64> = (0..8).map(|i| -1.5 + 3.0 * f64::from(i) / 7.0).collect();
        let y: Vec<f64> = x.iter().map(|v| (2.0 * v).sin()).collect();
        let old = polyfit(&x, &y, 5).unwrap();
        let (x_new, y_new) = (-2.2, 0.5);
        let kernel = EquivalentKernel::new(&x, 5).unwrap();
        let at: Vec<f64> = (0..61).map(|i| -3.0 + 0.1 * f64::from(i)).collect();
        let predicted =
            mean_change(&kernel, x_new, y_new - old.eval(x_new), &at).unwrap();
        let mut x2 = x.clone();
        x2.push(x_new);
        let mut y2 = y.clone();
        y2.push(y_new);
        let new = polyfit(&x2, &y2, 5).unwrap();
        for (&a, d) in at.iter().zip(&predicted) {
            let refit = new.eval(a) - old.eval(a);
            assert!(
                (d - refit).abs() < 1e-8 * (1.0 + refit.abs()),
                "{a}: {d} {refit}"
            );
        }
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
