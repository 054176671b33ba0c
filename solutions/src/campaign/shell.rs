//! A terminal session in a temporary folder: the `gradbo-campaign` binary and other
//! commands run as real processes, each written to a transcript as the reader would type
//! it (a prompt with the date, the time and the user, then the command line) followed by
//! what it printed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The `gradbo-campaign` binary: `$GRADBO_CAMPAIGN_BIN` if set; otherwise the one in the
/// build folder this program runs from (`cargo test` and `cargo build` at the workspace
/// root build it, as a default member), or in `$CARGO_TARGET_DIR`. When none is there or
/// the one found is older than the campaign's or the library's sources, it is built with
/// `cargo build -p gradbo-campaign`, which is said on standard error — except in a test,
/// which cannot run cargo while cargo runs it, and stops with a message saying so.
pub fn campaign_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("GRADBO_CAMPAIGN_BIN") {
        return PathBuf::from(bin);
    }
    let root = crate::repo_root();
    let sources = newest(&[
        root.join("campaign/src"),
        root.join("campaign/Cargo.toml"),
        root.join("src"),
        root.join("Cargo.lock"),
    ]);
    let found = || {
        candidates().into_iter().map(|d| d.join("gradbo-campaign")).find(|p| {
            p.is_file()
                && modified(p).is_some_and(|m| sources.is_none_or(|s| m >= s))
        })
    };
    if let Some(bin) = found() {
        return bin;
    }
    // A test runs from target/debug/deps while cargo holds the build folder's lock: a
    // nested cargo would wait for it for ever.
    let in_test = std::env::current_exe()
        .is_ok_and(|e| e.parent().is_some_and(|d| d.ends_with("deps")));
    assert!(
        !in_test,
        "gradbo-campaign is missing or older than its sources: run `cargo build -p \
         gradbo-campaign` (or `cargo test` at the workspace root, which builds it) first"
    );
    eprintln!(
        "gradbo-campaign is missing or older than its sources: \
         running `cargo build -p gradbo-campaign`"
    );
    let status =
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "-p", "gradbo-campaign"])
            .current_dir(&root)
            .status()
            .expect("cargo runs");
    assert!(status.success(), "cargo build -p gradbo-campaign failed");
    found().expect("gradbo-campaign is in the build folder after cargo build")
}

/// Build folders to look in: the running program's folder and its parent (tests run from
/// `target/debug/deps`), then `$CARGO_TARGET_DIR/debug` and `target/debug`.
fn candidates() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) =
        std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf))
    {
        dirs.extend(dir.parent().map(Path::to_path_buf));
        dirs.insert(0, dir);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        dirs.push(PathBuf::from(target).join("debug"));
    }
    dirs.push(crate::repo_root().join("target/debug"));
    dirs
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The newest modification time of the files under `paths`.
fn newest(paths: &[PathBuf]) -> Option<std::time::SystemTime> {
    let mut best = None;
    let mut stack: Vec<PathBuf> = paths.to_vec();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&p) {
                stack.extend(entries.flatten().map(|e| e.path()));
            }
        } else if let Some(m) = modified(&p) {
            best = Some(best.map_or(m, |b: std::time::SystemTime| b.max(m)));
        }
    }
    best
}

/// A command line as typed: arguments with spaces or shell characters single-quoted.
pub fn quoted(args: &[&str]) -> String {
    args.iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=,:@%+".contains(c))
            {
                a.to_string()
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Run times vary from run to run: `after 0.012 s:` becomes `after … s:`.
pub fn without_durations(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("after ") {
        out.push_str(&rest[..i + 6]);
        rest = &rest[i + 6..];
        let n = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(0);
        if n > 0 && rest[n..].starts_with(" s:") {
            out.push('…');
            rest = &rest[n..];
        }
    }
    out.push_str(rest);
    out
}

/// The session.
pub struct Shell {
    /// The temporary folder every command runs in (removed when the session is dropped).
    pub dir: PathBuf,
    bin: PathBuf,
    text: String,
}

impl Drop for Shell {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Shell {
    /// A session in a new temporary folder, running `bin` as `gradbo-campaign`.
    pub fn new(bin: PathBuf) -> Shell {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir()
            .join(format!("gradbo-campaign-walk-{}-{stamp}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        let dir = dir.canonicalize().expect("the temporary folder exists");
        Shell { dir, bin, text: String::new() }
    }

    /// Copies a repository file into the folder as `name`, keeping its permissions.
    pub fn copy_in(&self, from: &str, name: &str) {
        std::fs::copy(crate::repo_root().join(from), self.dir.join(name))
            .unwrap_or_else(|e| panic!("copy {from}: {e}"));
    }

    /// The transcript so far, which is then emptied.
    pub fn take(&mut self) -> String {
        std::mem::take(&mut self.text)
    }

    /// A comment line in the transcript.
    pub fn note(&mut self, text: &str) {
        let _ = writeln!(self.text, "# {text}");
    }

    fn prompt(&mut self, when: &str, who: &str, env: &[(&str, &str)], line: &str) {
        let env: Vec<String> =
            env.iter().map(|(k, v)| format!("{k}={}", quoted(&[v]))).collect();
        let env = if env.is_empty() {
            String::new()
        } else {
            format!("{} ", env.join(" "))
        };
        let _ = writeln!(self.text, "[{when} {who}]$ {env}{line}");
    }

    fn command(
        &self,
        program: &Path,
        when: &str,
        who: &str,
        env: &[(&str, &str)],
    ) -> Command {
        let mut c = Command::new(program);
        c.current_dir(&self.dir)
            .env("USER", who)
            .env("GRADBO_CAMPAIGN_CLOCK", format!("{}:00Z", when.replace(' ', "T")))
            .env("NO_COLOR", "1")
            .env_remove("SIM_PAUSE")
            .envs(env.iter().copied())
            .stdin(Stdio::null());
        c
    }

    fn record(&mut self, o: &Output) {
        let out = String::from_utf8_lossy(&o.stdout);
        let err = String::from_utf8_lossy(&o.stderr);
        self.text.push_str(&without_durations(&out));
        self.text.push_str(&without_durations(&err));
    }

    /// Runs `gradbo-campaign args` at `when` (`YYYY-MM-DD HH:MM`, UTC) as `who`, with the
    /// extra environment `env`; expects success and returns its standard output.
    pub fn gc_env(
        &mut self,
        when: &str,
        who: &str,
        env: &[(&str, &str)],
        args: &[&str],
    ) -> String {
        self.prompt(when, who, env, &format!("gradbo-campaign {}", quoted(args)));
        let bin = self.bin.clone();
        let o = self
            .command(&bin, when, who, env)
            .args(args)
            .output()
            .expect("gradbo-campaign runs");
        self.record(&o);
        assert!(
            o.status.success(),
            "gradbo-campaign {args:?} failed:\n{}",
            self.text
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// [`Shell::gc_env`] without extra environment.
    pub fn gc(&mut self, when: &str, who: &str, args: &[&str]) -> String {
        self.gc_env(when, who, &[], args)
    }

    /// Runs `gradbo-campaign args`, expects exit `code`, and shows it with `echo $?`.
    pub fn gc_fails(&mut self, when: &str, who: &str, args: &[&str], code: i32) {
        self.prompt(when, who, &[], &format!("gradbo-campaign {}", quoted(args)));
        let bin = self.bin.clone();
        let o = self
            .command(&bin, when, who, &[])
            .args(args)
            .output()
            .expect("gradbo-campaign runs");
        self.record(&o);
        assert_eq!(
            o.status.code(),
            Some(code),
            "gradbo-campaign {args:?}:\n{}",
            self.text
        );
        self.prompt(when, who, &[], "echo $?");
        let _ = writeln!(self.text, "{code}");
    }

    /// Runs `program args` (a file in the folder when it starts with `./`, else from
    /// `PATH`) with the extra environment `env`; expects success; returns standard output.
    pub fn sh(
        &mut self,
        when: &str,
        who: &str,
        env: &[(&str, &str)],
        program: &str,
        args: &[&str],
    ) -> String {
        let mut line = vec![program];
        line.extend_from_slice(args);
        self.prompt(when, who, env, &quoted(&line));
        let path = match program.strip_prefix("./") {
            Some(name) => self.dir.join(name),
            None => PathBuf::from(program),
        };
        let o = self
            .command(&path, when, who, env)
            .args(args)
            .output()
            .expect("the command runs");
        self.record(&o);
        assert!(o.status.success(), "{program} {args:?} failed:\n{}", self.text);
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// Shows the first `n` lines of a file in the folder, as `head -n N file`.
    pub fn head(&mut self, when: &str, who: &str, file: &str, n: usize) {
        self.prompt(when, who, &[], &format!("head -n {n} {file}"));
        let text =
            std::fs::read_to_string(self.dir.join(file)).expect("the file exists");
        for line in text.lines().take(n) {
            let _ = writeln!(self.text, "{line}");
        }
    }

    /// Shows the lines of a file in the folder that contain `pattern`, as `grep`.
    pub fn grep(&mut self, when: &str, who: &str, pattern: &str, file: &str) {
        self.prompt(when, who, &[], &format!("grep {pattern} {file}"));
        let text =
            std::fs::read_to_string(self.dir.join(file)).expect("the file exists");
        for line in text.lines().filter(|l| l.contains(pattern)) {
            let _ = writeln!(self.text, "{line}");
        }
    }

    /// Runs `program` in the folder with the environment `env`, out of the transcript;
    /// expects success and returns its standard output.
    pub fn quiet(&self, program: &str, env: &[(&str, &str)]) -> String {
        let path = self.dir.join(program.trim_start_matches("./"));
        let o = self
            .command(&path, "2026-01-01 00:00", "nobody", env)
            .output()
            .expect("the command runs");
        assert!(
            o.status.success(),
            "{program}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// Runs `gradbo-campaign args` out of the transcript; expects success.
    fn quiet_gc(&self, args: &[&str]) -> String {
        let bin = self.bin.clone();
        let o = self
            .command(&bin, "2026-01-01 00:00", "nobody", &[])
            .args(args)
            .output()
            .expect("gradbo-campaign runs");
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// The audit log as JSON, read out of the transcript.
    pub fn log_json(&self) -> String {
        self.quiet_gc(&["log", "--json", "--db", "lab.db"])
    }

    /// The campaign's table now, read with an `export` out of the transcript (a read: it
    /// writes nothing to the database).
    pub fn table(&self) -> BTreeMap<String, super::Row> {
        self.quiet_gc(&["export", ".table.csv", "--db", "lab.db"]);
        let text = std::fs::read_to_string(self.dir.join(".table.csv"))
            .expect("the export");
        let _ = std::fs::remove_file(self.dir.join(".table.csv"));
        super::read_table(&text)
    }

    /// Imports `file` into a copy of the campaign, out of the transcript; returns what
    /// `import` printed.
    pub fn reimport(&self, file: &str) -> String {
        for (from, to) in [("lab.db", "copy.db"), ("lab.db-wal", "copy.db-wal")] {
            if self.dir.join(from).exists() {
                std::fs::copy(self.dir.join(from), self.dir.join(to))
                    .expect("a copy");
            }
        }
        self.quiet_gc(&["import", file, "--db", "copy.db"])
    }

    /// Starts `gradbo-campaign args` (a `run` whose command takes long), waits until the
    /// command it runs has started, and kills the `gradbo-campaign` process with SIGKILL;
    /// then stops the orphaned experiment command too. Shows the exit status (137).
    pub fn gc_killed(
        &mut self,
        when: &str,
        who: &str,
        env: &[(&str, &str)],
        args: &[&str],
    ) {
        self.prompt(when, who, env, &format!("gradbo-campaign {}", quoted(args)));
        let bin = self.bin.clone();
        let mut child = self
            .command(&bin, when, who, env)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("gradbo-campaign starts");
        let start = Instant::now();
        let experiment = loop {
            if let Some(pid) = process_in(&self.dir, child.id()) {
                break pid;
            }
            assert!(
                child.try_wait().expect("wait").is_none(),
                "gradbo-campaign {args:?} ended before it was killed"
            );
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "the experiment never started"
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        child.kill().expect("SIGKILL");
        let o = child.wait_with_output().expect("the killed process is reaped");
        // The experiment's process group outlives its parent: stop it as the timeout does.
        if let Some(group) = process_group(experiment) {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{group}")])
                .stderr(Stdio::null())
                .status();
        }
        self.record(&o);
        self.note("killed with SIGKILL (kill -9) from another terminal while the simulation runs");
        self.prompt(when, who, &[], "echo $?");
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(o.status.signal(), Some(9));
        let _ = writeln!(self.text, "137");
    }
}

/// A process other than `except` whose working folder is `dir`: a command started there.
fn process_in(dir: &Path, except: u32) -> Option<u32> {
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        (pid != except && std::fs::read_link(e.path().join("cwd")).ok()? == dir)
            .then_some(pid)
    })
}

/// The process group of `pid`, from `/proc/<pid>/stat` (the field after the state).
fn process_group(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(2)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_durations() {
        assert_eq!(
            quoted(&["run", "--command", "./simulate.sh"]),
            "run --command ./simulate.sh"
        );
        assert_eq!(quoted(&["--reason", "it's hot"]), r"--reason 'it'\''s hot'");
        assert_eq!(
            without_durations(
                "s0001 recorded after 0.0 s: score = 1; still running after 1 s"
            ),
            "s0001 recorded after … s: score = 1; still running after 1 s"
        );
    }
}
