//! The version-control check before `--fix` writes, as `cargo fix` does it:
//! no repository needs `--allow-no-vcs`; uncommitted changes need
//! `--allow-dirty` (which also allows staged ones) and staged-only changes
//! `--allow-staged`, so that the fix can always be told apart and undone.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

#[derive(Debug, Clone, Copy, Default)]
pub struct Allow {
    pub dirty: bool,
    pub staged: bool,
    pub no_vcs: bool,
}

/// The files of a work tree with changes not committed, from
/// `git status --porcelain -z`: `(path, staged)`, where a path with changes
/// in the work tree (or untracked) is dirty, and one changed only in the
/// index is staged.
pub fn parse_status(porcelain: &[u8]) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut fields = porcelain.split(|&b| b == 0).filter(|f| !f.is_empty());
    while let Some(entry) = fields.next() {
        if entry.len() < 4 {
            continue;
        }
        let (x, y) = (entry[0], entry[1]);
        let path = String::from_utf8_lossy(&entry[3..]).into_owned();
        if matches!(x, b'R' | b'C') {
            // A rename or copy is followed by its source path.
            fields.next();
        }
        let staged = x != b' ' && x != b'?' && y == b' ';
        out.push((path, staged));
    }
    out
}

/// Refuses to write into a work tree with changes the user could not tell
/// from the fixes, unless allowed.
pub fn check(root: &Path, allow: Allow) -> Result<()> {
    let inside = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output();
    let in_repo = inside.is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"true"));
    if !in_repo {
        if allow.no_vcs {
            return Ok(());
        }
        bail!(
            "no VCS found for `{}`, and `--fix` can make changes that cannot be undone; commit the code to git first, or pass `--allow-no-vcs`",
            root.display()
        );
    }
    if allow.dirty {
        return Ok(());
    }
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["status", "--porcelain=v1", "-z", "--untracked-files=all"])
        .output()
        .with_context(|| format!("cannot run `git status` in `{}`", root.display()))?;
    if !output.status.success() {
        bail!(
            "`git status` failed in `{}`: {}",
            root.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let listed: Vec<String> = parse_status(&output.stdout)
        .into_iter()
        .filter(|(_, staged)| !(*staged && allow.staged))
        .map(|(path, staged)| format!("  * {path} ({})", if staged { "staged" } else { "dirty" }))
        .collect();
    if listed.is_empty() {
        return Ok(());
    }
    bail!(
        "the working directory has uncommitted changes, and `--fix` can make changes that would mix with them; commit the changes to these files, or pass `--allow-dirty` (`--allow-staged` for staged changes only):\n\n{}",
        listed.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::parse_status;

    #[test]
    fn porcelain_entries() {
        let status = b" M src/a.rs\0M  src/b.rs\0MM src/c.rs\0?? new.rs\0R  to.rs\0from.rs\0";
        assert_eq!(
            parse_status(status),
            vec![
                ("src/a.rs".to_string(), false),
                ("src/b.rs".to_string(), true),
                ("src/c.rs".to_string(), false),
                ("new.rs".to_string(), false),
                ("to.rs".to_string(), true),
            ]
        );
    }
}
