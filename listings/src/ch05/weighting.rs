//! The upstream array as a choice: which combination of outputs the gradient is the
//! sensitivity of.

use gradbo::autodiff::Tape;
use ndarray::{Array2, ArrayD, IxDyn};

// ANCHOR: weights
/// The upstream array for weight w: row 0 (the first output row) weighted w, rows
/// 1–4 weighted 1 − w, then divided by their total S = 4w + 16(1 − w) so that the
/// weights sum to 1.
pub fn upstream(w: f64) -> Array2<f64> {
    let raw = Array2::from_shape_fn(
        (5, 4),
        |(row, _)| if row == 0 { w } else { 1.0 - w },
    );
    let total = raw.sum();
    raw / total
}
// ANCHOR_END: weights

// ANCHOR: sensitivity
/// The gradient on inp of Σ v ⊙ out, for out = ((inp + 10)³)ᵀ and the upstream
/// array of weight w: by the chain rule, 3 (inp_ij + 10)² v_ji.
pub fn sensitivity(inp: &Array2<f64>, w: f64) -> gradbo::Result<ArrayD<f64>> {
    let tape = Tape::new();
    let x = tape.param(inp.clone().into_dyn());
    let out = (x + 10.0).powf(3.0).t();
    tape.backward_with(out, upstream(w).into_dyn())?;
    Ok(tape.grad(x).unwrap_or_else(|| ArrayD::zeros(IxDyn(inp.shape()))))
}
// ANCHOR_END: sensitivity

// ANCHOR: closed_form
/// The same four entries and the total in closed form, from S = 4w + 16(1 − w):
/// (0,0) = 363 w/S, (0,1) = 300 (1 − w)/S, (1,0) = 300 w/S, (1,1) = 363 (1 − w)/S
/// and the sum of all twenty entries 300 + 63 (w + 3(1 − w))/S.
pub fn closed_form(w: f64) -> ([f64; 4], f64) {
    let s = 4.0 * w + 16.0 * (1.0 - w);
    let entries = [
        363.0 * w / s,
        300.0 * (1.0 - w) / s,
        300.0 * w / s,
        363.0 * (1.0 - w) / s,
    ];
    (entries, 300.0 + 63.0 * (w + 3.0 * (1.0 - w)) / s)
}
// ANCHOR_END: closed_form

pub fn main() -> gradbo::Result<()> {
    let inp =
        Array2::from_shape_fn((4, 5), |(i, j)| if i == j { 1.0 } else { 0.0 });
    for w in [0.5, 0.75, 1.0] {
        let g = sensitivity(&inp, w)?;
        let entries = [g[[0, 0]], g[[0, 1]], g[[1, 0]], g[[1, 1]]];
        println!("w = {w}: entries {entries:?}, sum {:.3}", g.sum());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tape_matches_the_closed_form_for_every_weight() {
        let inp =
            Array2::from_shape_fn((4, 5), |(i, j)| if i == j { 1.0 } else { 0.0 });
        for k in 0..=20 {
            let w = 0.5 + 0.025 * f64::from(k);
            let g = sensitivity(&inp, w).unwrap();
            let (entries, sum) = closed_form(w);
            let measured = [g[[0, 0]], g[[0, 1]], g[[1, 0]], g[[1, 1]]];
            for (m, e) in measured.iter().zip(entries) {
                assert!((m - e).abs() < 1e-12);
            }
            assert!((g.sum() - sum).abs() < 1e-11);
        }
        assert!((closed_form(0.5).1 - 312.6).abs() < 1e-12);
        assert!((closed_form(1.0).1 - 315.75).abs() < 1e-12);
        let (at_half, _) = closed_form(0.5);
        assert!(at_half
            .iter()
            .zip([18.15, 15.0, 15.0, 18.15])
            .all(|(a, b)| (a - b).abs() < 1e-12));
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
