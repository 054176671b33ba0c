//! The course's synthetic catalyst problem (Part 5): a reaction whose yield-like score depends
//! on a temperature T (°C), a catalyst loading L, a reaction time t (minutes) and a solvent
//! s ∈ {A, B, C}, with rules that make some experiments infeasible.
//!
//! Bayesian optimisation can search a 4-D latent unit cube r = (r_T, r_L, r_t, r_s): each
//! latent point is **decoded** to experimental variables ([`Catalyst::decode`]), **repaired**
//! to a feasible experiment by ordered rules that record a [`RepairFlag`] for each change
//! ([`Catalyst::repair`]), and only the repaired experiment is **scored** ([`score`]). The
//! problem is a maximisation. Two pipelines exist ([`Pipeline`]): chapter 20's, which snaps
//! T and L to their grids at the end of the repair, and chapter 21's, which snaps them in the
//! decoder and so keeps the solvent windows' edges (88, 108, 118 and 132 °C) reachable.
//!
//! Every rounding to a grid is *round half to even* ([`f64::round_ties_even`]), the rounding
//! of Python's `round`, which the course's reference values were computed with: 112.5 °C
//! snaps to 110, not 115, and 117.5 °C to 120.

use crate::{Error, Result};
use ndarray::ArrayView1;
use std::collections::BTreeMap;
use std::fmt;

/// The reaction times that can be run, in minutes.
pub const TIME_LEVELS: [u32; 5] = [10, 20, 30, 40, 50];
/// The temperature range of the experiment, °C: T ∈ [40, 140].
pub const TEMPERATURE_RANGE: (f64, f64) = (40.0, 140.0);
/// The catalyst loading range: L ∈ [0.01, 0.20].
pub const LOADING_RANGE: (f64, f64) = (0.01, 0.20);
/// The temperature grid, °C: repaired temperatures are multiples of 5.
pub const TEMPERATURE_STEP: f64 = 5.0;
/// The loading grid: repaired loadings are multiples of 0.01.
pub const LOADING_STEP: f64 = 0.01;
/// Above this temperature (strictly), only solvent C may be used.
pub const HIGH_TEMPERATURE: f64 = 110.0;

/// A solvent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Solvent {
    /// Solvent A: low temperatures (65–85 °C), short times.
    A,
    /// Solvent B: middle temperatures (88–108 °C).
    B,
    /// Solvent C: high temperatures (118–132 °C), long times; the best experiments.
    C,
}

impl Solvent {
    /// The three solvents, in order.
    pub const ALL: [Solvent; 3] = [Solvent::A, Solvent::B, Solvent::C];

    /// 0, 1 or 2.
    pub fn index(self) -> usize {
        match self {
            Solvent::A => 0,
            Solvent::B => 1,
            Solvent::C => 2,
        }
    }

    /// "A", "B" or "C".
    pub fn name(self) -> &'static str {
        ["A", "B", "C"][self.index()]
    }

    /// The solvent's feasibility window.
    pub fn window(self) -> Window {
        match self {
            Solvent::A => Window {
                temperature: (65.0, 85.0),
                loading: (None, 0.12),
                times: [10, 20],
            },
            Solvent::B => Window {
                temperature: (88.0, 108.0),
                loading: (Some(0.08), 0.13),
                times: [20, 30],
            },
            Solvent::C => Window {
                temperature: (118.0, 132.0),
                loading: (Some(0.06), 0.10),
                times: [40, 50],
            },
        }
    }

    /// The parameters of the score for this solvent.
    pub fn score_parameters(self) -> ScoreParameters {
        let (base, amp, t_opt, l_opt, sigma_t, sigma_l, time_opt, tau, bonus) =
            match self {
                Solvent::A => (40.0, 22.0, 75.0, 0.09, 5.0, 0.010, 20.0, 0.16, 0.0),
                Solvent::B => (42.0, 28.0, 98.0, 0.12, 5.5, 0.010, 30.0, 0.15, 0.5),
                Solvent::C => {
                    (46.0, 38.0, 125.0, 0.08, 4.5, 0.008, 40.0, 0.14, 2.5)
                }
            };
        ScoreParameters {
            base,
            amp,
            t_opt,
            l_opt,
            sigma_t,
            sigma_l,
            time_opt,
            tau,
            bonus,
        }
    }

    /// The solvent's part of the cost, c_s: 1.0 (A), 2.8 (B), 8.0 (C).
    pub fn cost(self) -> f64 {
        [1.0, 2.8, 8.0][self.index()]
    }
}

impl fmt::Display for Solvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A solvent's feasibility window: the temperatures, loadings and times it may be run at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// [T_min, T_max], °C.
    pub temperature: (f64, f64),
    /// (L_min if any, L_max): A has no floor beyond the loading range's.
    pub loading: (Option<f64>, f64),
    /// The two allowed times, in minutes, smaller first.
    pub times: [u32; 2],
}

/// The constants of the score for one solvent (the course's table).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreParameters {
    /// Base level.
    pub base: f64,
    /// Height of the Gaussian peak.
    pub amp: f64,
    /// Peak temperature T*.
    pub t_opt: f64,
    /// Peak loading L*.
    pub l_opt: f64,
    /// Peak width in temperature σ_T.
    pub sigma_t: f64,
    /// Peak width in loading σ_L.
    pub sigma_l: f64,
    /// Best time t*.
    pub time_opt: f64,
    /// Penalty per squared minute away from t*, τ.
    pub tau: f64,
    /// Solvent bonus.
    pub bonus: f64,
}

/// An experiment: temperature T (°C), loading L, time t (minutes) and solvent s.
///
/// Any values can be held; [`Catalyst::repair`] makes them feasible.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Design {
    /// Temperature T, °C.
    pub temperature: f64,
    /// Catalyst loading L.
    pub loading: f64,
    /// Reaction time t, minutes.
    pub time: u32,
    /// Solvent s.
    pub solvent: Solvent,
}

impl Design {
    /// The design (T, L, t, s).
    pub fn new(
        temperature: f64,
        loading: f64,
        time: u32,
        solvent: Solvent,
    ) -> Self {
        Design { temperature, loading, time, solvent }
    }

    /// The design's key: (round(T) as an integer, L rounded to 2 decimals, t, s), which
    /// identifies a repaired experiment. Rounding is half to even (see the module's
    /// documentation); on repaired designs, which lie on the grids, it only removes the
    /// floating-point dust of 0.01·k.
    pub fn key(&self) -> DesignKey {
        DesignKey {
            temperature: self.temperature.round_ties_even() as i64,
            loading_hundredths: (self.loading * 100.0).round_ties_even() as i64,
            time: self.time,
            solvent: self.solvent,
        }
    }
}

impl fmt::Display for Design {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "({}, {:.2}, {}, {})",
            fmt_temperature(self.temperature),
            self.loading,
            self.time,
            self.solvent
        )
    }
}

/// A temperature as the course prints it: whole degrees without decimals, others with four.
fn fmt_temperature(t: f64) -> String {
    if t == t.round() && t.abs() < 1e15 {
        format!("{t:.0}")
    } else {
        format!("{t:.4}")
    }
}

/// The identity of a repaired experiment (see [`Design::key`]). Two latent points whose
/// repaired designs share a key ran the same experiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DesignKey {
    /// round(T), °C.
    pub temperature: i64,
    /// round(100·L).
    pub loading_hundredths: i64,
    /// t, minutes.
    pub time: u32,
    /// s.
    pub solvent: Solvent,
}

impl DesignKey {
    /// The design the key stands for: (T, L/100, t, s).
    pub fn design(&self) -> Design {
        Design::new(
            self.temperature as f64,
            self.loading_hundredths as f64 / 100.0,
            self.time,
            self.solvent,
        )
    }
}

impl fmt::Display for DesignKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "({}, {}.{:02}, {}, {})",
            self.temperature,
            self.loading_hundredths / 100,
            self.loading_hundredths.rem_euclid(100),
            self.time,
            self.solvent
        )
    }
}

/// A change the repair made, named as in the course ("high_temp_requires_C",
/// "B_temp_cap", "temp_grid_snap", …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RepairFlag {
    /// T > 110 °C with solvent A or B: the solvent became C.
    HighTempRequiresC,
    /// T below the solvent's window: raised to its floor.
    TempFloor(Solvent),
    /// T above the solvent's window: lowered to its cap.
    TempCap(Solvent),
    /// L above the solvent's window: lowered to its cap.
    LoadingCap(Solvent),
    /// L below the solvent's window: raised to its floor (B and C).
    LoadingFloor(Solvent),
    /// t not one of the solvent's two times: moved to the nearer one.
    TimeWindow(Solvent),
    /// T moved to the nearest multiple of 5 °C (chapter 20's pipeline).
    TempGridSnap,
    /// L moved to the nearest multiple of 0.01 (chapter 20's pipeline).
    LoadingGridSnap,
}

impl RepairFlag {
    /// The flag's name in the course: "high_temp_requires_C", "A_temp_floor", "A_temp_cap",
    /// "A_loading_cap", "B_loading_floor", "C_time_window", "temp_grid_snap",
    /// "loading_grid_snap", ….
    pub fn name(&self) -> String {
        match self {
            RepairFlag::HighTempRequiresC => "high_temp_requires_C".into(),
            RepairFlag::TempFloor(s) => format!("{s}_temp_floor"),
            RepairFlag::TempCap(s) => format!("{s}_temp_cap"),
            RepairFlag::LoadingCap(s) => format!("{s}_loading_cap"),
            RepairFlag::LoadingFloor(s) => format!("{s}_loading_floor"),
            RepairFlag::TimeWindow(s) => format!("{s}_time_window"),
            RepairFlag::TempGridSnap => "temp_grid_snap".into(),
            RepairFlag::LoadingGridSnap => "loading_grid_snap".into(),
        }
    }
}

impl fmt::Display for RepairFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// A repaired experiment and the changes that made it feasible, in the order they were made.
#[derive(Debug, Clone, PartialEq)]
pub struct Repaired {
    /// The feasible experiment.
    pub design: Design,
    /// One flag per change.
    pub flags: Vec<RepairFlag>,
}

impl Repaired {
    /// Whether the repair changed anything.
    pub fn was_repaired(&self) -> bool {
        !self.flags.is_empty()
    }

    /// The number of changes.
    pub fn flag_count(&self) -> usize {
        self.flags.len()
    }
}

/// A latent point followed through the pipeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The decoded experiment.
    pub decoded: Design,
    /// The repaired experiment, with its flags.
    pub repaired: Repaired,
    /// S at the repaired experiment.
    pub score: f64,
}

/// Where T and L are snapped to their grids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pipeline {
    /// Chapter 20's (the course's Tutorial 3): continuous T and L are decoded; the repair
    /// applies the high-temperature rule, then the solvent window, then snaps T to 5 °C and
    /// L to 0.01. Snapping after the window can leave it (B's 108 → 110, C's 118 → 120 and
    /// 132 → 130). 210 repaired designs are reachable.
    SnapInRepair,
    /// Chapter 21's (the course's Tutorial 4): the decoder snaps T and L; the repair applies
    /// the high-temperature rule and the window only, so the windows' edges are reached.
    /// 242 repaired designs are reachable.
    SnapInDecoder,
}

/// The catalyst problem with one of its two pipelines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Catalyst {
    pipeline: Pipeline,
}

impl Catalyst {
    /// The latent dimension, 4: (r_T, r_L, r_t, r_s).
    pub const LATENT_DIM: usize = 4;
    /// The best reachable design under both pipelines, (125 °C, 0.08, 40 min, C).
    pub const OPTIMUM: Design =
        Design { temperature: 125.0, loading: 0.08, time: 40, solvent: Solvent::C };
    /// Its score, S = 85.844335… (the largest over every reachable design).
    pub const OPTIMAL_SCORE: f64 = 85.844_335_217_070_62;

    /// The problem with the given pipeline.
    pub const fn new(pipeline: Pipeline) -> Self {
        Catalyst { pipeline }
    }

    /// The pipeline.
    pub fn pipeline(&self) -> Pipeline {
        self.pipeline
    }

    /// Decodes a latent point r ∈ [0, 1]⁴ (each coordinate first clipped to [0, 1]):
    /// T = 40 + 100 r_T, L = 0.01 + 0.19 r_L, t = the level of {10, …, 50} nearest to
    /// 10 + 40 r_t (a tie goes to the lower level), s = A if r_s < 1/3, B if r_s < 2/3,
    /// else C. With [`Pipeline::SnapInDecoder`], T = 5·round(T/5) and L = 0.01·round(L/0.01)
    /// (half to even), clamped to [40, 140] and [0.01, 0.20].
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless r has 4 coordinates; [`Error::NonFinite`] for a
    /// non-finite one.
    pub fn decode(&self, latent: ArrayView1<'_, f64>) -> Result<Design> {
        if latent.len() != Self::LATENT_DIM {
            return Err(Error::ShapeMismatch {
                context: "Catalyst::decode",
                expected: vec![Self::LATENT_DIM],
                found: vec![latent.len()],
            });
        }
        if latent.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context: "Catalyst::decode" });
        }
        let r: Vec<f64> = latent.iter().map(|v| v.clamp(0.0, 1.0)).collect();
        let mut temperature = 40.0 + 100.0 * r[0];
        let mut loading = 0.01 + 0.19 * r[1];
        if self.pipeline == Pipeline::SnapInDecoder {
            temperature = snap_temperature(temperature);
            loading = snap_loading(loading);
        }
        let time = nearest_level(10.0 + 40.0 * r[2], &TIME_LEVELS);
        let solvent = if r[3] < 1.0 / 3.0 {
            Solvent::A
        } else if r[3] < 2.0 / 3.0 {
            Solvent::B
        } else {
            Solvent::C
        };
        Ok(Design { temperature, loading, time, solvent })
    }

    /// Repairs a design to a feasible experiment, in this order, flagging each change:
    /// 1. T > 110 °C and s ≠ C: s ← C;
    /// 2. the solvent's window ([`Solvent::window`]): T raised to its floor or lowered to
    ///    its cap, then L likewise (cap before floor), then t moved to the nearer of the
    ///    window's two times (a tie to the smaller: 30 → 20 for A, 30 → 40 for C);
    /// 3. with [`Pipeline::SnapInRepair`] only: T ← 5·round(T/5) clamped to [40, 140], then
    ///    L ← 0.01·round(L/0.01) clamped to [0.01, 0.20], rounding half to even.
    ///
    /// # Errors
    /// [`Error::NonFinite`] if T or L is not finite.
    pub fn repair(&self, design: &Design) -> Result<Repaired> {
        check_finite(design, "Catalyst::repair")?;
        let mut d = *design;
        let mut flags = Vec::new();
        if d.temperature > HIGH_TEMPERATURE && d.solvent != Solvent::C {
            d.solvent = Solvent::C;
            flags.push(RepairFlag::HighTempRequiresC);
        }
        let s = d.solvent;
        let w = s.window();
        if d.temperature < w.temperature.0 {
            d.temperature = w.temperature.0;
            flags.push(RepairFlag::TempFloor(s));
        }
        if d.temperature > w.temperature.1 {
            d.temperature = w.temperature.1;
            flags.push(RepairFlag::TempCap(s));
        }
        if d.loading > w.loading.1 {
            d.loading = w.loading.1;
            flags.push(RepairFlag::LoadingCap(s));
        }
        if let Some(floor) = w.loading.0 {
            if d.loading < floor {
                d.loading = floor;
                flags.push(RepairFlag::LoadingFloor(s));
            }
        }
        let time = nearest_level(d.time as f64, &w.times);
        if time != d.time {
            d.time = time;
            flags.push(RepairFlag::TimeWindow(s));
        }
        if self.pipeline == Pipeline::SnapInRepair {
            let t = snap_temperature(d.temperature);
            if t != d.temperature {
                d.temperature = t;
                flags.push(RepairFlag::TempGridSnap);
            }
            let l = snap_loading(d.loading);
            if l != d.loading {
                d.loading = l;
                flags.push(RepairFlag::LoadingGridSnap);
            }
        }
        Ok(Repaired { design: d, flags })
    }

    /// Decode → repair → score of a latent point.
    ///
    /// # Errors
    /// As [`Catalyst::decode`].
    pub fn evaluate(&self, latent: ArrayView1<'_, f64>) -> Result<Evaluation> {
        let decoded = self.decode(latent)?;
        let repaired = self.repair(&decoded)?;
        let score = score(&repaired.design)?;
        Ok(Evaluation { decoded, repaired, score })
    }

    /// Every repaired design the pipeline can produce, sorted by key: 210 designs for
    /// [`Pipeline::SnapInRepair`], 242 for [`Pipeline::SnapInDecoder`].
    ///
    /// The repair decides the solvent and the temperature from the decoded (T, s) alone,
    /// and then the loading and the time from the decoded L and t and the final solvent
    /// alone; so the reachable designs of each final solvent are the product of its
    /// reachable temperatures, loadings and times. Each set is found by pushing a grid of
    /// latent values through the pipeline: r_T in steps of 1/200 (0.5 °C) with r_s in each
    /// third, r_L in steps of 1/190 (a loading step of 0.001), r_t at the five levels. The
    /// repair sees T and L only through comparisons with thresholds and through the 5 °C
    /// and 0.01 grids, all coarser than these steps, so every reachable value is met.
    pub fn reachable_designs(&self) -> Vec<Design> {
        let at = |r: [f64; 4]| {
            // Finite latent points of length 4: decode and repair succeed.
            self.evaluate(ArrayView1::from(&r[..])).ok().map(|e| e.repaired.design)
        };
        // The final (T, s) pairs, with a latent (r_T, r_s) that reaches each solvent.
        let mut temperatures: BTreeMap<Solvent, BTreeMap<i64, f64>> =
            BTreeMap::new();
        let mut reaching: BTreeMap<Solvent, (f64, f64)> = BTreeMap::new();
        for i in 0..=200 {
            for rs in [0.0, 0.5, 1.0] {
                let rt = i as f64 / 200.0;
                if let Some(d) = at([rt, 0.5, 0.5, rs]) {
                    let key = d.key().temperature;
                    temperatures
                        .entry(d.solvent)
                        .or_default()
                        .insert(key, d.temperature);
                    reaching.entry(d.solvent).or_insert((rt, rs));
                }
            }
        }
        let mut found = BTreeMap::new();
        for (solvent, (rt, rs)) in reaching {
            let mut loadings = BTreeMap::new();
            for j in 0..=190 {
                if let Some(d) = at([rt, j as f64 / 190.0, 0.5, rs]) {
                    loadings.insert(d.key().loading_hundredths, d.loading);
                }
            }
            let mut times = std::collections::BTreeSet::new();
            for r in [0.0, 0.25, 0.5, 0.75, 1.0] {
                if let Some(d) = at([rt, 0.5, r, rs]) {
                    times.insert(d.time);
                }
            }
            for &t in
                temperatures.get(&solvent).into_iter().flat_map(|m| m.values())
            {
                for &l in loadings.values() {
                    for &time in &times {
                        let d = Design::new(t, l, time, solvent);
                        found.insert(d.key(), d);
                    }
                }
            }
        }
        found.into_values().collect()
    }
}

fn check_finite(design: &Design, context: &'static str) -> Result<()> {
    if design.temperature.is_finite() && design.loading.is_finite() {
        Ok(())
    } else {
        Err(Error::NonFinite { context })
    }
}

/// 5·round(T/5) (half to even) clamped to [40, 140].
fn snap_temperature(t: f64) -> f64 {
    (TEMPERATURE_STEP * (t / TEMPERATURE_STEP).round_ties_even())
        .clamp(TEMPERATURE_RANGE.0, TEMPERATURE_RANGE.1)
}

/// 0.01·round(L/0.01) (half to even) clamped to [0.01, 0.20]. Written as the course
/// computes it, k·0.01 rather than a rounding to two decimals, because the edge penalties
/// compare L with 0.06, 0.10 and 0.13 exactly.
fn snap_loading(l: f64) -> f64 {
    (LOADING_STEP * (l / LOADING_STEP).round_ties_even())
        .clamp(LOADING_RANGE.0, LOADING_RANGE.1)
}

/// The level nearest to v; the first (smallest) on a tie.
fn nearest_level(v: f64, levels: &[u32]) -> u32 {
    let mut best = levels[0];
    for &l in &levels[1..] {
        if (l as f64 - v).abs() < (best as f64 - v).abs() {
            best = l;
        }
    }
    best
}

/// The score of an experiment (to be maximised), with the solvent's
/// [`ScoreParameters`] p:
///
/// S = base + bonus + amp·exp(−½((T − T*)/σ_T)² − ½((L − L*)/σ_L)²) − τ(t − t*)²
///     + 0.8 sin(T/9) cos(35L) + ridge + edge,
///
/// ridge = −0.020(T − 72)(L − 0.09)·100 (A), 0.015(T − 96)(L − 0.11)·100 (B),
/// 0.025(T − 122)(0.09 − L)·100 (C); edge, by exact floating-point equality, = −4.0 if
/// T = 85 (A), −2.5 if T = 88 or 108 or L = 0.13 (B), −1.2 if T = 118 or 132 or L = 0.06
/// or 0.10 (C), else 0 (one penalty at most). Meant for repaired designs; defined for any.
///
/// # Errors
/// [`Error::NonFinite`] if T or L is not finite; [`Error::InvalidInput`] if they are so
/// large that S overflows.
pub fn score(design: &Design) -> Result<f64> {
    check_finite(design, "catalyst::score")?;
    let (t, l, s) = (design.temperature, design.loading, design.solvent);
    let p = s.score_parameters();
    let zt = (t - p.t_opt) / p.sigma_t;
    let zl = (l - p.l_opt) / p.sigma_l;
    let peak = p.amp * (-0.5 * zt * zt - 0.5 * zl * zl).exp();
    let time = p.tau * (design.time as f64 - p.time_opt).powi(2);
    let wiggle = 0.8 * (t / 9.0).sin() * (35.0 * l).cos();
    #[allow(clippy::float_cmp)]
    let (ridge, edge) = match s {
        Solvent::A => (
            -0.020 * (t - 72.0) * (l - 0.09) * 100.0,
            if t == 85.0 { -4.0 } else { 0.0 },
        ),
        Solvent::B => (
            0.015 * (t - 96.0) * (l - 0.11) * 100.0,
            if t == 88.0 || t == 108.0 || l == 0.13 { -2.5 } else { 0.0 },
        ),
        Solvent::C => (
            0.025 * (t - 122.0) * (0.09 - l) * 100.0,
            if t == 118.0 || t == 132.0 || l == 0.06 || l == 0.10 {
                -1.2
            } else {
                0.0
            },
        ),
    };
    let total = p.base + p.bonus + peak - time + wiggle + ridge + edge;
    if total.is_finite() {
        Ok(total)
    } else {
        Err(Error::InvalidInput {
            context: "catalyst::score",
            reason: format!(
                "the score overflows at {design}: T or L is far out of range"
            ),
        })
    }
}

/// The cost of an experiment (chapter 21): c_s + c_t + c_T + c_L with c_s = 1.0 (A), 2.8
/// (B), 8.0 (C); c_t = 0.0, 0.6, 1.4, 2.8, 3.8 for t = 10, 20, 30, 40, 50; c_T = 3.5 if
/// T ≥ 120, 1.5 if 100 ≤ T < 120, else 0; c_L = 0.8 if L ≥ 0.12, else 0. Over the reachable
/// designs it ranges from 1.0 to 15.3.
///
/// # Errors
/// [`Error::NonFinite`] if T or L is not finite; [`Error::InvalidInput`] if t is not one of
/// the levels 10, 20, 30, 40, 50.
pub fn cost(design: &Design) -> Result<f64> {
    check_finite(design, "catalyst::cost")?;
    let time_cost = match design.time {
        10 => 0.0,
        20 => 0.6,
        30 => 1.4,
        40 => 2.8,
        50 => 3.8,
        t => {
            return Err(Error::InvalidInput {
                context: "catalyst::cost",
                reason: format!(
                    "the time must be 10, 20, 30, 40 or 50 minutes, got {t}"
                ),
            })
        }
    };
    let t = design.temperature;
    let temperature_cost = if t >= 120.0 {
        3.5
    } else if t >= 100.0 {
        1.5
    } else {
        0.0
    };
    let loading_cost = if design.loading >= 0.12 { 0.8 } else { 0.0 };
    Ok(design.solvent.cost() + time_cost + temperature_cost + loading_cost)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;
    use std::collections::BTreeSet;

    const T3: Catalyst = Catalyst { pipeline: Pipeline::SnapInRepair };
    const T4: Catalyst = Catalyst { pipeline: Pipeline::SnapInDecoder };

    fn d(t: f64, l: f64, time: u32, s: Solvent) -> Design {
        Design::new(t, l, time, s)
    }

    fn names(r: &Repaired) -> Vec<String> {
        r.flags.iter().map(RepairFlag::name).collect()
    }

    #[test]
    fn the_printed_first_latent_row_goes_through_both_pipelines() {
        let r = array![0.689666, 0.278232, 0.771052, 0.673455];
        let e = T3.evaluate(r.view()).unwrap();
        assert!((e.decoded.temperature - 108.9666).abs() < 1e-12);
        assert!((e.decoded.loading - 0.06286408).abs() < 1e-12);
        assert_eq!((e.decoded.time, e.decoded.solvent), (40, Solvent::C));
        assert_eq!(e.repaired.design, d(120.0, 0.06, 40, Solvent::C));
        assert_eq!(
            names(&e.repaired),
            ["C_temp_floor", "temp_grid_snap", "loading_grid_snap"]
        );
        assert!((e.score - 47.770326).abs() < 5e-7);
        // Chapter 21's decoder snaps 108.97 → 110 and 0.0629 → 0.06; the window lifts 110
        // to 118, which is then kept.
        let e = T4.evaluate(r.view()).unwrap();
        assert_eq!(e.decoded, d(110.0, 0.06, 40, Solvent::C));
        assert_eq!(e.repaired.design, d(118.0, 0.06, 40, Solvent::C));
        assert_eq!(names(&e.repaired), ["C_temp_floor"]);
        assert!((e.score - 47.288645).abs() < 5e-7);
        assert!((cost(&e.repaired.design).unwrap() - 12.3).abs() < 1e-12);
    }

    /// The course prints only the first latent row of its initial design; these latent
    /// points were chosen to reproduce the other seven rows under *both* pipelines (and,
    /// for row 1, the four flags the course reports).
    #[allow(clippy::type_complexity)]
    const ROWS: [([f64; 4], (f64, f64, u32, Solvent), f64, usize, f64, f64, f64);
        7] = [
        (
            [0.75, 0.0, 0.9, 0.1],
            (120.0, 0.06, 50, Solvent::C),
            33.770326,
            4,
            118.0,
            33.288645,
            13.3,
        ),
        (
            [0.0, 0.4, 0.0, 0.5],
            (90.0, 0.09, 20, Solvent::B),
            28.223199,
            4,
            88.0,
            25.576127,
            3.4,
        ),
        (
            [0.0, 0.45, 0.15, 0.1],
            (65.0, 0.10, 20, Solvent::A),
            41.341301,
            2,
            65.0,
            41.341301,
            1.6,
        ),
        (
            [0.0, 0.45, 0.0, 0.9],
            (120.0, 0.10, 40, Solvent::C),
            47.730712,
            4,
            118.0,
            47.509718,
            12.3,
        ),
        (
            [0.7, 0.61, 0.0, 0.5],
            (110.0, 0.13, 20, Solvent::B),
            27.035153,
            4,
            108.0,
            28.681537,
            5.7,
        ),
        (
            [0.45, 0.14, 0.15, 0.1],
            (85.0, 0.04, 20, Solvent::A),
            37.297337,
            1,
            85.0,
            37.297337,
            1.6,
        ),
        (
            [0.0, 0.19, 0.15, 0.1],
            (65.0, 0.05, 20, Solvent::A),
            39.325925,
            2,
            65.0,
            39.325925,
            1.6,
        ),
    ];

    #[test]
    fn the_other_initial_rows_match_the_course_in_both_pipelines() {
        for (latent, (t, l, time, s), score3, flags3, t4, score4, cost4) in ROWS {
            let r = ArrayView1::from(&latent[..]);
            let e = T3.evaluate(r).unwrap();
            assert_eq!(
                e.repaired.design.key(),
                d(t, l, time, s).key(),
                "{latent:?}"
            );
            assert!((e.score - score3).abs() < 5e-7, "{latent:?}: {}", e.score);
            assert_eq!(e.repaired.flag_count(), flags3, "{:?}", names(&e.repaired));
            assert!(e.repaired.was_repaired());
            let e = T4.evaluate(r).unwrap();
            assert_eq!(
                e.repaired.design.key(),
                d(t4, l, time, s).key(),
                "{latent:?}"
            );
            assert!((e.score - score4).abs() < 5e-7, "{latent:?}: {}", e.score);
            assert!((cost(&e.repaired.design).unwrap() - cost4).abs() < 1e-12);
        }
        let e = T3.evaluate(ArrayView1::from(&ROWS[0].0[..])).unwrap();
        assert_eq!(
            names(&e.repaired),
            [
                "high_temp_requires_C",
                "C_temp_floor",
                "C_loading_floor",
                "temp_grid_snap"
            ]
        );
    }

    #[test]
    fn decoding_clips_rounds_times_down_on_ties_and_splits_solvents_in_thirds() {
        let e = T3.decode(array![-0.5, 1.5, 0.125, 1.0 / 3.0].view()).unwrap();
        // 10 + 40·0.125 = 15 is halfway between 10 and 20: the lower level.
        assert_eq!(e, d(40.0, 0.20, 10, Solvent::B));
        let e = T3.decode(array![0.3, 0.3, 0.126, 0.3333].view()).unwrap();
        assert_eq!((e.time, e.solvent), (20, Solvent::A));
        assert_eq!(
            T3.decode(array![0.0, 0.0, 1.0, 2.0 / 3.0].view()).unwrap().solvent,
            Solvent::C
        );
        // Snapping in the decoder: 40 + 100·0.725 = 112.5 is a tie and goes to the even
        // multiple, 110 (22·5), not 115.
        let e = T4.decode(array![0.725, 0.0, 0.0, 0.0].view()).unwrap();
        assert_eq!(e.temperature, 110.0);
        let e = T4.decode(array![0.775, 0.0, 0.0, 0.0].view()).unwrap();
        assert_eq!(e.temperature, 120.0, "117.5 → 120 (24·5)");
    }

    #[test]
    fn snapping_rounds_half_to_even_like_python() {
        assert_eq!(snap_temperature(112.5), 110.0);
        assert_eq!(snap_temperature(117.5), 120.0);
        assert_eq!(snap_temperature(108.0), 110.0);
        assert_eq!(snap_temperature(132.0), 130.0);
        assert_eq!(snap_temperature(142.6), 140.0);
        assert_eq!(snap_loading(0.125), 0.12, "12.5 → 12");
        assert_eq!(snap_loading(0.135), 0.14, "13.5 → 14");
        assert_eq!(snap_loading(0.004), 0.01, "clamped");
        // k·0.01 is the literal for the loadings the edge penalties test.
        assert_eq!(snap_loading(0.0612), 0.06);
        assert_eq!(snap_loading(0.1304), 0.13);
        assert_eq!(snap_loading(0.1), 0.1);
    }

    #[test]
    fn the_repair_follows_its_order_and_windows() {
        // B at 136.8 °C: the solvent changes first, so C's window applies to everything.
        let r = T3.repair(&d(136.82, 0.131, 20, Solvent::B)).unwrap();
        assert_eq!(r.design, d(130.0, 0.10, 40, Solvent::C));
        assert_eq!(
            names(&r),
            [
                "high_temp_requires_C",
                "C_temp_cap",
                "C_loading_cap",
                "C_time_window",
                "temp_grid_snap"
            ]
        );
        // Times to the nearer allowed one, a tie to the smaller: 30 → 20 (A), 30 → 40 (C).
        assert_eq!(
            T3.repair(&d(70.0, 0.05, 30, Solvent::A)).unwrap().design.time,
            20
        );
        assert_eq!(
            T3.repair(&d(120.0, 0.08, 30, Solvent::C)).unwrap().design.time,
            40
        );
        assert_eq!(
            T3.repair(&d(120.0, 0.08, 10, Solvent::C)).unwrap().design.time,
            40
        );
        assert_eq!(
            T3.repair(&d(95.0, 0.1, 50, Solvent::B)).unwrap().design.time,
            30
        );
        // Exactly 110 °C does not require C.
        assert_eq!(
            T3.repair(&d(110.0, 0.1, 20, Solvent::B)).unwrap().design.temperature,
            110.0
        );
        // A feasible design on the grid is left alone.
        let ok = T3.repair(&d(125.0, 0.08, 40, Solvent::C)).unwrap();
        assert!(!ok.was_repaired());
        assert!(matches!(
            T3.repair(&d(f64::NAN, 0.1, 20, Solvent::A)),
            Err(Error::NonFinite { .. })
        ));
    }

    #[test]
    fn snapping_after_the_window_leaves_it() {
        // The course's erratum: B capped to 108 snaps to 110; C's 118 and 132 to 120 and 130.
        let b = T3.repair(&d(107.0, 0.1, 30, Solvent::B)).unwrap().design;
        assert_eq!(b.temperature, 105.0);
        let b = T3.repair(&d(108.0, 0.1, 30, Solvent::B)).unwrap();
        assert_eq!(b.design.temperature, 110.0);
        assert_eq!(names(&b), ["temp_grid_snap"]);
        assert_eq!(
            T3.repair(&d(100.0, 0.1, 40, Solvent::C)).unwrap().design.temperature,
            120.0
        );
        assert_eq!(
            T3.repair(&d(140.0, 0.1, 40, Solvent::C)).unwrap().design.temperature,
            130.0
        );
        // With the decoder snapping, the windows' edges stay.
        assert_eq!(
            T4.repair(&d(110.0, 0.1, 30, Solvent::B)).unwrap().design.temperature,
            108.0
        );
    }

    #[test]
    fn the_score_has_exact_edge_penalties_one_per_solvent() {
        let s = |t, l, time, sv| score(&d(t, l, time, sv)).unwrap();
        // The penalty applies by exact equality: T = 85 for A costs exactly 4.0 more than
        // the formula without it.
        let a85 = s(85.0, 0.04, 20, Solvent::A);
        assert!((a85 - 37.297337).abs() < 5e-7);
        let near = s(85.0 + 1e-12, 0.04, 20, Solvent::A);
        assert!((near - a85 - 4.0).abs() < 1e-9, "{near} vs {a85}");
        // B at 108 °C and L = 0.13: only one −2.5.
        let both = s(108.0, 0.13, 20, Solvent::B);
        assert!((both - 28.681537).abs() < 5e-7);
        let neither = s(108.0 + 1e-12, 0.13 + 1e-15, 20, Solvent::B);
        assert!((neither - both - 2.5).abs() < 1e-9);
        // C at 118 and L = 0.06.
        let c = s(118.0, 0.06, 40, Solvent::C);
        assert!((c - 47.288645).abs() < 5e-7);
        assert!(
            (s(118.0 + 1e-12, 0.06 + 1e-15, 40, Solvent::C) - c - 1.2).abs() < 1e-9
        );
        assert!(
            (s(125.0, 0.08, 40, Solvent::C) - Catalyst::OPTIMAL_SCORE).abs()
                < 1e-12
        );
        assert!(matches!(
            score(&d(1e300, 1e300, 40, Solvent::C)),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            score(&d(100.0, f64::INFINITY, 40, Solvent::C)),
            Err(Error::NonFinite { .. })
        ));
        // Far out but not overflowing: a finite value.
        assert!(score(&d(1e150, 0.1, 40, Solvent::A)).unwrap().is_finite());
    }

    #[test]
    fn chapter_20s_pipeline_reaches_210_designs() {
        let all = T3.reachable_designs();
        assert_eq!(all.len(), 210);
        check_sets(
            &all,
            [&[65, 70, 75, 80, 85], &[90, 95, 100, 105, 110], &[120, 125, 130]],
        );
    }

    #[test]
    fn chapter_21s_pipeline_reaches_242_designs() {
        let all = T4.reachable_designs();
        assert_eq!(all.len(), 242);
        check_sets(
            &all,
            [
                &[65, 70, 75, 80, 85],
                &[88, 90, 95, 100, 105, 108],
                &[118, 120, 125, 130, 132],
            ],
        );
        let costs: Vec<f64> = all.iter().map(|d| cost(d).unwrap()).collect();
        let lo = costs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = costs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert!((lo - 1.0).abs() < 1e-12 && (hi - 15.3).abs() < 1e-12, "{lo} {hi}");
        assert!((cost(&Catalyst::OPTIMUM).unwrap() - 14.3).abs() < 1e-12);
    }

    fn check_sets(all: &[Design], temperatures: [&[i64]; 3]) {
        for s in Solvent::ALL {
            let of = |f: &dyn Fn(&DesignKey) -> i64| -> BTreeSet<i64> {
                all.iter()
                    .map(|d| d.key())
                    .filter(|k| k.solvent == s)
                    .map(|k| f(&k))
                    .collect()
            };
            let temps: Vec<i64> = of(&|k| k.temperature).into_iter().collect();
            assert_eq!(temps, temperatures[s.index()], "{s}");
            let loads: Vec<i64> =
                of(&|k| k.loading_hundredths).into_iter().collect();
            let (lo, hi) = [(1, 12), (8, 13), (6, 10)][s.index()];
            assert_eq!(loads, (lo..=hi).collect::<Vec<_>>(), "{s}");
            let times: Vec<i64> = of(&|k| k.time as i64).into_iter().collect();
            let w = s.window().times;
            assert_eq!(times, [w[0] as i64, w[1] as i64], "{s}");
        }
        // One design per key.
        let keys: BTreeSet<DesignKey> = all.iter().map(Design::key).collect();
        assert_eq!(keys.len(), all.len());
    }

    #[test]
    fn the_optimum_the_runners_up_and_the_worst_design() {
        for c in [T3, T4] {
            let mut scored: Vec<(f64, Design)> = c
                .reachable_designs()
                .into_iter()
                .map(|d| (score(&d).unwrap(), d))
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            let expected = [
                ((125.0, 0.08, 40, Solvent::C), 85.844335),
                ((125.0, 0.08, 50, Solvent::C), 71.844335),
                ((100.0, 0.12, 30, Solvent::B), 69.158225),
                ((130.0, 0.08, 40, Solvent::C), 68.479014),
                ((120.0, 0.08, 40, Solvent::C), 68.424400),
            ];
            for (((t, l, time, s), v), (got, design)) in
                expected.iter().zip(&scored)
            {
                assert_eq!(design.key(), d(*t, *l, *time, *s).key());
                assert!((got - v).abs() < 5e-7, "{design}: {got}");
            }
            assert_eq!(scored[0].1.key(), Catalyst::OPTIMUM.key());
            let (worst, design) = scored[scored.len() - 1];
            assert_eq!(design.key(), d(85.0, 0.12, 10, Solvent::A).key());
            assert!((worst - 19.260789).abs() < 5e-7);
            let best_a =
                scored.iter().find(|(_, d)| d.solvent == Solvent::A).unwrap();
            assert_eq!(best_a.1.key(), d(75.0, 0.09, 20, Solvent::A).key());
            assert!((best_a.0 - 61.290190).abs() < 5e-7);
        }
    }

    #[test]
    fn chapter_21s_reported_designs_scores_and_costs() {
        for ((t, l, time, s), v, c) in [
            ((118.0, 0.08, 40, Solvent::C), 58.142291, 12.3),
            ((95.0, 0.11, 30, Solvent::B), 57.685063, 4.2),
            ((125.0, 0.09, 40, Solvent::C), 65.122226, 14.3),
            ((100.0, 0.12, 30, Solvent::B), 69.158225, 6.5),
        ] {
            let x = d(t, l, time, s);
            assert!((score(&x).unwrap() - v).abs() < 5e-7, "{x}");
            assert!((cost(&x).unwrap() - c).abs() < 1e-12, "{x}");
        }
        assert!(matches!(
            cost(&d(100.0, 0.1, 15, Solvent::A)),
            Err(Error::InvalidInput { .. })
        ));
    }

    #[test]
    fn keys_print_and_invert() {
        let k = d(125.0, 0.08 + 1e-17, 40, Solvent::C).key();
        assert_eq!(k.to_string(), "(125, 0.08, 40, C)");
        assert_eq!(k.design().key(), k);
        assert_eq!(
            d(108.9666, 0.062864, 40, Solvent::C).to_string(),
            "(108.9666, 0.06, 40, C)"
        );
        assert_eq!(
            RepairFlag::LoadingFloor(Solvent::B).to_string(),
            "B_loading_floor"
        );
    }

    #[test]
    fn decoding_refuses_bad_latent_points() {
        assert!(matches!(
            T3.decode(array![0.1, 0.2, 0.3].view()),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            T4.evaluate(array![0.1, f64::NAN, 0.3, 0.4].view()),
            Err(Error::NonFinite { .. })
        ));
    }
}
