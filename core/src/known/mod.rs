//! Known values: the real secrets, given explicitly or loaded from secret files and the
//! environment, matched verbatim and in encoded forms.
//!
//! ## Sources
//!
//! * Explicit values ([`Builder::known_value`](crate::Builder::known_value), rule
//!   `known:api:<n>`), secrets directories ([`Builder::secrets_dir`](crate::Builder::secrets_dir):
//!   every regular file, rule `known:file:<file name>`) and known-value files
//!   ([`Builder::known_file`](crate::Builder::known_file): one value per line). A missing or
//!   unreadable explicit source is a build error naming the path; an explicit value that
//!   fails the limits is an error naming its rule or line.
//! * Default sources ([`Builder::default_sources`](crate::Builder::default_sources), off
//!   unless asked for): `/run/secrets`, `*_FILE` variables whose stem is a sensitive name
//!   or whose path lies in a secrets directory (never every `*_FILE`), variables with a
//!   sensitive name (`known:env:<NAME>`), the Kubernetes service-account token, and the
//!   secret fields of the files named by `GOOGLE_APPLICATION_CREDENTIALS`,
//!   `AWS_SHARED_CREDENTIALS_FILE` and `PGPASSFILE`. Failures only warn. Tests and front
//!   ends inject the environment and paths with
//!   [`Builder::environment`](crate::Builder::environment),
//!   [`Builder::default_secrets_dir`](crate::Builder::default_secrets_dir) and
//!   [`Builder::service_account_token_path`](crate::Builder::service_account_token_path).
//!
//! A file holding one value is used raw and without its trailing newline; `KEY=VALUE`
//! files and flat JSON objects give the values of sensitive keys only
//! (`known:file:<file>:<KEY>`); multi-line content and PEM private keys give their lines
//! (the engine matches line by line); certificates and public keys are never values.
//!
//! ## Limits
//!
//! Files over 64 KiB ([`Builder::known_max_file_size`](crate::Builder::known_max_file_size))
//! or that are not regular files (directories, FIFOs, dangling links, symlink loops) are
//! skipped with a warning. Values shorter than 6 bytes
//! ([`Builder::known_min_len`](crate::Builder::known_min_len)), all-digit values shorter than
//! 8 and common words (`true`, `localhost` …) are skipped with a warning naming the source.
//!
//! ## Memory
//!
//! Read buffers, the injected environment and the value list are zeroize-on-drop, and no
//! `Debug` output shows a value. The compiled automaton holds each value and its encoded
//! forms for the redactor's lifetime, unzeroized (the `aho-corasick` crate owns that memory);
//! so do `serde_json`'s internal buffers while a JSON secret file is parsed.

mod encode;
// Without `fs` (WASM) nothing is read from files: the parsers stay unused.
#[cfg_attr(not(feature = "fs"), allow(dead_code))]
mod files;
mod limits;
#[cfg(feature = "fs")]
mod read;
#[cfg(feature = "fs")]
#[cfg_attr(not(feature = "env"), allow(dead_code))]
mod sources;

use std::fmt;
use std::path::PathBuf;

pub(crate) use encode::{Form, enclosing_run, encoded_forms};
pub use limits::DEFAULT_MAX_FILE_SIZE;
pub(crate) use limits::Limits;

use zeroize::Zeroizing;

/// A known secret with the rule id that names its source (never the value).
#[derive(Clone)]
pub struct KnownValue {
    pub(crate) rule: String,
    pub(crate) value: Zeroizing<Vec<u8>>,
    pub(crate) explicit: bool,
}

impl fmt::Debug for KnownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KnownValue({}, {} bytes)", self.rule, self.value.len())
    }
}

impl KnownValue {
    pub(crate) fn new(rule: String, value: &[u8], explicit: bool) -> Self {
        KnownValue {
            rule,
            value: Zeroizing::new(value.to_vec()),
            explicit,
        }
    }

    pub(crate) fn is_api(&self) -> bool {
        self.rule.starts_with("known:api:")
    }

    /// The rule id, such as `known:file:db_password`.
    pub fn rule_id(&self) -> &str {
        &self.rule
    }
}

/// Where known values are loaded from when the redactor is built (and re-read on reload).
#[derive(Clone, Default)]
#[cfg_attr(not(all(feature = "fs", feature = "env")), allow(dead_code))]
pub(crate) struct KnownSources {
    pub(crate) secrets_dirs: Vec<PathBuf>,
    pub(crate) known_files: Vec<PathBuf>,
    pub(crate) defaults: bool,
    /// The environment the default sources read; `None`: the process environment, read
    /// at build time.
    pub(crate) env: Option<Vec<(String, Zeroizing<Vec<u8>>)>>,
    /// Replaces `/run/secrets` for the default sources.
    pub(crate) run_secrets_dir: Option<PathBuf>,
    /// Replaces the Kubernetes service-account token path for the default sources.
    pub(crate) k8s_token_path: Option<PathBuf>,
    pub(crate) limits: Limits,
}

impl fmt::Debug for KnownSources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KnownSources")
            .field("secrets_dirs", &self.secrets_dirs)
            .field("known_files", &self.known_files)
            .field("defaults", &self.defaults)
            .field("env_vars", &self.env.as_ref().map(Vec::len))
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// Minimum length of a known value (default; see [`Limits`]).
pub(crate) const MIN_KNOWN_LEN: usize = 6;

/// Values loaded from sources, with warnings naming skipped sources (never values).
#[derive(Default)]
pub(crate) struct Loaded {
    pub(crate) values: Vec<KnownValue>,
    pub(crate) warnings: Vec<String>,
}

/// Every known value of a builder: explicit ones (checked against the limits: a rejected
/// explicit value is an error), values kept from before a reload, then those loaded from
/// the sources. Duplicates keep their first rule.
pub(crate) fn collect(b: &crate::Builder, keys: &crate::KeyRules) -> Result<Loaded, crate::Error> {
    let limits = b.sources.limits;
    let mut values: Vec<KnownValue> = Vec::with_capacity(b.known.len() + b.retained.len());
    for k in &b.known {
        if !k.explicit {
            values.push(k.clone());
            continue;
        }
        if let Err(why) = limits.check(files::trim_newline(&k.value)) {
            return Err(crate::Error::config(format!("known value rejected: {why}"))
                .with_rule(k.rule.clone()));
        }
        values.push(k.clone());
        // `known_value(b"secret\n")` from a file: also the value without its newline; a
        // value with lines inside can only match line by line.
        for piece in files::value_pieces(&k.value, files::PieceKind::Whole) {
            if *piece.value != *k.value && limits.check(&piece.value).is_ok() {
                values.push(KnownValue {
                    rule: k.rule.clone(),
                    value: piece.value,
                    explicit: false,
                });
            }
        }
    }
    values.extend(b.retained.iter().cloned());
    let loaded = load(&b.sources, keys)?;
    values.extend(loaded.values);
    Ok(Loaded {
        values: dedup(values),
        warnings: loaded.warnings,
    })
}

/// Removes later duplicates without copying any value (sorting indices, not bytes).
fn dedup(values: Vec<KnownValue>) -> Vec<KnownValue> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| {
        values[a]
            .value
            .as_slice()
            .cmp(values[b].value.as_slice())
            .then(a.cmp(&b))
    });
    let mut keep = vec![false; values.len()];
    for (n, &i) in order.iter().enumerate() {
        keep[i] = n == 0 || values[order[n - 1]].value != values[i].value;
    }
    values
        .into_iter()
        .zip(keep)
        .filter_map(|(v, k)| k.then_some(v))
        .collect()
}

/// Loads known values from the configured sources.
pub(crate) fn load(sources: &KnownSources, keys: &crate::KeyRules) -> Result<Loaded, crate::Error> {
    #[cfg(feature = "fs")]
    {
        let mut loader = sources::Loader::new(keys, sources.limits);
        for dir in &sources.secrets_dirs {
            loader.secrets_dir(dir, sources::Mode::Explicit)?;
        }
        for file in &sources.known_files {
            loader.known_file(file)?;
        }
        #[cfg(feature = "env")]
        if sources.defaults {
            let env = match &sources.env {
                Some(env) => env.clone(),
                None => process_env(),
            };
            loader.defaults(sources, &env)?;
        }
        Ok(Loaded {
            values: loader.values,
            warnings: loader.warnings,
        })
    }
    #[cfg(not(feature = "fs"))]
    {
        let _ = (sources, keys);
        Ok(Loaded::default())
    }
}

/// The process environment, values in zeroize-on-drop buffers.
#[cfg(feature = "env")]
fn process_env() -> Vec<(String, Zeroizing<Vec<u8>>)> {
    std::env::vars_os()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                Zeroizing::new(v.into_encoded_bytes()),
            )
        })
        .collect()
}
