//! Which findings a run reports at which level: lint levels per path (the
//! defaults, the config's `[lints]`, `[[overrides]]`, each package's
//! `[package.metadata.connlint]`, then `-A`/`-W`/`-D` in order), excluded
//! paths, and the suppression settings.

use anyhow::{Result, bail};

use crate::config::{Levels, Loaded, Override};
use crate::diagnostic::Level;
use crate::lints;
use crate::workspace::glob_match;

/// Levels that apply to the files matching `paths` (every file when empty).
#[derive(Debug, Clone, Default)]
struct Layer {
    paths: Vec<String>,
    levels: Vec<(&'static str, Level)>,
    exclude: Vec<String>,
}

impl Layer {
    fn applies(&self, file: &str) -> bool {
        self.paths.is_empty() || self.paths.iter().any(|p| path_matches(p, file))
    }
}

/// A glob, or a directory and everything under it (paths use `/`).
pub fn path_matches(pattern: &str, file: &str) -> bool {
    let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
    pattern.is_empty()
        || glob_match(pattern, file)
        || file
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[derive(Debug, Clone)]
pub struct Policy {
    defaults: Vec<(&'static str, Level)>,
    layers: Vec<Layer>,
    /// Command-line levels in order; `warnings` raises every warning.
    command_line: Vec<(Option<&'static str>, Level)>,
    /// A suppression without a reason is a finding.
    pub require_reasons: bool,
    /// Test code is reported (so a suppression in it can be unused).
    pub include_tests: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            defaults: lints::LINTS.iter().map(|l| (l.name, l.default)).collect(),
            layers: Vec::new(),
            command_line: Vec::new(),
            require_reasons: false,
            include_tests: false,
        }
    }
}

fn levels_of(levels: &Levels) -> Vec<(&'static str, Level)> {
    levels
        .iter()
        .filter_map(|(name, level)| {
            Some((lints::find(name.get_ref())?.name, level.get_ref().level()))
        })
        .collect()
}

/// `prefix/pattern` for a pattern relative to a package directory.
fn under(prefix: &str, pattern: &str) -> String {
    let pattern = pattern.trim_start_matches("./");
    if prefix.is_empty() {
        pattern.to_string()
    } else {
        format!("{}/{pattern}", prefix.trim_end_matches('/'))
    }
}

fn override_layers<'a>(
    prefix: &'a str,
    overrides: &'a [Override],
) -> impl Iterator<Item = Layer> + 'a {
    overrides.iter().map(move |o| Layer {
        paths: o.paths.iter().map(|p| under(prefix, p)).collect(),
        levels: levels_of(&o.lints),
        exclude: Vec::new(),
    })
}

impl Policy {
    /// Global levels and excludes, as the library API took them before configs had layers.
    pub fn from_levels(levels: &[(&'static str, Level)], exclude: &[String]) -> Policy {
        Policy {
            defaults: levels.to_vec(),
            layers: vec![Layer {
                exclude: exclude.to_vec(),
                ..Layer::default()
            }],
            ..Policy::default()
        }
    }

    /// The policy of a loaded config: root, then its overrides, then each package's.
    pub fn from_config(loaded: &Loaded) -> Policy {
        let root = &loaded.config;
        let mut layers = vec![Layer {
            paths: Vec::new(),
            levels: levels_of(&root.lints),
            exclude: root.exclude.clone(),
        }];
        layers.extend(override_layers("", &root.overrides));
        for package in &loaded.packages {
            let c = &package.config;
            layers.push(Layer {
                paths: vec![package.dir.clone()],
                levels: levels_of(&c.lints),
                exclude: c.exclude.iter().map(|g| under(&package.dir, g)).collect(),
            });
            layers.extend(override_layers(&package.dir, &c.overrides));
        }
        Policy {
            layers,
            require_reasons: root.require_reasons.unwrap_or(false),
            include_tests: root.include_tests.unwrap_or(false),
            ..Policy::default()
        }
    }

    /// Adds a command-line level (`-A`/`-W`/`-D NAME`; `-D warnings`).
    pub fn command_line(&mut self, name: &str, level: Level, flag: &str) -> Result<()> {
        if name == "warnings" {
            self.command_line.push((None, level));
            return Ok(());
        }
        let Some(lint) = lints::find(name) else {
            bail!("{flag} {name}: unknown lint `{name}`; see `cargo connlint --list-lints`");
        };
        self.command_line.push((Some(lint.name), level));
        Ok(())
    }

    /// The level of `lint` in `file` (its name relative to the workspace
    /// root); `None` for what is not a lint (read and parse errors).
    pub fn level(&self, lint: &str, file: &str) -> Option<Level> {
        let lint = lints::find(lint)?.name;
        let mut level = self
            .defaults
            .iter()
            .find(|(n, _)| *n == lint)
            .map_or(Level::Warning, |(_, l)| *l);
        for layer in self.layers.iter().filter(|l| l.applies(file)) {
            if let Some((_, l)) = layer.levels.iter().find(|(n, _)| *n == lint) {
                level = *l;
            }
        }
        for (name, l) in &self.command_line {
            match name {
                Some(name) if *name == lint => level = *l,
                None if level == Level::Warning && *l == Level::Error => level = Level::Error,
                _ => {}
            }
        }
        Some(level)
    }

    /// Whether findings in `file` are not reported (`exclude` globs).
    pub fn excluded(&self, file: &str) -> bool {
        self.layers
            .iter()
            .any(|l| l.exclude.iter().any(|g| path_matches(g, file)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{self, PackageLayer};

    #[test]
    fn levels_follow_layers_then_the_command_line() {
        let root = config::parse(
            "exclude = [\"gen/**\"]\n[lints]\nclient_in_loop = \"deny\"\n[[overrides]]\npaths = [\"svc/src/legacy\"]\nlints = { client_in_loop = \"allow\" }\n",
            "connlint.toml",
        );
        let package = toml::from_str(
            "exclude = [\"fixtures\"]\n[lints]\nunread_response_body = \"deny\"\n[[overrides]]\npaths = [\"src/legacy/keep.rs\"]\nlints = { client_in_loop = \"warn\" }\n",
        );
        let loaded = Loaded {
            config: root.unwrap_or_default(),
            packages: vec![PackageLayer {
                dir: "svc".into(),
                config: package.unwrap_or_default(),
                source: String::new(),
            }],
            ..Loaded::default()
        };
        let mut policy = Policy::from_config(&loaded);
        let level = |p: &Policy, lint: &str, file: &str| p.level(lint, file);
        assert_eq!(
            level(&policy, "client_in_loop", "src/a.rs"),
            Some(Level::Error)
        );
        assert_eq!(
            level(&policy, "client_in_loop", "svc/src/legacy/a.rs"),
            Some(Level::Allow)
        );
        assert_eq!(
            level(&policy, "client_in_loop", "svc/src/legacy.rs"),
            Some(Level::Error)
        );
        assert_eq!(
            level(&policy, "client_in_loop", "svc/src/legacy/keep.rs"),
            Some(Level::Warning)
        );
        assert_eq!(
            level(&policy, "unread_response_body", "svc/src/a.rs"),
            Some(Level::Error)
        );
        assert_eq!(
            level(&policy, "unread_response_body", "other/src/a.rs"),
            Some(Level::Warning)
        );
        assert_eq!(level(&policy, "parse_error", "src/a.rs"), None);
        assert!(policy.excluded("gen/x.rs") && policy.excluded("svc/fixtures/y.rs"));
        assert!(!policy.excluded("fixtures/y.rs"));
        assert!(policy.command_line("warnings", Level::Error, "-D").is_ok());
        assert!(
            policy
                .command_line("client_in_loop", Level::Allow, "-A")
                .is_ok()
        );
        assert!(policy.command_line("nope", Level::Allow, "-A").is_err());
        assert_eq!(
            level(&policy, "client_in_loop", "src/a.rs"),
            Some(Level::Allow)
        );
        assert_eq!(
            level(&policy, "unread_response_body", "other/a.rs"),
            Some(Level::Error)
        );
    }
}
