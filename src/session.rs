//! What a run needs besides the workspace: the config, the catalog with the
//! config's entries, the analysis options and the reporting policy, from the
//! config files and the command line. Shared by the command line and the
//! language server.

use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::catalog::Catalog;
use crate::config::{self, Loaded};
use crate::diagnostic::Level;
use crate::policy::Policy;
use crate::workspace::Workspace;
use crate::{Options, nesting};

/// What the command line sets on top of the config.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub include_tests: bool,
    pub pedantic: bool,
    pub require_reasons: bool,
    pub no_call_graph: bool,
    pub no_prefilter: bool,
    pub jobs: Option<usize>,
    pub max_nesting: Option<usize>,
    pub max_file_size: Option<u64>,
    /// `--no-cache`: no incremental cache under `target/connlint/`.
    pub no_cache: bool,
    /// `-A`/`-W`/`-D` in the order given: (name, level, flag).
    pub levels: Vec<(String, Level, &'static str)>,
}

pub struct Settings {
    pub loaded: Loaded,
    pub catalog: Catalog,
    pub options: Options,
    pub policy: Policy,
}

pub fn settings(ws: &Workspace, cli: &Overrides) -> Result<Settings> {
    // `--config KEY=VALUE` is cargo's flag (copied from cargo commands): ignore it.
    let config_path = cli
        .config
        .as_ref()
        .filter(|p| !p.to_string_lossy().contains('='));
    let loaded = config::load(ws, config_path)?;
    let mut catalog = Catalog::builtin().context("the built-in catalog is broken")?;
    for extra in loaded.catalogs() {
        catalog.add_file(extra.clone());
    }
    let c = &loaded.config;
    let mut policy = Policy::from_config(&loaded);
    for (name, level, flag) in &cli.levels {
        policy.command_line(name, *level, flag)?;
    }
    policy.require_reasons |= cli.require_reasons;
    policy.include_tests |= cli.include_tests;
    let options = Options {
        include_tests: policy.include_tests,
        call_graph: !cli.no_call_graph,
        prefilter: !cli.no_prefilter,
        public_api: c.client_per_call.public_api.unwrap_or(true),
        error_paths: c.unread_response_body.error_paths,
        pedantic: cli.pedantic || c.pedantic.unwrap_or(false),
        threads: cli.jobs.unwrap_or(0),
        max_nesting: cli
            .max_nesting
            .or(c.max_nesting)
            .unwrap_or(nesting::DEFAULT_MAX_NESTING),
        max_file_size: cli.max_file_size.or(c.max_file_size).unwrap_or(16 << 20),
        cache: (!cli.no_cache).then(|| {
            // The config's Debug text, lines sorted: its maps print in no set order.
            let text = format!("{loaded:#?}");
            let mut lines: Vec<&str> = text.lines().collect();
            lines.sort_unstable();
            crate::cache::Cache::for_workspace(ws).with_config(&lines.join("\n"))
        }),
        shard: None,
        batch_bytes: crate::DEFAULT_BATCH_BYTES,
    };
    Ok(Settings {
        loaded,
        catalog,
        options,
        policy,
    })
}
