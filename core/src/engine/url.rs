//! Passwords in URL userinfo: `scheme://user:PASSWORD@host`.

use super::Span;
use crate::{RuleId, RuleKind};

/// Schemes of databases and brokers, reported as `db-url-password`.
const DB_SCHEMES: &[&[u8]] = &[
    b"postgres",
    b"postgresql",
    b"mysql",
    b"mariadb",
    b"mongodb",
    b"mongodb+srv",
    b"redis",
    b"rediss",
    b"amqp",
    b"amqps",
    b"mssql",
    b"sqlserver",
    b"oracle",
    b"jdbc:postgresql",
    b"jdbc:mysql",
    b"kafka",
    b"nats",
    b"memcached",
    b"clickhouse",
    b"cockroachdb",
    b"couchdb",
    b"neo4j",
    b"ldap",
    b"ldaps",
];

/// The password of the URL userinfo after `://` at `sep`: where it starts and ends in
/// `line`, when there is a non-empty one. The one reading of userinfo, for the URL rules
/// ([`confirm`]) and for decoding a percent-encoded password (`decode`).
pub(crate) fn password(line: &[u8], sep: usize) -> Option<(usize, usize)> {
    let start = sep + 3;
    let mut colon = None;
    let mut p = start;
    while p < line.len() {
        match line[p] {
            b'@' => break,
            b':' if colon.is_none() => colon = Some(p),
            b'/' | b'?' | b'#' | b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'' | b'<' | b'>' | b'`' => return None,
            _ => {}
        }
        p += 1;
    }
    let (Some(c), true) = (colon, p < line.len()) else { return None };
    // The password is between the first ':' and the last '@' of the authority.
    let mut at = p;
    let mut q = p + 1;
    while q < line.len() && !matches!(line[q], b'/' | b'?' | b'#' | b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'') {
        if line[q] == b'@' {
            at = q;
        }
        q += 1;
    }
    // Userinfo (user or password) that takes in a mask is the output of an earlier pass:
    // the mask replaced a byte (`/`, `<`, a control byte) that ended the authority there,
    // as in `://:KEY=/\0@` or `://pass=<\0:W@`. Reading it as userinfo now would mask
    // (or decode) more on each pass (idempotence), as for format rules. Up to the first
    // `@` it may still be clean: that part is the password then (in `://:~@…token:@` a
    // key rule masks the last `@`, and the next pass reads the password up to the first).
    if crate::mask::holds_mask(line, start, at) {
        if p == at || crate::mask::holds_mask(line, start, p) {
            return None;
        }
        at = p;
    }
    (c + 1 < at).then_some((c + 1, at))
}

/// Checks the authority after `://` at `sep` and records the password, if any.
pub(crate) fn confirm(line: &[u8], sep: usize, url: &RuleId, db: &RuleId, out: &mut Vec<Span>) {
    let Some((start, end)) = password(line, sep) else { return };
    if crate::engine::is_placeholder(&line[start..end]) {
        return;
    }
    let mut s = sep;
    while s > 0 && (line[s - 1].is_ascii_alphanumeric() || matches!(line[s - 1], b'+' | b'.' | b'-' | b':')) {
        s -= 1;
    }
    let scheme = line[s..sep].to_ascii_lowercase();
    let rule = if DB_SCHEMES.contains(&scheme.as_slice()) { db.clone() } else { url.clone() };
    out.push(Span {
        start,
        end,
        rule,
        kind: RuleKind::Format,
        prefix_len: 0,
        truncated: false,
        quote: false,
        continues: None,
    });
}
