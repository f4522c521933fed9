//! One byte pass over a file's text that finds what suppressions need:
//! line comments, where items end, the regions under test attributes, and
//! `#[allow(connlint::..)]` attributes. Strings, raw strings, char literals
//! and block comments are skipped, so a `// connlint:` inside a literal is
//! not a comment.

use std::ops::Range;

#[derive(Debug, Default)]
pub struct Scan {
    /// Line comments: the byte range from `//` to the end of the line.
    pub comments: Vec<Range<usize>>,
    /// Regions of items under `#[test]`, `#[cfg(test)]`, `#[tokio::test]`, ...
    pub test_regions: Vec<Range<usize>>,
    /// `#[allow(connlint::..)]` and the other lint-level attributes naming connlint.
    pub tool_attributes: Vec<Range<usize>>,
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The end of a quoted literal whose opening quote is at `open`.
fn end_of_quoted(bytes: &[u8], open: usize, quote: u8) -> usize {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// A char literal at `at` (the quote): its end, or `None` for a lifetime.
fn char_end(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at + 1..];
    if rest.starts_with('\\') {
        return Some(end_of_quoted(text.as_bytes(), at, b'\''));
    }
    let c = rest.chars().next()?;
    rest[c.len_utf8()..]
        .starts_with('\'')
        .then(|| at + 1 + c.len_utf8() + 1)
}

/// Whether an attribute's text (inside `#[..]`) marks test code.
fn is_test_attribute(inner: &str) -> bool {
    let words: Vec<&str> = inner
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    match words.first() {
        Some(&"cfg") => words.contains(&"test") && !inner.contains("not(test"),
        _ => words.last() == Some(&"test"),
    }
}

fn is_tool_attribute(inner: &str) -> bool {
    let inner = inner.trim_start();
    ["allow", "warn", "deny", "forbid", "expect"]
        .iter()
        .any(|l| inner.starts_with(l))
        && inner.contains("connlint::")
}

/// The end of the bracket group that opens at `open` (`[`), literals skipped.
fn group_end(text: &str, open: usize) -> usize {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'(' | b'{' => depth += 1,
            b']' | b')' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            b'"' => {
                i = end_of_quoted(bytes, i, b'"');
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// `br".."` and `cr".."`: a raw string whose prefix is one letter.
fn raw_prefix(bytes: &[u8], at: usize) -> bool {
    at >= 1 && matches!(bytes[at - 1], b'b' | b'c') && (at < 2 || !is_ident(bytes[at - 2]))
}

/// The end of the comment or literal that starts at `i` (a line comment
/// ends before its newline), or `None` when no comment or literal starts there.
fn skip_literal(text: &str, i: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let prev_ident = i > 0 && is_ident(bytes[i - 1]);
    match bytes[i] {
        b'/' if bytes.get(i + 1) == Some(&b'/') => {
            Some(text[i..].find('\n').map_or(bytes.len(), |n| i + n))
        }
        b'/' if bytes.get(i + 1) == Some(&b'*') => Some(crate::lex::block_comment_end(bytes, i)),
        b'"' => Some(end_of_quoted(bytes, i, b'"')),
        b'r' if !prev_ident || raw_prefix(bytes, i) => crate::lex::raw_string_end(bytes, i + 1),
        b'\'' => char_end(text, i),
        _ => None,
    }
}

pub fn scan(text: &str) -> Scan {
    let bytes = text.as_bytes();
    let mut out = Scan::default();
    // Open delimiters: (depth at open, the test region it starts).
    let mut frames: Vec<Option<usize>> = Vec::new();
    // A test attribute waits for its item's `{` (or `;`) at this depth.
    let mut pending_test: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(end) = skip_literal(text, i) {
            if bytes[i..].starts_with(b"//") {
                out.comments.push(i..end);
            }
            i = end;
            continue;
        }
        match b {
            b'#' if matches!(bytes.get(i + 1), Some(b'[' | b'!')) => {
                let open = if bytes[i + 1] == b'!' { i + 2 } else { i + 1 };
                if bytes.get(open) == Some(&b'[') {
                    let end = group_end(text, open);
                    let inner = &text[open + 1..end.saturating_sub(1).max(open + 1)];
                    if is_tool_attribute(inner) {
                        out.tool_attributes.push(i..end);
                    }
                    if is_test_attribute(inner) {
                        if bytes[i + 1] == b'!' {
                            // An inner attribute: the enclosing module is test code.
                            let start = frames.last().map_or(0, |_| i);
                            out.test_regions.push(start..bytes.len());
                        } else {
                            pending_test = Some(frames.len());
                        }
                    }
                    i = end;
                    continue;
                }
            }
            b'{' | b'(' | b'[' => {
                let region = (b == b'{' && pending_test == Some(frames.len())).then_some(i);
                if region.is_some() {
                    pending_test = None;
                }
                frames.push(region);
            }
            b'}' | b')' | b']' => {
                if let Some(Some(start)) = frames.pop() {
                    out.test_regions.push(start..i + 1);
                }
            }
            b';' if pending_test == Some(frames.len()) => pending_test = None,
            _ => {}
        }
        i += 1;
    }
    out
}

/// Where the item or statement that starts at `at` ends: the first `;` at
/// its own depth, or the `}` that brings it back to its depth.
pub fn item_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = at;
    while i < bytes.len() {
        if let Some(end) = skip_literal(text, i) {
            i = end;
            continue;
        }
        match bytes[i] {
            b'#' if bytes.get(i + 1) == Some(&b'[') => {
                i = group_end(text, i + 1);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b'}' => {
                if depth <= 1 {
                    return i + 1;
                }
                depth -= 1;
            }
            b';' if depth == 0 => return i + 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Where the code after `at` starts, past whitespace, comments and attributes.
pub fn skip_trivia_and_attributes(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        match (bytes.get(at), bytes.get(at + 1)) {
            (Some(b'/'), Some(b'/')) => {
                at = text[at..].find('\n').map_or(bytes.len(), |n| at + n);
            }
            (Some(b'/'), Some(b'*')) => at = crate::lex::block_comment_end(bytes, at),
            (Some(b'#'), Some(b'[')) => at = group_end(text, at + 1),
            _ => return at,
        }
    }
}

/// Whether the code at `at` starts an item (`fn`, `impl`, `struct`, ...,
/// after a visibility and `async`/`unsafe`/`const`/`extern` qualifiers).
pub fn starts_item(text: &str, at: usize) -> bool {
    const ITEMS: &[&str] = &[
        "fn",
        "impl",
        "mod",
        "struct",
        "enum",
        "union",
        "trait",
        "static",
        "type",
        "macro_rules",
        "use",
    ];
    let mut rest = &text[at.min(text.len())..];
    loop {
        rest = rest.trim_start();
        let word_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let word = &rest[..word_len];
        rest = &rest[word_len..];
        match word {
            "pub" => {
                let trimmed = rest.trim_start();
                if trimmed.starts_with('(') {
                    let close = trimmed.find(')').map_or(trimmed.len(), |c| c + 1);
                    rest = &trimmed[close..];
                }
            }
            "async" | "unsafe" | "default" => {}
            "extern" => return true,
            // `const fn` and `const N: T`, not a `const { .. }` block.
            "const" => return !rest.trim_start().starts_with('{'),
            _ => return ITEMS.contains(&word),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_skip_literals() {
        let text = "let s = \"// connlint: no\"; // one\nlet r = r#\"// no\"#; let c = '\"'; // two\nfn f<'a>() {} /* // no */ // three\n";
        let found: Vec<&str> = scan(text)
            .comments
            .iter()
            .map(|r| &text[r.clone()])
            .collect();
        assert_eq!(found, ["// one", "// two", "// three"]);
    }

    #[test]
    fn test_regions_and_tool_attributes() {
        let text = "fn a() {}\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { let x = 1; }\n}\n#[allow(connlint::client_in_loop)]\nfn b() {}\n#[cfg(not(test))]\nfn c() {}\n";
        let s = scan(text);
        let regions: Vec<&str> = s.test_regions.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(regions.len(), 2, "{regions:?}");
        assert!(regions.iter().any(|r| r.starts_with("{\n    #[test]")));
        assert_eq!(s.tool_attributes.len(), 1);
        assert_eq!(
            &text[s.tool_attributes[0].clone()],
            "#[allow(connlint::client_in_loop)]"
        );
    }

    #[test]
    fn items_end_at_their_brace_or_semicolon() {
        let text = "#[inline]\npub(crate) async fn f() -> [u8; 2] {\n    if x { y(); }\n}\nconst N: [u8; 3] = [1, 2, 3];\n";
        let at = skip_trivia_and_attributes(text, 0);
        assert!(text[at..].starts_with("pub(crate)"));
        assert!(starts_item(text, at));
        assert_eq!(&text[item_end(text, at) - 1..item_end(text, at) + 1], "}\n");
        let at = text.find("const").unwrap_or(0);
        assert!(starts_item(text, at));
        assert!(text[..item_end(text, at)].ends_with("3];"));
        assert!(!starts_item("let x = 1;", 0));
        assert!(!starts_item("unsafe { f() }", 0));
        assert!(starts_item("extern \"C\" fn f() {}", 0));
    }
}
