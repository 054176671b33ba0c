//! The figures of chapter 17 (drawn last).

use super::experiments::Comparison;
use gradbo_listings::ch17::choices::Run;

pub fn designs() -> String {
    String::new()
}

pub fn comparison(_c: &Comparison, _runs: &[Vec<Run>; 2]) -> String {
    String::new()
}

pub fn hyperparameters(_runs: &[Vec<Run>; 2]) -> String {
    String::new()
}
