//! Embeds every `lints/catalog/*.toml` and `lints/*.md` file, so adding a
//! library to the catalog is a data change with no code to touch.

use std::fs;
use std::path::Path;

fn embed(dir: &Path, ext: &str, out: &Path) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    names.sort();
    let mut code = String::from("[\n");
    for path in names {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let abs = fs::canonicalize(&path).unwrap_or(path.clone());
        code.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            abs.display().to_string()
        ));
    }
    code.push(']');
    fs::write(out, code).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo");
    let out = Path::new(&out_dir);
    embed(
        Path::new("lints/catalog"),
        "toml",
        &out.join("catalog_files.rs"),
    );
    embed(Path::new("lints"), "md", &out.join("lint_docs.rs"));
}
