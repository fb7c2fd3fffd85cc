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
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn catalogue_size_and_ids() {
    let rules = builtin_format_rules();
    assert!(rules.len() >= STRUCTURAL + 40, "only {} built-in rules", rules.len());
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
            failures.push(format!("rule {} lacks a positive or a negative example", rule.id));
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
        let hir = regex_syntax::ParserBuilder::new().unicode(false).utf8(false).build().parse(&rule.regex).unwrap();
        if hir.properties().maximum_len().is_none_or(|n| n > 1 << 16) {
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
                    failures.push(format!("rule {}: the match in example #{n} holds none of its keywords", rule.id));
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
                failures.push(format!("rule {}: its regex does not match example #{n}", rule.id));
            }
            let findings = redactor.scan(input);
            let output = redactor.redact(input);
            for (start, end) in spans {
                if !covered(&findings, start, end) {
                    failures.push(format!("rule {}: secret at {start}..{end} of example #{n} is not masked", rule.id));
                }
                let secret = &input[start..end];
                if secret.len() >= 8 && output.windows(secret.len()).any(|w| w == secret) {
                    failures.push(format!("rule {}: example #{n} still holds its secret after redaction", rule.id));
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
            .format_rule(FormatRule { id: id.clone(), ..rule.clone() })
            .build()
            .unwrap();
        for (n, example) in rule.examples.iter().enumerate() {
            if !redactor.scan(example.as_bytes()).iter().any(|f| f.rule.as_str() == id) {
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
            if redactor.scan(example.as_bytes()).iter().any(|f| f.rule.as_str() == rule.id) {
                failures.push(format!("rule {} matches its counter-example #{n}", rule.id));
            }
        }
    }
    check(failures);
}

/// Everyday log lines full of things that look random but are public: UUIDs, git SHAs,
/// digests, base64 payloads, `/api/` paths, Stripe object ids, Twilio SIDs, fingerprints.
const REALISTIC_LINES: &[&str] = &[
    r#"10.0.0.7 - - [01/May/2024:12:00:00 +0000] "GET /api/v1/users/6513270e-269e-0d37-f2a7-4de452e6b438 HTTP/1.1" 200 0 "-" "Mozilla/5.0 (X11; Linux x86_64)" rt=0.004"#,
    "2024-05-01T12:01:01.001Z INFO  [req 95e761d1-7731-af10-506b-f2efc6f87718] commit=356a192b7913b04c54574d18c28d46e6395428ab image=ghcr.io/acme/api@sha256:6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b",
    r#"{"ts":"2024-05-01T12:02:02.002Z","level":"info","msg":"request done","trace_id":"c81e728d9d4c2f636f067f89cc14862c","span_id":"da4b9237bacccdf1","path":"/api/v1/sessions?id=e3151288-62c3-3a4f-b774-eb5248db40af","status":200}"#,
    "2024-05-01T12:03:03.003Z DEBUG mq: payload=vQ105t7H89+uzI9kZWZkGnuiZg8wEfw1cCkcV5kN size=40 partition=3 offset=39",
    "2024-05-01T12:04:04.004Z WARN  k8s: Pod api-1b64538924-xfogo Back-off restarting failed container uid=842e7fc2-2954-0a6e-b12a-a1f6d42fddbb",
    "\tat com.acme.api.OrderService.process(OrderService.java:5) Caused by: java.lang.IllegalStateException: Key e4da3b7fbbce2345d7772b0674a318d5 not found",
    "2024-05-01T12:06:06.006Z INFO  stripe: customer cus_JdpmrcXgGCJbW5 payment_intent pi_6eCuNGMGmSrCGIZEG8pSH448 charge ch_7q7J58m1CiAhzCueQpBenQtY pk_live_h5Xj8TPQxjq4i9DoV8gz4FkQ",
    "2024-05-01T12:07:07.007Z INFO  twilio: account AC8f14e45fceea167a5a36dedd4bea2543 message SM8f14e45fceea167a5a36dedd4bea2543 status=delivered",
    "2024-05-01T12:08:08.008Z INFO  sshd[8]: Accepted publickey for git from 10.1.8.9 port 40008 ssh2: RSA SHA256:LGJCMs3SIXcSlN+7MQrKAAoN9qyLZraW2Q7wb977ZKM",
    "2024-05-01T12:09:09.009Z INFO  gitlab: pipeline #9 sha=0ade7c2cf97f75d009975f4d720d1fa6c19f4897 ref=main tags=docker,asia-east1",
    r#"2024-05-01T12:10:10.010Z INFO  AWS: arn:aws:s3:::bucket-b1d578/logs/a7f0c99e.gz region=ap-southeast-1 ETag="d3d9446802a44259755d38e6d163e820" VersionId=TR9SPofbciOx9gy1CJdObOIRpFqaDZeV"#,
    "2024-05-01T12:11:11.011Z DEBUG cache: etag F6iGEL68eUDPE9hDPLrBNDu9pvl SKU SK6512bd43d9 task disk risk 1//2 00:AA:17 -us1 msg.SG.x ya29.2",
    r#"10.0.84.0 - - [01/May/2024:12:00:24 +0000] "GET /v2/acme/api/blobs/sha256:44c8031cb036a7350d8b9b8603af662a4b9cdbd2f96e8d5de5af435c9c35da69 HTTP/1.1" 200 588"#,
    r#"10.0.84.1 - - [01/May/2024:12:00:25 +0000] "GET /api/skus/SKa0a080f42e6f13b3a2df133f073095dd HTTP/1.1" 404 0"#,
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIW3KNH/LjDuHxfJOa7SZCb/b7g6taVYroF4YvgFLkbe deploy@ci",
    "2024-05-01T12:12:12.012Z INFO  heroku: release v142 app_id=7d9ffaa8-0683-7a82-e10c-ac5ca2fbb73b dyno=web.1",
];

#[test]
fn realistic_log_lines_are_left_alone() {
    let catalogue: HashSet<String> = builtin_format_rules().into_iter().map(|r| r.id).collect();
    let redactor = Redactor::default();
    let mut failures = Vec::new();
    for (n, line) in REALISTIC_LINES.iter().enumerate() {
        for f in redactor.scan(line.as_bytes()) {
            if catalogue.contains(f.rule.as_str()) {
                failures.push(format!("line #{n}: rule {} fired at {}..{}", f.rule, f.start, f.end));
            }
        }
    }
    check(failures);
}
