//! Differentiable functions: each one says how to compute its output (`forward`) and how to
//! send an output adjoint back to its inputs (`vjp`, the vector–Jacobian product).
//!
//! The backward rules are written with the tape's own operations, so the backward pass can be
//! recorded and differentiated again. [`Function`] is public: a function the tape lacks (a
//! fused kernel, a closed-form gradient) plugs in through [`Tape::custom`](crate::autodiff::Tape).

use super::tape::Var;
use crate::array::broadcast_shape;
use crate::{Error, Result};
use ndarray::{concatenate, ArrayD, ArrayView2, Axis, Ix2, IxDyn, Slice};

/// One differentiable operation.
pub trait Function {
    /// The name shown in graph printouts.
    fn name(&self) -> &'static str;

    /// The output, from the input values.
    ///
    /// # Errors
    /// Inputs the operation cannot take (shapes that do not fit, say).
    fn forward(&self, inputs: &[&ArrayD<f64>]) -> Result<ArrayD<f64>>;

    /// Given `g`, the adjoint of the output (∂L/∂output, of the output's shape), the adjoint
    /// contribution for each input: ∂L/∂input = gᵀ ∂output/∂input, or `None` where no gradient
    /// flows. Written with tape operations, so that it can itself be differentiated.
    fn vjp<'t>(&self, g: Var<'t>, inputs: &[Var<'t>], output: Var<'t>) -> Vec<Option<Var<'t>>>;
}

/// The result of a binary element-wise operation, after checking that the shapes broadcast.
fn broadcasting(
    a: &ArrayD<f64>,
    b: &ArrayD<f64>,
    op: impl Fn(&ArrayD<f64>, &ArrayD<f64>) -> ArrayD<f64>,
) -> Result<ArrayD<f64>> {
    broadcast_shape(a.shape(), b.shape())?;
    Ok(op(a, b))
}

/// `a + b`, broadcasting.
pub struct Add;
impl Function for Add {
    fn name(&self) -> &'static str {
        "add"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        broadcasting(x[0], x[1], |a, b| a + b)
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![Some(g.sum_to(&x[0].shape())), Some(g.sum_to(&x[1].shape()))]
    }
}

/// `a − b`, broadcasting.
pub struct Sub;
impl Function for Sub {
    fn name(&self) -> &'static str {
        "sub"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        broadcasting(x[0], x[1], |a, b| a - b)
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![Some(g.sum_to(&x[0].shape())), Some((-g).sum_to(&x[1].shape()))]
    }
}

/// `a ⊙ b`, element-wise, broadcasting.
pub struct Mul;
impl Function for Mul {
    fn name(&self) -> &'static str {
        "mul"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        broadcasting(x[0], x[1], |a, b| a * b)
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![Some((g * x[1]).sum_to(&x[0].shape())), Some((g * x[0]).sum_to(&x[1].shape()))]
    }
}

/// `a / b`, element-wise, broadcasting.
pub struct Div;
impl Function for Div {
    fn name(&self) -> &'static str {
        "div"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        broadcasting(x[0], x[1], |a, b| a / b)
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], out: Var<'t>) -> Vec<Option<Var<'t>>> {
        // ∂(a/b)/∂a = 1/b and ∂(a/b)/∂b = −a/b² = −out/b.
        vec![Some((g / x[1]).sum_to(&x[0].shape())), Some((-(g * out) / x[1]).sum_to(&x[1].shape()))]
    }
}

/// `−a`.
pub struct Neg;
impl Function for Neg {
    fn name(&self) -> &'static str {
        "neg"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        Ok(-x[0])
    }
    fn vjp<'t>(&self, g: Var<'t>, _: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![Some(-g)]
    }
}

/// eᵃ.
pub struct Exp;
impl Function for Exp {
    fn name(&self) -> &'static str {
        "exp"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        Ok(x[0].mapv(f64::exp))
    }
    fn vjp<'t>(&self, g: Var<'t>, _: &[Var<'t>], out: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![Some(g * out)]
    }
}

/// ln a (NaN for negative a, −∞ at 0, as for `f64::ln`).
pub struct Log;
impl Function for Log {
    fn name(&self) -> &'static str {
        "log"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        Ok(x[0].mapv(f64::ln))
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![Some(g / x[0])]
    }
}

/// √a.
pub struct Sqrt;
impl Function for Sqrt {
    fn name(&self) -> &'static str {
        "sqrt"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        Ok(x[0].mapv(f64::sqrt))
    }
    fn vjp<'t>(&self, g: Var<'t>, _: &[Var<'t>], out: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![Some(g / (out * 2.0))]
    }
}

/// aᵖ for a fixed real exponent p.
pub struct Powf(pub f64);
impl Function for Powf {
    fn name(&self) -> &'static str {
        "powf"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        Ok(x[0].mapv(|a| a.powf(self.0)))
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![Some(g * x[0].powf(self.0 - 1.0) * self.0)]
    }
}

/// The logistic sigmoid σ(a) = 1/(1 + e⁻ᵃ), evaluated without overflow for either sign.
pub struct Sigmoid;

/// σ(x), computed from e^{−|x|} so that nothing overflows.
pub fn sigmoid(x: f64) -> f64 {
    let e = (-x.abs()).exp();
    if x >= 0.0 {
        1.0 / (1.0 + e)
    } else {
        e / (1.0 + e)
    }
}

/// softplus(x) = ln(1 + eˣ), computed as max(x, 0) + ln(1 + e^{−|x|}) so that it neither
/// overflows for large x nor loses the small values for very negative x.
pub fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

impl Function for Sigmoid {
    fn name(&self) -> &'static str {
        "sigmoid"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        Ok(x[0].mapv(sigmoid))
    }
    fn vjp<'t>(&self, g: Var<'t>, _: &[Var<'t>], out: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![Some(g * out * (1.0 - out))]
    }
}

/// tanh a.
pub struct Tanh;
impl Function for Tanh {
    fn name(&self) -> &'static str {
        "tanh"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        Ok(x[0].mapv(f64::tanh))
    }
    fn vjp<'t>(&self, g: Var<'t>, _: &[Var<'t>], out: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![Some(g * (1.0 - out * out))]
    }
}

/// max(a, 0).
pub struct Relu;
impl Function for Relu {
    fn name(&self) -> &'static str {
        "relu"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        Ok(x[0].mapv(|a| a.max(0.0)))
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![Some(g * x[0].step())]
    }
}

/// The step function 1[a > 0]: the derivative of ReLU. Its own derivative is zero almost
/// everywhere, so no gradient flows through it.
pub struct Step;
impl Function for Step {
    fn name(&self) -> &'static str {
        "step"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        Ok(x[0].mapv(|a| if a > 0.0 { 1.0 } else { 0.0 }))
    }
    fn vjp<'t>(&self, _: Var<'t>, _: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![None]
    }
}

/// softplus(a) = ln(1 + eᵃ), a smooth ReLU.
pub struct Softplus;
impl Function for Softplus {
    fn name(&self) -> &'static str {
        "softplus"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        Ok(x[0].mapv(softplus))
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![Some(g * x[0].sigmoid())]
    }
}

/// Σ of every element: a 0-dimensional result.
pub struct Sum;
impl Function for Sum {
    fn name(&self) -> &'static str {
        "sum"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        Ok(ArrayD::from_elem(IxDyn(&[]), x[0].sum()))
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![Some(g.broadcast_to(&x[0].shape()))]
    }
}

/// The mean of every element: a 0-dimensional result.
pub struct Mean;
impl Function for Mean {
    fn name(&self) -> &'static str {
        "mean"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        match x[0].mean() {
            Some(m) => Ok(ArrayD::from_elem(IxDyn(&[]), m)),
            None => Err(Error::Empty { context: "mean" }),
        }
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        let shape = x[0].shape();
        let n = shape.iter().product::<usize>() as f64;
        vec![Some(g.broadcast_to(&shape) * (1.0 / n))]
    }
}

fn check_axis(axis: usize, ndim: usize) -> Result<()> {
    if axis < ndim {
        Ok(())
    } else {
        Err(Error::AxisOutOfBounds { axis, ndim })
    }
}

/// Σ along one axis, which disappears from the shape.
pub struct SumAxis(pub usize);
impl Function for SumAxis {
    fn name(&self) -> &'static str {
        "sum_axis"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        check_axis(self.0, x[0].ndim())?;
        Ok(x[0].sum_axis(Axis(self.0)))
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        // Put the summed axis back with length 1, then stretch it to the input's length.
        let shape = x[0].shape();
        let mut kept = shape.clone();
        kept[self.0] = 1;
        vec![Some(g.reshape(&kept).broadcast_to(&shape))]
    }
}

/// Sums a broadcast result back to `shape`: the adjoint of broadcasting.
pub struct SumTo(pub Vec<usize>);
impl Function for SumTo {
    fn name(&self) -> &'static str {
        "sum_to"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let a = x[0];
        if broadcast_shape(&self.0, a.shape())? != a.shape() {
            return Err(Error::ShapeMismatch {
                context: "sum_to: the input must be a broadcast of the target shape",
                expected: self.0.clone(),
                found: a.shape().to_vec(),
            });
        }
        let lead = a.ndim() - self.0.len();
        let mut out = a.clone();
        for _ in 0..lead {
            out = out.sum_axis(Axis(0));
        }
        for (k, &n) in self.0.iter().enumerate() {
            if n == 1 && out.shape()[k] != 1 {
                out = out.sum_axis(Axis(k)).insert_axis(Axis(k));
            }
        }
        Ok(out)
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![Some(g.broadcast_to(&x[0].shape()))]
    }
}

/// Stretches axes of length one (and adds leading axes) to reach `shape`.
pub struct BroadcastTo(pub Vec<usize>);
impl Function for BroadcastTo {
    fn name(&self) -> &'static str {
        "broadcast_to"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        x[0].broadcast(IxDyn(&self.0)).map(|v| v.to_owned()).ok_or_else(|| Error::ShapeMismatch {
            context: "broadcast_to",
            expected: self.0.clone(),
            found: x[0].shape().to_vec(),
        })
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![Some(g.sum_to(&x[0].shape()))]
    }
}

/// The same elements, in row-major order, under a new shape with the same number of elements.
pub struct Reshape(pub Vec<usize>);
impl Function for Reshape {
    fn name(&self) -> &'static str {
        "reshape"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let a = x[0].as_standard_layout().into_owned();
        let found = a.shape().to_vec();
        a.into_shape_with_order(IxDyn(&self.0)).map_err(|_| Error::ShapeMismatch {
            context: "reshape: the element counts differ",
            expected: self.0.clone(),
            found,
        })
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![Some(g.reshape(&x[0].shape()))]
    }
}

/// The axes in reverse order: the matrix transpose for 2-D arrays.
pub struct Transpose;
impl Function for Transpose {
    fn name(&self) -> &'static str {
        "transpose"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        Ok(x[0].t().as_standard_layout().into_owned())
    }
    fn vjp<'t>(&self, g: Var<'t>, _: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        vec![Some(g.t())]
    }
}

fn matrix<'a>(a: &'a ArrayD<f64>, which: &'static str) -> Result<ArrayView2<'a, f64>> {
    a.view().into_dimensionality::<Ix2>().map_err(|_| Error::InvalidInput {
        context: "matmul",
        reason: format!("the {which} operand must be 2-dimensional, found shape {:?}", a.shape()),
    })
}

/// The matrix product of two 2-D arrays.
pub struct MatMul;
impl Function for MatMul {
    fn name(&self) -> &'static str {
        "matmul"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let (a, b) = (matrix(x[0], "left")?, matrix(x[1], "right")?);
        if a.ncols() != b.nrows() {
            return Err(Error::ShapeMismatch {
                context: "matmul: inner dimensions",
                expected: vec![a.nrows(), a.ncols()],
                found: vec![b.nrows(), b.ncols()],
            });
        }
        Ok(a.dot(&b).into_dyn())
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        // C = AB: ∂L/∂A = G Bᵀ and ∂L/∂B = Aᵀ G.
        vec![Some(g.matmul(x[1].t())), Some(x[0].t().matmul(g))]
    }
}

fn check_range(axis: usize, start: usize, end: usize, shape: &[usize]) -> Result<()> {
    check_axis(axis, shape.len())?;
    if start <= end && end <= shape[axis] {
        Ok(())
    } else {
        Err(Error::InvalidInput {
            context: "slice",
            reason: format!("range {start}..{end} does not fit axis {axis} of shape {shape:?}"),
        })
    }
}

/// The elements `start..end` along one axis.
pub struct SliceAxis {
    /// The axis sliced.
    pub axis: usize,
    /// First index kept.
    pub start: usize,
    /// One past the last index kept.
    pub end: usize,
}
impl Function for SliceAxis {
    fn name(&self) -> &'static str {
        "slice"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        check_range(self.axis, self.start, self.end, x[0].shape())?;
        Ok(x[0].slice_axis(Axis(self.axis), Slice::from(self.start..self.end)).to_owned())
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        let len = x[0].shape()[self.axis];
        vec![Some(g.pad(self.axis, self.start, len))]
    }
}

/// Places the input at `start..` along `axis` of a zero array `len` long on that axis: the
/// adjoint of slicing.
pub struct PadAxis {
    /// The axis extended.
    pub axis: usize,
    /// Where the input starts.
    pub start: usize,
    /// The length of the result along `axis`.
    pub len: usize,
}
impl Function for PadAxis {
    fn name(&self) -> &'static str {
        "pad"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let a = x[0];
        check_axis(self.axis, a.ndim())?;
        let end = self.start + a.shape()[self.axis];
        let mut shape = a.shape().to_vec();
        shape[self.axis] = self.len;
        check_range(self.axis, self.start, end, &shape)?;
        let mut out = ArrayD::zeros(IxDyn(&shape));
        out.slice_axis_mut(Axis(self.axis), Slice::from(self.start..end)).assign(a);
        Ok(out)
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        let end = self.start + x[0].shape()[self.axis];
        vec![Some(g.slice(self.axis, self.start, end))]
    }
}

/// Joins its inputs along an existing axis.
pub struct Concat(pub usize);
impl Function for Concat {
    fn name(&self) -> &'static str {
        "concat"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let first = x.first().ok_or(Error::Empty { context: "concat" })?;
        check_axis(self.0, first.ndim())?;
        let views: Vec<_> = x.iter().map(|a| a.view()).collect();
        concatenate(Axis(self.0), &views).map_err(|_| Error::InvalidInput {
            context: "concat",
            reason: format!(
                "cannot join shapes {:?} along axis {}: the other axes must agree",
                x.iter().map(|a| a.shape().to_vec()).collect::<Vec<_>>(),
                self.0
            ),
        })
    }
    fn vjp<'t>(&self, g: Var<'t>, x: &[Var<'t>], _: Var<'t>) -> Vec<Option<Var<'t>>> {
        let mut start = 0;
        x.iter()
            .map(|input| {
                let len = input.shape()[self.0];
                let piece = g.slice(self.0, start, start + len);
                start += len;
                Some(piece)
            })
            .collect()
    }
}
