//! The book's figures: one style and one vocabulary for every chart, kept in the workspace
//! crate `gradbo-figures` (`figures/`), which the campaign tool's reports draw with too.
//! Everything it holds is re-exported here, modules included, so a chapter names it as
//! `crate::figures::LinePlot` or `crate::figures::style::svg`.

pub use gradbo_figures::*;
