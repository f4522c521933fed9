//! How often a loop or a scheduled job runs, when the code shows it: the
//! durations of `sleep`/`interval` calls and `const` durations, cron
//! expressions and schedulers' `every(..)`, and whether a loop is a reconnect
//! or retry loop (it connects, then consumes until the connection ends, or
//! backs off and tries again until it succeeds).

use super::*;
use syn::visit::Visit;

/// Seconds per unit, by the names that duration constructors and
/// `TimeUnits`-style methods use.
fn unit_secs(name: &str) -> Option<f64> {
    let unit = name
        .trim_start_matches("from_")
        .trim_end_matches("_f64")
        .trim_end_matches("_f32");
    Some(match unit {
        "nanos" | "nanoseconds" => 1e-9,
        "micros" | "microseconds" => 1e-6,
        "millis" | "milliseconds" => 1e-3,
        "secs" | "seconds" | "second" => 1.0,
        "mins" | "minutes" | "minute" => 60.0,
        "hours" | "hour" => 3600.0,
        "days" | "day" => 86400.0,
        "weeks" | "week" => 604800.0,
        _ => return None,
    })
}

/// The value of a numeric literal expression (`60`, `60 * 60`, `1_000`).
fn number(e: &syn::Expr, consts: &HashMap<String, f64>) -> Option<f64> {
    match strip_parens(e) {
        syn::Expr::Lit(l) => match &l.lit {
            syn::Lit::Int(i) => i.base10_parse::<u64>().ok().map(|v| v as f64),
            syn::Lit::Float(f) => f.base10_parse::<f64>().ok(),
            _ => None,
        },
        syn::Expr::Binary(b) => {
            let (l, r) = (number(&b.left, consts)?, number(&b.right, consts)?);
            match b.op {
                syn::BinOp::Mul(_) => Some(l * r),
                syn::BinOp::Add(_) => Some(l + r),
                syn::BinOp::Sub(_) => Some(l - r),
                syn::BinOp::Div(_) if r != 0.0 => Some(l / r),
                _ => None,
            }
        }
        syn::Expr::Path(p) => p
            .path
            .segments
            .last()
            .and_then(|s| consts.get(&s.ident.to_string()).copied()),
        syn::Expr::Cast(c) => number(&c.expr, consts),
        _ => None,
    }
}

/// The length in seconds of a duration expression: `Duration::from_secs(60)`,
/// `Duration::from_millis(500)`, `Duration::new(5, 0)`, `10.seconds()`,
/// `chrono::Duration::minutes(5)`, or a `const` holding one.
pub(super) fn duration_secs(e: &syn::Expr, consts: &HashMap<String, f64>) -> Option<f64> {
    match strip_parens(e) {
        syn::Expr::Call(c) => {
            let syn::Expr::Path(p) = &*c.func else {
                return None;
            };
            let last = p.path.segments.last()?.ident.to_string();
            let arg = c.args.first()?;
            if last == "new" {
                return number(arg, consts);
            }
            if matches!(last.as_str(), "interval" | "sleep") {
                return duration_secs(arg, consts);
            }
            if last == "interval_at" {
                return duration_secs(c.args.iter().nth(1)?, consts);
            }
            Some(number(arg, consts)? * unit_secs(&last)?)
        }
        syn::Expr::MethodCall(m) => {
            let unit = unit_secs(&m.method.to_string())?;
            Some(number(&m.receiver, consts)? * unit)
        }
        syn::Expr::Reference(r) => duration_secs(&r.expr, consts),
        syn::Expr::Path(p) => p
            .path
            .segments
            .last()
            .and_then(|s| consts.get(&s.ident.to_string()).copied()),
        _ => None,
    }
}

/// The shortest time between two runs of a cron expression, roughly: the
/// step of the first field (seconds first when there are six) that is not a
/// fixed value. `"0 */5 * * * *"` runs every 300 s; `"0 0 * * * *"` hourly.
pub(super) fn cron_secs(expr: &str) -> Option<f64> {
    let fields: Vec<&str> = expr.split_whitespace().collect();
    let units: &[f64] = match fields.len() {
        5 => &[60.0, 3600.0, 86400.0, 86400.0 * 28.0, 86400.0],
        6 | 7 => &[1.0, 60.0, 3600.0, 86400.0, 86400.0 * 28.0, 86400.0],
        _ => return None,
    };
    for (field, unit) in fields.iter().zip(units) {
        if *field == "*" || *field == "?" {
            return Some(*unit);
        }
        if let Some((_, step)) = field.split_once('/') {
            return Some(step.parse::<f64>().ok()? * unit);
        }
        if field.contains(',') || field.contains('-') {
            // Several values of this unit: at most one unit apart.
            return Some(*unit);
        }
        if field.parse::<u64>().is_err() {
            return None;
        }
    }
    Some(units[units.len().min(fields.len()) - 1])
}

/// The `const` and `static` durations and numbers of a file, by name: the
/// items at any depth (module, `impl` block, or a function body's own
/// `const ONE_DAY: u64 = 60 * 60 * 24;`). A name given two different values
/// in the file is ambiguous and left out.
pub(super) fn file_consts(items: &[syn::Item]) -> HashMap<String, f64> {
    #[derive(Default)]
    struct Consts<'ast>(Vec<(String, &'ast syn::Expr)>);
    impl<'ast> Visit<'ast> for Consts<'ast> {
        fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
            self.0.push((c.ident.to_string(), &c.expr));
            syn::visit::visit_item_const(self, c);
        }
        fn visit_item_static(&mut self, s: &'ast syn::ItemStatic) {
            self.0.push((s.ident.to_string(), &s.expr));
            syn::visit::visit_item_static(self, s);
        }
        fn visit_impl_item_const(&mut self, c: &'ast syn::ImplItemConst) {
            self.0.push((c.ident.to_string(), &c.expr));
            syn::visit::visit_impl_item_const(self, c);
        }
    }
    let mut found = Consts::default();
    for item in items {
        found.visit_item(item);
    }
    let mut out = HashMap::default();
    let mut ambiguous = HashSet::default();
    // Two rounds: a const may be written in terms of another.
    for _ in 0..2 {
        for (name, expr) in &found.0 {
            let Some(v) = duration_secs(expr, &out).or_else(|| number(expr, &out)) else {
                continue;
            };
            match out.insert(name.clone(), v) {
                Some(old) if old != v => {
                    ambiguous.insert(name.clone());
                }
                _ => {}
            }
        }
    }
    out.retain(|name, _| !ambiguous.contains(name));
    out
}

/// What the statements of a loop body show about how often it runs.
#[derive(Default)]
struct BodyScan {
    /// The body awaits a `sleep` somewhere (a period or a back-off).
    sleeps: bool,
    /// The body leaves the loop with `break` or `return`.
    exits: bool,
    /// The body runs a long consumer: an inner `loop` or a `while` whose
    /// condition awaits (`while let Some(m) = stream.next().await`).
    consumes: bool,
    nested: usize,
}

impl<'ast> Visit<'ast> for BodyScan {
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    fn visit_item(&mut self, _: &'ast syn::Item) {}
    fn visit_expr_loop(&mut self, l: &'ast syn::ExprLoop) {
        self.consumes = true;
        self.nested += 1;
        syn::visit::visit_expr_loop(self, l);
        self.nested -= 1;
    }
    fn visit_expr_while(&mut self, w: &'ast syn::ExprWhile) {
        if contains_await(&w.cond) {
            self.consumes = true;
        }
        self.nested += 1;
        syn::visit::visit_expr_while(self, w);
        self.nested -= 1;
    }
    fn visit_expr_for_loop(&mut self, f: &'ast syn::ExprForLoop) {
        self.nested += 1;
        syn::visit::visit_expr_for_loop(self, f);
        self.nested -= 1;
    }
    fn visit_expr_break(&mut self, b: &'ast syn::ExprBreak) {
        if self.nested == 0 {
            self.exits = true;
        }
        syn::visit::visit_expr_break(self, b);
    }
    fn visit_expr_return(&mut self, r: &'ast syn::ExprReturn) {
        self.exits = true;
        syn::visit::visit_expr_return(self, r);
    }
    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func
            && p.path
                .segments
                .last()
                .is_some_and(|s| s.ident == "sleep" || s.ident == "sleep_until")
        {
            self.sleeps = true;
        }
        syn::visit::visit_expr_call(self, c);
    }
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        if tokens_call(m.tokens.clone(), "sleep").is_some() {
            self.sleeps = true;
        }
    }
}

/// The argument of the first `name(..)` call in a token stream (a macro
/// body such as `select! { _ = sleep(D) => {} }`), parsed as an expression.
fn tokens_call(tokens: proc_macro2::TokenStream, name: &str) -> Option<syn::Expr> {
    let mut prev_is_name = false;
    for tt in tokens {
        match tt {
            proc_macro2::TokenTree::Ident(i) => prev_is_name = i == name,
            proc_macro2::TokenTree::Group(g) => {
                if prev_is_name && g.delimiter() == proc_macro2::Delimiter::Parenthesis {
                    return syn::parse2::<syn::Expr>(g.stream()).ok();
                }
                if let Some(e) = tokens_call(g.stream(), name) {
                    return Some(e);
                }
                prev_is_name = false;
            }
            _ => prev_is_name = false,
        }
    }
    None
}

/// The period a macro statement of a loop body waits for (`select!` arms):
/// a `sleep(D)`, or `interval.tick()` of a known interval.
fn macro_period(
    tokens: &proc_macro2::TokenStream,
    consts: &HashMap<String, f64>,
    intervals: &HashMap<String, f64>,
) -> Option<f64> {
    tokens_call(tokens.clone(), "sleep")
        .and_then(|d| duration_secs(&d, consts))
        .or_else(|| tokens_tick(tokens.clone(), intervals))
}

/// The period of the first `name.tick()` in a token stream whose `name` is
/// a known interval.
fn tokens_tick(tokens: proc_macro2::TokenStream, intervals: &HashMap<String, f64>) -> Option<f64> {
    let tts: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
    for (i, tt) in tts.iter().enumerate() {
        match tt {
            proc_macro2::TokenTree::Ident(name) => {
                if let (
                    Some(proc_macro2::TokenTree::Punct(dot)),
                    Some(proc_macro2::TokenTree::Ident(method)),
                ) = (tts.get(i + 1), tts.get(i + 2))
                    && dot.as_char() == '.'
                    && method == "tick"
                    && let Some(p) = intervals.get(&name.to_string())
                {
                    return Some(*p);
                }
            }
            proc_macro2::TokenTree::Group(g) => {
                if let Some(p) = tokens_tick(g.stream(), intervals) {
                    return Some(p);
                }
            }
            _ => {}
        }
    }
    None
}

/// The period of one top-level statement of a loop body: an awaited
/// `sleep(D)`, `interval.tick()` of a known interval, or a `select!` whose
/// arms include a `sleep(D)`.
fn statement_period(
    stmt: &syn::Stmt,
    consts: &HashMap<String, f64>,
    intervals: &HashMap<String, f64>,
) -> Option<f64> {
    let expr = match stmt {
        syn::Stmt::Expr(e, _) => e,
        syn::Stmt::Local(l) => &*l.init.as_ref()?.expr,
        syn::Stmt::Macro(m) => {
            return macro_period(&m.mac.tokens, consts, intervals);
        }
        syn::Stmt::Item(_) => return None,
    };
    match strip_parens(expr) {
        // A blocking `std::thread::sleep(D)` on a thread of its own.
        syn::Expr::Call(c) => {
            let syn::Expr::Path(p) = &*c.func else {
                return None;
            };
            let last = p.path.segments.last()?.ident.to_string();
            (last == "sleep").then(|| duration_secs(c.args.first()?, consts))?
        }
        syn::Expr::Await(a) => match strip_parens(&a.base) {
            syn::Expr::Call(c) => {
                let syn::Expr::Path(p) = &*c.func else {
                    return None;
                };
                let last = p.path.segments.last()?.ident.to_string();
                (last == "sleep").then(|| duration_secs(c.args.first()?, consts))?
            }
            syn::Expr::MethodCall(m) if m.method == "tick" => match strip_parens(&m.receiver) {
                syn::Expr::Path(p) => intervals.get(&p.path.get_ident()?.to_string()).copied(),
                _ => None,
            },
            _ => None,
        },
        syn::Expr::Macro(m) => macro_period(&m.mac.tokens, consts, intervals),
        _ => None,
    }
}

/// Loops over at most this many items written in the code run "a fixed few
/// times": a literal array or a literal range.
const FIXED_LOOP_MAX: usize = 16;

/// The number of items of a loop over a literal array or range, when small.
pub(super) fn fixed_count(e: &syn::Expr) -> Option<usize> {
    let n = match strip_parens(e) {
        syn::Expr::Reference(r) => return fixed_count(&r.expr),
        syn::Expr::MethodCall(m)
            if matches!(
                m.method.to_string().as_str(),
                "iter" | "into_iter" | "enumerate" | "copied" | "cloned" | "rev"
            ) =>
        {
            return fixed_count(&m.receiver);
        }
        syn::Expr::Array(a) => a.elems.len(),
        syn::Expr::Range(r) => {
            let lit = |x: &Option<Box<syn::Expr>>| -> Option<u64> {
                match x.as_deref().map(strip_parens) {
                    Some(syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Int(i),
                        ..
                    })) => i.base10_parse().ok(),
                    _ => None,
                }
            };
            let (from, to) = (lit(&r.start)?, lit(&r.end)?);
            let inclusive = matches!(r.limits, syn::RangeLimits::Closed(_));
            (to + u64::from(inclusive)).saturating_sub(from) as usize
        }
        _ => return None,
    };
    (n <= FIXED_LOOP_MAX).then_some(n)
}

/// The value of an integer expression (`3`, `MAX_RETRIES`).
pub(super) fn int_value(e: &syn::Expr, consts: &HashMap<String, f64>) -> Option<u64> {
    number(e, consts)
        .filter(|v| *v >= 0.0 && v.fract() == 0.0)
        .map(|v| v as u64)
}

/// How many times a counted `while` runs, when the code shows it: a counter
/// bound to a number before the loop and stepped by one in its body
/// (`while attempts > 0 { attempts -= 1; .. }`, `while i < 3 { i += 1; .. }`).
/// A few tries are not a per-item loop.
pub(super) fn counted_while(
    cond: &syn::Expr,
    body: &syn::Block,
    counters: &HashMap<String, u64>,
    consts: &HashMap<String, f64>,
) -> Option<usize> {
    let syn::Expr::Binary(b) = strip_parens(cond) else {
        return None;
    };
    let var = |e: &syn::Expr| match strip_parens(e) {
        syn::Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        _ => None,
    };
    let name = var(&b.left)?;
    let start = *counters.get(&name)?;
    let bound = int_value(&b.right, consts)?;
    let n = match b.op {
        syn::BinOp::Gt(_) | syn::BinOp::Ne(_) if steps(body, &name, false) => {
            start.checked_sub(bound)?
        }
        syn::BinOp::Ge(_) if steps(body, &name, false) => (start + 1).checked_sub(bound)?,
        syn::BinOp::Lt(_) | syn::BinOp::Ne(_) if steps(body, &name, true) => {
            bound.checked_sub(start)?
        }
        syn::BinOp::Le(_) if steps(body, &name, true) => (bound + 1).checked_sub(start)?,
        _ => return None,
    };
    let n = usize::try_from(n).ok()?;
    (n <= FIXED_LOOP_MAX).then_some(n)
}

/// Whether a loop body steps `name` by one (`name += 1` when `up`, else
/// `name -= 1`) outside nested closures and items.
fn steps(body: &syn::Block, name: &str, up: bool) -> bool {
    struct Step<'n> {
        name: &'n str,
        up: bool,
        found: bool,
    }
    impl<'ast> Visit<'ast> for Step<'_> {
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_item(&mut self, _: &'ast syn::Item) {}
        fn visit_expr_binary(&mut self, b: &'ast syn::ExprBinary) {
            let op = if self.up {
                matches!(b.op, syn::BinOp::AddAssign(_))
            } else {
                matches!(b.op, syn::BinOp::SubAssign(_))
            };
            let target =
                matches!(strip_parens(&b.left), syn::Expr::Path(p) if p.path.is_ident(self.name));
            let one = matches!(strip_parens(&b.right), syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(i), .. }) if i.base10_digits() == "1");
            self.found |= op && target && one;
            syn::visit::visit_expr_binary(self, b);
        }
    }
    let mut s = Step {
        name,
        up,
        found: false,
    };
    s.visit_block(body);
    s.found
}

/// Whether a loop body leaves the loop as soon as a response succeeds: a
/// branch on a response's status whose successful side returns, or breaks
/// out of this loop (`if resp.status() == StatusCode::OK { return .. }`).
/// The other candidates are tried only when one fails: a search or a
/// fallback, one request in the usual case.
pub(super) fn stops_at_first_success(body: &syn::Block) -> bool {
    /// Walks the loop body; inside the successful side of a status test
    /// (`in_success`), a `return`, or a `break` of this loop, leaves it.
    #[derive(Default)]
    struct Search {
        nested: usize,
        in_success: bool,
        found: bool,
    }
    impl Search {
        fn nest(&mut self, visit: impl FnOnce(&mut Self)) {
            self.nested += 1;
            visit(self);
            self.nested -= 1;
        }
    }
    impl<'ast> Visit<'ast> for Search {
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_item(&mut self, _: &'ast syn::Item) {}
        fn visit_expr_return(&mut self, r: &'ast syn::ExprReturn) {
            self.found |= self.in_success;
            syn::visit::visit_expr_return(self, r);
        }
        fn visit_expr_break(&mut self, b: &'ast syn::ExprBreak) {
            self.found |= self.in_success && self.nested == 0;
            syn::visit::visit_expr_break(self, b);
        }
        fn visit_expr_if(&mut self, i: &'ast syn::ExprIf) {
            let Some((_, then_fails)) = failure_test(&i.cond) else {
                return syn::visit::visit_expr_if(self, i);
            };
            self.visit_expr(&i.cond);
            let outer = self.in_success;
            self.in_success = outer || !then_fails;
            self.visit_block(&i.then_branch);
            self.in_success = outer || then_fails;
            if let Some((_, e)) = &i.else_branch {
                self.visit_expr(e);
            }
            self.in_success = outer;
        }
        fn visit_expr_for_loop(&mut self, f: &'ast syn::ExprForLoop) {
            self.nest(|s| syn::visit::visit_expr_for_loop(s, f));
        }
        fn visit_expr_while(&mut self, w: &'ast syn::ExprWhile) {
            self.nest(|s| syn::visit::visit_expr_while(s, w));
        }
        fn visit_expr_loop(&mut self, l: &'ast syn::ExprLoop) {
            self.nest(|s| syn::visit::visit_expr_loop(s, l));
        }
    }
    let mut s = Search::default();
    s.visit_block(body);
    s.found
}

/// What a loop body shows: its period when every iteration waits a known
/// time, and whether it is a reconnect or retry loop.
pub(super) fn scan_loop(
    body: &syn::Block,
    consts: &HashMap<String, f64>,
    intervals: &HashMap<String, f64>,
) -> (Option<u64>, bool) {
    let period = body
        .stmts
        .iter()
        .filter_map(|s| statement_period(s, consts, intervals))
        .fold(None, |acc: Option<f64>, p| {
            Some(acc.map_or(p, |a| a.max(p)))
        });
    let mut scan = BodyScan::default();
    for s in &body.stmts {
        scan.visit_stmt(s);
    }
    // A loop that waits a known time every iteration is a poll, not a retry.
    let reconnect = scan.consumes || (scan.sleeps && scan.exits && period.is_none());
    (period.map(|p| p.round() as u64), reconnect)
}

/// `runs_long` of one expression (a spawned task's body).
pub(super) fn runs_long_expr(e: &syn::Expr, channels: &HashSet<String>) -> bool {
    let block = syn::Block {
        brace_token: Default::default(),
        stmts: vec![syn::Stmt::Expr(e.clone(), None)],
    };
    runs_long(&block, channels)
}

/// The locals of a function body that hold an end of a channel made there
/// (`let (tx, rx) = flume::bounded(n)`, `let rx = rx.clone()`).
pub(super) fn local_channels(body: &syn::Block) -> HashSet<String> {
    struct L(HashSet<String>);
    impl<'ast> Visit<'ast> for L {
        fn visit_item(&mut self, _: &'ast syn::Item) {}
        fn visit_local(&mut self, l: &'ast syn::Local) {
            if let Some(init) = &l.init
                && makes_channel(&init.expr, &self.0)
            {
                let mut names = Vec::new();
                crate::index::pattern_names(&l.pat, &mut names);
                self.0.extend(names);
            }
            syn::visit::visit_local(self, l);
        }
    }
    let mut l = L(HashSet::default());
    l.visit_block(body);
    l.0
}

/// Whether a body runs a long loop of its own: a `loop` that is not a retry
/// (it does not both back off and leave with a value), or a consumer
/// `while` (see `visit_expr_while`). `channels`: the function's local
/// channel ends.
pub(super) fn runs_long(body: &syn::Block, channels: &HashSet<String>) -> bool {
    struct V<'c> {
        long: bool,
        channels: &'c HashSet<String>,
    }
    impl<'ast> Visit<'ast> for V<'_> {
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_item(&mut self, _: &'ast syn::Item) {}
        fn visit_expr_loop(&mut self, l: &'ast syn::ExprLoop) {
            let mut scan = BodyScan::default();
            for s in &l.body.stmts {
                scan.visit_stmt(s);
            }
            if !(scan.sleeps && scan.exits) {
                self.long = true;
            }
            syn::visit::visit_expr_loop(self, l);
        }
        fn visit_expr_while(&mut self, w: &'ast syn::ExprWhile) {
            // A consumer awaits the next message and then does work that
            // waits too. Draining a stream into memory (`while let Some(c) =
            // body.next().await { buf.extend(c) }`) ends with the data, and
            // workers fed by a channel made in this body end with this call.
            let cond = match strip_parens(&w.cond) {
                syn::Expr::Let(l) => &*l.expr,
                other => other,
            };
            let source = chain_head(cond).and_then(local_name);
            if contains_await(&w.cond)
                && block_awaits(&w.body)
                && !source.is_some_and(|n| self.channels.contains(&n))
            {
                self.long = true;
            }
            syn::visit::visit_expr_while(self, w);
        }
    }
    let mut v = V {
        long: false,
        channels,
    };
    v.visit_block(body);
    v.long
}

/// Functions that make a channel pair.
const CHANNEL_FNS: &[&str] = &[
    "channel",
    "bounded",
    "unbounded",
    "sync_channel",
    "unbounded_channel",
];

/// `mpsc::channel(n)`, `flume::bounded(n)`, or a clone of a local channel end.
fn makes_channel(e: &syn::Expr, channels: &HashSet<String>) -> bool {
    match strip_parens(e) {
        syn::Expr::Call(c) => matches!(&*c.func, syn::Expr::Path(p)
            if p.path.segments.last().is_some_and(|s| CHANNEL_FNS.contains(&s.ident.to_string().as_str()))),
        syn::Expr::MethodCall(m) if m.method == "clone" => {
            local_name(&m.receiver).is_some_and(|n| channels.contains(&n))
        }
        _ => false,
    }
}

fn local_name(e: &syn::Expr) -> Option<String> {
    match strip_parens(e) {
        syn::Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        syn::Expr::Reference(r) => local_name(&r.expr),
        _ => None,
    }
}

/// Whether a block awaits anywhere outside its closures.
fn block_awaits(b: &syn::Block) -> bool {
    struct A(bool);
    impl<'ast> Visit<'ast> for A {
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_expr_await(&mut self, _: &'ast syn::ExprAwait) {
            self.0 = true;
        }
    }
    let mut a = A(false);
    a.visit_block(b);
    a.0
}

impl Walker<'_> {
    /// The period of a scheduled job from its registration: a cron string
    /// or a duration among the call's other arguments, or `every(..)` on the
    /// scheduler chain that receives the job.
    pub(super) fn registration_period<'e>(
        &self,
        others: impl Iterator<Item = &'e syn::Expr>,
        receiver: Option<&syn::Expr>,
    ) -> Option<u64> {
        let mut found = None;
        for a in others {
            let secs = match strip_parens(a) {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => cron_secs(&s.value()),
                other => duration_secs(other, &self.consts),
            };
            found = found.or(secs);
        }
        let mut r = receiver;
        while found.is_none()
            && let Some(syn::Expr::MethodCall(m)) = r.map(strip_parens)
        {
            if m.method == "every" {
                found = m.args.first().and_then(|a| duration_secs(a, &self.consts));
            }
            r = Some(&m.receiver);
        }
        found.map(|p| p.round() as u64)
    }
}
