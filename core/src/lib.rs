//! # hush: a streaming secret redactor for logs
//!
//! hush scrubs secrets out of log streams before they are stored or shown. It finds them
//! three ways, all in one pass over the input:
//!
//! * **key names** — a value bound to a sensitive name, in every syntax logs use:
//!   `DB_PASSWORD=…`, `"token": "…"`, `Authorization: Bearer …`, `--password …`,
//!   `?api_key=…`, `password='…'` in a traceback, `<secret>…</secret>`;
//! * **known values** — the real secrets (from `/run/secrets`, `*_FILE` variables, the
//!   environment or the API), also when base64-, URL-, JSON- or hex-encoded;
//! * **token formats** — AWS, GitHub, Stripe, JWTs, PEM private keys and 40+ more, and
//!   any gitleaks rule set.
//!
//! ```
//! use hush::Redactor;
//!
//! let redactor = Redactor::default();
//! let log = "2024-05-01 connect user=app password=plum-Orbit-4471 host=db\n";
//! assert_eq!(
//!     redactor.redact_str(log),
//!     "2024-05-01 connect user=app password=[REDACTED] host=db\n"
//! );
//! ```
//!
//! ## Streaming
//!
//! [`Redactor::stream`] wraps any [`std::io::Write`]; output is identical to the one-shot
//! [`Redactor::redact`] however the input is chunked, and memory stays bounded by the line
//! cap.
//!
//! ```
//! use std::io::Write;
//! let redactor = hush::Redactor::builder().known_value(b"plum-Orbit-4471").build().unwrap();
//! let mut writer = redactor.stream(Vec::new());
//! writer.write_all(b"retrying with plum-Or").unwrap();
//! writer.write_all(b"bit-4471\n").unwrap();
//! let (out, report) = writer.finish().unwrap();
//! assert_eq!(out, b"retrying with [REDACTED]\n");
//! assert_eq!(report.rules["known:api:1"].count, 1);
//! ```
//!
//! ## Design
//!
//! One leftmost-longest Aho-Corasick automaton holds every literal: key words (in the
//! casings names use), format-rule keywords and known values with their encodings. A SIMD
//! prefilter over the literals' folded first bytes (Teddy; AVX-512 VBMI, AVX2 or wasm
//! simd128, chosen at run time where the CPU allows) stops only where a literal may
//! start, and an anchored walk of the automaton says which; without vector instructions
//! the automaton is walked in several lanes at once. Many known values are found apart, by
//! hashing sampled windows, so their number barely changes the speed. Lines without a
//! literal are copied untouched; a hit is confirmed by cheap local checks, and a format
//! rule's regex runs only on a window around its keyword. A line whose masks could change
//! how it reads (it holds a control byte, a backquote or an ellipsis) is read again masked
//! and its masks widened until it reads the same, so redacting the output again changes
//! nothing. Secrets never appear in `Debug`
//! output, errors or reports.

// Unsafe code only in the SIMD prefilter (`engine::teddy`), which allows it where it
// loads vectors and calls the AVX2 kernel after checking the CPU.
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod config;
mod engine;
pub mod env;
mod error;
mod finding;
pub(crate) mod gitleaks;
mod json;
pub mod known;
mod mask;
mod redactor;
pub mod rules;
mod settle;
mod stream;
#[cfg(test)]
mod test_support;

pub use error::{Error, ErrorKind, JsonError};
pub use finding::{Edit, Finding, Report, RuleCount, RuleId, RuleKind, StreamFinding};
pub use json::{JsonEvent, JsonScratch};
pub use mask::MaskStyle;
pub use redactor::{Builder, DEFAULT_LINE_CAP, KnownValueCheck, Redactor};
pub use rules::builtin::CATALOG_VERSION;
pub use rules::format::{AllowCondition, AllowTarget, Allowlist, FormatRule, RuleSource};
pub use rules::keys::KeyRules;
pub use stream::RedactWriter;

/// A rule as listed by [`Redactor::rules`]: what `hush rules` prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    /// Rule id.
    pub id: String,
    /// Rule family.
    pub kind: RuleKind,
    /// What the rule finds.
    pub description: String,
    /// Longest match in bytes (`None` for inactive rules).
    pub bound: Option<usize>,
    /// `builtin`, `gitleaks`, `config` or `known`.
    pub source: String,
    /// Whether the rule runs.
    pub active: bool,
    /// Why not, or what covers it.
    pub reason: Option<String>,
}

impl RuleInfo {
    pub(crate) fn from_format(rule: &FormatRule, bound: Option<usize>, active: bool, reason: Option<String>) -> Self {
        RuleInfo {
            id: rule.id.clone(),
            kind: RuleKind::Format,
            description: rule.description.clone(),
            bound,
            source: rule.source.as_str().to_owned(),
            active,
            reason,
        }
    }
}
