//! Where codespan-reporting's ASCII layout differs from rustc's, the human
//! format follows rustc: the `-->` and `:::` loci sit one column left of the
//! gutter bar, multi-line spans are drawn with `/`, `|` and `|___^`, no
//! line ends in spaces, and long notes wrap.

use codespan_reporting::term::Chars;

/// Notes and helps longer than this (in chars) wrap onto more lines.
pub const NOTE_WIDTH: usize = 100;

/// codespan's ASCII characters, with rustc's multi-line drawing.
pub fn chars() -> Chars {
    Chars {
        multi_secondary_caret_start: '-',
        multi_secondary_caret_end: '-',
        multi_top: '_',
        multi_bottom_left: '|',
        multi_bottom: '_',
        ..Chars::ascii()
    }
}

/// Rewrites a rendered diagnostic (colours or not) to rustc's layout.
pub fn rustc_layout(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let plain = strip_ansi(body);
        let mut body = body.to_string();
        let rest = plain.trim_start();
        if (rest.starts_with("--> ") || rest.starts_with("::: ")) && plain.starts_with(' ') {
            // rustc puts the locus arrow under the line numbers' last column.
            body.remove(0);
        } else if is_gutter_only(&plain) {
            // A multi-line span starting mid-line: rustc draws ` ____^`.
            body = body.replacen("/_", " _", 1);
        }
        out.push_str(&trim_end_ansi(&body));
        out.push_str(newline);
    }
    out
}

/// A line with no source text: spaces, then the gutter bar.
fn is_gutter_only(plain: &str) -> bool {
    plain.trim_start().starts_with('|')
}

/// The text without ANSI escape sequences (`ESC [ ... letter`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Drops trailing whitespace, also when escape sequences follow it (the
/// colour reset after a gutter): the sequences stay, the spaces go.
fn trim_end_ansi(line: &str) -> String {
    let mut escapes: Vec<&str> = Vec::new();
    let mut rest = line;
    loop {
        let trimmed = rest.trim_end_matches([' ', '\t']);
        // A trailing escape sequence: `ESC [ params letter`.
        match trimmed.rfind('\x1b') {
            Some(at)
                if trimmed[at..].len() >= 3
                    && trimmed[at + 1..].starts_with('[')
                    && trimmed[at + 2..trimmed.len() - 1]
                        .bytes()
                        .all(|b| b.is_ascii_digit() || b == b';')
                    && trimmed.as_bytes()[trimmed.len() - 1].is_ascii_alphabetic() =>
            {
                escapes.push(&trimmed[at..]);
                rest = &trimmed[..at];
            }
            _ => {
                rest = trimmed;
                break;
            }
        }
    }
    let mut out = rest.to_string();
    for e in escapes.iter().rev() {
        out.push_str(e);
    }
    out
}

/// A note or help message wrapped for a `note: ` or `help: ` prefix: its
/// continuation lines start under the first line's text.
pub fn wrap_note(text: &str) -> String {
    wrap(text, NOTE_WIDTH).replace('\n', "\n      ")
}

/// Wraps a note at spaces so that no line is longer than `width` chars (a
/// word longer than that stays whole).
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, paragraph) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut line_len = 0;
        for word in paragraph.split(' ') {
            let len = word.chars().count();
            if line_len > 0 && line_len + 1 + len > width {
                out.push('\n');
                line_len = 0;
            } else if line_len > 0 {
                out.push(' ');
                line_len += 1;
            }
            out.push_str(word);
            line_len += len;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loci_move_left_and_lines_lose_trailing_spaces() {
        let codespan = "warning: x\n  --> a.rs:2:3\n  | \n2 | a\n  |  /_____^ \n  ::: b.rs:1:1\n";
        assert_eq!(
            rustc_layout(codespan),
            "warning: x\n --> a.rs:2:3\n  |\n2 | a\n  |   _____^\n ::: b.rs:1:1\n"
        );
        // With colours: the reset stays, the spaces before it go.
        assert_eq!(
            trim_end_ansi("  |\x1b[0m  \x1b[1;34m \x1b[0m"),
            "  |\x1b[0m\x1b[1;34m\x1b[0m"
        );
        assert_eq!(
            rustc_layout("  \x1b[34m--> \x1b[0ma.rs:1:1\n"),
            " \x1b[34m--> \x1b[0ma.rs:1:1\n"
        );
        // A source line keeps its own `/_` text.
        assert_eq!(rustc_layout("2 | a/_b\n"), "2 | a/_b\n");
    }

    #[test]
    fn multi_line_spans_are_drawn_like_rustc() {
        use crate::diagnostic::{Diagnostic, Level};
        use crate::source::SourceFile;
        let text = "fn f() {\n    let c = build(\n        1,\n    );\n}\n";
        let file = SourceFile::new("a.rs".into(), "a.rs".into(), text.into());
        let start = text.find("build").unwrap_or(0);
        let end = text.find(");").unwrap_or(0) + 1;
        let d = Diagnostic::new("client_in_loop", Level::Warning, "m", 0, start..end, "here");
        let shown = crate::emit::human(&d, std::slice::from_ref(&file), false);
        let expected = " --> a.rs:2:13\n  |\n2 |       let c = build(\n  |  _____________^\n3 | |         1,\n4 | |     );\n  | |_____^ here\n";
        assert!(shown.contains(expected), "{shown}");
    }

    #[test]
    fn long_notes_wrap_at_spaces() {
        let note = "a calls b at x.rs:1:1, b calls c at y.rs:2:2";
        assert_eq!(
            wrap(note, 20),
            "a calls b at\nx.rs:1:1, b calls c\nat y.rs:2:2"
        );
        assert_eq!(wrap("short", 20), "short");
        assert!(wrap_note(&"word ".repeat(30)).contains("\n      word"));
        assert_eq!(
            wrap("averyveryverylongword x", 5),
            "averyveryverylongword\nx"
        );
    }
}
