//! The operations on [`Var`]: arithmetic operators and methods that record
//! [`Function`]s.

use super::function::{
    Add, BroadcastTo, Concat, Div, Exp, Log, MatMul, Mean, Mul, Neg, PadAxis, Powf,
    Relu, Reshape, Sigmoid, SliceAxis, Softplus, Sqrt, Step, Sub, Sum, SumAxis,
    SumTo, Tanh, Transpose,
};
use super::tape::{Tape, Var};
use super::Function;
use crate::Error;
use ndarray::{ArrayD, IxDyn};
use std::ops;

impl<'t> Var<'t> {
    fn unary(self, f: impl Function + 'static) -> Var<'t> {
        self.tape.apply(f, &[self])
    }

    /// Applies a binary function, refusing operands that live on different tapes.
    pub(super) fn binary(
        self,
        other: Var<'t>,
        f: impl Function + 'static,
    ) -> Var<'t> {
        if std::ptr::eq(self.tape, other.tape) {
            self.tape.apply(f, &[self, other])
        } else {
            self.tape.failed(Error::InvalidInput {
                context: f.name(),
                reason: "the operands were recorded on two different tapes".into(),
            })
        }
    }

    /// eˣ, element-wise.
    pub fn exp(self) -> Var<'t> {
        self.unary(Exp)
    }
    /// ln x, element-wise.
    pub fn ln(self) -> Var<'t> {
        self.unary(Log)
    }
    /// √x, element-wise.
    pub fn sqrt(self) -> Var<'t> {
        self.unary(Sqrt)
    }
    /// xᵖ, element-wise.
    pub fn powf(self, p: f64) -> Var<'t> {
        self.unary(Powf(p))
    }
    /// x², element-wise.
    pub fn square(self) -> Var<'t> {
        self * self
    }
    /// The logistic sigmoid 1/(1 + e⁻ˣ), element-wise.
    pub fn sigmoid(self) -> Var<'t> {
        self.unary(Sigmoid)
    }
    /// tanh x, element-wise.
    pub fn tanh(self) -> Var<'t> {
        self.unary(Tanh)
    }
    /// max(x, 0), element-wise.
    pub fn relu(self) -> Var<'t> {
        self.unary(Relu)
    }
    /// 1 where x > 0, else 0: a constant as far as gradients go.
    pub fn step(self) -> Var<'t> {
        self.unary(Step)
    }
    /// ln(1 + eˣ), element-wise, computed stably.
    pub fn softplus(self) -> Var<'t> {
        self.unary(Softplus)
    }

    /// Binary cross-entropy of logits `self` against targets `y` (0 or 1, or
    /// probabilities), element-wise: softplus(z) − y·z, which is −[y ln σ(z) + (1 −
    /// y) ln(1 − σ(z))] computed without ever forming σ(z). Its derivative in z is
    /// σ(z) − y.
    pub fn bce_with_logits(self, y: Var<'t>) -> Var<'t> {
        self.softplus() - y * self
    }

    /// The sum of all elements (0-dimensional).
    pub fn sum(self) -> Var<'t> {
        self.unary(Sum)
    }
    /// The mean of all elements (0-dimensional).
    pub fn mean(self) -> Var<'t> {
        self.unary(Mean)
    }
    /// The sum along `axis`, which is removed.
    pub fn sum_axis(self, axis: usize) -> Var<'t> {
        self.unary(SumAxis(axis))
    }
    /// The mean along `axis`, which is removed.
    pub fn mean_axis(self, axis: usize) -> Var<'t> {
        let n = self.shape().get(axis).copied().unwrap_or(1).max(1);
        self.sum_axis(axis) * (1.0 / n as f64)
    }

    /// Sums over broadcast axes to reach `shape` (no-op when the shape already
    /// matches).
    pub fn sum_to(self, shape: &[usize]) -> Var<'t> {
        if self.tape.has_shape(self, shape) {
            return self;
        }
        self.unary(SumTo(shape.to_vec()))
    }
    /// Broadcasts to `shape` (no-op when the shape already matches).
    pub fn broadcast_to(self, shape: &[usize]) -> Var<'t> {
        if self.tape.has_shape(self, shape) {
            return self;
        }
        self.unary(BroadcastTo(shape.to_vec()))
    }
    /// The same elements under another shape with as many elements.
    pub fn reshape(self, shape: &[usize]) -> Var<'t> {
        if self.tape.has_shape(self, shape) {
            return self;
        }
        self.unary(Reshape(shape.to_vec()))
    }
    /// The transpose (all axes reversed).
    pub fn t(self) -> Var<'t> {
        self.unary(Transpose)
    }
    /// The matrix product `self · other` of two 2-D arrays.
    pub fn matmul(self, other: Var<'t>) -> Var<'t> {
        self.gemm(other, false, false)
    }

    /// op(self) · op(other), where op transposes when its flag is set: a matrix
    /// product that reads a transpose in place instead of copying it.
    pub fn gemm(
        self,
        other: Var<'t>,
        transpose_self: bool,
        transpose_other: bool,
    ) -> Var<'t> {
        self.binary(
            other,
            MatMul { transpose_a: transpose_self, transpose_b: transpose_other },
        )
    }
    /// Elements `start..end` along `axis`.
    pub fn slice(self, axis: usize, start: usize, end: usize) -> Var<'t> {
        self.unary(SliceAxis { axis, start, end })
    }
    /// Embeds `self` at `start` along `axis` in zeros of length `len` there.
    pub(crate) fn pad(self, axis: usize, start: usize, len: usize) -> Var<'t> {
        self.unary(PadAxis { axis, start, len })
    }
}

impl Tape {
    /// Joins `parts` along `axis`.
    pub fn concat<'t>(&'t self, parts: &[Var<'t>], axis: usize) -> Var<'t> {
        if parts.iter().any(|p| !std::ptr::eq(p.tape, self)) {
            return self.failed(Error::InvalidInput {
                context: "concat",
                reason: "a part was recorded on another tape".into(),
            });
        }
        self.apply(Concat(axis), parts)
    }

    /// Applies a user-supplied [`Function`] to `inputs`: the seam for operations
    /// the tape does not have, such as a closed-form gradient derived by hand.
    pub fn custom<'t>(
        &'t self,
        function: impl Function + 'static,
        inputs: &[Var<'t>],
    ) -> Var<'t> {
        if inputs.iter().any(|p| !std::ptr::eq(p.tape, self)) {
            return self.failed(Error::InvalidInput {
                context: "custom",
                reason: "an input was recorded on another tape".into(),
            });
        }
        self.apply(function, inputs)
    }
}

macro_rules! binary_operator {
    ($trait:ident, $method:ident, $function:expr) => {
        impl<'t> ops::$trait<Var<'t>> for Var<'t> {
            type Output = Var<'t>;
            fn $method(self, other: Var<'t>) -> Var<'t> {
                self.binary(other, $function)
            }
        }
        impl<'t> ops::$trait<f64> for Var<'t> {
            type Output = Var<'t>;
            fn $method(self, c: f64) -> Var<'t> {
                self.binary(self.tape.scalar(c), $function)
            }
        }
        impl<'t> ops::$trait<Var<'t>> for f64 {
            type Output = Var<'t>;
            fn $method(self, v: Var<'t>) -> Var<'t> {
                v.tape.scalar(self).binary(v, $function)
            }
        }
    };
}

binary_operator!(Add, add, Add);
binary_operator!(Sub, sub, Sub);
binary_operator!(Mul, mul, Mul);
binary_operator!(Div, div, Div);

impl<'t> ops::Neg for Var<'t> {
    type Output = Var<'t>;
    fn neg(self) -> Var<'t> {
        self.unary(Neg)
    }
}

/// A shorthand for building 0-dimensional arrays.
pub fn scalar_array(x: f64) -> ArrayD<f64> {
    ArrayD::from_elem(IxDyn(&[]), x)
}
