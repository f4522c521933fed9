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

/// Hashes every file under `dir` (sorted by path) into `h`.
fn hash_tree(dir: &Path, h: &mut impl std::hash::Hasher) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            hash_tree(&path, h);
        } else if let Ok(bytes) = fs::read(&path) {
            std::hash::Hash::hash(&path.to_string_lossy(), h);
            std::hash::Hash::hash(&bytes, h);
        }
    }
}

fn main() {
    // The cache trusts facts only from the same analysis code: a build id
    // from the sources, so a rebuild from changed code never reads old facts.
    println!("cargo:rerun-if-changed=src");
    let mut h = std::hash::DefaultHasher::new();
    hash_tree(Path::new("src"), &mut h);
    hash_tree(Path::new("lints"), &mut h);
    println!(
        "cargo:rustc-env=CONNLINT_BUILD_ID={:016x}",
        std::hash::Hasher::finish(&h)
    );
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo");
    let out = Path::new(&out_dir);
    embed(
        Path::new("lints/catalog"),
        "toml",
        &out.join("catalog_files.rs"),
    );
    embed(Path::new("lints"), "md", &out.join("lint_docs.rs"));
}
