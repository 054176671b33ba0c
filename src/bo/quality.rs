//! How much work the loop spends on each decision: [`Quality::Default`], the library's usual
//! loop, or [`Quality::Spend`], which turns spare time into a better-searched acquisition
//! function ([`SpendOptions`]).

use crate::optimize_acqf::effort::Effort;
use crate::Result;

/// The loop's "spend time on quality" mode ([`Settings::quality`](super::Settings::quality)).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Quality {
    /// The usual loop: one call of the acquisition optimiser with
    /// [`Settings::acqf`](super::Settings::acqf).
    #[default]
    Default,
    /// Spend more on each decision, as the options say.
    Spend(SpendOptions),
}

/// What [`Quality::Spend`] spends, and on what. Build it with [`SpendOptions::new`] and
/// change the fields you need.
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
}

impl SpendOptions {
    /// Spend `effort` on the acquisition optimiser, and otherwise decide as the usual loop.
    pub fn new(effort: Effort) -> Self {
        SpendOptions { effort }
    }

    /// Checks the options.
    ///
    /// # Errors
    /// [`Effort::check`]'s errors.
    pub fn check(&self) -> Result<()> {
        self.effort.check()
    }
}
