//! What every subcommand shares: the global options, building the redactor from them,
//! the CLI error type and the exit-code table.
//!
//! Subcommand modules (`run`, `env_cmd`, …) expose `pub fn main(args, &CommonArgs) -> i32`
//! and call [`build_redactor`]; errors become [`CliError`] and are printed with
//! [`CliError::report`] as `hush: <what went wrong>` (never a secret).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use hush::MaskStyle;
use hush::config::Config;

/// Exit status: success, nothing found.
pub const EXIT_OK: i32 = 0;
/// Exit status: findings (`scan`, `env --check`, `selftest`).
pub const EXIT_FINDINGS: i32 = 1;
/// Exit status: usage, config or I/O error.
pub const EXIT_ERROR: i32 = 2;
/// Exit status of `hush run` when the command exists but cannot be executed.
pub const EXIT_CANNOT_EXECUTE: i32 = 126;
/// Exit status of `hush run` when the command is not found.
pub const EXIT_NOT_FOUND: i32 = 127;
/// Exit status when stdout was closed by the reader (EPIPE): 128 + SIGPIPE, what a shell
/// reports for a program killed by SIGPIPE, so `set -o pipefail` sees truncated output.
pub const EXIT_BROKEN_PIPE: i32 = 141;

/// Global options shared by every subcommand (accepted before or after the subcommand).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct CommonArgs {
    /// Config file (TOML). Default: $HUSH_CONFIG when set, else the built-in rules.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Mask style: redacted, label, hash, partial or fill (overrides the config).
    #[arg(long, global = true, value_name = "STYLE", value_parser = parse_mask)]
    pub mask: Option<MaskStyle>,

    /// Treat every regular file in DIR as a secret value (repeatable).
    #[arg(long = "secrets-dir", global = true, value_name = "DIR")]
    pub secrets_dirs: Vec<PathBuf>,

    /// Read known secret values from FILE, one per line (repeatable).
    #[arg(long = "known-file", global = true, value_name = "FILE")]
    pub known_files: Vec<PathBuf>,

    /// Do not read the default sources (/run/secrets, sensitive *_FILE and env variables).
    #[arg(long, global = true)]
    pub no_default_sources: bool,

    /// Import the rules of a gitleaks TOML file (repeatable).
    #[arg(long = "gitleaks", global = true, value_name = "FILE")]
    pub gitleaks_files: Vec<PathBuf>,

    /// Key for the `hash` mask and for fingerprints (at least 16 bytes; one trailing
    /// newline is ignored).
    #[arg(long, global = true, value_name = "FILE")]
    pub hash_key_file: Option<PathBuf>,
}

fn parse_mask(text: &str) -> Result<MaskStyle, String> {
    text.parse::<MaskStyle>().map_err(|e| e.message().to_owned())
}

/// An error that ends a subcommand: the exit status and a message without secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// Exit status to return.
    pub code: i32,
    /// What went wrong (printed after `hush: `).
    pub message: String,
}

impl CliError {
    /// An error with an explicit exit status.
    pub fn new(code: i32, message: impl Into<String>) -> Self {
        CliError { code, message: message.into() }
    }

    /// A usage, config or I/O error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(EXIT_ERROR, message)
    }

    /// An I/O error on `what` (a path or `stdout`), exit 2.
    pub fn io(what: impl fmt::Display, err: &io::Error) -> Self {
        Self::usage(format!("{what}: {}", io_reason(err)))
    }

    /// Stdout was closed by its reader: stop quietly with [`EXIT_BROKEN_PIPE`].
    pub fn broken_pipe() -> Self {
        Self::new(EXIT_BROKEN_PIPE, "")
    }

    /// A failed write to `what` (`stdout`, a temp file): quiet [`broken_pipe`](Self::broken_pipe)
    /// for EPIPE, exit 2 with the reason otherwise (`/dev/full`: no space left on device).
    pub fn write_failed(what: impl fmt::Display, err: &io::Error) -> Self {
        if err.kind() == io::ErrorKind::BrokenPipe {
            Self::broken_pipe()
        } else {
            Self::usage(format!("cannot write to {what}: {}", io_reason(err)))
        }
    }

    /// Prints `hush: <message>` on stderr (nothing for a quiet error such as EPIPE).
    pub fn report(&self) {
        if !self.message.is_empty() {
            crate::output::diagnostic(&self.message);
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

impl From<hush::Error> for CliError {
    /// Core errors already name file, line and rule, never a secret.
    fn from(e: hush::Error) -> Self {
        CliError::usage(e.to_string())
    }
}

/// The OS reason of an I/O error without the "(os error N)" suffix.
pub fn io_reason(err: &io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// The config file to use: `--config`, else `$HUSH_CONFIG`, else none (nothing implicit).
pub fn config_path(common: &CommonArgs) -> Option<PathBuf> {
    common.config.clone().or_else(|| std::env::var_os("HUSH_CONFIG").filter(|v| !v.is_empty()).map(PathBuf::from))
}

/// Reads and parses the config file at `path` (relative paths in it resolve against its
/// directory); errors name the file, line and rule.
pub fn load_config(path: &Path) -> Result<Config, CliError> {
    Config::from_file(path).map_err(|e| CliError::from(attach_file(e, path)))
}

fn attach_file(e: hush::Error, path: &Path) -> hush::Error {
    if e.file().is_some() { e } else { e.with_file(path) }
}

/// A builder with everything the options say except the config file: default sources,
/// `--mask`, `--hash-key-file`, `--secrets-dir`, `--known-file`, `--gitleaks`.
fn builder_without_config(common: &CommonArgs) -> Result<hush::Builder, CliError> {
    let mut b = hush::Redactor::builder().default_sources(!common.no_default_sources);
    for dir in &common.secrets_dirs {
        b = b.secrets_dir(dir);
    }
    for file in &common.known_files {
        b = b.known_file(file);
    }
    for file in &common.gitleaks_files {
        b = b.gitleaks_file(file);
    }
    Ok(b)
}

/// Applies the options that override the config (mask and hash key) to `b`.
fn apply_overrides(common: &CommonArgs, mut b: hush::Builder) -> Result<hush::Builder, CliError> {
    if let Some(path) = &common.hash_key_file {
        b = b.hash_key_file(path)?;
    }
    if let Some(style) = common.mask {
        b = b.mask(style);
    }
    Ok(b)
}

/// The configured builder: options, then the config file, then `--mask`/`--hash-key-file`.
pub fn configured_builder(common: &CommonArgs) -> Result<hush::Builder, CliError> {
    let mut b = builder_without_config(common)?;
    if let Some(path) = config_path(common) {
        let config = load_config(&path)?;
        b = b.config(&config).map_err(|e| CliError::from(attach_file(e, &path)))?;
    }
    apply_overrides(common, b)
}

/// The same options without the config file: what `selftest` compares against to tell
/// "disabled by config" from a real failure.
pub fn builder_ignoring_config(common: &CommonArgs) -> Result<hush::Builder, CliError> {
    apply_overrides(common, builder_without_config(common)?)
}

/// Builds the redactor from the global options and prints its warnings on stderr as
/// `hush: warning: …` (warnings name sources and rules, never values).
pub fn build_redactor(common: &CommonArgs) -> Result<hush::Redactor, CliError> {
    let builder = configured_builder(common)?;
    let redactor = builder.build()?;
    for w in redactor.warnings() {
        crate::output::diagnostic(format_args!("warning: {w}"));
    }
    Ok(redactor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_reason_drops_os_error_suffix() {
        let e = io::Error::from_raw_os_error(28);
        assert_eq!(io_reason(&e), "No space left on device");
    }

    #[test]
    fn mask_parser_names_the_styles() {
        assert_eq!(parse_mask("label"), Ok(MaskStyle::Label));
        assert!(parse_mask("loud").unwrap_err().contains("redacted, label"));
    }
}
