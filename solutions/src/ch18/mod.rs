//! Chapter 18, higher-dimensional design spaces: one campaign in five dimensions read
//! through its diagnostics, Sobol designs against random ones, and campaigns compared over
//! seeds across dimensions and budgets, with the figures and the exercises' answers.

pub mod exercises;
pub mod figures;
pub mod reading;
pub mod report;

use crate::{Artifact, Context};
use gradbo::bo::{minimise, Campaign, CampaignResult};
use gradbo::test_functions::{ShiftedRosenbrock, TestProblem};
use gradbo_listings::ch18::campaign::campaign;
use gradbo_listings::ch18::compare::{budgets, dimensions, Arm, SEEDS};

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part5", "ch18");

/// Seeds of the exercises' runs: the first five of the comparisons' seeds.
pub const EXERCISE_SEEDS: std::ops::Range<u64> = 7..12;

/// One campaign to run: the problem's dimension and the campaign.
pub struct Job {
    pub dim: usize,
    pub campaign: Campaign,
}

impl Job {
    /// The chapter's campaign for `arm` with `seed`.
    pub fn arm(arm: &Arm, seed: u64) -> Self {
        Job { dim: arm.dim, campaign: campaign(arm.n_init, arm.steps, seed) }
    }
}

/// Runs every job on two threads ([`crate::parallel::run_all`]), results in the jobs'
/// order.
pub fn run_all(jobs: &[Job]) -> Vec<CampaignResult> {
    crate::parallel::run_all(jobs, |job| {
        let r = ShiftedRosenbrock::new(job.dim).expect("d ≥ 2");
        minimise(|x| r.value(x), r.bounds(), &job.campaign)
            .expect("the campaign runs")
    })
}

/// Every campaign the chapter reads.
pub struct Results {
    /// `dimensions[a][s]`: arm a of [`dimensions`], seed s of [`SEEDS`].
    pub dimensions: Vec<Vec<CampaignResult>>,
    /// `budgets[a][s]`: arm a of [`budgets`], seed s of [`SEEDS`].
    pub budgets: Vec<Vec<CampaignResult>>,
    /// Exercise 1: d = 8 with the lengthscale prior of d = 1, seeds [`EXERCISE_SEEDS`].
    pub flat_prior: Vec<CampaignResult>,
    /// Exercise 2: 30 evaluations in d = 5 split as 5 + 25 and 20 + 10, seeds
    /// [`EXERCISE_SEEDS`] (10 + 20 is the budget comparison's middle arm).
    pub splits: Vec<Vec<CampaignResult>>,
}

impl Results {
    /// The chapter's single campaign (d = 5, 10 + 20, seed 7): the budget comparison's
    /// middle arm with its first seed, which is the same campaign.
    pub fn main(&self) -> &CampaignResult {
        &self.budgets[1][0]
    }
}

/// Runs everything on two threads.
pub fn results() -> Results {
    let seeds: Vec<u64> = SEEDS.collect();
    let mut jobs = Vec::new();
    for arm in dimensions().iter().chain(&budgets()) {
        jobs.extend(seeds.iter().map(|&s| Job::arm(arm, s)));
    }
    jobs.extend(EXERCISE_SEEDS.map(exercises::flat_prior_job));
    for arm in exercises::splits() {
        jobs.extend(EXERCISE_SEEDS.map(|s| Job::arm(&arm, s)));
    }
    let mut all = run_all(&jobs).into_iter();
    let mut take = |n: usize| (0..n).filter_map(|_| all.next()).collect::<Vec<_>>();
    let n = seeds.len();
    let e = EXERCISE_SEEDS.count();
    let dimensions = (0..3).map(|_| take(n)).collect();
    let budgets = (0..3).map(|_| take(n)).collect();
    let flat_prior = take(e);
    let splits = (0..2).map(|_| take(e)).collect();
    Results { dimensions, budgets, flat_prior, splits }
}

/// Everything chapter 18 shows.
pub fn run() -> Vec<Artifact> {
    let r = results();
    vec![
        Artifact::new(CTX.output(), report::report(&r)),
        Artifact::new(CTX.figure("best-so-far"), figures::best_so_far(r.main())),
        Artifact::new(CTX.figure("incumbent"), figures::incumbent(r.main())),
        Artifact::new(
            CTX.figure("hyperparameters"),
            figures::hyperparameters(r.main()),
        ),
        Artifact::new(CTX.figure("dimensions"), figures::dimensions(&r.dimensions)),
        Artifact::new(CTX.figure("budgets"), figures::budgets(&r.budgets)),
    ]
}
