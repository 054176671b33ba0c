//! The `gradbo-campaign` command: see `gradbo-campaign --help`.

use clap::Parser;
use gradbo_campaign::cli::{colour, run, Cli};
use std::io::IsTerminal;

fn main() {
    let cli = Cli::parse();
    if let Err(e) = run(cli) {
        let prefix = if colour(std::io::stderr().is_terminal()) {
            "\x1b[1;31merror:\x1b[0m"
        } else {
            "error:"
        };
        eprintln!("{prefix} {e}");
        std::process::exit(e.kind.exit_code());
    }
}
