//! Options shared by every subcommand and the redactor they build.
//!
//! Minimal version written on the `runenv` branch; the `cli` branch owns the full one
//! (same names), which replaces this file at merge.

use std::path::PathBuf;

/// Options shared by every subcommand.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct CommonArgs {
    /// Config file (else $HUSH_CONFIG, else built-in defaults).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Mask style: redacted, label, hash, partial, fill.
    #[arg(long, global = true)]
    pub mask: Option<String>,
    /// Directory whose files are secrets to mask wherever they appear (repeatable).
    #[arg(long = "secrets-dir", value_name = "DIR", global = true)]
    pub secrets_dirs: Vec<PathBuf>,
    /// Do not load the default sources (/run/secrets, *_FILE and sensitive variables).
    #[arg(long, global = true)]
    pub no_default_sources: bool,
}

/// Builds the redactor from the shared options.
pub fn build_redactor(common: &CommonArgs) -> Result<hush::Redactor, hush::Error> {
    let mut builder = hush::Redactor::builder().default_sources(!common.no_default_sources);
    if let Some(mask) = &common.mask {
        let style = mask.parse().map_err(|e| hush::Error::new(hush::ErrorKind::Config, format!("{e}")))?;
        builder = builder.mask(style);
    }
    if let Some(path) = &common.config {
        let text = std::fs::read_to_string(path)
            .map_err(|e| hush::Error::new(hush::ErrorKind::Config, e.to_string()).with_file(path))?;
        builder = builder.config_toml(&text).map_err(|e| e.with_file(path))?;
    }
    for dir in &common.secrets_dirs {
        builder = builder.secrets_dir(dir);
    }
    builder.build()
}
