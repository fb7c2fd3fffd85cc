//! `hush env`: mask the values of an environment dump and print it in the same format.

use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;

use hush::env::{Flagged, Format};

use crate::common::{CliError, CommonArgs, EXIT_FINDINGS, EXIT_OK, build_redactor};

/// Arguments of `hush env`.
#[derive(clap::Args, Debug, Clone)]
#[command(after_help = "\
Examples:
  env | hush env                        mask a dump of the environment
  hush env --current                    mask this process's environment
  hush env .env                         a dotenv file, comments and quotes kept
  docker inspect IMAGE | hush env       every Env array in the JSON
  hush env --check --format compose docker-compose.yml   CI gate: exit 1 if a secret is set
  cat /proc/1/environ | hush env --format environ

Exit status: 0 ok; 1 sensitive variables found (--check); 2 usage, parse or I/O error.")]
pub struct EnvArgs {
    /// File to read; `-` or none reads stdin (the process environment when stdin is a terminal).
    #[arg(value_name = "FILE|-")]
    pub file: Option<PathBuf>,
    /// Mask the environment of this process instead of reading input.
    #[arg(long, conflicts_with = "file")]
    pub current: bool,
    /// Input format: auto, env, environ, dotenv, export, docker-inspect, compose, k8s.
    #[arg(long, default_value = "auto", value_parser = parse_format)]
    pub format: Format,
    /// Print only the NAMES of sensitive variables and the rule that flagged each; exit 1 if any.
    #[arg(long)]
    pub check: bool,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse().map_err(|e: hush::env::UnknownFormat| e.to_string())
}

/// Runs `hush env`; returns the exit status.
pub fn main(args: EnvArgs, common: &CommonArgs) -> i32 {
    match run(&args, common) {
        Ok(code) => code,
        Err(e) => {
            e.report();
            e.code
        }
    }
}

fn run(args: &EnvArgs, common: &CommonArgs) -> Result<i32, CliError> {
    let redactor = build_redactor(common)?;
    let from_stdin = matches!(args.file.as_deref(), Some(p) if p.as_os_str() == "-");
    let current = args.current || (args.file.is_none() && io::stdin().is_terminal());
    let (output, flagged) = if current {
        current_env(args.format, &redactor)?
    } else {
        let (label, input) = if from_stdin || args.file.is_none() {
            let mut buf = Vec::new();
            io::stdin().lock().read_to_end(&mut buf).map_err(|e| CliError::io("stdin", &e))?;
            ("<stdin>".to_owned(), buf)
        } else {
            let path = args.file.as_deref().expect("checked above");
            let input = std::fs::read(path).map_err(|e| CliError::io(path.display(), &e))?;
            (path.display().to_string(), input)
        };
        let done = hush::env::sanitize(&input, args.format, &redactor)
            .map_err(|e| CliError::usage(format!("{label}: {e}")))?;
        (done.output, done.flagged)
    };
    let mut stdout = io::stdout().lock();
    let written = if args.check {
        flagged.iter().try_for_each(|f| writeln!(stdout, "{} {} {}", f.name, f.rule, f.kind))
    } else {
        stdout.write_all(&output)
    };
    written.and_then(|()| stdout.flush()).map_err(|e| CliError::write_failed("stdout", &e))?;
    Ok(if args.check && !flagged.is_empty() { EXIT_FINDINGS } else { EXIT_OK })
}

/// Masks the process environment, printed as `K=V` lines (`env`) or NUL-separated (`environ`).
fn current_env(format: Format, redactor: &hush::Redactor) -> Result<(Vec<u8>, Vec<Flagged>), CliError> {
    let format = match format {
        Format::Auto | Format::Env => Format::Env,
        Format::Environ => Format::Environ,
        other => return Err(CliError::usage(format!("--current prints `env` or `environ`, not `{other}`"))),
    };
    let mut input = Vec::new();
    for (name, value) in std::env::vars_os() {
        input.extend_from_slice(name.as_encoded_bytes());
        input.push(b'=');
        input.extend_from_slice(value.as_encoded_bytes());
        input.push(0);
    }
    // Parse as `environ` (values may hold newlines), then print in the requested format.
    let done = hush::env::sanitize(&input, Format::Environ, redactor).map_err(|e| CliError::usage(e.to_string()))?;
    let mut output = done.output;
    if format == Format::Env {
        for b in &mut output {
            if *b == 0 {
                *b = b'\n';
            }
        }
    }
    Ok((output, done.flagged))
}
