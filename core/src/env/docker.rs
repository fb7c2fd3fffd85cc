//! `docker inspect` JSON: every `"Env": ["K=V", …]` array, wherever it occurs, has its
//! values masked; every other byte is copied, so the output is the same valid JSON.

use super::{EnvError, EnvErrorReason, ValueMasker};

/// Nesting deeper than this is refused (docker inspect output is a few levels deep).
const MAX_DEPTH: usize = 256;

pub(super) fn sanitize(input: &[u8], masker: &mut ValueMasker<'_>) -> Result<Vec<u8>, EnvError> {
    let mut walker = Walker { input, pos: 0, out: Vec::with_capacity(input.len()), masker };
    walker.blank();
    walker.value(0, false)?;
    walker.blank();
    if walker.pos != input.len() {
        return Err(walker.error("trailing data after the JSON document"));
    }
    Ok(walker.out)
}

struct Walker<'i, 'm, 'r> {
    input: &'i [u8],
    pos: usize,
    out: Vec<u8>,
    masker: &'m mut ValueMasker<'r>,
}

impl Walker<'_, '_, '_> {
    fn error(&self, what: &'static str) -> EnvError {
        EnvError::at(self.input, self.pos, EnvErrorReason::InvalidJson(what))
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    /// Copies whitespace.
    fn blank(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.out.push(self.input[self.pos]);
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8, what: &'static str) -> Result<(), EnvError> {
        if self.peek() != Some(byte) {
            return Err(self.error(what));
        }
        self.out.push(byte);
        self.pos += 1;
        Ok(())
    }

    /// Copies one value; `env_array` marks the value of an `Env` key.
    fn value(&mut self, depth: usize, env_array: bool) -> Result<(), EnvError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth, env_array),
            Some(b'"') => {
                let (start, end) = self.string()?;
                self.out.extend_from_slice(&self.input[start..end]);
                Ok(())
            }
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a value")),
            None => Err(self.error("unexpected end of input")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<(), EnvError> {
        self.expect(b'{', "expected `{`")?;
        self.blank();
        if self.peek() == Some(b'}') {
            return self.expect(b'}', "expected `}`");
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.error("expected an object key"));
            }
            let (start, end) = self.string()?;
            let key = &self.input[start..end];
            self.out.extend_from_slice(key);
            let is_env = key == b"\"Env\"";
            self.blank();
            self.expect(b':', "expected `:`")?;
            self.blank();
            self.value(depth + 1, is_env)?;
            self.blank();
            match self.peek() {
                Some(b',') => {
                    self.expect(b',', "expected `,`")?;
                    self.blank();
                }
                Some(b'}') => return self.expect(b'}', "expected `}`"),
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize, env_array: bool) -> Result<(), EnvError> {
        self.expect(b'[', "expected `[`")?;
        self.blank();
        if self.peek() == Some(b']') {
            return self.expect(b']', "expected `]`");
        }
        loop {
            if env_array && self.peek() == Some(b'"') {
                self.env_entry()?;
            } else {
                self.value(depth + 1, false)?;
            }
            self.blank();
            match self.peek() {
                Some(b',') => {
                    self.expect(b',', "expected `,`")?;
                    self.blank();
                }
                Some(b']') => return self.expect(b']', "expected `]`"),
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    /// One `"K=V"` string of an `Env` array: decoded, masked, re-encoded when it changed.
    fn env_entry(&mut self) -> Result<(), EnvError> {
        let (start, end) = self.string()?;
        let raw = &self.input[start..end];
        let decoded = decode_string(&raw[1..raw.len() - 1])
            .ok_or_else(|| EnvError::at(self.input, start, EnvErrorReason::InvalidJson("invalid escape in string")))?;
        let Some(eq) = decoded.find('=').filter(|&eq| eq > 0) else {
            self.out.extend_from_slice(raw);
            return Ok(());
        };
        let (name, value) = (&decoded[..eq], &decoded[eq + 1..]);
        let masked = self.masker.mask_to_vec(name.as_bytes(), value.as_bytes());
        if masked == value.as_bytes() {
            self.out.extend_from_slice(raw);
        } else {
            let mut entry = String::with_capacity(decoded.len());
            entry.push_str(name);
            entry.push('=');
            entry.push_str(&String::from_utf8_lossy(&masked));
            encode_string(&entry, &mut self.out);
        }
        Ok(())
    }

    /// Validates a string at `pos` and returns its span including the quotes.
    fn string(&mut self) -> Result<(usize, usize), EnvError> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    let span = (start, self.pos);
                    if std::str::from_utf8(&self.input[start..self.pos]).is_err() {
                        return Err(EnvError::at(
                            self.input,
                            start,
                            EnvErrorReason::InvalidJson("string is not UTF-8"),
                        ));
                    }
                    return Ok(span);
                }
                Some(b'\\') => self.pos += 2,
                Some(0..=0x1f) => return Err(self.error("control character in string")),
                Some(_) => self.pos += 1,
            }
        }
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<(), EnvError> {
        if !self.input[self.pos..].starts_with(word) {
            return Err(self.error("expected a value"));
        }
        self.out.extend_from_slice(word);
        self.pos += word.len();
        Ok(())
    }

    fn number(&mut self) -> Result<(), EnvError> {
        let start = self.pos;
        while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.input[start..self.pos]).unwrap_or("");
        if !is_json_number(text) {
            self.pos = start;
            return Err(self.error("invalid number"));
        }
        self.out.extend_from_slice(text.as_bytes());
        Ok(())
    }
}

/// JSON number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let s = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - s
    };
    let int_start = i;
    let n = digits(&mut i);
    if n == 0 || (n > 1 && b[int_start] == b'0') {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Decodes the inside of a JSON string (validated UTF-8); `None` on a bad escape.
fn decode_string(raw: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(raw).ok()?;
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            '/' => out.push('/'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'u' => {
                let hi = hex4(&mut chars)?;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    if chars.next()? != '\\' || chars.next()? != 'u' {
                        return None;
                    }
                    let lo = hex4(&mut chars)?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return None;
                    }
                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                } else {
                    hi
                };
                out.push(char::from_u32(code)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
    let mut v = 0;
    for _ in 0..4 {
        v = v * 16 + chars.next()?.to_digit(16)?;
    }
    Some(v)
}

/// Writes `s` as a JSON string literal, escaping as `docker inspect` does (`<`, `>`, `&`
/// as `\u003c` … so the output matches Go's encoder).
fn encode_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            '<' | '>' | '&' | '\u{0}'..='\u{1f}' | '\u{2028}' | '\u{2029}' => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}
