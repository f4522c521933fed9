//! The item-level parse the index is built from: every file of a needed
//! package is lexed, but only its items are parsed. A function body (of a free
//! function, a method or a trait's default method) is replaced by an empty
//! block before `syn` sees it, so none of its expressions are built: the index
//! reads signatures, `use` trees, fields, impls and `mod` declarations, never a
//! body. On the corpus quarter this is a little over half the cost of a full
//! parse (lexing stays: about a fifth). A file the prefilter walks is parsed
//! in full once, by the walk.
//!
//! Invariant: the items of the result are those of `syn::parse_file` (same
//! spans, taken from the same tokens) with every `fn NAME .. { body }` at item
//! level given the body `{}`. Macro invocations (`name! { .. }`,
//! `macro_rules! name { .. }`) keep their tokens, so `macro_rules!` rules read
//! as written. A syntax error inside a body is not seen here; the walk reports
//! it for the files it parses.

use std::str::FromStr;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

/// Parses the items of `text` with function bodies left out (see the module
/// docs). A shebang line is blanked as `parse_source` does.
///
/// The bodies are found by a byte lexer and blanked in the text first, so
/// `proc_macro2` never lexes them (lexing the whole text and then dropping
/// the bodies' tokens cost a third of the item parse). When the byte lexer's
/// delimiters do not balance, or the blanked text does not lex, the text is
/// lexed whole and the bodies' tokens dropped instead, which reports the
/// error where it is. Both give the same token stream (`tests`).
pub fn parse_items(text: &str) -> syn::Result<syn::File> {
    parse_items_lined(text).map(|(file, _)| file)
}

/// `parse_items`, with the lines of the text it lexed installed for
/// `spans::range` while the result is kept.
pub(crate) fn parse_items_lined(text: &str) -> syn::Result<(syn::File, crate::spans::Installed)> {
    let source = crate::without_shebang(text);
    let blanked = blank_bodies(&source).and_then(|b| {
        Some((
            TokenStream::from_str(&b).ok()?,
            crate::spans::Lines::install(&b),
        ))
    });
    let (tokens, lines) = match blanked {
        Some(lexed) => lexed,
        None => (
            without_bodies(TokenStream::from_str(&source)?),
            crate::spans::Lines::install(&source),
        ),
    };
    Ok((syn::parse2(tokens)?, lines))
}

/// `text` with the inside of every function body that `without_bodies`
/// empties replaced by spaces (newlines kept), found by the same rule on the
/// byte lexer's lexemes; `None` when its delimiters do not balance.
fn blank_bodies(text: &str) -> Option<String> {
    use crate::lex::{Kind, lexemes};
    #[derive(PartialEq)]
    enum Role {
        /// Items: the rule applies (the file, and brace groups that are no
        /// body and no macro input).
        Items,
        /// A function body, from the byte after its `{`.
        Body(usize),
        /// Anything else (parentheses, brackets, macro input, inside a body).
        Other,
    }
    struct Frame {
        open: u8,
        role: Role,
        /// The previous lexeme was `fn`.
        after_fn: bool,
        /// `fn NAME` was seen: the next brace group is its body.
        body_next: bool,
        /// Whether each of the last two tokens (a group counts as one) was `!`.
        bangs: [bool; 2],
    }
    impl Frame {
        fn new(open: u8, role: Role) -> Frame {
            Frame {
                open,
                role,
                after_fn: false,
                body_next: false,
                bangs: [false; 2],
            }
        }
        /// A token of this frame that is not `fn`, `;` or an identifier.
        fn token(&mut self, bang: bool) {
            self.after_fn = false;
            self.bangs = [self.bangs[1], bang];
        }
    }
    let bytes = text.as_bytes();
    let mut frames = vec![Frame::new(0, Role::Items)];
    let mut bodies: Vec<(usize, usize)> = Vec::new();
    for l in lexemes(bytes) {
        let frame = frames.last_mut()?;
        let byte = bytes[l.start];
        match l.kind {
            Kind::Punct if matches!(byte, b'{' | b'(' | b'[') => {
                let role = if frame.role != Role::Items || byte != b'{' {
                    Role::Other
                } else if std::mem::take(&mut frame.body_next) {
                    Role::Body(l.end)
                } else if frame.bangs.contains(&true) {
                    Role::Other
                } else {
                    Role::Items
                };
                frames.push(Frame::new(byte, role));
            }
            Kind::Punct if matches!(byte, b'}' | b')' | b']') => {
                let closed = frames.pop()?;
                let opens = match byte {
                    b'}' => b'{',
                    b')' => b'(',
                    _ => b'[',
                };
                if closed.open != opens {
                    return None;
                }
                if let Role::Body(from) = closed.role {
                    bodies.push((from, l.start));
                }
                frames.last_mut()?.token(false);
            }
            _ if frame.role != Role::Items => {}
            Kind::Ident => {
                let word = &bytes[l.start..l.end];
                frame.body_next |= frame.after_fn;
                frame.token(false);
                frame.after_fn = word == b"fn";
            }
            Kind::Punct if byte == b';' => {
                frame.body_next = false;
                frame.token(false);
            }
            Kind::Punct => frame.token(byte == b'!'),
            Kind::Literal => frame.token(false),
        }
    }
    if frames.len() != 1 {
        return None;
    }
    let mut out = bytes.to_vec();
    for (from, to) in bodies {
        for b in &mut out[from..to] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    String::from_utf8(out).ok()
}

/// `tokens` with the body of every `fn NAME` at this level, and in the brace
/// groups of items below it (`mod`, `impl`, `trait`, `extern` blocks), emptied.
fn without_bodies(tokens: TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(tokens.len());
    // After `fn NAME` (not a `fn(..)` pointer type): the next brace group at
    // this level is its body, unless a `;` ends the item first.
    let mut body_next = false;
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Ident(ident) if ident == "fn" => {
                // `fn(u8) -> u8`, a pointer type in a signature, changes nothing.
                body_next |= matches!(tokens.get(i + 1), Some(TokenTree::Ident(_)));
                out.push(token.clone());
            }
            TokenTree::Punct(p) if p.as_char() == ';' => {
                body_next = false;
                out.push(token.clone());
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                let stream = if body_next {
                    body_next = false;
                    TokenStream::new()
                } else if is_macro_body(&tokens[..i]) {
                    g.stream()
                } else {
                    without_bodies(g.stream())
                };
                let mut group = Group::new(Delimiter::Brace, stream);
                group.set_span(g.span());
                out.push(TokenTree::Group(group));
            }
            _ => out.push(token.clone()),
        }
    }
    out.into_iter().collect()
}

/// Whether a brace group after `before` is a macro's input: `name! { .. }` or
/// `macro_rules! name { .. }`.
fn is_macro_body(before: &[TokenTree]) -> bool {
    before
        .iter()
        .rev()
        .take(2)
        .any(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == '!'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn items(text: &str) -> String {
        parse_items(text)
            .expect("parses")
            .into_token_stream()
            .to_string()
    }

    #[test]
    fn bodies_are_emptied_signatures_and_items_kept() {
        let text = "
            use a::b;
            pub async fn get(x: u8) -> Result<(), E> { let c = reqwest::Client::new(); }
            impl S { fn m(&self) -> fn(u8) -> u8 { todo!() } const K: u8 = 1; }
            trait T { fn d(&self) { body() } fn r(&self); }
            mod m { fn inner() { nested() } struct F { f: fn(), g: G } }
            type P = fn(u8);
            struct After { x: u8 }
        ";
        let out = items(text);
        for gone in ["reqwest", "todo", "body", "nested"] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
        for kept in [
            "use a :: b",
            "pub async fn get (x : u8) -> Result < () , E > { }",
            "fn m (& self) -> fn (u8) -> u8 { }",
            "const K : u8 = 1",
            "fn r (& self) ;",
            "struct F { f : fn () , g : G }",
            "type P = fn (u8) ;",
            "struct After { x : u8 }",
        ] {
            assert!(out.contains(kept), "missing `{kept}` in {out}");
        }
    }

    #[test]
    fn macro_input_is_kept_as_written() {
        let out = items(
            "macro_rules! mk { () => { fn f() { reqwest::get(u) } } }\nfoo! { fn g() { x() } }",
        );
        assert!(out.contains("reqwest :: get"), "{out}");
        assert!(out.contains("x ()"), "{out}");
    }

    /// The token stream of the blanking path, against lexing the whole text
    /// and dropping the bodies' tokens.
    fn same_tokens(text: &str) -> Result<(), String> {
        let source = crate::without_shebang(text);
        let Ok(whole) = TokenStream::from_str(&source) else {
            return Ok(());
        };
        let expected = without_bodies(whole).to_string();
        let blanked = blank_bodies(&source).ok_or("the byte lexer found no balance")?;
        let got = TokenStream::from_str(&blanked)
            .map_err(|e| format!("the blanked text does not lex: {e}"))?
            .to_string();
        if got == expected {
            Ok(())
        } else {
            Err(format!("blanked:\n{got}\nexpected:\n{expected}"))
        }
    }

    #[test]
    fn blanking_gives_the_tokens_of_dropping() {
        for text in [
            "fn f() { 1 } struct S { f: fn() -> u8 }",
            "impl S { fn m<T: Fn() -> u8>(&self) -> Foo<{ N }> where T: A { body() } }",
            "macro_rules! mk { () => { fn f() { x } } }\nfoo! { fn g() { y() } }",
            "fn a() { let c = '{'; let s = \"}\"; let r = r#\"{\"#; let b = b'}'; }",
            "fn l<'a>(x: &'a str) -> &'a str { 'outer: loop { break 'outer x; } }",
            "const X: fn() = { fn inner() { 1 } inner }; trait T { fn d(&self) { z } }",
            "fn r#fn() { 1 } fn ok() -> u8 { 2 } /* } */ // {\nfn c() { /* { */ }",
            "fn ne() -> bool { a != b } mod m { fn x() {} }",
        ] {
            if let Err(e) = same_tokens(text) {
                panic!("{text}: {e}");
            }
        }
        // Unbalanced: left to the whole-text lexer, which reports it.
        assert!(blank_bodies("fn f() { ( }").is_none());
    }

    /// Every fixture and demo file gives the same tokens both ways. (Set
    /// `CONNLINT_ITEMS_DIR` to check another tree, such as the corpus.)
    #[test]
    fn blanking_agrees_on_real_files() {
        let root = std::env::var_os("CONNLINT_ITEMS_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata"));
        let mut checked = 0;
        for entry in walkdir::WalkDir::new(&root).into_iter().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            if let Err(e) = same_tokens(&text) {
                panic!("{}: {e}", path.display());
            }
            checked += 1;
        }
        assert!(
            checked > 100,
            "only {checked} files under {}",
            root.display()
        );
    }

    #[test]
    fn spans_are_those_of_the_text() {
        let text = "#!/bin/run\nfn f() { 1 }\nstruct S;";
        let file = parse_items(text).expect("parses");
        let syn::Item::Struct(s) = &file.items[1] else {
            panic!("struct")
        };
        let at = crate::index::span_range(s.ident.span());
        assert_eq!(&text[at], "S");
        // A body error is the walk's to report; a lexer error is found here.
        assert!(parse_items("fn f() { let = ; }").is_ok());
        assert!(parse_items("fn f() { ( }").is_err());
    }
}
