//! Config errors that name the file, the line and the column, with the line
//! itself, the way cargo reports a bad manifest.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    /// 1-based line and char column of the offending key or value.
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The source line, for the snippet.
    pub source_line: String,
}

/// `file` relative to the current directory when it is under it, as cargo prints paths.
fn shown(file: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| file.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| file.to_path_buf())
}

impl ConfigError {
    /// An error at byte `span` of `text`, the contents of `file`.
    pub fn at(file: &Path, text: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let start = span.start.min(text.len());
        let start = (0..=start)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        ConfigError {
            file: shown(file),
            line: text[..start].matches('\n').count() + 1,
            column: text[line_start..start].chars().count() + 1,
            message: message.into(),
            source_line: text[line_start..line_end]
                .trim_end_matches('\r')
                .to_string(),
        }
    }

    /// A TOML parse or type error of `file`.
    pub fn from_toml(file: &Path, text: &str, e: &toml::de::Error) -> Self {
        let message = e.message().trim_end().to_string();
        match e.span() {
            Some(span) => ConfigError::at(file, text, span, message),
            None => ConfigError {
                file: shown(file),
                line: 1,
                column: 1,
                message,
                source_line: String::new(),
            },
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )?;
        if !self.source_line.is_empty() {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            let caret = " ".repeat(self.column.saturating_sub(1));
            write!(
                f,
                "\n{pad} |\n{number} | {}\n{pad} | {caret}^",
                self.source_line
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_lines_and_char_columns() {
        let text = "[lints]\n\"é\" = 1\nclient_in_loop = \"deny\"\n";
        let at = text.find("client").unwrap_or(0) + 18;
        let e = ConfigError::at(Path::new("c.toml"), text, at..at + 1, "bad");
        assert_eq!((e.line, e.column), (3, 19));
        assert_eq!(e.source_line, "client_in_loop = \"deny\"");
        let e = ConfigError::at(Path::new("c.toml"), text, 10..11, "bad");
        assert_eq!((e.line, e.column), (2, 2), "columns count chars");
        assert!(
            e.to_string()
                .starts_with("c.toml:2:2: bad\n  |\n2 | \"é\" = 1\n  |  ^")
        );
    }
}
