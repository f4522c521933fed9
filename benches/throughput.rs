//! Throughput benchmark: connlint against the parse-only floor (read and
//! `syn::parse_file` every `.rs` file of the tree, as
//! `../shared/corpus/parse-floor` does, skipping `target/` and hidden
//! directories like connlint; on a rayon pool of the same size, spans
//! invalidated after each file), with the same thread count, in one run.
//! The floor is what checking by parsing everything would cost: connlint
//! wins by not reading what cannot matter (`read` counts what it read).
//!
//! ```text
//! cargo bench --bench throughput -- [--runs N] [--threads 1,2] [--corpus DIR] [--no-generated] [DIR...]
//! ```
//!
//! - the generated service workspace at 1×, 4× and 16× (250, 1,000 and
//!   4,000 files) unless `--no-generated`;
//! - `--corpus DIR`: the pinned corpus (`../shared/corpus/fetch.sh DIR` is
//!   run when DIR holds no crate yet), every 4th crate (hard-linked into
//!   `DIR-quarter`) and the whole;
//! - any directories named.
//!
//! Each tool runs in a child process of its own (this binary again), so
//! the peak RSS is that tool's alone. A row is the median of `--runs`
//! (default 3) runs; `ratio` is connlint's wall over the floor's, from the
//! same rows. connlint runs cold (`--no-cache`); with `--warm`, the table also
//! shows a re-run after one file changed, over the cache the cold run left
//! (`warm s`: the first file connlint read; `kept s`: a file the rounds did
//! not walk, whose edit cannot change the result, so the cached result is
//! kept after parsing that file alone).
//! Never a timed assertion.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

/// The allocator of `cargo-connlint`, for connlint and the floor alike.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Files of the generated workspace at 1×.
const GENERATED_BASE: usize = 250;

fn generate(dir: &Path, files: usize) -> Result<()> {
    if dir.join("Cargo.toml").is_file() {
        return Ok(());
    }
    std::fs::create_dir_all(dir.join("src/handlers"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"bench-svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nreqwest = \"0.12\"\naxum = \"0.8\"\ntokio = \"1\"\n\n[workspace]\n",
    )?;
    let mut handlers = String::new();
    for i in 0..files {
        handlers.push_str(&format!("pub mod h{i};\n"));
        let body = if i % 20 == 0 {
            format!(
                "use axum::extract::Path;\n\npub fn make_client() -> reqwest::Client {{\n    reqwest::Client::builder().build().unwrap()\n}}\n\npub async fn handler_{i}(Path(id): Path<u64>) -> String {{\n    let c = make_client();\n    let resp = c.get(format!(\"http://svc/{{id}}\")).send().await.unwrap();\n    if resp.status().is_success() {{\n        return String::new();\n    }}\n    resp.text().await.unwrap()\n}}\n"
            )
        } else {
            let mut s = format!(
                "//! Items of the http service (docs name reqwest, hyper and redis).\n\npub struct Item{i} {{\n    pub id: u64,\n    pub name: String,\n}}\n\nimpl Item{i} {{\n"
            );
            for m in 0..12 {
                s.push_str(&format!(
                    "    /// See <https://example.com/client/{m}>.\n    pub fn compute_{m}(&self, xs: &[u64]) -> u64 {{\n        let mut total = self.id;\n        for x in xs.iter().filter(|x| **x % {k} == 0) {{\n            total = total.wrapping_add(*x * {k});\n            if total > 1_000_000 {{\n                break;\n            }}\n        }}\n        match total % 3 {{\n            0 => total,\n            1 => total + self.name.len() as u64,\n            _ => xs.iter().map(|x| x ^ total).sum(),\n        }}\n    }}\n",
                    k = m + 2
                ));
            }
            s.push_str("}\n");
            s
        };
        std::fs::write(dir.join(format!("src/handlers/h{i}.rs")), body)?;
    }
    std::fs::write(dir.join("src/handlers/mod.rs"), handlers)?;
    std::fs::write(
        dir.join("src/lib.rs"),
        "pub mod handlers;\npub fn main_loop() {}\n",
    )?;
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

/// One child run: wall seconds, peak RSS in MiB, files, bytes.
#[derive(Debug, Clone, Copy)]
struct Run {
    wall: f64,
    rss: f64,
    files: usize,
    bytes: u64,
    /// Batches whose result an edit could not change (early cutoff).
    kept: usize,
}

fn print_run(run: Run) {
    println!(
        "RESULT {} {} {} {} {}",
        run.wall, run.rss, run.files, run.bytes, run.kept
    );
}

/// Child: connlint on `dir`; writes the files it read to `list`.
fn child_connlint(dir: &Path, threads: usize, list: &Path, cache: bool) -> Result<()> {
    let catalog = connlint::catalog::Catalog::builtin()?;
    let t = Instant::now();
    // As the command line does: with the cache, `cargo metadata`'s answer is kept too.
    let selection = connlint::workspace::Selection {
        paths: vec![dir.to_path_buf()],
        cache,
        ..Default::default()
    };
    let ws = connlint::workspace::discover(&selection)?;
    let opts = connlint::Options {
        threads,
        cache: cache.then(|| connlint::cache::Cache::for_workspace(&ws)),
        ..Default::default()
    };
    let analysis = connlint::analyze(&ws, &catalog, &opts);
    std::hint::black_box(analysis.diagnostics.len());
    let wall = t.elapsed().as_secs_f64();
    let read: Vec<&connlint::source::SourceFile> = analysis
        .files
        .iter()
        .zip(&analysis.file_package)
        .filter(|(_, p)| p.is_some())
        .map(|(f, _)| f)
        .collect();
    let text: String = read
        .iter()
        .map(|f| format!("{}\n", f.path.display()))
        .collect();
    std::fs::write(list, text).with_context(|| format!("write {}", list.display()))?;
    print_run(Run {
        wall,
        rss: peak_rss_mib(),
        files: read.len(),
        bytes: read.iter().map(|f| f.size as u64).sum(),
        kept: analysis.stats.cutoff_batches,
    });
    Ok(())
}

/// Child: the parse-only floor over the files in `list`.
fn child_floor(list: &Path, threads: usize) -> Result<()> {
    let files: Vec<PathBuf> = std::fs::read_to_string(list)
        .with_context(|| format!("read {}", list.display()))?
        .lines()
        .map(PathBuf::from)
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(64 << 20)
        .build()?;
    let t = Instant::now();
    let bytes: u64 = pool.install(|| {
        files
            .par_iter()
            .map(|f| {
                let text = std::fs::read_to_string(f).unwrap_or_default();
                std::hint::black_box(syn::parse_file(&text).is_ok());
                proc_macro2::extra::invalidate_current_thread_spans();
                text.len() as u64
            })
            .sum()
    });
    print_run(Run {
        wall: t.elapsed().as_secs_f64(),
        rss: peak_rss_mib(),
        files: files.len(),
        bytes,
        kept: 0,
    });
    Ok(())
}

fn run_child(args: &[String]) -> Result<Run> {
    let exe = std::env::current_exe()?;
    let out = Command::new(&exe)
        .args(args)
        .output()
        .with_context(|| format!("run {}", exe.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let Some(line) = stdout.lines().find_map(|l| l.strip_prefix("RESULT ")) else {
        bail!(
            "child {args:?} printed no result: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let v: Vec<&str> = line.split_whitespace().collect();
    let field = |i: usize| v.get(i).copied().unwrap_or_default();
    Ok(Run {
        wall: field(0).parse()?,
        rss: field(1).parse()?,
        files: field(2).parse()?,
        bytes: field(3).parse()?,
        kept: field(4).parse()?,
    })
}

/// Every 4th crate of the corpus, hard-linked (copied when links fail).
fn quarter(corpus: &Path) -> Result<PathBuf> {
    let name = corpus
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "corpus".to_string());
    let out = corpus.with_file_name(format!("{name}-quarter"));
    if out.is_dir() {
        return Ok(out);
    }
    let mut crates: Vec<PathBuf> = std::fs::read_dir(corpus)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    crates.sort();
    let partial = corpus.with_file_name(format!("{name}-quarter.partial"));
    let _ = std::fs::remove_dir_all(&partial);
    for c in crates.iter().step_by(4) {
        for entry in walkdir::WalkDir::new(c) {
            let entry = entry?;
            let rel = entry.path().strip_prefix(corpus)?;
            let to = partial.join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to)?;
            } else if entry.file_type().is_file() && std::fs::hard_link(entry.path(), &to).is_err()
            {
                std::fs::copy(entry.path(), &to)?;
            }
        }
    }
    std::fs::rename(&partial, &out)?;
    Ok(out)
}

fn fetch_corpus(dir: &Path) -> Result<()> {
    let has_crates = std::fs::read_dir(dir)
        .map(|mut d| d.any(|e| e.is_ok_and(|e| e.path().join("Cargo.toml").is_file())))
        .unwrap_or(false);
    if has_crates {
        return Ok(());
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/fetch.sh");
    let script = std::env::var_os("CONNLINT_CORPUS_FETCH").map_or(script, PathBuf::from);
    eprintln!("fetching the corpus with {}", script.display());
    let status = Command::new(&script).arg(dir).status()?;
    if !status.success() {
        bail!("{} {} failed: {status}", script.display(), dir.display());
    }
    Ok(())
}

/// A file connlint read (the `nth` of the list), changed for warm runs and
/// put back on drop.
struct Touched {
    path: PathBuf,
    original: Vec<u8>,
}

impl Touched {
    fn new(list: &Path, nth: usize) -> Result<Touched> {
        let path = std::fs::read_to_string(list)?
            .lines()
            .nth(nth)
            .map(PathBuf::from)
            .context("no file to touch")?;
        let original = std::fs::read(&path)?;
        Ok(Touched { path, original })
    }

    /// A new text for the file: a comment appended, different each time.
    fn change(&self, n: usize) -> Result<()> {
        let mut text = self.original.clone();
        text.extend_from_slice(format!("\n// touched by the benchmark ({n})\n").as_bytes());
        std::fs::write(&self.path, text)?;
        Ok(())
    }
}

impl Drop for Touched {
    fn drop(&mut self) {
        if let Err(e) = std::fs::write(&self.path, &self.original) {
            eprintln!("cannot restore {}: {e}", self.path.display());
        }
    }
}

/// Stamps have a resolution of a second: a file changed within one is read
/// again by the next run, and a batch with one is not kept.
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(1100));
}

struct Bench {
    runs: usize,
    threads: Vec<usize>,
    warm: bool,
}

impl Bench {
    /// Warm runs after an edit that cannot change the result (a comment
    /// added to a file the rounds did not walk: early cutoff), on the first
    /// of the files read (after the first) whose edit is one; `None` when
    /// none of the first 40 is.
    fn kept_runs(&self, cached: &[String], list: &Path) -> Result<Option<Vec<f64>>> {
        settle();
        run_child(cached)?;
        for nth in 1..=40 {
            let Ok(touched) = Touched::new(list, nth) else {
                return Ok(None);
            };
            touched.change(0)?;
            if run_child(cached)?.kept == 0 {
                drop(touched);
                settle();
                run_child(cached)?;
                continue;
            }
            let mut w = Vec::new();
            for n in 1..=self.runs {
                touched.change(n)?;
                let run = run_child(cached)?;
                if run.kept > 0 {
                    w.push(run.wall);
                }
            }
            return Ok((!w.is_empty()).then_some(w));
        }
        Ok(None)
    }

    fn measure(&self, label: &str, dir: &Path) -> Result<()> {
        let list = std::env::temp_dir().join(format!("connlint-bench-{}.list", std::process::id()));
        let tree = std::env::temp_dir().join(format!("connlint-bench-{}.tree", std::process::id()));
        let every: String = connlint::workspace::rust_files(dir)
            .iter()
            .map(|f| format!("{}\n", f.display()))
            .collect();
        std::fs::write(&tree, every).with_context(|| format!("write {}", tree.display()))?;
        let dir_s = dir.display().to_string();
        let list_s = list.display().to_string();
        let tree_s = tree.display().to_string();
        for &threads in &self.threads {
            let j = threads.to_string();
            let cold = ["--child-connlint", &dir_s, &j, &list_s, "cold"].map(String::from);
            // A first run warms the page cache and lists the files.
            run_child(&cold)?;
            let mut floor = Vec::new();
            let mut full = Vec::new();
            for _ in 0..self.runs {
                floor.push(run_child(
                    &["--child-floor", &tree_s, &j].map(String::from),
                )?);
                full.push(run_child(&cold)?);
            }
            let (files, read) = (floor[0].files, full[0].files);
            let mb = floor[0].bytes as f64 / 1e6;
            let f = median(floor.iter().map(|r| r.wall).collect());
            let c = median(full.iter().map(|r| r.wall).collect());
            let warm = if self.warm {
                // A cold run with the cache fills it; each warm run then
                // sees one file changed since the run before.
                let cached = ["--child-connlint", &dir_s, &j, &list_s, "cache"].map(String::from);
                let _ = std::fs::remove_dir_all(cache_dir(dir)?);
                run_child(&cached)?;
                let touched = Touched::new(&list, 0)?;
                let mut w = Vec::new();
                for n in 0..self.runs {
                    touched.change(n)?;
                    w.push(run_child(&cached)?.wall);
                }
                drop(touched);
                let kept = self.kept_runs(&cached, &list)?;
                let kept = match kept {
                    Some(k) => format!("{:>9.3} {:>6.3}", median(k.clone()), median(k) / c),
                    None => format!("{:>9} {:>6}", "-", "-"),
                };
                format!("{:>9.3} {:>6.3} {kept}", median(w.clone()), median(w) / c)
            } else {
                format!("{:>9} {:>6} {:>9} {:>6}", "-", "-", "-", "-")
            };
            println!(
                "{label:<28} {files:>7} {read:>7} {mb:>7.1} {threads:>3} {f:>8.3} {c:>9.3} {:>7.1} {:>8.0} {:>8.0} {:>6.2} {warm}",
                mb / c,
                median(floor.iter().map(|r| r.rss).collect()),
                median(full.iter().map(|r| r.rss).collect()),
                c / f,
            );
        }
        let _ = std::fs::remove_file(&list);
        let _ = std::fs::remove_file(&tree);
        Ok(())
    }
}

fn cache_dir(dir: &Path) -> Result<PathBuf> {
    let selection = connlint::workspace::Selection {
        paths: vec![dir.to_path_buf()],
        ..Default::default()
    };
    let ws = connlint::workspace::discover(&selection)?;
    Ok(connlint::cache::Cache::for_workspace(&ws)
        .dir()
        .to_path_buf())
}

fn main() -> Result<()> {
    // As the command line runs (both children: the same allocator setup).
    connlint::no_huge_pages();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
    match arg(0).as_str() {
        "--child-connlint" => {
            return child_connlint(
                Path::new(&arg(1)),
                arg(2).parse()?,
                Path::new(&arg(3)),
                arg(4) == "cache",
            );
        }
        "--child-floor" => return child_floor(Path::new(&arg(1)), arg(2).parse()?),
        _ => {}
    }
    let mut bench = Bench {
        runs: 3,
        threads: vec![2],
        warm: false,
    };
    let mut generated = true;
    let mut targets: Vec<(String, PathBuf)> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--bench" => {}
            "--runs" => bench.runs = it.next().context("--runs N")?.parse()?,
            "--threads" => {
                bench.threads = it
                    .next()
                    .context("--threads N[,N..]")?
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()?;
            }
            "--warm" => bench.warm = true,
            "--no-generated" => generated = false,
            "--corpus" => {
                let dir = PathBuf::from(it.next().context("--corpus DIR")?);
                std::fs::create_dir_all(&dir)?;
                fetch_corpus(&dir)?;
                let dir = dir.canonicalize()?;
                targets.push(("corpus quarter".to_string(), quarter(&dir)?));
                targets.push(("corpus".to_string(), dir));
            }
            other if other.starts_with("--") => bail!("unknown option {other}"),
            dir => {
                let path = PathBuf::from(dir).canonicalize()?;
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                targets.push((name.unwrap_or_else(|| dir.to_string()), path));
            }
        }
    }
    if generated {
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
        for scale in [16, 4, 1] {
            let files = GENERATED_BASE * scale;
            let dir = base.join(format!("generated-{files}"));
            generate(&dir, files)?;
            targets.insert(0, (format!("generated {scale}x"), dir));
        }
    }
    println!(
        "median of {} runs; floor = read + syn::parse_file of every .rs file of the tree on as many threads; read = files connlint read",
        bench.runs
    );
    println!(
        "{:<28} {:>7} {:>7} {:>7} {:>3} {:>8} {:>9} {:>7} {:>8} {:>8} {:>6} {:>9} {:>6} {:>9} {:>6}",
        "tree",
        "files",
        "read",
        "MB",
        "thr",
        "floor s",
        "connlint",
        "MB/s",
        "floorMiB",
        "connMiB",
        "ratio",
        "warm s",
        "w/cold",
        "kept s",
        "k/cold"
    );
    for (label, dir) in &targets {
        if let Err(e) = bench.measure(label, dir) {
            eprintln!("{label}: {e:#}");
        }
    }
    Ok(())
}
