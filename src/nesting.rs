//! A cheap byte pass that bounds how deep a file's syntax tree can be, run
//! before parsing so that a file too deep for the stacks is refused with a
//! diagnostic instead of overflowing a stack (which aborts the whole run).
//!
//! `syn` parses, the walkers visit and `Drop` frees a syntax tree recursively,
//! one or more stack frames per level. Levels come from delimiters (`(`, `[`,
//! `{`), generic arguments (`Vec<Vec<..>>`), and from constructs that nest
//! without any delimiter: prefix operators (`&&&x`, `!!x`, `- -x`), closures
//! (`|| || x`), `else if` chains, postfix chains (`x.a().b()?`, `f()()`), and
//! binary operators (`a + b + c` is a left-nested tree). The measure counts
//! each of those once per level: a delimiter opens a level, and inside a level
//! every operator-like token adds one until a separator (`;`, `,`, `=>`, or a
//! new item or statement after a `}`) ends the expression. The result is an
//! upper bound of the tree depth for the constructs above (up to a small
//! constant factor), and ordinary code measures well under 100.
//!
//! Invariant: linear in the input, no allocation per token.

/// The deepest point of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Depth {
    /// Estimated nesting depth at the deepest point.
    pub depth: usize,
    /// Byte offset of the token where the deepest point was reached.
    pub offset: usize,
}

/// Default limit: far deeper than written code (rustc's own recursion limit
/// for macros is 128), shallow enough that every pass fits in its stack.
pub const DEFAULT_MAX_NESTING: usize = 2_000;

/// Stack for threads that parse and walk files nested up to `max_nesting`
/// levels: a base plus a per-level allowance measured on the deepest
/// constructs (unoptimized builds use the largest frames; see
/// `tests/robustness.rs::nesting_limit_and_stacks_fit`).
pub fn stack_size_for(max_nesting: usize) -> usize {
    const BASE: usize = 16 << 20;
    const PER_LEVEL: usize = 96 << 10;
    BASE.saturating_add(max_nesting.saturating_mul(PER_LEVEL))
}

#[derive(Clone, Copy)]
struct Level {
    /// Operator-like tokens since the last separator at this level.
    run: usize,
    /// A `<` opened it (generic arguments), not a delimiter.
    angle: bool,
}

/// Measures the nesting depth of Rust source text (see the module docs).
/// Tolerates any input: unbalanced delimiters and unterminated literals end
/// the pass without error.
pub fn measure(text: &str) -> Depth {
    let b = text.as_bytes();
    let n = b.len();
    // Levels are kept as a stack; the total depth is the number of open
    // levels plus the runs of all of them.
    let mut stack: Vec<Level> = vec![Level {
        run: 0,
        angle: false,
    }];
    let mut runs = 0usize;
    let mut best = Depth::default();
    // Whether the previous token ends an operand (so `|` is an operator and
    // `(`/`[` continues a postfix chain) or not (so `|` opens closure params).
    let mut after_operand = false;
    // The previous token closed a `{..}` block: a following item or statement
    // keyword starts a new expression at this level.
    let mut after_block = false;
    // Inside closure parameters `|a, b|`: commas there do not end the run.
    let mut closure_params = false;
    let mut prev_ident_end = usize::MAX;
    let mut i = 0;

    macro_rules! bump {
        ($at:expr) => {{
            if let Some(top) = stack.last_mut() {
                top.run += 1;
            }
            runs += 1;
            let depth = stack.len() + runs;
            if depth > best.depth {
                best = Depth { depth, offset: $at };
            }
        }};
    }
    macro_rules! reset {
        () => {{
            if let Some(top) = stack.last_mut() {
                runs -= top.run;
                top.run = 0;
            }
        }};
    }
    macro_rules! push {
        ($angle:expr, $at:expr) => {{
            stack.push(Level {
                run: 0,
                angle: $angle,
            });
            let depth = stack.len() + runs;
            if depth > best.depth {
                best = Depth { depth, offset: $at };
            }
        }};
    }
    macro_rules! pop {
        () => {{
            if stack.len() > 1 {
                if let Some(top) = stack.pop() {
                    runs -= top.run;
                }
            }
        }};
    }
    // Pops pseudo-levels opened by `<` (never closed by a comparison).
    macro_rules! pop_angles {
        () => {{
            while stack.len() > 1 && stack.last().is_some_and(|l| l.angle) {
                pop!();
            }
        }};
    }

    while i < n {
        let c = b[i];
        // Trivia.
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'/' && i + 1 < n && b[i + 1] == b'/' {
            while i < n && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'/' && i + 1 < n && b[i + 1] == b'*' {
            let mut depth = 1usize;
            i += 2;
            while i < n && depth > 0 {
                if b[i] == b'/' && i + 1 < n && b[i + 1] == b'*' {
                    depth += 1;
                    i += 2;
                } else if b[i] == b'*' && i + 1 < n && b[i + 1] == b'/' {
                    depth -= 1;
                    i += 2;
                } else {
                    i += 1;
                }
            }
            continue;
        }
        let start = i;
        let was_after_block = std::mem::replace(&mut after_block, false);
        // Words: identifiers, keywords, and literal prefixes.
        if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 {
            // Raw strings and byte/C strings: r"..", r#".."#, b"..", br"..", c"..", cr"..".
            let mut j = i;
            if matches!(c, b'b' | b'c') && j + 1 < n && matches!(b[j + 1], b'r' | b'"' | b'\'') {
                j += 1;
            }
            if b[j] == b'r' && j + 1 < n && matches!(b[j + 1], b'"' | b'#') {
                let mut k = j + 1;
                let mut hashes = 0;
                while k < n && b[k] == b'#' {
                    hashes += 1;
                    k += 1;
                }
                if k < n && b[k] == b'"' {
                    // Find `"` followed by `hashes` hashes.
                    k += 1;
                    'raw: while k < n {
                        if b[k] == b'"' {
                            let mut h = 0;
                            while h < hashes && k + 1 + h < n && b[k + 1 + h] == b'#' {
                                h += 1;
                            }
                            if h == hashes {
                                k += 1 + hashes;
                                break 'raw;
                            }
                        }
                        k += 1;
                    }
                    i = k;
                    after_operand = true;
                    continue;
                }
            }
            if j != i && j < n && matches!(b[j], b'"' | b'\'') {
                // b"..", c"..", b'x': the quote is handled below as a literal.
                i = j;
            } else {
                let mut k = i;
                while k < n && (b[k] == b'_' || b[k].is_ascii_alphanumeric() || b[k] >= 0x80) {
                    k += 1;
                }
                let word = &b[i..k];
                i = k;
                if was_after_block && !matches!(word, b"else" | b"as") {
                    reset!();
                }
                match word {
                    b"if" | b"return" | b"break" | b"yield" | b"move" | b"as" | b"match"
                    | b"while" | b"loop" | b"unsafe" | b"async" | b"dyn" | b"impl" => {
                        bump!(start);
                        after_operand = false;
                    }
                    b"else" | b"in" | b"let" | b"mut" | b"ref" | b"where" | b"for" => {
                        after_operand = false;
                    }
                    _ => after_operand = true,
                }
                prev_ident_end = i;
                continue;
            }
        }
        let c = b[i];
        match c {
            b'"' => {
                i += 1;
                while i < n && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                after_operand = true;
                if was_after_block {
                    reset!();
                }
                continue;
            }
            b'\'' => {
                // A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
                if i + 1 < n && b[i + 1] == b'\\' {
                    i += 2;
                    while i < n && b[i] != b'\'' && b[i] != b'\n' {
                        i += 1;
                    }
                    i += 1;
                } else {
                    let ch_len = text
                        .get(i + 1..)
                        .and_then(|s| s.chars().next())
                        .map_or(1, char::len_utf8);
                    if i + 1 + ch_len < n && b[i + 1 + ch_len] == b'\'' {
                        i += 2 + ch_len;
                    } else {
                        i += 1;
                        while i < n
                            && (b[i] == b'_' || b[i].is_ascii_alphanumeric() || b[i] >= 0x80)
                        {
                            i += 1;
                        }
                    }
                }
                after_operand = true;
                continue;
            }
            b'0'..=b'9' => {
                while i < n && (b[i] == b'_' || b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                    // `1..2`: a range, not a float.
                    if b[i] == b'.' && i + 1 < n && b[i + 1] == b'.' {
                        break;
                    }
                    // `x.0.1` and `1.foo()`: stop at a dot followed by a letter.
                    if b[i] == b'.' && i + 1 < n && !b[i + 1].is_ascii_digit() {
                        break;
                    }
                    i += 1;
                }
                if was_after_block {
                    reset!();
                }
                after_operand = true;
                continue;
            }
            b'(' | b'[' | b'{' => {
                // `f()()` and `a[0][1]`: a postfix chain nests one level per link.
                if after_operand && c != b'{' && prev_ident_end != i {
                    bump!(i);
                }
                push!(false, i);
                closure_params = false;
                after_operand = false;
                i += 1;
                continue;
            }
            b')' | b']' | b'}' => {
                pop_angles!();
                pop!();
                closure_params = false;
                after_operand = true;
                after_block = c == b'}';
                i += 1;
                continue;
            }
            b';' => {
                pop_angles!();
                reset!();
                after_operand = false;
                closure_params = false;
                i += 1;
                continue;
            }
            b',' => {
                if !closure_params {
                    // Generic arguments keep their level; an expression ends.
                    reset!();
                }
                after_operand = false;
                i += 1;
                continue;
            }
            b'#' => {
                if was_after_block {
                    reset!();
                }
                after_operand = false;
                i += 1;
                continue;
            }
            _ => {}
        }
        // Punctuation: take the longest operator.
        let two = if i + 1 < n {
            &b[i..i + 2]
        } else {
            &b[i..i + 1]
        };
        let three = if i + 2 < n { &b[i..i + 3] } else { two };
        let (len, kind) = match three {
            b"..=" | b"<<=" | b">>=" | b"..." => (3, Tok::Op),
            _ => match two {
                b"::" => (2, Tok::Path),
                // `fn() -> fn() -> ..`: a return type nests one level.
                b"->" => (2, Tok::Op),
                b"=>" => (2, Tok::Arrow),
                b"||" => (2, Tok::Pipe2),
                b"&&" | b"==" | b"!=" | b"<=" | b">=" | b"<<" | b"+=" | b"-=" | b"*=" | b"/="
                | b"%=" | b"^=" | b"&=" | b"|=" | b".." => (2, Tok::Op),
                b">>" => (2, Tok::Close2),
                _ => match c {
                    b'<' => (1, Tok::Less),
                    b'>' => (1, Tok::Close1),
                    b'|' => (1, Tok::Pipe),
                    b'.' | b'?' => (1, Tok::Postfix),
                    b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'&' | b'!' | b'=' | b'@' => {
                        (1, Tok::Op)
                    }
                    _ => (1, Tok::Neutral),
                },
            },
        };
        match kind {
            Tok::Op => {
                bump!(i);
                after_operand = false;
            }
            Tok::Postfix => {
                bump!(i);
                after_operand = c == b'?';
            }
            Tok::Path => after_operand = false,
            Tok::Neutral => after_operand = false,
            Tok::Arrow => {
                pop_angles!();
                reset!();
                after_operand = false;
            }
            Tok::Less => {
                // `Vec<`, `::<`, `<<T as X>`: generic arguments open a level;
                // `a < b` (spaced) is a comparison, one more operator.
                let glued = i > 0 && (b[i - 1] == b':' || prev_ident_end == i || b[i - 1] == b'<');
                if glued {
                    bump!(i);
                    push!(true, i);
                } else {
                    bump!(i);
                }
                after_operand = false;
            }
            Tok::Close1 | Tok::Close2 => {
                let count = if kind == Tok::Close2 { 2 } else { 1 };
                for _ in 0..count {
                    if stack.len() > 1 && stack.last().is_some_and(|l| l.angle) {
                        pop!();
                    }
                }
                after_operand = true;
            }
            Tok::Pipe | Tok::Pipe2 => {
                bump!(i);
                if !after_operand && kind == Tok::Pipe {
                    // Closure parameters up to the next `|`.
                    closure_params = !closure_params;
                } else if closure_params && kind == Tok::Pipe {
                    closure_params = false;
                }
                after_operand = false;
            }
        }
        i += len;
    }
    best
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tok {
    Op,
    Postfix,
    Path,
    Neutral,
    Arrow,
    Less,
    Close1,
    Close2,
    Pipe,
    Pipe2,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(s: &str) -> usize {
        measure(s).depth
    }

    #[test]
    fn ordinary_code_is_shallow() {
        let code = "use std::collections::HashMap;\n\
            pub fn f(xs: &[u64], m: &HashMap<String, Vec<u8>>) -> Option<u64> {\n\
                let mut total = 0;\n\
                for x in xs.iter().filter(|x| **x % 3 == 0) { total += *x; }\n\
                match total { 0 => None, n if n > 10 && n < 20 => Some(n), _ => Some(total + 1) }\n\
            }\n";
        assert!(depth(code) < 20, "{}", depth(code));
        // Items one after the other do not add up.
        let many: String = (0..10_000)
            .map(|i| format!("impl A<B> for C{i} {{}}\nfn f{i}() -> Vec<u8> {{ g(1, 2).h()? }}\n"))
            .collect();
        assert!(depth(&many) < 20, "{}", depth(&many));
        let table: String = format!("const T: &[&[u8]] = &[{}];", "&[1, 2], ".repeat(100_000));
        assert!(depth(&table) < 20, "{}", depth(&table));
    }

    #[test]
    fn every_deep_construct_counts() {
        let n = 1000;
        let cases = [
            format!("type T = {}u8{};", "Vec<".repeat(n), ">".repeat(n)),
            format!(
                "fn f() {{ if a {{}} {} }}",
                "else { if a {} ".repeat(n) + &"}".repeat(n)
            ),
            format!("fn f() {{ if a {{}} {} }}", "else if a {} ".repeat(n)),
            format!("fn f() {}{}", "{".repeat(n), "}".repeat(n)),
            format!("fn f() {{ let c = {}1; }}", "|| ".repeat(n)),
            format!("fn f() {{ let c = {}1; }}", "|a, b| ".repeat(n)),
            format!("fn f() {{ let x = {}1{}; }}", "(".repeat(n), ")".repeat(n)),
            format!("type T = {}u8;", "&&".repeat(n)),
            format!("fn f() {{ let x = {}1{}; }}", "[".repeat(n), "]".repeat(n)),
            format!("{}{}", "mod m {".repeat(n), "}".repeat(n)),
            format!("fn f() {{ x{}; }}", ".a()".repeat(n)),
            format!("fn f() {{ x{}; }}", "[0]".repeat(n)),
            format!("fn f() {{ 1{}; }}", " + 1".repeat(n)),
            format!("fn f() {{ {}x; }}", "!".repeat(n)),
            format!("type T = {};", "HashMap<u8, ".repeat(n) + &">".repeat(n)),
            format!("type T = {}u8;", "fn() -> ".repeat(n)),
            format!("type T = {}u8;", "*const ".repeat(n)),
            format!("fn f() {{ let {}x{} = 1; }}", "(".repeat(n), ")".repeat(n)),
        ];
        for c in &cases {
            let d = depth(c);
            assert!(d >= n, "{d} for {}", &c[..60.min(c.len())]);
        }
    }

    #[test]
    fn literals_and_comments_do_not_count() {
        let s = format!(
            "// {}\n/* {} /* nested */ */\nconst A: &str = \"{}\";\nconst B: &str = r#\"{}\"#;\nconst C: char = '(';\nfn f<'a>(x: &'a u8) {{}}\n",
            "(".repeat(5000),
            "{".repeat(5000),
            "[\\\"".repeat(5000),
            "(\"".repeat(5000)
        );
        assert!(depth(&s) < 20, "{}", depth(&s));
    }

    #[test]
    fn garbage_never_panics() {
        for s in [
            "", "'", "\"", "r#\"", "b'", "/*", ")))", ">>>", "|||", "'\\", "é'", "'é",
        ] {
            measure(s);
        }
    }
}
