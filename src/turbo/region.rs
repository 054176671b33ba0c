//! The trust region's box: centred at the incumbent, its sides in proportion to the model's
//! lengthscales, scaled by L and clipped to the unit cube.

use crate::{Bounds, Error, Result};
use ndarray::{Array1, ArrayView1, Zip};

/// The lengthscales divided by their geometric mean, so that the weights' product is 1: a
/// box of side L·wᵢ in each coordinate then has the volume of the cube of side L. Computed
/// through logarithms, so lengthscales of any size give finite weights.
///
/// (BoTorch's tutorial divides by the mean and then by the geometric mean; the first
/// division cancels in the second.)
///
/// # Errors
/// [`Error::Empty`] for no lengthscale, [`Error::NonFinite`] or [`Error::InvalidInput`] for
/// one that is not a positive finite number.
pub fn lengthscale_weights(
    lengthscales: ArrayView1<'_, f64>,
) -> Result<Array1<f64>> {
    let context = "lengthscale_weights";
    if lengthscales.is_empty() {
        return Err(Error::Empty { context });
    }
    if lengthscales.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context });
    }
    if let Some(v) = lengthscales.iter().find(|&&v| v <= 0.0) {
        return Err(Error::InvalidInput {
            context,
            reason: format!("lengthscales must be positive, got {v}"),
        });
    }
    let logs = lengthscales.mapv(f64::ln);
    let mean_log = logs.sum() / logs.len() as f64;
    Ok(logs.mapv(|l| (l - mean_log).exp()))
}

/// The trust region in the unit cube: the box centred at `centre` with side L·wᵢ in
/// coordinate i, w the [`lengthscale_weights`] of `lengthscales`, clipped to [0, 1]ᵈ —
/// [max(0, cᵢ − L wᵢ/2), min(1, cᵢ + L wᵢ/2)]. The centre always lies in it.
///
/// # Errors
/// [`Error::ShapeMismatch`] unless the centre has one coordinate per lengthscale,
/// [`Error::NonFinite`] for a non-finite centre or length, [`Error::InvalidInput`] for a
/// centre outside the unit cube or L ≤ 0; as for [`lengthscale_weights`].
pub fn region_bounds(
    centre: ArrayView1<'_, f64>,
    lengthscales: ArrayView1<'_, f64>,
    length: f64,
) -> Result<Bounds> {
    let context = "region_bounds";
    let weights = lengthscale_weights(lengthscales)?;
    if centre.len() != weights.len() {
        return Err(Error::ShapeMismatch {
            context,
            expected: vec![weights.len()],
            found: vec![centre.len()],
        });
    }
    if !length.is_finite() || centre.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context });
    }
    if length <= 0.0 {
        return Err(Error::InvalidInput {
            context,
            reason: format!("the side length must be positive, got {length}"),
        });
    }
    if centre.iter().any(|&c| !(0.0..=1.0).contains(&c)) {
        return Err(Error::InvalidInput {
            context,
            reason: format!("the centre {centre} lies outside the unit cube"),
        });
    }
    let mut lower = Array1::zeros(centre.len());
    let mut upper = Array1::zeros(centre.len());
    Zip::from(&mut lower).and(&mut upper).and(&centre).and(&weights).for_each(
        |l, u, &c, &w| {
            // A half-width too small to move c still leaves a box: widen it by an ulp.
            let h = 0.5 * length * w;
            *l = (c - h).max(0.0);
            *u = (c + h).min(1.0);
            if *l >= *u {
                if c < 1.0 {
                    *u = c.next_up().min(1.0);
                } else {
                    *l = c.next_down();
                }
            }
        },
    );
    Bounds::new(lower, upper)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn the_weights_have_geometric_mean_one_and_keep_the_ratios() {
        let ls = array![0.1, 0.4, 1.6, 3.2];
        let w = lengthscale_weights(ls.view()).unwrap();
        assert!((w.iter().product::<f64>() - 1.0).abs() < 1e-14);
        for i in 0..4 {
            assert!((w[i] / w[0] - ls[i] / ls[0]).abs() < 1e-12);
        }
        // Geometric mean of (0.1, 0.4, 1.6, 3.2) = (0.2048)^(1/4) = 0.67271…
        assert!((w[0] - 0.1 / 0.2048f64.powf(0.25)).abs() < 1e-14);
        // Equal lengthscales: unit weights, whatever their size.
        for l in [1e-200, 1.0, 1e200] {
            let w = lengthscale_weights(array![l, l, l].view()).unwrap();
            assert!(w.iter().all(|v| (v - 1.0).abs() < 1e-12), "{w}");
        }
        assert!(lengthscale_weights(array![1.0, 0.0].view()).is_err());
        assert!(lengthscale_weights(array![1.0, f64::NAN].view()).is_err());
        assert!(lengthscale_weights(Array1::zeros(0).view()).is_err());
    }

    #[test]
    fn the_region_is_centred_weighted_and_clipped_at_the_faces() {
        // Weights (0.5, 2): sides 0.4 and 1.6 for L = 0.8.
        let ls = array![0.25, 1.0];
        let r = region_bounds(array![0.5, 0.5].view(), ls.view(), 0.8).unwrap();
        assert!((r.lower() - &array![0.3, 0.0]).iter().all(|d| d.abs() < 1e-15));
        assert!((r.upper() - &array![0.7, 1.0]).iter().all(|d| d.abs() < 1e-15));
        // Away from the faces the centre is the box's midpoint and sides are L·w.
        let r = region_bounds(array![0.5, 0.5].view(), ls.view(), 0.2).unwrap();
        let mid = (r.lower() + r.upper()) / 2.0;
        assert!((mid - array![0.5, 0.5]).iter().all(|d| d.abs() < 1e-15));
        let sides = r.widths();
        assert!((sides[0] - 0.1).abs() < 1e-15 && (sides[1] - 0.4).abs() < 1e-15);
        // At a corner: clipped at 0 and 1, the centre on the faces.
        let r = region_bounds(array![0.0, 1.0].view(), ls.view(), 0.2).unwrap();
        assert_eq!(r.lower()[0], 0.0);
        assert!((r.upper()[0] - 0.05).abs() < 1e-15);
        assert!((r.lower()[1] - 0.8).abs() < 1e-15);
        assert_eq!(r.upper()[1], 1.0);
        assert!(r.contains(array![0.0, 1.0].view()));
        // Wider than the cube: the cube itself.
        let r =
            region_bounds(array![0.3, 0.6].view(), array![1.0, 1.0].view(), 3.0)
                .unwrap();
        assert_eq!(r, Bounds::unit(2).unwrap());
    }

    #[test]
    fn a_vanishing_region_is_still_a_box_around_the_centre() {
        let r = region_bounds(
            array![1.0, 0.25].view(),
            array![1.0, 1.0].view(),
            1e-300,
        )
        .unwrap();
        assert!(r.contains(array![1.0, 0.25].view()));
        assert!(r.widths().iter().all(|&w| w > 0.0));
    }

    #[test]
    fn bad_regions_are_refused() {
        let ls = array![1.0, 1.0];
        assert!(region_bounds(array![0.5].view(), ls.view(), 0.8).is_err());
        assert!(region_bounds(array![0.5, 1.5].view(), ls.view(), 0.8).is_err());
        assert!(
            region_bounds(array![0.5, f64::NAN].view(), ls.view(), 0.8).is_err()
        );
        assert!(region_bounds(array![0.5, 0.5].view(), ls.view(), 0.0).is_err());
        assert!(region_bounds(array![0.5, 0.5].view(), ls.view(), f64::INFINITY)
            .is_err());
    }
}
