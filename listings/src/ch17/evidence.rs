//! Chapter 17: reading a comparison over seeds — medians, spreads, paired wins and a sign
//! test — and saying only what they support.

// ANCHOR: quantile
/// The q-quantile (0 ≤ q ≤ 1) of `values`, interpolating linearly between order statistics
/// (the convention of NumPy's default): q = 0.5 is the median, 0.25 and 0.75 the quartiles.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    let h = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}
// ANCHOR_END: quantile

// ANCHOR: sign_test
/// The two-sided sign test: the probability, if neither variant were better, that one of
/// them would win at least max(a, b) of the a + b seeds where they differ —
/// 2·P(Binomial(a + b, ½) ≥ max(a, b)), at most 1.
pub fn sign_test(a: usize, b: usize) -> f64 {
    let n = a + b;
    let k = a.max(b);
    // P(X = j) = C(n, j) / 2ⁿ, summed for j = k … n.
    let mut term = 0.5f64.powi(n as i32); // j = 0
    let mut tail = 0.0;
    for j in 0..=n {
        if j >= k {
            tail += term;
        }
        term *= (n - j) as f64 / (j + 1) as f64;
    }
    (2.0 * tail).min(1.0)
}
// ANCHOR_END: sign_test

// ANCHOR: verdict
/// Final values of the two variants of a comparison, one per seed, paired by seed.
#[derive(Debug, Clone, PartialEq)]
pub struct Paired<'a> {
    /// The variants' names.
    pub names: [&'a str; 2],
    /// Their final values (lower is better), `values[v][s]` for seed s.
    pub values: [Vec<f64>; 2],
    /// Differences smaller than this count as ties.
    pub tie: f64,
}

impl Paired<'_> {
    /// Seeds where the first variant ended lower, where the second did, and ties.
    pub fn wins(&self) -> (usize, usize, usize) {
        let (mut a, mut b, mut t) = (0, 0, 0);
        for (x, y) in self.values[0].iter().zip(&self.values[1]) {
            if (x - y).abs() < self.tie {
                t += 1;
            } else if x < y {
                a += 1;
            } else {
                b += 1;
            }
        }
        (a, b, t)
    }

    /// One sentence saying what the seeds support, built from the numbers: a difference
    /// only if the sign test gives p < 0.05; otherwise whether the medians differ by more
    /// or less than the spread between seeds (the larger interquartile range).
    pub fn verdict(&self) -> String {
        let n = self.values[0].len();
        let (a, b, t) = self.wins();
        let p = sign_test(a, b);
        let median = |v: &[f64]| quantile(v, 0.5);
        let iqr = |v: &[f64]| quantile(v, 0.75) - quantile(v, 0.25);
        let gap = (median(&self.values[0]) - median(&self.values[1])).abs();
        let spread = iqr(&self.values[0]).max(iqr(&self.values[1]));
        let (winner, w, l) =
            if a >= b { (self.names[0], a, b) } else { (self.names[1], b, a) };
        let tally = if w + l == 0 {
            format!("the two ended tied within {} in all {n} seeds", self.tie)
        } else {
            format!(
                "{winner} ended lower in {w} of {n} seeds, the other in {l}, {t} tied \
                 within {}",
                self.tie
            )
        };
        let (gap_shown, spread_shown) = (shown(gap), shown(spread));
        if p < 0.05 {
            format!(
                "{tally} (sign test p = {p:.3}): a difference these seeds support."
            )
        } else if gap < spread {
            format!(
                "{tally} (sign test p = {p:.2}), and the medians differ by {gap_shown}, \
                 less than the spread between seeds ({spread_shown}): these seeds do not \
                 separate them."
            )
        } else {
            format!(
                "{tally} (sign test p = {p:.2}); the medians differ by {gap_shown}, \
                 more than the spread between seeds ({spread_shown}), but the wins are not \
                 consistent enough to call it a difference."
            )
        }
    }
}

/// `x` to four decimals without trailing zeros: 9.5, 25.25, 0.4489, 0.
fn shown(x: f64) -> String {
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
// ANCHOR_END: verdict

/// A comparison read both ways.
pub fn main() -> gradbo::Result<()> {
    let paired = Paired {
        names: ["A", "B"],
        values: [
            vec![-0.84, -0.84, -0.83, -0.84, -0.39],
            vec![-0.39, -0.84, -0.39, -0.39, -0.39],
        ],
        tie: 1e-3,
    };
    println!("{}", paired.verdict());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        let v = [3.0, 1.0, 4.0, 1.5, 9.0];
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&v, 0.25), 1.5);
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 1.0), 9.0);
        // Even counts: the median halves the two middle values.
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.75), 3.25);
    }

    #[test]
    fn the_sign_test_matches_binomial_tails() {
        // 9 of 10: 2·(10 + 1)/1024.
        assert!((sign_test(9, 1) - 22.0 / 1024.0).abs() < 1e-15);
        // 5 of 5: 2/32. 8 of 10: 2·56/1024.
        assert!((sign_test(0, 5) - 2.0 / 32.0).abs() < 1e-15);
        assert!((sign_test(8, 2) - 112.0 / 1024.0).abs() < 1e-15);
        // Even splits and no data: no evidence at all.
        assert_eq!(sign_test(5, 5), 1.0);
        assert_eq!(sign_test(0, 0), 1.0);
    }

    #[test]
    fn verdicts_follow_the_numbers() {
        let sure = Paired {
            names: ["A", "B"],
            values: [vec![0.0; 10], vec![1.0; 10]],
            tie: 1e-3,
        };
        assert_eq!(sure.wins(), (10, 0, 0));
        assert!(sure.verdict().contains("A ended lower in 10 of 10"));
        assert!(sure.verdict().contains("support"));
        let even = Paired {
            names: ["A", "B"],
            values: [vec![0.0, 1.0, 0.5, 0.2], vec![1.0, 0.0, 0.5, 0.2]],
            tie: 1e-3,
        };
        assert_eq!(even.wins(), (1, 1, 2));
        assert!(even.verdict().contains("do not separate"), "{}", even.verdict());
        // The medians 0.35 and 0.35 print without trailing zeros.
        assert!(even.verdict().contains("differ by 0, less"), "{}", even.verdict());
        let tied = Paired {
            names: ["A", "B"],
            values: [vec![0.5; 4], vec![0.5; 4]],
            tie: 1e-3,
        };
        assert!(tied
            .verdict()
            .starts_with("the two ended tied within 0.001 in all 4 seeds"));
        // 3 of 4 lower by a lot: a gap larger than the spread, but p = 0.625.
        let lean = Paired {
            names: ["A", "B"],
            values: [vec![0.0, 0.0, 0.0, 1.0], vec![1.0, 1.0, 1.0, 0.0]],
            tie: 1e-3,
        };
        assert!(lean.verdict().contains("not consistent"), "{}", lean.verdict());
    }
}
