//! Results files: reading `import`'s CSV (every problem named by file, line and column)
//! and writing `export`'s.
//!
//! `export` writes one row per suggestion: `id`, `status`, `review`, the variables, the
//! objectives (one column each), the cost (if the campaign records one), `suggested_at`, `recorded_at`. The
//! same file with results filled in can be imported back.
//!
//! `import` reads a header and rows. Its columns: `id`, the objectives, the cost, the
//! variables, and the informational columns of an export (`status`, `review`,
//! `suggested_at`, `recorded_at`), which it ignores; any other column is an error.
//! A row with an id gives the result of that suggestion; its variable columns, if present,
//! must match the suggested design. A row with an empty id is an experiment run outside
//! the campaign: every variable must be given. A row whose objectives are all empty is
//! skipped; one with some objectives empty and others not is an error.

use crate::engine::{State, Status};
use crate::error::{Error, Result};
use crate::spec::{format_value, parse_number, parse_value};
use gradbo::mixed::Variable;
use ndarray::Array1;
use std::path::Path;

/// Columns of an export that an import ignores.
pub const INFORMATIONAL: [&str; 4] =
    ["status", "review", "suggested_at", "recorded_at"];

/// One row of a results file, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The line in the file (from 1; the header is line 1).
    pub line: u64,
    /// The suggestion's id, or `None` for an experiment run outside the campaign.
    pub id: Option<String>,
    /// The design, for a row without id.
    pub design: Option<Array1<f64>>,
    /// The objectives' values, in the campaign file's order.
    pub values: Vec<f64>,
    /// The cost, if given.
    pub cost: Option<f64>,
}

enum Column {
    Id,
    Objective(usize),
    Cost,
    Variable(usize),
    Ignored,
}

/// Reads and checks a results file against the campaign's state.
///
/// # Errors
/// An input error naming the file, line and column of the first problem: malformed CSV,
/// an unknown or repeated column, an objective without a column, an id given twice, a
/// value that is not a finite number, a row with some objectives' values and not others, a variable value outside its variable or not matching the
/// suggestion; a state error, likewise located, for an unknown id.
pub fn read(path: &Path, state: &State) -> Result<Vec<Row>> {
    let file = path.display().to_string();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| Error::input(format!("{file}: cannot read: {e}")))?;
    let csv_error = |e: csv::Error| match e.position() {
        Some(p) => {
            Error::input(format!("{file}:{}: {}", p.line(), csv_message(&e)))
        }
        None => Error::input(format!("{file}: {}", csv_message(&e))),
    };
    let header = reader.headers().map_err(csv_error)?.clone();
    if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
        return Err(Error::input(format!(
            "{file}:1: empty: expected a header line"
        )));
    }
    let campaign = &state.campaign;
    let objectives = campaign.objective_names();
    let mut columns = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (k, name) in header.iter().enumerate() {
        let at = format!("{file}:1:{}", k + 1);
        if seen.contains(&name) {
            return Err(Error::input(format!(
                "{at}: the column {name:?} is repeated"
            )));
        }
        seen.push(name);
        let column = if name == "id" {
            Column::Id
        } else if let Some(k) = objectives.iter().position(|o| *o == name) {
            Column::Objective(k)
        } else if campaign.cost.as_deref() == Some(name) {
            Column::Cost
        } else if let Some(i) =
            campaign.variables().iter().position(|v| v.name() == name)
        {
            Column::Variable(i)
        } else if INFORMATIONAL.contains(&name) {
            Column::Ignored
        } else {
            let mut known = vec!["id".to_string()];
            known.extend(objectives.iter().map(|o| o.to_string()));
            known.extend(campaign.cost.iter().cloned());
            known.extend(campaign.variables().iter().map(|v| v.name().to_string()));
            return Err(Error::input(format!(
                "{at}: unknown column {name:?} (the columns are {})",
                known.join(", ")
            )));
        };
        columns.push(column);
    }
    for (k, objective) in objectives.iter().enumerate() {
        if !columns.iter().any(|c| matches!(c, Column::Objective(j) if *j == k)) {
            return Err(Error::input(format!(
                "{file}:1: no column {objective:?} (the objective{})",
                if objectives.len() == 1 { "" } else { "s each need one" }
            )));
        }
    }
    let has_id = columns.iter().any(|c| matches!(c, Column::Id));
    let mut rows: Vec<Row> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line());
        let at = |k: usize| format!("{file}:{line}:{}", k + 1);
        let mut id = None;
        let mut values: Vec<Option<f64>> = vec![None; objectives.len()];
        let mut cost = None;
        let mut design: Vec<Option<(usize, f64)>> =
            vec![None; campaign.variables().len()];
        for (k, (field, column)) in record.iter().zip(&columns).enumerate() {
            match column {
                Column::Id if !field.is_empty() => {
                    id = Some((k, field.to_string()))
                }
                Column::Objective(j) if !field.is_empty() => {
                    let objective = objectives[*j];
                    let v = parse_number(field).map_err(|m| {
                        Error::input(format!("{} ({objective}): {m}", at(k)))
                    })?;
                    values[*j] = Some(v);
                }
                Column::Cost if !field.is_empty() => {
                    let c = parse_number(field).map_err(|m| {
                        Error::input(format!("{} (cost): {m}", at(k)))
                    })?;
                    if c < 0.0 {
                        return Err(Error::input(format!(
                            "{} (cost): {c} is negative",
                            at(k)
                        )));
                    }
                    cost = Some(c);
                }
                Column::Variable(i) if !field.is_empty() => {
                    let v = &campaign.variables()[*i];
                    let x = parse_value(v, field)
                        .map_err(|m| Error::input(format!("{}: {m}", at(k))))?;
                    design[*i] = Some((k, x));
                }
                _ => {}
            }
        }
        if values.iter().all(Option::is_none) {
            continue;
        }
        if let Some(j) = values.iter().position(Option::is_none) {
            return Err(Error::input(format!(
                "{file}:{line}: no value for {} (a row gives every objective's value, or none)",
                objectives[j]
            )));
        }
        let values: Vec<f64> = values.into_iter().flatten().collect();
        let row = match id {
            Some((k, id)) => {
                let entry =
                    state.entries.iter().find(|e| e.stored.id == id).ok_or_else(
                        || {
                            Error::state(format!(
                                "{}: no suggestion {id:?} in this campaign",
                                at(k)
                            ))
                        },
                    )?;
                if let Some(r) =
                    rows.iter().find(|r| r.id.as_deref() == Some(id.as_str()))
                {
                    return Err(Error::input(format!(
                        "{}: {id} is given twice (also on line {})",
                        at(k),
                        r.line
                    )));
                }
                for (i, given) in design.iter().enumerate() {
                    if let Some((k, x)) = given {
                        let v = &campaign.variables()[i];
                        if !same(v, *x, entry.design[i]) {
                            return Err(Error::input(format!(
                                "{} ({}): {} is not the value suggested for {id}, {}",
                                at(*k),
                                v.name(),
                                format_value(v, *x),
                                format_value(v, entry.design[i])
                            )));
                        }
                    }
                }
                if entry.status() == Status::Rejected {
                    return Err(Error::input(format!(
                        "{}: {id} was rejected; accept it with `review {id} --accept` first",
                        at(k)
                    )));
                }
                Row { line, id: Some(id), design: None, values, cost }
            }
            None => {
                if let Some(i) = design.iter().position(Option::is_none) {
                    let what = if has_id {
                        "an id or every variable"
                    } else {
                        "every variable"
                    };
                    return Err(Error::input(format!(
                        "{file}:{line}: a row needs {what}: {} is missing",
                        campaign.variables()[i].name()
                    )));
                }
                let x: Array1<f64> =
                    design.iter().map(|d| d.map_or(0.0, |(_, x)| x)).collect();
                Row { line, id: None, design: Some(x), values, cost }
            }
        };
        rows.push(row);
    }
    Ok(rows)
}

/// Whether a value read back equals the stored one: exactly for a non-continuous
/// variable, to 10⁻⁹ of the range for a continuous one (a spreadsheet may reformat).
fn same(variable: &Variable, a: f64, b: f64) -> bool {
    match variable {
        Variable::Continuous { lower, upper, .. } => {
            (a - b).abs() <= 1e-9 * (upper - lower)
        }
        _ => a == b,
    }
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("the row has {len} fields, the header {expected_len}")
        }
        csv::ErrorKind::Utf8 { err, .. } => {
            format!("column {}: not valid UTF-8", err.field() + 1)
        }
        _ => e.to_string(),
    }
}

/// Writes every suggestion of `state` to `path` (through a temporary file renamed into
/// place, so a reader never sees half a file).
///
/// # Errors
/// A failure if the file cannot be written.
pub fn write(path: &Path, state: &State) -> Result<()> {
    let campaign = &state.campaign;
    let fail = |e: &dyn std::fmt::Display| {
        Error::failure(format!("cannot write {}: {e}", path.display()))
    };
    let mut header: Vec<String> =
        vec!["id".into(), "status".into(), "review".into()];
    header.extend(campaign.variables().iter().map(|v| v.name().to_string()));
    header.extend(campaign.objective_names().iter().map(|o| o.to_string()));
    header.extend(campaign.cost.iter().cloned());
    header.push("suggested_at".into());
    header.push("recorded_at".into());
    let tmp = path.with_extension("csv.partial");
    {
        let mut w = csv::Writer::from_path(&tmp).map_err(|e| fail(&e))?;
        w.write_record(&header).map_err(|e| fail(&e))?;
        for e in &state.entries {
            let s = &e.stored;
            let mut row: Vec<String> = vec![
                s.id.clone(),
                match (e.status(), &s.failure) {
                    (Status::Failed, Some(f)) => f.outcome.clone(),
                    (status, _) => status.as_str().into(),
                },
                s.review
                    .as_ref()
                    .map_or(String::new(), |r| r.verdict.as_str().into()),
            ];
            row.extend(
                campaign
                    .variables()
                    .iter()
                    .zip(e.design.iter())
                    .map(|(v, &x)| format_value(v, x)),
            );
            for o in campaign.objective_names() {
                row.push(
                    s.results
                        .iter()
                        .find(|r| r.objective == o)
                        .map_or(String::new(), |r| format!("{}", r.value)),
                );
            }
            if campaign.cost.is_some() {
                row.push(
                    s.result
                        .as_ref()
                        .and_then(|r| r.cost)
                        .map_or(String::new(), |c| format!("{c}")),
                );
            }
            row.push(s.created_at.clone());
            row.push(
                s.result.as_ref().map_or(String::new(), |r| r.recorded_at.clone()),
            );
            w.write_record(&row).map_err(|e| fail(&e))?;
        }
        w.flush().map_err(|e| fail(&e))?;
    }
    std::fs::rename(&tmp, path).map_err(|e| fail(&e))
}
