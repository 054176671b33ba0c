//! Derivatives of derivatives: differentiate a recorded backward pass again.

use gradbo::autodiff::{Tape, Var};

// ANCHOR: nth
/// The first `n` derivatives of f at x0. Each `grad_graph` call records the
/// backward pass on the tape, so the derivative it returns is itself a recorded
/// value, ready to be differentiated again.
pub fn derivatives(
    f: impl for<'t> Fn(Var<'t>) -> Var<'t>,
    x0: f64,
    n: usize,
) -> gradbo::Result<Vec<f64>> {
    let tape = Tape::new();
    let x = tape.scalar_param(x0);
    let mut d = f(x);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        d = tape.grad_graph(d, &[x])?[0];
        out.push(tape.item(d)?);
    }
    Ok(out)
}
// ANCHOR_END: nth

// ANCHOR: closed_form
/// The first four derivatives of y = σ(x)² in closed form. With s = σ(x) and its
/// derivatives s' = s(1 − s), s'' = s'(1 − 2s), s''' = s''(1 − 2s) − 2s'², s'''' =
/// s'''(1 − 2s) − 6s's'': y' = 2ss', y'' = 2(s'² + ss''), y''' = 2(3s's'' + ss'''),
/// y'''' = 2(3s''² + 4s's''' + ss'''').
pub fn sigmoid_squared_closed_form(x: f64) -> [f64; 4] {
    let s = 1.0 / (1.0 + (-x).exp());
    let s1 = s * (1.0 - s);
    let s2 = s1 * (1.0 - 2.0 * s);
    let s3 = s2 * (1.0 - 2.0 * s) - 2.0 * s1 * s1;
    let s4 = s3 * (1.0 - 2.0 * s) - 6.0 * s1 * s2;
    [
        2.0 * s * s1,
        2.0 * (s1 * s1 + s * s2),
        2.0 * (3.0 * s1 * s2 + s * s3),
        2.0 * (3.0 * s2 * s2 + 4.0 * s1 * s3 + s * s4),
    ]
}
// ANCHOR_END: closed_form

pub fn main() -> gradbo::Result<()> {
    let taped = derivatives(|x| x.sigmoid().square(), 1.0, 4)?;
    let exact = sigmoid_squared_closed_form(1.0);
    for (k, (t, e)) in taped.iter().zip(exact).enumerate() {
        println!("derivative {}: tape {t:.17}, closed form {e:.17}", k + 1);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_derivatives_of_sigmoid_squared_at_one() {
        let taped = derivatives(|x| x.sigmoid().square(), 1.0, 4).unwrap();
        let published = [
            0.28746968091443026,
            -0.05553216715671277,
            -0.15883244188262885,
            0.17454883749094627,
        ];
        for ((t, e), p) in
            taped.iter().zip(sigmoid_squared_closed_form(1.0)).zip(published)
        {
            assert!((t - p).abs() < 1e-12 && (e - p).abs() < 1e-12, "{t} {e} {p}");
        }
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
