//! `hush rules`: list the active and inactive rules, or validate a config with `--check`.

use std::io::Write;
use std::path::{Path, PathBuf};

use hush::RuleInfo;

use crate::common::{CliError, CommonArgs, EXIT_OK, build_redactor, load_config};
use crate::{exit_status, output};

/// Arguments of `hush rules`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct RulesArgs {
    /// Validate the config FILE (parse it and compile its rules) instead of listing;
    /// exit 0 when valid, 2 with file:line and rule id when not.
    #[arg(long, value_name = "FILE")]
    pub check: Option<PathBuf>,
}

/// `hush rules`' entry point.
pub fn main(args: RulesArgs, common: &CommonArgs) -> i32 {
    exit_status(match &args.check {
        Some(file) => check(file),
        None => list(common),
    })
}

/// The rules table: id, kind, bound, source, status (with the reason when inactive) and
/// description, active rules first.
pub fn table(rules: &[RuleInfo]) -> String {
    let mut rows: Vec<[String; 6]> = rules
        .iter()
        .map(|r| {
            let status = match (&r.active, &r.reason) {
                (true, None) => "active".to_owned(),
                (true, Some(note)) => format!("active ({note})"),
                (false, Some(reason)) => format!("inactive: {reason}"),
                (false, None) => "inactive".to_owned(),
            };
            let bound = r.bound.map_or_else(|| "-".to_owned(), |b| b.to_string());
            [r.id.clone(), r.kind.as_str().to_owned(), bound, r.source.clone(), status, r.description.clone()]
        })
        .collect();
    rows.sort_by(|a, b| a[4].starts_with("inactive").cmp(&b[4].starts_with("inactive")).then_with(|| a[0].cmp(&b[0])));
    let header = ["ID", "KIND", "BOUND", "SOURCE", "STATUS", "DESCRIPTION"].map(str::to_owned);
    let mut widths = [0usize; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(cell.len());
        }
    }
    let mut text = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        for (cell, w) in row.iter().zip(widths) {
            text.push_str(&format!("{cell:<w$}  "));
        }
        text.push_str(&row[5]);
        text.push('\n');
    }
    text
}

fn list(common: &CommonArgs) -> Result<i32, CliError> {
    let red = build_redactor(common)?;
    let mut out = output::stdout();
    out.write_all(table(&red.rules()).as_bytes()).and_then(|()| out.flush()).map_err(|e| output::stdout_error(&e))?;
    Ok(EXIT_OK)
}

/// Parses `file` and compiles its rules with nothing else (no default sources, no other
/// options), so the verdict depends on the file alone.
fn check(file: &Path) -> Result<i32, CliError> {
    let config = load_config(file)?;
    let builder = hush::Redactor::builder().config(&config).map_err(|e| with_file(e, file))?;
    let red = builder.build().map_err(|e| with_file(e, file))?;
    let active = red.rules().iter().filter(|r| r.active).count();
    for w in red.warnings() {
        crate::output::diagnostic(format_args!("warning: {w}"));
    }
    let line = format!("{}: ok ({active} active rules)\n", file.display());
    output::write_stdout(line.as_bytes())?;
    Ok(EXIT_OK)
}

fn with_file(e: hush::Error, file: &Path) -> CliError {
    CliError::from(if e.file().is_some() { e } else { e.with_file(file) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hush::RuleKind;

    #[test]
    fn table_shows_status_and_reason() {
        let rules = vec![
            RuleInfo {
                id: "zz-off".into(),
                kind: RuleKind::Format,
                description: "off".into(),
                bound: None,
                source: "config".into(),
                active: false,
                reason: Some("disabled by config".into()),
            },
            RuleInfo {
                id: "jwt".into(),
                kind: RuleKind::Format,
                description: "JSON Web Token".into(),
                bound: Some(4096),
                source: "builtin".into(),
                active: true,
                reason: None,
            },
        ];
        let text = table(&rules);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("ID"));
        assert!(lines[1].starts_with("jwt ") && lines[1].contains("4096") && lines[1].contains("active"));
        assert!(lines[2].contains("inactive: disabled by config") && lines[2].contains(" - "));
    }
}
