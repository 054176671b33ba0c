//! Chapter 15, standard acquisition functions: the complex objective recast for the library's
//! maximisation by a direction, UCB, PI and LogEI on a grid and maximised by `optimize_acqf`,
//! each choice's one-step consequence, LogEI where EI underflows, the reusable one-step
//! function, and the exercises' answers.

pub mod compute;
pub mod exercises;
pub mod figures;
pub mod report;

use crate::{Artifact, Context};

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part4", "ch15");

/// Everything chapter 15 shows.
pub fn run() -> Vec<Artifact> {
    let run = compute::run();
    vec![
        Artifact::new(CTX.output(), report::report(&run)),
        Artifact::new(CTX.figure("posterior"), figures::posterior(&run)),
        Artifact::new(CTX.figure("acquisitions"), figures::acquisitions(&run)),
        Artifact::new(CTX.figure("optimize"), figures::optimize(&run)),
        Artifact::new(CTX.figure("candidates"), figures::candidates(&run)),
        Artifact::new(CTX.figure("consequences"), figures::consequences(&run)),
        Artifact::new(CTX.figure("demo"), figures::demo(&run)),
    ]
}

#[cfg(test)]
mod tests {
    /// The worked output, which the freshness test keeps equal to a fresh run.
    const OUTPUT: &str = include_str!("../../../book/part4/outputs/ch15.txt");
    /// The chapter, whose prose quotes some of the fixed-seed run's numbers.
    const CHAPTER: &str =
        include_str!("../../../book/part4/ch15-standard-acquisition-functions.md");

    /// Every number the prose quotes from the run (seed 15, one fit, one step) must be what
    /// the run prints: a different run fails here until the prose follows it. Each pair is the
    /// prose's text and the output's.
    #[test]
    fn the_prose_quotes_the_run_s_numbers() {
        let quoted = [
            ("The incumbent, $-0.728730$", "incumbent f* = min y = -0.728730"),
            ("The fitted lengthscale, $0.2563$", "lengthscale 0.2563"),
            ("at −0.26 (a square)", "largest 0.58879 at grid point x = -0.2585"),
            (
                "highest near −0.36 (a triangle)",
                "largest 0.89428 at grid point x = -0.3547",
            ),
            (
                "in the narrow dip near −0.33",
                "largest -3.13627 at grid point x = -0.3307",
            ),
            ("an orange star for LogEI at −0.329", "LogEI  -0.32932"),
            (
                "a square for PI at −0.257",
                "PI  -0.25739    0.58887  -0.74009  0.05055",
            ),
            ("a triangle for UCB at −0.355", "UCB  -0.35529"),
            ("$\\sigma = 0.05055$ is small", "0.05055"),
            ("the mean, $-0.74009$", "-0.74009"),
            ("within $0.00137$ and $0.00294$", "0.00137 above the minimum"),
            ("within $0.00137$ and $0.00294$", "0.00294 above the minimum"),
            ("$0.09296$ above it", "0.09296 above the minimum"),
            (
                "lowest point is at $-0.3547$",
                "the mean's minimum -0.9109 at x = -0.3547",
            ),
            (
                "lowest point is at $-0.3547$",
                "the mean's minimum -0.9058 at x = -0.3547",
            ),
            ("moved to $-0.3307$", "the mean's minimum -0.8459 at x = -0.3307"),
            ("but at $-0.8459$", "the mean's minimum -0.8459"),
            ("$10^{-254}$", "EI = 2.531e-254"),
            ("LogEI, $-583.93$", "LogEI = -583.93"),
            ("near −0.37 in the narrow dip", "LogEI proposes x = -0.36699"),
            ("a point at $-0.2727$", "best f(-0.2727)"),
            ("lengthscale ($0.3436$)", "fitted lengthscale 0.3436"),
            ("the mean's minimum, $-0.2727$", "     0     0.0000   -0.2727"),
            (
                "right-hand basin at $\\beta = 4$",
                "     4     2.0000   +1.7308   -0.8187  the right-hand basin",
            ),
            (
                "for $\\beta = 9$ and $25$ to the left end",
                "     9     3.0000   -2.5578",
            ),
            (
                "for $\\beta = 9$ and $25$ to the left end",
                "    25     5.0000   -2.6148",
            ),
            ("$\\xi = 0.1$ chooses $-0.3331$", "   0.1   -0.3331"),
            (
                "the best\nchance is in the uncertain right-hand basin",
                "   0.2   +1.7229    0.0504   -0.8195  the right-hand basin",
            ),
            ("Below $z = -38.3905$", "EI is exactly 0.0 for z below -38.3905"),
        ];
        for (prose, printed) in quoted {
            assert!(
                CHAPTER.contains(prose),
                "the chapter no longer says {prose:?}"
            );
            assert!(
                OUTPUT.contains(printed),
                "the output no longer prints {printed:?}"
            );
        }
        // Differences the prose states in words, from the printed values: the mean's minimum
        // after PI's step is about 0.07 above the true minimum; after LogEI's or UCB's, the
        // lowest point lies within about 0.01 of the minimiser and of its depth.
        let (f_min, x_min) = (-0.91750_f64, -0.3447_f64);
        assert!(((-0.8459 - f_min) - 0.07).abs() < 0.005);
        assert!((-0.3547 - x_min).abs() <= 0.0105);
        assert!((-0.9109 - f_min).abs() < 0.01 && (-0.9058 - f_min).abs() < 0.012);
        assert!(OUTPUT.contains(
            "global minimum (golden section): x = -0.3447, f = -0.91750"
        ));
    }
}
