//! Expected hypervolume improvement in closed form, for one candidate whose objectives are
//! independent Gaussians.
//!
//! Over the boxes [l, u] of the region not dominated by the front
//! ([`non_dominated_boxes`](super::non_dominated_boxes)), the improvement of a point y is
//! Σ_boxes Πₖ (min(yₖ, uₖ) − lₖ)⁺. With independent Yₖ ~ N(μₖ, σₖ²) the expectation of
//! each product is the product of expectations, and for l < u
//!
//! E[(min(Y, u) − l)⁺] = E[(Y − l)⁺] − E[(Y − u)⁺] = EI(μ, σ; l) − EI(μ, σ; u),
//!
//! with EI(μ, σ; b) = σ h((μ − b)/σ), h(z) = φ(z) + zΦ(z), the expected improvement on b
//! (0 for u = +∞). This is the exact EHVI of one candidate (q = 1) under a model list of
//! independent GPs, in any number of objectives; the Monte Carlo [`Qehvi`](super::Qehvi)
//! estimates the same number and extends it to batches.

use super::boxes::BoxDecomposition;
use super::reference::check_point;
use crate::acquisition::expected_improvement;
use crate::{Error, Result};
use ndarray::ArrayView1;

/// E[(Y − b)⁺] for Y ~ N(μ, σ²), σ ≥ 0; 0 for b = +∞.
fn excess(mean: f64, sd: f64, bound: f64) -> f64 {
    if bound == f64::INFINITY {
        0.0
    } else if sd == 0.0 {
        (mean - bound).max(0.0)
    } else {
        expected_improvement(mean, sd, bound).value
    }
}

/// The expected hypervolume improvement over the region cut into `boxes` (of
/// [`non_dominated_boxes`](super::non_dominated_boxes)) of one point whose m objectives are
/// independent normals with means `mean` and standard deviations `sd`.
///
/// ```
/// use gradbo::multi_objective::{expected_hypervolume_improvement, non_dominated_boxes};
/// use ndarray::array;
/// let front = array![[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]];
/// let boxes = non_dominated_boxes(front.view(), array![0.0, 0.0].view())?;
/// // With no uncertainty it is the improvement of the mean itself.
/// let certain = expected_hypervolume_improvement(&boxes, array![2.5, 2.5].view(), array![0.0, 0.0].view())?;
/// assert_eq!(certain, boxes.improvement(array![2.5, 2.5].view())?);
/// # Ok::<(), gradbo::Error>(())
/// ```
///
/// # Errors
/// [`Error::ShapeMismatch`] unless `mean` and `sd` have m values, [`Error::NonFinite`] for
/// non-finite ones, [`Error::InvalidInput`] for a negative standard deviation.
pub fn expected_hypervolume_improvement(
    boxes: &BoxDecomposition,
    mean: ArrayView1<'_, f64>,
    sd: ArrayView1<'_, f64>,
) -> Result<f64> {
    let m = boxes.num_objectives();
    check_point(mean, m, "expected_hypervolume_improvement: the means")?;
    check_point(
        sd,
        m,
        "expected_hypervolume_improvement: the standard deviations",
    )?;
    if sd.iter().any(|&s| s < 0.0) {
        return Err(Error::InvalidInput {
            context: "expected_hypervolume_improvement",
            reason: format!("standard deviations must be non-negative, got {sd}"),
        });
    }
    let mut total = 0.0;
    for (l, u) in boxes.lower().rows().into_iter().zip(boxes.upper().rows()) {
        let mut product = 1.0;
        for k in 0..m {
            let part = excess(mean[k], sd[k], l[k]) - excess(mean[k], sd[k], u[k]);
            product *= part.max(0.0);
        }
        total += product;
    }
    if !total.is_finite() {
        return Err(Error::NonFinite {
            context: "expected_hypervolume_improvement: the value",
        });
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::multi_objective::non_dominated_boxes;
    use ndarray::array;
    use rand::rngs::ChaCha8Rng;
    use rand::SeedableRng;
    use rand_distr::{Distribution, StandardNormal};

    #[test]
    fn agrees_with_plain_monte_carlo() {
        let front = array![[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]];
        let boxes =
            non_dominated_boxes(front.view(), array![0.0, 0.0].view()).unwrap();
        let (mean, sd) = (array![2.2, 1.9], array![0.6, 0.9]);
        let exact =
            expected_hypervolume_improvement(&boxes, mean.view(), sd.view())
                .unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let draws = 200_000;
        let mut normal = || -> f64 { StandardNormal.sample(&mut rng) };
        let values: Vec<f64> = (0..draws)
            .map(|_| {
                let y =
                    array![mean[0] + sd[0] * normal(), mean[1] + sd[1] * normal()];
                boxes.improvement(y.view()).unwrap()
            })
            .collect();
        let avg = values.iter().sum::<f64>() / draws as f64;
        let var = values.iter().map(|v| (v - avg).powi(2)).sum::<f64>()
            / (draws - 1) as f64;
        let se = (var / draws as f64).sqrt();
        assert!((exact - avg).abs() < 4.0 * se, "{exact} vs {avg} ± {se}");
        assert!(exact > 0.3, "{exact}");
    }

    #[test]
    fn bad_input_is_an_error() {
        let boxes =
            non_dominated_boxes(array![[1.0, 1.0]].view(), array![0.0, 0.0].view())
                .unwrap();
        assert!(matches!(
            expected_hypervolume_improvement(
                &boxes,
                array![1.0].view(),
                array![1.0, 1.0].view()
            ),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            expected_hypervolume_improvement(
                &boxes,
                array![1.0, 1.0].view(),
                array![1.0, -1.0].view()
            ),
            Err(Error::InvalidInput { .. })
        ));
    }
}
