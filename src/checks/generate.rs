//! Rust that the fixes insert: built with `quote` (or parsed from catalog
//! text), printed with `prettyplease`, and indented like the block it lands
//! in.

use quote::quote;

/// Items or statements as `prettyplease` prints them, every line after the
/// first indented with `indent` (the first goes where the edit starts).
pub fn indented(printed: &str, indent: &str) -> String {
    let mut out = String::new();
    for (i, line) in printed.trim_end().lines().enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(indent);
            }
        }
        out.push_str(line);
    }
    out
}

/// One item as `prettyplease` prints it.
pub fn print_item(item: syn::Item) -> String {
    prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![item],
    })
}

/// One statement as `prettyplease` prints it (printed as the body of a
/// function, whose indentation is then taken off).
pub fn print_stmt(stmt: &syn::Stmt) -> String {
    let file: syn::File = syn::parse_quote!(fn f() { #stmt });
    let printed = prettyplease::unparse(&file);
    let lines: Vec<&str> = printed.trim_end().lines().collect();
    let body = lines
        .get(1..lines.len().saturating_sub(1))
        .unwrap_or_default();
    body.iter()
        .map(|l| l.strip_prefix("    ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `let [mut] name = source.clone();`, or `None` when a name is not an
/// identifier.
pub fn clone_stmt(name: &str, source: &str, mutable: bool) -> Option<String> {
    let name: syn::Ident = syn::parse_str(name).ok()?;
    let source: syn::Ident = syn::parse_str(source).ok()?;
    let mutability = mutable.then(|| quote!(mut));
    let stmt: syn::Stmt = syn::parse2(quote!(let #mutability #name = #source.clone();)).ok()?;
    Some(print_stmt(&stmt))
}

/// A statement given as text (a catalog drain such as
/// `let _ = resp.bytes().await;`), re-printed; `None` when it does not parse
/// as one statement.
pub fn statement(text: &str) -> Option<String> {
    let stmt: syn::Stmt = syn::parse_str(text).ok()?;
    Some(print_stmt(&stmt))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_print_like_rustfmt() {
        assert_eq!(
            clone_stmt("client", "CLIENT", true).as_deref(),
            Some("let mut client = CLIENT.clone();")
        );
        assert_eq!(
            statement("let _ = resp . bytes ( ) . await ;").as_deref(),
            Some("let _ = resp.bytes().await;")
        );
        assert_eq!(statement("let _ = ;"), None);
        assert_eq!(indented("a {\n    b\n\n}\n", "  "), "a {\n      b\n\n  }");
    }
}
