//! What every machine format needs about a run: the findings, their files,
//! packages, targets and fingerprints, and where the repository starts.

use std::path::{Path, PathBuf};

use crate::baseline::Entry;
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;
use crate::workspace::{Package, Target, Workspace};

pub struct Report<'a> {
    pub diagnostics: &'a [Diagnostic],
    /// One per diagnostic (`fingerprint::fingerprints`).
    pub fingerprints: &'a [String],
    pub files: &'a [SourceFile],
    pub ws: &'a Workspace,
    pub file_package: &'a [Option<usize>],
    pub file_root: &'a [Option<PathBuf>],
    /// The repository root (the nearest directory above the workspace with a
    /// `.git`), else the workspace root: SARIF and annotation paths are
    /// relative to it.
    pub repo_root: PathBuf,
    /// Files read and parsed.
    pub checked: usize,
    /// Baseline entries no current finding matches: fixed findings.
    pub gone: &'a [Entry],
    /// Findings not reported because the baseline records them.
    pub known: usize,
    /// Findings silenced by suppression comments.
    pub suppressed: usize,
}

impl Report<'_> {
    pub fn package_of(&self, file: usize) -> Option<&Package> {
        let p = self.file_package.get(file).copied().flatten()?;
        self.ws.packages.get(p)
    }

    /// The target (crate) a file belongs to: the one whose module tree holds
    /// it, else the package's lib, else its first target.
    pub fn target_of(&self, file: usize) -> Option<&Target> {
        let package = self.package_of(file)?;
        let root = self.file_root.get(file).and_then(Option::as_ref);
        root.and_then(|r| package.targets.iter().find(|t| &t.src_path == r))
            .or_else(|| package.targets.iter().find(|t| t.is_lib()))
            .or_else(|| package.targets.first())
    }

    /// The absolute path of a file for editors: under the workspace root as
    /// cargo spells that root (an editor knows the files by that path, also
    /// when it runs through a symbolic link), else the file's real path.
    pub fn absolute_name(&self, file: usize) -> String {
        let Some(f) = self.files.get(file) else {
            return String::new();
        };
        let path = absolute(&f.path);
        let path = match path.strip_prefix(absolute(&self.ws.root)) {
            Ok(rel) if self.ws.root.is_absolute() => self.ws.root.join(rel),
            _ => path,
        };
        path.to_string_lossy().into_owned()
    }

    /// A file's path relative to the repository root, with `/` separators
    /// (its display name when it lies outside the repository).
    pub fn repo_path(&self, file: usize) -> String {
        let Some(f) = self.files.get(file) else {
            return String::new();
        };
        let path = absolute(&f.path);
        match path.strip_prefix(&self.repo_root) {
            Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
            Err(_) => f.name.clone(),
        }
    }

    /// The lint findings (not input problems such as parse errors).
    pub fn findings(&self) -> impl Iterator<Item = (usize, &Diagnostic)> {
        self.diagnostics
            .iter()
            .enumerate()
            .filter(|(_, d)| crate::lints::find(d.lint).is_some())
    }
}

/// Baseline entries that no finding matches any more: fixed, and said so.
pub fn gone_note(gone: &[Entry]) -> String {
    let mut text = format!(
        "connlint: {} finding{} of the baseline {} gone (fixed); write the baseline again to drop {}:\n",
        gone.len(),
        if gone.len() == 1 { "" } else { "s" },
        if gone.len() == 1 { "is" } else { "are" },
        if gone.len() == 1 { "it" } else { "them" },
    );
    for e in gone {
        let item = if e.item.is_empty() {
            String::new()
        } else {
            format!(" in `{}`", e.item)
        };
        text.push_str(&format!(
            "  {}: {}{}: {}\n",
            e.path, e.lint, item, e.message
        ));
    }
    text
}

/// The repository root above `workspace_root`: the nearest ancestor holding
/// `.git` (a directory, or a file for worktrees and submodules), else the
/// workspace root itself. Canonical, like the paths of the files.
pub fn repo_root(workspace_root: &Path) -> PathBuf {
    let root = absolute(workspace_root);
    root.ancestors()
        .find(|a| a.join(".git").exists())
        .map_or_else(|| root.clone(), Path::to_path_buf)
}

fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}
