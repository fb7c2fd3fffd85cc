//! The built-in format rules against their own examples: every positive example is
//! masked (the secret part is covered by findings and gone from the output), every
//! near miss is left alone by its rule.
//!
//! Failure messages name rules and example numbers, never the example text.

use std::collections::HashSet;

use hush::rules::builtin_format_rules;
use hush::{FormatRule, KeyRules, Redactor};
use regex::bytes::{Regex, RegexBuilder};

/// Rules from the core issue's structural set; the catalogue comes on top.
const STRUCTURAL: usize = 4;

fn compile(rule: &FormatRule) -> Regex {
    RegexBuilder::new(&rule.regex)
        .unicode(false)
        .build()
        .unwrap_or_else(|e| panic!("rule {} does not compile: {e}", rule.id))
}

/// Byte spans of the secret part of each match of `rule` in `text`.
fn secret_spans(rule: &FormatRule, re: &Regex, text: &[u8]) -> Vec<(usize, usize)> {
    re.captures_iter(text)
        .filter_map(|c| c.get(rule.secret_group.unwrap_or(0)))
        .map(|m| (m.start(), m.end()))
        .filter(|(s, e)| s < e)
        .collect()
}

/// Is every byte of `start..end` inside some finding?
fn covered(findings: &[hush::Finding], start: usize, end: usize) -> bool {
    (start..end).all(|i| findings.iter().any(|f| f.start <= i && i < f.end))
}

/// Fails with every message at once, so one run shows all broken rules.
fn check(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn catalogue_size_and_ids() {
    let rules = builtin_format_rules();
    assert!(
        rules.len() >= STRUCTURAL + 40,
        "only {} built-in rules",
        rules.len()
    );
    let mut ids = HashSet::new();
    let mut failures = Vec::new();
    for rule in &rules {
        if !ids.insert(rule.id.clone()) {
            failures.push(format!("duplicate rule id {}", rule.id));
        }
        if rule.description.is_empty() || rule.keywords.is_empty() {
            failures.push(format!("rule {} lacks a description or keywords", rule.id));
        }
        if rule.examples.is_empty() || rule.counter_examples.is_empty() {
            failures.push(format!(
                "rule {} lacks a positive or a negative example",
                rule.id
            ));
        }
        if rule.source != hush::RuleSource::Builtin {
            failures.push(format!("rule {} is not marked builtin", rule.id));
        }
    }
    check(failures);
}

#[test]
fn every_catalogue_regex_is_bounded() {
    let mut failures = Vec::new();
    for rule in builtin_format_rules().iter().skip(STRUCTURAL) {
        let hir = regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .build()
            .parse(&rule.regex)
            .unwrap();
        if !hir.properties().maximum_len().is_some_and(|n| n <= 1 << 16) {
            failures.push(format!("rule {} is unbounded", rule.id));
        }
    }
    check(failures);
}

#[test]
fn every_example_match_holds_a_keyword() {
    // The engine runs a rule only where one of its keywords occurs (as given, lower or
    // UPPER case): a match without one would never be found.
    let mut failures = Vec::new();
    for rule in builtin_format_rules() {
        let re = compile(&rule);
        for (n, example) in rule.examples.iter().enumerate() {
            for m in re.find_iter(example.as_bytes()) {
                let text = m.as_bytes();
                let found = rule.keywords.iter().any(|k| {
                    [k.clone(), k.to_ascii_lowercase(), k.to_ascii_uppercase()]
                        .iter()
                        .any(|form| text.windows(form.len()).any(|w| w == form.as_bytes()))
                });
                if !found {
                    failures.push(format!(
                        "rule {}: the match in example #{n} holds none of its keywords",
                        rule.id
                    ));
                }
            }
        }
    }
    check(failures);
}

#[test]
fn positive_examples_are_masked() {
    let redactor = Redactor::default();
    let mut failures = Vec::new();
    for rule in builtin_format_rules() {
        let re = compile(&rule);
        for (n, example) in rule.examples.iter().enumerate() {
            let input = example.as_bytes();
            let spans = secret_spans(&rule, &re, input);
            if spans.is_empty() {
                failures.push(format!(
                    "rule {}: its regex does not match example #{n}",
                    rule.id
                ));
            }
            let findings = redactor.scan(input);
            let output = redactor.redact(input);
            for (start, end) in spans {
                if !covered(&findings, start, end) {
                    failures.push(format!(
                        "rule {}: secret at {start}..{end} of example #{n} is not masked",
                        rule.id
                    ));
                }
                let secret = &input[start..end];
                if secret.len() >= 8 && output.windows(secret.len()).any(|w| w == secret) {
                    failures.push(format!(
                        "rule {}: example #{n} still holds its secret after redaction",
                        rule.id
                    ));
                }
            }
        }
    }
    check(failures);
}

#[test]
fn positive_examples_are_found_by_their_own_rule() {
    // Without key rules and other format rules, each rule must find its examples itself.
    let mut failures = Vec::new();
    for rule in builtin_format_rules().into_iter().skip(STRUCTURAL) {
        let id = format!("{}-alone", rule.id);
        let redactor = Redactor::builder()
            .builtin_formats(false)
            .key_rules(KeyRules::new::<&str>(&[], &[], &[], &[]))
            .format_rule(FormatRule {
                id: id.clone(),
                ..rule.clone()
            })
            .build()
            .unwrap();
        for (n, example) in rule.examples.iter().enumerate() {
            if !redactor
                .scan(example.as_bytes())
                .iter()
                .any(|f| f.rule.as_str() == id)
            {
                failures.push(format!("rule {} alone does not find example #{n}", rule.id));
            }
        }
    }
    check(failures);
}

#[test]
fn counter_examples_are_not_matched_by_their_rule() {
    let redactor = Redactor::default();
    let mut failures = Vec::new();
    for rule in builtin_format_rules() {
        for (n, example) in rule.counter_examples.iter().enumerate() {
            if redactor
                .scan(example.as_bytes())
                .iter()
                .any(|f| f.rule.as_str() == rule.id)
            {
                failures.push(format!("rule {} matches its counter-example #{n}", rule.id));
            }
        }
    }
    check(failures);
}
