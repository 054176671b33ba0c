//! The same loop on a surface of two inputs: the two-basin function F on [−3, 3]², from a
//! fixed design of six points, and the basin each sampled point lies in.

use super::step::{acqf_options, bo_loop, State};
use gradbo::optim::bounded::{minimise_bounded, BoundedOptions};
use gradbo::test_functions::{TestProblem, TwoBasins};
use gradbo::Bounds;
use ndarray::{array, Array1, Array2, ArrayView1};

// ANCHOR: design
/// The 2-D problem: F on [−3, 3]² and the fixed six-point design, observed with 0.03·U
/// noise.
pub struct TwoD {
    pub f: TwoBasins,
    pub bounds: Bounds,
    pub x: Array2<f64>,
    pub y: Array1<f64>,
}

impl TwoD {
    pub fn new(seed: u64) -> gradbo::Result<Self> {
        let f = TwoBasins::new();
        let bounds = f.bounds().clone();
        let x = array![
            [-2.2, -2.0],
            [-1.5, 1.0],
            [-0.5, -0.8],
            [0.3, 0.5],
            [1.0, 2.2],
            [1.8, 2.0]
        ];
        let y = f.observe(x.view(), 0.03, seed)?;
        Ok(TwoD { f, bounds, x, y })
    }

    /// `n_steps` steps of the loop: LogEI maximised with 15 restarts from 60 raw samples;
    /// no posterior is kept.
    pub fn run(&self, n_steps: usize, seed: u64) -> gradbo::Result<Vec<State>> {
        let options = acqf_options(15, 60, seed);
        let f = |x: ArrayView1<'_, f64>| self.f.value(x);
        bo_loop(
            f,
            self.x.clone(),
            self.y.clone(),
            &self.bounds,
            n_steps,
            None,
            &options,
        )
    }
}
// ANCHOR_END: design

// ANCHOR: basin
/// Where a point of [−3, 3]² drains to under F.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basin {
    /// The basin of the global minimum, near (1.11, 1.45).
    Deep,
    /// The basin of the second minimum, near (−1.00, −0.86).
    Second,
    /// Anywhere else: a shallow local minimum or the edge of the box.
    Elsewhere,
}

/// The basin of attraction that `x` lies in: run bounded descent on F from `x` and see
/// which minimum it reaches (within 0.01 of it in each coordinate).
pub fn basin(problem: &TwoBasins, x: ArrayView1<'_, f64>) -> gradbo::Result<Basin> {
    let f = |p: ArrayView1<'_, f64>| {
        let value = problem.value(p)?;
        let h = 1e-6;
        let mut g = Array1::zeros(2);
        for i in 0..2 {
            let (mut up, mut down) = (p.to_owned(), p.to_owned());
            up[i] += h;
            down[i] -= h;
            g[i] = (problem.value(up.view())? - problem.value(down.view())?)
                / (2.0 * h);
        }
        Ok((value, g))
    };
    let end =
        minimise_bounded(f, x, problem.bounds(), &BoundedOptions::default())?.x;
    let near =
        |m: [f64; 2]| (end[0] - m[0]).abs() < 0.01 && (end[1] - m[1]).abs() < 0.01;
    Ok(if near(TwoBasins::MINIMISER) {
        Basin::Deep
    } else if near(TwoBasins::LOCAL_MINIMA[0].0) {
        Basin::Second
    } else {
        Basin::Elsewhere
    })
}
// ANCHOR_END: basin

/// The seed of the 2-D runs: of the initial noise and of the acquisition optimiser.
pub const SEED: u64 = 0;

pub fn main() -> gradbo::Result<()> {
    let problem = TwoD::new(SEED)?;
    let history = problem.run(10, SEED)?;
    let last = &history[history.len() - 1];
    println!("{} states, {} observations", history.len(), last.y.len());
    for (i, row) in last.x.rows().into_iter().enumerate().skip(6) {
        let b = basin(&problem.f, row)?;
        println!(
            "step {}: ({:+.3}, {:+.3}) F = {:+.5}, {b:?}",
            i - 5,
            row[0],
            row[1],
            last.y[i]
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::test_functions::two_basins;

    #[test]
    fn the_surface_and_its_design() {
        let (x, v) = TwoBasins::LOCAL_MINIMA[3];
        assert!((x[0] - 1.1121).abs() < 5e-5 && (x[1] - 1.4466).abs() < 5e-5);
        assert!((v + 0.84255).abs() < 5e-6);
        let (x, v) = TwoBasins::LOCAL_MINIMA[0];
        assert!((x[0] + 1.0020).abs() < 5e-5 && (x[1] + 0.8642).abs() < 5e-5);
        assert!((v + 0.39263).abs() < 5e-6);
        let p = TwoD::new(SEED).unwrap();
        let clean = p.f.values(p.x.view()).unwrap();
        let expected = [0.50915, 0.22879, -0.26073, 0.20569, -0.02877, 0.15445];
        for (c, e) in clean.iter().zip(expected) {
            assert!((c - e).abs() < 5e-6, "{c} vs {e}");
        }
        assert!((two_basins(1.0, 2.2) - clean[4]).abs() == 0.0);
    }

    #[test]
    fn the_two_minima_lie_in_their_own_basins() {
        let f = TwoBasins::new();
        let at = |x: [f64; 2]| basin(&f, array![x[0], x[1]].view()).unwrap();
        assert_eq!(at([1.5, 1.0]), Basin::Deep);
        assert_eq!(at([-1.5, -0.5]), Basin::Second);
        assert_eq!(at([2.0, -1.2]), Basin::Elsewhere);
    }

    #[test]
    fn eleven_states_and_sixteen_observations() {
        let p = TwoD::new(SEED).unwrap();
        let h = p.run(10, SEED).unwrap();
        assert_eq!(h.len(), 11);
        assert_eq!(h[10].y.len(), 16);
        assert!(h.iter().all(|s| s.mean.is_empty()));
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
