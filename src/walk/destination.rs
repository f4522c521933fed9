//! Where a request goes: whether the host of its URL comes from the call's
//! arguments (request data), not from application state or constants. A
//! request to a host the request being handled names cannot be assumed to
//! reuse a connection, and the code cannot show how often it runs.

use super::*;

impl Walker<'_> {
    /// `e` is a URL whose host the call's arguments give: a parameter (not
    /// application state), a field of one, a local made from one, a method on
    /// one that keeps its URL (`u.clone()`, `base.join(p)`), a URL parsed from one (`Url::parse(&u)`), or a `format!` whose
    /// text starts with one (`format!("https://{}/x", s.host)`).
    /// Returns the position of the parameter it comes from.
    pub(super) fn host_from_args(&self, e: &syn::Expr) -> Option<usize> {
        match strip_parens(e) {
            syn::Expr::Reference(r) => self.host_from_args(&r.expr),
            syn::Expr::Try(t) => self.host_from_args(&t.expr),
            syn::Expr::MethodCall(m) if URL_KEEPING.contains(&m.method.to_string().as_str()) => {
                self.host_from_args(&m.receiver)
            }
            syn::Expr::Field(f) => self.host_from_args(&f.base),
            syn::Expr::Path(p) => {
                let name = p.path.get_ident()?.to_string();
                self.dest_names.get(&name).copied()
            }
            // `Url::parse(&u)`, `Uri::try_from(u)`: a URL made from a value.
            syn::Expr::Call(c) => match &*c.func {
                syn::Expr::Path(p) if url_constructor(&p.path) => {
                    self.host_from_args(c.args.first()?)
                }
                _ => None,
            },
            syn::Expr::Macro(m)
                if m.mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "format") =>
            {
                self.format_host_from_args(&m.mac.tokens)
            }
            _ => None,
        }
    }

    /// `format!("https://{}/x", host)`, `format!("{base}/x")`: the first
    /// placeholder is the host (the text before it is empty or a scheme), and
    /// what fills it comes from the arguments.
    fn format_host_from_args(&self, tokens: &TokenStream) -> Option<usize> {
        let args = macro_exprs(tokens, false);
        let Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        })) = args.first()
        else {
            return None;
        };
        let text = text.value();
        let open = text.find('{')?;
        let prefix = &text[..open];
        let scheme = prefix.strip_suffix("://").is_some_and(|s| {
            s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
        });
        if !prefix.is_empty() && !scheme {
            return None;
        }
        let inner = &text[open + 1..];
        let name = inner[..inner.find('}').unwrap_or(inner.len())]
            .split(':')
            .next()
            .unwrap_or_default();
        if name.is_empty() || name == "0" {
            return self.host_from_args(args.get(1)?);
        }
        // A named argument (`host = s.host`), else a captured local.
        let named = args.iter().skip(1).find_map(|a| match a {
            syn::Expr::Assign(x) if bare_ident(&x.left).as_deref() == Some(name) => Some(&*x.right),
            _ => None,
        });
        match named {
            Some(value) => self.host_from_args(value),
            None => self.dest_names.get(name).copied(),
        }
    }

    /// The request `e` sends (a chain up to its producer) goes to a host
    /// that the call's arguments give.
    pub(super) fn request_from_args(&self, e: &syn::Expr) -> Option<usize> {
        let mut cur = e;
        loop {
            match strip_parens(cur) {
                syn::Expr::Await(a) => cur = &a.base,
                syn::Expr::Try(t) => cur = &t.expr,
                syn::Expr::Reference(r) => cur = &r.expr,
                syn::Expr::MethodCall(m) => {
                    // The URL is the last argument of a library's request method
                    // (`get(url)`, `request(method, url)`); of a workspace method
                    // that makes one, an argument that reads as a URL.
                    if self.makes_request(m) {
                        let library = matches!(self.ty_of(&m.receiver), Ty::Named(t) if self.cat.knows_type(&t));
                        if library {
                            return self.host_from_args(m.args.last()?);
                        }
                        return m
                            .args
                            .iter()
                            .filter(|a| is_url_like(a))
                            .find_map(|a| self.host_from_args(a));
                    }
                    cur = &m.receiver;
                }
                // A function of the workspace that makes the request
                // (`make_request(Method::GET, &url)?`).
                // Only an argument that is a URL counts: a token or a body
                // beside it is not where the request goes.
                head @ syn::Expr::Call(c) => {
                    return matches!(self.ty_of(head), Ty::Request(_))
                        .then(|| {
                            c.args
                                .iter()
                                .filter(|a| is_url_like(a))
                                .find_map(|a| self.host_from_args(a))
                        })
                        .flatten();
                }
                // A request or response bound from such a request.
                head @ syn::Expr::Path(_) => {
                    if !matches!(self.ty_of(head), Ty::Request(_) | Ty::Response(_)) {
                        return None;
                    }
                    return self.dest_names.get(&bare_ident(head)?).copied();
                }
                _ => return None,
            }
        }
    }

    /// `client.get(url)`: the call that makes a request from a client.
    pub(super) fn makes_request(&self, m: &syn::ExprMethodCall) -> bool {
        matches!(self.method_ty(m), Ty::Request(_))
            && !matches!(self.ty_of(&m.receiver), Ty::Request(_))
    }

    /// `client.get(url)` with a host from the arguments: the client the
    /// request goes out on, built in this function (in the same chain, or
    /// bound to a local), sends where the request says.
    pub(super) fn note_request_destination(&mut self, m: &syn::ExprMethodCall) {
        if !self.makes_request(m) || m.args.last().and_then(|a| self.host_from_args(a)).is_none() {
            return;
        }
        let head = chain_head(&m.receiver);
        let by_name = head.and_then(bare_ident);
        let span = head.map(|h| span_range(h.span()));
        let built = self
            .pending
            .iter_mut()
            .rev()
            .find(|(call, _)| match &by_name {
                Some(name) => call.binding.as_ref().is_some_and(|b| &b.name == name),
                None => Some(&call.span) == span.as_ref(),
            });
        if let Some((call, _)) = built {
            call.dest_from_args = true;
        }
    }

    /// Argument `index` of the workspace call recorded at `pending[at]` takes
    /// its host from parameter `param`'s value (see `CallSite::dest_args`).
    pub(super) fn note_dest_arg(&mut self, at: usize, index: usize, arg: &syn::Expr) {
        if let Some(param) = self.host_from_args(arg)
            && let Some((call, _)) = self.pending.get_mut(at)
        {
            call.dest_args.push((index, param));
        }
    }
}

use responses::bare_ident;

/// Methods whose value keeps the URL (and host) of their receiver.
const URL_KEEPING: &[&str] = &[
    "clone",
    "to_owned",
    "to_string",
    "as_str",
    "as_ref",
    "borrow",
    "into",
    "parse",
    "join",
    "trim",
    "unwrap",
    "expect",
    "as_deref",
];

/// An argument that reads as a URL: a `format!`, a `Url::parse(..)`, or a
/// name that says so (`url`, `&endpoint`, `base_uri.join(p)`).
fn is_url_like(e: &syn::Expr) -> bool {
    match strip_parens(e) {
        syn::Expr::Reference(r) => is_url_like(&r.expr),
        syn::Expr::Try(t) => is_url_like(&t.expr),
        syn::Expr::MethodCall(m) => is_url_like(&m.receiver),
        syn::Expr::Macro(m) => m
            .mac
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "format"),
        syn::Expr::Call(c) => matches!(&*c.func, syn::Expr::Path(p) if url_constructor(&p.path)),
        syn::Expr::Field(f) => match &f.member {
            syn::Member::Named(n) => names_url(&n.to_string()),
            syn::Member::Unnamed(_) => false,
        },
        syn::Expr::Path(p) => p
            .path
            .get_ident()
            .is_some_and(|i| names_url(&i.to_string())),
        _ => false,
    }
}

fn names_url(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "url", "uri", "host", "addr", "endpoint", "link", "domain", "server", "origin",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// A path through a URL type (`Url::parse`, `http::Uri::try_from`).
fn url_constructor(path: &syn::Path) -> bool {
    path.segments.iter().any(|s| {
        let s = s.ident.to_string().to_ascii_lowercase();
        s == "url" || s == "uri"
    })
}
