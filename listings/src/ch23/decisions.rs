//! Chapter 23: choosing one formulation from a learned Pareto front by three explicit
//! rules, each on the front's objectives min–max normalised over the front.

use gradbo::multi_objective::{
    closest_to_ideal, threshold_then_maximise, weighted_sum, Choice,
};
use gradbo::Result;
use ndarray::{array, ArrayView2};

// ANCHOR: rules
/// The efficiency a formulation must reach under the threshold rule.
pub const EFFICIENCY_THRESHOLD: f64 = 0.985;
/// The weights of the weighted-sum rule, (efficiency, capacity).
pub const WEIGHTS: [f64; 2] = [0.5, 0.5];

/// The three rules' choices from `front` (rows (E, C)):
/// 1. the largest 0.5·Ẽ + 0.5·C̃ (tildes: min–max normalised over the front);
/// 2. among the rows with E ≥ 0.985, the largest C (if none, the largest E);
/// 3. the row closest, in normalised units, to the ideal point (1, 1).
pub fn decide(front: ArrayView2<'_, f64>) -> Result<[Choice; 3]> {
    let w = array![WEIGHTS[0], WEIGHTS[1]];
    Ok([
        weighted_sum(front, w.view())?,
        threshold_then_maximise(front, 0, EFFICIENCY_THRESHOLD, 1)?,
        closest_to_ideal(front)?,
    ])
}
// ANCHOR_END: rules

/// The rules' names, in the order of [`decide`].
pub const RULES: [&str; 3] =
    ["weighted sum (0.5, 0.5)", "E ≥ 0.985, then max C", "closest to ideal (1, 1)"];

pub fn main() -> Result<()> {
    // A front of eleven formulations, sorted by efficiency.
    let front = array![
        [0.958849, 235.0],
        [0.961653, 223.585254],
        [0.963920, 219.676258],
        [0.965179, 204.289622],
        [0.967578, 192.720555],
        [0.973070, 179.446760],
        [0.976662, 173.290077],
        [0.980614, 167.088500],
        [0.986752, 159.247111],
        [0.991785, 148.809869],
        [0.993923, 142.731911]
    ];
    for (name, c) in RULES.iter().zip(decide(front.view())?) {
        let row = front.row(c.index);
        println!("{name}: E = {}, C = {} (score {:.4})", row[0], row[1], c.score);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An eleven-point front printed to six decimals.
    fn front() -> ndarray::Array2<f64> {
        array![
            [0.958849, 235.0],
            [0.961653, 223.585254],
            [0.963920, 219.676258],
            [0.965179, 204.289622],
            [0.967578, 192.720555],
            [0.973070, 179.446760],
            [0.976662, 173.290077],
            [0.980614, 167.088500],
            [0.986752, 159.247111],
            [0.991785, 148.809869],
            [0.993923, 142.731911]
        ]
    }

    #[test]
    fn the_three_rules_on_an_eleven_point_front() {
        let f = front();
        let [w, t, c] = decide(f.view()).unwrap();
        assert_eq!((w.index, t.index, c.index), (9, 8, 7));
        assert!((w.score - 0.5025).abs() < 5e-5, "{}", w.score);
        assert_eq!(t.score, 159.247111);
        assert!(!t.fallback);
        assert!((c.score - 0.8281).abs() < 5e-5, "{}", c.score);
        // By hand: normalised E of row 9 and C of row 9.
        let e = (0.991785 - 0.958849) / (0.993923 - 0.958849);
        let cap = (148.809869 - 142.731911) / (235.0 - 142.731911);
        assert!((w.score - 0.5 * (e + cap)).abs() < 1e-12);
    }

    #[test]
    fn an_unreachable_threshold_falls_back_to_the_most_efficient() {
        let f = front();
        let t = threshold_then_maximise(f.view(), 0, 0.999, 1).unwrap();
        assert_eq!((t.index, t.fallback), (10, true));
    }
}
