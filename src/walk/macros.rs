//! Macro invocations: the expressions a macro's tokens hold, run-once,
//! branching and diverging macros, and crate macros that build a client.

use super::*;

impl Walker<'_> {
    pub(super) fn walk_macro(&mut self, mac: &syn::Macro, dest: Dest) {
        let name = last_name(&mac.path);
        if self.cat.contexts.once_macros.contains(&name) {
            self.frames.push(Frame::Once);
            for e in macro_exprs(&mac.tokens, true) {
                self.walk_expr(&e, Dest::Store);
            }
            self.frames.pop();
            return;
        }
        let resolved = self.resolve_cached(&path_segs(&mac.path));
        // A `macro_rules!` of the crate whose rules build a client: the
        // invocation is the construction (the expansion is not visible).
        if let Some(callee) = self.local_macro_construction(&name) {
            let span = mac
                .path
                .span()
                .join(mac.delimiter.span().close())
                .unwrap_or(mac.path.span());
            self.record_call(
                span,
                callee,
                dest,
                Node::Expr(&syn::Expr::Verbatim(TokenStream::new())),
            );
        }
        let d = if name == "vec" { dest } else { Dest::Drop };
        let diverging = matches!(
            name.as_str(),
            "panic" | "bail" | "unreachable" | "todo" | "unimplemented"
        );
        let branches = self.cat.contexts.branch_macros.contains(&name);
        // `warp::path!(..)` and other registration roots carry no code.
        if self.cat.handler_functions.contains(&resolved) {
            return;
        }
        // Formatting, logging and assertion macros take their arguments by
        // reference; any other macro (`vec!`, `try_or_retry!`, `ready!`) may
        // hand its argument on as its value.
        let by_reference = self.cat.contexts.by_reference_macros.contains(&name);
        // `quote! { .. }`: tokens of generated code, not code that runs here.
        if self.cat.contexts.token_macros.contains(&name) {
            self.moved_in_tokens(&mac.tokens);
            return;
        }
        // `matches!(client.get(u).send().await, Ok(r) if r.status().is_success())`:
        // only how the request went is looked at; the response is dropped there.
        if name == "matches"
            && let Some(scrutinee) = matches_scrutinee(&mac.tokens)
            && responses::bare_ident(&scrutinee).is_none()
            && let Some((r, _)) = self.response_of(&scrutinee)
        {
            self.note_production(Some(&scrutinee));
            self.responses.discarded(
                r,
                self.response_span(&scrutinee),
                "`matches!` looks only at how the request went and drops the response",
            );
            self.walk_expr(&scrutinee, Dest::Drop);
            return;
        }
        let exprs = macro_exprs(&mac.tokens, branches);
        // A body of statements (`try_stream! { for .. { .. yield x; } }`, a
        // crate macro that takes a block): read as a block of code. A body
        // that does not parse as Rust (a template) is skipped.
        if exprs.is_empty()
            && !mac.tokens.is_empty()
            && name != "vec"
            && let Some(block) = macro_block(mac)
        {
            self.walk_block(&block, dest);
            if diverging {
                self.responses
                    .return_exit(span_range(mac.path.span()), true);
            }
            return;
        }
        if exprs.is_empty() && !mac.tokens.is_empty() {
            // A macro we cannot read (`stream! { .. }`): a response it names may
            // be read inside, so it counts as handed over.
            self.moved_in_tokens(&mac.tokens);
        }
        for e in exprs {
            if by_reference {
                self.walk_borrowed(&e, Dest::Drop);
            } else {
                self.walk_expr(&e, if name == "vec" { d } else { dest });
            }
        }
        if name == "bail" {
            // `bail!` returns an error: an error path.
            self.responses
                .return_exit(span_range(mac.path.span()), true);
        } else if diverging {
            // `panic!` and its kin end the task, not with an error to read.
            self.responses
                .quiet_exit(span_range(mac.path.span()), &format!("`{name}!`"));
        }
    }

    /// Every name in tokens the walk cannot read counts as handed over: a
    /// response named there may be read inside.
    fn moved_in_tokens(&mut self, tokens: &TokenStream) {
        let mut names = HashSet::default();
        for tt in tokens.clone() {
            collect_token_idents(tt, &mut names);
        }
        for n in names {
            self.responses.moved(&n);
        }
    }
}

/// The expression `matches!(expr, pattern)` tests, when its tokens parse.
fn matches_scrutinee(tokens: &TokenStream) -> Option<syn::Expr> {
    syn::parse::Parser::parse2(
        |input: syn::parse::ParseStream<'_>| {
            let e: syn::Expr = input.parse()?;
            input.parse::<syn::Token![,]>()?;
            let _: TokenStream = input.parse()?;
            Ok(e)
        },
        tokens.clone(),
    )
    .ok()
}
