//! Chapter 11, prediction, uncertainty and confidence: polynomial means with a heuristic
//! data-support σ, candidates compared by (μ, σ), the score μ̃ − βσ̃ over a window, one new
//! observation, figures and exercise answers.

mod exercises;
mod figures;
mod report;

use crate::{Artifact, Context};
pub use exercises::{exercise_degree, exercise_edge, exercise_lengthscale};
use figures::{
    candidates_figure, extrapolation_figure, fits_figure, more_data_figure,
    scores_figure, selections_figure, update_figure,
};
use gradbo::test_functions::running_example as f;
use gradbo_listings::ch11::mean::{self, grid, observe};
use gradbo_listings::ch11::score;
use gradbo_listings::ch11::support::{self, Support};
use report::report;

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part3", "ch11");

const BETAS: [f64; 3] = [0.0, 0.5, 1.0];
const CANDIDATES: [f64; 3] = [-2.5, 0.0, 1.8];

/// A surrogate on the reference grid: the data, a polynomial mean and the heuristic σ.
struct Model {
    x: Vec<f64>,
    y: Vec<f64>,
    support: Support,
    grid: Vec<f64>,
    mu: Vec<f64>,
    sigma: Vec<f64>,
}

impl Model {
    fn fit(x: Vec<f64>, y: Vec<f64>, degree: usize, support: Support) -> Self {
        let grid = grid();
        let (_, mu) = mean::mean(&x, &y, degree, &grid).expect("valid data");
        let sigma = support.sigma(&x, &grid, &grid);
        Model { x, y, support, grid, mu, sigma }
    }

    fn uniform(a: f64, b: f64, n: usize, degree: usize, support: Support) -> Self {
        let (x, y) = observe(a, b, n);
        Model::fit(x, y, degree, support)
    }

    /// μ and σ at the grid points of the search window.
    fn window(&self) -> (Vec<usize>, Vec<f64>, Vec<f64>) {
        let idx = score::window(&self.grid);
        let mu = idx.iter().map(|&i| self.mu[i]).collect();
        let sigma = idx.iter().map(|&i| self.sigma[i]).collect();
        (idx, mu, sigma)
    }

    /// The grid index chosen by the score with this β.
    fn choose(&self, beta: f64) -> usize {
        let (idx, mu, sigma) = self.window();
        idx[score::select(&mu, &sigma, beta)]
    }

    fn mean_at(&self, degree: usize, at: &[f64]) -> Vec<f64> {
        mean::mean(&self.x, &self.y, degree, at).expect("valid data").1
    }
}

/// The central model most of the chapter uses: degree 5, 8 points on [−1.5, 1.5].
fn central() -> Model {
    Model::uniform(-1.5, 1.5, 8, 5, support::DEFAULT)
}

/// The model after evaluating the β = 1 choice and refitting.
fn updated() -> (Model, f64) {
    let before = central();
    let x_new = before.grid[before.choose(1.0)];
    let mut x = before.x.clone();
    let mut y = before.y.clone();
    x.push(x_new);
    y.push(f(x_new));
    (Model::fit(x, y, 5, support::DEFAULT), x_new)
}

/// Everything chapter 11 shows.
pub fn run() -> Vec<Artifact> {
    vec![
        Artifact::new(CTX.output(), report()),
        Artifact::new(CTX.figure("fits"), fits_figure()),
        Artifact::new(CTX.figure("more-data"), more_data_figure()),
        Artifact::new(CTX.figure("extrapolation"), extrapolation_figure()),
        Artifact::new(CTX.figure("candidates"), candidates_figure()),
        Artifact::new(CTX.figure("scores"), scores_figure()),
        Artifact::new(CTX.figure("selections"), selections_figure()),
        Artifact::new(CTX.figure("update"), update_figure()),
    ]
}

fn extrapolation_model() -> Model {
    Model::uniform(-1.2, 1.2, 8, 3, support::WIDE)
}

#[cfg(test)]
mod tests {
    use super::report::*;
    use super::*;
    use gradbo::test_functions::running_example as f;
    use gradbo_listings::ch11::mean;
    use gradbo_listings::ch11::score;
    use gradbo_listings::ch11::support::Support;

    #[test]
    fn candidates_and_selections_match_the_check_values() {
        let m = central();
        let (_, mu) = mean::mean(&m.x, &m.y, 5, &CANDIDATES).unwrap();
        for (got, want) in mu.iter().zip([-1.598, -0.190, -0.231]) {
            assert!((got - want).abs() < 5e-4, "{got}");
        }
        let picks: Vec<f64> = BETAS.iter().map(|&b| m.grid[m.choose(b)]).collect();
        for (got, want) in picks.iter().zip([-0.636, 1.768, -2.199]) {
            assert!((got - want).abs() < 5e-4, "{got}");
        }
        assert!((f(picks[2]) - 0.507).abs() < 5e-4);
        assert_eq!(m.window().0.len(), 440);
    }

    #[test]
    fn the_choices_on_the_chapters_window_survive_rescaling() {
        let m = central();
        let (_, mu, sigma) = m.window();
        // Other units for f (μ → 1000μ − 7) and another base and scale for σ.
        let mu2: Vec<f64> = mu.iter().map(|v| 1000.0 * v - 7.0).collect();
        let other = Support { base: 0.5, scale: 3.0, lengthscale: 0.35 };
        let m2 = Model::fit(m.x.clone(), m.y.clone(), 5, other);
        let (_, _, sigma2) = m2.window();
        for beta in [0.0, 0.25, 0.5, 0.75, 1.0, 1.5] {
            let k = score::select(&mu, &sigma, beta);
            assert_eq!(score::select(&mu2, &sigma, beta), k, "β = {beta}");
            assert_eq!(score::select(&mu, &sigma2, beta), k, "β = {beta}");
            assert_eq!(score::select(&mu2, &sigma2, beta), k, "β = {beta}");
        }
    }

    #[test]
    fn one_new_point_as_predicted() {
        let u = update_numbers();
        assert!(u.worst_prediction_error < 1e-8, "{}", u.worst_prediction_error);
        // The new point's tail adds about 6e-8 to the peak influence near x = −0.19.
        assert!((u.max_new / u.max_old - 1.0).abs() < 1e-7);
        assert!((u.sigma_new - u.predicted_sigma_new).abs() < 1e-7);
        assert!(u.sigma_change_beyond < 1e-3);
        // The polynomial's mean moves far away from the new point.
        assert!(u.far_change.iter().any(|(x, d)| *x > 1.0 && d.abs() > 0.1));
    }

    #[test]
    fn exercise_answers() {
        let (path, beta) = exercise_edge();
        let m = central();
        let (_, mu, sigma) = m.window();
        // Just below the edge β the choice is elsewhere, just above it is the edge.
        let edge = m.grid[m.window().0[0]];
        let pick = |b: f64| m.grid[m.window().0[score::select(&mu, &sigma, b)]];
        assert!(pick(beta - 1e-6) != edge && pick(beta + 1e-6) == edge);
        assert!(beta > 0.5 && beta < 1.0, "{beta}");
        assert!(path.len() >= 2);
        let l = exercise_lengthscale();
        assert!((l[1].1[2] - 0.2111).abs() < 5e-5);
        let ((lo, hi), _, choices) = exercise_degree();
        assert!(hi - lo < 8.77 + 11.50);
        assert_eq!(choices.len(), 3);
    }
}
