//! Acquisition optimisation over a [`MixedSpace`]: over a finite set of designs, or over
//! combinations of the non-continuous variables with a continuous search inside each.
//!
//! The acquisition function sees *encoded* designs ([`MixedSpace::encode`]): it is built
//! on a model fitted to them.

use super::space::{Combination, MixedSpace, Variable};
use crate::acquisition::AcquisitionFunction;
use crate::candidates::{best_unevaluated, Library};
use crate::optimize_acqf::{optimize_acqf, AcqfOptions};
use crate::{Bounds, Error, Result};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

/// Candidates are scored in chunks of this many rows, so that a large set never builds one
/// huge matrix of posterior quantities.
const CHUNK: usize = 1024;

/// The choice of [`optimize_acqf_discrete`].
#[derive(Debug, Clone, PartialEq)]
pub struct DiscreteChoice {
    /// The row of the chosen design among the choices.
    pub index: usize,
    /// The design, in natural coordinates.
    pub design: Array1<f64>,
    /// Its acquisition value.
    pub value: f64,
    /// How many choices were skipped because they had been evaluated.
    pub excluded: usize,
}

/// The choice of [`optimize_acqf_mixed`].
#[derive(Debug, Clone, PartialEq)]
pub struct MixedChoice {
    /// The design, in natural coordinates.
    pub design: Array1<f64>,
    /// Its acquisition value.
    pub value: f64,
    /// The index of the combination it belongs to.
    pub combination: usize,
    /// The best acquisition value found in each combination, in order.
    pub per_combination: Vec<f64>,
}

fn check_acqf(
    acqf: &dyn AcquisitionFunction,
    space: &MixedSpace,
    context: &'static str,
) -> Result<()> {
    if acqf.dim() != space.encoded_dim() {
        return Err(Error::ShapeMismatch {
            context,
            expected: vec![space.encoded_dim()],
            found: vec![acqf.dim()],
        });
    }
    if acqf.q() != 1 {
        return Err(Error::InvalidInput {
            context,
            reason: format!(
                "one design at a time: the acquisition function has q = {}",
                acqf.q()
            ),
        });
    }
    Ok(())
}

/// The acquisition value of each design (rows of `designs`, natural coordinates), through
/// the space's encoding.
///
/// # Errors
/// [`Error::ShapeMismatch`] if the function's dimension is not the space's encoded
/// dimension; [`Error::InvalidInput`] for q > 1 or a design outside the space; the
/// function's own errors.
pub fn acquisition_values(
    acqf: &dyn AcquisitionFunction,
    space: &MixedSpace,
    designs: ArrayView2<'_, f64>,
) -> Result<Array1<f64>> {
    check_acqf(acqf, space, "acquisition_values")?;
    let encoded = space.encode(designs)?;
    let mut out = Vec::with_capacity(designs.nrows());
    for chunk in encoded.axis_chunks_iter(Axis(0), CHUNK) {
        out.extend(acqf.values(chunk)?);
    }
    Ok(Array1::from(out))
}

/// The best design of a finite set (BoTorch's `optimize_acqf_discrete`): every row of
/// `choices` not equal, coordinate for coordinate, to a row of `evaluated` is scored and the
/// largest value wins (the first row on a tie). Suited to small feasible sets, where
/// scoring every design is cheaper and surer than a continuous search followed by
/// rounding, and where excluding evaluated designs keeps the loop from repeating itself.
/// The choices form a [`Library`] and the choice is [`best_unevaluated`]'s.
///
/// # Errors
/// [`Error::Empty`] for no choices, or when every choice has been evaluated;
/// [`Error::InvalidInput`] for two equal choices, for q > 1 or a choice outside the space;
/// [`Error::ShapeMismatch`] if the function's dimension is not the space's encoded
/// dimension or `evaluated` has the wrong width; the function's own errors.
pub fn optimize_acqf_discrete(
    acqf: &dyn AcquisitionFunction,
    space: &MixedSpace,
    choices: ArrayView2<'_, f64>,
    evaluated: ArrayView2<'_, f64>,
) -> Result<DiscreteChoice> {
    if choices.nrows() == 0 {
        return Err(Error::Empty {
            context: "optimize_acqf_discrete: the choices",
        });
    }
    if evaluated.ncols() != space.dim() {
        return Err(Error::ShapeMismatch {
            context: "optimize_acqf_discrete: the evaluated designs",
            expected: vec![evaluated.nrows(), space.dim()],
            found: evaluated.shape().to_vec(),
        });
    }
    check_acqf(acqf, space, "optimize_acqf_discrete")?;
    space.check_all(choices)?;
    let library = Library::new(choices.to_owned())?;
    let open = library.unevaluated(evaluated)?;
    let rows: Vec<usize> = (0..open.len()).filter(|&i| open[i]).collect();
    if rows.is_empty() {
        return Err(Error::Empty {
            context: "optimize_acqf_discrete: every choice has been evaluated",
        });
    }
    // Only the open choices are scored.
    let scored =
        acquisition_values(acqf, space, choices.select(Axis(0), &rows).view())?;
    let mut values = Array1::from_elem(open.len(), f64::NEG_INFINITY);
    for (&i, &v) in rows.iter().zip(&scored) {
        values[i] = v;
    }
    let (index, value) = best_unevaluated(values.view(), &open)?;
    Ok(DiscreteChoice {
        index,
        design: choices.row(index).to_owned(),
        value,
        excluded: choices.nrows() - rows.len(),
    })
}

/// The best design over combinations of the non-continuous variables (BoTorch's
/// `optimize_acqf_mixed`): in each [`Combination`], the categorical and discrete variables
/// are fixed and the acquisition function is maximised over the continuous ones, inside the
/// combination's own bounds, by [`optimize_acqf`] (seeded `options.seed` + the
/// combination's index); a combination without continuous variables is simply scored. The
/// largest value wins (the first combination on a tie).
///
/// Per-combination bounds express feasibility that depends on a category: a solvent's
/// temperature window is the box of the temperature in the combinations with that solvent.
///
/// # Errors
/// [`Error::Empty`] for no combinations; [`Error::ShapeMismatch`] if the function's
/// dimension is not the space's encoded dimension or a combination does not fit the space;
/// [`Error::InvalidInput`] for q > 1 or a combination outside the space; the errors of
/// [`optimize_acqf`].
pub fn optimize_acqf_mixed(
    acqf: &dyn AcquisitionFunction,
    space: &MixedSpace,
    combinations: &[Combination],
    options: &AcqfOptions,
) -> Result<MixedChoice> {
    if combinations.is_empty() {
        return Err(Error::Empty {
            context: "optimize_acqf_mixed: the combinations",
        });
    }
    check_acqf(acqf, space, "optimize_acqf_mixed")?;
    let mut best: Option<(Array1<f64>, f64, usize)> = None;
    let mut per_combination = Vec::with_capacity(combinations.len());
    for (k, combination) in combinations.iter().enumerate() {
        let (design, value) =
            optimise_combination(acqf, space, combination, options, k)?;
        per_combination.push(value);
        if best.as_ref().is_none_or(|b| value > b.1) {
            best = Some((design, value, k));
        }
    }
    // At least one combination was optimised.
    let (design, value, combination) = best
        .ok_or(Error::Empty { context: "optimize_acqf_mixed: the combinations" })?;
    Ok(MixedChoice { design, value, combination, per_combination })
}

/// The best design of one combination and its value.
fn optimise_combination(
    acqf: &dyn AcquisitionFunction,
    space: &MixedSpace,
    combination: &Combination,
    options: &AcqfOptions,
    k: usize,
) -> Result<(Array1<f64>, f64)> {
    let continuous = space.continuous_indices();
    // Check the combination by building it anew (values in their sets, bounds in range).
    let (lower, upper) = match &combination.bounds {
        Some(b) => (b.lower().to_vec(), b.upper().to_vec()),
        None => (Vec::new(), Vec::new()),
    };
    Combination::new(space, &combination.fixed, &lower, &upper)?;
    // The natural design with the continuous variables at their lower bounds.
    let mut natural = Array1::zeros(space.dim());
    let (mut f, mut c) = (0, 0);
    for (i, v) in space.variables().iter().enumerate() {
        if v.is_continuous() {
            natural[i] = lower[c];
            c += 1;
        } else {
            natural[i] = combination.fixed[f];
            f += 1;
        }
    }
    if continuous.is_empty() {
        let value =
            acquisition_values(acqf, space, natural.view().insert_axis(Axis(0)))?
                [0];
        return Ok((natural, value));
    }
    let template =
        space.encode(natural.view().insert_axis(Axis(0)))?.row(0).to_owned();
    let columns = encoded_columns(space, &continuous);
    let ranges: Vec<(f64, f64)> = continuous
        .iter()
        .map(|&i| match &space.variables()[i] {
            Variable::Continuous { lower, upper, .. } => (*lower, *upper),
            _ => (0.0, 1.0),
        })
        .collect();
    // The combination's box in encoded units.
    let enc = |x: f64, (lo, hi): (f64, f64)| (x - lo) / (hi - lo);
    let lo: Vec<f64> =
        lower.iter().zip(&ranges).map(|(&x, &r)| enc(x, r)).collect();
    let hi: Vec<f64> =
        upper.iter().zip(&ranges).map(|(&x, &r)| enc(x, r)).collect();
    let bounds = Bounds::new(Array1::from(lo), Array1::from(hi))?;
    let restricted = FixedFeatures { inner: acqf, template, free: columns };
    let seeded = AcqfOptions {
        seed: options.seed.wrapping_add(k as u64),
        ..options.clone()
    };
    let found = optimize_acqf(&restricted, &bounds, &seeded)?;
    let design = space.decode(restricted.expand(found.x.view()).view())?;
    Ok((design, found.value))
}

/// The encoded column of each continuous variable.
fn encoded_columns(space: &MixedSpace, continuous: &[usize]) -> Vec<usize> {
    let mut starts = Vec::with_capacity(space.dim());
    let mut col = 0;
    for v in space.variables() {
        starts.push(col);
        col += v.encoded_width();
    }
    continuous.iter().map(|&i| starts[i]).collect()
}

/// An acquisition function of the free encoded columns only, the others held at a
/// template's values (BoTorch's `FixedFeatureAcquisitionFunction`).
struct FixedFeatures<'a> {
    inner: &'a dyn AcquisitionFunction,
    template: Array1<f64>,
    free: Vec<usize>,
}

impl FixedFeatures<'_> {
    fn expand(&self, x: ArrayView1<'_, f64>) -> Array1<f64> {
        let mut full = self.template.clone();
        for (k, &c) in self.free.iter().enumerate() {
            full[c] = x[k];
        }
        full
    }
}

impl AcquisitionFunction for FixedFeatures<'_> {
    fn dim(&self) -> usize {
        self.free.len()
    }

    fn values(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        if x.ncols() != self.free.len() {
            return Err(Error::ShapeMismatch {
                context: "FixedFeatures::values",
                expected: vec![x.nrows(), self.free.len()],
                found: x.shape().to_vec(),
            });
        }
        let mut full = Array2::zeros((x.nrows(), self.template.len()));
        for (r, row) in x.rows().into_iter().enumerate() {
            full.row_mut(r).assign(&self.expand(row));
        }
        self.inner.values(full.view())
    }

    fn value_and_gradient(
        &self,
        x: ArrayView1<'_, f64>,
    ) -> Result<(f64, Array1<f64>)> {
        if x.len() != self.free.len() {
            return Err(Error::ShapeMismatch {
                context: "FixedFeatures::value_and_gradient",
                expected: vec![self.free.len()],
                found: vec![x.len()],
            });
        }
        let (value, gradient) =
            self.inner.value_and_gradient(self.expand(x).view())?;
        Ok((value, self.free.iter().map(|&c| gradient[c]).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    /// a(u) = −Σ wᵢ (uᵢ − cᵢ)² over encoded coordinates: its maximum is known.
    struct Quadratic {
        centre: Array1<f64>,
        weights: Array1<f64>,
    }

    impl AcquisitionFunction for Quadratic {
        fn dim(&self) -> usize {
            self.centre.len()
        }
        fn values(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
            Ok(x.rows()
                .into_iter()
                .map(|r| {
                    -(&(&r - &self.centre).mapv(|d| d * d) * &self.weights).sum()
                })
                .collect())
        }
        fn value_and_gradient(
            &self,
            x: ArrayView1<'_, f64>,
        ) -> Result<(f64, Array1<f64>)> {
            let d = &x - &self.centre;
            let v = -(&d.mapv(|d| d * d) * &self.weights).sum();
            Ok((v, -2.0 * &d * &self.weights))
        }
    }

    fn space() -> MixedSpace {
        MixedSpace::new(vec![
            Variable::continuous("T", 40.0, 140.0),
            Variable::discrete("t", &[10.0, 20.0, 30.0]),
            Variable::categorical("s", &["A", "B", "C"]),
        ])
        .unwrap()
    }

    /// Peak at T = 90 (u = 0.5), t = 20 (u = 0.5), s = C; category B close behind.
    fn peak() -> Quadratic {
        Quadratic {
            centre: array![0.5, 0.5, 0.0, 0.4, 1.0],
            weights: array![1.0, 1.0, 1.0, 1.0, 1.0],
        }
    }

    #[test]
    fn the_discrete_optimum_skips_evaluated_designs() {
        let s = space();
        let choices = array![
            [90.0, 20.0, 2.0],
            [90.0, 20.0, 1.0],
            [40.0, 10.0, 0.0],
            [90.0, 30.0, 2.0]
        ];
        let none = Array2::zeros((0, 3));
        let best = optimize_acqf_discrete(&peak(), &s, choices.view(), none.view())
            .unwrap();
        assert_eq!((best.index, best.excluded), (0, 0));
        assert!(
            (best.value - -0.16).abs() < 1e-12,
            "a = −0.4² at the peak's design"
        );
        let seen = array![[90.0, 20.0, 2.0]];
        let next = optimize_acqf_discrete(&peak(), &s, choices.view(), seen.view())
            .unwrap();
        // B: −(1 + 0.6² + 1) = −2.36 against C at t = 30: −(0.25 + 0.16) = −0.41.
        assert_eq!((next.index, next.excluded), (3, 1));
        assert!((next.value - -0.41).abs() < 1e-12);
        assert!(matches!(
            optimize_acqf_discrete(&peak(), &s, choices.view(), choices.view()),
            Err(Error::Empty { .. })
        ));
        assert!(matches!(
            optimize_acqf_discrete(
                &peak(),
                &s,
                choices.slice(ndarray::s![0..0, ..]),
                none.view()
            ),
            Err(Error::Empty { .. })
        ));
        let bad = array![[90.0, 25.0, 2.0]];
        assert!(matches!(
            optimize_acqf_discrete(&peak(), &s, bad.view(), none.view()),
            Err(Error::InvalidInput { .. })
        ));
        let twice = array![[90.0, 20.0, 2.0], [40.0, 10.0, 0.0], [90.0, 20.0, 2.0]];
        assert!(matches!(
            optimize_acqf_discrete(&peak(), &s, twice.view(), none.view()),
            Err(Error::InvalidInput { .. })
        ));
        let narrow = Quadratic { centre: array![0.5], weights: array![1.0] };
        assert!(matches!(
            optimize_acqf_discrete(&narrow, &s, choices.view(), none.view()),
            Err(Error::ShapeMismatch { .. })
        ));
    }

    #[test]
    fn the_mixed_optimum_searches_each_combination_inside_its_window() {
        let s = space();
        let options =
            AcqfOptions { restarts: 3, raw_samples: 32, ..AcqfOptions::default() };
        let all = s.combinations().unwrap();
        assert_eq!(all.len(), 9);
        let best = optimize_acqf_mixed(&peak(), &s, &all, &options).unwrap();
        assert_eq!((best.design[1], best.design[2]), (20.0, 2.0));
        assert!((best.design[0] - 90.0).abs() < 1e-4, "{}", best.design);
        assert!((best.value - -0.16).abs() < 1e-8);
        assert_eq!(best.per_combination.len(), 9);
        // C restricted to 118–132 °C: the optimum moves to the window's lower edge, where
        // u = 0.78 and a = −(0.28² + 0.16).
        let windowed: Vec<Combination> = [10.0, 20.0, 30.0]
            .iter()
            .map(|&t| Combination::new(&s, &[t, 2.0], &[118.0], &[132.0]).unwrap())
            .collect();
        let best = optimize_acqf_mixed(&peak(), &s, &windowed, &options).unwrap();
        assert!((best.design[0] - 118.0).abs() < 1e-6, "{}", best.design);
        assert!((best.value - -(0.28f64.powi(2) + 0.16)).abs() < 1e-8);
        assert_eq!(best.combination, 1);
        assert!(matches!(
            optimize_acqf_mixed(&peak(), &s, &[], &options),
            Err(Error::Empty { .. })
        ));
        let outside = Combination {
            fixed: vec![20.0, 7.0],
            bounds: windowed[0].bounds.clone(),
        };
        assert!(matches!(
            optimize_acqf_mixed(&peak(), &s, &[outside], &options),
            Err(Error::InvalidInput { .. })
        ));
    }

    #[test]
    fn a_space_without_continuous_variables_is_scored_combination_by_combination() {
        let s = MixedSpace::new(vec![
            Variable::integer("n", 0, 4),
            Variable::categorical("s", &["A", "B"]),
        ])
        .unwrap();
        // Encoded: n/4, one-hot (2). Peak at n = 3 (u = 0.75), s = B.
        let q = Quadratic {
            centre: array![0.75, 0.0, 1.0],
            weights: array![1.0, 1.0, 1.0],
        };
        let best = optimize_acqf_mixed(
            &q,
            &s,
            &s.combinations().unwrap(),
            &AcqfOptions::default(),
        )
        .unwrap();
        assert_eq!(best.design, array![3.0, 1.0]);
        assert_eq!(best.value, 0.0);
        let all = s.enumerate().unwrap();
        let by_list = optimize_acqf_discrete(
            &q,
            &s,
            all.view(),
            Array2::zeros((0, 2)).view(),
        )
        .unwrap();
        assert_eq!(by_list.design, best.design);
    }
}
