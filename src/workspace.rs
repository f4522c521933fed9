//! Discovery: which crates to check and where their root files are.
//!
//! With a manifest, `cargo metadata --format-version 1 --no-deps` (through
//! `$CARGO`) names the members, their targets and dependencies; build scripts
//! and proc macros never run. Without one, a directory walk finds the files.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

#[derive(Debug, Clone, Default)]
pub struct Target {
    /// Crate name as written in paths (dashes become underscores).
    pub name: String,
    pub kind: Vec<String>,
    pub crate_types: Vec<String>,
    pub src_path: PathBuf,
    pub edition: String,
}

impl Target {
    pub fn is_lib(&self) -> bool {
        self.kind.iter().any(|k| {
            matches!(
                k.as_str(),
                "lib" | "rlib" | "dylib" | "cdylib" | "staticlib" | "proc-macro"
            )
        })
    }

    pub fn is_test_like(&self) -> bool {
        self.kind.iter().any(|k| k == "test" || k == "bench")
    }
}

#[derive(Debug, Clone, Default)]
pub struct Package {
    pub name: String,
    pub id: String,
    pub manifest_path: PathBuf,
    pub dir: PathBuf,
    pub targets: Vec<Target>,
    /// Names of the package's dependencies (normal, dev and build).
    pub dependencies: Vec<String>,
    pub metadata: Value,
    /// False for a synthetic package made from a directory walk.
    pub from_cargo: bool,
}

impl Package {
    /// Whether the package depends on one of `packages` (always true for a
    /// directory walk, where dependencies are unknown).
    pub fn depends_on_any(&self, packages: &[String]) -> bool {
        !self.from_cargo
            || packages.is_empty()
            || packages
                .iter()
                .any(|p| self.dependencies.iter().any(|d| d == p))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Workspace {
    pub root: PathBuf,
    pub packages: Vec<Package>,
    pub metadata: Value,
    /// Files given on the command line; when set, only findings in these are reported.
    pub report_only: Vec<PathBuf>,
}

#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub paths: Vec<PathBuf>,
    pub manifest_path: Option<PathBuf>,
    pub packages: Vec<String>,
    pub workspace: bool,
    pub exclude: Vec<String>,
    pub include_tests: bool,
}

pub fn discover(selection: &Selection) -> Result<Workspace> {
    if !selection.exclude.is_empty() && !selection.workspace {
        bail!("--exclude can only be used together with --workspace");
    }
    if let Some(manifest) = &selection.manifest_path {
        if manifest.file_name().and_then(|n| n.to_str()) != Some("Cargo.toml") {
            bail!(
                "the manifest-path must be a path to a Cargo.toml file: `{}`",
                manifest.display()
            );
        }
        if !manifest.is_file() {
            bail!("manifest path `{}` does not exist", manifest.display());
        }
        let mut ws = from_metadata(manifest, selection)?;
        ws.report_only = selection.paths.clone();
        return Ok(ws);
    }
    if selection.paths.is_empty() {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let Some(manifest) = find_manifest(&cwd) else {
            bail!(
                "could not find `Cargo.toml` in `{}` or any parent directory; pass a path to check",
                cwd.display()
            );
        };
        return from_metadata(&manifest, selection);
    }
    // Paths given: each one is checked as part of the cargo workspace around
    // it when there is one, else as plain files.
    let mut ws = Workspace::default();
    for path in &selection.paths {
        if !path.exists() {
            bail!("path `{}` does not exist", path.display());
        }
        let abs = absolute(path)?;
        let start = if abs.is_dir() {
            abs.clone()
        } else {
            abs.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        let manifest = find_manifest(&start);
        let part = match manifest {
            Some(manifest) => {
                let sub = Selection {
                    paths: Vec::new(),
                    manifest_path: Some(manifest.clone()),
                    packages: selection.packages.clone(),
                    workspace: true,
                    exclude: selection.exclude.clone(),
                    include_tests: selection.include_tests,
                };
                let mut part = from_metadata(&manifest, &sub)?;
                // Keep the packages that contain the path or that the path contains.
                part.packages
                    .retain(|p| abs.starts_with(&p.dir) || p.dir.starts_with(&abs));
                // A path inside a package but outside its targets' source
                // folders (fixtures, scripts) is checked as plain files.
                let covered = part.packages.iter().any(|p| {
                    p.dir.starts_with(&abs)
                        || p.targets.iter().any(|t| {
                            let dir = t.src_path.parent().unwrap_or(&t.src_path);
                            t.src_path == abs || (dir != p.dir && abs.starts_with(dir))
                        })
                });
                if covered { part } else { from_walk(&abs) }
            }
            None => from_walk(&abs),
        };
        if ws.root.as_os_str().is_empty() {
            ws.root = part.root.clone();
            ws.metadata = part.metadata.clone();
        }
        for p in part.packages {
            match ws.packages.iter_mut().find(|q| q.id == p.id) {
                // Two loose files of one directory: one synthetic package, both targets.
                Some(q) => {
                    for t in p.targets {
                        if !q.targets.iter().any(|u| u.src_path == t.src_path) {
                            q.targets.push(t);
                        }
                    }
                }
                None => ws.packages.push(p),
            }
        }
        ws.report_only.push(abs);
    }
    Ok(ws)
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).with_context(|| format!("cannot resolve `{}`", path.display()))
}

pub fn find_manifest(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let candidate = d.join("Cargo.toml");
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

fn run_metadata(
    cargo: &std::ffi::OsStr,
    manifest: &Path,
    toolchain: Option<&str>,
) -> Result<std::process::Output> {
    let mut cmd = Command::new(cargo);
    cmd.arg("metadata")
        .arg("--format-version")
        .arg("1")
        .arg("--no-deps")
        .arg("--manifest-path")
        .arg(manifest);
    if let Some(t) = toolchain {
        cmd.env("RUSTUP_TOOLCHAIN", t);
    }
    cmd.output()
        .with_context(|| format!("cannot run `{} metadata`", cargo.to_string_lossy()))
}

fn from_metadata(manifest: &Path, selection: &Selection) -> Result<Workspace> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut output = run_metadata(&cargo, manifest, None)?;
    // A `rust-toolchain.toml` can pin a toolchain that is not installed; the
    // metadata format does not depend on it, so ask another toolchain.
    if !output.status.success()
        && String::from_utf8_lossy(&output.stderr).contains("is not installed")
    {
        for toolchain in [option_env!("RUSTUP_TOOLCHAIN"), Some("stable")]
            .into_iter()
            .flatten()
        {
            let retry = run_metadata(&cargo, manifest, Some(toolchain))?;
            if retry.status.success() {
                output = retry;
                break;
            }
        }
    }
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or("")
            .to_string();
        bail!(
            "`cargo metadata` failed for `{}`: {}",
            manifest.display(),
            if first.is_empty() {
                stderr.trim_end().to_string()
            } else {
                first
            }
        );
    }
    let value: Value =
        serde_json::from_slice(&output.stdout).context("cannot parse `cargo metadata` output")?;
    workspace_from_metadata(&value, manifest, selection)
}

pub fn workspace_from_metadata(
    value: &Value,
    manifest: &Path,
    selection: &Selection,
) -> Result<Workspace> {
    let root = value["workspace_root"]
        .as_str()
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.parent().map(Path::to_path_buf).unwrap_or_default());
    let default_members: Vec<String> = strings(&value["workspace_default_members"]);
    let mut all = Vec::new();
    for p in value["packages"].as_array().into_iter().flatten() {
        all.push(package_from_json(p));
    }
    let manifest_abs = std::fs::canonicalize(manifest).unwrap_or(manifest.to_path_buf());
    let selected: Vec<Package> = if !selection.packages.is_empty() {
        let mut out = Vec::new();
        for spec in &selection.packages {
            let matched: Vec<&Package> = all
                .iter()
                .filter(|p| glob_match(spec, &p.name) || p.id == *spec)
                .collect();
            if matched.is_empty() {
                bail!("package `{spec}` is not a member of the workspace");
            }
            out.extend(matched.into_iter().cloned());
        }
        out
    } else if selection.workspace {
        all.clone()
    } else {
        // The manifest's own package when it has one, else the default members.
        match all.iter().find(|p| {
            std::fs::canonicalize(&p.manifest_path).unwrap_or(p.manifest_path.clone())
                == manifest_abs
        }) {
            Some(p) => vec![p.clone()],
            None if default_members.is_empty() => all.clone(),
            None => all
                .iter()
                .filter(|p| default_members.contains(&p.id))
                .cloned()
                .collect(),
        }
    };
    let packages = selected
        .into_iter()
        .filter(|p| !selection.exclude.iter().any(|e| glob_match(e, &p.name)))
        .collect();
    Ok(Workspace {
        root,
        packages,
        metadata: value["metadata"].clone(),
        report_only: Vec::new(),
    })
}

fn package_from_json(p: &Value) -> Package {
    let manifest_path = PathBuf::from(p["manifest_path"].as_str().unwrap_or_default());
    let dir = manifest_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let targets = p["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| Target {
            name: t["name"].as_str().unwrap_or_default().replace('-', "_"),
            kind: strings(&t["kind"]),
            crate_types: strings(&t["crate_types"]),
            src_path: PathBuf::from(t["src_path"].as_str().unwrap_or_default()),
            edition: t["edition"].as_str().unwrap_or("2021").to_string(),
        })
        .collect();
    let dependencies = p["dependencies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["name"].as_str().map(str::to_string))
        .collect();
    Package {
        name: p["name"].as_str().unwrap_or_default().to_string(),
        id: p["id"].as_str().unwrap_or_default().to_string(),
        manifest_path,
        dir,
        targets,
        dependencies,
        metadata: p["metadata"].clone(),
        from_cargo: true,
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// Files outside any cargo workspace: each `Cargo.toml` found under the
/// directory becomes a package whose targets follow cargo's conventions
/// (read without running cargo); the remaining files form one synthetic
/// package in which every file is a candidate root and `mod` declarations
/// link them later.
fn from_walk(path: &Path) -> Workspace {
    let root = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let name = root
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("main")
        .replace('-', "_");
    let files = if path.is_dir() {
        rust_files(path)
    } else {
        vec![path.to_path_buf()]
    };
    let mut packages: Vec<Package> = if path.is_dir() {
        manifest_packages(path)
    } else {
        Vec::new()
    };
    // Deepest package first, so a file goes to the package that owns it.
    packages.sort_by_key(|p| std::cmp::Reverse(p.dir.components().count()));
    let loose: Vec<PathBuf> = files
        .into_iter()
        .filter(|f| !packages.iter().any(|p| f.starts_with(&p.dir)))
        .collect();
    packages.sort_by(|a, b| a.dir.cmp(&b.dir));
    if !loose.is_empty() {
        let targets = loose
            .into_iter()
            .map(|f| Target {
                name: name.clone(),
                kind: vec!["walk".to_string()],
                crate_types: Vec::new(),
                src_path: f,
                edition: "2021".to_string(),
            })
            .collect();
        packages.push(Package {
            name: name.clone(),
            id: format!("path+file://{}", root.display()),
            manifest_path: root.join("Cargo.toml"),
            dir: root.clone(),
            targets,
            dependencies: Vec::new(),
            metadata: Value::Null,
            from_cargo: false,
        });
    }
    Workspace {
        root,
        packages,
        metadata: Value::Null,
        report_only: Vec::new(),
    }
}

/// Packages described by the `Cargo.toml` files under `dir`, read directly.
fn manifest_packages(dir: &Path) -> Vec<Package> {
    let manifests = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.') || (e.file_type().is_dir() && name == "target"))
        })
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.file_name() == "Cargo.toml")
        .map(|e| e.into_path());
    manifests.filter_map(|m| manifest_package(&m)).collect()
}

fn manifest_package(manifest: &Path) -> Option<Package> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let value: toml::Value = toml::from_str(&text).ok()?;
    let package = value.get("package")?;
    let name = package.get("name")?.as_str()?.to_string();
    let edition = package
        .get("edition")
        .and_then(|e| e.as_str())
        .unwrap_or("2015")
        .to_string();
    let dir = manifest.parent()?.to_path_buf();
    let ident = name.replace('-', "_");
    let mut targets = Vec::new();
    let mut add = |name: String, kind: &str, path: PathBuf| {
        if path.is_file() && !targets.iter().any(|t: &Target| t.src_path == path) {
            targets.push(Target {
                name,
                kind: vec![kind.to_string()],
                crate_types: vec![if kind == "lib" { "lib" } else { "bin" }.to_string()],
                src_path: path,
                edition: edition.clone(),
            });
        }
    };
    let lib = value.get("lib");
    let lib_name = lib
        .and_then(|l| l.get("name"))
        .and_then(|n| n.as_str())
        .map(|n| n.replace('-', "_"))
        .unwrap_or(ident.clone());
    let lib_path = lib
        .and_then(|l| l.get("path"))
        .and_then(|p| p.as_str())
        .map(|p| dir.join(p))
        .unwrap_or(dir.join("src/lib.rs"));
    add(lib_name, "lib", lib_path);
    for bin in value
        .get("bin")
        .and_then(|b| b.as_array())
        .into_iter()
        .flatten()
    {
        let bin_name = bin
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or(&name)
            .replace('-', "_");
        if let Some(p) = bin.get("path").and_then(|p| p.as_str()) {
            add(bin_name, "bin", dir.join(p));
        }
    }
    add(ident.clone(), "bin", dir.join("src/main.rs"));
    let build = package
        .get("build")
        .and_then(|b| b.as_str())
        .map(|b| dir.join(b))
        .unwrap_or(dir.join("build.rs"));
    add("build_script_build".to_string(), "custom-build", build);
    for (folder, kind) in [
        ("src/bin", "bin"),
        ("examples", "example"),
        ("tests", "test"),
        ("benches", "bench"),
    ] {
        for entry in std::fs::read_dir(dir.join(folder))
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
        {
            let p = entry.path();
            let stem = p
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .replace('-', "_");
            if p.extension().is_some_and(|x| x == "rs") {
                add(stem, kind, p);
            } else if p.join("main.rs").is_file() {
                add(stem, kind, p.join("main.rs"));
            }
        }
    }
    let mut dependencies = Vec::new();
    let mut tables: Vec<&toml::Value> = ["dependencies", "dev-dependencies", "build-dependencies"]
        .iter()
        .filter_map(|k| value.get(*k))
        .collect();
    for t in value
        .get("target")
        .and_then(|t| t.as_table())
        .into_iter()
        .flat_map(|t| t.values())
    {
        tables.extend(
            ["dependencies", "dev-dependencies", "build-dependencies"]
                .iter()
                .filter_map(|k| t.get(*k)),
        );
    }
    for table in tables.into_iter().filter_map(|t| t.as_table()) {
        for (key, spec) in table {
            let real = spec.get("package").and_then(|p| p.as_str()).unwrap_or(key);
            dependencies.push(real.to_string());
        }
    }
    Some(Package {
        id: format!("path+file://{}#{name}", dir.display()),
        name,
        manifest_path: manifest.to_path_buf(),
        dir,
        targets,
        dependencies,
        metadata: value
            .get("package")
            .and_then(|p| p.get("metadata"))
            .and_then(|m| serde_json::to_value(m).ok())
            .unwrap_or(Value::Null),
        from_cargo: true,
    })
}

/// Every `.rs` file under `dir`, skipping `target/` and hidden directories.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.') || (e.file_type().is_dir() && name == "target"))
        })
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Cargo-style glob: `*`, `?` and `[...]` classes.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    fn go(p: &[char], t: &[char]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some('*') => (0..=t.len()).any(|i| go(&p[1..], &t[i..])),
            Some('?') => !t.is_empty() && go(&p[1..], &t[1..]),
            Some('[') => {
                let Some(close) = p.iter().position(|&c| c == ']') else {
                    return !t.is_empty() && t[0] == '[' && go(&p[1..], &t[1..]);
                };
                let Some(&c) = t.first() else { return false };
                let class = &p[1..close];
                let (negate, class) = match class.first() {
                    Some('!') | Some('^') => (true, &class[1..]),
                    _ => (false, class),
                };
                let mut hit = false;
                let mut i = 0;
                while i < class.len() {
                    if i + 2 < class.len() && class[i + 1] == '-' {
                        hit |= class[i] <= c && c <= class[i + 2];
                        i += 3;
                    } else {
                        hit |= class[i] == c;
                        i += 1;
                    }
                }
                hit != negate && go(&p[close + 1..], &t[1..])
            }
            Some(&c) => t.first() == Some(&c) && go(&p[1..], &t[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    go(&p, &t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_follow_cargo() {
        assert!(glob_match("conn*", "connlint"));
        assert!(glob_match("a?c", "abc"));
        assert!(glob_match("[ab]x", "bx"));
        assert!(!glob_match("[!ab]x", "bx"));
        assert!(!glob_match("conn", "connlint"));
    }
}
