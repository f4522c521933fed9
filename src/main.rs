//! `cargo connlint`: the command line. Parses arguments, discovers the
//! workspace, runs the analysis and prints the findings.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, ValueEnum};

use connlint::catalog::Catalog;
use connlint::diagnostic::Level;
use connlint::{config, emit, lints, workspace};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Parser)]
#[command(
    name = "cargo-connlint",
    bin_name = "cargo connlint",
    version,
    about = "Finds network clients built per call and HTTP responses dropped unread",
    after_help = "Exit status: 0 no finding at a failing level, 1 findings, 2 usage, configuration or I/O error.\n\
                  Lints: client_in_loop, client_in_handler, client_per_call, unread_response_body (`cargo connlint --explain LINT`)."
)]
struct Cli {
    /// Files or directories to check (default: the current cargo workspace).
    paths: Vec<PathBuf>,
    /// Path to Cargo.toml.
    #[arg(long, value_name = "PATH")]
    manifest_path: Option<PathBuf>,
    /// Package(s) to check (globs allowed).
    #[arg(short = 'p', long = "package", value_name = "SPEC")]
    package: Vec<String>,
    /// Check all members of the workspace.
    #[arg(long, alias = "all")]
    workspace: bool,
    /// Exclude packages (with --workspace).
    #[arg(long, value_name = "SPEC")]
    exclude: Vec<String>,
    /// Check test code too (`#[test]`, `#[cfg(test)]`, tests/, benches/, test-utils/xtask/e2e crates).
    #[arg(long)]
    include_tests: bool,
    /// Output format: human, short, json (cargo messages); cargo's json-diagnostic-* variants are accepted.
    #[arg(long, value_name = "FMT", default_value = "human")]
    message_format: Vec<String>,
    /// Coloring: auto, always, never.
    #[arg(long, value_enum, value_name = "WHEN")]
    color: Option<ColorChoice>,
    /// Print the documentation of a lint and exit.
    #[arg(long, value_name = "LINT")]
    explain: Option<String>,
    /// List the lints with their default level and exit.
    #[arg(long)]
    list_lints: bool,
    /// Set lints to deny (`-D warnings` makes every warning fail).
    #[arg(short = 'D', long = "deny", value_name = "LINT")]
    deny: Vec<String>,
    /// Set lints to warn.
    #[arg(short = 'W', long = "warn", value_name = "LINT")]
    warn: Vec<String>,
    /// Set lints to allow.
    #[arg(short = 'A', long = "allow", value_name = "LINT")]
    allow: Vec<String>,
    /// Exit 0 even when there are findings (errors still exit 2).
    #[arg(long)]
    exit_zero: bool,
    /// Also report what the default level stays silent on because the code cannot
    /// show that it runs often: start-up loops, slow ticks, rare fallbacks,
    /// clients configured from the request.
    #[arg(long)]
    pedantic: bool,
    /// Do not follow calls through the workspace call graph.
    #[arg(long)]
    no_call_graph: bool,
    /// Walk every file, not only those that can matter (for debugging; same findings).
    #[arg(long, hide = true)]
    no_prefilter: bool,
    /// Do not read or write the cache of per-file facts (`target/connlint/`).
    #[arg(long)]
    no_cache: bool,
    /// Only fill the cache with the facts of shard I of N (a CI matrix job);
    /// prints no finding. A later run without it reads every shard's facts.
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// Config file (default: connlint.toml at the workspace root).
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Files nested deeper than this are refused with a diagnostic (default 2000).
    #[arg(long, value_name = "N")]
    max_nesting: Option<usize>,
    /// Files larger than this many bytes are skipped with a diagnostic (default 16 MiB).
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<u64>,
    /// Print nothing but findings.
    #[arg(long, short = 'q')]
    quiet: bool,
    // Flags users copy from cargo check commands: accepted, no effect.
    // (`--config KEY=VALUE` is accepted by `--config` above and ignored.)
    #[arg(long, hide = true)]
    all_targets: bool,
    #[arg(long, hide = true)]
    lib: bool,
    #[arg(long, hide = true)]
    bins: bool,
    #[arg(long, hide = true)]
    examples: bool,
    #[arg(long, hide = true)]
    tests: bool,
    #[arg(long, hide = true)]
    benches: bool,
    #[arg(long, hide = true)]
    all_features: bool,
    #[arg(long, hide = true)]
    no_default_features: bool,
    #[arg(long, hide = true, value_name = "FEATURES")]
    features: Vec<String>,
    #[arg(long, hide = true, value_name = "TRIPLE")]
    target: Vec<String>,
    #[arg(long, hide = true, value_name = "DIR")]
    target_dir: Option<PathBuf>,
    #[arg(long, hide = true)]
    keep_going: bool,
    #[arg(long, hide = true)]
    locked: bool,
    #[arg(long, hide = true)]
    offline: bool,
    #[arg(long, hide = true)]
    frozen: bool,
    #[arg(long = "cargo-config", hide = true, value_name = "KEY=VALUE")]
    cargo_config: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Human,
    Short,
    Json,
}

fn parse_format(values: &[String]) -> Result<Format> {
    let mut format = Format::Human;
    for v in values.iter().flat_map(|v| v.split(',')) {
        format = match v.trim() {
            "human" => Format::Human,
            "short" => Format::Short,
            "json"
            | "json-diagnostic-short"
            | "json-diagnostic-rendered-ansi"
            | "json-render-diagnostics" => Format::Json,
            other => bail!("invalid message format `{other}`: expected human, short or json"),
        };
    }
    Ok(format)
}

fn use_color(choice: Option<ColorChoice>) -> bool {
    match choice {
        Some(ColorChoice::Always) => return true,
        Some(ColorChoice::Never) => return false,
        _ => {}
    }
    match std::env::var("CARGO_TERM_COLOR").ok().as_deref() {
        Some("always") => return true,
        Some("never") => return false,
        _ => {}
    }
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return false;
    }
    if std::env::var("CLICOLOR_FORCE").is_ok_and(|v| v != "0") {
        return true;
    }
    std::io::stdout().is_terminal()
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().collect();
    // `cargo connlint ...` runs `cargo-connlint connlint ...`.
    if args.get(1).map(String::as_str) == Some("connlint") {
        args.remove(1);
    }
    // `cargo connlint explain LINT`.
    if args.get(1).map(String::as_str) == Some("explain") {
        return match args.get(2) {
            Some(lint) => explain(lint),
            None => {
                eprintln!("error: `explain` needs a lint name; see `cargo connlint --list-lints`");
                ExitCode::from(2)
            }
        };
    }
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn explain(lint: &str) -> ExitCode {
    match lints::doc(lint) {
        Some(doc) => {
            print!("{doc}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("error: unknown lint `{lint}`; see `cargo connlint --list-lints`");
            ExitCode::from(2)
        }
    }
}

fn lint_levels(cli: &Cli, config: &config::Config) -> Result<Vec<(&'static str, Level)>> {
    let mut levels: Vec<(&'static str, Level)> =
        lints::LINTS.iter().map(|l| (l.name, l.default)).collect();
    let mut set = |name: &str, level: Level, origin: &str| -> Result<()> {
        if name == "warnings" {
            if level == Level::Error {
                for l in levels.iter_mut().filter(|l| l.1 == Level::Warning) {
                    l.1 = Level::Error;
                }
            }
            return Ok(());
        }
        let Some(lint) = lints::find(name) else {
            bail!("{origin}: unknown lint `{name}`; see `cargo connlint --list-lints`");
        };
        if let Some(l) = levels.iter_mut().find(|l| l.0 == lint.name) {
            l.1 = level;
        }
        Ok(())
    };
    for (name, level) in &config.lints {
        let level = config::parse_level(level).unwrap_or(Level::Warning);
        set(name, level, "config")?;
    }
    for n in &cli.allow {
        set(n, Level::Allow, "-A")?;
    }
    for n in &cli.warn {
        set(n, Level::Warning, "-W")?;
    }
    for n in &cli.deny {
        set(n, Level::Error, "-D")?;
    }
    Ok(levels)
}

fn run(cli: Cli) -> Result<u8> {
    if let Some(lint) = &cli.explain {
        return Ok(match lints::doc(lint) {
            Some(doc) => {
                print!("{doc}");
                0
            }
            None => bail!("unknown lint `{lint}`; see `cargo connlint --list-lints`"),
        });
    }
    if cli.list_lints {
        for l in lints::LINTS {
            println!("{:<22} {:<8} {}", l.name, l.default.as_str(), l.summary);
        }
        return Ok(0);
    }
    let format = parse_format(&cli.message_format)?;
    let color = use_color(cli.color);
    let selection = workspace::Selection {
        paths: cli.paths.clone(),
        manifest_path: cli.manifest_path.clone(),
        packages: cli.package.clone(),
        workspace: cli.workspace,
        exclude: cli.exclude.clone(),
        include_tests: cli.include_tests,
    };
    let ws = workspace::discover(&selection)?;
    for f in &ws.fallbacks {
        eprintln!("warning: {f}");
    }
    // `--config KEY=VALUE` is cargo's flag (copied from cargo commands): ignore it.
    let config_path = cli
        .config
        .as_ref()
        .filter(|p| !p.to_string_lossy().contains('='));
    let loaded = config::load(&ws.root, &ws.metadata, config_path)?;
    let levels = lint_levels(&cli, &loaded.config)?;
    let mut catalog = Catalog::builtin().context("the built-in catalog is broken")?;
    if let Some(extra) = loaded.config.catalog.clone() {
        catalog.add_file(extra);
    }
    let include_tests = cli.include_tests || loaded.config.include_tests.unwrap_or(false);
    let opts = connlint::Options {
        include_tests,
        call_graph: !cli.no_call_graph,
        prefilter: !cli.no_prefilter,
        public_api: loaded.config.client_per_call.public_api.unwrap_or(true),
        error_paths: loaded.config.unread_response_body.error_paths,
        pedantic: cli.pedantic || loaded.config.pedantic.unwrap_or(false),
        threads: cli.jobs.unwrap_or(0),
        max_nesting: cli
            .max_nesting
            .or(loaded.config.max_nesting)
            .unwrap_or(connlint::nesting::DEFAULT_MAX_NESTING),
        max_file_size: cli
            .max_file_size
            .or(loaded.config.max_file_size)
            .unwrap_or(16 << 20),
        cache: (!cli.no_cache).then(|| {
            // The config's Debug text, lines sorted: its maps print in no set order.
            let text = format!("{:#?}", loaded.config);
            let mut lines: Vec<&str> = text.lines().collect();
            lines.sort_unstable();
            connlint::cache::Cache::for_workspace(&ws).with_config(&lines.join("\n"))
        }),
        shard: cli
            .shard
            .as_deref()
            .map(connlint::cache::Shard::parse)
            .transpose()
            .context("--shard")?,
    };
    if opts.shard.is_some() && opts.cache.is_none() {
        bail!("--shard fills the cache: it cannot be used with --no-cache");
    }
    let analysis = connlint::analyze(&ws, &catalog, &opts);
    if let (Some(shard), Some(cache)) = (opts.shard, &opts.cache) {
        if !cli.quiet {
            eprintln!(
                "connlint: shard {}/{}: {} files walked, {} from the cache, into {}",
                shard.index + 1,
                shard.count,
                analysis.stats.walked,
                analysis.stats.cached_facts,
                cache.dir().display()
            );
        }
        return Ok(0);
    }
    let files = &analysis.files;
    let diagnostics = connlint::finalize(&analysis, &ws, &levels, &loaded.config.exclude);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let package_of = |file: usize| {
        analysis
            .file_package
            .get(file)
            .copied()
            .flatten()
            .and_then(|p| ws.packages.get(p))
    };
    let name_of = |file: usize| files.get(file).map(|f| f.name.clone()).unwrap_or_default();
    for d in &diagnostics {
        let text = match format {
            Format::Human => emit::human(d, files, color),
            Format::Short => format!("{}\n", emit::short(d, files)),
            Format::Json => format!(
                "{}\n",
                emit::cargo_json(d, files, package_of(d.primary.file), &name_of)
            ),
        };
        out.write_all(text.as_bytes())
            .context("cannot write the output")?;
    }
    let mut errors = diagnostics
        .iter()
        .filter(|d| d.level == Level::Error && lints::find(d.lint).is_none())
        .count();
    if analysis.checked == 0 {
        // Silence is not success: a run that checked nothing says why.
        let found = analysis.file_package.iter().filter(|p| p.is_some()).count();
        let why = if found == 0 {
            let paths: Vec<String> = if cli.paths.is_empty() {
                vec![ws.root.display().to_string()]
            } else {
                cli.paths.iter().map(|p| p.display().to_string()).collect()
            };
            format!(
                "no `.rs` file was found in {} (hidden directories and `target/` are skipped)",
                paths
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            format!(
                "none of the {found} file{} found could be read and parsed (see the errors above)",
                if found == 1 { "" } else { "s" }
            )
        };
        eprintln!("error: connlint checked no file: {why}");
        errors += 1;
    }
    let failing = diagnostics
        .iter()
        .filter(|d| d.level >= Level::Warning && lints::find(d.lint).is_some())
        .count();
    if format == Format::Json {
        let finished =
            serde_json::json!({"reason": "build-finished", "success": failing == 0 && errors == 0});
        writeln!(out, "{finished}").context("cannot write the output")?;
    } else if !cli.quiet {
        let checked = analysis.checked;
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for d in diagnostics.iter().filter(|d| lints::find(d.lint).is_some()) {
            match counts.iter_mut().find(|c| c.0 == d.lint) {
                Some(c) => c.1 += 1,
                None => counts.push((d.lint, 1)),
            }
        }
        let by_lint = counts
            .iter()
            .map(|(l, n)| format!("{n} {l}"))
            .collect::<Vec<_>>()
            .join(", ");
        let summary = if failing == 0 {
            format!(
                "connlint: no findings in {checked} file{}",
                if checked == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "connlint: {failing} finding{} in {checked} file{} ({by_lint})",
                if failing == 1 { "" } else { "s" },
                if checked == 1 { "" } else { "s" }
            )
        };
        let errors_note = if errors > 0 {
            format!(
                "; {errors} file error{}",
                if errors == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        };
        eprintln!("{summary}{errors_note}");
    }
    out.flush().ok();
    if errors > 0 {
        return Ok(2);
    }
    if failing > 0 && !cli.exit_zero {
        return Ok(1);
    }
    Ok(0)
}
