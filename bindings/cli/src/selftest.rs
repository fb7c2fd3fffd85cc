//! `hush selftest`: prove that the configured redactor still scrubs what it should.
//!
//! Pushed through the redactor built from the user's options and config: every active
//! built-in rule's own positive examples, one key-rule canary per syntax, and every loaded
//! known value in each of its encodings (checked inside the core; never printed). A check
//! that fails with the config but passes without it is reported `disabled by config`.

use std::collections::HashMap;
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use hush::{Redactor, RuleInfo};

use crate::common::{
    CliError, CommonArgs, EXIT_FINDINGS, EXIT_OK, build_redactor, builder_ignoring_config, config_path,
};
use crate::{exit_status, output};

/// Arguments of `hush selftest` (the config comes from the global `--config`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SelftestArgs {
    /// Print only failures and the totals.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// The outcome of one check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Scrubbed.
    Passed,
    /// Something survived.
    Failed(String),
    /// The rule is off or allowlisted by the config (not counted as passing).
    DisabledByConfig,
    /// The rule is inactive for another reason (a path-only gitleaks rule).
    Inactive(String),
}

/// One line of the self-test report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// What was checked: a rule id, `canary:<syntax>` or a known-value rule id.
    pub name: String,
    /// Its outcome.
    pub outcome: Outcome,
}

/// Key-name syntaxes, each with one line holding `{}` where the canary goes.
pub const CANARY_SYNTAXES: &[(&str, &str)] = &[
    ("env", "DB_PASSWORD={}\n"),
    ("export", "export DB_PASSWORD=\"{}\"\n"),
    ("logfmt", "level=info user=app password=\"{}\" host=db\n"),
    ("yaml", "  password: {}\n"),
    ("json", "{\"user\": \"app\", \"password\": \"{}\"}\n"),
    ("python-repr", "{'user': 'app', 'password': '{}'}\n"),
    ("go-struct", "{User:admin Password:{} Host:db}\n"),
    ("java-properties", "spring.datasource.password={}\n"),
    ("url-userinfo", "postgres://app:{}@db:5432/app\n"),
    ("url-query", "GET /login?user=app&token={}&next=1\n"),
    ("cli-flag", "mysql --user app --password {} --host db\n"),
    ("xml", "<password>{}</password>\n"),
    ("http-bearer", "Authorization: Bearer {}\n"),
    ("cookie", "Cookie: theme=dark; session={}\n"),
];

/// A fresh canary value: random-looking, not a placeholder, never a real secret.
fn canary() -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let mix = (nanos as u64) ^ (u64::from(std::process::id()) << 32) ^ 0x9E37_79B9_7F4A_7C15;
    format!("Hs7q{:016x}Zk", mix.wrapping_mul(0xBF58_476D_1CE4_E5B9))
}

/// Whether `text` comes out of `red` with `secret` gone.
fn scrubs(red: &Redactor, text: &[u8], secret: &[u8]) -> bool {
    let out = red.redact(text);
    !out.windows(secret.len().max(1)).any(|w| w == secret)
}

/// Whether `example` (a rule's positive example) is masked at all.
fn masks(red: &Redactor, example: &[u8]) -> bool {
    let (out, report) = red.redact_with_report(example);
    report.total() > 0 && out.as_ref() != example
}

/// Runs every check. `baseline` is the same options without the config, used to tell a
/// check the config turned off from one that fails.
pub fn run_checks(red: &Redactor, baseline: Option<&Redactor>, has_config: bool) -> Vec<Check> {
    let infos: HashMap<String, RuleInfo> = red.rules().into_iter().map(|r| (r.id.clone(), r)).collect();
    let off_by_config = |passes_baseline: bool| has_config && passes_baseline;
    let mut checks = Vec::new();

    for rule in hush::rules::builtin_format_rules() {
        if rule.examples.is_empty() {
            continue;
        }
        let outcome = match infos.get(&rule.id) {
            None if has_config => Outcome::DisabledByConfig,
            None => Outcome::Failed("rule is not loaded".into()),
            Some(info) if !info.active => match info.reason.as_deref() {
                Some(r) if r.contains("config") => Outcome::DisabledByConfig,
                Some(r) => Outcome::Inactive(r.to_owned()),
                None => Outcome::Inactive("inactive".into()),
            },
            Some(_) => {
                let failed: Vec<usize> =
                    (0..rule.examples.len()).filter(|&i| !masks(red, rule.examples[i].as_bytes())).collect();
                if failed.is_empty() {
                    Outcome::Passed
                } else if off_by_config(
                    baseline.is_some_and(|b| failed.iter().all(|&i| masks(b, rule.examples[i].as_bytes()))),
                ) {
                    Outcome::DisabledByConfig
                } else {
                    let which: Vec<String> = failed.iter().map(|i| (i + 1).to_string()).collect();
                    Outcome::Failed(format!("example {} of {} not masked", which.join(", "), rule.examples.len()))
                }
            }
        };
        checks.push(Check { name: rule.id.clone(), outcome });
    }

    let value = canary();
    for (syntax, template) in CANARY_SYNTAXES {
        let line = template.replace("{}", &value);
        let outcome = if scrubs(red, line.as_bytes(), value.as_bytes()) {
            Outcome::Passed
        } else if off_by_config(baseline.is_some_and(|b| scrubs(b, line.as_bytes(), value.as_bytes()))) {
            Outcome::DisabledByConfig
        } else {
            Outcome::Failed("canary value survived".into())
        };
        checks.push(Check { name: format!("canary:{syntax}"), outcome });
    }

    for known in red.check_known_values() {
        let outcome = if known.survived == 0 {
            Outcome::Passed
        } else {
            Outcome::Failed(format!("{} of {} encodings not masked", known.survived, known.forms))
        };
        checks.push(Check { name: known.rule, outcome });
    }
    checks
}

/// The report text; failures always, passes unless `quiet`.
pub fn render(checks: &[Check], quiet: bool) -> String {
    let mut text = String::new();
    let (mut passed, mut failed, mut disabled, mut inactive) = (0, 0, 0, 0);
    for c in checks {
        let line = match &c.outcome {
            Outcome::Passed => {
                passed += 1;
                (!quiet).then(|| format!("ok                  {}", c.name))
            }
            Outcome::Failed(why) => {
                failed += 1;
                Some(format!("FAILED              {}: {why}", c.name))
            }
            Outcome::DisabledByConfig => {
                disabled += 1;
                (!quiet).then(|| format!("disabled by config  {}", c.name))
            }
            Outcome::Inactive(why) => {
                inactive += 1;
                (!quiet).then(|| format!("inactive            {}: {why}", c.name))
            }
        };
        if let Some(line) = line {
            text.push_str(&line);
            text.push('\n');
        }
    }
    text.push_str(&format!(
        "selftest: {passed} passed, {failed} failed, {disabled} disabled by config, {inactive} inactive\n"
    ));
    text
}

/// `hush selftest`'s entry point.
pub fn main(args: SelftestArgs, common: &CommonArgs) -> i32 {
    exit_status(run(&args, common))
}

fn run(args: &SelftestArgs, common: &CommonArgs) -> Result<i32, CliError> {
    let red = build_redactor(common)?;
    let has_config = config_path(common).is_some();
    let baseline = if has_config { builder_ignoring_config(common)?.build().ok() } else { None };
    let checks = run_checks(&red, baseline.as_ref(), has_config);
    let mut out = output::stdout();
    out.write_all(render(&checks, args.quiet).as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| output::stdout_error(&e))?;
    let any_failed = checks.iter().any(|c| matches!(c.outcome, Outcome::Failed(_)));
    Ok(if any_failed { EXIT_FINDINGS } else { EXIT_OK })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canaries_are_fresh_and_not_placeholders() {
        let c = canary();
        assert!(
            c.len() >= 20 && c.chars().any(|ch| ch.is_ascii_digit()) && c.chars().any(|ch| ch.is_ascii_uppercase())
        );
    }

    #[test]
    fn a_redactor_that_misses_a_known_value_fails() {
        let red = Redactor::builder().known_value(b"plum-Orbit-4471").build().unwrap();
        let checks = run_checks(&red, None, false);
        let known = checks.iter().find(|c| c.name == "known:api:1").unwrap();
        assert_eq!(known.outcome, Outcome::Passed);
        assert!(checks.iter().any(|c| c.name == "jwt"), "built-in examples are checked");
    }

    #[test]
    fn render_counts_and_hides_passes_when_quiet() {
        let checks = vec![
            Check { name: "jwt".into(), outcome: Outcome::Passed },
            Check { name: "canary:xml".into(), outcome: Outcome::Failed("canary value survived".into()) },
            Check { name: "github-pat".into(), outcome: Outcome::DisabledByConfig },
        ];
        let text = render(&checks, true);
        assert!(!text.contains("ok "));
        assert!(text.contains("FAILED              canary:xml"));
        assert!(text.ends_with("selftest: 1 passed, 1 failed, 1 disabled by config, 0 inactive\n"));
    }
}
