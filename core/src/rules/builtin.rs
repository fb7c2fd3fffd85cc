//! The built-in format rules: structural rules (PEM keys, JWTs, HTTP credentials) here,
//! the vendor token catalogue in [`catalog`](super::catalog).

use super::format::{FormatRule, RuleSource};

/// Version of the built-in rule catalogue, printed by `hush --version`.
pub const CATALOG_VERSION: &str = "2026.12.2";

fn rule(id: &str, description: &str, regex: &str, keywords: &[&str]) -> FormatRule {
    let mut r = FormatRule::new(id, regex, keywords).description(description);
    r.source = RuleSource::Builtin;
    r
}

/// Structural rules: shapes that carry secrets whatever the vendor.
pub(crate) fn structural_rules() -> Vec<FormatRule> {
    vec![
        rule(
            "private-key",
            "PEM private key on one line (escaped newlines, e.g. inside JSON)",
            r"-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY( BLOCK)?-----((?:\\n|\\r|\s)[A-Za-z0-9+/=:, \-\\]{16,}?)(?:\\n|\\r|\s)*-----END[ A-Z0-9]{0,40}PRIVATE KEY( BLOCK)?-----",
            &["PRIVATE KEY"],
        )
        .secret_group(2)
        .max_len(16 * 1024)
        .examples(
            &[r#""-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n""#],
            &["-----BEGIN PUBLIC KEY-----\\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\\n-----END PUBLIC KEY-----"],
        ),
        rule(
            "jwt",
            "JSON Web Token (header.payload.signature, base64url)",
            r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
            &["eyJ"],
        )
        .examples(
            &["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"],
            &["eyJhbGciOiJIUzI1NiJ9 is a header only"],
        ),
        rule(
            "bearer-token",
            "HTTP Bearer credential",
            r"(?i:\bbearer)\s+([A-Za-z0-9\-._~+/]{8,}=*)",
            &["bearer", "Bearer"],
        )
        .secret_group(1)
        .examples(&["Authorization: Bearer 9f8e7d6c5b4a39281706f5e4"], &["bearer authentication failed"]),
        rule(
            "basic-auth",
            "HTTP Basic credential (base64 of user:password)",
            r"(?i:\bbasic)\s+([A-Za-z0-9+/]{6,}={0,2})",
            &["basic", "Basic"],
        )
        .secret_group(1)
        .examples(&["Authorization: Basic YWRtaW46aHVudGVyMg=="], &["Basic authentication is enabled"]),
    ]
}
