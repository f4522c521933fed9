//! The per-file pipeline: source bytes in (any bytes: invalid UTF-8, BOMs,
//! deep nesting), diagnostics out, rendered in every format. It must never
//! panic, hang or overflow a stack.
#![no_main]

use std::sync::LazyLock;

use connlint::catalog::Catalog;
use libfuzzer_sys::fuzz_target;

static CATALOG: LazyLock<Catalog> =
    LazyLock::new(|| Catalog::builtin().expect("the built-in catalog"));

fuzz_target!(|data: &[u8]| {
    let opts = connlint::Options {
        threads: 1,
        ..connlint::Options::default()
    };
    let analysis = connlint::check_source("fuzz.rs", data, &CATALOG, &opts);
    for d in &analysis.diagnostics {
        if d.lint == connlint::lints::INTERNAL_ERROR {
            panic!("contained panic: {}", d.message);
        }
        let _ = connlint::emit::human(d, &analysis.files, false);
        let _ = connlint::emit::short(d, &analysis.files);
        let json = connlint::emit::cargo_json(
            d,
            &analysis.files,
            (None, None),
            &|f| {
                analysis
                    .files
                    .get(f)
                    .map(|f| f.name.clone())
                    .unwrap_or_default()
            },
            connlint::emit::Rendered::default(),
        );
        assert!(serde_json_ok(&json), "malformed JSON: {json}");
    }
});

fn serde_json_ok(s: &str) -> bool {
    s.starts_with('{') && s.ends_with('}')
}
