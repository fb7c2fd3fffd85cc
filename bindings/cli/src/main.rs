//! `hush`: redact secrets from logs, env dumps and container output.
//!
//! The command line is one clap tree: global options ([`common::CommonArgs`]), the
//! default filter's options ([`filter::FilterArgs`]) and one subcommand per module. Every
//! subcommand module exposes `main(args, &CommonArgs) -> i32`.

mod common;
mod env_cmd;
mod filter;
mod inplace;
mod output;
mod progress;
mod report;
mod rules_cmd;
mod run;
mod sarif;
mod scan;
mod selftest;

use std::process::ExitCode;
use std::sync::LazyLock;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use common::{
    CliError, CommonArgs, EXIT_BROKEN_PIPE, EXIT_CANNOT_EXECUTE, EXIT_ERROR, EXIT_FINDINGS, EXIT_NOT_FOUND, EXIT_OK,
};

/// The exit-code table, shown in `--help` and the README.
fn exit_codes() -> String {
    format!(
        "\
Exit status:
  {EXIT_OK:<4} ok (no findings for scan, selftest and env --check)
  {EXIT_FINDINGS:<4} findings (scan, env --check) or a secret survived (selftest)
  {EXIT_ERROR:<4} usage, config or I/O error (including a full disk)
  {EXIT_CANNOT_EXECUTE:<4} run: the command exists but cannot be executed
  {EXIT_NOT_FOUND:<4} run: the command was not found
  N    run: the command's own status (128+S when killed by signal S)
  {EXIT_BROKEN_PIPE:<4} stdout was closed by its reader (EPIPE); hush stops at once, quietly"
    )
}

const EXAMPLES: &str = "\
Examples:
  kubectl logs deploy/api | hush                 redact a stream
  hush --in-place app.log                        rewrite a file
  hush --dry-run --summary < build.log > /dev/null   what would be redacted
  docker history --no-trunc IMAGE | hush scan -  secrets baked into image layers
  docker inspect IMAGE | hush scan -
  hush scan --format sarif . > hush.sarif        for code scanning
  hush selftest --config hush.toml               prove the config still redacts
  docker inspect CONTAINER | hush env --check    sensitive ENV names baked into an image
  hush run -- ./server --port 8080               redact a program's stdout and stderr";

static VERSION: LazyLock<String> =
    LazyLock::new(|| format!("{} (rule catalogue {})", env!("CARGO_PKG_VERSION"), hush::CATALOG_VERSION));

static AFTER_HELP: LazyLock<String> = LazyLock::new(|| format!("{EXAMPLES}\n\n{}", exit_codes()));

/// Redact secrets from logs, env dumps and container output.
///
/// With no subcommand, hush is a filter: it redacts FILEs (or stdin) to stdout. Secrets are
/// found by key name (password=…), by token format (AWS, GitHub, JWT, PEM keys, …) and as
/// known values read from /run/secrets, *_FILE and sensitive environment variables.
#[derive(Parser, Debug)]
#[command(name = "hush", subcommand_precedence_over_arg = true, subcommand_value_name = "COMMAND")]
struct Cli {
    #[command(flatten)]
    common: CommonArgs,

    #[command(flatten)]
    filter: filter::FilterArgs,

    #[command(subcommand)]
    command: Option<Commands>,
}

/// The subcommands; the filter runs when none is given.
#[derive(Subcommand, Debug)]
enum Commands {
    /// Find secrets in files, directories or stdin (`-`) without rewriting anything.
    Scan(scan::ScanArgs),
    /// Check that the configured redactor scrubs every active rule's examples.
    Selftest(selftest::SelftestArgs),
    /// List the active and inactive rules, or validate a config file with --check.
    Rules(rules_cmd::RulesArgs),
    /// Mask the values of an environment dump (env, .env, docker inspect, compose, k8s).
    Env(env_cmd::EnvArgs),
    /// Run a program with its stdout and stderr redacted.
    Run(run::RunArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
}

/// Arguments of `hush completions`.
#[derive(clap::Args, Debug)]
struct CompletionsArgs {
    /// The shell to generate completions for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// The clap command with the runtime version string and help epilogue.
fn cli_command() -> clap::Command {
    Cli::command().version(VERSION.as_str()).after_help(AFTER_HELP.as_str())
}

fn completions(args: CompletionsArgs) -> i32 {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cli_command(), "hush", &mut out);
    match output::write_stdout(&out) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            e.report();
            e.code
        }
    }
}

/// Parses the command line; clap's usage errors are reported as `hush: …`, exit 2.
fn parse() -> Result<Cli, i32> {
    parse_from(std::env::args_os())
}

fn parse_from<I, T>(args: I) -> Result<Cli, i32>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let matches = match cli_command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => return Err(report_clap_error(&e)),
    };
    let cli = Cli::from_arg_matches(&matches).map_err(|e| report_clap_error(&e))?;
    if cli.command.is_some() && cli.filter != filter::FilterArgs::default() {
        // Global options may come before a subcommand; the filter's may not.
        CliError::usage(
            "FILE arguments and filter options (--in-place, --summary, …) cannot be used with a subcommand",
        )
        .report();
        return Err(EXIT_ERROR);
    }
    Ok(cli)
}

fn report_clap_error(e: &clap::Error) -> i32 {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        // Help and version go to stdout; a closed stdout is not an error worth reporting.
        let _ = e.print();
        return EXIT_OK;
    }
    if let Some(text) = invalid_value_message(e) {
        output::diagnostic(text);
        return EXIT_ERROR;
    }
    let text = e.render().to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    output::diagnostic(text.trim_end());
    EXIT_ERROR
}

/// An invalid option value, reported without the value: clap quotes it, and a value put
/// in the wrong place (`--mask "$TOKEN"`) may be a secret. `None` for other errors.
fn invalid_value_message(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if !matches!(e.kind(), ErrorKind::InvalidValue | ErrorKind::ValueValidation) {
        return None;
    }
    // A missing value (`--check` at the end) is also `InvalidValue`: clap's text is fine.
    match e.get(ContextKind::InvalidValue) {
        Some(ContextValue::String(value)) if !value.is_empty() => {}
        _ => return None,
    }
    let arg = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => arg.clone(),
        _ => "an option".to_owned(),
    };
    let why = match (std::error::Error::source(e), e.get(ContextKind::ValidValue)) {
        (Some(source), _) => format!(": {source}"),
        (None, Some(ContextValue::Strings(valid))) => format!(" (possible values: {})", valid.join(", ")),
        _ => String::new(),
    };
    Some(format!("invalid value for '{arg}'{why}"))
}

fn main() -> ExitCode {
    let code = match parse() {
        Ok(cli) => match cli.command {
            None => filter::main(cli.filter, &cli.common),
            Some(Commands::Scan(args)) => scan::main(args, &cli.common),
            Some(Commands::Selftest(args)) => selftest::main(args, &cli.common),
            Some(Commands::Rules(args)) => rules_cmd::main(args, &cli.common),
            Some(Commands::Env(args)) => env_cmd::main(args, &cli.common),
            Some(Commands::Run(args)) => run::main(args, &cli.common),
            Some(Commands::Completions(args)) => completions(args),
        },
        Err(code) => code,
    };
    ExitCode::from(u8::try_from(code).unwrap_or(EXIT_ERROR as u8))
}

/// Turns a subcommand's result into its exit status, reporting the error.
fn exit_status(result: Result<i32, CliError>) -> i32 {
    result.unwrap_or_else(|e| {
        e.report();
        e.code
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_tree_is_consistent() {
        cli_command().debug_assert();
    }

    #[test]
    fn global_options_work_after_the_subcommand() {
        let m = cli_command().try_get_matches_from(["hush", "scan", "--mask", "label", "-"]).unwrap();
        let cli = Cli::from_arg_matches(&m).unwrap();
        assert_eq!(cli.common.mask, Some(hush::MaskStyle::Label));
        assert!(matches!(cli.command, Some(Commands::Scan(_))));
    }

    #[test]
    fn filter_options_are_not_subcommand_options() {
        assert!(parse_from(["hush", "scan", "--in-place", "x"]).is_err());
        assert_eq!(parse_from(["hush", "--summary", "scan"]).err(), Some(EXIT_ERROR));
        let cli = parse_from(["hush", "--no-default-sources", "selftest"]).unwrap();
        assert!(cli.common.no_default_sources && matches!(cli.command, Some(Commands::Selftest(_))));
        let cli = parse_from(["hush", "a.log", "./scan"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.filter.files, [std::path::PathBuf::from("a.log"), "./scan".into()]);
    }

    #[test]
    fn invalid_values_are_reported_without_the_value() {
        for args in [
            &["hush", "--mask", "plum-Orbit-4471"][..],
            &["hush", "scan", "--format", "plum-Orbit-4471", "-"],
            &["hush", "env", "--format=plum-Orbit-4471"],
        ] {
            let e = cli_command().try_get_matches_from(args).unwrap_err();
            let text = invalid_value_message(&e).expect("an invalid-value error");
            assert!(!text.contains("plum-Orbit-4471"), "the value is echoed for {args:?}");
            assert!(text.starts_with("invalid value for '--"), "{text}");
        }
        let e = cli_command().try_get_matches_from(["hush", "--mask", "x"]).unwrap_err();
        assert!(invalid_value_message(&e).unwrap().contains("expected one of: redacted"));
        let e = cli_command().try_get_matches_from(["hush", "scan", "--format", "x"]).unwrap_err();
        assert!(invalid_value_message(&e).unwrap().ends_with("(possible values: text, json, sarif)"));
        let e = cli_command().try_get_matches_from(["hush", "rules", "--check"]).unwrap_err();
        assert!(invalid_value_message(&e).is_none(), "a missing value keeps clap's message");
    }

    #[test]
    fn help_has_exit_codes_and_examples() {
        let help = cli_command().render_help().to_string();
        assert!(help.contains("Exit status:") && help.contains("141"));
        assert!(help.contains("docker history --no-trunc IMAGE | hush scan -"));
    }
}
