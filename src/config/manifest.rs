//! connlint's tables in a `Cargo.toml`: `[workspace.metadata.connlint]` and
//! `[package.metadata.connlint]`, read from the manifest itself (not from the
//! JSON of `cargo metadata`) so that errors point at the line. A
//! `[lints.connlint]` table is refused with the reason.

use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;

use super::{Config, ConfigError, PackageConfig};

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Section<T> {
    metadata: Option<Metadata<T>>,
}

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Metadata<T> {
    connlint: Option<Spanned<T>>,
}

#[derive(Deserialize)]
struct Raw {
    workspace: Option<Section<Config>>,
    package: Option<Section<PackageConfig>>,
}

/// Lenient first pass: only where the tables are, so that a manifest cargo
/// accepts is never refused for keys connlint does not read.
#[derive(Deserialize)]
struct Outline {
    workspace: Option<OutlineSection>,
    package: Option<OutlineSection>,
    lints: Option<Spanned<toml::Table>>,
}

#[derive(Deserialize)]
struct OutlineSection {
    lints: Option<Spanned<toml::Table>>,
}

/// What one manifest says for connlint.
#[derive(Debug, Default)]
pub struct ManifestConfig {
    pub workspace_config: Option<Config>,
    pub package_config: Option<PackageConfig>,
}

const LINTS_TABLE: &str = "cargo accepts only the tools `rust`, `clippy` and `rustdoc` in `[lints]`: \
    it warns about `connlint` on every build and passes nothing on to connlint; move the levels to \
    `[workspace.metadata.connlint.lints]` (or `connlint.toml`), e.g. `client_in_loop = \"deny\"`";

/// Keys of the root config that a package table cannot set.
const RUN_WIDE: &[&str] = &[
    "include_tests",
    "pedantic",
    "require_reasons",
    "client_per_call",
    "unread_response_body",
    "max_nesting",
    "max_file_size",
];

/// Reads connlint's tables from the manifest at `path`; `None` when there is
/// no manifest or it is not TOML at all (cargo reports that).
pub fn read(path: &Path) -> Result<Option<ManifestConfig>> {
    if !path.is_file() {
        return Ok(None);
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let Ok(outline) = toml::from_str::<Outline>(&text) else {
        return Ok(None);
    };
    let lint_tables = [
        outline.lints.as_ref(),
        outline.workspace.as_ref().and_then(|w| w.lints.as_ref()),
        outline.package.as_ref().and_then(|p| p.lints.as_ref()),
    ];
    for table in lint_tables.into_iter().flatten() {
        if table.get_ref().contains_key("connlint") {
            // The table's span is its first header; point at `connlint` itself.
            let at = text
                .find("lints.connlint")
                .map_or(table.span().start, |i| i + "lints.".len());
            return Err(ConfigError::at(
                path,
                &text,
                at..at + 1,
                format!("`[lints.connlint]` does not configure connlint: {LINTS_TABLE}"),
            )
            .into());
        }
    }
    let raw: Raw = toml::from_str(&text).map_err(|e| {
        let mut error = ConfigError::from_toml(path, &text, &e);
        if let Some(key) = RUN_WIDE
            .iter()
            .find(|k| error.message.starts_with(&format!("unknown field `{k}`")))
        {
            error.message = format!(
                "{}; `{key}` applies to the whole run: set it in `connlint.toml` or `[workspace.metadata.connlint]`",
                error.message
            );
        }
        error
    })?;
    let mut found = ManifestConfig::default();
    if let Some(config) = raw
        .workspace
        .and_then(|w| w.metadata)
        .and_then(|m| m.connlint)
    {
        config.get_ref().check(path, &text)?;
        found.workspace_config = Some(config.into_inner());
    }
    if let Some(config) = raw
        .package
        .and_then(|p| p.metadata)
        .and_then(|m| m.connlint)
    {
        config.get_ref().check(path, &text)?;
        found.package_config = Some(config.into_inner());
    }
    Ok(Some(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(name: &str, text: &str) -> Result<Option<ManifestConfig>> {
        let dir =
            std::env::temp_dir().join(format!("connlint-manifest-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("Cargo.toml");
        std::fs::write(&path, text)?;
        let result = read(&path);
        let _ = std::fs::remove_dir_all(&dir);
        result
    }

    #[test]
    fn metadata_tables_are_read_with_lines() {
        let text = "[package]\nname = \"a\"\nversion = \"0.1.0\"\n\n[package.metadata.connlint]\nexclude = [\"gen/**\"]\n\n[workspace.metadata.connlint]\ninclude_tests = true\n[workspace.metadata.connlint.lints]\nclient_in_loop = \"deny\"\n";
        let found = read_text("ok", text).ok().flatten().unwrap_or_default();
        assert_eq!(
            found.package_config.map(|c| c.exclude),
            Some(vec!["gen/**".to_string()])
        );
        assert_eq!(
            found.workspace_config.and_then(|c| c.include_tests),
            Some(true)
        );
        let bad = "[package]\nname = \"a\"\n\n[package.metadata.connlint]\ninclude_tests = true\n";
        let e = read_text("pkg", bad).err().map(|e| format!("{e:#}"));
        let e = e.unwrap_or_default();
        assert!(
            e.contains("Cargo.toml:5:1: unknown field `include_tests`"),
            "{e}"
        );
        let bad = "[workspace]\n\n[workspace.metadata.connlint.lints]\nclient_in_loop = \"deny\"\nclient_in_lop = \"deny\"\n";
        let e = read_text("lint", bad).err().map(|e| format!("{e:#}"));
        let e = e.unwrap_or_default();
        assert!(
            e.contains("Cargo.toml:5:1: unknown lint `client_in_lop`"),
            "{e}"
        );
    }

    #[test]
    fn lints_connlint_is_refused_with_the_reason() {
        let text = "[package]\nname = \"a\"\n\n[lints.clippy]\nall = \"warn\"\n\n[lints.connlint]\nclient_in_loop = \"deny\"\n";
        let e = read_text("lints", text).err().map(|e| format!("{e:#}"));
        let e = e.unwrap_or_default();
        assert!(
            e.contains("Cargo.toml:7:8: `[lints.connlint]` does not configure connlint"),
            "{e}"
        );
        assert!(e.contains("[workspace.metadata.connlint.lints]"), "{e}");
        let text = "[workspace.lints.connlint]\nclient_in_loop = \"deny\"\n";
        assert!(read_text("wslints", text).is_err());
    }
}
