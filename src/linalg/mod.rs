//! Linear algebra the course builds itself: symmetric eigenvalues now; Cholesky
//! factorisation and triangular solves for the Gaussian processes of Part 3.

mod cholesky;
mod eigen;

pub use cholesky::{Cholesky, JITTERS};
pub use eigen::{eigenvalues_2x2, symmetric_eigen, SymmetricEigen};
