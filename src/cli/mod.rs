//! Command-line arguments and the work shared by every command.

mod check;
mod drafts;
mod eval;
mod explain;
mod format;
mod inputs;
mod lint;
mod render;
mod review;
mod scan;
mod serve;
pub mod style;

use clap::{Parser, Subcommand, ValueEnum};
use postguard::finding::Severity;
use postguard::matcher::Engine;
use postguard::policy::{Policy, PolicyError, PolicyOrigin};
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "postguard",
    version,
    about = "Checks employee social media posts against a corporate social media policy",
    after_help = "Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage, policy or input error."
)]
pub struct Cli {
    /// Policy file (else $POSTGUARD_POLICY, else postguard.toml here or above, else the built-in default).
    #[arg(long, global = true, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// When to use colour.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
    /// Print only findings and errors: no progress, summaries or notes.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more: the policy in use, and (check) matches that an exception or a disclosure cleared.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check drafts before they are published.
    Check(check::CheckArgs),
    /// Scan exported posts in bulk and report per employee.
    Scan(scan::ScanArgs),
    /// Validate a policy and its packs, and run every rule's examples.
    Lint(lint::LintArgs),
    /// Show what a rule checks, why, its source and its examples.
    Explain(explain::ExplainArgs),
    /// Measure the policy on labelled posts: precision and recall, misses and false alarms.
    Eval(eval::EvalArgs),
    /// Serve a JSON API and a live web page that check drafts as people type.
    Serve(serve::ServeArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    fn choice(self) -> anstream::ColorChoice {
        match self {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        }
    }
}

/// Severity threshold for exit code 1.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FailOn {
    Info,
    Warning,
    Error,
}

impl From<FailOn> for Severity {
    fn from(f: FailOn) -> Severity {
        match f {
            FailOn::Info => Severity::Info,
            FailOn::Warning => Severity::Warning,
            FailOn::Error => Severity::Error,
        }
    }
}

/// Why a command stopped without an exit code of its own.
#[derive(Debug)]
pub enum Failure {
    /// The reader of our output went away (`| head`): not an error.
    BrokenPipe,
    /// Already explained on stderr; exit 2.
    Reported,
    /// Explain this on stderr; exit 2.
    Message(String),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Message(e.to_string())
        }
    }
}

pub type Outcome = Result<ExitCode, Failure>;

pub fn run(cli: Cli) -> Outcome {
    let color = cli.color;
    let talk = Talk {
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match cli.command {
        Command::Check(mut args) => {
            args.verbose = talk.verbose;
            args.quiet = talk.quiet;
            let policy = cli_policy(&cli.policy).filtered(&args.select, &args.ignore);
            check::run(&policy, color, args)
        }
        Command::Scan(mut args) => {
            args.quiet = talk.quiet;
            args.verbose = talk.verbose;
            let policy = cli_policy(&cli.policy).filtered(&args.select, &args.ignore);
            scan::run(&policy, color, args)
        }
        Command::Lint(args) => lint::run(cli.policy.as_deref(), color, talk, args),
        Command::Explain(args) => explain::run(&cli_policy(&cli.policy), color, args),
        Command::Eval(args) => eval::run(&cli_policy(&cli.policy), color, args),
        Command::Serve(args) => serve::run(&cli_policy(&cli.policy), color, args),
    }
}

/// `-q` and `-v`, global to every command.
#[derive(Clone, Copy, Debug, Default)]
pub struct Talk {
    pub quiet: bool,
    pub verbose: bool,
}

/// How to find the policy, decided once from the flag and the environment,
/// and which of its rules run (`--select`, `--ignore`).
pub struct PolicyChoice {
    flag: Option<PathBuf>,
    select: Vec<String>,
    ignore: Vec<String>,
}

fn cli_policy(flag: &Option<PathBuf>) -> PolicyChoice {
    PolicyChoice {
        flag: flag.clone(),
        select: Vec::new(),
        ignore: Vec::new(),
    }
}

impl PolicyChoice {
    /// Only the rules `select` names (all when empty), without those `ignore` names.
    fn filtered(mut self, select: &[String], ignore: &[String]) -> PolicyChoice {
        self.select = select.to_vec();
        self.ignore = ignore.to_vec();
        self
    }

    /// Disables the rules left out by `--select`/`--ignore`: a rule id, an id
    /// prefix (`finra.`) or a category; one that names nothing is an error.
    fn apply_filter(&self, policy: &mut Policy) -> Result<(), Failure> {
        if self.select.is_empty() && self.ignore.is_empty() {
            return Ok(());
        }
        let rules: Vec<(String, String)> = policy
            .packs
            .iter()
            .flat_map(|p| p.file.rules.iter())
            .map(|r| (r.id.get_ref().clone(), r.category.clone()))
            .collect();
        // `finra.` and `finra` both name the finra rules; `fin` names none.
        let names = |sel: &str, (id, category): &(String, String)| {
            id == sel
                || category == sel
                || id
                    .strip_prefix(sel)
                    .is_some_and(|rest| sel.ends_with('.') || rest.starts_with('.'))
        };
        for (flag, list) in [("--select", &self.select), ("--ignore", &self.ignore)] {
            for sel in list {
                if !rules.iter().any(|r| names(sel, r)) {
                    let known = rules
                        .iter()
                        .flat_map(|(id, c)| [id.as_str(), c.as_str()])
                        .chain(
                            rules
                                .iter()
                                .filter_map(|(id, _)| id.find('.').map(|dot| &id[..=dot])),
                        );
                    let hint = postguard::policy::did_you_mean(sel, known)
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    return Err(Failure::Message(format!(
                        "{flag} {sel}: no rule has this id, id prefix (`finra.`) or category{hint}"
                    )));
                }
            }
        }
        for rule in &rules {
            let selected = self.select.is_empty() || self.select.iter().any(|s| names(s, rule));
            let ignored = self.ignore.iter().any(|s| names(s, rule));
            if !selected || ignored {
                policy
                    .file
                    .rules
                    .disable
                    .push(toml::Spanned::new(0..0, rule.0.clone()));
            }
        }
        Ok(())
    }

    /// Like [`PolicyChoice::engine`], with extra corporate sources (`--corporate`).
    pub fn engine_with_corporate(
        &self,
        color: ColorWhen,
        corporate: &[PathBuf],
    ) -> Result<(Engine, PolicyOrigin), Failure> {
        let (engine, origin) = self.engine(color)?;
        let (posts, skipped) = engine
            .load_corporate(corporate)
            .map_err(|e| Failure::Message(format!("corporate posts: {e}")))?;
        let mut err = stderr(color);
        for bad in &skipped {
            let _ = writeln!(
                err,
                "{}warning:{} corporate post skipped: {bad}",
                style::WARNING.render(),
                style::WARNING.render_reset()
            );
        }
        if posts.is_empty() {
            return Ok((engine, origin));
        }
        Ok((engine.with_corporate(posts), origin))
    }

    /// Loads and compiles the policy, rendering every problem on stderr.
    pub fn engine(&self, color: ColorWhen) -> Result<(Engine, PolicyOrigin), Failure> {
        let env = std::env::var_os("POSTGUARD_POLICY").map(PathBuf::from);
        let cwd = std::env::current_dir()
            .map_err(|e| Failure::Message(format!("cannot read the current directory: {e}")))?;
        let (mut policy, origin) = Policy::discover(self.flag.as_deref(), env.as_deref(), &cwd)
            .map_err(|e| report_policy_error(&e, color))?;
        self.apply_filter(&mut policy)?;
        let engine = Engine::new(policy).map_err(|e| report_policy_error(&e, color))?;
        Ok((engine, origin))
    }
}

pub fn report_policy_error(e: &PolicyError, color: ColorWhen) -> Failure {
    let mut err = stderr(color);
    for d in &e.diagnostics {
        let _ = writeln!(err, "{}", render::diagnostic(d, color));
    }
    let errors = e
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let _ = writeln!(
        err,
        "{}error:{} the policy has {errors} error{}",
        style::ERROR.render(),
        style::ERROR.render_reset(),
        if errors == 1 { "" } else { "s" }
    );
    Failure::Reported
}

pub type Stdout = io::BufWriter<anstream::AutoStream<io::StdoutLock<'static>>>;

pub fn stdout(color: ColorWhen) -> Stdout {
    io::BufWriter::new(anstream::AutoStream::new(
        io::stdout().lock(),
        color.choice(),
    ))
}

pub fn stderr(color: ColorWhen) -> anstream::AutoStream<io::Stderr> {
    anstream::AutoStream::new(io::stderr(), color.choice())
}

/// Whether styled output goes to stdout.
pub fn stdout_styled(color: ColorWhen) -> bool {
    match color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
        }
    }
}

/// A count that must be 1 or more (`--max-findings-per-post`).
pub fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}
