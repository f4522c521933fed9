//! Byte offsets of spans, read from the lines of the text being parsed.
//!
//! `proc_macro2`'s fallback keeps spans as char offsets and turns one into a
//! byte offset (`Span::byte_range`) by counting chars from the nearest offset
//! it computed before, kept in a `BTreeMap` per file: about 4% of a cold run
//! on qdrant, for the thousands of spans the index and the walk record.
//! While a file is parsed and read on a thread, its line starts are known
//! here (`Lines::install`): a span's byte offset is then its line's start
//! plus its column, which is a byte count on a line of ASCII text and is
//! counted in chars only on the others.
//!
//! Invariant: `range` gives what `Span::byte_range` gives for every span of
//! the installed text (`tests`); with no text installed, it is that call.

use std::cell::RefCell;
use std::ops::Range;

thread_local! {
    static LINES: RefCell<Option<Lines>> = const { RefCell::new(None) };
}

/// The lines of the text `proc_macro2` lexed on this thread.
pub(crate) struct Lines {
    /// The byte offset where each line starts.
    starts: Vec<usize>,
    /// The text, kept when a line has a char of more than one byte.
    text: Option<Box<str>>,
}

/// Keeps a text's lines installed for this thread until dropped; the lines
/// installed before come back then (also when a panic unwinds).
pub(crate) struct Installed {
    previous: Option<Lines>,
}

impl Drop for Installed {
    fn drop(&mut self) {
        let previous = self.previous.take();
        LINES.with(|l| *l.borrow_mut() = previous);
    }
}

impl Lines {
    /// Installs the lines of `text`, the exact text given to the lexer.
    pub(crate) fn install(text: &str) -> Installed {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let text = (!text.is_ascii()).then(|| text.into());
        let previous = LINES.with(|l| l.replace(Some(Lines { starts, text })));
        Installed { previous }
    }

    /// The byte offset of 1-based `line`, 0-based char `column`.
    fn offset(&self, at: proc_macro2::LineColumn) -> Option<usize> {
        let start = *self.starts.get(at.line.checked_sub(1)?)?;
        let Some(text) = &self.text else {
            return Some(start + at.column);
        };
        let end = self.starts.get(at.line).map_or(text.len(), |&e| e);
        let line = text.get(start..end)?;
        if line.is_ascii() {
            return Some(start + at.column);
        }
        let within = line
            .char_indices()
            .nth(at.column)
            .map_or(line.len(), |(i, _)| i);
        Some(start + within)
    }
}

/// The byte range of `span` in the text it was lexed from.
pub fn range(span: proc_macro2::Span) -> Range<usize> {
    let from_lines = LINES.with(|l| {
        let lines = l.borrow();
        let lines = lines.as_ref()?;
        Some(lines.offset(span.start())?..lines.offset(span.end())?)
    });
    from_lines.unwrap_or_else(|| span.byte_range())
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::spanned::Spanned;

    /// Every span of every token and expression of `text` gets the range
    /// `proc_macro2` computes.
    fn same_as_proc_macro2(text: &str) {
        let file: syn::File = syn::parse_str(text).expect("parses");
        let _lines = Lines::install(text);
        let mut spans = Vec::new();
        fn tokens(ts: proc_macro2::TokenStream, out: &mut Vec<proc_macro2::Span>) {
            for t in ts {
                out.push(t.span());
                if let proc_macro2::TokenTree::Group(g) = t {
                    out.push(g.span_open());
                    out.push(g.span_close());
                    tokens(g.stream(), out);
                }
            }
        }
        tokens(quote::ToTokens::to_token_stream(&file), &mut spans);
        for item in &file.items {
            spans.push(item.span());
        }
        spans.push(proc_macro2::Span::call_site());
        assert!(spans.len() > 10);
        for s in spans {
            assert_eq!(range(s), s.byte_range(), "{s:?} in {text:?}");
        }
        proc_macro2::extra::invalidate_current_thread_spans();
    }

    #[test]
    fn offsets_are_those_of_proc_macro2() {
        same_as_proc_macro2("fn main() {\n    let x = reqwest::Client::new();\n}\n");
        same_as_proc_macro2(
            "/// Ünïcödé — docs\nfn f() -> &'static str { \"…é\" }\nstruct S { a: u8 }\r\n// ✓ end\nconst C: char = 'é'; fn g() {}",
        );
        same_as_proc_macro2("mod m { fn a() { let s = \"line\nbreak — \"; } }\n\n\nfn b() {}");
        same_as_proc_macro2("fn 𝔣() {}\nfn x() { 'a'; \"😀😀\"; }");
    }

    #[test]
    fn without_lines_it_asks_proc_macro2() {
        let file: syn::File = syn::parse_str("fn é() {}\nfn f() {}").expect("parses");
        for item in &file.items {
            assert_eq!(range(item.span()), item.span().byte_range());
        }
        {
            let _outer = Lines::install("x");
            {
                let _inner = Lines::install("fn é() {}\nfn f() {}");
                assert_eq!(range(file.items[1].span()), 11..20);
            }
            assert!(LINES.with(|l| l.borrow().as_ref().is_some_and(|l| l.starts == [0])));
        }
        assert!(LINES.with(|l| l.borrow().is_none()));
        proc_macro2::extra::invalidate_current_thread_spans();
    }
}
