//! What the Rust side of every side-by-side comparison shares (`examples/*_compare.rs`,
//! each driven by `benches/python/<thing>_compare.sh`): one way to time a piece of work,
//! one way to write numbers so that the Python side reads back exactly the same values, and
//! one way to read the CSV files the two sides exchange.

// Each comparison uses only part of this module.
#![allow(dead_code)]

use std::path::Path;
use std::time::Instant;

/// The fastest and the median of several timings, in seconds.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    pub min: f64,
    pub median: f64,
}

impl Timing {
    /// Times `repeats` calls of `f` (at least one) after `warmup` untimed ones; the median
    /// is the upper middle timing, as the Python sides take it.
    pub fn of(warmup: usize, repeats: usize, mut f: impl FnMut()) -> Timing {
        for _ in 0..warmup {
            f();
        }
        let mut seconds: Vec<f64> = (0..repeats.max(1))
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed().as_secs_f64()
            })
            .collect();
        seconds.sort_by(f64::total_cmp);
        Timing { min: seconds[0], median: seconds[seconds.len() / 2] }
    }

    /// The median in microseconds.
    pub fn median_us(&self) -> f64 {
        self.median * 1e6
    }

    /// `min_ms=… median_ms=…`, three decimals: the form the GP table reads.
    pub fn ms_fields(&self) -> String {
        format!("min_ms={:.3} median_ms={:.3}", self.min * 1e3, self.median * 1e3)
    }
}

/// A number to 17 significant digits, enough to read back the same `f64`.
pub fn exact(v: f64) -> String {
    format!("{v:.17e}")
}

/// Numbers to 17 significant digits, joined by `sep`.
pub fn exact_list<'a>(
    values: impl IntoIterator<Item = &'a f64>,
    sep: &str,
) -> String {
    values.into_iter().map(|&v| exact(v)).collect::<Vec<_>>().join(sep)
}

/// Writes a CSV file: the header line, then one line per row.
pub fn write_csv(
    path: &Path,
    header: &str,
    rows: impl IntoIterator<Item = String>,
) {
    let mut text = format!("{header}\n");
    for row in rows {
        text.push_str(&row);
        text.push('\n');
    }
    std::fs::write(path, text)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// The numbers of a CSV file with a header line, one vector per non-empty row.
pub fn read_csv(path: &Path) -> Vec<Vec<f64>> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.split(',')
                .map(|v| v.trim().parse().unwrap_or_else(|e| panic!("{v:?}: {e}")))
                .collect()
        })
        .collect()
}

/// The command-line arguments after the program's name, or the usage line and exit
/// status 2 if fewer than `required` were given.
pub fn args(required: usize, usage: &str) -> Vec<String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < required || args.iter().any(|a| a == "-h" || a == "--help") {
        eprintln!("usage: {usage}");
        std::process::exit(2);
    }
    args
}

/// `"0-4,7"` → 0, 1, 2, 3, 4, 7.
pub fn parse_seeds(text: &str) -> Vec<u64> {
    let number = |s: &str| s.parse::<u64>().expect("a seed is a whole number");
    let mut seeds = Vec::new();
    for part in text.split(',').filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((lo, hi)) => seeds.extend(number(lo)..=number(hi)),
            None => seeds.push(number(part)),
        }
    }
    seeds
}

/// The value after `--flag`, removed from `args` with it; the usage line and exit status 2
/// if the flag is last.
pub fn take_flag(
    args: &mut Vec<String>,
    flag: &str,
    usage: &str,
) -> Option<String> {
    let i = args.iter().position(|a| a == flag)?;
    if i + 1 >= args.len() {
        eprintln!("usage: {usage}");
        std::process::exit(2);
    }
    let value = args[i + 1].clone();
    args.drain(i..=i + 1);
    Some(value)
}
