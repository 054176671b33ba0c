//! Three acquisition functions for minimisation, in closed form: LCB, PI and EI.

use gradbo::special::{normal_cdf, normal_pdf};

// ANCHOR: acquisition
/// The smallest σ divided by: where the posterior is certain, z would be ±∞.
pub const SD_FLOOR: f64 = 1e-12;

/// Lower confidence bound μ − βσ: an optimistic estimate of f(x). Smaller is more promising.
pub fn lcb(mean: f64, sd: f64, beta: f64) -> f64 {
    mean - beta * sd
}

/// Probability of improvement P(f(x) < f* − ξ) = Φ((f* − ξ − μ)/σ) under f(x) ~ N(μ, σ²).
pub fn pi(mean: f64, sd: f64, best: f64, xi: f64) -> f64 {
    normal_cdf((best - xi - mean) / sd.max(SD_FLOOR))
}

/// Expected improvement E[max(f* − ξ − f(x), 0)] = (f* − ξ − μ)Φ(z) + σφ(z) with
/// z = (f* − ξ − μ)/σ; zero where the posterior is certain (σ ≤ 0).
pub fn ei(mean: f64, sd: f64, best: f64, xi: f64) -> f64 {
    if sd <= 0.0 {
        return 0.0;
    }
    let sd = sd.max(SD_FLOOR);
    let gap = best - xi - mean;
    let z = gap / sd;
    gap * normal_cdf(z) + sd * normal_pdf(z)
}
// ANCHOR_END: acquisition

/// Prints the three scores for two candidates: a sure small gain and an unsure large one.
pub fn main() {
    let best = 0.0;
    for (mean, sd) in [(-0.1, 0.01), (0.2, 0.5)] {
        println!(
            "μ = {mean:+.2}, σ = {sd:.2}: LCB = {:+.3}, PI = {:.3}, EI = {:.4}",
            lcb(mean, sd, 1.0),
            pi(mean, sd, best, 0.0),
            ei(mean, sd, best, 0.0)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::acquisition::{expected_improvement, probability_of_improvement};
    use gradbo::numeric::derivative;

    /// ∫ g(y) N(y; μ, σ²) dy over y < `top` by the trapezoidal rule from μ − 12σ.
    fn expect(g: impl Fn(f64) -> f64, mean: f64, sd: f64, top: f64) -> f64 {
        let n = 200_000;
        let (a, b) = (mean - 12.0 * sd, top);
        let h = (b - a) / n as f64;
        (0..=n)
            .map(|k| {
                let y = a + h * k as f64;
                let w = if k == 0 || k == n { 0.5 } else { 1.0 };
                w * g(y) * normal_pdf((y - mean) / sd) / sd
            })
            .sum::<f64>()
            * h
    }

    #[test]
    fn the_closed_forms_are_the_expectations() {
        for (mean, sd, best, xi) in
            [(0.3, 0.5, 0.0, 0.0), (-1.0, 0.2, -0.8, 0.05), (2.0, 0.4, 0.0, 0.0)]
        {
            // Improvement happens below f* − ξ: integrate up to there, where the integrands
            // are smooth.
            let improvement = expect(|y| best - xi - y, mean, sd, best - xi);
            assert!(
                (ei(mean, sd, best, xi) - improvement).abs() < 1e-8,
                "{mean} {sd}"
            );
            let probability = expect(|_| 1.0, mean, sd, best - xi);
            assert!(
                (pi(mean, sd, best, xi) - probability).abs() < 1e-8,
                "{mean} {sd}"
            );
        }
    }

    #[test]
    fn ei_is_at_least_the_plain_improvement_and_tends_to_it() {
        for mean in [-1.0_f64, -0.1, 0.0, 0.1, 1.0] {
            let plain = (0.0 - mean).max(0.0);
            assert!(ei(mean, 0.3, 0.0, 0.0) >= plain);
            assert!((ei(mean, 1e-9, 0.0, 0.0) - plain).abs() < 1e-9);
        }
        // At μ = f* the gain is all uncertainty: EI = σφ(0) = σ/√(2π).
        let sd = 0.7;
        assert!(
            (ei(0.0, sd, 0.0, 0.0) - sd / (2.0 * std::f64::consts::PI).sqrt())
                .abs()
                < 1e-15
        );
        assert_eq!(ei(0.0, 0.0, 1.0, 0.0), 0.0);
    }

    #[test]
    fn the_derivatives_are_those_of_the_derivation() {
        // ∂EI/∂μ = −Φ(z) and ∂EI/∂σ = φ(z), checked by central differences.
        let (mean, sd, best) = (0.2, 0.4, 0.0);
        let z = (best - mean) / sd;
        let d_mean = derivative(|m| ei(m, sd, best, 0.0), mean, 1e-6);
        let d_sd = derivative(|s| ei(mean, s, best, 0.0), sd, 1e-6);
        assert!((d_mean + normal_cdf(z)).abs() < 1e-8);
        assert!((d_sd - normal_pdf(z)).abs() < 1e-8);
    }

    #[test]
    fn minimising_f_is_maximising_minus_f_in_the_library() {
        // The library works in the maximisation form; negating μ and f* converts.
        for (mean, sd, best) in [(0.3, 0.5, 0.0), (-1.0, 0.2, -0.8)] {
            let lib = expected_improvement(-mean, sd, -best).value;
            assert!((ei(mean, sd, best, 0.0) - lib).abs() < 1e-15);
            let lib = probability_of_improvement(-mean, sd, -best).value;
            assert!((pi(mean, sd, best, 0.0) - lib).abs() < 1e-15);
        }
    }

    #[test]
    fn main_runs() {
        main();
    }
}
