//! Config parsing: any `connlint.toml` text, including catalog entries that
//! are added to the built-in catalog, must give a config or an error, never a
//! panic.
#![no_main]

use connlint::catalog::Catalog;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = connlint::config::parse(text, "fuzz.toml").map(|config| {
        if let Some(extra) = config.catalog {
            if let Ok(mut catalog) = Catalog::builtin() {
                catalog.add_file(extra);
            }
        }
    });
});
