//! Per-rule counts: the `--summary` table on stderr and the `--report FILE` JSON.

use std::io::Write;
use std::path::Path;

use hush::Report;
use serde_json::{Value, json};

use crate::common::CliError;

/// The `--summary` text: a headline, then one line per rule, most frequent first.
pub fn summary_text(report: &Report, dry_run: bool) -> String {
    let total = report.total();
    let verb = if dry_run { "would redact" } else { "redacted" };
    let mut text =
        format!("hush: {verb} {total} secret{} in {} line{}\n", plural(total), report.lines, plural(report.lines));
    let mut rows: Vec<(&String, &hush::RuleCount)> = report.rules.iter().collect();
    rows.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(b.0)));
    let width = rows.iter().map(|(id, _)| id.len()).max().unwrap_or(0);
    for (id, count) in rows {
        let kind = count.kind.map_or("", |k| k.as_str());
        text.push_str(&format!("  {id:<width$}  {:>8}  {kind}", count.count));
        if count.truncated > 0 {
            text.push_str(&format!("  ({} capped at the length limit)", count.truncated));
        }
        text.push('\n');
    }
    text
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The report as JSON: totals, per-rule counts and per-file totals.
pub fn report_json(report: &Report, files: &[(String, Report)], dry_run: bool) -> Value {
    let rules: serde_json::Map<String, Value> = report
        .rules
        .iter()
        .map(|(id, c)| {
            (id.clone(), json!({ "kind": c.kind.map(|k| k.as_str()), "count": c.count, "truncated": c.truncated }))
        })
        .collect();
    let files: Vec<Value> = files
        .iter()
        .map(|(path, r)| json!({ "path": path, "total": r.total(), "lines": r.lines, "bytes_in": r.bytes_in }))
        .collect();
    json!({
        "hush_version": env!("CARGO_PKG_VERSION"),
        "catalog_version": hush::CATALOG_VERSION,
        "dry_run": dry_run,
        "total": report.total(),
        "lines": report.lines,
        "bytes_in": report.bytes_in,
        "bytes_out": report.bytes_out,
        "rules": rules,
        "files": files,
    })
}

/// Writes the JSON report to `path`.
pub fn write_report_file(path: &Path, value: &Value) -> Result<(), CliError> {
    let mut text = serde_json::to_vec_pretty(value).map_err(|e| CliError::usage(format!("report: {e}")))?;
    text.push(b'\n');
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(path)?;
        f.write_all(&text)?;
        f.sync_all()
    };
    write().map_err(|e| CliError::write_failed(path.display(), &e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hush::{RuleCount, RuleKind};

    fn sample() -> Report {
        let mut r = Report { lines: 3, bytes_in: 10, bytes_out: 12, ..Report::default() };
        r.rules.insert("jwt".into(), RuleCount { kind: Some(RuleKind::Format), count: 1, truncated: 0 });
        r.rules.insert("key:password".into(), RuleCount { kind: Some(RuleKind::Key), count: 2, truncated: 1 });
        r
    }

    #[test]
    fn summary_lists_rules_by_count() {
        let text = summary_text(&sample(), false);
        assert!(text.starts_with("hush: redacted 3 secrets in 3 lines\n"), "{text}");
        let pw = text.find("key:password").unwrap();
        assert!(pw < text.find("jwt").unwrap());
        assert!(text.contains("(1 capped"));
        assert!(summary_text(&Report::default(), true).starts_with("hush: would redact 0 secrets in 0 lines"));
    }

    #[test]
    fn report_json_has_counts() {
        let v = report_json(&sample(), &[("a.log".into(), sample())], true);
        assert_eq!(v["total"], 3);
        assert_eq!(v["dry_run"], true);
        assert_eq!(v["rules"]["key:password"]["count"], 2);
        assert_eq!(v["rules"]["key:password"]["kind"], "key");
        assert_eq!(v["files"][0]["path"], "a.log");
    }
}
