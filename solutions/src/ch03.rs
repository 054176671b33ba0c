//! Chapter 3, a minimal learning problem: the first step in detail, the loss
//! trajectory, a training run, a learning-rate sweep, the recorded graphs, figures
//! and exercise answers.

use crate::figures::{Layer, Legend, LinePlot};
use crate::report::Report;
use crate::{Artifact, Context};
use gradbo_listings::ch03::learning::{
    accumulation, inspect, logit_map, logits, loss_and_gradients, step, train,
    Model,
};
use ndarray::{array, Array1};
use std::fmt::Write as _;

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part1", "ch03");

/// The initial logits the chapter fixes (those of the PyTorch course's run, so that
/// its printed numbers double as checks).
pub const Z0: [f64; 3] = [1.3755, -0.6023, -4.8127];
/// The learning rates of the sweep.
pub const RATES: [f64; 6] = [0.001, 0.01, 0.1, 1.0, 10.0, 100.0];
const THRESHOLD: f64 = 0.01;
const MAX_STEPS: usize = 1000;

/// Everything chapter 3 shows.
pub fn run() -> Vec<Artifact> {
    let training = train(&mut Model::random(1), 0.1, THRESHOLD, MAX_STEPS)
        .expect("the model trains");
    let sweep: Vec<Vec<f64>> = RATES
        .iter()
        .map(|&lr| {
            train(&mut Model::with_logits(Z0, 0), lr, THRESHOLD, MAX_STEPS)
                .expect("the model trains")
        })
        .collect();
    vec![
        Artifact::new(CTX.output(), report(&training, &sweep)),
        Artifact::new(CTX.figure("loss-curve"), curve_figure(&training)),
        Artifact::new(CTX.figure("learning-rates"), sweep_figure(&sweep)),
    ]
}

fn report(training: &[f64], sweep: &[Vec<f64>]) -> String {
    let mut r = Report::new();
    let mut model = Model::with_logits(Z0, 0);
    let (loss, gw, gb) =
        loss_and_gradients(&model).expect("the model is well formed");
    let z = logits(&model);
    let mut first = format!(
        "z = {z:.4}\nσ(z) = {:.4}\nloss = {loss:.6}\n∂L/∂b = {gb:.6}\n∂L/∂W =\n{gw:.6}\n",
        z.mapv(|v| 1.0 / (1.0 + (-v).exp()))
    );
    step(&mut model, 0.1).expect("the model is well formed");
    let _ = write!(
        first,
        "after one step with η = 0.1:\nb = {:.6}\nz = {:.6}",
        model.b,
        logits(&model)
    );
    r.section("first", first);

    let mut twenty = String::from("step   loss (before the update)\n");
    // Step 1 is the one shown above; these are steps 2 to 21.
    for k in 2..=21 {
        let loss = step(&mut model, 0.1).expect("the model is well formed");
        let _ = writeln!(twenty, "{k:>4}   {loss:.6}");
    }
    r.section("twenty", twenty);

    // Steps count from 1, as in the table above: step k records the loss after k − 1
    // updates.
    let mut run = String::new();
    for (k, loss) in training.iter().enumerate().step_by(100) {
        let _ = writeln!(run, "step {:>4}: loss {loss:.6}", k + 1);
    }
    let _ = write!(
        run,
        "stopped after {} steps at loss {:.6}",
        training.len(),
        training[training.len() - 1]
    );
    r.section("training", run);

    let mut table = String::from("    η   steps   final recorded loss\n");
    for (lr, history) in RATES.iter().zip(sweep) {
        let _ = writeln!(
            table,
            "{lr:>5}   {:>5}   {:.6}",
            history.len(),
            history[history.len() - 1]
        );
    }
    r.section("sweep", table);

    let (z_graph, loss_graph, detached) = inspect(&Model::random(0));
    r.section("graph_z", z_graph);
    r.section("graph_loss", loss_graph);
    r.section("graph_detached", detached);
    let [once, twice, again] =
        accumulation(&Model::with_logits(Z0, 0)).expect("the model is well formed");
    r.section(
        "accumulation",
        format!("after one backward:   {once:.6}\nafter two backwards:  {twice:.6}\nafter zero_grad and one more: {again:.6}"),
    );
    r.section("answers", answers());
    r.finish()
}

/// Exercise 1: the largest gap between the logit map's prediction and the model's
/// logits over 50 steps with η = 0.7.
pub fn exercise_logit_map() -> f64 {
    let mut model = Model::with_logits(Z0, 0);
    let mut worst = 0.0_f64;
    for _ in 0..50 {
        let predicted = logit_map(&logits(&model), 0.7);
        step(&mut model, 0.7).expect("the model is well formed");
        worst = (&predicted - &logits(&model)).fold(worst, |m, g| m.max(g.abs()));
    }
    worst
}

/// Exercise 2: whether the loss sequence never increases, for very large learning
/// rates.
pub fn exercise_monotone() -> Vec<(f64, bool)> {
    [10.0, 100.0, 1000.0]
        .iter()
        .map(|&lr| {
            let history = train(&mut Model::with_logits(Z0, 0), lr, 0.0, 30)
                .expect("the model trains");
            (lr, history.windows(2).all(|w| w[1] <= w[0]))
        })
        .collect()
}

/// Exercise 3: with targets y = (1, 0, 0) the bias gradient is (σ(z) − y)/3.
pub fn exercise_targets() -> (Array1<f64>, Array1<f64>) {
    use gradbo::autodiff::Tape;
    use ndarray::{ArrayD, IxDyn};
    let model = Model::with_logits(Z0, 0);
    let tape = Tape::new();
    let w = tape.param(model.w.clone().into_dyn());
    let b = tape.param(model.b.clone().into_dyn());
    let x = tape.constant(ArrayD::ones(IxDyn(&[1, 5])));
    let y = tape.constant(array![[1.0, 0.0, 0.0]].into_dyn());
    let loss = (x.matmul(w) + b).bce_with_logits(y).mean();
    tape.backward(loss).expect("scalar loss");
    let measured =
        tape.grad(b).expect("b is a parameter").into_dimensionality().expect("1-D");
    let predicted =
        logits(&model).mapv(|z| 1.0 / (1.0 + (-z).exp())) - array![1.0, 0.0, 0.0];
    (measured, predicted / 3.0)
}

fn answers() -> String {
    let (measured, predicted) = exercise_targets();
    format!(
        "1. largest gap between the logit map and the model over 50 steps: {:.1e}\n\
         2. each step subtracts 2ησ(z_j) > 0 from every logit, and L = (1/3) Σ softplus(z_j)\n   \
         increases with every z_j (its slope σ(z_j)/3 is positive), so L falls at every step,\n   \
         whatever η > 0. Loss never increases over 30 steps: {:?}\n\
         3. ∂L/∂b with y = (1, 0, 0): measured {measured:.6}, predicted (σ(z) − y)/3 {predicted:.6}",
        exercise_logit_map(),
        exercise_monotone()
    )
}

fn curve_figure(training: &[f64]) -> String {
    let points =
        training.iter().enumerate().map(|(k, &l)| ((k + 1) as f64, l)).collect();
    let threshold = vec![(1.0, THRESHOLD), (training.len() as f64, THRESHOLD)];
    let mut plot = LinePlot::new(
        "Training the one-layer model (η = 0.1, seed 1)",
        "step",
        "loss before the update",
    );
    plot.y_log = true;
    plot.layers = vec![
        Layer::line("loss", points, 0),
        Layer::dashed("threshold 0.01", threshold, 6),
    ];
    plot.render().expect("the loss curve draws")
}

fn sweep_figure(sweep: &[Vec<f64>]) -> String {
    let mut plot = LinePlot::new(
        "One starting point, six learning rates",
        "step",
        "loss before the update",
    );
    plot.x_log = true;
    plot.y_log = true;
    plot.legend = Legend::LowerRight;
    plot.layers = RATES
        .iter()
        .zip(sweep)
        .enumerate()
        .map(|(i, (lr, history))| {
            // Steps count from 1 on a log axis; a loss of exactly 0 cannot be drawn
            // there.
            let points = history
                .iter()
                .enumerate()
                .map(|(k, &l)| ((k + 1) as f64, l))
                .filter(|p| p.1 > 0.0);
            Layer::line(format!("η = {lr}"), points.collect(), i)
        })
        .collect();
    plot.render().expect("the sweep figure draws")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exercise_answers() {
        assert!(exercise_logit_map() < 1e-12);
        assert!(exercise_monotone().iter().all(|(_, monotone)| *monotone));
        let (measured, predicted) = exercise_targets();
        assert!((&measured - &predicted).iter().all(|d| d.abs() < 1e-15));
    }

    #[test]
    fn the_sweep_reaches_the_threshold_faster_with_larger_steps() {
        let steps: Vec<usize> = RATES
            .iter()
            .map(|&lr| {
                train(&mut Model::with_logits(Z0, 0), lr, THRESHOLD, MAX_STEPS)
                    .unwrap()
                    .len()
            })
            .collect();
        assert!(steps.windows(2).all(|w| w[1] <= w[0]), "{steps:?}");
        assert_eq!(steps[0], MAX_STEPS);
    }
}
