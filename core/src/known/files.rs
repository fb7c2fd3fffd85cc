//! What a secret file holds: a single value, `KEY=VALUE` lines, a flat JSON object, a PEM
//! private key, other multi-line text, or a certificate / public key (never a secret).
//!
//! The engine matches line by line, so a value with a newline inside can never match
//! whole: multi-line content yields its lines instead.

use zeroize::Zeroizing;

use crate::rules::keys::KeyRules;

/// How a piece was cut from its file: decides the rule id and whether a rejection warns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PieceKind {
    /// The whole (single-line) content.
    Whole,
    /// The value of a sensitive key (`DB_PASSWORD=…`, `{"token": …}`).
    Keyed(String),
    /// One line of multi-line content: short or common lines are skipped silently.
    Line,
}

/// A candidate value cut from a file or variable.
pub(crate) struct Piece {
    pub(crate) kind: PieceKind,
    pub(crate) value: Zeroizing<Vec<u8>>,
}

/// The result of reading secret content.
pub(crate) enum Parsed {
    /// A certificate or public key: never a known value.
    Public,
    /// Candidate values (limits not yet applied).
    Values(Vec<Piece>),
}

/// Splits secret file content into candidate values; `keys` decides which keys of
/// `KEY=VALUE` files and flat JSON objects are secrets.
pub(crate) fn parse(content: &[u8], keys: &KeyRules) -> Parsed {
    if is_public(content) {
        return Parsed::Public;
    }
    if memchr::memmem::find(content, b"-----BEGIN").is_some() {
        return Parsed::Values(pem_lines(content));
    }
    let trimmed = content.trim_ascii();
    if trimmed.starts_with(b"{")
        && let Some(pieces) = flat_json(trimmed, keys)
    {
        return Parsed::Values(pieces);
    }
    if let Some(pieces) = key_values(content, keys) {
        return Parsed::Values(pieces);
    }
    Parsed::Values(plain(content))
}

/// Pieces of a value that may hold several lines (a PEM key in an env var or JSON field).
pub(crate) fn value_pieces(value: &[u8], kind: PieceKind) -> Vec<Piece> {
    if memchr::memmem::find(value, b"-----BEGIN").is_some() {
        return if is_public(value) {
            Vec::new()
        } else {
            pem_lines(value)
        };
    }
    let v = trim_newline(value);
    if memchr::memchr(b'\n', v).is_none() {
        return vec![Piece {
            kind,
            value: Zeroizing::new(v.to_vec()),
        }];
    }
    lines(v)
}

/// `value` without one trailing `\n` or `\r\n`.
pub(crate) fn trim_newline(value: &[u8]) -> &[u8] {
    let v = value.strip_suffix(b"\n").unwrap_or(value);
    v.strip_suffix(b"\r").unwrap_or(v)
}

/// A single value is used whole, both raw and without its trailing newline (shells strip
/// it, files keep it, `base64 file` encodes it); multi-line text yields its lines.
fn plain(content: &[u8]) -> Vec<Piece> {
    let trimmed = trim_newline(content);
    if memchr::memchr(b'\n', trimmed).is_some() {
        return lines(trimmed);
    }
    let mut out = vec![Piece {
        kind: PieceKind::Whole,
        value: Zeroizing::new(trimmed.to_vec()),
    }];
    if trimmed.len() != content.len() {
        out.push(Piece {
            kind: PieceKind::Whole,
            value: Zeroizing::new(content.to_vec()),
        });
    }
    out
}

fn lines(content: &[u8]) -> Vec<Piece> {
    content
        .split(|&b| b == b'\n')
        .map(|l| l.trim_ascii())
        .filter(|l| !l.is_empty())
        .map(|l| Piece {
            kind: PieceKind::Line,
            value: Zeroizing::new(l.to_vec()),
        })
        .collect()
}

/// Certificates, CRLs and public keys (PEM or OpenSSH) with no private key among them.
fn is_public(content: &[u8]) -> bool {
    let has = |needle: &[u8]| memchr::memmem::find(content, needle).is_some();
    if has(b"PRIVATE KEY") {
        return false;
    }
    let t = content.trim_ascii_start();
    has(b"-----BEGIN CERTIFICATE")
        || has(b"-----BEGIN TRUSTED CERTIFICATE")
        || has(b"-----BEGIN X509 CRL")
        || has(b"PUBLIC KEY-----")
        || [
            "ssh-rsa ",
            "ssh-ed25519 ",
            "ssh-dss ",
            "ecdsa-sha2-",
            "sk-ssh-",
            "sk-ecdsa-",
        ]
        .iter()
        .any(|p| t.starts_with(p.as_bytes()))
}

/// Body lines of PEM blocks that are not certificates or public keys; armour and header
/// lines (`-----BEGIN …`, `Proc-Type:`) are not secrets.
fn pem_lines(content: &[u8]) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut inside_secret = false;
    for raw in content.split(|&b| b == b'\n') {
        let line = raw.trim_ascii();
        if line.starts_with(b"-----BEGIN") {
            let label = line;
            inside_secret = !(memchr::memmem::find(label, b"CERTIFICATE").is_some()
                || memchr::memmem::find(label, b"PUBLIC KEY").is_some()
                || memchr::memmem::find(label, b"X509 CRL").is_some());
            continue;
        }
        if line.starts_with(b"-----END") {
            inside_secret = false;
            continue;
        }
        if inside_secret && !line.is_empty() && memchr::memchr(b':', line).is_none() {
            out.push(Piece {
                kind: PieceKind::Line,
                value: Zeroizing::new(line.to_vec()),
            });
        }
    }
    out
}

/// A flat JSON object: the string values of sensitive keys. `None` when not an object.
fn flat_json(content: &[u8], keys: &KeyRules) -> Option<Vec<Piece>> {
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(content).ok()?;
    let mut out = Vec::new();
    for (key, value) in map {
        let sensitive = keys.classify(&key).is_some();
        let mut strings = Vec::new();
        take_strings(value, &mut strings);
        // Only a string directly under a sensitive key is a value; nested ones are wiped.
        if sensitive && strings.len() == 1 {
            let s = strings.pop().expect("one string");
            out.extend(value_pieces(&s, PieceKind::Keyed(key)));
        }
    }
    Some(out)
}

/// Moves every string out of a JSON value into zeroize-on-drop buffers.
fn take_strings(value: serde_json::Value, out: &mut Vec<Zeroizing<Vec<u8>>>) {
    match value {
        serde_json::Value::String(s) => out.push(Zeroizing::new(s.into_bytes())),
        serde_json::Value::Array(items) => items.into_iter().for_each(|v| take_strings(v, out)),
        serde_json::Value::Object(map) => map.into_iter().for_each(|(_, v)| take_strings(v, out)),
        _ => {}
    }
}

/// A `KEY=VALUE` (dotenv) file: every non-blank, non-comment line is an assignment with a
/// non-empty value. Only values of sensitive keys are returned.
fn key_values(content: &[u8], keys: &KeyRules) -> Option<Vec<Piece>> {
    let mut out = Vec::new();
    let mut assignments = 0;
    for raw in content.split(|&b| b == b'\n') {
        let line = raw.trim_ascii();
        if line.is_empty() || line.starts_with(b"#") {
            continue;
        }
        let (key, value) = assignment(line)?;
        assignments += 1;
        if !value.is_empty() && keys.classify_bytes(key).is_some() {
            let name = String::from_utf8_lossy(key).into_owned();
            out.extend(value_pieces(value, PieceKind::Keyed(name)));
        }
    }
    (assignments > 0).then_some(out)
}

/// `[export ]NAME=VALUE` with an identifier name, a non-empty value and matching quotes
/// stripped; or a YAML-style `name: value` (a section header `name:` gives an empty value).
fn assignment(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let line = line.strip_prefix(b"export ").unwrap_or(line);
    let sep = line.iter().position(|&b| b == b'=' || b == b':')?;
    let yaml = line[sep] == b':';
    if yaml && !line.get(sep + 1).is_none_or(|b| *b == b' ' || *b == b'\t') {
        return None;
    }
    let key = line[..sep].trim_ascii();
    let key = key.strip_prefix(b"- ").unwrap_or(key);
    let first_ok = key
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
    if !first_ok
        || !key
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    {
        return None;
    }
    let mut value = line[sep + 1..].trim_ascii();
    for q in [b'"', b'\''] {
        if value.len() >= 2 && value[0] == q && value[value.len() - 1] == q {
            value = &value[1..value.len() - 1];
        }
    }
    (yaml || !value.is_empty()).then_some((key, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(content: &[u8]) -> Vec<(PieceKind, Vec<u8>)> {
        match parse(content, &KeyRules::default()) {
            Parsed::Public => panic!("parsed as public"),
            Parsed::Values(v) => v.into_iter().map(|p| (p.kind, p.value.to_vec())).collect(),
        }
    }

    #[test]
    fn single_value_raw_and_trimmed() {
        assert_eq!(
            values(b"plum-Orbit-4471\n"),
            vec![
                (PieceKind::Whole, b"plum-Orbit-4471".to_vec()),
                (PieceKind::Whole, b"plum-Orbit-4471\n".to_vec())
            ]
        );
        assert_eq!(
            values(b"plum-Orbit-4471"),
            vec![(PieceKind::Whole, b"plum-Orbit-4471".to_vec())]
        );
    }

    #[test]
    fn key_value_file_keeps_only_sensitive_keys() {
        let got = values(b"# vault\nDB_HOST=postgres-primary\nexport DB_PASSWORD=\"plum-Orbit-4471\"\nAPI_TOKEN='tok-998877'\n");
        assert_eq!(
            got,
            vec![
                (
                    PieceKind::Keyed("DB_PASSWORD".into()),
                    b"plum-Orbit-4471".to_vec()
                ),
                (PieceKind::Keyed("API_TOKEN".into()), b"tok-998877".to_vec()),
            ]
        );
    }

    #[test]
    fn flat_json_keeps_only_sensitive_string_values() {
        let got = values(br#"{"host":"db.internal","password":"plum-Orbit-4471","port":5432,"nested":{"token":"x-nested-1"}}"#);
        assert_eq!(
            got,
            vec![(
                PieceKind::Keyed("password".into()),
                b"plum-Orbit-4471".to_vec()
            )]
        );
    }

    #[test]
    fn pem_private_key_yields_body_lines_only() {
        let pem = b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nMIIEowIBAAKCAQEA7bq98\nAbCdEfGh12345678\n-----END RSA PRIVATE KEY-----\n";
        let got: Vec<Vec<u8>> = values(pem).into_iter().map(|(_, v)| v).collect();
        assert_eq!(
            got,
            vec![
                b"MIIEowIBAAKCAQEA7bq98".to_vec(),
                b"AbCdEfGh12345678".to_vec()
            ]
        );
    }

    #[test]
    fn certificates_and_public_keys_are_never_values() {
        for c in [
            &b"-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n"[..],
            b"-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0B\n-----END PUBLIC KEY-----\n",
            b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk user@host\n",
        ] {
            assert!(matches!(parse(c, &KeyRules::default()), Parsed::Public));
        }
    }

    #[test]
    fn multi_line_text_yields_lines() {
        let got = values(b"first-line-secret\n\n  second-line-secret  \n");
        assert_eq!(
            got,
            vec![
                (PieceKind::Line, b"first-line-secret".to_vec()),
                (PieceKind::Line, b"second-line-secret".to_vec())
            ]
        );
    }

    #[test]
    fn yaml_style_file_keeps_only_sensitive_keys() {
        let got = values(b"database:\n  host: db.internal\n  password: 'plum-Orbit-4471'\nurl: https://x.example/a\n");
        assert_eq!(
            got,
            vec![(
                PieceKind::Keyed("password".into()),
                b"plum-Orbit-4471".to_vec()
            )]
        );
    }

    #[test]
    fn base64_with_padding_is_a_single_value_not_an_assignment() {
        assert_eq!(
            values(b"c2VjcmV0LXZhbHVl=\n")[0],
            (PieceKind::Whole, b"c2VjcmV0LXZhbHVl=".to_vec())
        );
    }
}
