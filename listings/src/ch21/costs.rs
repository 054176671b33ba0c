//! Chapter 21: the pipeline with snapping in the decoder, the cost of a design, the course's
//! initial design with its costs, and why LogEI − λ·cost behaves differently at different
//! LogEI levels.

use gradbo::acquisition::log_expected_improvement;
use gradbo::budget::{choose_affordable, Budget, CostModel, CostUtility, Priced};
use gradbo::test_functions::catalyst::{cost, Catalyst, Design, Pipeline};
use gradbo::Result;
use ndarray::ArrayView1;

// ANCHOR: design
/// The initial design of the course's Tutorials 3 and 4: eight latent points (r_T, r_L,
/// r_t, r_s), printed to six decimals.
pub const COURSE_DESIGN: [[f64; 4]; 8] = [
    [0.689666, 0.278232, 0.771052, 0.673455],
    [0.759167, 0.043482, 0.933570, 0.078998],
    [0.014981, 0.440072, 0.119953, 0.486687],
    [0.166035, 0.462993, 0.466580, 0.169596],
    [0.558122, 0.611953, 0.267596, 0.911915],
    [0.681695, 0.724740, 0.331416, 0.648392],
    [0.574852, 0.160141, 0.167172, 0.085792],
    [0.028768, 0.234328, 0.718455, 0.096851],
];
// ANCHOR_END: design

/// One row of the initial design's table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub decoded: Design,
    pub repaired: Design,
    pub flags: Vec<String>,
    pub score: f64,
    pub cost: f64,
    /// What chapter 20's pipeline (snapping after the repair) made of the same point.
    pub snapped_after: Design,
}

// ANCHOR: rows
/// The course's design through chapter 21's pipeline (and chapter 20's, for comparison).
pub fn rows() -> Result<Vec<Row>> {
    let now = Catalyst::new(Pipeline::SnapInDecoder);
    let before = Catalyst::new(Pipeline::SnapInRepair);
    COURSE_DESIGN
        .iter()
        .map(|r| {
            let e = now.evaluate(ArrayView1::from(&r[..]))?;
            let old = before.evaluate(ArrayView1::from(&r[..]))?;
            Ok(Row {
                decoded: e.decoded,
                flags: e.repaired.flags.iter().map(|f| f.name()).collect(),
                score: e.score,
                cost: cost.checked_cost(&e.repaired.design)?,
                repaired: e.repaired.design,
                snapped_after: old.repaired.design,
            })
        })
        .collect()
}
// ANCHOR_END: rows

// ANCHOR: level
/// Two candidates with σ = 1: A costs 1.6 and its mean is 0.5 below B's; B costs 12.3 and
/// its mean is `gap` below the incumbent. Returns LogEI of A and B and the choices of
/// LogEI − λ·cost (λ = 1) and of EI per cost ('A' or 'B').
pub fn level(gap: f64) -> Result<(f64, f64, char, char)> {
    let a = log_expected_improvement(-gap - 0.5, 1.0, 0.0).value;
    let b = log_expected_improvement(-gap, 1.0, 0.0).value;
    let pool = [Priced { log_ei: a, cost: 1.6 }, Priced { log_ei: b, cost: 12.3 }];
    let budget = Budget::new(60.0, 1.0)?;
    let name = |i: Option<usize>| if i == Some(0) { 'A' } else { 'B' };
    let lambda = choose_affordable(
        &pool,
        &budget,
        CostUtility::LogEiMinusCost { lambda: 1.0 },
    )?;
    let ratio = choose_affordable(&pool, &budget, CostUtility::EiPerCost)?;
    Ok((a, b, name(lambda), name(ratio)))
}
// ANCHOR_END: level

/// The gaps of the table.
pub const GAPS: [f64; 6] = [0.0, 2.0, 5.0, 10.0, 20.0, 25.0];

/// Prints the initial design, the costs and the λ table.
pub fn main() -> Result<()> {
    for r in rows()? {
        println!(
            "{} -> {} score {:.6} cost {:.1} flags {}",
            r.decoded,
            r.repaired,
            r.score,
            r.cost,
            r.flags.join(",")
        );
    }
    let designs = Catalyst::new(Pipeline::SnapInDecoder).reachable_designs();
    let costs: Vec<f64> = designs.iter().map(cost).collect::<Result<_>>()?;
    let low = costs.iter().copied().fold(f64::MAX, f64::min);
    let high = costs.iter().copied().fold(f64::MIN, f64::max);
    println!("{} designs, costs {low:.1} to {high:.1}", designs.len());
    for gap in GAPS {
        let (a, b, l, r) = level(gap)?;
        println!("gap {gap:>4}: LogEI A {a:>9.3} B {b:>9.3}  λ = 1 picks {l}, EI/cost picks {r}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::test_functions::catalyst::{score, Solvent};

    #[test]
    fn the_course_design_gives_the_published_costs_and_scores() {
        let rows = rows().unwrap();
        let want = [
            ((118.0, 0.06, 40, Solvent::C), 47.288645, 12.3),
            ((118.0, 0.06, 50, Solvent::C), 33.288645, 13.3),
            ((88.0, 0.09, 20, Solvent::B), 25.576127, 3.4),
            ((65.0, 0.10, 20, Solvent::A), 41.341301, 1.6),
            ((118.0, 0.10, 40, Solvent::C), 47.509718, 12.3),
            ((108.0, 0.13, 20, Solvent::B), 28.681537, 5.7),
            ((85.0, 0.04, 20, Solvent::A), 37.297337, 1.6),
            ((65.0, 0.05, 20, Solvent::A), 39.325925, 1.6),
        ];
        for (r, ((t, l, time, s), sc, c)) in rows.iter().zip(want) {
            assert_eq!(r.repaired.key(), Design::new(t, l, time, s).key());
            assert!((r.score - sc).abs() < 1e-6, "{} {}", r.repaired, r.score);
            assert!((r.cost - c).abs() < 1e-12);
        }
        let total: f64 = rows.iter().map(|r| r.cost).sum();
        assert!((total - 51.8).abs() < 1e-9);
        let best = rows.iter().map(|r| r.score).fold(f64::MIN, f64::max);
        assert!((best - 47.509718).abs() < 1e-6);
        let count = |s| rows.iter().filter(|r| r.repaired.solvent == s).count();
        assert_eq!(
            (count(Solvent::C), count(Solvent::A), count(Solvent::B)),
            (3, 3, 2)
        );
        // Chapter 20's pipeline took the sixth point to 110 °C, outside B's window.
        assert_eq!(rows[5].snapped_after.temperature, 110.0);
    }

    #[test]
    fn the_reachable_designs_and_their_costs() {
        let designs = Catalyst::new(Pipeline::SnapInDecoder).reachable_designs();
        assert_eq!(designs.len(), 242);
        let costs: Vec<f64> = designs.iter().map(|d| cost(d).unwrap()).collect();
        assert_eq!(costs.iter().copied().fold(f64::MAX, f64::min), 1.0);
        assert!(
            (costs.iter().copied().fold(f64::MIN, f64::max) - 15.3).abs() < 1e-12
        );
        assert!((cost(&Catalyst::OPTIMUM).unwrap() - 14.3).abs() < 1e-12);
        // The course's reported best designs and the cheap B alternative.
        for (d, s, c) in [
            (Design::new(118.0, 0.08, 40, Solvent::C), 58.142291, 12.3),
            (Design::new(95.0, 0.11, 30, Solvent::B), 57.685063, 4.2),
            (Design::new(125.0, 0.09, 40, Solvent::C), 65.122226, 14.3),
            (Design::new(100.0, 0.12, 30, Solvent::B), 69.158225, 6.5),
        ] {
            assert!((score(&d).unwrap() - s).abs() < 1e-6);
            assert!((cost(&d).unwrap() - c).abs() < 1e-12);
        }
    }

    #[test]
    fn lambda_decides_by_the_log_ei_level() {
        let picks: Vec<(char, char)> = GAPS
            .iter()
            .map(|&g| level(g).map(|(_, _, l, r)| (l, r)).unwrap())
            .collect();
        assert_eq!(
            picks,
            vec![
                ('A', 'A'),
                ('A', 'A'),
                ('A', 'B'),
                ('A', 'B'),
                ('A', 'B'),
                ('B', 'B')
            ]
        );
    }
}
