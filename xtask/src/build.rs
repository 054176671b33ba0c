//! Builds the book with the KaTeX preprocessor, recording every warning or error
//! that mdBook or KaTeX logs: both keep going (and exit 0) after a failed include
//! or an invalid formula.

use mdbook_driver::MDBook;
use mdbook_katex::preprocess::KatexProcessor;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

/// What one build left behind.
pub struct Report {
    /// Warnings and errors logged while building, one line each.
    pub problems: Vec<String>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl Report {
    pub fn print(&self) {
        for p in &self.problems {
            eprintln!("problem: {p}");
        }
        eprintln!("built target/book in {:.1} s", self.seconds);
    }
}

/// Builds the book at `root` into the build folder that book.toml names.
pub fn build(root: &Path) -> Result<Report, String> {
    let log = install_logger();
    log.lock().expect("log lock").clear();
    let start = Instant::now();
    let mut book =
        MDBook::load(root).map_err(|e| format!("loading the book: {e:#}"))?;
    book.with_preprocessor(KatexProcessor);
    book.build().map_err(|e| format!("building the book: {e:#}"))?;
    let problems = log.lock().expect("log lock").clone();
    Ok(Report { problems, seconds: start.elapsed().as_secs_f64() })
}

/// Installs (once) a subscriber that prints INFO and above and keeps WARN and
/// above.
fn install_logger() -> Arc<Mutex<Vec<String>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<String>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Arc::new(Mutex::new(Vec::new()));
        let subscriber =
            tracing_subscriber::registry().with(Recorder(Arc::clone(&log))).with(
                tracing_subscriber::fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_filter(tracing_subscriber::filter::LevelFilter::INFO),
            );
        tracing::subscriber::set_global_default(subscriber)
            .expect("one logger per process");
        log
    })
    .clone()
}

struct Recorder(Arc<Mutex<Vec<String>>>);

impl<S: Subscriber> Layer<S> for Recorder {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if *event.metadata().level() <= Level::WARN {
            let mut text = String::new();
            event.record(&mut Fields(&mut text));
            let line = format!(
                "{} {}: {}",
                event.metadata().level(),
                event.metadata().target(),
                text
            );
            self.0.lock().expect("log lock").push(line);
        }
    }
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = if field.name() == "message" {
            write!(self.0, "{value:?} ")
        } else {
            write!(self.0, "{}={value:?} ", field.name())
        };
    }
}
