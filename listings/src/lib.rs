//! Every code listing of the course, chapter by chapter.
//!
//! Each listing is one self-contained file: it uses only external crates (`ndarray`,
//! `rand`, `gradbo`, ...), never `crate::`, so that the book can show it, skeptic can
//! compile and run it as a program, and a reader can copy it into a project of their
//! own. Its `main` is the demonstration the chapter describes; its `tests` module
//! checks what the chapter claims.

pub mod ch01;
pub mod ch02;
pub mod intro;
