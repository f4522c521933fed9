//! Source files: their text, how they are named in output, and conversions
//! between byte offsets and 1-based line / char-column positions.
//!
//! Invariant: columns are counted in Unicode scalar values (chars), the way
//! rustc's JSON and rust-analyzer expect; byte offsets are 0-based.

use std::ops::Range;
use std::path::{Path, PathBuf};

pub type FileId = usize;

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown in diagnostics (relative to the workspace root when under it).
    pub name: String,
    /// Path on disk.
    pub path: PathBuf,
    /// The text, or empty while the file is unloaded (see [`SourceFile::unload`]).
    pub text: String,
    /// Made when first asked: most files never show a position.
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// Bytes of the text as read, loaded or not.
    pub size: usize,
    /// A hash of the text as read: a text read again is the same file only
    /// when it hashes the same.
    hash: u64,
    loaded: bool,
}

impl SourceFile {
    pub fn new(name: String, path: PathBuf, text: String) -> SourceFile {
        SourceFile {
            name,
            path,
            size: text.len(),
            hash: text_hash(&text),
            text,
            line_starts: std::sync::OnceLock::new(),
            loaded: true,
        }
    }

    /// A file known by its length and hash only (its text was not read:
    /// `cache::Stamp`); the walk and the report read it when they need it.
    pub fn unloaded(name: String, path: PathBuf, size: usize, hash: u64) -> SourceFile {
        SourceFile {
            name,
            path,
            text: String::new(),
            line_starts: std::sync::OnceLock::new(),
            size,
            hash,
            loaded: false,
        }
    }

    /// The hash of the text as read (see [`SourceFile::is_text`]).
    pub fn hash(&self) -> u64 {
        self.hash
    }

    /// Drops the text and its line table: a run keeps only the texts it
    /// still needs (the walk and the report read the others again, with
    /// [`SourceFile::reload`]).
    pub fn unload(&mut self) {
        self.text = String::new();
        self.line_starts = std::sync::OnceLock::new();
        self.loaded = false;
    }

    pub fn is_loaded(&self) -> bool {
        self.loaded
    }

    /// Whether `text` is the text this file was read with.
    pub fn is_text(&self, text: &str) -> bool {
        text.len() == self.size && text_hash(text) == self.hash
    }

    /// Takes back the text of an unloaded file, read again: false (and
    /// still unloaded) when it is not the text first read.
    pub fn reload(&mut self, text: String) -> bool {
        if self.loaded {
            return true;
        }
        if !self.is_text(&text) {
            return false;
        }
        self.line_starts = std::sync::OnceLock::new();
        self.text = text;
        self.loaded = true;
        true
    }

    fn starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| line_starts(&self.text))
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, byte: usize) -> usize {
        match self.starts().binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    pub fn line_start(&self, line_index: usize) -> usize {
        self.starts()
            .get(line_index)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// Byte range of a 0-based line, without its line terminator.
    pub fn line_range(&self, line_index: usize) -> Range<usize> {
        let start = self.line_start(line_index);
        let mut end = self.line_start(line_index + 1);
        let bytes = self.text.as_bytes();
        while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        start..end
    }

    pub fn line_text(&self, line_index: usize) -> &str {
        let r = self.line_range(line_index);
        &self.text[r]
    }

    pub fn line_count(&self) -> usize {
        self.starts().len()
    }

    /// 1-based line and 1-based char column of a byte offset.
    pub fn position(&self, byte: usize) -> (usize, usize) {
        let byte = floor_char_boundary(&self.text, byte.min(self.text.len()));
        let line = self.line_index(byte);
        let start = self.line_start(line);
        let column = self.text[start..byte].chars().count() + 1;
        (line + 1, column)
    }

    /// Byte offset of a 1-based line and 0-based char column (proc-macro2's `LineColumn`).
    pub fn offset(&self, line: usize, column: usize) -> usize {
        if line == 0 {
            return 0;
        }
        let start = self.line_start(line - 1);
        let end = self.line_start(line).min(self.text.len());
        let text = &self.text[start..end];
        match text.char_indices().nth(column) {
            Some((i, _)) => start + i,
            None => end,
        }
    }

    /// Leading whitespace of the line holding `byte`.
    pub fn indentation_at(&self, byte: usize) -> &str {
        let line = self.line_text(self.line_index(byte));
        let trimmed = line.trim_start();
        &line[..line.len() - trimmed.len()]
    }

    pub fn snippet(&self, range: Range<usize>) -> &str {
        self.text.get(range).unwrap_or("")
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The name a path gets in output: relative to `root` when under it, else
/// relative to the current directory when under it, else as given.
pub fn display_name(path: &Path, root: &Path) -> String {
    // connlint never changes its directory: ask the system once.
    static CWD: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let cwd = CWD.get_or_init(|| std::env::current_dir().unwrap_or_default());
    let shown = path
        .strip_prefix(root)
        .or_else(|_| path.strip_prefix(cwd))
        .unwrap_or(path);
    shown.to_string_lossy().replace('\\', "/")
}

/// The text from `at` to the end of the block around it (braces counted
/// naively: a stray brace in a string or comment only makes a check that
/// looks for a name there stricter).
pub fn rest_of_block(text: &str, at: usize) -> &str {
    let rest = text.get(at..).unwrap_or("");
    let mut depth = 0usize;
    for (i, c) in rest.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return &rest[..i],
            '}' => depth -= 1,
            _ => {}
        }
    }
    rest
}

/// The text of the statement that starts at `at`: up to the first `;`, or
/// the `}` that closes its block, outside any delimiter (strings and comments
/// are not told apart: a stray `;` in one only shortens the text).
pub fn statement_at(text: &str, at: usize) -> &str {
    let rest = text.get(at..).unwrap_or("");
    let mut depth = 0usize;
    for (i, b) in rest.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => return &rest[..i],
            b')' | b']' | b'}' => depth -= 1,
            b';' if depth == 0 => return &rest[..i],
            _ => {}
        }
    }
    rest
}

/// Whether `text` uses `word` as a whole identifier.
pub fn uses_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    })
}

fn line_starts(text: &str) -> Vec<usize> {
    let mut out = vec![0];
    out.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    out
}

fn text_hash(text: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_unloaded_file_takes_back_only_its_own_text() {
        let mut f = SourceFile::new(
            "a.rs".into(),
            "a.rs".into(),
            "fn a() {}\nfn b() {}\n".into(),
        );
        assert_eq!(f.position(12), (2, 3));
        f.unload();
        assert!(!f.is_loaded() && f.text.is_empty() && f.size == 20);
        assert!(!f.reload("fn a() {}\nfn c() {}\n".into()), "another text");
        assert!(!f.is_loaded());
        assert!(f.reload("fn a() {}\nfn b() {}\n".into()));
        assert_eq!(f.position(12), (2, 3));
    }

    use super::*;

    #[test]
    fn positions_count_chars_not_bytes() {
        let f = SourceFile::new("a.rs".into(), "a.rs".into(), "ab\n é😀x\n".into());
        let x = f.text.find('x').unwrap();
        assert_eq!(f.position(x), (2, 4));
        assert_eq!(f.offset(2, 3), x);
        assert_eq!(f.position(0), (1, 1));
        assert_eq!(f.line_text(1), " é😀x");
    }

    #[test]
    fn crlf_lines_exclude_terminator() {
        let f = SourceFile::new("a.rs".into(), "a.rs".into(), "a\r\nbc\r\n".into());
        assert_eq!(f.line_text(0), "a");
        assert_eq!(f.line_text(1), "bc");
        assert_eq!(f.position(4), (2, 2));
    }
}
