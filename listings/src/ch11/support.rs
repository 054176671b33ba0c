//! A heuristic "data-support" uncertainty: small near observations, large far from them.

// ANCHOR: support
/// σ(x) = base + scale·(1 − I(x)/max I), where the influence I(x) = Σᵢ exp(−½((x − xᵢ)/ℓ)²)
/// counts nearby observations and max I is taken over a fixed reference grid.
///
/// A heuristic, not a probability model: it looks only at where the data are, never at
/// their values or at the model fitted to them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Support {
    /// The smallest σ, reached where the data are densest.
    pub base: f64,
    /// How much σ can grow above `base`, reached where no observation has influence.
    pub scale: f64,
    /// ℓ: how far one observation's influence reaches.
    pub lengthscale: f64,
}

impl Support {
    /// The influence of the observations `data` at x.
    pub fn influence(&self, data: &[f64], x: f64) -> f64 {
        data.iter()
            .map(|&xi| (-0.5 * ((x - xi) / self.lengthscale).powi(2)).exp())
            .sum()
    }

    /// The largest influence over the reference points: the normaliser.
    pub fn max_influence(&self, data: &[f64], reference: &[f64]) -> f64 {
        reference.iter().map(|&x| self.influence(data, x)).fold(0.0, f64::max)
    }

    /// σ at each point of `at`, normalised over `reference`, which should be the same
    /// fixed grid for every call — not the points asked about.
    pub fn sigma(&self, data: &[f64], reference: &[f64], at: &[f64]) -> Vec<f64> {
        let max = self.max_influence(data, reference);
        at.iter()
            .map(|&x| {
                self.base + self.scale * (1.0 - self.influence(data, x) / max)
            })
            .collect()
    }

    /// How far one new observation at `x_new` lowers σ at x, if it leaves the
    /// normaliser `max` unchanged: (scale/max)·exp(−½((x − x_new)/ℓ)²).
    pub fn drop_from_new_point(&self, max: f64, x_new: f64, x: f64) -> f64 {
        self.scale / max * (-0.5 * ((x - x_new) / self.lengthscale).powi(2)).exp()
    }
}
// ANCHOR_END: support

/// The settings most of the chapter uses: base 0.03, scale 0.30, ℓ = 0.35.
pub const DEFAULT: Support = Support { base: 0.03, scale: 0.30, lengthscale: 0.35 };

/// The settings of the extrapolation section: base 0.03, scale 0.35, ℓ = 0.30.
pub const WIDE: Support = Support { base: 0.03, scale: 0.35, lengthscale: 0.30 };

// ANCHOR: band
/// The band μ ± 2σ: a picture of where the model is supported by data, with no
/// probability attached to it.
pub fn band(mu: &[f64], sigma: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let lower = mu.iter().zip(sigma).map(|(m, s)| m - 2.0 * s).collect();
    let upper = mu.iter().zip(sigma).map(|(m, s)| m + 2.0 * s).collect();
    (lower, upper)
}
// ANCHOR_END: band

pub fn main() {
    let data: Vec<f64> = (0..8).map(|i| -1.5 + 3.0 * f64::from(i) / 7.0).collect();
    let reference: Vec<f64> =
        (0..600).map(|i| -3.0 + 6.0 * f64::from(i) / 599.0).collect();
    for candidates in [[-2.5, 0.0, 1.8], [-2.5, 1.8, 2.5]] {
        let on_grid = DEFAULT.sigma(&data, &reference, &candidates);
        let on_candidates = DEFAULT.sigma(&data, &candidates, &candidates);
        for ((x, g), c) in candidates.iter().zip(&on_grid).zip(&on_candidates) {
            println!(
                "σ({x:+.1}) = {g:.4} normalised over the grid, \
                 {c:.4} over the candidates {candidates:?}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn central() -> (Vec<f64>, Vec<f64>) {
        let data = (0..8).map(|i| -1.5 + 3.0 * f64::from(i) / 7.0).collect();
        let reference =
            (0..600).map(|i| -3.0 + 6.0 * f64::from(i) / 599.0).collect();
        (data, reference)
    }

    #[test]
    fn candidate_sigmas_and_why_the_normaliser_must_be_fixed() {
        let (data, reference) = central();
        let c = [-2.5, 0.0, 1.8];
        let grid = DEFAULT.sigma(&data, &reference, &c);
        for (got, want) in grid.iter().zip([0.3275, 0.0300, 0.2111]) {
            assert!((got - want).abs() < 5e-5, "{got}");
        }
        // At the grid point nearest 1.8 (x = 1.79800) the band's σ is 0.2104.
        let near = reference[479];
        assert!((near - 1.798).abs() < 1e-5);
        assert!(
            (DEFAULT.sigma(&data, &reference, &[near])[0] - 0.2104).abs() < 5e-5
        );
        // These candidates include x = 0, where the influence peaks, so normalising over
        // them happens to agree with the grid to 1e-5 ...
        let own = DEFAULT.sigma(&data, &c, &c);
        assert!(own.iter().zip(&grid).all(|(a, b)| (a - b).abs() < 1e-5));
        // ... but far-off candidates normalised among themselves call the nearest one certain.
        let far = [-2.5, 1.8, 2.5];
        let own = DEFAULT.sigma(&data, &far, &far);
        assert!((own[1] - DEFAULT.base).abs() < 1e-15);
        assert!((DEFAULT.sigma(&data, &reference, &far)[1] - 0.2111).abs() < 5e-5);
    }

    #[test]
    fn sigma_lies_between_base_and_base_plus_scale_and_stays_above_base_at_the_end_observation(
    ) {
        let (data, reference) = central();
        let s = DEFAULT.sigma(&data, &reference, &reference);
        assert!(s.iter().all(|v| (0.03 - 1e-15..=0.33 + 1e-15).contains(v)));
        // At the outermost observation σ is well above its floor: no collapse at data.
        let at_edge = DEFAULT.sigma(&data, &reference, &[-1.5])[0];
        assert!(at_edge > 0.1, "{at_edge}");
    }

    #[test]
    fn the_band_is_two_sigma_either_side() {
        let (lo, hi) = band(&[1.0, -1.0], &[0.1, 0.5]);
        assert_eq!((lo, hi), (vec![0.8, -2.0], vec![1.2, 0.0]));
    }

    #[test]
    fn main_runs() {
        main();
    }
}
