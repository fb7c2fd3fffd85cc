//! Line-oriented formats: `env`, `environ` (NUL-separated), `dotenv` and `export`.

use super::{EnvError, EnvErrorReason, ValueMasker, is_name_byte, split_assignment};

/// `K=V` lines; a line that does not start a new variable continues the previous value
/// (multi-line values such as PEM keys are printed raw by `env`).
pub(super) fn sanitize_env(input: &[u8], masker: &mut ValueMasker<'_>) -> Result<Vec<u8>, EnvError> {
    let mut out = Vec::with_capacity(input.len());
    // Start offsets of the lines that begin a variable.
    let mut starts = Vec::new();
    let mut pos = 0;
    while pos < input.len() {
        let end = memchr::memchr(b'\n', &input[pos..]).map_or(input.len(), |i| pos + i);
        let line = &input[pos..end];
        if split_assignment(line).is_some() {
            starts.push(pos);
        } else if starts.is_empty() && !line.trim_ascii().is_empty() {
            return Err(EnvError::at(input, pos, EnvErrorReason::ExpectedAssignment));
        }
        pos = end + 1;
    }
    // Blank lines before the first variable are copied.
    out.extend_from_slice(&input[..starts.first().copied().unwrap_or(input.len())]);
    for (i, &start) in starts.iter().enumerate() {
        let record_end = starts.get(i + 1).copied().unwrap_or(input.len());
        let record = &input[start..record_end];
        let (name, rest) = split_assignment(record).expect("checked above");
        let body = rest.strip_suffix(b"\n").unwrap_or(rest);
        out.extend_from_slice(name);
        out.push(b'=');
        masker.mask(name, body, &mut out);
        out.extend_from_slice(&rest[body.len()..]);
    }
    Ok(out)
}

/// NUL-separated `K=V` entries; entries that are not assignments are redacted as text.
pub(super) fn sanitize_environ(input: &[u8], masker: &mut ValueMasker<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    for (i, entry) in input.split(|&b| b == 0).enumerate() {
        if i > 0 {
            out.push(0);
        }
        match memchr::memchr(b'=', entry) {
            Some(eq) if eq > 0 => {
                out.extend_from_slice(&entry[..=eq]);
                masker.mask(&entry[..eq], &entry[eq + 1..], &mut out);
            }
            _ => masker.redact_text(entry, &mut out),
        }
    }
    out
}

/// `.env` files and `export -p` output: comments and blank lines are copied, `export` and
/// `declare -x` prefixes are optional, values may be quoted (`"…"` and `$'…'` with
/// backslash escapes, `'…'` without) and span lines. Lines that are not assignments are
/// redacted as text.
pub(super) fn sanitize_dotenv(input: &[u8], masker: &mut ValueMasker<'_>) -> Result<Vec<u8>, EnvError> {
    let mut out = Vec::with_capacity(input.len());
    let mut pos = 0;
    while pos < input.len() {
        let eol = line_end(input, pos);
        match parse_assignment(input, pos, eol) {
            Some(a) => {
                out.extend_from_slice(&input[pos..a.value_start]);
                pos = write_value(input, &a, masker, &mut out)?;
            }
            None => {
                let line = &input[pos..eol];
                let trimmed = line.trim_ascii_start();
                if trimmed.is_empty() || trimmed.starts_with(b"#") || is_declaration_without_value(trimmed) {
                    out.extend_from_slice(line);
                } else {
                    masker.redact_text(line, &mut out);
                }
                pos = eol;
            }
        }
        // Copy the rest of the line (a comment after a quoted value) and its newline.
        let eol = line_end(input, pos);
        out.extend_from_slice(&input[pos..eol]);
        pos = eol;
        if pos < input.len() {
            out.push(b'\n');
            pos += 1;
        }
    }
    Ok(out)
}

fn line_end(input: &[u8], from: usize) -> usize {
    memchr::memchr(b'\n', &input[from..]).map_or(input.len(), |i| from + i)
}

/// A parsed `[export|declare -x] NAME = value` line head.
struct Assignment {
    name: (usize, usize),
    /// Where the value (or its opening quote) starts.
    value_start: usize,
    eol: usize,
}

/// Recognises `export`, `declare -x` (any flags) and `typeset` prefixes, and `NAME=` with
/// optional blanks around `=`.
fn parse_assignment(input: &[u8], start: usize, eol: usize) -> Option<Assignment> {
    let line = &input[start..eol];
    let mut i = skip_blanks(line, 0);
    i = skip_prefix(line, i);
    let name_start = i;
    while i < line.len() && is_name_byte(line[i]) {
        i += 1;
    }
    if i == name_start || line[name_start].is_ascii_digit() {
        return None;
    }
    let name_end = i;
    i = skip_blanks(line, i);
    if line.get(i) != Some(&b'=') {
        return None;
    }
    i = skip_blanks(line, i + 1);
    Some(Assignment { name: (start + name_start, start + name_end), value_start: start + i, eol })
}

fn skip_blanks(line: &[u8], mut i: usize) -> usize {
    while i < line.len() && matches!(line[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// Skips `export `, `declare -x `, `typeset -x ` (with any flag words) when present.
fn skip_prefix(line: &[u8], i: usize) -> usize {
    for word in [&b"export"[..], b"declare", b"typeset"] {
        let rest = &line[i..];
        if rest.starts_with(word) && matches!(rest.get(word.len()), Some(b' ' | b'\t')) {
            let mut j = skip_blanks(line, i + word.len());
            while line.get(j) == Some(&b'-') {
                while j < line.len() && !matches!(line[j], b' ' | b'\t') {
                    j += 1;
                }
                j = skip_blanks(line, j);
            }
            return j;
        }
    }
    i
}

/// `declare -x NAME` / `export NAME`: a variable without a value.
fn is_declaration_without_value(trimmed: &[u8]) -> bool {
    let after = skip_prefix(trimmed, 0);
    after > 0 && trimmed[after..].iter().all(|&b| is_name_byte(b) || b == b' ' || b == b'\t')
}

/// Writes the masked value of `a` and returns the offset just after it.
fn write_value(
    input: &[u8],
    a: &Assignment,
    masker: &mut ValueMasker<'_>,
    out: &mut Vec<u8>,
) -> Result<usize, EnvError> {
    let name = &input[a.name.0..a.name.1];
    let v = a.value_start;
    let (open_len, close, escapes) = match input.get(v..).unwrap_or_default() {
        [b'"', ..] => (1, b'"', true),
        [b'$', b'\'', ..] => (2, b'\'', true),
        [b'\'', ..] => (1, b'\'', false),
        _ => {
            let value_end = unquoted_end(&input[v..a.eol]) + v;
            masker.mask(name, &input[v..value_end], out);
            return Ok(value_end);
        }
    };
    let body_start = v + open_len;
    let body_end = find_close(input, body_start, close, escapes)
        .ok_or_else(|| EnvError::at(input, v, EnvErrorReason::UnterminatedQuote))?;
    out.extend_from_slice(&input[v..body_start]);
    masker.mask(name, &input[body_start..body_end], out);
    out.push(close);
    Ok(body_end + 1)
}

/// The end of an unquoted value: before a ` #` comment and trailing blanks.
pub(super) fn unquoted_end(rest: &[u8]) -> usize {
    let mut end = rest.len();
    for i in 1..rest.len() {
        if rest[i] == b'#' && matches!(rest[i - 1], b' ' | b'\t') {
            end = i;
            break;
        }
    }
    while end > 0 && matches!(rest[end - 1], b' ' | b'\t' | b'\r') {
        end -= 1;
    }
    end
}

/// The offset of the closing quote, skipping backslash escapes when `escapes`.
fn find_close(input: &[u8], mut i: usize, close: u8, escapes: bool) -> Option<usize> {
    while i < input.len() {
        match input[i] {
            b'\\' if escapes => i += 2,
            b if b == close => return Some(i),
            _ => i += 1,
        }
    }
    None
}
