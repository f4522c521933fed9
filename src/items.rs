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
pub fn parse_items(text: &str) -> syn::Result<syn::File> {
    let tokens = TokenStream::from_str(&crate::without_shebang(text))?;
    syn::parse2(without_bodies(tokens))
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
