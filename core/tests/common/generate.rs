//! Generators of positives for the built-in format rules: strings generated from each
//! rule's regex (`proptest::string::string_regex_parsed`), adjusted as described in
//! `catalog_proptest.rs`, and the loop that runs a property on them for every rule.
//! Shared by that test and `no_leak_proptest.rs`.

use base64::Engine as _;
use hush::FormatRule;
use hush::rules::builtin_format_rules;
use proptest::strategy::{BoxedStrategy, Strategy};
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use regex::bytes::{Regex, RegexBuilder};
use regex_syntax::hir::{Capture, Class, ClassBytes, ClassBytesRange, Hir, HirKind, Repetition};

/// Repetitions are generated at most this many times past their minimum: the longest
/// tokens (4 KiB session tokens, 16 KiB key bodies) would make the test slow, and the
/// examples already cover them.
const MAX_EXTRA_REPEATS: u32 = 200;

/// The rule's regex as a generator (see the module docs).
pub fn generator_hir(regex: &str) -> Hir {
    let hir = regex_syntax::ParserBuilder::new().unicode(false).utf8(false).build().parse(regex).unwrap();
    adjust(&hir)
}

fn adjust(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Hir::empty(),
        HirKind::Literal(_) => hir.clone(),
        HirKind::Class(Class::Bytes(class)) => Hir::class(Class::Bytes(printable(class))),
        HirKind::Class(Class::Unicode(_)) => unreachable!("parsed with Unicode off"),
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(adjust(&rep.sub)),
            max: rep.max.map(|max| max.min(rep.min + MAX_EXTRA_REPEATS)),
            ..rep.clone()
        }),
        HirKind::Capture(cap) => Hir::capture(Capture { sub: Box::new(adjust(&cap.sub)), ..cap.clone() }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(adjust).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(adjust).collect()),
    }
}

fn printable(class: &ClassBytes) -> ClassBytes {
    let mut out = class.clone();
    out.intersect(&ClassBytes::new([ClassBytesRange::new(b' ', b'~')]));
    let bytes: Vec<u8> = out.iter().flat_map(|r| r.start()..=r.end()).collect();
    if let [a, b] = bytes[..]
        && a.is_ascii_uppercase()
        && b == a.to_ascii_lowercase()
    {
        return ClassBytes::new([ClassBytesRange::new(b, b)]);
    }
    out
}

/// Rules the engine also validates beyond their regex, or whose regex also takes what is no
/// positive, with a generator of valid values.
pub fn generator(rule: &FormatRule, hir: &Hir) -> BoxedStrategy<String> {
    match rule.id.as_str() {
        // The engine keeps only `auth` values that decode to `user:password`.
        "docker-config-auth" => ("[a-z][a-z0-9._-]{0,15}", "[!-~]{1,24}", "[ \t]{0,3}")
            .prop_map(|(user, password, space)| {
                let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
                format!("\"auth\":{space}\"{auth}\"")
            })
            .boxed(),
        // The regex also takes a mask where the credential goes (so that the next pass
        // does not move on to a later flag): no positive, so not generated.
        "curl-user-password" => {
            let mask = r"\[REDACTED[^\]\s]{0,64}\]|";
            assert!(rule.regex.contains(mask), "curl-user-password no longer takes a mask");
            proptest::string::string_regex_parsed(&generator_hir(&rule.regex.replacen(mask, "", 1)))
                .unwrap_or_else(|e| panic!("rule {}: no generator: {e}", rule.id))
                .boxed()
        }
        _ => proptest::string::string_regex_parsed(hir)
            .unwrap_or_else(|e| panic!("rule {}: no generator: {e}", rule.id))
            .boxed(),
    }
}

/// Runs `test` on `cases` values of `strategy`. A failure reports the test's reason only:
/// the shrunk input is a secret and is not printed.
pub fn run_quietly<S: Strategy>(
    strategy: &S,
    cases: u32,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) -> Result<(), String> {
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    runner.run(strategy, test).map_err(|e| match e {
        TestError::Fail(reason, _) => reason.to_string(),
        TestError::Abort(reason) => reason.to_string(),
    })
}

/// Checks `property` on `cases` generated tokens of every built-in rule with a bounded
/// regex (the unbounded structural rules, JWT, bearer and basic, have no generator),
/// given the rule, its regex (bytes, Unicode off) and the token. Panics when fewer than
/// 40 rules were tested or any failed, with each failing rule's reason (which names the
/// rule and offsets, never the token).
pub fn check_every_bounded_rule(cases: u32, property: impl Fn(&FormatRule, &Regex, &str) -> Result<(), TestCaseError>) {
    let mut failures = Vec::new();
    let mut tested = 0;
    for rule in builtin_format_rules() {
        let hir = generator_hir(&rule.regex);
        if hir.properties().maximum_len().is_none() {
            continue;
        }
        tested += 1;
        let strategy = generator(&rule, &hir);
        let re = RegexBuilder::new(&rule.regex).unicode(false).build().unwrap();
        if let Err(e) = run_quietly(&strategy, cases, |token| property(&rule, &re, &token)) {
            failures.push(e);
        }
    }
    assert!(tested >= 40, "only {tested} rules were generated from");
    assert!(failures.is_empty(), "{} rules failed:\n{}", failures.len(), failures.join("\n"));
}
