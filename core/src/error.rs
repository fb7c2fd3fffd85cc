//! Errors raised while building a [`Redactor`](crate::Redactor) or loading its sources.
//!
//! An error says *where* (file, line, rule id, source path) and *what*, and never
//! carries secret bytes: messages are built from names and positions only.

use std::fmt;
use std::path::PathBuf;

/// What kind of thing went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The configuration text is malformed or has an invalid value.
    Config,
    /// A format rule failed to compile or is invalid.
    Rule,
    /// An explicitly requested secret source could not be read.
    Source,
    /// Reading or writing a stream failed.
    Io,
    /// A limit was exceeded (rule count, regex size).
    Limit,
}

/// An error with its location. `Display` gives `file:line: rule `id`: message`.
#[derive(Debug, Clone)]
pub struct Error {
    kind: ErrorKind,
    file: Option<PathBuf>,
    line: Option<usize>,
    rule: Option<String>,
    message: String,
}

impl Error {
    /// Creates an error of `kind` with a message (which must not contain secret bytes).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, file: None, line: None, rule: None, message: message.into() }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }

    pub(crate) fn rule(rule: &str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Rule, message).with_rule(rule)
    }

    /// Attaches the file the error came from.
    pub fn with_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Attaches a 1-based line number.
    pub fn with_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Attaches the id of the rule concerned.
    pub fn with_rule(mut self, rule: impl Into<String>) -> Self {
        self.rule = Some(rule.into());
        self
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The file the error refers to, if any.
    pub fn file(&self) -> Option<&std::path::Path> {
        self.file.as_deref()
    }

    /// The 1-based line in [`file`](Self::file), if known.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The rule id concerned, if any.
    pub fn rule_id(&self) -> Option<&str> {
        self.rule.as_deref()
    }

    /// The bare message, without location.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
            f.write_str(": ")?;
        } else if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        if let Some(rule) = &self.rule {
            write!(f, "rule `{rule}`: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The input given to [`Redactor::redact_json`](crate::Redactor::redact_json) is not valid JSON.
///
/// Only the byte offset is reported, never the surrounding text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset where parsing failed.
    pub offset: usize,
    /// What was expected there.
    pub reason: &'static str,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid JSON at byte {}: {}", self.offset, self.reason)
    }
}

impl std::error::Error for JsonError {}
