//! `cargo connlint`: the command line. Parses arguments, discovers the
//! workspace, runs the analysis and prints the findings.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, ValueEnum};

use connlint::diagnostic::Level;
use connlint::outputs::{self, Format};
use connlint::wrapper::{self, Wrapped};
use connlint::{Analysis, baseline, emit, fix, lints, session, terminal, workspace};

/// See `Cargo.toml`: syntax trees are many small allocations.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    after_help = "Exit status: 0 no finding at a failing level, 1 findings (--diff: a diff), 2 usage, configuration or I/O error,\n\
                  101 the command of --with failed.\n\
                  Lints: client_in_loop, client_in_handler, client_per_call, unread_response_body, unused_suppression,\n\
                  invalid_suppression (`cargo connlint --explain LINT`).\n\
                  Suppress a finding with `// connlint: allow(LINT) reason` on or above its line, or above its item.\n\
                  Language server: `cargo connlint server` (LSP on stdin/stdout; same flags)."
)]
struct Cli {
    /// Files or directories to check (default: the current cargo workspace).
    paths: Vec<PathBuf>,
    /// With --with: arguments after `--` go to the wrapped command (`-- -D warnings`).
    #[arg(last = true, value_name = "ARGS")]
    wrapped_args: Vec<String>,
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
    /// Output format on stdout: human, short, json (cargo messages; cargo's json-diagnostic-* variants are accepted), sarif or github (workflow annotations).
    #[arg(long, value_name = "FMT", default_value = "human")]
    message_format: Vec<String>,
    /// Also write FORMAT (as in --message-format) to PATH; repeatable.
    #[arg(long, value_name = "FORMAT=PATH")]
    output: Vec<String>,
    /// Report only findings not recorded in this baseline file; its entries that match nothing are reported as gone.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (and report none of them).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Print the number of findings per lint and per crate instead of the findings.
    #[arg(long)]
    statistics: bool,
    /// Run `cargo clippy` or `cargo check` with JSON output first and forward its messages (with --message-format json; not with --fix or --diff).
    #[arg(long, value_enum, value_name = "CMD")]
    with: Option<Wrapped>,
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
    /// Also say where the config came from and which files were not reported, and why.
    #[arg(long, short = 'v', action = clap::ArgAction::Count)]
    verbose: u8,
    /// Report a suppression comment without a reason (config `require_reasons`).
    #[arg(long)]
    require_reasons: bool,
    /// Apply the machine-applicable fixes, check again, and report what remains.
    #[arg(long)]
    fix: bool,
    /// With `--fix` or `--diff`, also apply the fixes that may change behavior (MaybeIncorrect).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the unified diff of what `--fix` would change and write nothing (exit 1 when there is a diff; stdout holds only the diff, so no machine format, --output, --write-baseline or --statistics).
    #[arg(long)]
    diff: bool,
    /// Add a `// connlint: allow(LINT) TODO: say why` comment above each finding, so that a rerun reports nothing.
    #[arg(long)]
    add_suppressions: bool,
    /// Let `--fix` or `--add-suppressions` write into a work tree with uncommitted (or staged) changes.
    #[arg(long)]
    allow_dirty: bool,
    /// Let `--fix` or `--add-suppressions` write into a work tree with staged changes.
    #[arg(long)]
    allow_staged: bool,
    /// Let `--fix` or `--add-suppressions` write into a directory that is not under version control.
    #[arg(long)]
    allow_no_vcs: bool,
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
    #[arg(long, short = 'F', hide = true, value_name = "FEATURES")]
    features: Vec<String>,
    #[arg(long, hide = true)]
    release: bool,
    #[arg(long, hide = true, value_name = "NAME")]
    profile: Vec<String>,
    #[arg(long, hide = true)]
    ignore_rust_version: bool,
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

fn main() -> ExitCode {
    connlint::no_huge_pages();
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
    // `cargo connlint server`: the language server on stdio.
    let server = args.get(1).map(String::as_str) == Some("server");
    if server {
        args.remove(1);
    }
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if server {
        let mut engine = connlint::server::engine::FullRun {
            overrides: overrides(&cli),
        };
        return match connlint::server::run_stdio(&mut engine) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(2)
            }
        };
    }
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

/// The command line's part of the settings: `-A`, then `-W`, then `-D`.
fn overrides(cli: &Cli) -> session::Overrides {
    let levels = [
        (&cli.allow, Level::Allow, "-A"),
        (&cli.warn, Level::Warning, "-W"),
        (&cli.deny, Level::Error, "-D"),
    ]
    .into_iter()
    .flat_map(|(names, level, flag)| names.iter().map(move |n| (n.clone(), level, flag)))
    .collect();
    session::Overrides {
        config: cli.config.clone(),
        include_tests: cli.include_tests,
        pedantic: cli.pedantic,
        require_reasons: cli.require_reasons,
        no_call_graph: cli.no_call_graph,
        no_prefilter: cli.no_prefilter,
        jobs: cli.jobs,
        max_nesting: cli.max_nesting,
        max_file_size: cli.max_file_size,
        no_cache: cli.no_cache,
        levels,
    }
}

/// The flags of a cargo check command that `--with` passes on to cargo.
fn cargo_args(cli: &Cli) -> Vec<String> {
    let mut args = Vec::new();
    let mut flag = |on: bool, name: &str| {
        if on {
            args.push(name.to_string());
        }
    };
    flag(cli.workspace, "--workspace");
    flag(cli.all_targets, "--all-targets");
    flag(cli.lib, "--lib");
    flag(cli.bins, "--bins");
    flag(cli.examples, "--examples");
    flag(cli.tests, "--tests");
    flag(cli.benches, "--benches");
    flag(cli.all_features, "--all-features");
    flag(cli.no_default_features, "--no-default-features");
    flag(cli.keep_going, "--keep-going");
    flag(cli.locked, "--locked");
    flag(cli.offline, "--offline");
    flag(cli.frozen, "--frozen");
    flag(cli.release, "--release");
    flag(cli.ignore_rust_version, "--ignore-rust-version");
    let valued = [
        ("--package", &cli.package),
        ("--exclude", &cli.exclude),
        ("--features", &cli.features),
        ("--target", &cli.target),
        ("--profile", &cli.profile),
        ("--config", &cli.cargo_config),
    ];
    for (name, values) in valued {
        for v in values {
            args.push(format!("{name}={v}"));
        }
    }
    if let Some(p) = &cli.manifest_path {
        args.push(format!("--manifest-path={}", p.display()));
    }
    if let Some(d) = &cli.target_dir {
        args.push(format!("--target-dir={}", d.display()));
    }
    // `--config KEY=VALUE` lands in connlint's `--config`: it is cargo's.
    if let Some(c) = cli
        .config
        .as_ref()
        .filter(|c| c.to_string_lossy().contains('='))
    {
        args.push(format!("--config={}", c.display()));
    }
    if !cli.wrapped_args.is_empty() {
        args.push("--".to_string());
        args.extend(cli.wrapped_args.iter().cloned());
    }
    args
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
    let format = outputs::parse_format(&cli.message_format)?;
    if cli.list_lints {
        if format.is_json() {
            print!("{}", emit::stats::lints_json());
            return Ok(0);
        }
        for l in lints::LINTS {
            println!("{:<22} {:<8} {}", l.name, l.default.as_str(), l.summary);
        }
        return Ok(0);
    }
    let extra_outputs = cli
        .output
        .iter()
        .map(|o| outputs::parse_output(o))
        .collect::<Result<Vec<_>>>()?;
    if cli.with.is_some() && !matches!(format, Format::Json(_)) {
        bail!("--with runs cargo for its JSON messages: use it with --message-format json");
    }
    if cli.with.is_none() && !cli.wrapped_args.is_empty() {
        bail!("arguments after `--` go to the command of --with clippy|check, and there is none");
    }
    if cli.unsafe_fixes && !(cli.fix || cli.diff) {
        bail!("`--unsafe-fixes` needs `--fix` or `--diff`");
    }
    if let Some(why) = fix::mode::conflict(fix::mode::Asked {
        fix: cli.fix,
        diff: cli.diff,
        add_suppressions: cli.add_suppressions,
        machine_format: !matches!(format, Format::Human | Format::Short),
        outputs: !extra_outputs.is_empty(),
        write_baseline: cli.write_baseline.is_some(),
        statistics: cli.statistics,
        with: cli.with.is_some(),
    }) {
        bail!(why);
    }
    // A baseline that cannot be read stops the run before anything runs or
    // `--fix` writes.
    if let Some(path) = &cli.baseline {
        baseline::Baseline::read(path)?;
    }
    let color = terminal::use_color(
        match cli.color {
            Some(ColorChoice::Always) => Some(true),
            Some(ColorChoice::Never) => Some(false),
            Some(ColorChoice::Auto) | None => None,
        },
        std::io::stdout().is_terminal(),
    );
    let selection = workspace::Selection {
        paths: cli.paths.clone(),
        manifest_path: cli.manifest_path.clone(),
        packages: cli.package.clone(),
        workspace: cli.workspace,
        exclude: cli.exclude.clone(),
        include_tests: cli.include_tests,
        cache: !cli.no_cache,
    };
    let clock = std::time::Instant::now();
    let timings = std::env::var_os("CONNLINT_TIMINGS").is_some();
    let ws = workspace::discover(&selection)?;
    if timings {
        eprintln!(
            "connlint timing: discovery took {:.3}s{}",
            clock.elapsed().as_secs_f64(),
            if ws.metadata_cached {
                " (cargo metadata from the cache)"
            } else {
                ""
            }
        );
    }
    for f in &ws.fallbacks {
        eprintln!("warning: {f}");
    }
    let mut settings = session::settings(&ws, &overrides(&cli))?;
    for note in &settings.loaded.notes {
        eprintln!("warning: {note}");
    }
    settings.options.shard = cli
        .shard
        .as_deref()
        .map(connlint::cache::Shard::parse)
        .transpose()
        .context("--shard")?;
    if let Some(shard) = settings.options.shard {
        // A CI matrix job: fill the cache with this shard's facts, report nothing.
        let Some(cache) = &settings.options.cache else {
            bail!("--shard fills the cache: it cannot be used with --no-cache");
        };
        let analysis = connlint::analyze(&ws, &settings.catalog, &settings.options);
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
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // `--with`: the compiler's messages come first, as rust-analyzer reads them.
    let wrapped_ok = match cli.with {
        Some(wrapped) => {
            let message_format = cli.message_format.join(",");
            wrapper::run(
                wrapped,
                &message_format,
                &cargo_args(&cli),
                &ws.root,
                &mut out,
            )?
        }
        None => true,
    };
    let finalize = |a: &Analysis| connlint::report::finalize(a, &ws, &settings.policy);
    let analysis = if cli.fix || cli.diff || cli.add_suppressions {
        let findings = |a: &Analysis| finalize(a).diagnostics;
        let mode = fix::mode::Mode {
            diff: cli.diff,
            add_suppressions: cli.add_suppressions,
            unsafe_fixes: cli.unsafe_fixes,
            quiet: cli.quiet,
            allow: fix::vcs::Allow {
                dirty: cli.allow_dirty,
                staged: cli.allow_staged || cli.allow_dirty,
                no_vcs: cli.allow_no_vcs,
            },
        };
        match fix::mode::run(mode, &ws, &settings.catalog, &settings.options, &findings)? {
            Ok(fixed) => fixed,
            Err(code) => return Ok(code),
        }
    } else {
        let progress = terminal::Progress::start(
            terminal::wants_progress(std::io::stderr().is_terminal(), cli.quiet),
            ws.root.display().to_string(),
        );
        let analysis = connlint::analyze(&ws, &settings.catalog, &settings.options);
        drop(progress);
        analysis
    };
    let files = &analysis.files;
    let mut report = finalize(&analysis);
    if timings {
        eprintln!(
            "connlint timing: report ready at {:.3}s since start",
            clock.elapsed().as_secs_f64()
        );
    }
    if cli.verbose > 0 {
        for line in terminal::verbose_lines(&ws, &analysis, &report, &settings) {
            eprintln!("connlint: {line}");
        }
    }
    let suppressed = report.suppressed;
    // A baseline hides the findings it records; `--write-baseline` records them all.
    let applied = baseline::apply(
        std::mem::take(&mut report.diagnostics),
        files,
        cli.baseline.as_deref(),
        cli.write_baseline.as_deref(),
    )?;
    if let (Some(n), Some(path), false) = (applied.written, &cli.write_baseline, cli.quiet) {
        eprintln!(
            "connlint: wrote {n} finding{} to the baseline `{}`",
            if n == 1 { "" } else { "s" },
            path.display()
        );
    }
    let diagnostics = &applied.diagnostics;
    let mut errors = diagnostics
        .iter()
        .filter(|d| d.level == Level::Error && lints::find(d.lint).is_none())
        .count();
    if analysis.checked == 0 && analysis.skipped_packages.is_empty() {
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
    let success = failing == 0 && errors == 0 && wrapped_ok;
    let report = emit::Report {
        diagnostics,
        fingerprints: &applied.fingerprints,
        files,
        ws: &ws,
        file_package: &analysis.file_package,
        file_root: &analysis.file_root,
        repo_root: emit::repo_root(&ws.root),
        checked: analysis.checked,
        gone: &applied.gone,
        known: if applied.written.is_none() {
            applied.known
        } else {
            0
        },
        suppressed,
    };
    let text = match format {
        Format::Human | Format::Short if cli.statistics => emit::stats::table(&report),
        Format::Json(_) | Format::JsonRenderDiagnostics if cli.statistics => {
            format!("{}\n", emit::stats::json(&report))
        }
        _ => outputs::render(format, &report, success, color),
    };
    if format == Format::JsonRenderDiagnostics {
        eprint!(
            "{}",
            outputs::render(Format::Human, &report, success, color)
        );
    }
    out.write_all(text.as_bytes())
        .context("cannot write the output")?;
    outputs::write_files(&extra_outputs, format, &report, success)?;
    if cli.statistics && matches!(format, Format::Sarif | Format::Github) {
        eprint!("{}", emit::stats::table(&report));
    }
    if format == Format::Sarif && report.findings().count() > emit::sarif::GITHUB_RESULT_LIMIT {
        eprintln!(
            "warning: more than {} results: GitHub code scanning keeps only the first {} of a run",
            emit::sarif::GITHUB_RESULT_LIMIT,
            emit::sarif::GITHUB_RESULT_LIMIT
        );
    }
    if !applied.gone.is_empty() && !cli.quiet {
        eprint!("{}", emit::gone_note(&applied.gone));
    }
    // With JSON, the closing line is all: rust-analyzer reads stderr too.
    if !format.is_json() && !cli.quiet {
        let known = (cli.baseline.is_some() && applied.written.is_none()).then_some(applied.known);
        eprintln!(
            "{}",
            terminal::summary(diagnostics, analysis.checked, errors, known, suppressed)
        );
    }
    out.flush().ok();
    if errors > 0 {
        return Ok(2);
    }
    if !wrapped_ok {
        // The wrapped cargo command failed: its status, as cargo gives it.
        return Ok(101);
    }
    if failing > 0 && !cli.exit_zero {
        return Ok(1);
    }
    Ok(0)
}
