//! Differentiable functions: each one says how to compute its output (`forward`)
//! and how to send an output adjoint back to its inputs (`vjp`, the vector–Jacobian
//! product).
//!
//! The backward rules are written with the tape's own operations, so the backward
//! pass can be recorded and differentiated again. [`Function`] is public: a
//! function the tape lacks (a fused kernel, a closed-form gradient) plugs in
//! through [`Tape::custom`](crate::autodiff::Tape).

use super::tape::Var;
use crate::array::broadcast_shape;
use crate::{Error, Result};
use ndarray::{
    concatenate, Array2, ArrayD, ArrayView2, Axis, Ix2, IxDyn, Slice, Zip,
};

// ANCHOR: trait
/// One differentiable operation.
pub trait Function {
    /// The name shown in graph printouts.
    fn name(&self) -> &'static str;

    /// The output, from the input values.
    ///
    /// # Errors
    /// Inputs the operation cannot take (shapes that do not fit, say).
    fn forward(&self, inputs: &[&ArrayD<f64>]) -> Result<ArrayD<f64>>;

    /// Given `g`, the adjoint of the output (∂L/∂output, of the output's shape),
    /// the adjoint contribution for each input: ∂L/∂input = gᵀ ∂output/∂input, or
    /// `None` where no gradient flows. Written with tape operations, so that it can
    /// itself be differentiated.
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        inputs: &[Var<'t>],
        output: Var<'t>,
    ) -> Vec<Option<Var<'t>>>;
}
// ANCHOR_END: trait

/// `Some(adjoint())` if gradients flow into `input`, else `None` without computing
/// anything: a constant operand (a data matrix, say) costs nothing in the backward
/// pass.
fn when<'t>(input: Var<'t>, adjoint: impl FnOnce() -> Var<'t>) -> Option<Var<'t>> {
    input.requires_grad().then(adjoint)
}

/// The result of a binary element-wise operation, after checking that the shapes
/// broadcast.
///
/// `f` is the scalar operation. Equal shapes and a 0-dimensional operand (`x *
/// 2.0`, `1.0 - x`) take fast paths over contiguous memory; ndarray's general
/// broadcasting walks a dynamic-dimensional array element by element, several times
/// slower.
fn broadcasting(
    a: &ArrayD<f64>,
    b: &ArrayD<f64>,
    f: impl Fn(f64, f64) -> f64,
) -> Result<ArrayD<f64>> {
    if a.shape() == b.shape() {
        return Ok(Zip::from(a).and(b).map_collect(|&x, &y| f(x, y)));
    }
    if b.ndim() == 0 {
        let y = b.iter().next().copied().unwrap_or(f64::NAN);
        return Ok(a.mapv(|x| f(x, y)));
    }
    if a.ndim() == 0 {
        let x = a.iter().next().copied().unwrap_or(f64::NAN);
        return Ok(b.mapv(|y| f(x, y)));
    }
    if let Some(out) = matrix_and_vector(a, b, &f) {
        return Ok(out);
    }
    let shape = IxDyn(&broadcast_shape(a.shape(), b.shape())?);
    match (a.broadcast(shape.clone()), b.broadcast(shape)) {
        (Some(a), Some(b)) => {
            Ok(Zip::from(&a).and(&b).map_collect(|&x, &y| f(x, y)))
        }
        _ => Err(Error::ShapeMismatch {
            context: "broadcast",
            expected: a.shape().to_vec(),
            found: b.shape().to_vec(),
        }),
    }
}

/// The other fast path of [`broadcasting`]: an m × n matrix (contiguous) with a row
/// (n or 1 × n entries) or a column (m × 1) on either side, the shapes of a mean added
/// to every sample and of per-row weights. `None` for any other pair of shapes.
fn matrix_and_vector(
    a: &ArrayD<f64>,
    b: &ArrayD<f64>,
    f: &impl Fn(f64, f64) -> f64,
) -> Option<ArrayD<f64>> {
    // (the matrix, the vector, whether the matrix is the left operand)
    let left = a.ndim() == 2 && (b.ndim() != 2 || a.len() > b.len());
    let (m, v) = if left { (a, b) } else { (b, a) };
    let &[rows, cols] = m.shape() else { return None };
    if rows == 0 || cols == 0 {
        return None;
    }
    let along_rows = match v.shape() {
        [n] | [1, n] if *n == cols => true,
        [r, 1] if *r == rows && cols > 1 => false,
        _ => return None,
    };
    let (ms, vs) = (m.as_slice()?, v.as_slice()?);
    let mut out = Vec::with_capacity(rows * cols);
    for (i, row) in ms.chunks_exact(cols).enumerate() {
        for (j, &x) in row.iter().enumerate() {
            let y = if along_rows { vs[j] } else { vs[i] };
            out.push(if left { f(x, y) } else { f(y, x) });
        }
    }
    ArrayD::from_shape_vec(IxDyn(&[rows, cols]), out).ok()
}

// ANCHOR: add
/// `a + b`, broadcasting.
pub struct Add;
impl Function for Add {
    fn name(&self) -> &'static str {
        "add"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        broadcasting(x[0], x[1], |a, b| a + b)
    }
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        vec![
            when(x[0], || g.sum_to(&x[0].shape())),
            when(x[1], || g.sum_to(&x[1].shape())),
        ]
    }
}
// ANCHOR_END: add

/// `a − b`, broadcasting.
pub struct Sub;
impl Function for Sub {
    fn name(&self) -> &'static str {
        "sub"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        broadcasting(x[0], x[1], |a, b| a - b)
    }
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        vec![
            when(x[0], || g.sum_to(&x[0].shape())),
            when(x[1], || (-g).sum_to(&x[1].shape())),
        ]
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
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        vec![
            when(x[0], || (g * x[1]).sum_to(&x[0].shape())),
            when(x[1], || (g * x[0]).sum_to(&x[1].shape())),
        ]
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
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        out: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        // ∂(a/b)/∂a = 1/b and ∂(a/b)/∂b = −a/b² = −out/b.
        vec![
            when(x[0], || (g / x[1]).sum_to(&x[0].shape())),
            when(x[1], || (-(g * out) / x[1]).sum_to(&x[1].shape())),
        ]
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
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        _: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
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
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        _: &[Var<'t>],
        out: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
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
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
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
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        _: &[Var<'t>],
        out: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
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
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        vec![Some(g * x[0].powf(self.0 - 1.0) * self.0)]
    }
}

/// σ(x), computed from e^{−|x|} so that nothing overflows.
pub fn sigmoid(x: f64) -> f64 {
    let e = (-x.abs()).exp();
    if x >= 0.0 {
        1.0 / (1.0 + e)
    } else {
        e / (1.0 + e)
    }
}

/// softplus(x) = ln(1 + eˣ), computed as max(x, 0) + ln(1 + e^{−|x|}) so that it
/// neither overflows for large x nor loses the small values for very negative x.
pub fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

// ANCHOR: sigmoid
/// The logistic sigmoid σ(a) = 1/(1 + e⁻ᵃ), evaluated without overflow for either
/// sign.
pub struct Sigmoid;

impl Function for Sigmoid {
    fn name(&self) -> &'static str {
        "sigmoid"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        Ok(x[0].mapv(sigmoid))
    }
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        _: &[Var<'t>],
        out: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        vec![Some(g * out * (1.0 - out))]
    }
}
// ANCHOR_END: sigmoid

/// tanh a.
pub struct Tanh;
impl Function for Tanh {
    fn name(&self) -> &'static str {
        "tanh"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let a = x[0].as_standard_layout();
        let mut out = ArrayD::zeros(a.raw_dim());
        match (a.as_slice(), out.as_slice_mut()) {
            (Some(values), Some(slots)) => crate::special::tanh_into(values, slots),
            _ => out.zip_mut_with(&a, |o, &v| *o = crate::special::tanh(v)),
        }
        Ok(out)
    }
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        _: &[Var<'t>],
        out: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        // g ⊙ (1 − tanh²), in one pass over memory rather than three.
        vec![Some(g.tape().custom(TanhBackward, &[g, out]))]
    }
}

/// The backward rule of tanh as one operation: (g, t) ↦ g ⊙ (1 − t²), where t =
/// tanh x. It is differentiable itself (∂/∂g = 1 − t², ∂/∂t = −2 g t), so higher
/// derivatives still work.
pub struct TanhBackward;
impl Function for TanhBackward {
    fn name(&self) -> &'static str {
        "tanh_backward"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        broadcasting(x[0], x[1], |g, t| g * (1.0 - t * t))
    }
    fn vjp<'t>(
        &self,
        h: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        let (g, t) = (x[0], x[1]);
        vec![when(g, || h * (1.0 - t * t)), when(t, || h * g * t * -2.0)]
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
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        vec![Some(g * x[0].step())]
    }
}

/// The step function 𝟙(a > 0): the derivative of ReLU. Its own derivative is zero
/// almost everywhere, so no gradient flows through it.
pub struct Step;
impl Function for Step {
    fn name(&self) -> &'static str {
        "step"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        Ok(x[0].mapv(|a| if a > 0.0 { 1.0 } else { 0.0 }))
    }
    fn vjp<'t>(
        &self,
        _: Var<'t>,
        _: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
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
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
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
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
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
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
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
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        // Put the summed axis back with length 1, then stretch it to the input's
        // length.
        let shape = x[0].shape();
        let mut kept = shape.clone();
        kept[self.0] = 1;
        vec![Some(g.reshape(&kept).broadcast_to(&shape))]
    }
}

/// Sums away the first `lead` axes. A bias gradient is exactly this (a batch of
/// rows summed into one row), so it gets a fast path: adding whole contiguous rows,
/// rather than walking a dynamic-dimensional array element by element.
fn sum_leading_axes(a: &ArrayD<f64>, lead: usize) -> ArrayD<f64> {
    let rest = &a.shape()[lead..];
    let width: usize = rest.iter().product();
    let mut sum = vec![0.0; width];
    match a.as_slice() {
        Some(values) if width > 0 => {
            for row in values.chunks_exact(width) {
                sum.iter_mut().zip(row).for_each(|(s, v)| *s += v);
            }
        }
        _ => {
            let standard = a.as_standard_layout();
            let values = standard.as_slice().unwrap_or(&[]);
            for row in values.chunks_exact(width.max(1)) {
                sum.iter_mut().zip(row).for_each(|(s, v)| *s += v);
            }
        }
    }
    ArrayD::from_shape_vec(IxDyn(rest), sum)
        .unwrap_or_else(|_| ArrayD::zeros(IxDyn(rest)))
}

// ANCHOR: sum_to
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
                context:
                    "sum_to: the input must be a broadcast of the target shape",
                expected: self.0.clone(),
                found: a.shape().to_vec(),
            });
        }
        let lead = a.ndim() - self.0.len();
        let mut out = sum_leading_axes(a, lead);
        for (k, &n) in self.0.iter().enumerate() {
            if n == 1 && out.shape()[k] != 1 {
                out = out.sum_axis(Axis(k)).insert_axis(Axis(k));
            }
        }
        Ok(out)
    }
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        vec![Some(g.broadcast_to(&x[0].shape()))]
    }
}
// ANCHOR_END: sum_to

/// Stretches axes of length one (and adds leading axes) to reach `shape`.
pub struct BroadcastTo(pub Vec<usize>);
impl Function for BroadcastTo {
    fn name(&self) -> &'static str {
        "broadcast_to"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        x[0].broadcast(IxDyn(&self.0)).map(|v| v.to_owned()).ok_or_else(|| {
            Error::ShapeMismatch {
                context: "broadcast_to",
                expected: self.0.clone(),
                found: x[0].shape().to_vec(),
            }
        })
    }
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        vec![Some(g.sum_to(&x[0].shape()))]
    }
}

/// The same elements, in row-major order, under a new shape with the same number of
/// elements.
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
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
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
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        _: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        vec![Some(g.t())]
    }
}

fn matrix<'a>(
    a: &'a ArrayD<f64>,
    which: &'static str,
) -> Result<ArrayView2<'a, f64>> {
    a.view().into_dimensionality::<Ix2>().map_err(|_| Error::InvalidInput {
        context: "matmul",
        reason: format!(
            "the {which} operand must be 2-dimensional, found shape {:?}",
            a.shape()
        ),
    })
}

/// A · B. General shapes go to ndarray's blocked, vectorised kernel
/// (`matrixmultiply`). Two shapes it serves poorly get direct loops: a single
/// output column (a matrix–vector product, bound by reading A once) and a short
/// inner dimension (each output row is then a sum of a few scaled rows of B), where
/// packing the operands would cost more than the product.
fn product(a: ArrayView2<'_, f64>, b: ArrayView2<'_, f64>) -> Array2<f64> {
    let (m, k, n) = (a.nrows(), a.ncols(), b.ncols());
    if n == 1 {
        let column = b.column(0);
        if a.strides()[1] == 1 {
            // Rows of A are contiguous: one dot product per row.
            return Array2::from_shape_fn((m, 1), |(i, _)| a.row(i).dot(&column));
        }
        // Columns of A are contiguous (A is a transposed view): add up scaled
        // columns.
        let mut out = ndarray::Array1::zeros(m);
        for (&c, a_column) in column.iter().zip(a.columns()) {
            out.scaled_add(c, &a_column);
        }
        return out.insert_axis(Axis(1));
    }
    if k <= 4 && b.is_standard_layout() {
        let mut out = Array2::zeros((m, n));
        for (mut row, coefficients) in out.rows_mut().into_iter().zip(a.rows()) {
            for (&c, b_row) in coefficients.iter().zip(b.rows()) {
                row.scaled_add(c, &b_row);
            }
        }
        return out;
    }
    a.dot(&b)
}

/// The matrix product op(A) · op(B) of two 2-D arrays, where op transposes or not.
/// Backward rules need Aᵀ and Bᵀ; the flags let them read the stored matrices in
/// transposed order instead of copying them.
pub struct MatMul {
    /// Use Aᵀ in place of A.
    pub transpose_a: bool,
    /// Use Bᵀ in place of B.
    pub transpose_b: bool,
}
impl Function for MatMul {
    fn name(&self) -> &'static str {
        "matmul"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let a = matrix(x[0], "left")?;
        let b = matrix(x[1], "right")?;
        let a = if self.transpose_a { a.reversed_axes() } else { a };
        let b = if self.transpose_b { b.reversed_axes() } else { b };
        if a.ncols() != b.nrows() {
            return Err(Error::ShapeMismatch {
                context: "matmul: inner dimensions",
                expected: vec![a.nrows(), a.ncols()],
                found: vec![b.nrows(), b.ncols()],
            });
        }
        Ok(product(a, b).into_dyn())
    }
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        // C = AB: ∂L/∂A = G Bᵀ and ∂L/∂B = Aᵀ G. With A or B stored transposed, the
        // same identities transposed: e.g. C = AᵀB gives ∂L/∂A = (G Bᵀ)ᵀ = B Gᵀ.
        let (a, b) = (x[0], x[1]);
        let (ta, tb) = (self.transpose_a, self.transpose_b);
        let da = || if ta { b.gemm(g, tb, true) } else { g.gemm(b, false, !tb) };
        let db = || if tb { g.gemm(a, true, ta) } else { a.gemm(g, !ta, false) };
        vec![when(a, da), when(b, db)]
    }
}

fn check_range(
    axis: usize,
    start: usize,
    end: usize,
    shape: &[usize],
) -> Result<()> {
    check_axis(axis, shape.len())?;
    if start <= end && end <= shape[axis] {
        Ok(())
    } else {
        Err(Error::InvalidInput {
            context: "slice",
            reason: format!(
                "range {start}..{end} does not fit axis {axis} of shape {shape:?}"
            ),
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
        Ok(x[0]
            .slice_axis(Axis(self.axis), Slice::from(self.start..self.end))
            .to_owned())
    }
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        let len = x[0].shape()[self.axis];
        vec![Some(g.pad(self.axis, self.start, len))]
    }
}

/// Places the input at `start..` along `axis` of a zero array `len` long on that
/// axis: the adjoint of slicing.
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
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
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
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row and column broadcast of the fast path agrees with ndarray's general
    /// broadcasting, exactly, on either side of a non-commutative operation.
    #[test]
    fn matrix_and_vector_matches_general_broadcasting() {
        let m = ArrayD::from_shape_fn(IxDyn(&[3, 4]), |i| {
            (i[0] * 4 + i[1]) as f64 * 0.37 - 1.1
        });
        let vectors = [
            ArrayD::from_shape_fn(IxDyn(&[4]), |i| 2.0 + i[0] as f64 / 3.0),
            ArrayD::from_shape_fn(IxDyn(&[1, 4]), |i| -0.5 + i[1] as f64),
            ArrayD::from_shape_fn(IxDyn(&[3, 1]), |i| 1.5 * i[0] as f64 + 0.25),
        ];
        let sub = |x: f64, y: f64| x - y / 7.0;
        for v in &vectors {
            for (a, b) in [(&m, v), (v, &m)] {
                let fast = matrix_and_vector(a, b, &sub).unwrap();
                let shape = IxDyn(&[3, 4]);
                let (ga, gb) = (
                    a.broadcast(shape.clone()).unwrap(),
                    b.broadcast(shape).unwrap(),
                );
                let general =
                    Zip::from(&ga).and(&gb).map_collect(|&x, &y| sub(x, y));
                assert_eq!(fast, general, "{:?} with {:?}", a.shape(), b.shape());
            }
        }
        // Shapes it does not take fall through to the general path.
        let other = ArrayD::zeros(IxDyn(&[2, 3, 4]));
        assert!(matrix_and_vector(&other, &vectors[0], &sub).is_none());
        assert!(matrix_and_vector(&m, &ArrayD::zeros(IxDyn(&[3])), &sub).is_none());
    }
}
