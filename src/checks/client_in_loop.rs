//! `client_in_loop`: a client built inside a loop, a per-item closure or a
//! periodic job; the fix hoists the `let` before the loop when it can.

use super::construction::{
    Context, client_name, common_notes, kind_cost, new_finding, only_construction,
};
use crate::callgraph::Origin;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Suggestion};
use crate::facts::{CallSite, Callee, FnFacts, LoopInfo, LoopKind};
use crate::lints::CLIENT_IN_LOOP;
use crate::source::{rest_of_block, uses_word};
use syn::visit::Visit;

fn loop_label(info: &LoopInfo) -> String {
    match info.kind {
        LoopKind::Closure => format!("the closure passed to `{}` runs once per item", info.what),
        LoopKind::Periodic => format!("the job passed to `{}` runs every tick", info.what),
        _ if info.periodic => "the loop runs this every tick".to_string(),
        _ => "the loop runs this once per iteration".to_string(),
    }
}

pub(super) fn in_loop(
    cx: &Context<'_>,
    f: &FnFacts,
    call: &CallSite,
    origin: &Origin,
    info: &LoopInfo,
) -> Diagnostic {
    let name = client_name(cx, origin);
    let (where_, per) = match info.kind {
        LoopKind::Closure => ("inside a per-item closure", "per item"),
        LoopKind::Periodic => ("inside a periodic job", "per tick"),
        _ if info.periodic => ("inside a periodic loop", "per tick"),
        _ => ("inside a loop", "per iteration"),
    };
    let label = format!("{} {per}", kind_cost(cx, origin));
    let mut d = new_finding(
        cx,
        CLIENT_IN_LOOP,
        f,
        call,
        format!("`{name}` built {where_}"),
        label,
    )
    .with_label(f.file, info.header.clone(), loop_label(info));
    d = common_notes(cx, d, call, origin);
    let fix = &cx.catalog.clients[origin.client].fix;
    if let Callee::Catalog {
        kind: crate::catalog::ConstructionKind::OneShot,
        path,
        ..
    } = &call.callee
    {
        // The argument of a one-shot helper is the request, not client configuration.
        return d.with_help(
            format!("build one client before the loop and send each request with it instead of `{path}`; {fix}"),
            None,
        );
    }
    if call.uses_loop_binding {
        d.with_help(
            format!(
                "the configuration depends on the loop, so keep one client per distinct configuration: a cache such as `HashMap::entry(key).or_insert_with(..)` made before the loop; {fix}"
            ),
            None,
        )
    } else {
        match hoist_suggestion(cx, f, call, info) {
            Some(hoist) => {
                let mut msg = "build the client once, before the loop; the initializer uses nothing bound in the loop".to_string();
                if hoist.clones {
                    msg.push_str("; each task or `move` closure gets its own clone of the client");
                }
                if hoist.moves_error {
                    msg.push_str("; this changes the error handling: the `?` now returns the error before the loop starts, not in the iteration that built the client");
                }
                d.with_help(msg, Some(hoist.suggestion))
            }
            None => d.with_help(
                format!("build the client once, before the loop, and reuse it; {fix}"),
                None,
            ),
        }
    }
}

struct Hoist {
    suggestion: Suggestion,
    /// `let client = client.clone();` goes in front of tasks that move it.
    clones: bool,
    /// A `?` in the initializer now runs before the loop.
    moves_error: bool,
}

/// Moves `let client = <init>;` before the loop, when the initializer is the
/// construction alone. A statement of the loop body that moves the client into
/// a `move` closure or `async move` block (a spawned task) gets its own
/// `let client = client.clone();` in front; a `let` inside such a block moves
/// out of it the same way. Any other use that could move the client, or a use
/// of the name that the hoisted `let` would shadow, gives no suggestion.
fn hoist_suggestion(
    cx: &Context<'_>,
    f: &FnFacts,
    call: &CallSite,
    info: &LoopInfo,
) -> Option<Hoist> {
    let binding = call.binding.as_ref()?;
    if !call.hoistable
        || !info.statement
        || !matches!(info.kind, LoopKind::For | LoopKind::While | LoopKind::Loop)
    {
        return None;
    }
    let file = cx.file(f.file);
    let stmt_text = file.snippet(binding.stmt.clone());
    if stmt_text.is_empty() || stmt_text.contains('\n') {
        return None;
    }
    let syn::Stmt::Local(local) = syn::parse_str::<syn::Stmt>(stmt_text).ok()? else {
        return None;
    };
    let init = local.init.as_ref()?;
    let relative = call.span.start.checked_sub(binding.stmt.start)?
        ..call.span.end.checked_sub(binding.stmt.start)?;
    if init.diverge.is_some() || !only_construction(&init.expr, &relative) {
        return None;
    }
    // The statement must sit alone on its line.
    let line = file.line_index(binding.stmt.start);
    let line_range = file.line_range(line);
    let before = &file.text[line_range.start..binding.stmt.start];
    let after = &file.text[binding.stmt.end..line_range.end];
    if !before.trim().is_empty()
        || !(after.trim().is_empty() || after.trim_start().starts_with("//"))
    {
        return None;
    }
    let loop_line = file.line_index(info.start);
    let loop_line_start = file.line_start(loop_line);
    if !file.text[loop_line_start..info.start].trim().is_empty() {
        return None;
    }
    let (loop_expr, loop_len) = parse_loop(&file.text, info.start)?;
    // After the loop, the name must not mean another value the hoisted `let`
    // would shadow.
    if uses_word(
        rest_of_block(&file.text, info.start + loop_len),
        &binding.name,
    ) {
        return None;
    }
    let let_span = binding.stmt.start - info.start..binding.stmt.end - info.start;
    let plan = plan_clones(&loop_expr, &let_span, &binding.name)?;
    let mut edits = Vec::new();
    let indent = file.indentation_at(info.start).to_string();
    edits.push(Edit {
        file: f.file,
        span: loop_line_start..loop_line_start,
        // A comment after the statement goes with it.
        replacement: format!("{indent}{stmt_text}{}\n", after.trim_end()),
    });
    let delete_end = file.line_start(line + 1).min(file.text.len());
    for at in &plan.clone_before {
        let at = info.start + at;
        let start = file.line_start(file.line_index(at));
        if !file.text[start..at].trim().is_empty() {
            return None;
        }
        let ind = file.indentation_at(at);
        let clone = super::generate::clone_stmt(&binding.name, &binding.name, binding.mutable)?;
        edits.push(Edit {
            file: f.file,
            span: start..start,
            replacement: format!("{ind}{clone}\n"),
        });
    }
    edits.push(Edit {
        file: f.file,
        span: line_range.start..delete_end,
        replacement: String::new(),
    });
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let moves_error = binding.has_try;
    // Out of a task, `?` and `.await` would act on the enclosing function.
    if plan.out_of_task && (moves_error || contains_await(&init.expr)) {
        return None;
    }
    let applicability = if moves_error || binding.mutable || !binding.in_loop_body {
        Applicability::MaybeIncorrect
    } else {
        Applicability::MachineApplicable
    };
    Some(Hoist {
        suggestion: Suggestion {
            edits,
            applicability,
        },
        clones: !plan.clone_before.is_empty(),
        moves_error,
    })
}

/// The loop expression that starts at `start`, and its length: the shortest
/// text ending in `}` that parses as an expression.
fn parse_loop(text: &str, start: usize) -> Option<(syn::Expr, usize)> {
    let rest = text.get(start..)?;
    for (i, _) in rest.match_indices('}') {
        let candidate = &rest[..=i];
        if let Ok(e) = syn::parse_str::<syn::Expr>(candidate)
            && matches!(
                e,
                syn::Expr::ForLoop(_) | syn::Expr::While(_) | syn::Expr::Loop(_)
            )
        {
            return Some((e, i + 1));
        }
    }
    None
}

fn contains_await(e: &syn::Expr) -> bool {
    struct V(bool);
    impl<'ast> Visit<'ast> for V {
        fn visit_expr_await(&mut self, _: &'ast syn::ExprAwait) {
            self.0 = true;
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
    }
    let mut v = V(false);
    v.visit_expr(e);
    v.0
}

struct ClonePlan {
    /// Offsets (in the loop text) of the statements that need their own clone.
    clone_before: Vec<usize>,
    /// The `let` is inside a `move` block: hoisting takes it out of the task.
    out_of_task: bool,
}

/// Where the hoisted client needs `let name = name.clone();` so that every
/// round of the loop still compiles, or `None` when the uses cannot be made
/// to work that way (the client is passed by value, used in a macro with a
/// `move` block, or the name is used where the hoisted `let` would change
/// what it means).
fn plan_clones(
    loop_expr: &syn::Expr,
    let_span: &std::ops::Range<usize>,
    name: &str,
) -> Option<ClonePlan> {
    use syn::spanned::Spanned;
    let body = match loop_expr {
        syn::Expr::ForLoop(l) => &l.body,
        syn::Expr::While(l) => &l.body,
        syn::Expr::Loop(l) => &l.body,
        _ => return None,
    };
    // The header (`for x in <expr>`, `while <cond>`) runs before the
    // statement: a use there would now see the hoisted client.
    let mut header = Uses::new(name);
    match loop_expr {
        syn::Expr::ForLoop(l) => {
            header.visit_pat(&l.pat);
            header.visit_expr(&l.expr);
        }
        syn::Expr::While(l) => header.visit_expr(&l.cond),
        _ => {}
    }
    if !header.found.is_empty() {
        return None;
    }
    // Find the block whose statement is the `let`, and the `move` blocks
    // between the loop body and it.
    let path = path_to_let(body, let_span)?;
    let mut uses = Uses::new(name);
    uses.visit_block(body);
    let out_of_task = !path.enclosing_moves.is_empty();
    if path.through_borrowing_block {
        return None;
    }
    // A use before the `let`, or outside the block that holds it, means
    // another value, which the hoisted `let` would shadow.
    let block = span_of(&path.block.span());
    if uses.found.iter().any(|u| {
        u.span.start < let_span.end || u.span.end > block.end || u.span.start < block.start
    }) {
        return None;
    }
    if out_of_task {
        // Every use must be inside the `move` block that held the `let`; the
        // statement of the loop body holding that block gets the clone.
        let task = path.enclosing_moves[0].clone();
        if uses
            .found
            .iter()
            .any(|u| u.span.start < task.start || u.span.end > task.end)
        {
            return None;
        }
        let stmt = body
            .stmts
            .iter()
            .map(|s| span_of(&s.span()))
            .find(|s| s.start <= task.start && task.end <= s.end)?;
        return Some(ClonePlan {
            clone_before: vec![stmt.start],
            out_of_task,
        });
    }
    // The `let` is a statement of `path.block` (the loop body or a block in it).
    let mut clone_before = Vec::new();
    let mut first_clone: Option<usize> = None;
    for stmt in path.block.stmts.iter() {
        let span = span_of(&stmt.span());
        if span.start < let_span.end {
            continue;
        }
        let inside: Vec<&Use> = uses
            .found
            .iter()
            .filter(|u| span.start <= u.span.start && u.span.end <= span.end)
            .collect();
        if inside.iter().any(|u| u.kind == UseKind::Moved) {
            return None;
        }
        let captured = inside.iter().any(|u| u.kind == UseKind::Captured);
        if first_clone.is_some() && inside.iter().any(|u| u.kind != UseKind::Captured) {
            // The name now means the clone that an earlier task took.
            return None;
        }
        if captured {
            first_clone.get_or_insert(span.start);
            clone_before.push(span.start);
        }
    }
    Some(ClonePlan {
        clone_before,
        out_of_task,
    })
}

fn span_of(span: &proc_macro2::Span) -> std::ops::Range<usize> {
    crate::index::span_range(*span)
}

struct LetPath<'a> {
    /// The block that holds the `let` as a statement.
    block: &'a syn::Block,
    /// Spans of the `move` closures and `async move` blocks around the
    /// `let`, outermost first.
    enclosing_moves: Vec<std::ops::Range<usize>>,
    /// A closure or async block without `move` is around the `let`.
    through_borrowing_block: bool,
}

fn path_to_let<'a>(body: &'a syn::Block, let_span: &std::ops::Range<usize>) -> Option<LetPath<'a>> {
    use syn::spanned::Spanned;
    struct Finder<'a, 'r> {
        target: &'r std::ops::Range<usize>,
        stack: Vec<(std::ops::Range<usize>, bool)>,
        found: Option<LetPath<'a>>,
    }
    impl<'a> Visit<'a> for Finder<'a, '_> {
        fn visit_block(&mut self, b: &'a syn::Block) {
            if self.found.is_some() {
                return;
            }
            for s in &b.stmts {
                if let syn::Stmt::Local(l) = s
                    && span_of(&l.span()) == *self.target
                {
                    self.found = Some(LetPath {
                        block: b,
                        enclosing_moves: self
                            .stack
                            .iter()
                            .filter(|(_, m)| *m)
                            .map(|(r, _)| r.clone())
                            .collect(),
                        through_borrowing_block: self.stack.iter().any(|(_, m)| !*m),
                    });
                    return;
                }
            }
            syn::visit::visit_block(self, b);
        }
        fn visit_expr_closure(&mut self, c: &'a syn::ExprClosure) {
            self.stack.push((span_of(&c.span()), c.capture.is_some()));
            syn::visit::visit_expr_closure(self, c);
            self.stack.pop();
        }
        fn visit_expr_async(&mut self, a: &'a syn::ExprAsync) {
            self.stack.push((span_of(&a.span()), a.capture.is_some()));
            syn::visit::visit_expr_async(self, a);
            self.stack.pop();
        }
    }
    let mut finder = Finder {
        target: let_span,
        stack: Vec::new(),
        found: None,
    };
    finder.visit_block(body);
    finder.found
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UseKind {
    /// Borrowed: a method receiver, a field, `&name`, format macros.
    Borrowed,
    /// Inside a `move` closure or `async move` block.
    Captured,
    /// Anything else may move it (an argument, `let x = name`, a macro with a
    /// `move` block).
    Moved,
}

struct Use {
    span: std::ops::Range<usize>,
    kind: UseKind,
}

/// Every use of a name, classified by how it takes the value.
struct Uses<'n> {
    name: &'n str,
    moves: usize,
    found: Vec<Use>,
}

impl<'n> Uses<'n> {
    fn new(name: &'n str) -> Self {
        Uses {
            name,
            moves: 0,
            found: Vec::new(),
        }
    }

    fn is_name(&self, e: &syn::Expr) -> Option<std::ops::Range<usize>> {
        use syn::spanned::Spanned;
        match e {
            syn::Expr::Path(p) if p.qself.is_none() && p.path.is_ident(self.name) => {
                Some(span_of(&p.span()))
            }
            _ => None,
        }
    }

    fn push(&mut self, span: std::ops::Range<usize>, borrowed: bool) {
        let kind = if self.moves > 0 {
            UseKind::Captured
        } else if borrowed {
            UseKind::Borrowed
        } else {
            UseKind::Moved
        };
        self.found.push(Use { span, kind });
    }

    /// A borrowing position: the name itself is a borrow, anything else is
    /// visited as usual.
    fn visit_borrowed(&mut self, e: &syn::Expr) {
        match self.is_name(e) {
            Some(span) => self.push(span, true),
            None => self.visit_expr(e),
        }
    }
}

impl<'ast> Visit<'ast> for Uses<'_> {
    fn visit_expr(&mut self, e: &'ast syn::Expr) {
        if let Some(span) = self.is_name(e) {
            self.push(span, false);
            return;
        }
        match e {
            syn::Expr::MethodCall(m) => {
                self.visit_borrowed(&m.receiver);
                for a in &m.args {
                    self.visit_expr(a);
                }
            }
            syn::Expr::Field(f) => self.visit_borrowed(&f.base),
            syn::Expr::Reference(r) => self.visit_borrowed(&r.expr),
            syn::Expr::Closure(c) if c.capture.is_some() => {
                self.moves += 1;
                syn::visit::visit_expr_closure(self, c);
                self.moves -= 1;
            }
            syn::Expr::Async(a) if a.capture.is_some() => {
                self.moves += 1;
                syn::visit::visit_expr_async(self, a);
                self.moves -= 1;
            }
            _ => syn::visit::visit_expr(self, e),
        }
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        use syn::spanned::Spanned;
        // Tokens are not parsed: a `move` block in them may take the client,
        // any other use is taken as a borrow (`println!("{client:?}")`).
        fn scan(tokens: proc_macro2::TokenStream, name: &str, out: &mut (bool, bool)) {
            for t in tokens {
                match t {
                    proc_macro2::TokenTree::Ident(i) if i == name => out.0 = true,
                    proc_macro2::TokenTree::Ident(i) if i == "move" => out.1 = true,
                    proc_macro2::TokenTree::Group(g) => scan(g.stream(), name, out),
                    _ => {}
                }
            }
        }
        let mut seen = (false, false);
        scan(m.tokens.clone(), self.name, &mut seen);
        if seen.0 {
            let span = span_of(&m.span());
            if seen.1 && self.moves == 0 {
                self.found.push(Use {
                    span,
                    kind: UseKind::Moved,
                });
            } else {
                self.push(span, true);
            }
        }
    }
}
