//! The diagnostic model, after rustc's: a primary span, secondary labels,
//! notes, and help messages that may carry a suggestion with an applicability.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::source::FileId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    Allow,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Applicability {
    MachineApplicable,
    MaybeIncorrect,
    HasPlaceholders,
    Unspecified,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::MachineApplicable => "MachineApplicable",
            Applicability::MaybeIncorrect => "MaybeIncorrect",
            Applicability::HasPlaceholders => "HasPlaceholders",
            Applicability::Unspecified => "Unspecified",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub file: FileId,
    pub span: Range<usize>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub file: FileId,
    /// Byte range replaced; empty for an insertion.
    pub span: Range<usize>,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Help {
    pub message: String,
    pub suggestion: Option<Suggestion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Lint name without the `connlint::` prefix (`client_in_loop`), or an
    /// internal code (`parse_error`, `io_error`).
    pub lint: &'static str,
    pub level: Level,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub helps: Vec<Help>,
    /// Why the default level stays silent on this finding (the code cannot
    /// show that it runs often); reported only with `--pedantic`.
    pub pedantic: Option<String>,
    /// The function the finding is in (its key, `krate::module::Type::f`),
    /// for fingerprints that do not move with line numbers.
    pub item: Option<String>,
}

/// A [`Diagnostic`] as stored (the cache): the same fields in the same
/// order, its lint by name.
#[derive(Deserialize)]
struct Stored {
    lint: String,
    level: Level,
    message: String,
    primary: Label,
    secondary: Vec<Label>,
    notes: Vec<String>,
    helps: Vec<Help>,
    pedantic: Option<String>,
    item: Option<String>,
}

/// Read back, a lint must be one of connlint's own names.
impl<'de> Deserialize<'de> for Diagnostic {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Diagnostic, D::Error> {
        let s = Stored::deserialize(d)?;
        let lint = crate::lints::static_name(&s.lint)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown lint `{}`", s.lint)))?;
        Ok(Diagnostic {
            lint,
            level: s.level,
            message: s.message,
            primary: s.primary,
            secondary: s.secondary,
            notes: s.notes,
            helps: s.helps,
            pedantic: s.pedantic,
            item: s.item,
        })
    }
}

impl Diagnostic {
    pub fn new(
        lint: &'static str,
        level: Level,
        message: impl Into<String>,
        file: FileId,
        span: Range<usize>,
        label: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            lint,
            level,
            message: message.into(),
            primary: Label {
                file,
                span,
                message: label.into(),
            },
            secondary: Vec::new(),
            notes: Vec::new(),
            helps: Vec::new(),
            pedantic: None,
            item: None,
        }
    }

    /// Marks the finding as one the default level does not report, and why.
    pub fn pedantic(mut self, why: impl Into<String>) -> Self {
        self.pedantic = Some(why.into());
        self
    }

    /// Names the function the finding is in.
    pub fn in_item(mut self, item: impl Into<String>) -> Self {
        self.item = Some(item.into());
        self
    }

    pub fn with_label(
        mut self,
        file: FileId,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        self.secondary.push(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, message: impl Into<String>, suggestion: Option<Suggestion>) -> Self {
        self.helps.push(Help {
            message: message.into(),
            suggestion,
        });
        self
    }

    /// Sort key: file, position, lint.
    pub fn sort_key(&self) -> (FileId, usize, usize, &'static str) {
        (
            self.primary.file,
            self.primary.span.start,
            self.primary.span.end,
            self.lint,
        )
    }
}
