//! The campaign file: a TOML description of the variables, the objectives and how the
//! campaign runs, checked and mapped onto the library's [`MixedSpace`].
//!
//! ```toml
//! name = "catalyst screening"
//! seed = 7
//! batch_size = 2          # suggestions per `suggest` unless --batch says otherwise
//! initial_design = 8      # Sobol designs before the model decides (default 2 × variables)
//!
//! [[variables]]
//! name = "temperature"
//! type = "continuous"     # a real number in [lower, upper]
//! lower = 40.0
//! upper = 140.0
//!
//! [[variables]]
//! name = "stirrers"
//! type = "integer"        # an integer in {lower, …, upper}
//! lower = 1
//! upper = 5
//!
//! [[variables]]
//! name = "solvent"
//! type = "categorical"    # one of unordered labels
//! values = ["water", "ethanol", "toluene"]
//!
//! [[objectives]]          # one, or several (up to 4) for a Pareto campaign
//! name = "yield"
//! direction = "maximise"  # or "minimise"
//!
//! [[objectives]]
//! name = "impurity"
//! direction = "minimise"
//! reference = 5.0         # optional: the worst value that still counts (Pareto only)
//!
//! [cost]                  # optional: a cost recorded with each result
//! name = "hours"
//! ```
//!
//! A `discrete` variable (ordered numeric levels) takes `values = [10, 20, 30]`.
//! With several objectives the campaign looks for the Pareto front; each objective's
//! `reference` bounds the region whose hypervolume is measured and maximised. An objective
//! without one gets BoTorch's inferred reference: the worst value on the observed front
//! less a tenth of the front's range.
//! Every error names the line and column of the file where it was found.

use crate::error::{Error, Result};
use gradbo::acquisition::Direction;
use gradbo::mixed::{MixedSpace, Variable};
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

/// Names a variable or objective may not take: they are columns of the results files.
pub const RESERVED: [&str; 4] = ["id", "status", "review", "reason"];

/// A checked campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    /// The campaign's name.
    pub name: String,
    /// The seed every random choice derives from.
    pub seed: u64,
    /// Suggestions per `suggest` by default.
    pub batch_size: usize,
    /// Designs drawn from a Sobol sequence before the model decides.
    pub initial_design: usize,
    /// The space of designs.
    pub space: MixedSpace,
    /// The objectives: one, or several for a Pareto campaign.
    pub objectives: Vec<Objective>,
    /// The name of the cost recorded with each result, if the campaign records one.
    pub cost: Option<String>,
}

/// One objective.
#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    /// Its name: the column of the results files.
    pub name: String,
    /// Which way is better.
    pub direction: Direction,
    /// The worst value that still counts, in the objective's units (several objectives
    /// only); `None` to infer it from the observations.
    pub reference: Option<f64>,
}

/// The largest number of objectives: the boxes qEHVI sums over grow quickly with it.
pub const MAX_OBJECTIVES: usize = 4;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCampaign {
    name: String,
    seed: u64,
    batch_size: Option<Spanned<i64>>,
    initial_design: Option<Spanned<i64>>,
    variables: Spanned<Vec<Spanned<RawVariable>>>,
    objectives: Spanned<Vec<Spanned<RawObjective>>>,
    cost: Option<RawCost>,
}

/// A variable as written: which fields it needs depends on its type, checked after
/// reading so that every error points at the field at fault.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariable {
    name: String,
    #[serde(rename = "type")]
    kind: Spanned<String>,
    lower: Option<Spanned<toml::Value>>,
    upper: Option<Spanned<toml::Value>>,
    values: Option<Spanned<Vec<toml::Value>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjective {
    name: String,
    direction: RawDirection,
    reference: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum RawDirection {
    #[serde(alias = "maximize", alias = "max")]
    Maximise,
    #[serde(alias = "minimize", alias = "min")]
    Minimise,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCost {
    name: String,
}

/// "line L, column C" of a byte offset in `text` (both from 1).
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn located(
    file: &str,
    text: &str,
    span: Option<Range<usize>>,
    message: &str,
) -> Error {
    match span {
        Some(span) => {
            let (line, column) = line_column(text, span.start);
            Error::input(format!("{file}:{line}:{column}: {message}"))
        }
        None => Error::input(format!("{file}: {message}")),
    }
}

impl Campaign {
    /// Reads and checks a campaign file's text; `file` names it in messages.
    ///
    /// # Errors
    /// An input error naming the file, line and column: TOML syntax, a missing or unknown
    /// field, a value of the wrong type, bounds that are not an interval, a repeated or
    /// reserved name, no objective or more than [`MAX_OBJECTIVES`], a reference value that
    /// is not a finite number (or one for a single objective), a batch size or initial
    /// design of 0.
    pub fn parse(file: &str, text: &str) -> Result<Campaign> {
        let raw: RawCampaign = toml::from_str(text)
            .map_err(|e| located(file, text, e.span(), e.message().trim_end()))?;
        let at = |span: Range<usize>, message: String| {
            located(file, text, Some(span), &message)
        };
        let mut names: Vec<String> = Vec::new();
        let mut check_name = |name: &str, span: Range<usize>| -> Result<()> {
            if name.trim().is_empty() || name.trim() != name || name.contains(',') {
                return Err(at(
                    span,
                    format!(
                        "the name {name:?} must be non-empty, without surrounding spaces or commas"
                    ),
                ));
            }
            if RESERVED.contains(&name) {
                return Err(at(
                    span,
                    format!("the name {name:?} is reserved (a column of the results files)"),
                ));
            }
            if names.iter().any(|n| n == name) {
                return Err(at(span, format!("the name {name:?} is used twice")));
            }
            names.push(name.to_string());
            Ok(())
        };
        if raw.variables.get_ref().is_empty() {
            return Err(at(
                raw.variables.span(),
                "no variables: give at least one".into(),
            ));
        }
        let mut variables = Vec::new();
        for v in raw.variables.get_ref() {
            let span = v.span();
            let r = v.get_ref();
            let name = &r.name;
            check_name(name, span.clone())?;
            let kind = r.kind.get_ref().as_str();
            let missing = |what: &str| {
                at(
                    span.clone(),
                    format!("{name}: a {kind} variable needs `{what}`"),
                )
            };
            let refuse = |present: bool, what: &str| {
                if present {
                    Err(at(
                        span.clone(),
                        format!("{name}: a {kind} variable takes no `{what}`"),
                    ))
                } else {
                    Ok(())
                }
            };
            let number = |field: &Spanned<toml::Value>| match field.get_ref() {
                toml::Value::Float(x) => Ok(*x),
                toml::Value::Integer(i) => Ok(*i as f64),
                other => Err(at(
                    field.span(),
                    format!(
                        "{name}: expected a number, found {}",
                        other.type_str()
                    ),
                )),
            };
            let integer = |field: &Spanned<toml::Value>| match field.get_ref() {
                toml::Value::Integer(i) => Ok(*i),
                other => Err(at(
                    field.span(),
                    format!(
                        "{name}: expected an integer, found {}",
                        toml_text(other)
                    ),
                )),
            };
            let variable = match kind {
                "continuous" => {
                    refuse(r.values.is_some(), "values")?;
                    let lo = r.lower.as_ref().ok_or_else(|| missing("lower"))?;
                    let hi = r.upper.as_ref().ok_or_else(|| missing("upper"))?;
                    let (lower, upper) = (number(lo)?, number(hi)?);
                    if !(lower.is_finite() && upper.is_finite() && lower < upper) {
                        return Err(at(
                            lo.span(),
                            format!(
                                "{name}: the bounds [{lower}, {upper}] must be finite with lower < upper"
                            ),
                        ));
                    }
                    Variable::continuous(name, lower, upper)
                }
                "integer" => {
                    refuse(r.values.is_some(), "values")?;
                    let lo = r.lower.as_ref().ok_or_else(|| missing("lower"))?;
                    let hi = r.upper.as_ref().ok_or_else(|| missing("upper"))?;
                    let (lower, upper) = (integer(lo)?, integer(hi)?);
                    if lower > upper {
                        return Err(at(
                            lo.span(),
                            format!("{name}: lower {lower} is greater than upper {upper}"),
                        ));
                    }
                    Variable::integer(name, lower, upper)
                }
                "discrete" | "categorical" => {
                    refuse(r.lower.is_some(), "lower")?;
                    refuse(r.upper.is_some(), "upper")?;
                    let values = r.values.as_ref().ok_or_else(|| missing("values"))?;
                    if values.get_ref().is_empty() {
                        return Err(at(values.span(), format!("{name}: give at least one value")));
                    }
                    if kind == "discrete" {
                        let mut levels = Vec::new();
                        for x in values.get_ref() {
                            match x {
                                toml::Value::Float(f) if f.is_finite() => levels.push(*f),
                                toml::Value::Integer(i) => levels.push(*i as f64),
                                other => {
                                    return Err(at(
                                        values.span(),
                                        format!(
                                            "{name}: the values must be finite numbers, found {}",
                                            toml_text(other)
                                        ),
                                    ))
                                }
                            }
                        }
                        Variable::discrete(name, &levels)
                    } else {
                        let mut labels = Vec::new();
                        for x in values.get_ref() {
                            match x {
                                toml::Value::String(l)
                                    if !l.trim().is_empty() && l.trim() == l.as_str() =>
                                {
                                    labels.push(l.as_str())
                                }
                                other => {
                                    return Err(at(
                                        values.span(),
                                        format!(
                                            "{name}: the values must be non-empty strings without \
                                             surrounding spaces, found {}",
                                            toml_text(other)
                                        ),
                                    ))
                                }
                            }
                        }
                        Variable::categorical(name, &labels)
                    }
                }
                other => {
                    return Err(at(
                        r.kind.span(),
                        format!(
                            "{name}: unknown type {other:?} (continuous, integer, discrete or categorical)"
                        ),
                    ))
                }
            };
            // The library checks the rest (repeated levels or labels, overflowing ranges).
            MixedSpace::new(vec![variable.clone()])
                .map_err(|e| at(span.clone(), library_reason(e)))?;
            variables.push(variable);
        }
        let space = MixedSpace::new(variables)
            .map_err(|e| located(file, text, None, &library_reason(e)))?;
        let objectives_span = raw.objectives.span();
        let mut objectives = Vec::new();
        for o in raw.objectives.get_ref() {
            let r = o.get_ref();
            check_name(&r.name, o.span())?;
            let direction = match r.direction {
                RawDirection::Maximise => Direction::Maximise,
                RawDirection::Minimise => Direction::Minimise,
            };
            let reference = match &r.reference {
                None => None,
                Some(field) => match field.get_ref() {
                    toml::Value::Float(x) if x.is_finite() => Some(*x),
                    toml::Value::Integer(i) => Some(*i as f64),
                    other => {
                        return Err(at(
                            field.span(),
                            format!(
                            "{}: the reference must be a finite number, found {}",
                            r.name,
                            toml_text(other)
                        ),
                        ))
                    }
                },
            };
            objectives.push(Objective {
                name: r.name.clone(),
                direction,
                reference,
            });
        }
        match objectives.len() {
            0 => {
                return Err(at(objectives_span, "no objectives: give one".into()));
            }
            1 => {
                if let Some(field) =
                    &raw.objectives.get_ref()[0].get_ref().reference
                {
                    return Err(at(
                        field.span(),
                        format!(
                            "{}: a reference is for a campaign of several objectives \
                             (the hypervolume of a Pareto front)",
                            objectives[0].name
                        ),
                    ));
                }
            }
            n if n > MAX_OBJECTIVES => {
                return Err(at(
                    objectives_span,
                    format!(
                        "{n} objectives: at most {MAX_OBJECTIVES} are supported"
                    ),
                ));
            }
            _ => {}
        }
        if let Some(cost) = &raw.cost {
            check_name(&cost.name, 0..0).map_err(|_| {
                located(
                    file,
                    text,
                    None,
                    &format!(
                        "cost: the name {:?} is empty, reserved or already used",
                        cost.name
                    ),
                )
            })?;
        }
        let positive = |v: &Option<Spanned<i64>>,
                        what: &str,
                        default: usize|
         -> Result<usize> {
            match v {
                None => Ok(default),
                Some(s) if *s.get_ref() >= 1 && *s.get_ref() <= 10_000 => {
                    Ok(*s.get_ref() as usize)
                }
                Some(s) => Err(at(
                    s.span(),
                    format!(
                        "{what} must be between 1 and 10000, got {}",
                        s.get_ref()
                    ),
                )),
            }
        };
        let batch_size = positive(&raw.batch_size, "batch_size", 1)?;
        let initial_design = positive(
            &raw.initial_design,
            "initial_design",
            (2 * space.dim()).max(2),
        )?;
        Ok(Campaign {
            name: raw.name,
            seed: raw.seed,
            batch_size,
            initial_design,
            space,
            objectives,
            cost: raw.cost.map(|c| c.name),
        })
    }

    /// The objective of a single-objective campaign (the first of a Pareto campaign's).
    pub fn objective(&self) -> &Objective {
        &self.objectives[0]
    }

    /// Whether the campaign has several objectives (a Pareto campaign).
    pub fn is_pareto(&self) -> bool {
        self.objectives.len() > 1
    }

    /// The objectives' names, in order.
    pub fn objective_names(&self) -> Vec<&str> {
        self.objectives.iter().map(|o| o.name.as_str()).collect()
    }

    /// The variables, in order.
    pub fn variables(&self) -> &[Variable] {
        self.space.variables()
    }
}

fn toml_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

fn library_reason(e: gradbo::Error) -> String {
    match e {
        gradbo::Error::InvalidInput { reason, .. } => reason,
        other => other.to_string(),
    }
}

/// A variable's value in natural coordinates as text: a category's label, an integer
/// without a fraction, a real number in its shortest exact form.
pub fn format_value(variable: &Variable, x: f64) -> String {
    match variable {
        Variable::Categorical { labels, .. } => {
            labels.get(x as usize).cloned().unwrap_or_else(|| x.to_string())
        }
        Variable::Integer { .. } => format!("{}", x as i64),
        _ => format!("{x}"),
    }
}

/// A variable's value as a person reads it: as [`format_value`], with a real number
/// rounded to 6 significant digits (exports and JSON keep every digit).
pub fn display_value(variable: &Variable, x: f64) -> String {
    match variable {
        Variable::Continuous { .. } | Variable::Discrete { .. } if x != 0.0 => {
            let digits = (5 - x.abs().log10().floor() as i32).clamp(0, 17) as usize;
            let text = format!("{x:.digits$}");
            if text.contains('.') {
                text.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                text
            }
        }
        _ => format_value(variable, x),
    }
}

/// A variable's value from text, in natural coordinates.
///
/// # Errors
/// A message saying why the text is not a value of the variable.
pub fn parse_value(
    variable: &Variable,
    text: &str,
) -> std::result::Result<f64, String> {
    let text = text.trim();
    let name = variable.name();
    let x = match variable {
        Variable::Categorical { labels, .. } => {
            return labels
                .iter()
                .position(|l| l == text)
                .map(|i| i as f64)
                .ok_or_else(|| {
                    format!("{name}: {text:?} is not one of {}", labels.join(", "))
                })
        }
        Variable::Integer { .. } => text
            .parse::<i64>()
            .map(|v| v as f64)
            .map_err(|_| format!("{name}: {text:?} is not an integer"))?,
        _ => parse_number(text).map_err(|m| format!("{name}: {m}"))?,
    };
    let one = MixedSpace::new(vec![variable.clone()]).map_err(|e| e.to_string())?;
    one.check(ndarray::array![x].view()).map_err(library_reason)?;
    Ok(x)
}

/// A finite number from text.
///
/// # Errors
/// A message for text that is not a number, or is NaN or infinite.
pub fn parse_number(text: &str) -> std::result::Result<f64, String> {
    let text = text.trim();
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(format!("{text:?} is not a finite number")),
        Err(_) => Err(format!("{text:?} is not a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"name = "demo"
seed = 3
batch_size = 2

[[variables]]
name = "T"
type = "continuous"
lower = 40
upper = 140.5

[[variables]]
name = "n"
type = "integer"
lower = 1
upper = 4

[[variables]]
name = "s"
type = "categorical"
values = ["water", "ethanol"]

[[objectives]]
name = "yield"
direction = "maximise"
"#;

    #[test]
    fn a_good_file_maps_onto_a_mixed_space() {
        let c = Campaign::parse("c.toml", GOOD).unwrap();
        assert_eq!(
            (c.name.as_str(), c.seed, c.batch_size, c.initial_design),
            ("demo", 3, 2, 6)
        );
        assert_eq!(c.space.dim(), 3);
        assert_eq!(c.space.encoded_dim(), 4);
        assert_eq!(c.objective().direction, Direction::Maximise);
        let s = &c.variables()[2];
        assert_eq!(parse_value(s, "ethanol"), Ok(1.0));
        assert_eq!(format_value(s, 1.0), "ethanol");
        assert_eq!(format_value(&c.variables()[1], 3.0), "3");
        let t = &c.variables()[0];
        assert_eq!(display_value(t, 54.56797565005474), "54.568");
        assert_eq!(display_value(t, 132.196034075061), "132.196");
        assert_eq!(display_value(t, 40.0), "40");
        assert_eq!(display_value(t, 0.000123456789), "0.000123457");
        assert!(parse_value(&c.variables()[1], "2.5")
            .unwrap_err()
            .contains("not an integer"));
        assert!(parse_value(&c.variables()[0], "150")
            .unwrap_err()
            .contains("outside"));
        assert!(parse_value(&c.variables()[0], "NaN")
            .unwrap_err()
            .contains("finite"));
    }

    fn error(text: &str) -> String {
        Campaign::parse("c.toml", text).unwrap_err().message
    }

    #[test]
    fn several_objectives_make_a_pareto_campaign() {
        let text = format!(
            "{GOOD}\n[[objectives]]\nname = \"cost\"\ndirection = \"min\"\nreference = 12\n"
        );
        let c = Campaign::parse("c.toml", &text).unwrap();
        assert!(c.is_pareto());
        assert_eq!(c.objective_names(), vec!["yield", "cost"]);
        assert_eq!(c.objectives[1].direction, Direction::Minimise);
        assert_eq!(c.objectives[1].reference, Some(12.0));
        assert_eq!(c.objectives[0].reference, None);
        assert!(!Campaign::parse("c.toml", GOOD).unwrap().is_pareto());
        let twice = text.replace("name = \"cost\"", "name = \"yield\"");
        assert!(error(&twice).contains("\"yield\" is used twice"));
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let bounds = GOOD.replace("upper = 140.5", "upper = 20");
        assert_eq!(
            error(&bounds),
            "c.toml:8:9: T: the bounds [40, 20] must be finite with lower < upper"
        );
        let typo = GOOD.replace("lower = 1\n", "lower = \"one\"\n");
        let m = error(&typo);
        assert_eq!(m, "c.toml:14:9: n: expected an integer, found \"one\"");
        let kind = GOOD.replace("\"integer\"", "\"integral\"");
        let m = error(&kind);
        assert!(m.starts_with("c.toml:13:8: n: unknown type \"integral\""), "{m}");
        let syntax = GOOD.replace("seed = 3", "seed = ");
        assert!(error(&syntax).starts_with("c.toml:2:8: "), "{}", error(&syntax));
        let twice = GOOD.replace("name = \"n\"", "name = \"T\"");
        assert!(error(&twice).contains("\"T\" is used twice"));
        let five = format!(
            "{GOOD}{}",
            (0..4)
                .map(|k| format!(
                    "\n[[objectives]]\nname = \"o{k}\"\ndirection = \"min\"\n"
                ))
                .collect::<String>()
        );
        assert!(
            error(&five).contains("5 objectives: at most 4"),
            "{}",
            error(&five)
        );
        let alone = GOOD.replace(
            "direction = \"maximise\"",
            "direction = \"maximise\"\nreference = 0.1",
        );
        assert_eq!(
            error(&alone),
            "c.toml:25:13: yield: a reference is for a campaign of several objectives \
             (the hypervolume of a Pareto front)"
        );
        let bad_reference = format!(
            "{GOOD}\n[[objectives]]\nname = \"cost\"\ndirection = \"min\"\nreference = \"high\"\n"
        );
        assert_eq!(
            error(&bad_reference),
            "c.toml:29:13: cost: the reference must be a finite number, found \"high\""
        );
        let nan = bad_reference.replace("\"high\"", "nan");
        assert!(error(&nan)
            .starts_with("c.toml:29:13: cost: the reference must be a finite"));
        let batch = GOOD.replace("batch_size = 2", "batch_size = 0");
        assert!(error(&batch).starts_with("c.toml:3:14: batch_size must be"));
        let unknown = GOOD.replace("seed = 3", "seed = 3\nsed = 4");
        assert!(error(&unknown).contains("unknown field"), "{}", error(&unknown));
        let labels = GOOD.replace("\"ethanol\"]", "\"water\"]");
        assert!(error(&labels).contains("repeated"), "{}", error(&labels));
        let reserved = GOOD.replace("name = \"yield\"", "name = \"id\"");
        assert!(error(&reserved).contains("reserved"));
    }
}
