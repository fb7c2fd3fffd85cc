//! The env sanitizer: mask the values in environment dumps and re-emit the same format.
//!
//! Supported formats ([`Format`]): `env` (`K=V` lines as printed by `env`), `environ`
//! (NUL-separated, as in `/proc/PID/environ`), `dotenv` (quotes, comments, optional
//! `export`), `export` (`export K="V"` / `declare -x K="V"` as printed by bash),
//! `docker-inspect` (every `Env` array in the JSON of `docker inspect`), `compose` (YAML
//! `environment:` lists and maps) and `k8s` (YAML `env:` lists of `name:`/`value:`).
//!
//! Only values change: comments, quoting, order and indentation are copied byte for byte.
//! A value bound to a sensitive name is masked whole (placeholders such as `${VAR}` are
//! kept); any other value is redacted as text, so known secrets and token formats inside
//! it are masked too.
//!
//! ```
//! use hush::env::{sanitize, Format};
//! let r = hush::Redactor::default();
//! let out = sanitize(b"USER=app\nDB_PASSWORD=plum-Orbit-4471\n", Format::Auto, &r).unwrap();
//! assert_eq!(out.output, b"USER=app\nDB_PASSWORD=[REDACTED]\n");
//! assert_eq!(out.format, Format::Env);
//! assert_eq!(out.flagged[0].name, "DB_PASSWORD");
//! assert_eq!(out.flagged[0].rule, "key:password");
//! ```

mod detect;
mod docker;
mod shell;
mod yaml;

use std::fmt;
use std::str::FromStr;

use crate::{Redactor, RuleKind};

pub use detect::detect;
use shell::unquoted_end as shell_unquoted_end;

/// An environment dump format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Detect the format from the input (see [`detect()`]).
    Auto,
    /// `K=V` lines as printed by `env`; values run to the end of the line, and lines that
    /// do not start a new variable continue the previous value.
    Env,
    /// NUL-separated `K=V` entries, as in `/proc/PID/environ`.
    Environ,
    /// A `.env` file: comments, blank lines, `'…'` and `"…"` quoting, optional `export`.
    Dotenv,
    /// Shell `export K="V"` or `declare -x K="V"` lines, as printed by `export -p`.
    Export,
    /// The JSON printed by `docker inspect`: each `"K=V"` string of every `Env` array.
    DockerInspect,
    /// Docker Compose YAML: `environment:` as a list (`- K=V`) or a map (`K: V`).
    Compose,
    /// Kubernetes YAML: `env:` lists of `- name: X` / `value: Y`.
    K8s,
}

impl Format {
    /// Every format with its name, in the order `--help` lists them.
    pub const ALL: [Format; 8] = [
        Format::Auto,
        Format::Env,
        Format::Environ,
        Format::Dotenv,
        Format::Export,
        Format::DockerInspect,
        Format::Compose,
        Format::K8s,
    ];

    /// The name used on the command line: `auto`, `env`, `environ`, `dotenv`, `export`,
    /// `docker-inspect`, `compose` or `k8s`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Env => "env",
            Format::Environ => "environ",
            Format::Dotenv => "dotenv",
            Format::Export => "export",
            Format::DockerInspect => "docker-inspect",
            Format::Compose => "compose",
            Format::K8s => "k8s",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown format name was given to [`Format::from_str`]. Its `Display` and `Debug`
/// never show the name given: a misplaced argument may be a secret.
#[derive(Clone, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
        write!(f, "unknown env format (expected one of: {})", names.join(", "))
    }
}

impl fmt::Debug for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UnknownFormat({} bytes)", self.0.len())
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL.iter().copied().find(|f| f.as_str() == s).ok_or_else(|| UnknownFormat(s.to_owned()))
    }
}

/// Why an env dump could not be sanitized. Carries a position, never input text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvError {
    /// Byte offset in the input where the problem is.
    pub offset: usize,
    /// 1-based line of [`offset`](Self::offset).
    pub line: usize,
    /// What is wrong.
    pub reason: EnvErrorReason,
}

/// What kind of problem an [`EnvError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EnvErrorReason {
    /// `auto` could not tell which format the input is in.
    Undetectable,
    /// A line that should assign a variable does not (`NAME=VALUE` expected).
    ExpectedAssignment,
    /// A quoted value is not closed before the end of the input.
    UnterminatedQuote,
    /// The `docker-inspect` input is not valid JSON; the text says what was expected.
    InvalidJson(&'static str),
}

impl EnvError {
    pub(crate) fn at(input: &[u8], offset: usize, reason: EnvErrorReason) -> Self {
        let offset = offset.min(input.len());
        let line = 1 + memchr::memchr_iter(b'\n', &input[..offset]).count();
        EnvError { offset, line, reason }
    }
}

impl fmt::Display for EnvErrorReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvErrorReason::Undetectable => f.write_str("cannot detect the env format (use --format)"),
            EnvErrorReason::ExpectedAssignment => f.write_str("expected NAME=VALUE"),
            EnvErrorReason::UnterminatedQuote => f.write_str("unterminated quoted value"),
            EnvErrorReason::InvalidJson(what) => write!(f, "invalid JSON: {what}"),
        }
    }
}

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} (byte {}): {}", self.line, self.offset, self.reason)
    }
}

impl std::error::Error for EnvError {}

/// A variable whose value was masked: its name and the rule that flagged it (never the value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flagged {
    /// The variable name.
    pub name: String,
    /// The id of the first rule that fired (`key:password`, `known:file:db`, `github-pat`).
    pub rule: String,
    /// Key name, known value or token format.
    pub kind: RuleKind,
}

/// The result of [`sanitize`].
#[derive(Clone, PartialEq, Eq)]
pub struct Sanitized {
    /// The input in the same format with values masked.
    pub output: Vec<u8>,
    /// The format used (the detected one for [`Format::Auto`]).
    pub format: Format,
    /// Every variable that had something masked, in input order.
    pub flagged: Vec<Flagged>,
}

impl fmt::Debug for Sanitized {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sanitized")
            .field("output_len", &self.output.len())
            .field("format", &self.format)
            .field("flagged", &self.flagged)
            .finish()
    }
}

/// Masks the values of an env dump in `format` and re-emits it in the same format.
pub fn sanitize(input: &[u8], format: Format, redactor: &Redactor) -> Result<Sanitized, EnvError> {
    let format = match format {
        Format::Auto => detect(input)?,
        f => f,
    };
    let mut masker = ValueMasker { redactor, flagged: Vec::new() };
    let output = match format {
        Format::Auto => unreachable!("detect never returns Auto"),
        Format::Env => shell::sanitize_env(input, &mut masker)?,
        Format::Environ => shell::sanitize_environ(input, &mut masker),
        Format::Dotenv | Format::Export => shell::sanitize_dotenv(input, &mut masker)?,
        Format::DockerInspect => docker::sanitize(input, &mut masker)?,
        Format::Compose => yaml::sanitize(input, yaml::Kind::Compose, &mut masker)?,
        Format::K8s => yaml::sanitize(input, yaml::Kind::K8s, &mut masker)?,
    };
    Ok(Sanitized { output, format, flagged: masker.flagged })
}

/// Masks the values of `(name, value)` pairs (such as `std::env::vars()`), keeping order.
///
/// ```
/// let r = hush::Redactor::default();
/// let vars = vec![("HOME".to_owned(), "/root".to_owned()), ("API_TOKEN".to_owned(), "abc123xyz".to_owned())];
/// let out = hush::env::sanitize_vars(vars, &r);
/// assert_eq!(out[1], ("API_TOKEN".to_owned(), "[REDACTED]".to_owned()));
/// ```
pub fn sanitize_vars(vars: impl IntoIterator<Item = (String, String)>, redactor: &Redactor) -> Vec<(String, String)> {
    vars.into_iter()
        .map(|(name, value)| {
            let masked = match redactor.redact_value(&name, value.as_bytes()) {
                std::borrow::Cow::Borrowed(_) => value,
                std::borrow::Cow::Owned(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            };
            (name, masked)
        })
        .collect()
}

/// The names of sensitive variables and the rule that flagged each: a sensitive key name,
/// a known value, or a token format in the value.
///
/// ```
/// let r = hush::Redactor::default();
/// let vars = vec![("HOME".to_owned(), "/root".to_owned()), ("DB_PASSWORD".to_owned(), "x1y2z3w4".to_owned())];
/// assert_eq!(hush::env::sensitive_names(vars, &r), vec![("DB_PASSWORD".to_owned(), "key:password".to_owned())]);
/// ```
pub fn sensitive_names(vars: impl IntoIterator<Item = (String, String)>, redactor: &Redactor) -> Vec<(String, String)> {
    let mut masker = ValueMasker { redactor, flagged: Vec::new() };
    let mut sink = Vec::new();
    for (name, value) in vars {
        masker.mask(name.as_bytes(), value.as_bytes(), &mut sink);
        sink.clear();
    }
    masker.flagged.into_iter().map(|f| (f.name, f.rule)).collect()
}

/// Masks one value at a time and remembers which variables were flagged.
pub(crate) struct ValueMasker<'r> {
    redactor: &'r Redactor,
    flagged: Vec<Flagged>,
}

impl ValueMasker<'_> {
    /// Writes the masked `value` of variable `name` to `out`.
    pub(crate) fn mask(&mut self, name: &[u8], value: &[u8], out: &mut Vec<u8>) {
        let name = String::from_utf8_lossy(name);
        let (masked, finding) = self.redactor.redact_value_with_rule(&name, value);
        if let Some(f) = finding {
            self.flagged.push(Flagged { name: name.into_owned(), rule: f.rule.as_str().to_owned(), kind: f.kind });
        }
        out.extend_from_slice(&masked);
    }

    /// Like [`mask`](Self::mask), returning the masked bytes (borrowed when unchanged).
    pub(crate) fn mask_to_vec(&mut self, name: &[u8], value: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(value.len());
        self.mask(name, value, &mut out);
        out
    }

    /// Redacts text that is not a variable (an unparsed line) as plain log text.
    pub(crate) fn redact_text(&mut self, text: &[u8], out: &mut Vec<u8>) {
        out.extend_from_slice(&self.redactor.redact(text));
    }
}

/// Is `b` a byte that may appear in a variable name?
pub(crate) fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

/// Splits `line` into `(name, rest after '=')` when it starts with `NAME=`.
pub(crate) fn split_assignment(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let eq = memchr::memchr(b'=', line)?;
    let name = &line[..eq];
    let ok = !name.is_empty()
        && !name[0].is_ascii_digit()
        && (name.iter().all(|&b| is_name_byte(b)) || is_bash_function_name(name));
    ok.then(|| (name, &line[eq + 1..]))
}

/// `env` prints exported bash functions as `BASH_FUNC_name%%=() { … }`.
fn is_bash_function_name(name: &[u8]) -> bool {
    name.starts_with(b"BASH_FUNC_") && name.ends_with(b"%%")
}

#[cfg(test)]
mod tests;
