//! Writing a fixed file: only inside the workspace, never through a symbolic
//! link, only when the file still holds the text that was checked, and
//! atomically (a temporary file in the same directory, fsync, rename) with
//! the permissions of the file it replaces.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

const BOM: &str = "\u{feff}";

/// Replaces the file at `path` (under `root`) by `fixed`, when it still holds
/// `original` (a byte order mark the analysis dropped is kept).
pub fn write_fixed(root: &Path, path: &Path, original: &str, fixed: &str) -> Result<()> {
    let path = checked_path(root, path)?;
    let current = fs::read(&path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let (bom, current) = match current.strip_prefix(BOM.as_bytes()) {
        Some(rest) => (BOM, rest),
        None => ("", current.as_slice()),
    };
    if current != original.as_bytes() {
        bail!(
            "`{}` changed on disk while connlint was fixing it; it was left as it is",
            path.display()
        );
    }
    let permissions = fs::metadata(&path)
        .with_context(|| format!("cannot read the permissions of `{}`", path.display()))?
        .permissions();
    let dir = path
        .parent()
        .with_context(|| format!("`{}` has no parent directory", path.display()))?;
    let file_name = path
        .file_name()
        .with_context(|| format!("`{}` has no file name", path.display()))?
        .to_string_lossy();
    let (temp, mut file) = create_temp(dir, &file_name)?;
    let written = (|| -> Result<()> {
        file.write_all(bom.as_bytes())?;
        file.write_all(fixed.as_bytes())?;
        file.set_permissions(permissions)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, &path)?;
        Ok(())
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(e.context(format!("cannot write `{}`", path.display())));
    }
    sync_dir(dir);
    Ok(())
}

/// A new file next to the target, created exclusively (never an existing
/// file, never through a link).
fn create_temp(dir: &Path, file_name: &str) -> Result<(PathBuf, fs::File)> {
    let pid = std::process::id();
    for n in 0..100u32 {
        let temp = dir.join(format!(".{file_name}.connlint-{pid}-{n}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(f) => return Ok((temp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(e).with_context(|| {
                    format!("cannot create a temporary file in `{}`", dir.display())
                });
            }
        }
    }
    bail!("cannot create a temporary file in `{}`", dir.display())
}

/// Makes the rename durable (best effort: not every platform can open a
/// directory).
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The path to write: inside the workspace root, and no component below the
/// root (the file itself included) is a symbolic link.
pub fn checked_path(root: &Path, path: &Path) -> Result<PathBuf> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let given_root = cwd.join(root);
    let root = root
        .canonicalize()
        .with_context(|| format!("cannot resolve the workspace root `{}`", root.display()))?;
    let absolute = cwd.join(path);
    // The root as given, or as resolved (`/tmp` may be a link on macOS); the
    // rest of the path is then walked without following links.
    let relative = absolute
        .strip_prefix(&given_root)
        .or_else(|_| absolute.strip_prefix(&root))
        .ok()
        .map(Path::to_path_buf);
    let Some(relative) = relative else {
        bail!(
            "`{}` is outside the workspace `{}`; connlint writes only inside it",
            path.display(),
            root.display()
        );
    };
    let mut at = root.clone();
    for c in relative.components() {
        match c {
            Component::Normal(part) => at.push(part),
            Component::CurDir => continue,
            _ => bail!(
                "`{}` leaves the workspace `{}`; connlint writes only inside it",
                path.display(),
                root.display()
            ),
        }
        let meta =
            fs::symlink_metadata(&at).with_context(|| format!("cannot read `{}`", at.display()))?;
        if meta.file_type().is_symlink() {
            bail!(
                "`{}` is reached through the symbolic link `{}`; connlint never writes through a link",
                path.display(),
                at.display()
            );
        }
    }
    if !fs::symlink_metadata(&at).is_ok_and(|m| m.is_file()) {
        bail!("`{}` is not a regular file", at.display());
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("connlint-write-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("ws/src")).expect("scratch");
        dir
    }

    #[test]
    fn writes_only_the_text_it_read() {
        let dir = scratch("changed");
        let file = dir.join("ws/src/a.rs");
        fs::write(&file, "\u{feff}fn a() {}\n").expect("write");
        write_fixed(&dir.join("ws"), &file, "fn a() {}\n", "fn b() {}\n").expect("fixed");
        assert_eq!(
            fs::read_to_string(&file).expect("read"),
            "\u{feff}fn b() {}\n"
        );
        let stale = write_fixed(&dir.join("ws"), &file, "fn a() {}\n", "fn c() {}\n");
        assert!(format!("{:#}", stale.expect_err("stale")).contains("changed on disk"));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn refuses_links_and_paths_outside() {
        let dir = scratch("links");
        let root = dir.join("ws");
        let outside = dir.join("outside.rs");
        fs::write(&outside, "fn a() {}\n").expect("write");
        let err = |p: &Path| format!("{:#}", checked_path(&root, p).expect_err("refused"));
        assert!(err(&outside).contains("outside the workspace"));
        assert!(err(&root.join("src/../../outside.rs")).contains("leaves the workspace"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&outside, root.join("src/link.rs")).expect("link");
            assert!(err(&root.join("src/link.rs")).contains("symbolic link"));
            std::os::unix::fs::symlink(root.join("src"), root.join("alias")).expect("link");
            fs::write(root.join("src/real.rs"), "fn a() {}\n").expect("write");
            assert!(err(&root.join("alias/real.rs")).contains("symbolic link"));
            assert!(checked_path(&root, &root.join("src/real.rs")).is_ok());
        }
        let _ = fs::remove_dir_all(&dir);
    }
}
