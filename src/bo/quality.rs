//! How much work the loop spends on each decision: [`Quality::Default`], the library's usual
//! loop, or [`Quality::Spend`], which turns spare time into a better-searched acquisition
//! function, a model that averages over its hyperparameters, or a trust region
//! ([`SpendOptions`]).

use crate::gp::fully_bayesian::BayesianPriors;
use crate::mcmc::SliceOptions;
use crate::optimize_acqf::effort::Effort;
use crate::turbo::TurboOptions;
use crate::Result;

/// The loop's "spend time on quality" mode ([`Settings::quality`](super::Settings::quality)).
// One value per loop, so the size of the larger variant costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Quality {
    /// The usual loop: one call of the acquisition optimiser with
    /// [`Settings::acqf`](super::Settings::acqf).
    #[default]
    Default,
    /// Spend more on each decision, as the options say.
    Spend(SpendOptions),
}

/// What [`Quality::Spend`] spends, and on what. [`SpendOptions::within`] chooses every part
/// from a time allowance and the dimension; [`SpendOptions::new`] spends on the
/// acquisition search alone, and the fields can be set one by one.
#[derive(Debug, Clone, PartialEq)]
pub struct SpendOptions {
    /// How far up the acquisition optimiser's ladder to go
    /// ([`crate::optimize_acqf::effort`]), starting from the restarts and raw samples of
    /// [`Settings::acqf`](super::Settings::acqf). An [`Effort::Allowance`] counts the whole
    /// ask — the model fit too — against its seconds, so it depends on the clock; the level
    /// each ask reached is recorded in
    /// [`Iteration::effort_level`](super::Iteration::effort_level), and
    /// [`Effort::Fixed`] at that level repeats the decision.
    pub effort: Effort,
    /// The model the decisions rest on.
    pub model: SpendModel,
    /// Choose single points, too, by the Monte Carlo form of the acquisition function
    /// (qLogEI for LogEI, as BoTorch's default loop does) rather than the analytic one.
    /// Its estimate costs hundreds of posterior samples per evaluation, and its fat-tailed
    /// smoothing of the improvement keeps far-away candidates' values from vanishing.
    pub monte_carlo: bool,
    /// `Some` to search a trust region by TuRBO-1 ([`crate::turbo`]) instead of the whole
    /// box: each ask is then [`Turbo::ask`](crate::turbo::Turbo::ask) (Thompson sampling
    /// in the region, from a model of the region's points), and `effort`, `model` and
    /// `monte_carlo` are not used. Every ask must be told before the next, a batch's values
    /// in one tell (TuRBO judges a batch by its best value).
    pub region: Option<TurboOptions>,
}

/// The model of [`SpendOptions::model`].
#[derive(Debug, Clone, PartialEq)]
pub enum SpendModel {
    /// The usual fit: the most probable hyperparameters
    /// ([`Settings::fit`](super::Settings::fit)).
    MostProbable,
    /// Draws of the hyperparameters from their posterior by MCMC
    /// ([`crate::gp::fully_bayesian`]), the acquisition function averaged over them
    /// ([`Ensemble`](crate::acquisition::Ensemble)). Single points and joint batches use
    /// it; greedy and sequential batches use the usual fit. Under
    /// [`ChainOptions::allowance`], an ask whose chain would take more than
    /// [`CHAIN_SHARE`](super::CHAIN_SHARE) of it (predicted from the last chain's time)
    /// uses the usual fit instead; [`Iteration::draws`](super::Iteration::draws) records
    /// which.
    FullyBayesian(ChainOptions),
}

/// How the loop samples the hyperparameters under [`SpendModel::FullyBayesian`].
#[derive(Debug, Clone, PartialEq)]
pub struct ChainOptions {
    /// The priors; `None` for [`BayesianPriors::single_task`] of the box's dimension.
    pub priors: Option<BayesianPriors>,
    /// The first ask's sampler. Its seed is offset by the iteration.
    pub sampler: SliceOptions,
    /// The warm-up of later asks, which continue the previous ask's chain from its last
    /// draw on the data with one more point: the posterior has hardly moved, so a short
    /// warm-up suffices.
    pub continued_warmup: usize,
    /// The seconds an ask may take, if limited: an ask whose chain is predicted (from the
    /// last chain's seconds, scaled by n² to the data now) to take more than
    /// [`CHAIN_SHARE`](super::CHAIN_SHARE) of them uses the usual fit instead, except that
    /// every [`PROBE_EVERY`](super::PROBE_EVERY)-th ask since the last chain samples again
    /// to measure the cost anew. Depends on the clock.
    pub allowance: Option<f64>,
}

impl Default for ChainOptions {
    /// Single-task priors; 256 warm-up sweeps, then 128 of which every 16th is kept
    /// (8 draws, as BoTorch's SAAS tutorial keeps); 64 warm-up sweeps when continuing; no
    /// allowance.
    fn default() -> Self {
        ChainOptions {
            priors: None,
            sampler: SliceOptions::default(),
            continued_warmup: 64,
            allowance: None,
        }
    }
}

/// From this dimension on, [`SpendOptions::within`] searches a trust region: with budgets
/// of tens of evaluations per dimension, a global model of a box in 20 or more dimensions
/// stays too coarse for its acquisition function to leave the box's corners (Eriksson et
/// al., 2019).
pub const REGION_DIM: usize = 20;

impl SpendOptions {
    /// Spend `effort` on the acquisition optimiser, and otherwise decide as the usual loop.
    pub fn new(effort: Effort) -> Self {
        SpendOptions {
            effort,
            model: SpendModel::MostProbable,
            monte_carlo: false,
            region: None,
        }
    }

    /// The mode for an allowance of `seconds` per ask in `dim` dimensions: a trust region
    /// from [`REGION_DIM`] dimensions on; below, a fully Bayesian model under the SAAS
    /// priors ([`BayesianPriors::saas`], [`ChainOptions::default`]'s sampler) whose chain
    /// must fit the allowance ([`ChainOptions::allowance`]), and the Monte Carlo form of the
    /// acquisition function for single points too. The SAAS priors' half-Cauchy prior on
    /// every inverse squared lengthscale keeps the model smooth along each input until the
    /// data show structure there. The acquisition search stays at level 0 of its ladder,
    /// whose higher levels rarely find a better maximum
    /// ([`crate::optimize_acqf::effort`]); set [`SpendOptions::effort`] to climb it.
    pub fn within(seconds: f64, dim: usize) -> Self {
        if dim >= REGION_DIM {
            return SpendOptions {
                region: Some(TurboOptions::default()),
                ..SpendOptions::new(Effort::Fixed(0))
            };
        }
        SpendOptions {
            effort: Effort::Fixed(0),
            model: SpendModel::FullyBayesian(ChainOptions {
                priors: Some(BayesianPriors::saas()),
                allowance: Some(seconds),
                ..ChainOptions::default()
            }),
            monte_carlo: true,
            region: None,
        }
    }

    /// Checks the options.
    ///
    /// # Errors
    /// [`Effort::check`]'s errors; [`crate::Error::InvalidInput`] for a sampler that keeps no
    /// draw, invalid priors or a chain's allowance that is not a positive number of seconds.
    pub fn check(&self) -> Result<()> {
        self.effort.check()?;
        if let SpendModel::FullyBayesian(chain) = &self.model {
            chain.sampler.validate()?;
            if let Some(p) = &chain.priors {
                p.validate()?;
            }
            if let Some(seconds) = chain.allowance {
                Effort::Allowance(seconds).check()?;
            }
        }
        Ok(())
    }
}
