//! Linear algebra the course builds itself: symmetric eigenvalues (Part 2), the singular value
//! decomposition and minimum-norm least squares (polynomial surrogates), and the Cholesky
//! factorisation with triangular solves (Gaussian processes).

mod cholesky;
mod eigen;
mod svd;

pub(crate) use cholesky::{
    factor_in_place, factor_upper_in_place, invert_lower_into, lower_gram_into,
    solve_lower_triangular,
};
pub use cholesky::{Cholesky, JITTERS};
pub use eigen::{eigenvalues_2x2, symmetric_eigen, SymmetricEigen};
pub use svd::{lstsq, svd, Svd};
