//! Configuration: `connlint.toml` at the workspace root, or
//! `[workspace.metadata.connlint]` in the root `Cargo.toml`.
//!
//! ```toml
//! [lints]
//! client_in_loop = "deny"        # allow | warn | deny
//! [unread_response_body]
//! error_paths = true
//! [catalog]                      # extra entries, same schema as lints/catalog/*.toml
//! [[catalog.client]]
//! name = "my_sdk::Client"
//! ...
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::catalog::CatalogFile;
use crate::diagnostic::Level;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Lint levels: `allow`, `warn` or `deny`.
    #[serde(default)]
    pub lints: BTreeMap<String, String>,
    /// Check test code too.
    pub include_tests: Option<bool>,
    /// Also report findings whose frequency the code cannot show (`--pedantic`).
    pub pedantic: Option<bool>,
    /// Path globs (relative to the workspace root) whose findings are not reported.
    #[serde(default)]
    pub exclude: Vec<String>,
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

#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Config,
    /// Where it came from, for messages.
    pub source: Option<String>,
}

pub fn parse_level(text: &str) -> Option<Level> {
    match text {
        "allow" => Some(Level::Allow),
        "warn" | "warning" => Some(Level::Warning),
        "deny" | "error" => Some(Level::Error),
        _ => None,
    }
}

impl Config {
    pub fn validate(&self, origin: &str) -> Result<()> {
        for (lint, level) in &self.lints {
            if crate::lints::find(lint).is_none() {
                bail!("{origin}: unknown lint `{lint}` in [lints]");
            }
            if parse_level(level).is_none() {
                bail!(
                    "{origin}: level of `{lint}` must be `allow`, `warn` or `deny`, not `{level}`"
                );
            }
        }
        Ok(())
    }
}

/// Parses and validates the text of a `connlint.toml`.
pub fn parse(text: &str, origin: &str) -> Result<Config> {
    let config: Config = toml::from_str(text).map_err(|e| anyhow::anyhow!("{origin}: {e}"))?;
    config.validate(origin)?;
    Ok(config)
}

/// Reads `connlint.toml` in `root`, else `[workspace.metadata.connlint]`.
pub fn load(
    root: &Path,
    workspace_metadata: &serde_json::Value,
    explicit: Option<&PathBuf>,
) -> Result<Loaded> {
    let file = explicit
        .cloned()
        .unwrap_or_else(|| root.join("connlint.toml"));
    if file.is_file() {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let config = parse(&text, &file.display().to_string())?;
        return Ok(Loaded {
            config,
            source: Some(file.display().to_string()),
        });
    }
    if explicit.is_some() {
        bail!("config file `{}` does not exist", file.display());
    }
    if let Some(meta) = workspace_metadata.get("connlint") {
        let config: Config = serde_json::from_value(meta.clone())
            .map_err(|e| anyhow::anyhow!("[workspace.metadata.connlint] in Cargo.toml: {e}"))?;
        config.validate("[workspace.metadata.connlint]")?;
        return Ok(Loaded {
            config,
            source: Some("[workspace.metadata.connlint]".into()),
        });
    }
    Ok(Loaded::default())
}
