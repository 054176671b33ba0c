//! Turning (μ, σ) into a decision: the score μ̃ − βσ̃ over a search window.

// ANCHOR: zscore
/// The z-scores of `v`: (vᵢ − mean)/std, with the n − 1 standard deviation.
pub fn zscore(v: &[f64]) -> Vec<f64> {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let std = var.sqrt();
    v.iter().map(|x| (x - mean) / std).collect()
}

/// The score a = μ̃ − βσ̃ at each point, the z-scores taken over the points given.
pub fn scores(mu: &[f64], sigma: &[f64], beta: f64) -> Vec<f64> {
    let (m, s) = (zscore(mu), zscore(sigma));
    m.iter().zip(&s).map(|(m, s)| m - beta * s).collect()
}

/// The index of the smallest score: the point to evaluate next.
pub fn select(mu: &[f64], sigma: &[f64], beta: f64) -> usize {
    let s = scores(mu, sigma, beta);
    (0..s.len())
        .min_by(|&i, &j| s[i].total_cmp(&s[j]))
        .expect("points to choose from")
}
// ANCHOR_END: zscore

/// The search window: the grid points in [−2.2, 2.2].
pub const WINDOW: (f64, f64) = (-2.2, 2.2);

/// The indices of the points of `grid` inside the window.
pub fn window(grid: &[f64]) -> Vec<usize> {
    (0..grid.len()).filter(|&i| (WINDOW.0..=WINDOW.1).contains(&grid[i])).collect()
}

// ANCHOR: tie
/// The β at which points i and j score the same: μ̃ᵢ − βσ̃ᵢ = μ̃ⱼ − βσ̃ⱼ.
pub fn tie(mu_z: &[f64], sigma_z: &[f64], i: usize, j: usize) -> f64 {
    (mu_z[i] - mu_z[j]) / (sigma_z[i] - sigma_z[j])
}

/// The choices as β grows from 0 to `beta_max`: each (β from which it is chosen, index).
/// Following the lower-right edge of the cloud of (σ̃, μ̃) points: from the current choice
/// the next one is the point with larger σ̃ whose tie comes first.
pub fn path(mu: &[f64], sigma: &[f64], beta_max: f64) -> Vec<(f64, usize)> {
    let (m, s) = (zscore(mu), zscore(sigma));
    let mut current = select(mu, sigma, 0.0);
    let mut out = vec![(0.0, current)];
    loop {
        let next = (0..m.len())
            .filter(|&j| s[j] > s[current])
            .map(|j| (tie(&m, &s, j, current), j))
            .filter(|&(b, _)| b >= out.last().expect("non-empty").0)
            .min_by(|a, b| a.0.total_cmp(&b.0).then(s[b.1].total_cmp(&s[a.1])));
        match next {
            Some((b, j)) if b <= beta_max => {
                out.push((b, j));
                current = j;
            }
            _ => return out,
        }
    }
}
// ANCHOR_END: tie

pub fn main() {
    // Three candidates: a low mean with some doubt, a well-known point, a far-off one.
    let mu = [-0.6, -0.2, 0.3];
    let sigma = [0.10, 0.03, 0.33];
    for beta in [0.0, 0.5, 1.0, 2.0] {
        println!("β = {beta}: choose candidate {}", select(&mu, &sigma, beta));
    }
    for (b, i) in path(&mu, &sigma, 10.0) {
        println!("from β = {b:.3}: candidate {i}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zscores_have_mean_zero_and_unit_sample_std() {
        let z = zscore(&[1.0, 2.0, 4.0, 9.0]);
        let mean = z.iter().sum::<f64>() / 4.0;
        let var = z.iter().map(|v| v * v).sum::<f64>() / 3.0;
        assert!(mean.abs() < 1e-15 && (var - 1.0).abs() < 1e-14);
    }

    #[test]
    fn choices_are_invariant_to_affine_changes_of_units() {
        let mu = [-0.6, -0.2, 0.3, 0.1];
        let sigma = [0.10, 0.03, 0.33, 0.2];
        let mu2: Vec<f64> = mu.iter().map(|m| 40.0 * m - 7.0).collect();
        let sigma2: Vec<f64> = sigma.iter().map(|s| 0.01 * s + 3.0).collect();
        for beta in [0.0, 0.3, 0.7, 1.0, 3.0] {
            assert_eq!(select(&mu, &sigma, beta), select(&mu2, &sigma2, beta));
        }
    }

    #[test]
    fn the_path_agrees_with_a_scan_over_beta() {
        let mu = [-0.6, -0.2, 0.3, 0.1];
        let sigma = [0.10, 0.03, 0.33, 0.2];
        let path = path(&mu, &sigma, 10.0);
        for k in 0..1000 {
            let beta = 0.01 * f64::from(k) + 0.005;
            let expected = path.iter().rev().find(|p| p.0 <= beta).unwrap().1;
            assert_eq!(select(&mu, &sigma, beta), expected, "β = {beta}");
        }
    }

    #[test]
    fn main_runs() {
        main();
    }
}
