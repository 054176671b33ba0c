//! Chapter 1: array fundamentals.

pub mod creation;
pub mod in_place;
pub mod products;
pub mod shapes;
pub mod slicing;
pub mod strides;
pub mod views;
