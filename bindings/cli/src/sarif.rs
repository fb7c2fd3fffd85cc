//! SARIF 2.1.0 output of `hush scan`, as code-scanning services read it.

use std::collections::BTreeMap;

use hush::Redactor;
use serde_json::{Value, json};

use crate::scan::Located;

/// The SARIF schema `hush scan --format sarif` follows.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Key of the fingerprint in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "hushSecretHash/v1";

/// Turns a path into a relative URI reference: `/` separators, no leading `./`, and
/// percent-encoding of everything but unreserved characters and `/`.
pub fn path_uri(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path);
    let mut uri = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => uri.push(b as char),
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri
}

fn rule_descriptor(id: &str, description: &str, kind: &str, source: &str) -> Value {
    json!({
        "id": id,
        "name": id,
        "shortDescription": { "text": description },
        "defaultConfiguration": { "level": "error" },
        "properties": { "kind": kind, "source": source },
    })
}

/// The SARIF log for `findings`: every active rule in `tool.driver.rules`, plus any rule
/// that fired without being listed (key rules are named by the word that matched).
pub fn document(red: &Redactor, findings: &[Located]) -> Value {
    let mut rules: Vec<Value> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for info in red.rules().iter().filter(|r| r.active) {
        if !index.contains_key(&info.id) {
            index.insert(info.id.clone(), rules.len());
            rules.push(rule_descriptor(&info.id, &info.description, info.kind.as_str(), &info.source));
        }
    }
    for f in findings {
        if !index.contains_key(&f.rule_id) {
            index.insert(f.rule_id.clone(), rules.len());
            let description = match f.kind {
                "key" => "value bound to a sensitive key name",
                "known" => "known secret value (or an encoding of it)",
                _ => "secret token format",
            };
            rules.push(rule_descriptor(&f.rule_id, description, f.kind, "builtin"));
        }
    }
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut result = json!({
                "ruleId": f.rule_id,
                "ruleIndex": index[&f.rule_id],
                "level": "error",
                "message": { "text": format!("Secret found by rule {} ({} rule); value not shown.", f.rule_id, f.kind) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": path_uri(&f.path) },
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.char_column,
                            "endLine": f.end_line,
                            "endColumn": f.char_end_column,
                        }
                    }
                }],
            });
            if let Some(fp) = &f.fingerprint {
                result["partialFingerprints"] = json!({ FINGERPRINT_KEY: fp });
            }
            result
        })
        .collect();
    json!({
        "version": "2.1.0",
        "$schema": SCHEMA,
        "runs": [{
            "tool": {
                "driver": {
                    "name": "hush",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://example.invalid/hush",
                    "properties": { "catalogVersion": hush::CATALOG_VERSION },
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(path_uri("./src/app.env"), "src/app.env");
        assert_eq!(path_uri("my logs/a#1.txt"), "my%20logs/a%231.txt");
        assert_eq!(path_uri("-"), "-");
    }

    #[test]
    fn document_has_required_fields() {
        let red = Redactor::builder().hash_key(b"0123456789abcdef").build().unwrap();
        let loc = Located {
            path: "./a.env".into(),
            rule_id: "key:password".into(),
            kind: "key",
            line: 3,
            column: 10,
            end_line: 3,
            end_column: 20,
            char_column: 9,
            char_end_column: 19,
            fingerprint: Some("00112233aabbccdd".into()),
        };
        let doc = document(&red, &[loc]);
        assert_eq!(doc["version"], "2.1.0");
        let run = &doc["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let r = &run["results"][0];
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], "key:password");
        assert_eq!(r["locations"][0]["physicalLocation"]["region"]["startColumn"], 9);
        assert_eq!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "a.env");
        assert_eq!(r["partialFingerprints"][FINGERPRINT_KEY], "00112233aabbccdd");
    }
}
