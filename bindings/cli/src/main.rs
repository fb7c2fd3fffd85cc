//! `hush`: redact secrets from logs, env dumps and container output.
//!
//! Temporary wiring on the `runenv` branch (the `cli` branch owns this file): the default
//! filter plus the `env` and `run` subcommands.

// From the `cli` branch; parts of it serve subcommands that live there.
#[allow(dead_code)]
mod common;
mod env_cmd;
mod run;

use std::io::{self, Read, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use common::{CommonArgs, build_redactor};

/// Redact secrets from files or stdin.
#[derive(Parser, Debug)]
#[command(name = "hush", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
    /// Files to redact (stdin when none).
    files: Vec<PathBuf>,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Mask the values of an environment dump (env, .env, docker inspect, compose, k8s).
    Env(env_cmd::EnvArgs),
    /// Run a program with its stdout and stderr redacted.
    Run(run::RunArgs),
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Some(Cmd::Env(args)) => env_cmd::main(args, &cli.common),
        Some(Cmd::Run(args)) => run::main(args, &cli.common),
        None => filter(&cli.files, &cli.common),
    };
    std::process::exit(code);
}

fn filter(files: &[PathBuf], common: &CommonArgs) -> i32 {
    let redactor = match build_redactor(common) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("hush: {e}");
            return 2;
        }
    };
    let stdout = io::stdout();
    let mut w = redactor.stream(io::BufWriter::new(stdout.lock()));
    let mut copy = |r: &mut dyn Read| -> io::Result<()> {
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = r.read(&mut buf)?;
            if n == 0 {
                return Ok(());
            }
            w.write_all(&buf[..n])?;
        }
    };
    let res = if files.is_empty() {
        copy(&mut io::stdin().lock())
    } else {
        files.iter().try_for_each(|f| copy(&mut std::fs::File::open(f)?))
    };
    if let Err(e) = res.and_then(|_| w.finish().map(|_| ())) {
        eprintln!("hush: {e}");
        return 2;
    }
    0
}
