//! The appendix "Measured performance": one figure of speed ratios, read from the
//! measured tables that the appendix shows (`book/appendix/measurements/`). Those
//! tables come from the Python comparison scripts and are kept as measured; this
//! module only redraws what they say.

use crate::figures::{
    colour, label_font, legend_font, svg, tick_font, tick_label, title_font,
    DrawResult, Layer, Panel, FONT,
};
use crate::{repo_root, Artifact};
use gradbo_listings::ch17::evidence::quantile;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::fs;

const AUTODIFF: &str = "book/appendix/measurements/autodiff-vs-pytorch.txt";
const GP: &str = "book/appendix/measurements/gp-vs-sklearn-botorch.txt";
const FIGURE: &str = "book/appendix/figures/speed-ratios.svg";
const BO_GRADBO: &str = "book/appendix/measurements/bo-gradbo.csv";
const BO_BOTORCH: &str = "book/appendix/measurements/bo-botorch.csv";
const BO_BOTORCH_LOGEI: &str = "book/appendix/measurements/bo-botorch-logei.csv";
const BO_FIGURE: &str = "book/appendix/figures/bo-regret.svg";
const BATCH_GRADBO: &str = "book/appendix/measurements/batch-gradbo.csv";
const BATCH_BOTORCH: &str = "book/appendix/measurements/batch-botorch.csv";
const BATCH_TABLE: &str = "book/appendix/outputs/batch-vs-botorch.txt";
const BATCH_FIGURE: &str = "book/appendix/figures/batch-best.svg";

/// The problems of the BO comparison: name in the CSVs, title, and f*'s evaluations budget.
const BO_PROBLEMS: [(&str, &str); 3] = [
    ("branin", "Branin (d = 2)"),
    ("hartmann6", "Hartmann-6 (d = 6)"),
    ("ackley5", "Ackley-5 (d = 5)"),
];

/// What each group of bars is compared with, in the order of the groups.
pub const GROUPS: [&str; 3] = [
    "PyTorch's autograd, one thread",
    "the faster of scikit-learn and BoTorch",
    "NumPy and SciPy, one BLAS thread",
];

/// One bar: what was timed, the other tool's time over gradbo's, and which of
/// [`GROUPS`] it was compared with.
#[derive(Debug, Clone, PartialEq)]
pub struct Ratio {
    pub label: String,
    pub value: f64,
    /// The value as the figure writes it: as printed in the table where the table
    /// prints the ratio, else to two decimals.
    pub shown: String,
    pub group: usize,
}

/// Everything the appendix shows that is drawn from code.
pub fn run() -> Vec<Artifact> {
    let root = repo_root();
    let read = |path: &str| {
        fs::read_to_string(root.join(path))
            .unwrap_or_else(|e| panic!("reading {path}: {e}"))
    };
    let mut ratios = autodiff_ratios(&read(AUTODIFF));
    assert_eq!(ratios.len(), 3, "three autodiff problems in {AUTODIFF}");
    let gp = gp_ratios(&read(GP));
    assert_eq!(gp.len(), 11, "eight fits, a prediction and two Cholesky in {GP}");
    ratios.extend(gp);
    let runs = [
        Tool {
            csv: read(BO_GRADBO),
            name: "gradbo (LogEI)",
            colour: 0,
            band: true,
        },
        Tool {
            csv: read(BO_BOTORCH),
            name: "BoTorch (qLogEI)",
            colour: 1,
            band: true,
        },
        Tool {
            csv: read(BO_BOTORCH_LOGEI),
            name: "BoTorch (LogEI)",
            colour: 2,
            band: false,
        },
    ];
    let batch = [
        BatchRuns::read("gradbo", &read(BATCH_GRADBO)),
        BatchRuns::read("BoTorch", &read(BATCH_BOTORCH)),
    ];
    assert!(
        batch.iter().all(|b| !b.rounds.is_empty()),
        "rounds in {BATCH_GRADBO} and {BATCH_BOTORCH}"
    );
    vec![
        Artifact::new(FIGURE, figure(&ratios).expect("the ratio figure draws")),
        Artifact::new(
            BO_FIGURE,
            bo_figure(&runs).expect("the regret figure draws"),
        ),
        Artifact::new(BATCH_TABLE, batch_table(&batch[0], &batch[1])),
        Artifact::new(
            BATCH_FIGURE,
            batch_figure(&batch).expect("the batch figure draws"),
        ),
    ]
}

/// One round of a batch-loop run: (seed, round, fit seconds, acquisition seconds, best so
/// far), from a comparison CSV (`tool,problem,seed,iteration,n_train,fit_s,acq_s,f,
/// best_so_far,log10_regret`).
type Round = (u64, usize, f64, f64, f64);

/// The rounds of one loop of the batch comparison.
pub struct BatchRuns {
    pub name: &'static str,
    pub rounds: Vec<Round>,
}

impl BatchRuns {
    /// The rows of `csv` that parse; the header and anything else are skipped.
    pub fn read(name: &'static str, csv: &str) -> Self {
        let rounds = csv
            .lines()
            .skip(1)
            .filter_map(|line| {
                let f: Vec<&str> = line.split(',').collect();
                Some((
                    f.get(2)?.parse().ok()?,
                    f.get(3)?.parse().ok()?,
                    f.get(5)?.parse().ok()?,
                    f.get(6)?.parse().ok()?,
                    f.get(8)?.parse().ok()?,
                ))
            })
            .collect();
        BatchRuns { name, rounds }
    }

    /// The median over every round of fit, acquisition and total seconds.
    pub fn median_seconds(&self) -> (f64, f64, f64) {
        let column = |f: &dyn Fn(&Round) -> f64| {
            quantile(&self.rounds.iter().map(f).collect::<Vec<_>>(), 0.5)
        };
        (column(&|r| r.2), column(&|r| r.3), column(&|r| r.2 + r.3))
    }

    /// The best value after the last round of each seed, by seed.
    pub fn finals(&self) -> Vec<(u64, f64)> {
        let mut last: Vec<(u64, usize, f64)> = Vec::new();
        for &(seed, round, _, _, best) in &self.rounds {
            match last.iter_mut().find(|l| l.0 == seed) {
                Some(l) if round > l.1 => *l = (seed, round, best),
                Some(_) => {}
                None => last.push((seed, round, best)),
            }
        }
        last.sort_by_key(|l| l.0);
        last.into_iter().map(|(seed, _, best)| (seed, best)).collect()
    }

    /// log10 of the best so far after each round (from 1), one vector per seed.
    fn curves(&self) -> Vec<Vec<(f64, f64)>> {
        let mut seeds: Vec<u64> = self.rounds.iter().map(|r| r.0).collect();
        seeds.dedup();
        seeds
            .iter()
            .map(|&s| {
                self.rounds
                    .iter()
                    .filter(|r| r.0 == s)
                    .map(|r| (r.1 as f64, r.4.max(1e-16).log10()))
                    .collect()
            })
            .collect()
    }
}

/// A number to three significant digits, as the table prints it.
pub(crate) fn sig3(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let digits = (2 - v.abs().log10().floor() as i32).max(0) as usize;
    format!("{v:.digits$}")
}

/// The batch comparison as a Markdown table: median seconds per round, the final best
/// (median and quartiles over seeds, and its log10), the time ratios, and the seeds paired.
pub fn batch_table(ours: &BatchRuns, other: &BatchRuns) -> String {
    let mut out = String::from(
        "| loop | fit (s per round) | acquisition (s per round) | round (s) \
         | final best: median [quartiles] | log₁₀ final best |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    for runs in [ours, other] {
        let (fit, acq, total) = runs.median_seconds();
        let best: Vec<f64> = runs.finals().iter().map(|f| f.1).collect();
        let logs: Vec<f64> = best.iter().map(|b| b.max(1e-16).log10()).collect();
        let q = |v: &[f64], p| quantile(v, p);
        out.push_str(&format!(
            "| {} ({} seeds) | {} | {} | {} | {} [{}, {}] | {:.2} [{:.2}, {:.2}] |\n",
            runs.name,
            best.len(),
            sig3(fit),
            sig3(acq),
            sig3(total),
            sig3(q(&best, 0.5)),
            sig3(q(&best, 0.25)),
            sig3(q(&best, 0.75)),
            q(&logs, 0.5),
            q(&logs, 0.25),
            q(&logs, 0.75),
        ));
    }
    let (a, b) = (ours.median_seconds(), other.median_seconds());
    out.push_str(&format!(
        "| {} ÷ {} | {:.0} | {:.1} | {:.1} | | |\n",
        other.name,
        ours.name,
        b.0 / a.0,
        b.1 / a.1,
        b.2 / a.2
    ));
    let theirs = other.finals();
    let (mut lower, mut higher, mut paired) = (0, 0, 0);
    for (seed, best) in ours.finals() {
        let Some(&(_, o)) = theirs.iter().find(|t| t.0 == seed) else { continue };
        paired += 1;
        let (g, o) = (best.max(1e-16).log10(), o.max(1e-16).log10());
        lower += usize::from(g < o - 0.01);
        higher += usize::from(g > o + 0.01);
    }
    out.push_str(&format!(
        "\nSeed by seed, {}'s final best is lower than {}'s in {lower} of {paired} seeds, \
         higher in {higher} and the same (within 0.01 in log₁₀) in {}.\n",
        ours.name,
        other.name,
        paired - lower - higher
    ));
    out
}

/// log10 of the best so far against the round, median and quartiles over the seeds, for
/// each loop of the batch comparison.
fn batch_figure(runs: &[BatchRuns]) -> DrawResult<String> {
    let mut panel = Panel::new(
        "Batch loop (q = 4) beside BoTorch's, shifted Rosenbrock, d = 4",
        "round (4 evaluations each, after 8 initial points)",
        "log₁₀ best value so far",
    );
    let stats: Vec<_> =
        runs.iter().map(|r| (quartiles(&r.curves()), r.curves().len())).collect();
    for (k, ((x, _, lo, hi), seeds)) in stats.iter().enumerate() {
        let label = format!("{}: quartiles over {seeds} seeds", runs[k].name);
        panel = panel.with(Layer::spread(&label, x, lo, hi, k));
    }
    for (k, ((x, med, _, _), _)) in stats.iter().enumerate() {
        let points = x.iter().copied().zip(med.iter().copied()).collect();
        panel =
            panel.with(Layer::line(format!("{}: median", runs[k].name), points, k));
    }
    // Room above the curves for the legend.
    panel.legend = Some(crate::figures::Legend::UpperRight);
    panel.y_range = Some((0.8, 3.3));
    panel.render((900, 560))
}

/// log10 regret of the best so far after each evaluation, one vector per seed, for one tool
/// and problem of a comparison CSV (`tool,problem,seed,iteration,n_train,…,log10_regret`).
/// The evaluation of a row is n_train + 1.
pub fn regret_curves(csv: &str, problem: &str) -> Vec<Vec<(f64, f64)>> {
    let mut by_seed: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 10 || f[1] != problem {
            continue;
        }
        let (Ok(n), Ok(r)) = (f[4].parse::<f64>(), f[9].parse::<f64>()) else {
            continue;
        };
        match by_seed.iter_mut().find(|(s, _)| s == f[2]) {
            Some((_, curve)) => curve.push((n + 1.0, r)),
            None => by_seed.push((f[2].to_string(), vec![(n + 1.0, r)])),
        }
    }
    by_seed.into_iter().map(|(_, c)| c).collect()
}

/// One loop of the BO comparison: its runs (a comparison CSV), its name in the legend, its
/// colour and whether its quartiles are drawn as a band.
struct Tool {
    csv: String,
    name: &'static str,
    colour: usize,
    band: bool,
}

/// The evaluations, and the median and quartiles over seeds at each.
fn quartiles(
    curves: &[Vec<(f64, f64)>],
) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let len = curves.iter().map(Vec::len).min().unwrap_or(0);
    let (mut x, mut med, mut lo, mut hi) = (vec![], vec![], vec![], vec![]);
    for i in 0..len {
        let v: Vec<f64> = curves.iter().map(|c| c[i].1).collect();
        x.push(curves[0][i].0);
        med.push(quantile(&v, 0.5));
        lo.push(quantile(&v, 0.25));
        hi.push(quantile(&v, 0.75));
    }
    (x, med, lo, hi)
}

/// Median best-so-far regret against evaluations, with the quartiles over the seeds, for
/// each loop and problem of the BO comparison.
fn bo_figure(runs: &[Tool]) -> DrawResult<String> {
    let panels: Vec<Panel> = BO_PROBLEMS
        .iter()
        .enumerate()
        .map(|(k, (key, title))| {
            let mut panel =
                Panel::new(title, "evaluations", "log₁₀ regret of the best");
            let stats: Vec<_> = runs
                .iter()
                .map(|tool| {
                    let curves = regret_curves(&tool.csv, key);
                    (quartiles(&curves), curves.len(), tool)
                })
                .collect();
            // The bands first, the medians on top of them.
            for ((x, _, lo, hi), seeds, tool) in stats.iter().filter(|s| s.2.band) {
                let label = format!("{}: quartiles over {seeds} seeds", tool.name);
                panel = panel.with(Layer::spread(&label, x, lo, hi, tool.colour));
            }
            for ((x, med, _, _), _, tool) in &stats {
                let points = x.iter().copied().zip(med.iter().copied()).collect();
                let label = format!("{}: median", tool.name);
                panel = panel.with(if tool.band {
                    Layer::line(label, points, tool.colour)
                } else {
                    Layer::dashed(label, points, tool.colour)
                });
            }
            // One legend, in Ackley-5's panel, above its curves (which start near 1.3).
            if k == 2 {
                panel.legend = Some(crate::figures::Legend::UpperRight);
                panel.y_range = Some((0.3, 1.85));
            } else {
                panel.legend = None;
            }
            panel
        })
        .collect();
    Panel::grid(
        "The BO loop beside BoTorch's, from the same initial designs",
        (1500, 560),
        3,
        &panels,
    )
}

/// The PyTorch / Rust ratios of forward + backward time, the table's last column.
pub fn autodiff_ratios(table: &str) -> Vec<Ratio> {
    let names = [
        ("mlp", "2-64-64-1 tanh network, gradient"),
        ("quadratic_100", "xᵀAx with n = 100, gradient"),
        ("quadratic_1000", "xᵀAx with n = 1000, gradient"),
    ];
    table
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (_, label) =
                names.iter().find(|(key, _)| fields.first() == Some(key))?;
            let shown = fields.last()?;
            let value = shown.parse().ok()?;
            Some(Ratio {
                label: (*label).into(),
                value,
                shown: (*shown).into(),
                group: 0,
            })
        })
        .collect()
}

/// From the GP table: each gradbo fit's "N.Nx faster" against the faster of the
/// other two, then the median times of the posterior against NumPy and of the
/// Cholesky factorisation against SciPy, each on one thread.
pub fn gp_ratios(table: &str) -> Vec<Ratio> {
    let mut ratios = Vec::new();
    for line in table.lines() {
        // A fit row: "n tool ... N.Nx faster".
        let fields: Vec<&str> = line.split_whitespace().collect();
        let Some(at) = fields.iter().position(|f| f.starts_with("faster")) else {
            continue;
        };
        let shown =
            at.checked_sub(1).and_then(|i| fields.get(i)?.strip_suffix('x'));
        let value = shown.and_then(|v| v.parse::<f64>().ok());
        let n = fields.first().filter(|n| n.parse::<usize>().is_ok());
        let (Some(n), Some(shown), Some(value)) = (n, shown, value) else {
            continue;
        };
        let label = if fields.get(2) == Some(&"MAP") {
            format!("GP fit with priors, n = {n}")
        } else {
            format!("GP fit, n = {n}")
        };
        ratios.push(Ratio { label, value, shown: shown.into(), group: 1 });
    }
    let median_after =
        |key: &str| table.lines().find_map(|line| median(line.split_once(key)?.1));
    if let (Some(ours), Some(numpy)) = (
        median_after("gradbo Gp::predict (1 thread)"),
        median_after("numpy, 1 BLAS"),
    ) {
        ratios.push(Ratio {
            label: "posterior at 1000 points".into(),
            value: numpy / ours,
            shown: format!("{:.2}", numpy / ours),
            group: 2,
        });
    }
    for line in table.lines().filter(|l| l.contains("gradbo (1 thread)")) {
        let n =
            line.trim().trim_start_matches("n = ").split(':').next().unwrap_or("");
        let parts: Vec<&str> = line.split(';').collect();
        let ours = parts.first().and_then(|p| median(p.split_once("thread)")?.1));
        let scipy =
            parts.iter().find_map(|p| median(p.split_once("scipy 1 thread(s)")?.1));
        if let (Some(ours), Some(scipy)) = (ours, scipy) {
            ratios.push(Ratio {
                label: format!("Cholesky, n = {n}"),
                value: scipy / ours,
                shown: format!("{:.2}", scipy / ours),
                group: 2,
            });
        }
    }
    ratios
}

/// The median of a "min / median" pair.
fn median(text: &str) -> Option<f64> {
    text.split('/').nth(1)?.split_whitespace().next()?.parse().ok()
}

/// Horizontal bars from parity (1) on a log axis: right of 1, gradbo took less time.
fn figure(ratios: &[Ratio]) -> DrawResult<String> {
    let n = ratios.len();
    let (lo, hi) = (0.25, 40.0);
    // Blank rows below the bars hold the legend.
    let bottom = -3.4;
    svg((1000, 820), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption("Measured: the other tool's time over gradbo's", title_font())
            .margin(20)
            .x_label_area_size(70)
            .y_label_area_size(360)
            .build_cartesian_2d((lo..hi).log_scale(), bottom..n as f64 - 0.4)?;
        // Row k of `ratios` is drawn at y = n − 1 − k, so the first is on top.
        let row = |k: usize| (n - 1 - k) as f64;
        let name = |y: &f64| {
            let k = y.round();
            if (y - k).abs() < 1e-9 && k >= 0.0 && (k as usize) < n {
                ratios[n - 1 - k as usize].label.clone()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(2 * n + 1)
            .y_label_formatter(&name)
            .x_label_formatter(&|v| tick_label(*v, true))
            .x_desc("time of the other tool ÷ time of gradbo (log scale)")
            .axis_desc_style(label_font())
            .label_style(tick_font())
            .axis_style(BLACK.stroke_width(2))
            .light_line_style(RGBColor(235, 235, 235))
            .bold_line_style(RGBColor(210, 210, 210))
            .draw()?;
        for (g, group) in GROUPS.iter().enumerate() {
            let fill = colour(g);
            let bars = ratios.iter().enumerate().filter(|(_, r)| r.group == g).map(
                |(k, r)| {
                    let y = row(k);
                    Rectangle::new(
                        [(1.0, y - 0.32), (r.value, y + 0.32)],
                        fill.filled(),
                    )
                },
            );
            chart
                .draw_series(bars.collect::<Vec<_>>())?
                .label(format!("against {group}"))
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 7), (x + 24, y + 7)], fill.filled())
                });
        }
        // Each bar's value just beyond its end, on the side it points to.
        for (k, r) in ratios.iter().enumerate() {
            let (at, hpos) = if r.value >= 1.0 {
                (r.value * 1.06, HPos::Left)
            } else {
                (r.value / 1.06, HPos::Right)
            };
            let style = (FONT, 18)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(hpos, VPos::Center));
            chart.draw_series(std::iter::once(Text::new(
                r.shown.clone(),
                (at, row(k)),
                style,
            )))?;
        }
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(1.0, bottom), (1.0, n as f64 - 0.4)],
            BLACK.stroke_width(2),
        )))?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .label_font(legend_font())
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Excerpts in the tables' own formats; the committed tables are read by `run`,
    // which checks that every ratio is found, so a new measurement needs no edit here.
    const AUTODIFF_TABLE: &str = "\
problem           rust fwd torch fwd  rust f+b torch f+b  torch/rust f+b
mlp                  362.9     255.4     504.3     740.1            1.47
quadratic_100          4.2      22.3      11.1     114.3           10.30
";
    const GP_TABLE: &str = "\
   50 gradbo       -1.2645   0.36536    0.006  3.83e-05  dLML +0.0006, RMSE x1.169, 10.3x faster
   50 gradbo MAP   -1.2946   0.31253    0.004  6.45e-03  dLML -0.0295, RMSE x1.000, 14.4x faster
   50 sklearn      -1.2651   0.36794    0.061  1.00e-05
  gradbo Gp::predict (1 thread)         50.63 /    61.62
  numpy, 1 BLAS thread(s)               61.38 /    65.61
  n = 1000: gradbo (1 thread)   20.47 /   25.44; scipy 1 thread(s)   21.13 /   21.98; scipy 2 thread(s)   16.57 /   17.80
- and how many times faster the gradbo fit is than the faster of the two.
";

    const BATCH_HEADER: &str =
        "tool,problem,seed,iteration,n_train,fit_s,acq_s,f,best_so_far,log10_regret\n";

    #[test]
    fn the_batch_table_reads_medians_finals_and_pairs() {
        let ours = BatchRuns::read(
            "gradbo",
            &format!(
                "{BATCH_HEADER}gradbo,r,0,1,8,0.001,0.050,5,20,1.3\n\
                 gradbo,r,0,2,12,0.003,0.070,9,10,1\n\
                 gradbo,r,1,1,8,0.002,0.060,7,100,2\n\
                 gradbo,r,1,2,12,0.002,0.060,7,100,2\n"
            ),
        );
        let other = BatchRuns::read(
            "BoTorch",
            &format!(
                "{BATCH_HEADER}botorch,r,0,1,8,0.2,1.0,5,50,1.7\n\
                 botorch,r,0,2,12,0.2,1.2,5,40,1.6\n\
                 botorch,r,1,1,8,0.2,1.2,5,100,2\n\
                 botorch,r,1,2,12,0.2,1.2,5,100,2\n"
            ),
        );
        assert_eq!(ours.finals(), [(0, 10.0), (1, 100.0)]);
        let (fit, acq, total) = ours.median_seconds();
        assert_eq!((fit, acq), (0.002, 0.06));
        assert!((total - 0.062).abs() < 1e-12);
        let table = batch_table(&ours, &other);
        assert!(table.contains("| gradbo (2 seeds) | 0.00200 | 0.0600 | 0.0620 | 55.0 [32.5, 77.5] | 1.50 [1.25, 1.75] |"), "{table}");
        assert!(
            table.contains("| BoTorch ÷ gradbo | 100 | 20.0 | 22.6 | | |"),
            "{table}"
        );
        assert!(
            table.contains(
                "lower than BoTorch's in 1 of 2 seeds, higher in 0 and the same"
            ),
            "{table}"
        );
    }

    #[test]
    fn autodiff_ratios_are_the_last_column() {
        let r = autodiff_ratios(AUTODIFF_TABLE);
        let got: Vec<(&str, f64, &str)> = r
            .iter()
            .map(|r| (r.label.as_str(), r.value, r.shown.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("2-64-64-1 tanh network, gradient", 1.47, "1.47"),
                ("xᵀAx with n = 100, gradient", 10.30, "10.30"),
            ]
        );
    }

    #[test]
    fn gp_ratios_read_fits_prediction_and_cholesky() {
        let r = gp_ratios(GP_TABLE);
        let labels: Vec<&str> = r.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "GP fit, n = 50",
                "GP fit with priors, n = 50",
                "posterior at 1000 points",
                "Cholesky, n = 1000",
            ]
        );
        assert_eq!((r[0].value, r[1].value), (10.3, 14.4));
        assert_eq!(r[1].shown, "14.4");
        assert!((r[2].value - 65.61 / 61.62).abs() < 1e-12);
        assert!((r[3].value - 21.98 / 25.44).abs() < 1e-12);
        assert_eq!(r[3].shown, "0.86");
        assert_eq!(r.iter().map(|r| r.group).collect::<Vec<_>>(), [1, 1, 2, 2]);
    }
}
