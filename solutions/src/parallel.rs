//! Independent jobs on the machine's two cores.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `run` on every job on two threads, each taking the next job in order when it is
/// free (so a long job placed first runs alone on one thread while the other works through
/// the rest). The jobs are independent and each is deterministic, so the results, returned
/// in the jobs' order, do not depend on which thread ran what.
pub fn run_all<J: Sync, R: Send>(
    jobs: &[J],
    run: impl Fn(&J) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(k) else { break };
            done.push((k, run(job)));
        }
        done
    };
    let mut all = std::thread::scope(|scope| {
        let helper = scope.spawn(work);
        let mut all = work();
        all.extend(helper.join().expect("the helper thread finishes"));
        all
    });
    all.sort_by_key(|(k, _)| *k);
    all.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_back_in_the_jobs_order() {
        let jobs: Vec<u64> = (0..37).collect();
        assert_eq!(
            super::run_all(&jobs, |&j| j * j),
            jobs.iter().map(|j| j * j).collect::<Vec<_>>()
        );
    }
}
