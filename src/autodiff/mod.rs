//! Reverse-mode automatic differentiation.
//!
//! Two engines, the second built on the ideas of the first:
//! - [`scalar`]: a graph of single numbers, small enough to read in one sitting
//!   (Chapter 4);
//! - [`Tape`]: a record of array operations whose backward rules are
//!   vector–Jacobian products (Chapters 3–5), used by the rest of the library,
//!   with the Cholesky factorisation and triangular solves among its operations
//!   ([`Var::cholesky`], [`Var::solve_triangular`]).

pub mod function;
mod linalg;
mod ops;
pub mod scalar;
mod tape;

pub use function::Function;
pub use ops::scalar_array;
pub use tape::{Tape, Var};
