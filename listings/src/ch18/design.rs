//! Chapter 18: why a Sobol design rather than random points, measured — the closest pair,
//! the centred discrepancy — and how thinly a fixed number of points covers a box as its
//! dimension grows.

use gradbo::sampling::draw_sobol_samples;
use gradbo::Bounds;
use ndarray::{Array2, ArrayView1, ArrayView2};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// n points drawn independently and uniformly from the box, with `seed`.
pub fn uniform_design(
    bounds: &Bounds,
    n: usize,
    seed: u64,
) -> gradbo::Result<Array2<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let u = Array2::from_shape_simple_fn((n, bounds.dim()), || rng.random::<f64>());
    bounds.from_unit(u.view())
}

// ANCHOR: measures
/// The Euclidean distance between two points of the unit cube.
fn distance(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>) -> f64 {
    a.iter().zip(b).map(|(p, q)| (p - q).powi(2)).sum::<f64>().sqrt()
}

/// The distance between the two closest points of a design, in the unit cube (the box
/// mapped onto [0, 1]ᵈ): a design with a small closest pair spends two evaluations where
/// one would tell almost as much.
pub fn closest_pair(
    x: ArrayView2<'_, f64>,
    bounds: &Bounds,
) -> gradbo::Result<f64> {
    let u = bounds.to_unit(x)?;
    let mut closest = f64::INFINITY;
    for i in 0..u.nrows() {
        for j in 0..i {
            closest = closest.min(distance(u.row(i), u.row(j)));
        }
    }
    Ok(closest)
}

/// The squared centred L² discrepancy of a design in the unit cube (Hickernell's): how far
/// the fraction of points in boxes anchored at the cube's centre and corners is from those
/// boxes' volumes, averaged over all such boxes. 0 would be a perfectly even spread; lower
/// is more even. With zᵢₖ = |uᵢₖ − ½|,
/// CD² = (13/12)ᵈ − (2/n) Σᵢ Πₖ (1 + ½zᵢₖ − ½zᵢₖ²)
///       + (1/n²) Σᵢ Σⱼ Πₖ (1 + ½zᵢₖ + ½zⱼₖ − ½|uᵢₖ − uⱼₖ|).
pub fn centred_discrepancy(
    x: ArrayView2<'_, f64>,
    bounds: &Bounds,
) -> gradbo::Result<f64> {
    let u = bounds.to_unit(x)?;
    let (n, d) = (u.nrows() as f64, u.ncols() as i32);
    let z = u.mapv(|v| (v - 0.5).abs());
    let single: f64 = z
        .rows()
        .into_iter()
        .map(|zi| zi.iter().map(|&a| 1.0 + 0.5 * a - 0.5 * a * a).product::<f64>())
        .sum();
    let mut pairs = 0.0;
    for i in 0..u.nrows() {
        for j in 0..u.nrows() {
            pairs += (0..u.ncols())
                .map(|k| {
                    let gap = (u[[i, k]] - u[[j, k]]).abs();
                    1.0 + 0.5 * z[[i, k]] + 0.5 * z[[j, k]] - 0.5 * gap
                })
                .product::<f64>();
        }
    }
    Ok((13.0f64 / 12.0).powi(d) - 2.0 / n * single + pairs / (n * n))
}
// ANCHOR_END: measures

// ANCHOR: coverage
/// The median, over `probes` points drawn uniformly from the unit cube, of the distance
/// to the nearest point of the design: how far a typical place in the box is from
/// anything the model has seen.
pub fn typical_gap(
    x: ArrayView2<'_, f64>,
    bounds: &Bounds,
    probes: usize,
    seed: u64,
) -> gradbo::Result<f64> {
    let u = bounds.to_unit(x)?;
    let unit = Bounds::unit(bounds.dim())?;
    let p = uniform_design(&unit, probes, seed)?;
    let mut gaps: Vec<f64> = p
        .rows()
        .into_iter()
        .map(|q| {
            u.rows()
                .into_iter()
                .map(|r| distance(q, r))
                .fold(f64::INFINITY, f64::min)
        })
        .collect();
    gaps.sort_by(f64::total_cmp);
    Ok(gaps[gaps.len() / 2])
}
// ANCHOR_END: coverage

/// Medians over 100 seeds of both measures, Sobol against uniform, for the chapter's
/// design of 10 points in five dimensions.
pub fn main() -> gradbo::Result<()> {
    let bounds = Bounds::cube(5, -2.0, 2.0)?;
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        0.5 * (v[49] + v[50])
    };
    let (mut sobol, mut uniform) =
        ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()));
    for seed in 0..100 {
        let s = draw_sobol_samples(&bounds, 10, seed)?;
        let u = uniform_design(&bounds, 10, seed)?;
        sobol.0.push(closest_pair(s.view(), &bounds)?);
        sobol.1.push(centred_discrepancy(s.view(), &bounds)?);
        uniform.0.push(closest_pair(u.view(), &bounds)?);
        uniform.1.push(centred_discrepancy(u.view(), &bounds)?);
    }
    println!(
        "closest pair: Sobol {:.3}, uniform {:.3}; CD²: Sobol {:.4}, uniform {:.4}",
        median(sobol.0),
        median(uniform.0),
        median(sobol.1),
        median(uniform.1)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn main_runs() {
        main().unwrap();
    }

    #[test]
    fn the_measures_on_designs_worked_by_hand() {
        let unit = Bounds::unit(3).unwrap();
        // One point at the centre: CD² = (13/12)ᵈ − 2 + 1.
        let centre = array![[0.5, 0.5, 0.5]];
        let cd = centred_discrepancy(centre.view(), &unit).unwrap();
        assert!((cd - ((13.0f64 / 12.0).powi(3) - 1.0)).abs() < 1e-15);
        // In one dimension, the two points ¼ and ¾, both at z = ¼ from the centre:
        // CD² = 13/12 − (2/2)·2·(1 + ⅛ − 1/32) + (2·(1 + ¼) + 2·(1 + ¼ − ½·½))/4 = 1/48.
        let one = Bounds::unit(1).unwrap();
        let x = array![[0.25], [0.75]];
        let cd = centred_discrepancy(x.view(), &one).unwrap();
        assert!((cd - 1.0 / 48.0).abs() < 1e-15, "{cd}");
        // The closest pair is measured in the unit cube: a box of width 4.
        let b = Bounds::cube(2, -2.0, 2.0).unwrap();
        let x = array![[-2.0, -2.0], [2.0, 2.0], [-1.0, -2.0]];
        assert!((closest_pair(x.view(), &b).unwrap() - 0.25).abs() < 1e-15);
    }

    #[test]
    fn sobol_designs_are_more_even_than_random_ones() {
        // Over 50 seeds, in five dimensions with ten points: the Sobol design has the
        // lower discrepancy and the wider closest pair in most seeds.
        let b = Bounds::cube(5, -2.0, 2.0).unwrap();
        let (mut cd_wins, mut gap_wins) = (0, 0);
        for seed in 0..50 {
            let s = draw_sobol_samples(&b, 10, seed).unwrap();
            let u = uniform_design(&b, 10, seed).unwrap();
            let cd = |x: &Array2<f64>| centred_discrepancy(x.view(), &b).unwrap();
            let gap = |x: &Array2<f64>| closest_pair(x.view(), &b).unwrap();
            cd_wins += usize::from(cd(&s) < cd(&u));
            gap_wins += usize::from(gap(&s) > gap(&u));
        }
        assert!(cd_wins >= 40 && gap_wins >= 35, "{cd_wins}, {gap_wins}");
    }

    #[test]
    fn the_same_number_of_points_leaves_wider_gaps_in_more_dimensions() {
        let gap = |d: usize| {
            let b = Bounds::cube(d, -2.0, 2.0).unwrap();
            let x = draw_sobol_samples(&b, 2 * d + 30, 0).unwrap();
            typical_gap(x.view(), &b, 2000, 1).unwrap()
        };
        let (g2, g4, g8) = (gap(2), gap(4), gap(8));
        assert!(g2 < g4 && g4 < g8, "{g2} {g4} {g8}");
        // Per side of the unit cube: in d = 8 a typical point is more than half the box's
        // side from every point of the design; in d = 2, less than a tenth.
        assert!(g8 > 0.5 && g2 < 0.1, "{g2} {g8}");
    }
}
