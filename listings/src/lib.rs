//! Every code listing of the course, chapter by chapter.
//!
//! Each listing is one self-contained file: it uses only external crates
//! (`ndarray`, `rand`, `gradbo`, ...), never `crate::`, so that the book can show
//! it, skeptic can compile and run it as a program, and a reader can copy it into a
//! project of their own. Its `main` is the demonstration the chapter describes; its
//! `tests` module checks what the chapter claims.

/// The introduction: the course's conventions, in code.
pub mod intro {
    pub mod seeds;
}

/// The appendices: spending speed on quality.
pub mod appendix {
    pub mod spend;
}

/// Chapter 1: array fundamentals.
pub mod ch01 {
    pub mod creation;
    pub mod in_place;
    pub mod products;
    pub mod shapes;
    pub mod slicing;
    pub mod strides;
    pub mod views;
}

/// Chapter 2: common array operations.
pub mod ch02 {
    pub mod axes;
    pub mod broadcasting;
    pub mod extrema;
    pub mod grids;
    pub mod precision;
    pub mod reductions;
}

/// Chapter 3: a minimal learning problem.
pub mod ch03 {
    pub mod learning;
}

/// Chapter 4: automatic differentiation and computation graphs.
pub mod ch04 {
    pub mod custom;
    pub mod dynamic;
    pub mod graph;
    pub mod higher;
    pub mod scalar;
}

/// Chapter 5: gradients of array-valued outputs and vector–Jacobian products.
pub mod ch05 {
    pub mod jacobian;
    pub mod vjp;
    pub mod weighting;
}

/// Chapter 6: gradient descent as a dynamical system.
pub mod ch06 {
    pub mod double_well;
    pub mod one_d;
    pub mod stability;
    pub mod two_d;
}

/// Chapter 7: geometry and conditioning.
pub mod ch07 {
    pub mod conditioning;
    pub mod rescaling;
}

/// Chapter 8: momentum as a dynamical system.
pub mod ch08 {
    pub mod momentum;
    pub mod nesterov;
    pub mod stability_map;
}

/// Chapter 9: optimisation beyond convexity.
pub mod ch09 {
    pub mod landscape;
    pub mod noise;
    pub mod solvers;
}

/// Chapter 10: why model an unknown function?
pub mod ch10 {
    pub mod blackbox;
    pub mod guided;
    pub mod polynomial;
}

/// Chapter 11: prediction, uncertainty and confidence.
pub mod ch11 {
    pub mod mean;
    pub mod score;
    pub mod support;
    pub mod update;
}

/// Chapter 12: Gaussian processes as surrogate models.
pub mod ch12 {
    pub mod evidence;
    pub mod fitting;
    pub mod kernel;
    pub mod posterior;
    pub mod prior;
}

/// Chapter 13: choosing where to evaluate next.
pub mod ch13 {
    pub mod acquisition;
    pub mod bo_loop;
    pub mod selection;
}

/// Chapter 14: from hand-written GPs to library models.
pub mod ch14 {
    pub mod model;
    pub mod objective;
    pub mod posterior;
}

/// Chapter 15: standard acquisition functions.
pub mod ch15 {
    pub mod acquisitions;
    pub mod log_ei;
    pub mod one_step;
    pub mod problem;
}

/// Chapter 16: the full sequential optimisation loop.
pub mod ch16 {
    pub mod bo_loop;
}

/// Chapter 17: practical modelling choices.
pub mod ch17 {
    pub mod choices;
    pub mod evidence;
}

/// Chapter 18: higher-dimensional design spaces.
pub mod ch18 {
    pub mod campaign;
    pub mod compare;
    pub mod design;
}

/// Chapter 19: batches for parallel experiments.
pub mod ch19 {
    pub mod batch_loop;
    pub mod tape_gradient;
}

/// Chapter 20: mixed variables and constraints.
pub mod ch20 {
    pub mod loops;
    pub mod pipeline;
}

/// Chapter 21: budgets and a human in the loop.
pub mod ch21 {
    pub mod costs;
    pub mod workflows;
}

/// Chapter 22: noise and replication.
pub mod ch22 {
    pub mod noisy_loop;
}

/// Chapter 23: multiple objectives and Pareto-optimal decisions.
pub mod ch23 {
    pub mod campaign;
    pub mod decisions;
    pub mod front;
}

/// Chapter 24: multiple fidelities and contexts.
pub mod ch24 {
    pub mod context;
    pub mod fidelity;
    pub mod functions;
}

/// Chapter 25: hierarchical experimental workflows.
pub mod ch25 {
    pub mod policies;
}
