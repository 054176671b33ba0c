//! The one error type of the library.

use std::fmt;

/// What went wrong, in terms a reader of the course can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// Two arrays whose shapes had to agree did not.
    ShapeMismatch {
        /// What was being attempted.
        context: &'static str,
        /// The shape that was expected.
        expected: Vec<usize>,
        /// The shape that was given.
        found: Vec<usize>,
    },
    /// An input held NaN or an infinite value.
    NonFinite {
        /// Which input.
        context: &'static str,
    },
    /// An input had no elements where at least one was needed.
    Empty {
        /// Which input.
        context: &'static str,
    },
    /// An operation that needs a single number (a 0-dimensional or one-element
    /// array) got more.
    NotScalar {
        /// What was being attempted.
        context: &'static str,
        /// The shape that was given.
        shape: Vec<usize>,
    },
    /// An argument outside the values an operation accepts.
    InvalidInput {
        /// What was being attempted.
        context: &'static str,
        /// Why the argument was refused.
        reason: String,
    },
    /// An axis index beyond the array's number of dimensions.
    AxisOutOfBounds {
        /// The axis asked for.
        axis: usize,
        /// The array's number of dimensions.
        ndim: usize,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::ShapeMismatch { context, expected, found } => {
                write!(f, "{context}: expected shape {expected:?}, found {found:?}")
            }
            Error::NonFinite { context } => {
                write!(f, "{context}: input holds NaN or infinity")
            }
            Error::Empty { context } => write!(f, "{context}: input is empty"),
            Error::NotScalar { context, shape } => {
                write!(f, "{context}: needs a single value, found shape {shape:?}")
            }
            Error::InvalidInput { context, reason } => {
                write!(f, "{context}: {reason}")
            }
            Error::AxisOutOfBounds { axis, ndim } => {
                write!(f, "axis {axis} is out of bounds for an array with {ndim} dimensions")
            }
        }
    }
}

impl std::error::Error for Error {}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// Checks that `x` holds points of d coordinates, one per row, all finite — what every
/// function taking a matrix of inputs asks first.
///
/// # Errors
/// [`Error::ShapeMismatch`] unless `x` has `d` columns, [`Error::NonFinite`] for NaN or
/// infinity.
pub(crate) fn check_points(
    x: ndarray::ArrayView2<'_, f64>,
    d: usize,
    context: &'static str,
) -> Result<()> {
    if x.ncols() != d {
        return Err(Error::ShapeMismatch {
            context,
            expected: vec![x.nrows(), d],
            found: x.shape().to_vec(),
        });
    }
    if x.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context });
    }
    Ok(())
}
