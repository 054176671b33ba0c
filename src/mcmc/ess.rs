//! The effective sample size of a correlated chain.

use crate::{Error, Result};

fn check(chain: &[f64], context: &'static str) -> Result<()> {
    if chain.len() < 4 {
        return Err(Error::InvalidInput {
            context,
            reason: format!("at least 4 draws are needed, got {}", chain.len()),
        });
    }
    if chain.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context });
    }
    Ok(())
}

/// The sample autocorrelations ρ₀ = 1, ρ₁, …, ρ_max_lag of a chain, with the biased
/// estimator ρₜ = Σᵢ (xᵢ − x̄)(xᵢ₊ₜ − x̄) / Σᵢ (xᵢ − x̄)² (which keeps the sequence positive
/// definite). A constant chain has ρₜ = 1 at every lag.
///
/// # Errors
/// [`Error::InvalidInput`] for fewer than 4 draws, [`Error::NonFinite`] for NaN or infinite
/// draws.
pub fn autocorrelations(chain: &[f64], max_lag: usize) -> Result<Vec<f64>> {
    check(chain, "autocorrelations")?;
    let n = chain.len();
    let mean = chain.iter().sum::<f64>() / n as f64;
    let centred: Vec<f64> = chain.iter().map(|x| x - mean).collect();
    let c0: f64 = centred.iter().map(|c| c * c).sum();
    let max_lag = max_lag.min(n - 1);
    if c0 <= 0.0 {
        return Ok(vec![1.0; max_lag + 1]);
    }
    Ok((0..=max_lag)
        .map(|t| {
            centred[..n - t]
                .iter()
                .zip(&centred[t..])
                .map(|(a, b)| a * b)
                .sum::<f64>()
                / c0
        })
        .collect())
}

/// The effective sample size N / τ of a chain of N draws, with the integrated
/// autocorrelation time τ = −1 + 2 Σₖ Γₖ estimated by Geyer's (1992) initial positive
/// sequence: Γₖ = ρ₂ₖ + ρ₂ₖ₊₁ summed while positive, and made non-increasing (the initial
/// monotone sequence). The variance of the chain's mean is about Var(x)/ESS. A constant
/// chain has an ESS of 1. An anticorrelated chain can be worth more than N independent
/// draws; the result is clamped to [1, N log₁₀ N], as Stan clamps it.
///
/// # Errors
/// [`Error::InvalidInput`] for fewer than 4 draws, [`Error::NonFinite`] for NaN or infinite
/// draws.
pub fn effective_sample_size(chain: &[f64]) -> Result<f64> {
    check(chain, "effective_sample_size")?;
    let n = chain.len();
    let mean = chain.iter().sum::<f64>() / n as f64;
    let centred: Vec<f64> = chain.iter().map(|x| x - mean).collect();
    let c0: f64 = centred.iter().map(|c| c * c).sum();
    if c0 <= 0.0 {
        return Ok(1.0);
    }
    let rho = |t: usize| {
        centred[..n - t].iter().zip(&centred[t..]).map(|(a, b)| a * b).sum::<f64>()
            / c0
    };
    let mut sum = 0.0;
    let mut previous = f64::INFINITY;
    let mut k = 0;
    while 2 * k + 1 < n {
        let gamma = rho(2 * k) + rho(2 * k + 1);
        if gamma <= 0.0 {
            break;
        }
        let gamma = gamma.min(previous);
        sum += gamma;
        previous = gamma;
        k += 1;
    }
    let tau = -1.0 + 2.0 * sum;
    let cap = n as f64 * (n as f64).log10().max(1.0);
    Ok(if tau > 0.0 { (n as f64 / tau).clamp(1.0, cap) } else { cap })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};
    use rand_distr::StandardNormal;

    #[test]
    fn independent_draws_are_worth_about_their_number() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let x: Vec<f64> = (0..20_000).map(|_| rng.sample(StandardNormal)).collect();
        let ess = effective_sample_size(&x).unwrap();
        // τ̂ fluctuates around 1 with a standard error of a few per cent at this N.
        assert!((ess / 20_000.0 - 1.0).abs() < 0.1, "{ess}");
    }

    #[test]
    fn an_ar1_chain_has_the_closed_form_autocorrelation_time() {
        // xₜ = φ xₜ₋₁ + εₜ: ρₜ = φᵗ and τ = (1 + φ)/(1 − φ) = 9 for φ = 0.8.
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let phi: f64 = 0.8;
        let mut x = vec![0.0; 100_000];
        x[0] = rng.sample::<f64, _>(StandardNormal) / (1.0 - phi * phi).sqrt();
        for t in 1..x.len() {
            x[t] = phi * x[t - 1] + rng.sample::<f64, _>(StandardNormal);
        }
        let tau = x.len() as f64 / effective_sample_size(&x).unwrap();
        assert!((tau - 9.0).abs() < 0.9, "{tau}");
        let rho = autocorrelations(&x, 3).unwrap();
        for (t, r) in rho.iter().enumerate() {
            assert!((r - phi.powi(t as i32)).abs() < 0.02, "{t}: {r}");
        }
    }

    #[test]
    fn constant_short_and_non_finite_chains() {
        assert_eq!(effective_sample_size(&[2.0; 10]).unwrap(), 1.0);
        assert!(effective_sample_size(&[1.0, 2.0, 3.0]).is_err());
        assert!(matches!(
            effective_sample_size(&[1.0, f64::NAN, 3.0, 4.0]),
            Err(Error::NonFinite { .. })
        ));
        assert_eq!(autocorrelations(&[1.0; 5], 2).unwrap(), vec![1.0; 3]);
    }
}
