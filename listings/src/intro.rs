//! The introduction: the course's conventions, in code.

pub mod seeds;
