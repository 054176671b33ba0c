//! The tape: a record of array operations, replayed backwards to compute gradients.
//!
//! Every value computed through a [`Var`] is pushed onto the [`Tape`] as a node,
//! together with the [`Function`] that made it and the ids of its inputs. Inputs
//! are always pushed before the nodes that use them, so the ids are already a
//! topological order: the backward pass walks them from the root down, and no graph
//! search is needed.

use super::function::Function;
use crate::{Error, Result};
use ndarray::{ArrayD, IxDyn};
use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::rc::Rc;

/// A handle on a value recorded on a [`Tape`]. It is `Copy`: arithmetic on handles
/// records new nodes and leaves the old ones as they were.
#[derive(Clone, Copy)]
pub struct Var<'t> {
    pub(crate) tape: &'t Tape,
    pub(crate) id: usize,
}

/// How a node came to be.
enum Kind {
    /// Put on the tape by the user. `requires_grad` marks a parameter whose
    /// gradient we want; without it the node is a constant.
    Leaf { requires_grad: bool },
    /// Computed by `function` from the nodes `inputs`, at least one of which needs
    /// a gradient.
    Op { function: Rc<dyn Function>, inputs: Inputs },
    /// Computed from inputs that need no gradient, or while recording was off: a
    /// constant.
    Detached { name: &'static str },
    /// An operation that could not be carried out (a shape mismatch, say). The
    /// error travels to every node computed from this one and is returned by
    /// `value` and `backward`.
    Failed(Error),
}

struct Node {
    value: Rc<ArrayD<f64>>,
    kind: Kind,
}

/// The ids of an operation's inputs. Nearly every operation has one to three, kept in
/// place: a heap allocation per recorded operation was a measurable share of a small
/// tape's time (the Monte Carlo acquisition functions record a few dozen operations per
/// evaluation, thousands of times per optimisation).
#[derive(Clone)]
enum Inputs {
    Few { ids: [usize; FEW], len: usize },
    Many(Rc<[usize]>),
}

/// How many input ids [`Inputs`] keeps in place.
const FEW: usize = 3;

impl Inputs {
    fn of(vars: &[Var<'_>]) -> Self {
        if vars.len() <= FEW {
            let mut ids = [0; FEW];
            for (slot, v) in ids.iter_mut().zip(vars) {
                *slot = v.id;
            }
            Inputs::Few { ids, len: vars.len() }
        } else {
            Inputs::Many(vars.iter().map(|v| v.id).collect())
        }
    }

    fn as_slice(&self) -> &[usize] {
        match self {
            Inputs::Few { ids, len } => &ids[..*len],
            Inputs::Many(ids) => ids,
        }
    }
}

impl std::ops::Deref for Inputs {
    type Target = [usize];
    fn deref(&self) -> &[usize] {
        self.as_slice()
    }
}

impl Node {
    fn requires_grad(&self) -> bool {
        matches!(self.kind, Kind::Leaf { requires_grad: true } | Kind::Op { .. })
    }
}

/// A record of array computations, for reverse-mode automatic differentiation.
///
/// ```
/// use gradbo::autodiff::Tape;
/// use ndarray::arr1;
/// let tape = Tape::new();
/// let x = tape.param(arr1(&[1.0, 2.0, 3.0]).into_dyn());
/// let y = (x * x).sum(); // y = Σ x²
/// tape.backward(y).unwrap();
/// // ∂y/∂x = 2x
/// assert_eq!(tape.grad(x).unwrap(), arr1(&[2.0, 4.0, 6.0]).into_dyn());
/// ```
pub struct Tape {
    nodes: RefCell<Vec<Node>>,
    /// Accumulated gradients of the leaves that require them, by node id.
    grads: RefCell<Vec<Option<ArrayD<f64>>>>,
    recording: Cell<bool>,
}

impl Default for Tape {
    fn default() -> Self {
        Tape::new()
    }
}

impl Tape {
    /// An empty tape that records.
    pub fn new() -> Self {
        Tape {
            nodes: RefCell::new(Vec::new()),
            grads: RefCell::new(Vec::new()),
            recording: Cell::new(true),
        }
    }

    /// How many nodes the tape holds.
    pub fn len(&self) -> usize {
        self.nodes.borrow().len()
    }

    /// Whether the tape holds no node.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A leaf whose gradient [`backward`](Tape::backward) will compute: a
    /// parameter.
    ///
    /// Takes an array, or an `Rc` of one to share it with other tapes without
    /// copying.
    pub fn param(&self, value: impl Into<Rc<ArrayD<f64>>>) -> Var<'_> {
        self.push(value, Kind::Leaf { requires_grad: true })
    }

    /// A leaf that is treated as a constant: no gradient flows into it.
    ///
    /// Takes an array, or an `Rc` of one to share it (a data set used by many
    /// tapes, say).
    pub fn constant(&self, value: impl Into<Rc<ArrayD<f64>>>) -> Var<'_> {
        self.push(value, Kind::Leaf { requires_grad: false })
    }

    /// A 0-dimensional parameter holding `x`.
    pub fn scalar_param(&self, x: f64) -> Var<'_> {
        self.param(ArrayD::from_elem(IxDyn(&[]), x))
    }

    /// A 0-dimensional constant holding `x`.
    pub fn scalar(&self, x: f64) -> Var<'_> {
        self.constant(ArrayD::from_elem(IxDyn(&[]), x))
    }

    /// Runs `f` with recording switched off: everything it computes is a constant.
    /// This is where parameter updates belong, so that they never become part of a
    /// graph.
    pub fn no_grad<R>(&self, f: impl FnOnce() -> R) -> R {
        let was = self.recording.replace(false);
        let result = f();
        self.recording.set(was);
        result
    }

    /// The value of `v`.
    ///
    /// # Errors
    /// The error of the failed operation `v` was computed from, if any.
    pub fn value(&self, v: Var<'_>) -> Result<ArrayD<f64>> {
        let nodes = self.nodes.borrow();
        match &nodes[v.id].kind {
            Kind::Failed(e) => Err(e.clone()),
            _ => Ok((*nodes[v.id].value).clone()),
        }
    }

    /// The single number held by `v` (a 0-dimensional or one-element array).
    ///
    /// # Errors [`Error::NotScalar`] if `v` holds more than one element; a failed
    /// operation's error.
    pub fn item(&self, v: Var<'_>) -> Result<f64> {
        let value = self.value(v)?;
        match value.len() {
            1 => Ok(value.iter().next().copied().unwrap_or(f64::NAN)),
            _ => Err(Error::NotScalar {
                context: "item",
                shape: value.shape().to_vec(),
            }),
        }
    }

    /// The shape of `v`'s value.
    pub fn shape(&self, v: Var<'_>) -> Vec<usize> {
        self.nodes.borrow()[v.id].value.shape().to_vec()
    }

    /// `f` of `v`'s value, borrowed rather than copied (`f` must not record on the tape).
    ///
    /// # Errors
    /// The error of the failed operation `v` was computed from, if any.
    pub(crate) fn inspect<R>(
        &self,
        v: Var<'_>,
        f: impl FnOnce(&ArrayD<f64>) -> R,
    ) -> Result<R> {
        let nodes = self.nodes.borrow();
        match &nodes[v.id].kind {
            Kind::Failed(e) => Err(e.clone()),
            _ => Ok(f(&nodes[v.id].value)),
        }
    }

    /// Whether `v`'s value has `shape`, without copying the shape out.
    pub(crate) fn has_shape(&self, v: Var<'_>, shape: &[usize]) -> bool {
        self.nodes.borrow()[v.id].value.shape() == shape
    }

    /// The gradient accumulated on the leaf `v` by the backward passes so far;
    /// `None` if no backward pass has reached it (or `v` is not a parameter).
    pub fn grad(&self, v: Var<'_>) -> Option<ArrayD<f64>> {
        self.grads.borrow().get(v.id).cloned().flatten()
    }

    /// Forgets every accumulated gradient. Without this, each backward pass adds to
    /// the last.
    pub fn zero_grad(&self) {
        self.grads.borrow_mut().clear();
    }

    /// Backpropagates from a scalar `root`: adds ∂root/∂p to the gradient of every
    /// parameter p.
    ///
    /// # Errors
    /// [`Error::NotScalar`] if `root` holds more than one element (use
    /// [`backward_with`](Tape::backward_with)); a failed operation's error.
    pub fn backward(&self, root: Var<'_>) -> Result<()> {
        let shape = self.checked_shape(root)?;
        if shape.iter().product::<usize>() != 1 {
            return Err(Error::NotScalar {
                context: "backward without an upstream vector",
                shape,
            });
        }
        self.backward_with(root, ArrayD::ones(IxDyn(&shape)))
    }

    /// The vector–Jacobian product: adds vᵀJ = ∂(Σₖ vₖ rootₖ)/∂p to the gradient of
    /// every parameter p, for an upstream array `v` of the root's shape.
    ///
    /// # Errors [`Error::ShapeMismatch`] if `v`'s shape is not the root's; a failed
    /// operation's error.
    pub fn backward_with(&self, root: Var<'_>, v: ArrayD<f64>) -> Result<()> {
        let shape = self.checked_shape(root)?;
        if v.shape() != shape.as_slice() {
            return Err(Error::ShapeMismatch {
                context:
                    "backward_with: the upstream array must have the root's shape",
                expected: shape,
                found: v.shape().to_vec(),
            });
        }
        let mark = self.len();
        // The backward pass itself is not recorded: its nodes are scratch, dropped
        // at the end.
        let adjoints = self.no_grad(|| {
            let seed = self.constant(v);
            self.backprop(root, seed)
        });
        let result = self.accumulate(&adjoints);
        self.nodes.borrow_mut().truncate(mark);
        result
    }

    /// Gradients of a scalar `root` with respect to `wrt`, *recorded on the tape*
    /// so that they can be differentiated again: the way to higher derivatives.
    /// Accumulated gradients are left alone. An input that `root` does not depend
    /// on gets a zero gradient.
    ///
    /// # Errors [`Error::NotScalar`] for a root with more than one element; a
    /// failed operation's error.
    pub fn grad_graph<'t>(
        &'t self,
        root: Var<'t>,
        wrt: &[Var<'t>],
    ) -> Result<Vec<Var<'t>>> {
        let shape = self.checked_shape(root)?;
        if shape.iter().product::<usize>() != 1 {
            return Err(Error::NotScalar { context: "grad_graph", shape });
        }
        let seed = self.constant(ArrayD::ones(IxDyn(&shape)));
        let adjoints = self.backprop(root, seed);
        let grads = wrt
            .iter()
            .map(|x| match adjoints.get(x.id).copied().flatten() {
                Some(g) => g,
                None => self.constant(ArrayD::zeros(IxDyn(&self.shape(*x)))),
            })
            .collect();
        Ok(grads)
    }

    /// Makes a constant with `v`'s value: gradients stop here.
    pub fn detach<'t>(&'t self, v: Var<'t>) -> Var<'t> {
        let node = {
            let nodes = self.nodes.borrow();
            match &nodes[v.id].kind {
                Kind::Failed(e) => Node {
                    value: nodes[v.id].value.clone(),
                    kind: Kind::Failed(e.clone()),
                },
                _ => Node {
                    value: nodes[v.id].value.clone(),
                    kind: Kind::Detached { name: "detach" },
                },
            }
        };
        self.push_node(node)
    }

    /// The graph that produced `root`, as an indented tree from the root down to
    /// the leaves. A node reached twice is printed once and then referred to by its
    /// id.
    pub fn graph(&self, root: Var<'_>) -> String {
        let mut out = String::new();
        let mut seen = HashSet::new();
        self.describe(root.id, 0, &mut seen, &mut out);
        out
    }

    /// Applies `function` to `inputs` and records the result.
    pub(crate) fn apply<'t>(
        &'t self,
        function: impl Function + 'static,
        inputs: &[Var<'t>],
    ) -> Var<'t> {
        let node = {
            let nodes = self.nodes.borrow();
            let failed = inputs.iter().find_map(|v| match &nodes[v.id].kind {
                Kind::Failed(e) => Some(e.clone()),
                _ => None,
            });
            if let Some(e) = failed {
                Node {
                    value: Rc::new(ArrayD::zeros(IxDyn(&[0]))),
                    kind: Kind::Failed(e),
                }
            } else {
                let value = |k: usize| &*nodes[inputs[k].id].value;
                // The input values as a slice, on the stack for the usual one to
                // three inputs (see `Inputs`).
                let forward = match inputs.len() {
                    1 => function.forward(&[value(0)]),
                    2 => function.forward(&[value(0), value(1)]),
                    3 => function.forward(&[value(0), value(1), value(2)]),
                    _ => {
                        let values: Vec<&ArrayD<f64>> =
                            inputs.iter().map(|v| &*nodes[v.id].value).collect();
                        function.forward(&values)
                    }
                };
                match forward {
                    Err(e) => Node {
                        value: Rc::new(ArrayD::zeros(IxDyn(&[0]))),
                        kind: Kind::Failed(e),
                    },
                    Ok(value) => {
                        let wanted = self.recording.get()
                            && inputs.iter().any(|v| nodes[v.id].requires_grad());
                        let kind = if wanted {
                            Kind::Op {
                                function: Rc::new(function),
                                inputs: Inputs::of(inputs),
                            }
                        } else {
                            Kind::Detached { name: function.name() }
                        };
                        Node { value: Rc::new(value), kind }
                    }
                }
            }
        };
        self.push_node(node)
    }

    /// A node that records `error` in place of a value.
    pub(crate) fn failed(&self, error: Error) -> Var<'_> {
        self.push(ArrayD::zeros(IxDyn(&[0])), Kind::Failed(error))
    }

    fn push(&self, value: impl Into<Rc<ArrayD<f64>>>, kind: Kind) -> Var<'_> {
        self.push_node(Node { value: value.into(), kind })
    }

    fn push_node(&self, node: Node) -> Var<'_> {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(node);
        Var { tape: self, id: nodes.len() - 1 }
    }

    fn checked_shape(&self, v: Var<'_>) -> Result<Vec<usize>> {
        let nodes = self.nodes.borrow();
        match &nodes[v.id].kind {
            Kind::Failed(e) => Err(e.clone()),
            _ => Ok(nodes[v.id].value.shape().to_vec()),
        }
    }

    // ANCHOR: sweep
    /// The reverse sweep: the adjoint ∂root/∂node of every node the root depends
    /// on, as tape values built from `seed` with the ordinary operations (so that,
    /// with recording on, they can be differentiated again).
    fn backprop<'t>(
        &'t self,
        root: Var<'t>,
        seed: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        let mut adjoint: Vec<Option<Var<'t>>> = vec![None; root.id + 1];
        adjoint[root.id] = Some(seed);
        for id in (0..=root.id).rev() {
            let Some(g) = adjoint[id] else { continue };
            // Take what the rule needs out of the borrow: the rule itself records
            // new nodes.
            let (function, inputs) = match &self.nodes.borrow()[id].kind {
                Kind::Op { function, inputs } => (function.clone(), inputs.clone()),
                _ => continue,
            };
            let input_vars: Vec<Var<'t>> =
                inputs.iter().map(|&i| Var { tape: self, id: i }).collect();
            let output = Var { tape: self, id };
            let contributions = function.vjp(g, &input_vars, output);
            for (&input, contribution) in inputs.iter().zip(contributions) {
                let Some(c) = contribution else { continue };
                if !self.nodes.borrow()[input].requires_grad() {
                    continue;
                }
                adjoint[input] = Some(match adjoint[input] {
                    Some(sum) => sum + c,
                    None => c,
                });
            }
        }
        adjoint
    }

    /// Adds the adjoints of the parameters into their gradient buffers.
    fn accumulate(&self, adjoints: &[Option<Var<'_>>]) -> Result<()> {
        let nodes = self.nodes.borrow();
        let mut grads = self.grads.borrow_mut();
        for (id, adjoint) in adjoints.iter().enumerate() {
            let (Some(a), Kind::Leaf { requires_grad: true }) =
                (adjoint, &nodes[id].kind)
            else {
                continue;
            };
            if let Kind::Failed(e) = &nodes[a.id].kind {
                return Err(e.clone());
            }
            if grads.len() <= id {
                grads.resize(id + 1, None);
            }
            let value = &*nodes[a.id].value;
            match &mut grads[id] {
                Some(sum) => *sum += value,
                slot => *slot = Some(value.clone()),
            }
        }
        Ok(())
    }
    // ANCHOR_END: sweep

    fn describe(
        &self,
        id: usize,
        depth: usize,
        seen: &mut HashSet<usize>,
        out: &mut String,
    ) {
        let nodes = self.nodes.borrow();
        let node = &nodes[id];
        let indent = "  ".repeat(depth);
        let shape = node.value.shape();
        let label = match &node.kind {
            Kind::Leaf { requires_grad: true } => {
                "leaf (parameter: gradient accumulates here)".to_owned()
            }
            Kind::Leaf { requires_grad: false } => {
                "constant (no gradient path)".to_owned()
            }
            Kind::Op { function, .. } => function.name().to_owned(),
            Kind::Detached { name } => {
                format!("{name} (constant: no gradient path)")
            }
            Kind::Failed(e) => format!("failed: {e}"),
        };
        if !seen.insert(id) {
            let _ = writeln!(out, "{indent}#{id} {label} (shown above)");
            return;
        }
        let _ = writeln!(out, "{indent}#{id} {label} {shape:?}");
        let children: Vec<usize> = match &node.kind {
            Kind::Op { inputs, .. } => inputs.as_slice().to_vec(),
            _ => Vec::new(),
        };
        drop(nodes); // the recursion borrows the tape again
        for &input in children.iter() {
            self.describe(input, depth + 1, seen, out);
        }
    }
}

impl<'t> Var<'t> {
    /// The tape this value lives on.
    pub fn tape(&self) -> &'t Tape {
        self.tape
    }

    /// This node's position on the tape (its id in [`Tape::graph`] printouts).
    pub fn id(&self) -> usize {
        self.id
    }

    /// The shape of this value.
    pub fn shape(&self) -> Vec<usize> {
        self.tape.shape(*self)
    }

    /// Whether gradients flow into this value: a parameter, or computed (while
    /// recording) from one. A backward rule need not compute the adjoint of an
    /// input for which this is false.
    pub fn requires_grad(&self) -> bool {
        self.tape.nodes.borrow()[self.id].requires_grad()
    }
}
