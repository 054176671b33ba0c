//! Running an experiment command on one design, with a timeout.
//!
//! The command is run by `sh -c` in its own process group. It reads the design from its
//! environment — `GRADBO_ID` (the suggestion's id), `GRADBO_DESIGN` (the design as a JSON
//! object) and one `GRADBO_<NAME>` per variable (the name in capitals, other characters
//! than letters and digits as `_`; a category's label) — or from its standard input, which
//! holds the same JSON object on one line. The last non-empty line of its standard output
//! is the objective's value — with several objectives, one value per objective in the
//! campaign file's order, separated by spaces, tabs or commas. A non-zero exit, or a last
//! line that is not that many finite numbers, is a failure; a command still running at the timeout is killed with its whole process
//! group and has timed out.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run gave.
#[derive(Debug, Clone, PartialEq)]
pub enum RunOutcome {
    /// The objectives' values, in the campaign file's order.
    Value(Vec<f64>),
    /// A non-zero exit or no number: what happened.
    Failed(String),
    /// Still running at the timeout.
    TimedOut,
}

/// The environment variable that carries a variable's value.
pub fn env_name(variable: &str) -> String {
    let tail: String =
        variable
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
    format!("GRADBO_{tail}")
}

/// Runs `command` with the environment `env` and `input` on its standard input, for at
/// most `timeout`, expecting `objectives` values on the last line of its output; returns the
/// outcome and the seconds it ran.
pub fn run_command(
    command: &str,
    env: &[(String, String)],
    input: &str,
    timeout: Duration,
    objectives: usize,
) -> (RunOutcome, f64) {
    let start = Instant::now();
    let spawned = Command::new("sh")
        .arg("-c")
        .arg(command)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => {
            return (RunOutcome::Failed(format!("cannot start sh: {e}")), 0.0);
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A command that does not read its input closes the pipe: not an error.
        let _ = stdin.write_all(input.as_bytes());
    }
    let drain = |stream: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(mut s) = stream {
                let _ = s.read_to_end(&mut text);
            }
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let out =
        drain(child.stdout.take().map(|s| Box::new(s) as Box<dyn Read + Send>));
    let err =
        drain(child.stderr.take().map(|s| Box::new(s) as Box<dyn Read + Send>));
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() >= timeout => break None,
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                return (
                    RunOutcome::Failed(format!("cannot wait for the command: {e}")),
                    start.elapsed().as_secs_f64(),
                )
            }
        }
    };
    let Some(status) = status else {
        // The whole process group: the shell and whatever it started.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = child.kill();
        let _ = child.wait();
        return (RunOutcome::TimedOut, start.elapsed().as_secs_f64());
    };
    let seconds = start.elapsed().as_secs_f64();
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    if !status.success() {
        let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return (
            RunOutcome::Failed(format!(
                "{status}; error output: {}",
                tail.join(" / ")
            )),
            seconds,
        );
    }
    let last = stdout.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
    match values(last, objectives) {
        Ok(v) => (RunOutcome::Value(v), seconds),
        Err(m) => (RunOutcome::Failed(m), seconds),
    }
}

/// The `objectives` finite numbers on a line, separated by spaces, tabs or commas.
fn values(line: &str, objectives: usize) -> Result<Vec<f64>, String> {
    let fields: Vec<&str> =
        line.split([' ', '\t', ',']).filter(|f| !f.is_empty()).collect();
    let what = match objectives {
        1 => "the objective's value".to_string(),
        n => format!("{n} values, one per objective"),
    };
    if fields.len() != objectives {
        return Err(format!(
            "the last line of the output should be {what}, found {:?}",
            line.trim()
        ));
    }
    fields
        .iter()
        .map(|f| crate::spec::parse_number(f))
        .collect::<Result<Vec<f64>, _>>()
        .map_err(|m| format!("the last line of the output should be {what}: {m}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_values_failures_and_timeouts() {
        assert_eq!(env_name("flow rate-2"), "GRADBO_FLOW_RATE_2");
        let env = vec![("GRADBO_X".to_string(), "2.5".to_string())];
        let second = Duration::from_secs(5);
        let (v, _) =
            run_command("echo start; echo \"$GRADBO_X\"", &env, "", second, 1);
        assert_eq!(v, RunOutcome::Value(vec![2.5]));
        let (v, _) = run_command(
            "read line; echo 1; echo \"$line\" | wc -c",
            &env,
            "{}\n",
            second,
            1,
        );
        assert_eq!(v, RunOutcome::Value(vec![3.0]));
        let (v, _) = run_command("echo oops >&2; exit 3", &env, "", second, 1);
        assert!(
            matches!(&v, RunOutcome::Failed(m) if m.contains("3") && m.contains("oops")),
            "{v:?}"
        );
        let (v, _) = run_command("echo nan", &env, "", second, 1);
        assert!(
            matches!(&v, RunOutcome::Failed(m) if m.contains("finite")),
            "{v:?}"
        );
        // A child of the shell is stopped with it.
        let (v, s) =
            run_command("sleep 30 & wait", &env, "", Duration::from_millis(100), 1);
        assert_eq!(v, RunOutcome::TimedOut);
        // Several objectives: one value each, in order, however separated.
        let (v, _) = run_command("echo '0.5, 2\t-1'", &env, "", second, 3);
        assert_eq!(v, RunOutcome::Value(vec![0.5, 2.0, -1.0]));
        let (v, _) = run_command("echo 0.5 2", &env, "", second, 3);
        assert!(
            matches!(&v, RunOutcome::Failed(m) if m.contains("3 values")),
            "{v:?}"
        );
        let (v, _) = run_command("echo 0.5", &env, "", second, 2);
        assert!(matches!(&v, RunOutcome::Failed(_)), "{v:?}");
        assert!(s < 5.0, "{s}");
    }
}
