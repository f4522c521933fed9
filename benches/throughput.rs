//! Throughput benchmark: connlint against a parse-only baseline (read and
//! `syn::parse_file` every `.rs` file on the same rayon pool, nothing else).
//!
//! `cargo bench` measures a generated service-like workspace (2,000 files,
//! about 5% using HTTP or database clients, some wrapper functions and
//! handlers); `cargo bench -- DIR...` measures the given directories instead
//! (for example repositories fetched whole). Each measurement is the median
//! of `CONNLINT_BENCH_RUNS` runs (default 3). Never a timed assertion.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

fn generate(dir: &Path, files: usize) -> std::io::Result<()> {
    if dir.join("Cargo.toml").is_file() {
        return Ok(());
    }
    std::fs::create_dir_all(dir.join("src/handlers"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"bench-svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nreqwest = \"0.12\"\naxum = \"0.8\"\ntokio = \"1\"\n\n[workspace]\n",
    )?;
    let mut lib = String::from("pub mod handlers;\n");
    let mut handlers = String::new();
    for i in 0..files {
        handlers.push_str(&format!("pub mod h{i};\n"));
        let body = if i % 20 == 0 {
            format!(
                "use axum::extract::Path;\n\npub fn make_client() -> reqwest::Client {{\n    reqwest::Client::builder().build().unwrap()\n}}\n\npub async fn handler_{i}(Path(id): Path<u64>) -> String {{\n    let c = make_client();\n    let resp = c.get(format!(\"http://svc/{{id}}\")).send().await.unwrap();\n    if resp.status().is_success() {{\n        return String::new();\n    }}\n    resp.text().await.unwrap()\n}}\n"
            )
        } else {
            let mut s = format!(
                "pub struct Item{i} {{\n    pub id: u64,\n    pub name: String,\n}}\n\nimpl Item{i} {{\n"
            );
            for m in 0..12 {
                s.push_str(&format!(
                    "    pub fn compute_{m}(&self, xs: &[u64]) -> u64 {{\n        let mut total = self.id;\n        for x in xs.iter().filter(|x| **x % {k} == 0) {{\n            total = total.wrapping_add(*x * {k});\n            if total > 1_000_000 {{\n                break;\n            }}\n        }}\n        match total % 3 {{\n            0 => total,\n            1 => total + self.name.len() as u64,\n            _ => xs.iter().map(|x| x ^ total).sum(),\n        }}\n    }}\n",
                    k = m + 2
                ));
            }
            s.push_str("}\n");
            s
        };
        std::fs::write(dir.join(format!("src/handlers/h{i}.rs")), body)?;
    }
    std::fs::write(dir.join("src/handlers/mod.rs"), handlers)?;
    lib.push_str("pub fn main_loop() {}\n");
    std::fs::write(dir.join("src/lib.rs"), lib)?;
    Ok(())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|k| k.parse::<f64>().ok())
            })
        })
        .map(|kib| kib / 1024.0)
        .unwrap_or(0.0)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let runs: usize = std::env::var("CONNLINT_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let dirs: Vec<PathBuf> = if args.is_empty() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-workspace");
        generate(&dir, 2000).expect("generate the bench workspace");
        vec![dir]
    } else {
        args.iter().map(PathBuf::from).collect()
    };
    let catalog = connlint::catalog::Catalog::builtin().expect("catalog");
    let threads = rayon::current_num_threads();
    println!("threads: {threads}, runs per measurement: {runs} (median)");
    println!(
        "{:<40} {:>7} {:>8} {:>10} {:>10} {:>9} {:>10} {:>7}",
        "directory", "files", "MB", "parse s", "connlint s", "files/s", "MB/s", "ratio"
    );
    for dir in dirs {
        let files = connlint::workspace::rust_files(&dir);
        let bytes: u64 = files
            .iter()
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .sum();
        let mut base = Vec::new();
        let mut full = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            let parsed: usize = files
                .par_iter()
                .map(|f| {
                    let ok = std::fs::read_to_string(f)
                        .ok()
                        .map(|t| syn::parse_file(&t).is_ok())
                        .unwrap_or(false);
                    proc_macro2::extra::invalidate_current_thread_spans();
                    usize::from(ok)
                })
                .sum();
            std::hint::black_box(parsed);
            base.push(t.elapsed().as_secs_f64());
            let t = Instant::now();
            let selection = connlint::workspace::Selection {
                paths: vec![dir.clone()],
                ..Default::default()
            };
            let findings = match connlint::workspace::discover(&selection) {
                Ok(ws) => connlint::analyze(&ws, &catalog, &connlint::Options::default())
                    .diagnostics
                    .len(),
                Err(e) => {
                    eprintln!("{}: {e:#}", dir.display());
                    0
                }
            };
            std::hint::black_box(findings);
            full.push(t.elapsed().as_secs_f64());
        }
        let (b, c) = (median(base), median(full));
        let mb = bytes as f64 / 1e6;
        println!(
            "{:<40} {:>7} {:>8.1} {:>10.3} {:>10.3} {:>9.0} {:>10.1} {:>7.2}",
            dir.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            files.len(),
            mb,
            b,
            c,
            files.len() as f64 / c,
            mb / c,
            c / b
        );
    }
    println!("peak RSS: {:.0} MiB", peak_rss_mib());
}
