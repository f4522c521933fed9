//! Where the language server's findings come from. [`Engine`] is the seam
//! for an incremental cache: the server only asks "the findings of the
//! workspace that holds this file, now that these files were saved", and
//! [`FullRun`] answers by discovering and analysing the workspace again. A
//! cache-backed engine answers the same question from stored facts,
//! re-reading only the saved files.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;
use crate::workspace::{self, Selection};
use crate::{report, session};

/// The findings of one workspace, with the files their spans point into.
#[derive(Debug, Default)]
pub struct Findings {
    pub root: PathBuf,
    pub files: Vec<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
}

pub trait Engine {
    /// The findings of the workspace that holds `file`; `saved` lists the
    /// files saved since the previous call (all of them may have changed).
    fn check(&mut self, file: &Path, saved: &[PathBuf]) -> Result<Findings>;
}

/// Discovers and analyses the whole workspace on every call.
#[derive(Debug, Default)]
pub struct FullRun {
    pub overrides: session::Overrides,
}

/// The manifest of the nearest package above `file`, if any.
pub fn manifest_of(file: &Path) -> Option<PathBuf> {
    file.ancestors()
        .skip(1)
        .map(|dir| dir.join("Cargo.toml"))
        .find(|m| m.is_file())
}

impl Engine for FullRun {
    fn check(&mut self, file: &Path, _saved: &[PathBuf]) -> Result<Findings> {
        let selection = match manifest_of(file) {
            Some(manifest) => Selection {
                manifest_path: Some(manifest),
                workspace: true,
                cache: !self.overrides.no_cache,
                ..Selection::default()
            },
            None => Selection {
                paths: vec![file.to_path_buf()],
                cache: !self.overrides.no_cache,
                ..Selection::default()
            },
        };
        let ws = workspace::discover(&selection)?;
        let settings = session::settings(&ws, &self.overrides)?;
        let analysis = crate::analyze(&ws, &settings.catalog, &settings.options);
        let report = report::finalize(&analysis, &ws, &settings.policy);
        Ok(Findings {
            root: ws.root.clone(),
            diagnostics: report.diagnostics,
            files: analysis.files,
        })
    }
}
