//! scratch timing
use crate::Artifact;
use gradbo_listings::ch18::campaign::run as campaign_run;
use std::time::Instant;

pub fn run() -> Vec<Artifact> {
    for (d, n0, steps) in
        [(5, 10, 20), (2, 4, 30), (4, 8, 30), (8, 16, 30), (5, 8, 8), (5, 16, 40)]
    {
        let t = Instant::now();
        let r = campaign_run(d, n0, steps, 7).unwrap();
        let fit: f64 = r.history.iter().map(|h| h.fit_seconds).sum();
        let acq: f64 = r.history.iter().map(|h| h.acquisition_seconds).sum();
        let retried: usize = r.history.iter().map(|h| h.retried.len()).sum();
        eprintln!("d={d} n0={n0} steps={steps}: {:.2}s (fit {fit:.2}, acq {acq:.2}), best {:.3}, retried {retried}", t.elapsed().as_secs_f64(), r.best_y);
    }
    vec![]
}
