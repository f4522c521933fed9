//! The unified diff of a fixed file, as `--diff` prints it.

/// `--- a/<name>` / `+++ b/<name>` and hunks with three lines of context;
/// empty when the texts are equal.
pub fn unified(name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::unified;

    #[test]
    fn hunk_with_header() {
        let d = unified("src/x.rs", "a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(
            d,
            "--- a/src/x.rs\n+++ b/src/x.rs\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
        assert!(unified("x", "same\n", "same\n").is_empty());
    }
}
