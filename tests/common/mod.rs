//! Helpers shared by the integration tests that run the binary.
#![allow(dead_code)]

pub mod generated;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cargo-connlint"))
}

/// A fresh directory under the temp dir, named after the test binary and `name`.
/// (A test that fails leaves its directory to look at; the first call of a
/// later run removes those of test processes that are gone.)
pub fn scratch(name: &str) -> PathBuf {
    static SWEPT: std::sync::Once = std::sync::Once::new();
    SWEPT.call_once(sweep_scratch);
    let dir = std::env::temp_dir().join(format!(
        "connlint-{}-{}-{name}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Removes the scratch directories of this test binary whose process has
/// ended (where the system shows processes under `/proc`).
fn sweep_scratch() {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let prefix = format!("connlint-{}-", env!("CARGO_CRATE_NAME"));
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.split('-').next())
            .filter(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        if !proc.join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Writes `text` to `dir/name`, creating the directories on the way.
pub fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create dir");
    }
    std::fs::write(&path, text).expect("write file");
    path
}

/// Runs a command: its exit code (-1 when killed), stdout and stderr.
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("run cargo-connlint");
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// The workspace of a fixture: a directory with a `Cargo.toml` is read as a
/// workspace, anything else as the files given on the command line.
pub fn discover_path(path: &Path) -> connlint::workspace::Workspace {
    let selection = if path.join("Cargo.toml").is_file() {
        connlint::workspace::Selection {
            manifest_path: Some(path.join("Cargo.toml")),
            workspace: true,
            ..Default::default()
        }
    } else {
        connlint::workspace::Selection {
            paths: vec![path.to_path_buf()],
            ..Default::default()
        }
    };
    connlint::workspace::discover(&selection).expect("discovery")
}
