//! The lint registry: every lint, its default level and its documentation
//! page (`lints/<name>.md`, embedded).

use crate::diagnostic::Level;

#[derive(Debug, Clone, Copy)]
pub struct Lint {
    pub name: &'static str,
    pub default: Level,
    pub summary: &'static str,
}

pub const CLIENT_IN_LOOP: &str = "client_in_loop";
pub const CLIENT_IN_HANDLER: &str = "client_in_handler";
pub const CLIENT_PER_CALL: &str = "client_per_call";
pub const UNREAD_RESPONSE_BODY: &str = "unread_response_body";
pub const UNUSED_SUPPRESSION: &str = "unused_suppression";
pub const INVALID_SUPPRESSION: &str = "invalid_suppression";
/// Not lints: problems with the input, always errors.
pub const PARSE_ERROR: &str = "parse_error";
pub const IO_ERROR: &str = "io_error";
/// A contained panic: a bug in connlint, reported with the file it met.
pub const INTERNAL_ERROR: &str = "internal_error";

pub const LINTS: &[Lint] = &[
    Lint {
        name: CLIENT_IN_LOOP,
        default: Level::Warning,
        summary: "a client or connector built inside a loop or a per-item closure",
    },
    Lint {
        name: CLIENT_IN_HANDLER,
        default: Level::Warning,
        summary: "a client or connector built inside a request handler",
    },
    Lint {
        name: CLIENT_PER_CALL,
        default: Level::Warning,
        summary: "a client built and dropped by a function that runs per request, per item or per tick",
    },
    Lint {
        name: UNREAD_RESPONSE_BODY,
        default: Level::Warning,
        summary: "an HTTP response dropped on some path without reading its body",
    },
    Lint {
        name: UNUSED_SUPPRESSION,
        default: Level::Warning,
        summary: "a `// connlint: allow(..)` comment that silences nothing",
    },
    Lint {
        name: INVALID_SUPPRESSION,
        default: Level::Warning,
        summary: "a suppression connlint cannot use: unknown lint, malformed, no reason when required, or a `#[allow(connlint::..)]` attribute",
    },
];

const DOCS: &[(&str, &str)] = &include!(concat!(env!("OUT_DIR"), "/lint_docs.rs"));

pub fn find(name: &str) -> Option<&'static Lint> {
    let name = name.strip_prefix("connlint::").unwrap_or(name);
    LINTS.iter().find(|l| l.name == name)
}

/// The documentation page of a lint.
pub fn doc(name: &str) -> Option<&'static str> {
    let file = format!("{}.md", find(name)?.name);
    DOCS.iter().find(|(n, _)| *n == file).map(|(_, text)| *text)
}

/// The `&'static` name of a lint or an input-problem code, from its text
/// (cached diagnostics read back); `None` for a name connlint does not have.
pub fn static_name(name: &str) -> Option<&'static str> {
    LINTS
        .iter()
        .map(|l| l.name)
        .chain([PARSE_ERROR, IO_ERROR, INTERNAL_ERROR])
        .find(|n| *n == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lint_has_a_doc() {
        for lint in LINTS {
            let doc = doc(lint.name).unwrap_or_default();
            assert!(
                doc.contains("## What it does"),
                "lints/{}.md lacks `## What it does`",
                lint.name
            );
        }
    }
}
