//! Where a run's results go: the `--message-format` on stdout and every
//! `--output FORMAT=PATH` file, each rendered whole by `emit`. Logs never go
//! to stdout beside a machine format.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::emit::{self, Rendered, Report};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Short,
    /// cargo `compiler-message` lines, `rendered` as asked.
    Json(Rendered),
    /// cargo's `json-render-diagnostics`: diagnostics rendered for people on
    /// stderr, only the closing message on stdout.
    JsonRenderDiagnostics,
    Sarif,
    Github,
}

impl Format {
    /// Whether the format is read by programs (stdout then holds nothing else).
    pub fn is_machine(self) -> bool {
        !matches!(self, Format::Human | Format::Short)
    }

    pub fn is_json(self) -> bool {
        matches!(self, Format::Json(_) | Format::JsonRenderDiagnostics)
    }
}

const FORMATS: &str = "human, short, json, sarif or github (and cargo's json-diagnostic-short, json-diagnostic-rendered-ansi, json-render-diagnostics)";

/// `--message-format` values: comma-separated and repeatable like cargo's;
/// the `json-*` variants combine (`json-diagnostic-short,json-diagnostic-rendered-ansi`).
pub fn parse_format(values: &[String]) -> Result<Format> {
    let mut format = Format::Human;
    let mut rendered = Rendered::default();
    let mut render_diagnostics = false;
    for v in values.iter().flat_map(|v| v.split(',')) {
        format = match v.trim() {
            "human" => Format::Human,
            "short" => Format::Short,
            "sarif" => Format::Sarif,
            "github" => Format::Github,
            "json" => Format::Json(rendered),
            "json-diagnostic-short" => {
                rendered.short = true;
                Format::Json(rendered)
            }
            "json-diagnostic-rendered-ansi" => {
                rendered.ansi = true;
                Format::Json(rendered)
            }
            "json-render-diagnostics" => {
                render_diagnostics = true;
                Format::JsonRenderDiagnostics
            }
            other => bail!("invalid message format `{other}`: expected {FORMATS}"),
        };
    }
    Ok(match format {
        Format::Json(_) if render_diagnostics => Format::JsonRenderDiagnostics,
        Format::Json(_) => Format::Json(rendered),
        other => other,
    })
}

/// One `--output FORMAT=PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub format: Format,
    pub path: PathBuf,
}

pub fn parse_output(spec: &str) -> Result<Output> {
    let Some((format, path)) = spec.split_once('=') else {
        bail!("invalid --output `{spec}`: expected FORMAT=PATH, such as sarif=connlint.sarif");
    };
    if path.is_empty() {
        bail!("invalid --output `{spec}`: the path is empty");
    }
    Ok(Output {
        format: parse_format(&[format.to_string()])
            .with_context(|| format!("invalid --output `{spec}`"))?,
        path: PathBuf::from(path),
    })
}

/// The whole text of a format for a run. `success` is the run's outcome
/// (cargo's `build-finished`); `color` applies to human output only.
pub fn render(format: Format, report: &Report, success: bool, color: bool) -> String {
    let mut out = String::new();
    match format {
        Format::Human => {
            for d in report.diagnostics {
                out.push_str(&emit::human(d, report.files, color));
            }
        }
        Format::Short => {
            for d in report.diagnostics {
                out.push_str(&emit::short(d, report.files));
                out.push('\n');
            }
        }
        Format::Json(rendered) => {
            out.push_str(&json_messages(report, rendered));
            out.push_str(&emit::build_finished(success));
            out.push('\n');
        }
        Format::JsonRenderDiagnostics => {
            out.push_str(&emit::build_finished(success));
            out.push('\n');
        }
        Format::Sarif => out.push_str(&emit::sarif::render(report)),
        Format::Github => out.push_str(&emit::github::annotations(report)),
    }
    out
}

/// The `compiler-message` lines of every diagnostic, without the closing line.
pub fn json_messages(report: &Report, rendered: Rendered) -> String {
    (0..report.diagnostics.len())
        .filter_map(|i| emit::report_json(report, i, rendered))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// Writes every `--output` file, and the GitHub step summary when a
/// `github` output was asked for and `GITHUB_STEP_SUMMARY` is set.
pub fn write_files(
    outputs: &[Output],
    stdout_format: Format,
    report: &Report,
    success: bool,
) -> Result<()> {
    for o in outputs {
        let text = render(o.format, report, success, false);
        std::fs::write(&o.path, text)
            .with_context(|| format!("cannot write `{}`", o.path.display()))?;
    }
    let github =
        stdout_format == Format::Github || outputs.iter().any(|o| o.format == Format::Github);
    if github && let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty())
    {
        append(Path::new(&path), &emit::github::summary(report))?;
    }
    Ok(())
}

/// Appends to a file (the step summary is shared by every step of a job).
fn append(path: &Path, text: &str) -> Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot open `{}`", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write `{}`", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(v: &[&str]) -> Option<Format> {
        parse_format(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>()).ok()
    }

    #[test]
    fn formats_combine_like_cargo() {
        assert_eq!(fmt(&["json"]), Some(Format::Json(Rendered::default())));
        let both = Rendered {
            short: true,
            ansi: true,
        };
        assert_eq!(
            fmt(&["json-diagnostic-short,json-diagnostic-rendered-ansi"]),
            Some(Format::Json(both))
        );
        assert_eq!(
            fmt(&["json-diagnostic-rendered-ansi", "json"]),
            Some(Format::Json(Rendered {
                short: false,
                ansi: true
            }))
        );
        assert_eq!(
            fmt(&["json-render-diagnostics"]),
            Some(Format::JsonRenderDiagnostics)
        );
        assert_eq!(fmt(&["human", "sarif"]), Some(Format::Sarif));
        assert_eq!(fmt(&["xml"]), None);
    }

    #[test]
    fn outputs_name_a_format_and_a_path() {
        let o = parse_output("sarif=out/c.sarif").ok();
        assert_eq!(
            o,
            Some(Output {
                format: Format::Sarif,
                path: PathBuf::from("out/c.sarif")
            })
        );
        assert!(parse_output("sarif").is_err());
        assert!(parse_output("sarif=").is_err());
        assert!(parse_output("xml=a").is_err());
    }
}
