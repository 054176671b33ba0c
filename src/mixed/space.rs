//! The variables of a mixed space, its designs and their encoding.

use crate::{Bounds, Error, Result};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

/// The most designs or combinations a space will list: beyond, enumeration is the wrong
/// tool.
pub const ENUMERATION_LIMIT: usize = 1_000_000;

/// One variable of a [`MixedSpace`].
#[derive(Debug, Clone, PartialEq)]
pub enum Variable {
    /// A real number in [lower, upper], lower < upper.
    Continuous {
        /// Name, for messages.
        name: String,
        /// Lower bound.
        lower: f64,
        /// Upper bound.
        upper: f64,
    },
    /// An integer in {lower, …, upper}.
    Integer {
        /// Name, for messages.
        name: String,
        /// Smallest value.
        lower: i64,
        /// Largest value.
        upper: i64,
    },
    /// One of finitely many numbers (levels), such as times {10, 20, 30, 40, 50}: ordered,
    /// so encoded as a number.
    Discrete {
        /// Name, for messages.
        name: String,
        /// The levels, increasing.
        levels: Vec<f64>,
    },
    /// One of k unordered labels, given in a design by its index 0, …, k − 1.
    Categorical {
        /// Name, for messages.
        name: String,
        /// The labels.
        labels: Vec<String>,
    },
}

impl Variable {
    /// A continuous variable on [lower, upper].
    pub fn continuous(name: &str, lower: f64, upper: f64) -> Self {
        Variable::Continuous { name: name.into(), lower, upper }
    }

    /// An integer variable on {lower, …, upper}.
    pub fn integer(name: &str, lower: i64, upper: i64) -> Self {
        Variable::Integer { name: name.into(), lower, upper }
    }

    /// A discrete numeric variable with the given levels (sorted on construction of the
    /// space).
    pub fn discrete(name: &str, levels: &[f64]) -> Self {
        Variable::Discrete { name: name.into(), levels: levels.to_vec() }
    }

    /// A categorical variable with the given labels.
    pub fn categorical(name: &str, labels: &[&str]) -> Self {
        Variable::Categorical {
            name: name.into(),
            labels: labels.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The variable's name.
    pub fn name(&self) -> &str {
        match self {
            Variable::Continuous { name, .. }
            | Variable::Integer { name, .. }
            | Variable::Discrete { name, .. }
            | Variable::Categorical { name, .. } => name,
        }
    }

    /// Whether the variable is continuous.
    pub fn is_continuous(&self) -> bool {
        matches!(self, Variable::Continuous { .. })
    }

    /// The number of encoded columns: k for a categorical variable, 1 otherwise.
    pub fn encoded_width(&self) -> usize {
        match self {
            Variable::Categorical { labels, .. } => labels.len(),
            _ => 1,
        }
    }

    /// Every value of a non-continuous variable, in natural coordinates (`None` for a
    /// continuous one).
    pub fn values(&self) -> Option<Vec<f64>> {
        match self {
            Variable::Continuous { .. } => None,
            Variable::Integer { lower, upper, .. } => {
                Some((*lower..=*upper).map(|v| v as f64).collect())
            }
            Variable::Discrete { levels, .. } => Some(levels.clone()),
            Variable::Categorical { labels, .. } => {
                Some((0..labels.len()).map(|i| i as f64).collect())
            }
        }
    }

    /// The number of values of a non-continuous variable.
    fn count(&self) -> Option<u128> {
        match self {
            Variable::Continuous { .. } => None,
            Variable::Integer { lower, upper, .. } => {
                Some((*upper as i128 - *lower as i128 + 1) as u128)
            }
            Variable::Discrete { levels, .. } => Some(levels.len() as u128),
            Variable::Categorical { labels, .. } => Some(labels.len() as u128),
        }
    }

    /// The numeric range [lo, hi] a numeric variable is normalised over.
    fn range(&self) -> (f64, f64) {
        match self {
            Variable::Continuous { lower, upper, .. } => (*lower, *upper),
            Variable::Integer { lower, upper, .. } => {
                (*lower as f64, *upper as f64)
            }
            Variable::Discrete { levels, .. } => {
                (levels[0], levels[levels.len() - 1])
            }
            Variable::Categorical { labels, .. } => {
                (0.0, labels.len() as f64 - 1.0)
            }
        }
    }

    /// Checks one value in natural coordinates.
    fn check(&self, v: f64) -> std::result::Result<(), String> {
        if !v.is_finite() {
            return Err(format!("{}: the value {v} is not finite", self.name()));
        }
        let name = self.name();
        match self {
            Variable::Continuous { lower, upper, .. } => {
                if v < *lower || v > *upper {
                    return Err(format!(
                        "{name}: {v} is outside [{lower}, {upper}]"
                    ));
                }
            }
            Variable::Integer { lower, upper, .. } => {
                if v.fract() != 0.0 {
                    return Err(format!("{name}: {v} is not an integer"));
                }
                if v < *lower as f64 || v > *upper as f64 {
                    return Err(format!(
                        "{name}: {v} is outside {{{lower}, …, {upper}}}"
                    ));
                }
            }
            Variable::Discrete { levels, .. } => {
                if !levels.contains(&v) {
                    return Err(format!(
                        "{name}: {v} is not one of the levels {levels:?}"
                    ));
                }
            }
            Variable::Categorical { labels, .. } => {
                if v.fract() != 0.0 || v < 0.0 || v >= labels.len() as f64 {
                    return Err(format!(
                        "{name}: {v} is not a category index 0, …, {} ({})",
                        labels.len() - 1,
                        labels.join(", ")
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A space of designs: an ordered list of [`Variable`]s.
#[derive(Debug, Clone, PartialEq)]
pub struct MixedSpace {
    variables: Vec<Variable>,
}

impl MixedSpace {
    /// The space of the given variables, in order. Discrete levels are sorted.
    ///
    /// # Errors
    /// [`Error::Empty`] for no variable, a discrete variable with no level or a categorical
    /// one with no label; [`Error::NonFinite`] for a non-finite bound or level;
    /// [`Error::InvalidInput`] for a continuous variable with lower ≥ upper or a width
    /// that overflows, an integer one with lower > upper, repeated levels or labels.
    pub fn new(variables: Vec<Variable>) -> Result<Self> {
        if variables.is_empty() {
            return Err(Error::Empty { context: "MixedSpace: the variables" });
        }
        let invalid = |reason: String| {
            Err(Error::InvalidInput { context: "MixedSpace", reason })
        };
        let mut checked = Vec::with_capacity(variables.len());
        for v in variables {
            match v {
                Variable::Continuous { ref name, lower, upper } => {
                    if !(lower.is_finite() && upper.is_finite()) {
                        return Err(Error::NonFinite {
                            context: "MixedSpace: a bound",
                        });
                    }
                    if lower >= upper || !(upper - lower).is_finite() {
                        return invalid(format!(
                            "{name}: the bounds [{lower}, {upper}] are not an interval of \
                             finite positive width"
                        ));
                    }
                    checked.push(v);
                }
                Variable::Integer { ref name, lower, upper } => {
                    if lower > upper {
                        return invalid(format!(
                            "{name}: lower {lower} > upper {upper}"
                        ));
                    }
                    checked.push(v);
                }
                Variable::Discrete { name, mut levels } => {
                    if levels.is_empty() {
                        return Err(Error::Empty {
                            context: "MixedSpace: discrete levels",
                        });
                    }
                    if levels.iter().any(|l| !l.is_finite()) {
                        return Err(Error::NonFinite {
                            context: "MixedSpace: a level",
                        });
                    }
                    levels.sort_by(f64::total_cmp);
                    if levels.windows(2).any(|w| w[0] == w[1]) {
                        return invalid(format!("{name}: a level is repeated"));
                    }
                    if !(levels[levels.len() - 1] - levels[0]).is_finite() {
                        return invalid(format!(
                            "{name}: the range of the levels overflows"
                        ));
                    }
                    checked.push(Variable::Discrete { name, levels });
                }
                Variable::Categorical { ref name, ref labels } => {
                    if labels.is_empty() {
                        return Err(Error::Empty {
                            context: "MixedSpace: categorical labels",
                        });
                    }
                    let mut sorted = labels.clone();
                    sorted.sort();
                    sorted.dedup();
                    if sorted.len() != labels.len() {
                        return invalid(format!("{name}: a label is repeated"));
                    }
                    checked.push(v);
                }
            }
        }
        Ok(MixedSpace { variables: checked })
    }

    /// The variables, in order.
    pub fn variables(&self) -> &[Variable] {
        &self.variables
    }

    /// The number of variables: the length of a design in natural coordinates.
    pub fn dim(&self) -> usize {
        self.variables.len()
    }

    /// The number of encoded columns: one per numeric variable, k per categorical one.
    pub fn encoded_dim(&self) -> usize {
        self.variables.iter().map(Variable::encoded_width).sum()
    }

    /// The box of encoded designs, the unit cube [0, 1]^(encoded dim): what a model of
    /// encoded designs normalises with.
    ///
    /// # Errors
    /// None in practice (the space has at least one column).
    pub fn encoded_bounds(&self) -> Result<Bounds> {
        Bounds::unit(self.encoded_dim())
    }

    /// The indices of the continuous variables, in order.
    pub fn continuous_indices(&self) -> Vec<usize> {
        (0..self.dim()).filter(|&i| self.variables[i].is_continuous()).collect()
    }

    /// Checks one design in natural coordinates.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless it has one value per variable;
    /// [`Error::InvalidInput`] naming the variable for a value outside its range or set, an
    /// integer with a fractional part, a category index that is not one of 0, …, k − 1, or
    /// a non-finite value.
    pub fn check(&self, design: ArrayView1<'_, f64>) -> Result<()> {
        if design.len() != self.dim() {
            return Err(Error::ShapeMismatch {
                context: "MixedSpace: a design",
                expected: vec![self.dim()],
                found: vec![design.len()],
            });
        }
        for (v, &x) in self.variables.iter().zip(design.iter()) {
            v.check(x).map_err(|reason| Error::InvalidInput {
                context: "MixedSpace: a design",
                reason,
            })?;
        }
        Ok(())
    }

    /// Checks every row of `designs` (n × number of variables).
    ///
    /// # Errors
    /// As [`MixedSpace::check`], for the first row that fails.
    pub fn check_all(&self, designs: ArrayView2<'_, f64>) -> Result<()> {
        if designs.ncols() != self.dim() {
            return Err(Error::ShapeMismatch {
                context: "MixedSpace: designs",
                expected: vec![designs.nrows(), self.dim()],
                found: designs.shape().to_vec(),
            });
        }
        designs.rows().into_iter().try_for_each(|row| self.check(row))
    }

    /// The encoding of designs (n × number of variables) for a model, n × encoded dim:
    /// numeric variables as (x − lo)/(hi − lo) over their range (0 for a variable with a
    /// single value), categorical ones one-hot.
    ///
    /// # Errors
    /// As [`MixedSpace::check_all`].
    pub fn encode(&self, designs: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        self.check_all(designs)?;
        let mut out = Array2::zeros((designs.nrows(), self.encoded_dim()));
        for (r, design) in designs.rows().into_iter().enumerate() {
            let mut col = 0;
            for (v, &x) in self.variables.iter().zip(design.iter()) {
                match v {
                    // A checked index 0 ≤ x < k.
                    Variable::Categorical { .. } => {
                        out[[r, col + x as usize]] = 1.0
                    }
                    _ => out[[r, col]] = normalise(v.range(), x),
                }
                col += v.encoded_width();
            }
        }
        Ok(out)
    }

    /// The design nearest to an encoded point (encoded dim), in natural coordinates:
    /// numeric columns mapped back to their range and clamped to it, integers rounded (half
    /// away from zero), discrete values moved to the nearest level (the lower on a tie),
    /// each categorical variable the level of its largest column (the first on a tie).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] for the wrong length, [`Error::NonFinite`] for a non-finite
    /// entry.
    pub fn decode(&self, encoded: ArrayView1<'_, f64>) -> Result<Array1<f64>> {
        if encoded.len() != self.encoded_dim() {
            return Err(Error::ShapeMismatch {
                context: "MixedSpace::decode",
                expected: vec![self.encoded_dim()],
                found: vec![encoded.len()],
            });
        }
        if encoded.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context: "MixedSpace::decode" });
        }
        let mut out = Array1::zeros(self.dim());
        let mut col = 0;
        for (i, v) in self.variables.iter().enumerate() {
            let (lo, hi) = v.range();
            let u = encoded[col];
            out[i] = match v {
                Variable::Continuous { .. } => (lo + u * (hi - lo)).clamp(lo, hi),
                Variable::Integer { .. } => {
                    (lo + u * (hi - lo)).round().clamp(lo, hi)
                }
                Variable::Discrete { levels, .. } => {
                    let x = lo + u * (hi - lo);
                    let mut best = levels[0];
                    for &l in &levels[1..] {
                        if (l - x).abs() < (best - x).abs() {
                            best = l;
                        }
                    }
                    best
                }
                Variable::Categorical { labels, .. } => {
                    let mut best = 0;
                    for k in 1..labels.len() {
                        if encoded[col + k] > encoded[col + best] {
                            best = k;
                        }
                    }
                    best as f64
                }
            };
            col += v.encoded_width();
        }
        Ok(out)
    }

    /// The first `n` points of a scrambled Sobol sequence in the unit cube of dimension
    /// [`MixedSpace::dim`], as designs: a continuous variable at lo + u (hi − lo); an
    /// integer, discrete or categorical variable of k values at its value number ⌊u k⌋ (so
    /// that every value is equally likely, the end points of an integer range included).
    /// The space-filling initial design of a campaign; a campaign that continues its design
    /// takes rows of a longer draw with the same seed.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a space of more variables than the Sobol sequence has
    /// dimensions.
    pub fn sobol_designs(&self, n: usize, seed: u64) -> Result<Array2<f64>> {
        let unit = crate::sampling::draw_sobol_samples(
            &Bounds::unit(self.dim())?,
            n,
            seed,
        )?;
        let mut out = Array2::zeros((n, self.dim()));
        for (j, v) in self.variables.iter().enumerate() {
            for r in 0..n {
                let u = unit[[r, j]].clamp(0.0, 1.0);
                out[[r, j]] = match v {
                    Variable::Continuous { lower, upper, .. } => {
                        (lower + u * (upper - lower)).clamp(*lower, *upper)
                    }
                    Variable::Integer { lower, upper, .. } => {
                        let count = (*upper as f64) - (*lower as f64) + 1.0;
                        ((*lower as f64) + (u * count).floor()).min(*upper as f64)
                    }
                    Variable::Discrete { levels, .. } => {
                        levels[pick(u, levels.len())]
                    }
                    Variable::Categorical { labels, .. } => {
                        pick(u, labels.len()) as f64
                    }
                };
            }
        }
        Ok(out)
    }

    /// Every design of a space without continuous variables (one per row, the last
    /// variable varying fastest).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if a variable is continuous or the space holds more than
    /// [`ENUMERATION_LIMIT`] designs.
    pub fn enumerate(&self) -> Result<Array2<f64>> {
        if let Some(v) = self.variables.iter().find(|v| v.is_continuous()) {
            return Err(Error::InvalidInput {
                context: "MixedSpace::enumerate",
                reason: format!(
                    "{} is continuous: the space is not finite",
                    v.name()
                ),
            });
        }
        let rows = self.product(
            &(0..self.dim()).collect::<Vec<_>>(),
            "MixedSpace::enumerate",
        )?;
        Ok(rows)
    }

    /// Every combination of the values of the non-continuous variables, each with the
    /// continuous variables' full ranges (the caller may narrow them with
    /// [`Combination::new`]).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for more than [`ENUMERATION_LIMIT`] combinations.
    pub fn combinations(&self) -> Result<Vec<Combination>> {
        let fixed: Vec<usize> = (0..self.dim())
            .filter(|&i| !self.variables[i].is_continuous())
            .collect();
        let rows = self.product(&fixed, "MixedSpace::combinations")?;
        let bounds = self.full_continuous_bounds()?;
        Ok(rows
            .rows()
            .into_iter()
            .map(|r| Combination { fixed: r.to_vec(), bounds: bounds.clone() })
            .collect())
    }

    fn full_continuous_bounds(&self) -> Result<Option<Bounds>> {
        let idx = self.continuous_indices();
        if idx.is_empty() {
            return Ok(None);
        }
        let (lo, hi): (Vec<f64>, Vec<f64>) =
            idx.iter().map(|&i| self.variables[i].range()).unzip();
        Bounds::new(Array1::from(lo), Array1::from(hi)).map(Some)
    }

    /// The product of the value sets of the variables `which` (non-continuous), one row per
    /// combination, the last varying fastest.
    fn product(
        &self,
        which: &[usize],
        context: &'static str,
    ) -> Result<Array2<f64>> {
        let mut total: u128 = 1;
        for &i in which {
            total = total
                .saturating_mul(self.variables[i].count().unwrap_or(u128::MAX));
        }
        if total > ENUMERATION_LIMIT as u128 {
            return Err(Error::InvalidInput {
                context,
                reason: format!(
                    "{total} combinations exceed the limit of {ENUMERATION_LIMIT}: optimise \
                     over the numbers instead of listing them"
                ),
            });
        }
        let sets: Vec<Vec<f64>> = which
            .iter()
            .map(|&i| self.variables[i].values().unwrap_or_default())
            .collect();
        let n = total as usize;
        let mut out = Array2::zeros((n, which.len()));
        for r in 0..n {
            let mut rest = r;
            for (j, set) in sets.iter().enumerate().rev() {
                out[[r, j]] = set[rest % set.len()];
                rest /= set.len();
            }
        }
        Ok(out)
    }
}

/// The index ⌊u k⌋ of one of k values, for u in [0, 1].
fn pick(u: f64, k: usize) -> usize {
    ((u * k as f64) as usize).min(k - 1)
}

fn normalise((lo, hi): (f64, f64), x: f64) -> f64 {
    if hi > lo {
        (x - lo) / (hi - lo)
    } else {
        0.0
    }
}

/// Fixed values of the non-continuous variables of a [`MixedSpace`] with bounds for its
/// continuous ones: one sub-problem of [`crate::mixed::optimize_acqf_mixed`].
#[derive(Debug, Clone, PartialEq)]
pub struct Combination {
    /// The values of the non-continuous variables, in the space's order.
    pub fixed: Vec<f64>,
    /// The box of the continuous variables, in the space's order (`None` if there are none).
    pub bounds: Option<Bounds>,
}

impl Combination {
    /// The combination `fixed` with the continuous variables restricted to `lower` ≤ x ≤
    /// `upper` (one entry per continuous variable; empty slices when there are none).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] for the wrong number of values or bounds;
    /// [`Error::InvalidInput`] for a value outside its variable's set, bounds outside the
    /// variables' ranges or not forming a box (see [`Bounds::new`]).
    pub fn new(
        space: &MixedSpace,
        fixed: &[f64],
        lower: &[f64],
        upper: &[f64],
    ) -> Result<Self> {
        let continuous = space.continuous_indices();
        let n_fixed = space.dim() - continuous.len();
        if fixed.len() != n_fixed {
            return Err(Error::ShapeMismatch {
                context: "Combination: the fixed values",
                expected: vec![n_fixed],
                found: vec![fixed.len()],
            });
        }
        if lower.len() != continuous.len() || upper.len() != continuous.len() {
            return Err(Error::ShapeMismatch {
                context: "Combination: the continuous bounds",
                expected: vec![continuous.len()],
                found: vec![lower.len(), upper.len()],
            });
        }
        let vars = space.variables().iter().filter(|v| !v.is_continuous());
        for (v, &x) in vars.zip(fixed) {
            v.check(x).map_err(|reason| Error::InvalidInput {
                context: "Combination",
                reason,
            })?;
        }
        let bounds = if continuous.is_empty() {
            None
        } else {
            let b = Bounds::new(
                Array1::from(lower.to_vec()),
                Array1::from(upper.to_vec()),
            )?;
            for (k, &i) in continuous.iter().enumerate() {
                let (lo, hi) = space.variables()[i].range();
                if lower[k] < lo || upper[k] > hi {
                    return Err(Error::InvalidInput {
                        context: "Combination",
                        reason: format!(
                            "{}: [{}, {}] is not inside [{lo}, {hi}]",
                            space.variables()[i].name(),
                            lower[k],
                            upper[k]
                        ),
                    });
                }
            }
            Some(b)
        };
        Ok(Combination { fixed: fixed.to_vec(), bounds })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn catalyst_like() -> MixedSpace {
        MixedSpace::new(vec![
            Variable::continuous("T", 40.0, 140.0),
            Variable::continuous("L", 0.01, 0.20),
            Variable::discrete("t", &[50.0, 10.0, 20.0, 30.0, 40.0]),
            Variable::categorical("s", &["A", "B", "C"]),
        ])
        .unwrap()
    }

    #[test]
    fn designs_encode_numbers_normalised_and_categories_one_hot() {
        let s = catalyst_like();
        assert_eq!((s.dim(), s.encoded_dim()), (4, 6));
        let x = array![[90.0, 0.105, 20.0, 2.0], [40.0, 0.2, 50.0, 0.0]];
        let e = s.encode(x.view()).unwrap();
        let expected =
            array![[0.5, 0.5, 0.25, 0.0, 0.0, 1.0], [0.0, 1.0, 1.0, 1.0, 0.0, 0.0]];
        assert!((&e - &expected).iter().all(|d| d.abs() < 1e-15), "{e}");
        for r in 0..2 {
            let back = s.decode(e.row(r)).unwrap();
            assert!((&back - &x.row(r)).iter().all(|d| d.abs() < 1e-14), "{back}");
        }
        // Decoding a relaxed point: the nearest level, the largest one-hot column.
        let back = s.decode(array![1.3, 0.0, 0.3, 0.2, 0.7, 0.1].view()).unwrap();
        assert_eq!(back, array![140.0, 0.01, 20.0, 1.0]);
    }

    #[test]
    fn bad_designs_are_named_errors() {
        let s = catalyst_like();
        let reason = |x: Array1<f64>| match s.check(x.view()) {
            Err(Error::InvalidInput { reason, .. }) => reason,
            other => panic!("{other:?}"),
        };
        assert!(
            reason(array![90.0, 0.1, 20.0, 3.0]).contains("not a category index")
        );
        assert!(reason(array![90.0, 0.1, 20.0, 1.5]).contains("s:"));
        assert!(
            reason(array![90.0, 0.1, 25.0, 1.0]).contains("t: 25 is not one of")
        );
        assert!(reason(array![150.0, 0.1, 20.0, 1.0]).contains("T: 150 is outside"));
        assert!(reason(array![f64::NAN, 0.1, 20.0, 1.0]).contains("not finite"));
        assert!(matches!(
            s.check(array![1.0].view()),
            Err(Error::ShapeMismatch { .. })
        ));
        let n = MixedSpace::new(vec![Variable::integer("n", 1, 4)]).unwrap();
        assert!(matches!(
            n.check(array![2.5].view()),
            Err(Error::InvalidInput { .. })
        ));
        assert!(n.check(array![4.0].view()).is_ok());
    }

    #[test]
    fn empty_and_malformed_spaces_are_refused() {
        assert!(matches!(MixedSpace::new(vec![]), Err(Error::Empty { .. })));
        assert!(matches!(
            MixedSpace::new(vec![Variable::categorical("s", &[])]),
            Err(Error::Empty { .. })
        ));
        assert!(matches!(
            MixedSpace::new(vec![Variable::discrete("t", &[])]),
            Err(Error::Empty { .. })
        ));
        for bad in [
            Variable::continuous("x", 1.0, 1.0),
            Variable::continuous("x", -f64::MAX, f64::MAX),
            Variable::integer("n", 3, 2),
            Variable::discrete("t", &[1.0, 1.0]),
            Variable::categorical("s", &["A", "A"]),
        ] {
            assert!(matches!(
                MixedSpace::new(vec![bad]),
                Err(Error::InvalidInput { .. })
            ));
        }
        assert!(matches!(
            MixedSpace::new(vec![Variable::continuous("x", 0.0, f64::INFINITY)]),
            Err(Error::NonFinite { .. })
        ));
    }

    #[test]
    fn finite_spaces_enumerate_and_combinations_carry_the_full_box() {
        let s = MixedSpace::new(vec![
            Variable::integer("n", 1, 3),
            Variable::categorical("s", &["A", "B"]),
        ])
        .unwrap();
        let all = s.enumerate().unwrap();
        assert_eq!(
            all,
            array![
                [1.0, 0.0],
                [1.0, 1.0],
                [2.0, 0.0],
                [2.0, 1.0],
                [3.0, 0.0],
                [3.0, 1.0]
            ]
        );
        let c = catalyst_like();
        assert!(matches!(c.enumerate(), Err(Error::InvalidInput { .. })));
        let combos = c.combinations().unwrap();
        assert_eq!(combos.len(), 15);
        assert_eq!(combos[1].fixed, vec![10.0, 1.0]);
        let b = combos[0].bounds.as_ref().unwrap();
        assert_eq!((b.lower()[0], b.upper()[1]), (40.0, 0.20));
        let huge =
            MixedSpace::new(vec![Variable::integer("n", 0, i64::MAX)]).unwrap();
        assert!(matches!(huge.enumerate(), Err(Error::InvalidInput { .. })));
    }

    #[test]
    fn sobol_designs_lie_in_the_space_and_cover_every_value() {
        let s = MixedSpace::new(vec![
            Variable::continuous("T", 40.0, 140.0),
            Variable::integer("n", 1, 4),
            Variable::discrete("t", &[10.0, 20.0]),
            Variable::categorical("s", &["A", "B", "C", "D"]),
        ])
        .unwrap();
        let x = s.sobol_designs(16, 3).unwrap();
        s.check_all(x.view()).unwrap();
        // 16 balanced Sobol points: each of the four integers and four labels 4 times, each
        // of the two levels 8 times, and the temperatures one per sixteenth of the range.
        for (col, values, each) in [
            (1, vec![1.0, 2.0, 3.0, 4.0], 4),
            (2, vec![10.0, 20.0], 8),
            (3, vec![0.0, 1.0, 2.0, 3.0], 4),
        ] {
            for v in values {
                assert_eq!(x.column(col).iter().filter(|&&c| c == v).count(), each);
            }
        }
        let mut bins: Vec<usize> = x
            .column(0)
            .iter()
            .map(|t| ((t - 40.0) / 100.0 * 16.0) as usize)
            .collect();
        bins.sort();
        assert_eq!(bins, (0..16).collect::<Vec<_>>());
        // A longer draw with the same seed starts with the same designs.
        let longer = s.sobol_designs(20, 3).unwrap();
        assert_eq!(longer.slice(ndarray::s![..16, ..]), x);
        assert_eq!(s.sobol_designs(0, 3).unwrap().nrows(), 0);
    }

    #[test]
    fn combinations_check_their_values_and_windows() {
        let s = catalyst_like();
        let c = Combination::new(&s, &[20.0, 0.0], &[65.0, 0.01], &[85.0, 0.12])
            .unwrap();
        assert_eq!(c.bounds.unwrap().upper()[0], 85.0);
        assert!(matches!(
            Combination::new(&s, &[20.0, 5.0], &[65.0, 0.01], &[85.0, 0.12]),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            Combination::new(&s, &[20.0, 0.0], &[30.0, 0.01], &[85.0, 0.12]),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            Combination::new(&s, &[20.0], &[65.0, 0.01], &[85.0, 0.12]),
            Err(Error::ShapeMismatch { .. })
        ));
    }
}
