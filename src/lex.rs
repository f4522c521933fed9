//! A byte lexer for skipping, not for checking: comments, string, raw-string,
//! byte and char literals and numbers are stepped over, identifiers and
//! punctuation come out with their byte ranges. On malformed input it may
//! skip too little, never a token of valid code. The prefilter reads the
//! identifiers of every file with it (`identifiers`), and the item parse finds
//! the function bodies it leaves out (`items::parse_items`).

/// What a lexeme is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An identifier or keyword; a raw identifier's range includes its `r#`.
    Ident,
    /// A string, byte string, raw string, char or number literal.
    Literal,
    /// One byte of punctuation (`!=` is two), as `proc_macro2` splits them;
    /// the quote of a lifetime is one, its name an `Ident`.
    Punct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lexeme {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// The lexemes of Rust source, in order (whitespace and comments skipped).
pub fn lexemes(text: &[u8]) -> impl Iterator<Item = Lexeme> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < text.len() {
            let b = text[at];
            let start = at;
            let lexeme = |kind, end| Some(Lexeme { kind, start, end });
            match b {
                b'/' if text.get(at + 1) == Some(&b'/') => {
                    at = memchr_from(text, at, b'\n');
                }
                b'/' if text.get(at + 1) == Some(&b'*') => at = block_comment_end(text, at),
                b'"' => {
                    at = string_end(text, at + 1);
                    return lexeme(Kind::Literal, at);
                }
                b'\'' => {
                    at = char_or_lifetime_end(text, at);
                    let kind = if at == start + 1 {
                        Kind::Punct
                    } else {
                        Kind::Literal
                    };
                    return lexeme(kind, at);
                }
                b'0'..=b'9' => {
                    // A number and its suffix (`1u8`, `0x_ff`).
                    while at < text.len() && is_ident_byte(text[at]) {
                        at += 1;
                    }
                    return lexeme(Kind::Literal, at);
                }
                _ if is_ident_byte(b) => {
                    while at < text.len() && is_ident_byte(text[at]) {
                        at += 1;
                    }
                    let word = &text[start..at];
                    let next = text.get(at).copied();
                    if matches!(word, b"r" | b"br" | b"cr") && matches!(next, Some(b'"' | b'#')) {
                        if let Some(end) = raw_string_end(text, at) {
                            at = end;
                            return lexeme(Kind::Literal, at);
                        }
                        if word == b"r" && next == Some(b'#') {
                            // A raw identifier `r#name`.
                            at += 1;
                            while at < text.len() && is_ident_byte(text[at]) {
                                at += 1;
                            }
                            return lexeme(Kind::Ident, at);
                        }
                    }
                    if matches!(word, b"b" | b"c") && next == Some(b'"') {
                        at = string_end(text, at + 1);
                        return lexeme(Kind::Literal, at);
                    }
                    if word == b"b" && next == Some(b'\'') {
                        at = char_or_lifetime_end(text, at);
                        return lexeme(Kind::Literal, at);
                    }
                    return lexeme(Kind::Ident, at);
                }
                _ if b.is_ascii_whitespace() => at += 1,
                _ => {
                    at += 1;
                    return lexeme(Kind::Punct, at);
                }
            }
        }
        None
    })
}

/// The identifier tokens of Rust source (raw identifiers without `r#`),
/// outside comments and literals.
pub fn identifiers(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    lexemes(text).filter_map(move |l| {
        let word = &text[l.start..l.end];
        (l.kind == Kind::Ident).then(|| word.strip_prefix(b"r#").unwrap_or(word))
    })
}

fn memchr_from(text: &[u8], from: usize, byte: u8) -> usize {
    memchr::memchr(byte, &text[from..]).map_or(text.len(), |p| from + p)
}

/// The end of a (nested) block comment starting at `at`.
pub(crate) fn block_comment_end(text: &[u8], mut at: usize) -> usize {
    let mut depth = 0usize;
    while at < text.len() {
        if text[at] == b'/' && text.get(at + 1) == Some(&b'*') {
            depth += 1;
            at += 2;
        } else if text[at] == b'*' && text.get(at + 1) == Some(&b'/') {
            depth -= 1;
            at += 2;
            if depth == 0 {
                return at;
            }
        } else {
            at += 1;
        }
    }
    at
}

/// The end of a string literal whose text starts at `at` (after the quote).
pub(crate) fn string_end(text: &[u8], mut at: usize) -> usize {
    while at < text.len() {
        match text[at] {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    text.len()
}

/// The end of a raw string whose `#`s or quote start at `at`, or `None`
/// when what follows is not a raw string (`r#ident`).
pub(crate) fn raw_string_end(text: &[u8], at: usize) -> Option<usize> {
    let hashes = text[at..].iter().take_while(|&&b| b == b'#').count();
    if text.get(at + hashes) != Some(&b'"') {
        return None;
    }
    let mut i = at + hashes + 1;
    while i < text.len() {
        let closes = text
            .get(i + 1..i + 1 + hashes)
            .is_some_and(|h| h.iter().all(|&b| b == b'#'));
        if text[i] == b'"' && closes {
            return Some(i + 1 + hashes);
        }
        i += 1;
    }
    Some(text.len())
}

/// After a `'` at `at`: the end of a char literal (`'a'`, `'\n'`, `'é'`),
/// or just past the quote of a lifetime or label (`'a`, `'static`).
fn char_or_lifetime_end(text: &[u8], at: usize) -> usize {
    match text.get(at + 1) {
        Some(b'\\') => {
            let mut i = at + 3;
            while i < text.len() && text[i] != b'\'' && text[i] != b'\n' {
                i += 1;
            }
            i + 1
        }
        Some(&c) => {
            // One char (up to 4 bytes of UTF-8), then a quote: a char literal.
            let width = match c {
                0xF0..=0xFF => 4,
                0xE0..=0xEF => 3,
                0xC0..=0xDF => 2,
                _ => 1,
            };
            if text.get(at + 1 + width) == Some(&b'\'') {
                at + 2 + width
            } else {
                at + 1
            }
        }
        None => at + 1,
    }
}
