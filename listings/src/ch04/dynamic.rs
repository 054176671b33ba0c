//! Define-by-run: the graph is whatever the code did this time, loops and branches
//! included.

use gradbo::autodiff::Tape;

// ANCHOR: dynamic
/// Multiplies y by x until y exceeds 10 (at most 50 times): y = x^k, where k
/// depends on x. Returns y, dy/dx and the number of nodes the tape recorded.
pub fn power_until_ten(x0: f64) -> gradbo::Result<(f64, f64, usize)> {
    let tape = Tape::new();
    let x = tape.scalar_param(x0);
    let mut y = x;
    for _ in 0..50 {
        if tape.item(y)? > 10.0 {
            break; // ordinary control flow: the tape records only what ran
        }
        y = y * x;
    }
    tape.backward(y)?;
    let dydx = tape.grad(x).map_or(0.0, |g| g.sum());
    Ok((tape.item(y)?, dydx, tape.len()))
}
// ANCHOR_END: dynamic

pub fn main() -> gradbo::Result<()> {
    for x in [1.5, 3.0] {
        let (y, dydx, nodes) = power_until_ten(x)?;
        println!("x = {x}: y = {y}, dy/dx = {dydx}, {nodes} nodes");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gradient_is_that_of_the_power_that_ran() {
        // 1.5^6 = 11.39 > 10 after 5 multiplications; 3^3 = 27 after 2.
        for (x, k) in [(1.5_f64, 6), (3.0, 3)] {
            let (y, dydx, nodes) = power_until_ten(x).unwrap();
            assert!((y - x.powi(k)).abs() < 1e-12);
            assert!((dydx - f64::from(k) * x.powi(k - 1)).abs() < 1e-12);
            assert_eq!(nodes, k as usize); // one leaf and k − 1 products
        }
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
