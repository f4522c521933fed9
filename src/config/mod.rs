//! Configuration: `connlint.toml` at the workspace root, or
//! `[workspace.metadata.connlint]` in the root `Cargo.toml`, plus
//! `[package.metadata.connlint]` in a member's `Cargo.toml` for that
//! package's files.
//!
//! ```toml
//! [lints]
//! client_in_loop = "deny"        # allow | warn | deny
//! [unread_response_body]
//! error_paths = true
//! [[overrides]]                  # levels for some paths
//! paths = ["src/legacy/**"]
//! lints = { client_in_loop = "allow" }
//! [catalog]                      # extra entries, same schema as lints/catalog/*.toml
//! [[catalog.client]]
//! name = "my_sdk::Client"
//! ...
//! ```
//!
//! Every error names the file, the line and the column (`error.rs`).

mod error;
mod manifest;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use toml::Spanned;

use crate::catalog::CatalogFile;
use crate::diagnostic::Level;
use crate::workspace::Workspace;

pub use error::ConfigError;

/// A lint level as written in a config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LevelName {
    Allow,
    Warn,
    Warning,
    Deny,
    Error,
}

impl LevelName {
    pub fn level(self) -> Level {
        match self {
            LevelName::Allow => Level::Allow,
            LevelName::Warn | LevelName::Warning => Level::Warning,
            LevelName::Deny | LevelName::Error => Level::Error,
        }
    }
}

/// `[lints]`: lint name to level.
pub type Levels = BTreeMap<Spanned<String>, Spanned<LevelName>>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Lint levels: `allow`, `warn` or `deny`.
    #[serde(default)]
    pub lints: Levels,
    /// Check test code too.
    pub include_tests: Option<bool>,
    /// Also report findings whose frequency the code cannot show (`--pedantic`).
    pub pedantic: Option<bool>,
    /// Path globs (relative to the workspace root) whose findings are not reported.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// A suppression comment without a reason is a finding (`--require-reasons`).
    pub require_reasons: Option<bool>,
    /// Lint levels for some paths, applied in order after `[lints]`.
    #[serde(default)]
    pub overrides: Vec<Override>,
    #[serde(default)]
    pub client_per_call: ClientPerCall,
    #[serde(default)]
    pub unread_response_body: UnreadResponseBody,
    /// Extra catalog entries for the user's own client types and markers.
    pub catalog: Option<CatalogFile>,
    /// Files nested deeper than this are refused (default 2000; `--max-nesting`).
    pub max_nesting: Option<usize>,
    /// Files larger than this many bytes are skipped (default 16 MiB; `--max-file-size`).
    pub max_file_size: Option<u64>,
}

/// `[package.metadata.connlint]`: what one package may set for its own files.
/// Run-wide settings (tests, pedantic, limits, error paths) stay in the root config.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageConfig {
    #[serde(default)]
    pub lints: Levels,
    /// Path globs relative to the package directory.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Overrides whose `paths` are relative to the package directory.
    #[serde(default)]
    pub overrides: Vec<Override>,
    pub catalog: Option<CatalogFile>,
}

/// `[[overrides]]`: levels for the files matching `paths`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// Path globs or directories.
    pub paths: Vec<String>,
    #[serde(default)]
    pub lints: Levels,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientPerCall {
    /// Public functions of a library that nothing in the workspace calls count as per-call (default true).
    pub public_api: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnreadResponseBody {
    /// Also report responses dropped on error paths (`?`, `return Err(..)`).
    #[serde(default)]
    pub error_paths: bool,
}

/// A package's own config, with where its paths start.
#[derive(Debug)]
pub struct PackageLayer {
    /// The package directory relative to the workspace root (`""` for the root), with `/`.
    pub dir: String,
    pub config: PackageConfig,
    /// `path/to/Cargo.toml [package.metadata.connlint]`, for messages.
    pub source: String,
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Config,
    /// Where it came from, for messages.
    pub source: Option<String>,
    /// `[package.metadata.connlint]` tables, in package order.
    pub packages: Vec<PackageLayer>,
    /// What the user should know about the sources (one ignored in favour of another).
    pub notes: Vec<String>,
}

impl Loaded {
    /// The root catalog entries and every package's, to add to the built-in catalog.
    pub fn catalogs(&self) -> impl Iterator<Item = &CatalogFile> {
        self.config.catalog.iter().chain(
            self.packages
                .iter()
                .filter_map(|p| p.config.catalog.as_ref()),
        )
    }
}

pub fn parse_level(text: &str) -> Option<Level> {
    match text {
        "allow" => Some(Level::Allow),
        "warn" | "warning" => Some(Level::Warning),
        "deny" | "error" => Some(Level::Error),
        _ => None,
    }
}

/// Checks that every lint named in `levels` exists.
fn check_lints(levels: &Levels, file: &Path, text: &str) -> Result<(), ConfigError> {
    for name in levels.keys() {
        if crate::lints::find(name.get_ref()).is_none() {
            let known: Vec<&str> = crate::lints::LINTS.iter().map(|l| l.name).collect();
            return Err(ConfigError::at(
                file,
                text,
                name.span(),
                format!(
                    "unknown lint `{}`; the lints are {}",
                    name.get_ref(),
                    known.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

impl Config {
    fn check(&self, file: &Path, text: &str) -> Result<(), ConfigError> {
        check_lints(&self.lints, file, text)?;
        self.overrides
            .iter()
            .try_for_each(|o| check_lints(&o.lints, file, text))
    }
}

impl PackageConfig {
    fn check(&self, file: &Path, text: &str) -> Result<(), ConfigError> {
        check_lints(&self.lints, file, text)?;
        self.overrides
            .iter()
            .try_for_each(|o| check_lints(&o.lints, file, text))
    }
}

/// Parses and validates the text of a `connlint.toml` (`origin` names it in errors).
pub fn parse(text: &str, origin: &str) -> Result<Config> {
    let file = Path::new(origin);
    let config: Config =
        toml::from_str(text).map_err(|e| ConfigError::from_toml(file, text, &e))?;
    config.check(file, text)?;
    Ok(config)
}

/// Reads `connlint.toml` in the workspace root (or `explicit`), else
/// `[workspace.metadata.connlint]`, and every member's `[package.metadata.connlint]`.
pub fn load(ws: &Workspace, explicit: Option<&PathBuf>) -> Result<Loaded> {
    let file = explicit
        .cloned()
        .unwrap_or_else(|| ws.root.join("connlint.toml"));
    let root_manifest = ws.root.join("Cargo.toml");
    let root = manifest::read(&root_manifest)?;
    let mut loaded = Loaded::default();
    if file.is_file() {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        loaded.config = parse(&text, &file.display().to_string())?;
        loaded.source = Some(file.display().to_string());
        if root.as_ref().is_some_and(|m| m.workspace_config.is_some()) {
            loaded.notes.push(format!(
                "`{}` is used; `[workspace.metadata.connlint]` in `{}` is ignored (keep one of them)",
                file.display(),
                root_manifest.display()
            ));
        }
    } else if explicit.is_some() {
        bail!("config file `{}` does not exist", file.display());
    } else if let Some(config) = root.and_then(|m| m.workspace_config) {
        loaded.config = config;
        loaded.source = Some(format!(
            "{} [workspace.metadata.connlint]",
            root_manifest.display()
        ));
    }
    for package in &ws.packages {
        if !package.from_cargo {
            continue;
        }
        let Some(m) = manifest::read(&package.manifest_path)? else {
            continue;
        };
        if let Some(config) = m.package_config {
            let dir = package.dir.strip_prefix(&ws.root).unwrap_or(&package.dir);
            loaded.packages.push(PackageLayer {
                dir: dir.to_string_lossy().replace('\\', "/"),
                config,
                source: format!(
                    "{} [package.metadata.connlint]",
                    package.manifest_path.display()
                ),
            });
        }
    }
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        match parse(text, "connlint.toml") {
            Ok(_) => String::from("no error"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn errors_give_the_line_and_column() {
        let e = error("include_tests = true\n\n[lints]\nclient_in_lop = \"deny\"\n");
        assert!(
            e.starts_with("connlint.toml:4:1: unknown lint `client_in_lop`"),
            "{e}"
        );
        let e = error("[lints]\nclient_in_loop = \"forbid\"\n");
        assert!(
            e.starts_with("connlint.toml:2:18: unknown variant `forbid`"),
            "{e}"
        );
        let e = error("pedantic = true\nincluded_tests = true\n");
        assert!(
            e.starts_with("connlint.toml:2:1: unknown field `included_tests`"),
            "{e}"
        );
        let e = error("[[overrides]]\npaths = [\"src/**\"]\nlints = { nope = \"allow\" }\n");
        assert!(
            e.starts_with("connlint.toml:3:11: unknown lint `nope`"),
            "{e}"
        );
        let e = error("[[catalog.client]]\nname = \"x\"\nconstructor = [\"x::new\"]\n");
        assert!(
            e.starts_with("connlint.toml:3:1: unknown field `constructor`"),
            "{e}"
        );
        let e = error("max_nesting = \"deep\"\n");
        assert!(e.starts_with("connlint.toml:1:15: invalid type"), "{e}");
    }

    #[test]
    fn levels_and_overrides_parse() {
        let config = parse(
            "[lints]\nclient_in_loop = \"deny\"\nunread_response_body = \"warning\"\n\n[[overrides]]\npaths = [\"src/legacy\"]\nlints = { client_in_loop = \"allow\" }\n",
            "connlint.toml",
        );
        let config = config.unwrap_or_default();
        let levels: Vec<(&str, Level)> = config
            .lints
            .iter()
            .map(|(k, v)| (k.get_ref().as_str(), v.get_ref().level()))
            .collect();
        assert_eq!(
            levels,
            [
                ("client_in_loop", Level::Error),
                ("unread_response_body", Level::Warning)
            ]
        );
        assert_eq!(config.overrides.len(), 1);
        assert_eq!(config.overrides[0].paths, ["src/legacy"]);
    }
}
