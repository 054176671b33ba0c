//! Chapter 2: common array operations.

pub mod axes;
pub mod broadcasting;
pub mod extrema;
pub mod grids;
pub mod precision;
pub mod reductions;
