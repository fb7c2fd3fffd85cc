//! Compose `environment:` and Kubernetes `env:` blocks in YAML, handled line by line so that
//! everything outside the masked values (comments, quoting, indentation, order) is copied
//! byte for byte. Only the blocks under those keys are touched.

use super::{EnvError, EnvErrorReason, ValueMasker};

/// Which YAML dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// `environment:` as `- K=V` items or `K: V` entries.
    Compose,
    /// `env:` as `- name: X` / `value: Y` items.
    K8s,
}

impl Kind {
    fn key(self) -> &'static [u8] {
        match self {
            Kind::Compose => b"environment",
            Kind::K8s => b"env",
        }
    }
}

/// One line of the input.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    /// End, without the newline.
    end: usize,
    /// Start of the next line.
    next: usize,
    /// Leading spaces.
    indent: usize,
}

impl Line {
    fn at(input: &[u8], start: usize) -> Line {
        let end = memchr::memchr(b'\n', &input[start..]).map_or(input.len(), |i| start + i);
        let next = if end < input.len() { end + 1 } else { end };
        let indent = input[start..end].iter().take_while(|&&b| b == b' ').count();
        Line { start, end, next, indent }
    }

    fn text<'i>(&self, input: &'i [u8]) -> &'i [u8] {
        &input[self.start..self.end]
    }

    /// Blank or comment-only.
    fn is_blank(&self, input: &[u8]) -> bool {
        let t = self.text(input).trim_ascii();
        t.is_empty() || t.starts_with(b"#")
    }

    /// Content after the indentation.
    fn content<'i>(&self, input: &'i [u8]) -> &'i [u8] {
        &input[self.start + self.indent..self.end]
    }
}

/// When `line` is `<indent>[- ]*KEY:` with nothing but a comment after, the column of KEY.
pub(super) fn block_header(line: &[u8], key: &[u8]) -> Option<usize> {
    let mut col = line.iter().take_while(|&&b| b == b' ').count();
    while line[col..].starts_with(b"- ") {
        col += 2;
        while line.get(col) == Some(&b' ') {
            col += 1;
        }
    }
    let rest = line[col..].strip_prefix(key)?.strip_prefix(b":")?;
    let rest = rest.trim_ascii();
    (rest.is_empty() || rest.starts_with(b"#")).then_some(col)
}

/// Does any line of `input` open a `key:` block?
pub(super) fn has_block(input: &[u8], key: &[u8]) -> bool {
    input.split(|&b| b == b'\n').any(|l| block_header(l, key).is_some())
}

pub(super) fn sanitize(input: &[u8], kind: Kind, masker: &mut ValueMasker<'_>) -> Result<Vec<u8>, EnvError> {
    let mut out = Vec::with_capacity(input.len());
    let mut pos = 0;
    while pos < input.len() {
        let line = Line::at(input, pos);
        out.extend_from_slice(&input[line.start..line.next]);
        pos = line.next;
        if let Some(key_col) = block_header(line.text(input), kind.key()) {
            pos = block(input, pos, key_col, kind, masker, &mut out)?;
        }
    }
    Ok(out)
}

/// Is `line` inside the block whose key is at `key_col`?
fn in_block(input: &[u8], line: &Line, key_col: usize) -> bool {
    line.is_blank(input) || line.indent > key_col || (line.indent == key_col && line.content(input).starts_with(b"- "))
}

/// Processes the lines of one block from `pos`; returns where the block ends.
fn block(
    input: &[u8],
    mut pos: usize,
    key_col: usize,
    kind: Kind,
    masker: &mut ValueMasker<'_>,
    out: &mut Vec<u8>,
) -> Result<usize, EnvError> {
    while pos < input.len() {
        let line = Line::at(input, pos);
        if !in_block(input, &line, key_col) {
            break;
        }
        if line.is_blank(input) {
            // Blank and comment lines are copied, unless they end the block (a trailing
            // comment at a lower indent belongs to what follows, copied the same way).
            out.extend_from_slice(&input[line.start..line.next]);
            pos = line.next;
            continue;
        }
        let content = line.content(input);
        pos = if let Some(item) = content.strip_prefix(b"- ") {
            let item_col = line.indent + 2 + item.iter().take_while(|&&b| b == b' ').count();
            match kind {
                Kind::Compose => list_entry(input, &line, item_col, masker, out)?,
                Kind::K8s => k8s_item(input, &line, item_col, masker, out)?,
            }
        } else if let (Kind::Compose, Some(colon)) = (kind, map_colon(content)) {
            let name = &content[..colon];
            let value_start = line.start + line.indent + colon + 1;
            out.extend_from_slice(&input[line.start..value_start]);
            map_value(input, line.indent, value_start, strip_quotes(name.trim_ascii()), masker, out)?
        } else {
            masker.redact_text(&input[line.start..line.end], out);
            out.extend_from_slice(&input[line.end..line.next]);
            line.next
        };
    }
    Ok(pos)
}

/// The offset of the `:` of a `key: value` (or `key:` at the end of the line).
fn map_colon(content: &[u8]) -> Option<usize> {
    let mut i = 0;
    if let Some(q @ (b'"' | b'\'')) = content.first().copied() {
        i = 1 + memchr::memchr(q, &content[1..])? + 1;
    }
    while i < content.len() {
        if content[i] == b':' && matches!(content.get(i + 1), None | Some(b' ' | b'\t')) {
            return Some(i);
        }
        if content[i] == b' ' && content.get(i + 1) == Some(&b'#') {
            return None;
        }
        i += 1;
    }
    None
}

fn strip_quotes(s: &[u8]) -> &[u8] {
    match s {
        [b'"', inner @ .., b'"'] | [b'\'', inner @ .., b'\''] => inner,
        _ => s,
    }
}

/// A Compose list entry `- K=V`, `- "K=V"` or `- 'K=V'` (`- K` alone is copied).
fn list_entry(
    input: &[u8],
    line: &Line,
    item_col: usize,
    masker: &mut ValueMasker<'_>,
    out: &mut Vec<u8>,
) -> Result<usize, EnvError> {
    let item_start = line.start + item_col;
    let (quote, body_start) = match input.get(item_start) {
        Some(&q @ (b'"' | b'\'')) => (Some(q), item_start + 1),
        _ => (None, item_start),
    };
    let Some(eq) = memchr::memchr(b'=', &input[body_start..line.end]).map(|i| body_start + i) else {
        out.extend_from_slice(&input[line.start..line.next]);
        return Ok(line.next);
    };
    let name = &input[body_start..eq];
    if name.is_empty() || name.iter().any(|b| b.is_ascii_whitespace()) {
        out.extend_from_slice(&input[line.start..line.next]);
        return Ok(line.next);
    }
    out.extend_from_slice(&input[line.start..=eq]);
    match quote {
        Some(q) => {
            let close = find_close(input, eq + 1, q)
                .ok_or_else(|| EnvError::at(input, item_start, EnvErrorReason::UnterminatedQuote))?;
            masker.mask(name, &input[eq + 1..close], out);
            Ok(copy_rest_of_line(input, close, out))
        }
        None => {
            let end = plain_end(input, eq + 1, line, line.indent);
            masker.mask(name, &input[eq + 1..end], out);
            Ok(copy_rest_of_line(input, end, out))
        }
    }
}

/// A Kubernetes `env:` item: `- name: X` with `value: Y` at the same column (in any order).
/// Other fields (`valueFrom:`) are copied.
fn k8s_item(
    input: &[u8],
    first: &Line,
    item_col: usize,
    masker: &mut ValueMasker<'_>,
    out: &mut Vec<u8>,
) -> Result<usize, EnvError> {
    // The item's lines: the dash line and every following line indented at least to the
    // item's column (or blank).
    let mut lines = vec![*first];
    let mut pos = first.next;
    while pos < input.len() {
        let l = Line::at(input, pos);
        if !(l.is_blank(input) || l.indent >= item_col) {
            break;
        }
        lines.push(l);
        pos = l.next;
    }
    while lines.len() > 1 && lines.last().is_some_and(|l| l.is_blank(input)) {
        lines.pop();
    }
    let field = |l: &Line, key: &[u8]| -> Option<usize> {
        let col = if l.start == first.start { item_col } else { l.indent };
        if col != item_col {
            return None;
        }
        let rest = input[l.start + col..l.end].strip_prefix(key)?;
        matches!(rest.first(), Some(b':')).then_some(l.start + col + key.len() + 1)
    };
    let name = lines.iter().find_map(|l| field(l, b"name").map(|v| scalar(&input[v..l.end]))).unwrap_or_default();
    let end = lines.last().map_or(first.next, |l| l.next);
    let mut pos = first.start;
    while pos < end {
        let l = Line::at(input, pos);
        pos = match field(&l, b"value") {
            Some(value_start) => {
                out.extend_from_slice(&input[l.start..value_start]);
                map_value(input, item_col, value_start, name, masker, out)?
            }
            None => {
                out.extend_from_slice(&input[l.start..l.next]);
                l.next
            }
        };
    }
    Ok(end)
}

/// The text of a single-line scalar: quotes and a trailing comment removed.
fn scalar(raw: &[u8]) -> &[u8] {
    let t = raw.trim_ascii();
    match t.first() {
        Some(&q @ (b'"' | b'\'')) => match memchr::memchr(q, &t[1..]) {
            Some(i) => &t[1..1 + i],
            None => &t[1..],
        },
        _ => &t[..super::shell_unquoted_end(t)],
    }
}

/// Writes the masked value that starts at `value_start` (just after `key:`) for a key at
/// column `key_col`; returns the start of the next unconsumed line.
fn map_value(
    input: &[u8],
    key_col: usize,
    value_start: usize,
    name: &[u8],
    masker: &mut ValueMasker<'_>,
    out: &mut Vec<u8>,
) -> Result<usize, EnvError> {
    let line = Line::at(input, value_start);
    let line = Line { start: value_start, indent: key_col, ..line };
    let lead = input[value_start..line.end].iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    let v = value_start + lead;
    out.extend_from_slice(&input[value_start..v]);
    match input[v..line.end].first() {
        None | Some(b'#') => Ok(copy_rest_of_line(input, v, out)),
        Some(&q @ (b'"' | b'\'')) => {
            let close =
                find_close(input, v + 1, q).ok_or_else(|| EnvError::at(input, v, EnvErrorReason::UnterminatedQuote))?;
            out.push(q);
            masker.mask(name, &input[v + 1..close], out);
            Ok(copy_rest_of_line(input, close, out))
        }
        Some(b'|' | b'>') => {
            // Block scalar: the header line, then lines indented deeper than the key.
            let header_next = copy_rest_of_line(input, v, out);
            let mut content_end = header_next;
            let mut pos = header_next;
            while pos < input.len() {
                let l = Line::at(input, pos);
                let blank = input[l.start..l.end].trim_ascii().is_empty();
                if !blank && l.indent <= key_col {
                    break;
                }
                if !blank {
                    content_end = l.end;
                }
                pos = l.next;
            }
            if content_end <= header_next {
                return Ok(header_next);
            }
            let indent = Line::at(input, header_next).indent;
            let body = &input[header_next + indent..content_end];
            out.extend_from_slice(&input[header_next..header_next + indent]);
            masker.mask(name, body, out);
            Ok(copy_rest_of_line(input, content_end, out))
        }
        Some(_) => {
            let end = plain_end(input, v, &line, key_col);
            let original = &input[v..end];
            let masked = masker.mask_to_vec(name, original);
            if masked != original && needs_quotes(&masked) {
                out.push(b'\'');
                for &b in &masked {
                    if b == b'\'' {
                        out.push(b'\'');
                    }
                    out.push(b);
                }
                out.push(b'\'');
            } else {
                out.extend_from_slice(&masked);
            }
            Ok(copy_rest_of_line(input, end, out))
        }
    }
}

/// The end of a plain scalar starting at `v` on `line`: before a ` #` comment, or the end
/// of its last continuation line (lines indented deeper than `key_col`).
fn plain_end(input: &[u8], v: usize, line: &Line, key_col: usize) -> usize {
    let mut end = v + super::shell_unquoted_end(&input[v..line.end]);
    let mut pos = line.next;
    while pos < input.len() {
        let l = Line::at(input, pos);
        let t = input[l.start..l.end].trim_ascii();
        if t.is_empty() || l.indent <= key_col || t.starts_with(b"#") || t.starts_with(b"- ") {
            break;
        }
        end = l.start + l.indent + t.len();
        pos = l.next;
    }
    end
}

/// Would `value` as a plain YAML scalar mean something else (a flow sequence, an alias)?
fn needs_quotes(value: &[u8]) -> bool {
    matches!(
        value.first(),
        Some(
            b'[' | b']'
                | b'{'
                | b'}'
                | b'*'
                | b'&'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
                | b'#'
                | b','
        )
    ) || value.windows(2).any(|w| w == b": " || w == b" #")
        || value.ends_with(b":")
}

/// The offset of the closing quote `q` from `i`: `\` escapes in `"…"`, `''` in `'…'`.
fn find_close(input: &[u8], mut i: usize, q: u8) -> Option<usize> {
    while i < input.len() {
        match input[i] {
            b'\\' if q == b'"' => i += 2,
            b'\'' if q == b'\'' && input.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == q => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Copies from `from` to the end of its line, newline included; returns the next line.
fn copy_rest_of_line(input: &[u8], from: usize, out: &mut Vec<u8>) -> usize {
    let l = Line::at(input, from);
    out.extend_from_slice(&input[from..l.next]);
    l.next
}
