//! `--with clippy|check`: run `cargo clippy` or `cargo check` with JSON
//! messages first and forward its lines, so that one check command (what
//! rust-analyzer's `check.overrideCommand` runs) gives the compiler's
//! diagnostics and connlint's. Cargo's own `build-finished` line is held
//! back: connlint closes the stream with one for both.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// Which cargo command to wrap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Wrapped {
    Clippy,
    Check,
}

impl Wrapped {
    fn subcommand(self) -> &'static str {
        match self {
            Wrapped::Clippy => "clippy",
            Wrapped::Check => "check",
        }
    }
}

/// Runs `$CARGO <clippy|check> --message-format=<format> <args>` in `dir`,
/// copies every stdout line but `build-finished` to `out`, and returns
/// whether cargo succeeded. Cargo's stderr (progress) passes through.
pub fn run(
    wrapped: Wrapped,
    message_format: &str,
    args: &[String],
    dir: &Path,
    out: &mut dyn Write,
) -> Result<bool> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut child = Command::new(&cargo)
        .arg(wrapped.subcommand())
        .arg(format!("--message-format={message_format}"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| {
            format!(
                "cannot run `{} {}`",
                cargo.to_string_lossy(),
                wrapped.subcommand()
            )
        })?;
    let Some(stdout) = child.stdout.take() else {
        bail!("cannot read the output of `cargo {}`", wrapped.subcommand());
    };
    for line in BufReader::new(stdout).lines() {
        let line = line.with_context(|| format!("cannot read `cargo {}`", wrapped.subcommand()))?;
        if is_build_finished(&line) {
            continue;
        }
        writeln!(out, "{line}").context("cannot write the output")?;
    }
    let status = child
        .wait()
        .with_context(|| format!("`cargo {}` did not finish", wrapped.subcommand()))?;
    Ok(status.success())
}

fn is_build_finished(line: &str) -> bool {
    line.starts_with('{')
        && serde_json::from_str::<serde_json::Value>(line)
            .is_ok_and(|v| v["reason"] == "build-finished")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_closing_line_is_held_back() {
        assert!(is_build_finished(
            r#"{"reason":"build-finished","success":true}"#
        ));
        assert!(!is_build_finished(r#"{"reason":"compiler-message"}"#));
        assert!(!is_build_finished("build-finished"));
    }
}
