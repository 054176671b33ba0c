//! Every Rust block of the book, after include expansion, compiled and run by
//! skeptic.
include!(concat!(env!("OUT_DIR"), "/skeptic-tests.rs"));
