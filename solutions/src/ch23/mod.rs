//! Chapter 23, multiple objectives and Pareto-optimal decisions: the battery electrolyte's
//! landscapes and grid front, the capacity plateau, the scale of the two objectives,
//! qEHVI against Sobol sampling by hypervolume over several seeds (one seed as the
//! example), the three decision rules on the learned front, the figures and the
//! exercises' answers.

pub mod exercises;
pub mod figures;
pub mod report;

use crate::{Artifact, Context};
use gradbo_listings::ch17::evidence::quantile;
use gradbo_listings::ch23::campaign::{self, Method, Run, SEED};
use gradbo_listings::ch23::front::{
    first_argmax, front_by_efficiency, grid, plateau,
};
use ndarray::{Array2, Axis};

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part6", "ch23");

/// The grid of formulations and what the chapter reads from it.
pub struct Grid {
    /// The 10 000 formulations (s, a), "ij" order.
    pub x: Array2<f64>,
    /// Their objectives (E, C).
    pub y: Array2<f64>,
    /// The non-dominated grid points, highest efficiency first.
    pub front: Vec<usize>,
    /// The grid points with C clamped at 235.
    pub plateau: Vec<usize>,
    /// The first largest E and the first largest C.
    pub best_e: usize,
    pub best_c: usize,
}

impl Grid {
    /// Evaluates the grid.
    pub fn new() -> Self {
        let (x, y) = grid().expect("the grid evaluates");
        let front = front_by_efficiency(y.view()).expect("the grid has a front");
        let plateau = plateau(y.view());
        let (best_e, best_c) =
            (first_argmax(y.view(), 0), first_argmax(y.view(), 1));
        Grid { x, y, front, plateau, best_e, best_c }
    }

    /// The front's (E, C) values, highest efficiency first.
    pub fn front_values(&self) -> Array2<f64> {
        self.y.select(Axis(0), &self.front)
    }
}

impl Default for Grid {
    fn default() -> Self {
        Grid::new()
    }
}

/// The seeds of the study, the example's first: each draws its own initial design, its
/// own Sobol baseline (seed + 100) and seeds the acquisition optimiser.
pub const SEEDS: [u64; 10] = [SEED, 13, 14, 15, 16, 17, 18, 19, 20, 21];

/// Every run the chapter reads.
pub struct Results {
    pub grid: Grid,
    /// qEHVI runs, one per seed of [`SEEDS`] (the example first).
    pub qehvi: Vec<Run>,
    /// Sobol runs, one per seed.
    pub sobol: Vec<Run>,
    pub exercises: exercises::Answers,
}

impl Results {
    /// The example runs: seed 12.
    pub fn example(&self, method: Method) -> &Run {
        match method {
            Method::Qehvi => &self.qehvi[0],
            Method::Sobol => &self.sobol[0],
        }
    }
}

/// Runs everything: the qEHVI runs first (they are the long ones) on two threads.
pub fn results() -> Results {
    let mut jobs: Vec<(Method, u64)> =
        SEEDS.iter().map(|&s| (Method::Qehvi, s)).collect();
    jobs.extend(SEEDS.iter().map(|&s| (Method::Sobol, s)));
    let runs = crate::parallel::run_all(&jobs, |&(method, seed)| {
        campaign::run(method, seed).expect("the campaign runs")
    });
    let (qehvi, sobol) = runs.split_at(SEEDS.len());
    let grid = Grid::new();
    let exercises = exercises::answers(&grid, qehvi, sobol);
    Results { grid, qehvi: qehvi.to_vec(), sobol: sobol.to_vec(), exercises }
}

/// Median, lower and upper quartile.
pub fn quartiles(v: &[f64]) -> [f64; 3] {
    [quantile(v, 0.5), quantile(v, 0.25), quantile(v, 0.75)]
}

/// Everything chapter 23 shows.
pub fn run() -> Vec<Artifact> {
    let r = results();
    vec![
        Artifact::new(CTX.output(), report::report(&r)),
        Artifact::new(CTX.figure("landscapes"), figures::landscapes(&r.grid)),
        Artifact::new(CTX.figure("grid-front"), figures::grid_front(&r.grid)),
        Artifact::new(CTX.figure("initial"), figures::initial(&r)),
        Artifact::new(CTX.figure("hypervolume"), figures::hypervolume(&r)),
        Artifact::new(CTX.figure("fronts"), figures::fronts(&r)),
        Artifact::new(CTX.figure("inputs"), figures::inputs(&r)),
        Artifact::new(CTX.figure("decisions"), figures::decisions(&r)),
    ]
}
