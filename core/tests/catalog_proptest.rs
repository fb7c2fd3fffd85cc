//! Generated positives: for every built-in rule with a bounded regex, strings generated
//! from the regex itself (`proptest::string::string_regex_parsed`) are masked when they
//! appear inside a log line.
//!
//! The generator sees the rule's regex with two adjustments, both of which keep the
//! strings inside what the engine is specified to find:
//! * look-around assertions (`\b`, `^`, `$`) are dropped (proptest cannot generate
//!   them); the token is placed between quotes, where the assertions hold for the
//!   word-character edges the catalogue uses them on;
//! * classes are limited to printable ASCII (a log line does not break inside a token),
//!   and a case-insensitive letter (`[hH]` from `(?i:heroku)`) is generated lower-case,
//!   since keywords are searched as given, lower and UPPER case only;
//! * repetitions are capped at 200 past their minimum, to keep the test fast.
//!
//! `docker-config-auth` values are also decoded by the engine (base64 of `user:password`),
//! so that rule gets a generator of valid values instead.

mod common;

use common::generate::check_every_bounded_rule;
use hush::rules::format::shannon_entropy;
use hush::{FormatRule, Redactor};
use proptest::test_runner::TestCaseError;
use regex::bytes::Regex;

/// Checks one generated token of `rule`, embedded in a log line.
fn check_token(redactor: &Redactor, rule: &FormatRule, re: &Regex, token: &str) -> Result<(), TestCaseError> {
    let line = format!("msg=\"{token}\" at 12:00\n");
    let spans: Vec<(usize, usize)> = re
        .captures_iter(line.as_bytes())
        .filter_map(|c| c.get(rule.secret_group.unwrap_or(0)))
        .map(|m| (m.start(), m.end()))
        .collect();
    if spans.is_empty() {
        return Err(TestCaseError::fail(format!("rule {}: generated token does not match in context", rule.id)));
    }
    let findings = redactor.scan(line.as_bytes());
    for (start, end) in spans {
        let secret = &line.as_bytes()[start..end];
        if rule.entropy.is_some_and(|min| shannon_entropy(secret) < min) {
            // Below the rule's entropy floor: left alone by design.
            continue;
        }
        let masked = (start..end).all(|i| findings.iter().any(|f| f.start <= i && i < f.end));
        if !masked {
            return Err(TestCaseError::fail(format!("rule {}: secret at {start}..{end} not masked", rule.id)));
        }
    }
    Ok(())
}

#[test]
fn generated_positives_are_masked() {
    let redactor = Redactor::default();
    check_every_bounded_rule(64, |rule, re, token| check_token(&redactor, rule, re, token));
}
