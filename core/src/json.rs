//! JSON-aware redaction: one pass over JSON text.
//!
//! Keys at any depth act as key rules: a scalar under a sensitive key is masked (numbers
//! become a masked string; `true`, `false`, `null` are placeholders and stay), and an
//! object or array under one keeps its structure with every scalar leaf masked. Every
//! other string value is redacted as text — after unescaping, so a `log` field holding a
//! multi-line traceback or a PEM key is seen as the text it stands for. Strings that do
//! not change keep their exact bytes; the output is valid JSON with the same keys.

use std::borrow::Cow;
use std::ops::Range;

use zeroize::Zeroize;

use crate::engine::pair;
use crate::stream::{self, Processor};
use crate::{Finding, JsonError, Redactor, Report, RuleId, RuleKind};

/// Deepest nesting accepted (deeper input is rejected rather than risking the stack).
const MAX_DEPTH: usize = 1024;

/// Slots of the key-name cache (a power of two).
const KEY_SLOTS: usize = 64;
/// Longest key name (raw, as in the input) the cache holds.
const KEY_MAX: usize = 40;

/// Buffers and caches kept from one JSON document to the next by
/// [`Redactor::redact_json_reusing`], for callers that redact record after record (a log
/// pipeline filter): a record then allocates nothing once the buffers have grown, and the
/// verdict on each member name seen recently is looked up instead of worked out again.
///
/// The output of the last call lives here until the next one. Buffers that held decoded
/// string values are zeroed when the scratch is dropped. Member names are cached as they
/// are in the input; they are never masked (only values are), so the cache holds nothing
/// that the output does not show.
pub struct JsonScratch {
    /// The redacted document (valid when the last call changed something).
    out: Vec<u8>,
    stack: Vec<Frame>,
    /// A string's content, unescaped.
    text: Vec<u8>,
    /// A string value redacted as text.
    redacted: Vec<u8>,
    /// A mask, before it is escaped into the output.
    mask: Vec<u8>,
    /// The line processor of the last string value with a literal in it.
    proc: Option<Processor>,
    /// `None` for a one-shot call, which would spend more filling the cache than it saves.
    keys: Option<Box<KeyCache>>,
}

impl Default for JsonScratch {
    fn default() -> Self {
        JsonScratch::new()
    }
}

impl std::fmt::Debug for JsonScratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonScratch").field("capacity", &self.out.capacity()).finish_non_exhaustive()
    }
}

impl Drop for JsonScratch {
    fn drop(&mut self) {
        // Unescaped values are what the input held, secrets included.
        self.text.zeroize();
    }
}

impl JsonScratch {
    /// Empty buffers and an empty key-name cache.
    pub fn new() -> Self {
        let mut scratch = JsonScratch::one_shot();
        scratch.keys = Some(Box::new(KeyCache::new()));
        scratch
    }

    /// The output of the last call that changed its input.
    pub(crate) fn output(&self) -> &[u8] {
        &self.out
    }

    /// Buffers for a single call: no key-name cache.
    fn one_shot() -> Self {
        JsonScratch {
            out: Vec::new(),
            stack: Vec::new(),
            text: Vec::new(),
            redacted: Vec::new(),
            mask: Vec::new(),
            proc: None,
            keys: None,
        }
    }
}

/// A direct-mapped cache of member names and their key rule, for one redactor.
struct KeyCache {
    /// The redactor the verdicts are for; held so that another one (after a reload) is
    /// never taken for it.
    red: Option<Redactor>,
    slots: Vec<KeySlot>,
}

#[derive(Clone)]
struct KeySlot {
    /// Length of the name, or `u8::MAX` for an empty slot.
    len: u8,
    name: [u8; KEY_MAX],
    rule: Option<RuleId>,
}

impl KeyCache {
    fn new() -> Self {
        KeyCache { red: None, slots: vec![KeySlot { len: u8::MAX, name: [0; KEY_MAX], rule: None }; KEY_SLOTS] }
    }

    /// Starts over when `red` is not the redactor of the cached verdicts.
    fn use_for(&mut self, red: &Redactor) {
        if !self.red.as_ref().is_some_and(|r| r.same_as(red)) {
            self.red = Some(red.clone());
            for slot in &mut self.slots {
                slot.len = u8::MAX;
                slot.rule = None;
            }
        }
    }

    /// The slot of a name (at most `KEY_MAX` bytes): from its length and three of its
    /// bytes, in constant time. Names that collide only cost a classification.
    #[inline(always)]
    fn slot(raw: &[u8]) -> usize {
        let n = raw.len();
        let Some(&last) = raw.last() else { return 0 };
        let mix = n * 7 + usize::from(raw[0]) * 31 + usize::from(raw[n / 2]) * 17 + usize::from(last) * 131;
        (mix ^ (mix >> 6)) & (KEY_SLOTS - 1)
    }

    /// The cached rule of `raw`, if its slot holds it.
    #[inline(always)]
    fn get(&self, at: usize, raw: &[u8]) -> Option<&Option<RuleId>> {
        let slot = &self.slots[at];
        // A byte loop, not `==`: on names of a few bytes a `memcmp` call costs more (in an
        // interpreter, much more) than the comparison.
        let same = usize::from(slot.len) == raw.len() && slot.name.iter().zip(raw).all(|(a, b)| a == b);
        same.then_some(&slot.rule)
    }
}

/// What [`Redactor::redact_json_visiting`] reports while it redacts, in document order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonEvent {
    /// A string value, or a number masked into one.
    Str {
        /// The name of the nearest enclosing object member (for a value in an array, the
        /// member the array belongs to), as its raw bytes in the input; empty when there is
        /// none.
        key: Range<usize>,
        /// The value's content between its quotes in the output, still escaped.
        value: Range<usize>,
    },
    /// An object or array opens.
    Open {
        /// Containers open now, this one included (1 for the root).
        depth: usize,
    },
}

/// Receives the [`JsonEvent`]s of a document.
pub(crate) type Visitor<'v> = &'v mut dyn FnMut(JsonEvent);

pub(crate) fn redact_json<'a>(
    red: &Redactor,
    input: &'a [u8],
    report: Option<&mut Report>,
) -> Result<Cow<'a, [u8]>, JsonError> {
    let mut scratch = JsonScratch::one_shot();
    Ok(if redact_json_into(red, input, &mut scratch, report, None)? {
        Cow::Owned(std::mem::take(&mut scratch.out))
    } else {
        Cow::Borrowed(input)
    })
}

/// Redacts `input` into `scratch.out`; returns whether anything changed (when not, the
/// output is the input and `scratch.out` holds nothing of use).
pub(crate) fn redact_json_into(
    red: &Redactor,
    input: &[u8],
    scratch: &mut JsonScratch,
    mut report: Option<&mut Report>,
    visit: Option<Visitor<'_>>,
) -> Result<bool, JsonError> {
    if let Some(keys) = scratch.keys.as_mut() {
        keys.use_for(red);
    }
    let mut w = JsonRedactor {
        red,
        input,
        pos: 0,
        changed: false,
        copied: 0,
        report: report.as_deref_mut(),
        s: scratch,
        visit,
    };
    w.document()?;
    let changed = w.changed;
    if changed {
        w.s.out.extend_from_slice(&input[w.copied..]);
    }
    if let Some(report) = report {
        report.bytes_in += input.len() as u64;
        report.bytes_out += if changed { scratch.out.len() } else { input.len() } as u64;
        report.lines += memchr::memchr_iter(b'\n', input).count() as u64 + 1;
    }
    Ok(changed)
}

/// A container on the parse stack: the sensitive-key rule it inherits, if any, and the
/// member name its values belong to (for a visitor).
struct Frame {
    is_object: bool,
    secret: Option<RuleId>,
    key: (usize, usize),
    /// The key rule of the name the previous member gave, for a value field right after
    /// (`{"name": "DB_PASSWORD", "value": "x"}`).
    pair: Option<RuleId>,
}

struct JsonRedactor<'r, 'a, 'v> {
    red: &'r Redactor,
    input: &'a [u8],
    pos: usize,
    /// Whether `s.out` holds output; `copied` is how much input it already holds.
    changed: bool,
    copied: usize,
    /// Counts, when the caller asked for them.
    report: Option<&'r mut Report>,
    s: &'r mut JsonScratch,
    visit: Option<Visitor<'v>>,
}

impl JsonRedactor<'_, '_, '_> {
    fn err(&self, reason: &'static str) -> JsonError {
        JsonError { offset: self.pos, reason }
    }

    fn ws(&mut self) {
        while self.pos < self.input.len() && matches!(self.input[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    /// Copies the input up to `start` into the output, which replaces `input[start..end]`
    /// with what the caller appends next.
    fn replace_from(&mut self, start: usize, end: usize) -> &mut Vec<u8> {
        if !self.changed {
            self.changed = true;
            self.s.out.clear();
            self.s.out.reserve(self.input.len() + 64);
        }
        self.s.out.extend_from_slice(&self.input[self.copied..start]);
        self.copied = end;
        &mut self.s.out
    }

    fn document(&mut self) -> Result<(), JsonError> {
        let mut stack = std::mem::take(&mut self.s.stack);
        stack.clear();
        let result = self.walk(&mut stack);
        stack.clear();
        self.s.stack = stack;
        result
    }

    fn walk(&mut self, stack: &mut Vec<Frame>) -> Result<(), JsonError> {
        // The sensitive-key rule for the next value, if its key is sensitive.
        let mut pending_key: Option<RuleId> = None;
        self.ws();
        loop {
            // A value is expected here.
            self.ws();
            let secret = match pending_key.take() {
                Some(rule) => Some(rule),
                None => stack.last().and_then(|f| f.secret.clone()),
            };
            match self.peek() {
                Some(b'{') | Some(b'[') => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(self.err("nesting too deep"));
                    }
                    let is_object = self.peek() == Some(b'{');
                    self.pos += 1;
                    let key = stack.last().map_or((0, 0), |f| f.key);
                    stack.push(Frame { is_object, secret, key, pair: None });
                    if let Some(visit) = self.visit.as_mut() {
                        visit(JsonEvent::Open { depth: stack.len() });
                    }
                    self.ws();
                    let close = if is_object { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        self.pos += 1;
                        stack.pop();
                    } else if is_object {
                        pending_key = self.key(stack)?;
                        continue;
                    } else {
                        continue;
                    }
                }
                Some(b'"') => {
                    // A name field's string value may name the next member's.
                    let (key, names) = match stack.last() {
                        Some(f) if f.is_object => (f.key, pair::is_name_field(&self.input[f.key.0..f.key.1])),
                        Some(f) => (f.key, false),
                        None => ((0, 0), false),
                    };
                    // `{"Key": "DbPassword", "Value": "x"}`: the key field's value is the
                    // name of the next member's, kept as text.
                    let is_pair_name = names
                        && secret.is_some()
                        && pair::is_key_field(&self.input[key.0..key.1])
                        && self.next_member_is_value();
                    let secret = if is_pair_name { None } else { secret };
                    let (start, end, escaped) = self.string_value(secret, key)?;
                    if names && pair::looks_like_name(&self.input[start..end]) {
                        let named = self.classify_key(&self.input[start..end], escaped);
                        if let Some(top) = stack.last_mut() {
                            top.pair = named;
                        }
                    }
                }
                Some(b't') => self.literal(b"true")?,
                Some(b'f') => self.literal(b"false")?,
                Some(b'n') => self.literal(b"null")?,
                Some(b'-' | b'0'..=b'9') => self.number(secret, stack.last().map_or((0, 0), |f| f.key))?,
                Some(_) => return Err(self.err("expected a value")),
                None => return Err(self.err("unexpected end of input")),
            }
            // After a value: `,` or a closing bracket, repeatedly.
            loop {
                self.ws();
                let Some(frame) = stack.last() else {
                    return if self.pos == self.input.len() { Ok(()) } else { Err(self.err("trailing characters")) };
                };
                let close = if frame.is_object { b'}' } else { b']' };
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        if frame.is_object {
                            self.ws();
                            pending_key = self.key(stack)?;
                        }
                        break;
                    }
                    Some(c) if c == close => {
                        self.pos += 1;
                        stack.pop();
                    }
                    _ => return Err(self.err("expected `,` or a closing bracket")),
                }
            }
        }
    }

    /// Parses `"key" :` and returns the key's rule when the key is sensitive. The key
    /// becomes the member name of the object's values (the top of `stack`).
    #[inline(always)]
    fn key(&mut self, stack: &mut [Frame]) -> Result<Option<RuleId>, JsonError> {
        if self.peek() != Some(b'"') {
            return Err(self.err("expected a string key"));
        }
        let StrSpan { start, end, escaped, .. } = self.string_span()?;
        let raw = &self.input[start..end];
        let mut named = None;
        if let Some(top) = stack.last_mut() {
            top.key = (start, end);
            named = top.pair.take().filter(|_| pair::is_value_field(raw));
        }
        let rule = self.classify_key(raw, escaped).or(named);
        self.ws();
        if self.peek() != Some(b':') {
            return Err(self.err("expected `:`"));
        }
        self.pos += 1;
        Ok(rule)
    }

    /// The key rule of the member name `raw` (as in the input), through the cache.
    #[inline(always)]
    fn classify_key(&mut self, raw: &[u8], escaped: bool) -> Option<RuleId> {
        let cached = raw.len() <= KEY_MAX && self.s.keys.is_some();
        let at = if cached { KeyCache::slot(raw) } else { 0 };
        if cached
            && let Some(keys) = &self.s.keys
            && let Some(rule) = keys.get(at, raw)
        {
            return rule.clone();
        }
        let rule = if escaped {
            unescape_into(raw, &mut self.s.text);
            self.red.keys().classify_bytes(&self.s.text)
        } else {
            self.red.keys().classify_bytes(raw)
        };
        if cached && let Some(keys) = &mut self.s.keys {
            let slot = &mut keys.slots[at];
            slot.len = raw.len() as u8;
            slot.name[..raw.len()].copy_from_slice(raw);
            slot.rule = rule.clone();
        }
        rule
    }

    /// Scans a string at `pos`: its content span, whether it has escapes and whether it is
    /// ASCII.
    #[inline(always)]
    fn string_span(&mut self) -> Result<StrSpan, JsonError> {
        let start = self.pos + 1;
        let mut p = start;
        let mut escaped = false;
        let mut run = Run::default();
        loop {
            let Some(i) = find_stop(self.input, p, &mut run) else {
                self.pos = self.input.len();
                return Err(self.err("unterminated string"));
            };
            p = i;
            match self.input[p] {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    match self.input.get(p + 1) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => p += 2,
                        Some(b'u')
                            if self.input.len() >= p + 6
                                && self.input[p + 2..p + 6].iter().all(u8::is_ascii_hexdigit) =>
                        {
                            p += 6
                        }
                        _ => {
                            self.pos = p;
                            return Err(self.err("invalid escape"));
                        }
                    }
                }
                _ => {
                    self.pos = p;
                    return Err(self.err("control character in string"));
                }
            }
        }
        if !cfg!(target_arch = "wasm32") {
            let content = &self.input[start..p];
            run.control = content.iter().position(|&b| b < 0x20).map(|c| start + c);
            run.non_ascii = !content.is_ascii();
        }
        if let Some(c) = run.control {
            self.pos = c;
            return Err(self.err("control character in string"));
        }
        self.pos = p + 1;
        Ok(StrSpan { start, end: p, escaped, ascii: !run.non_ascii })
    }

    /// Where the input's `start..end`, left as it is, stands in the output.
    fn unchanged_at(&self, start: usize, end: usize) -> Range<usize> {
        let at = if self.changed { self.s.out.len() + (start - self.copied) } else { start };
        at..at + (end - start)
    }

    fn visit_str(&mut self, key: (usize, usize), value: Range<usize>) {
        if let Some(visit) = self.visit.as_mut() {
            visit(JsonEvent::Str { key: key.0..key.1, value });
        }
    }

    /// Does the string at `pos` read as a name (see [`pair::looks_like_name`]) with a
    /// value field as the next member (`"Key": "DbPassword", "Value": …`)? Reads ahead
    /// only: `pos` is left where it was.
    fn next_member_is_value(&mut self) -> bool {
        let save = self.pos;
        let mut ahead = || -> Option<bool> {
            let StrSpan { start, end, escaped, .. } = self.string_span().ok()?;
            if escaped || !pair::looks_like_name(&self.input[start..end]) {
                return Some(false);
            }
            self.ws();
            if self.peek() != Some(b',') {
                return Some(false);
            }
            self.pos += 1;
            self.ws();
            if self.peek() != Some(b'"') {
                return Some(false);
            }
            let StrSpan { start, end, .. } = self.string_span().ok()?;
            Some(pair::is_value_field(&self.input[start..end]))
        };
        let is_value = ahead() == Some(true);
        self.pos = save;
        is_value
    }

    /// Redacts the string value at `pos`; returns its content span and whether it has
    /// escapes.
    fn string_value(&mut self, secret: Option<RuleId>, key: (usize, usize)) -> Result<(usize, usize, bool), JsonError> {
        let StrSpan { start, end, escaped, ascii } = self.string_span()?;
        let input = self.input;
        let raw = &input[start..end];
        // The unescaped text lives in the scratch; taken out while the output is written.
        let mut text = std::mem::take(&mut self.s.text);
        let value: &[u8] = if escaped {
            unescape_into(raw, &mut text);
            &text
        } else {
            raw
        };
        // A changed string is written back as UTF-8, its invalid bytes as U+FFFD: redact
        // that text, so the next pass reads the text this one decided on (a token that
        // ends at an invalid byte here ends at U+FFFD there).
        // (ASCII content without escapes is UTF-8 as it stands: no check.)
        let utf8 = ascii && !escaped || std::str::from_utf8(value).is_ok();
        let lossy = (!utf8).then(|| zeroize::Zeroizing::new(String::from_utf8_lossy(value).into_owned()));
        let value = lossy.as_ref().map_or(value, |l| l.as_bytes());
        let result = self.string_text(secret, value, start, end, escaped);
        self.s.text = text;
        let written = result?;
        if self.visit.is_some() {
            let value = written.unwrap_or_else(|| self.unchanged_at(start, end));
            self.visit_str(key, value);
        }
        Ok((start, end, escaped))
    }

    /// Redacts the string at `input[start..end]` whose text is `value`; returns where its
    /// replacement stands in the output, if it was replaced.
    fn string_text(
        &mut self,
        secret: Option<RuleId>,
        value: &[u8],
        start: usize,
        end: usize,
        escaped: bool,
    ) -> Result<Option<Range<usize>>, JsonError> {
        if let Some(rule) = secret {
            if crate::engine::is_placeholder(value) {
                return Ok(None);
            }
            let mut mask = std::mem::take(&mut self.s.mask);
            mask.clear();
            self.red.masker().write(&mut mask, &rule, value, 0);
            self.record(rule, start);
            let out = self.replace_from(start, end);
            let at = out.len();
            escape_into(out, &mask, false);
            let written = at..out.len();
            self.s.mask = mask;
            return Ok(Some(written));
        }
        let mut sub = self.report.is_some().then(Report::default);
        let mut redacted = std::mem::take(&mut self.s.redacted);
        let changed = stream::redact_reusing(self.red, value, &mut self.s.proc, &mut redacted, sub.as_mut());
        let mut written = None;
        if changed {
            if let (Some(report), Some(sub)) = (self.report.as_deref_mut(), sub) {
                for (rule, count) in sub.rules {
                    let entry = report.rules.entry(rule).or_default();
                    entry.kind = entry.kind.or(count.kind);
                    entry.count += count.count;
                    entry.truncated += count.truncated;
                }
            }
            let ascii_escapes = escaped && has_unicode_escape(&self.input[start..end]);
            let out = self.replace_from(start, end);
            let at = out.len();
            escape_into(out, &redacted, ascii_escapes);
            written = Some(at..out.len());
        }
        self.s.redacted = redacted;
        Ok(written)
    }

    fn record(&mut self, rule: RuleId, at: usize) {
        if let Some(report) = self.report.as_deref_mut() {
            report.record(&Finding { rule, kind: RuleKind::Key, start: at, end: at, truncated: false });
        }
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<(), JsonError> {
        if self.input[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.err("invalid literal"))
        }
    }

    fn number(&mut self, secret: Option<RuleId>, key: (usize, usize)) -> Result<(), JsonError> {
        let start = self.pos;
        let b = self.input;
        let mut p = self.pos;
        if b.get(p) == Some(&b'-') {
            p += 1;
        }
        let digits = |p: &mut usize| {
            let s = *p;
            while b.get(*p).is_some_and(u8::is_ascii_digit) {
                *p += 1;
            }
            *p > s
        };
        let int_start = p;
        if !digits(&mut p) {
            self.pos = p;
            return Err(self.err("invalid number"));
        }
        // JSON has no leading zeros (`01`, `-00`): such a record is invalid, not a number.
        if b[int_start] == b'0' && p - int_start > 1 {
            self.pos = int_start + 1;
            return Err(self.err("invalid number"));
        }
        if b.get(p) == Some(&b'.') {
            p += 1;
            if !digits(&mut p) {
                self.pos = p;
                return Err(self.err("invalid number"));
            }
        }
        if matches!(b.get(p), Some(b'e' | b'E')) {
            p += 1;
            if matches!(b.get(p), Some(b'+' | b'-')) {
                p += 1;
            }
            if !digits(&mut p) {
                self.pos = p;
                return Err(self.err("invalid number"));
            }
        }
        self.pos = p;
        if let Some(rule) = secret {
            let red = self.red;
            self.record(rule.clone(), start);
            // A masked number becomes a string; masks hold no quote or backslash.
            let out = self.replace_from(start, p);
            out.push(b'"');
            let at = out.len();
            red.masker().write(out, &rule, &b[start..p], 0);
            let written = at..out.len();
            out.push(b'"');
            self.visit_str(key, written);
        }
        Ok(())
    }
}

/// A string's content between its quotes, as [`JsonRedactor::string_span`] read it.
struct StrSpan {
    start: usize,
    end: usize,
    /// It has backslash escapes.
    escaped: bool,
    /// Every byte is ASCII (so, unescaped, it is UTF-8 without a check).
    ascii: bool,
}

/// What a string's content held, as far as [`find_stop`] has read it.
#[derive(Default)]
struct Run {
    /// The first control character.
    control: Option<usize>,
    /// A byte of 0x80 or more.
    non_ascii: bool,
}

/// The next `"`, `\\` or line break in `hay[from..]`: these end a run of a string's
/// content (a line break is an error). Natively `memchr3` (the control characters and
/// non-ASCII bytes are looked for in one pass once the string's end is known); in
/// WebAssembly a byte loop that notes them in `run` as it goes, since memchr's
/// word-at-a-time search there has more setup than the few bytes of a member name or a
/// short value take.
#[inline]
fn find_stop(hay: &[u8], from: usize, run: &mut Run) -> Option<usize> {
    if cfg!(target_arch = "wasm32") {
        find_stop_bytewise(hay, from, run)
    } else {
        memchr::memchr3(b'"', b'\\', b'\n', &hay[from..]).map(|i| from + i)
    }
}

/// What a byte is to a run of string content: 2 for `"`, `\\` and a line break (its end),
/// 1 for another control character, 3 for a non-ASCII byte, 0 for the rest.
const STOPS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = 1;
        b += 1;
    }
    t[b'"' as usize] = 2;
    t[b'\\' as usize] = 2;
    t[b'\n' as usize] = 2;
    let mut b = 0x80;
    while b < 0x100 {
        t[b] = 3;
        b += 1;
    }
    t
};

/// [`find_stop`] one byte at a time, noting in `run` what it passes over.
fn find_stop_bytewise(hay: &[u8], from: usize, run: &mut Run) -> Option<usize> {
    for (i, &b) in hay.iter().enumerate().skip(from) {
        match STOPS[usize::from(b)] {
            0 => {}
            2 => return Some(i),
            3 => run.non_ascii = true,
            _ => {
                if run.control.is_none() {
                    run.control = Some(i);
                }
            }
        }
    }
    None
}

fn has_unicode_escape(raw: &[u8]) -> bool {
    crate::mask::find_short(raw, b"\\u").is_some()
}

/// The value of four hex digits (already validated).
fn hex4(s: &[u8]) -> u32 {
    s.iter().fold(0, |acc, &c| {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => c.wrapping_sub(b'A').wrapping_add(10),
        };
        (acc << 4) | u32::from(d & 0xf)
    })
}

/// Decodes JSON string content (already validated) into `out`, replacing what it held.
/// Lone surrogates become U+FFFD.
fn unescape_into(raw: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.reserve(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let Some(at) = memchr::memchr(b'\\', &raw[i..]) else {
            out.extend_from_slice(&raw[i..]);
            return;
        };
        out.extend_from_slice(&raw[i..i + at]);
        i += at;
        let e = raw[i + 1];
        i += 2;
        let simple = match e {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            b'/' => Some(b'/'),
            b'b' => Some(8),
            b'f' => Some(12),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            continue;
        }
        let mut cp = hex4(&raw[i..i + 4]);
        i += 4;
        if (0xD800..0xDC00).contains(&cp) && raw[i..].starts_with(b"\\u") && raw.len() >= i + 6 {
            let lo = hex4(&raw[i + 2..i + 6]);
            if (0xDC00..0xE000).contains(&lo) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
        }
        let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
    }
}

/// Appends text encoded as JSON string content to `out`. Invalid UTF-8 becomes U+FFFD;
/// non-ASCII is written as `\uXXXX` when `ascii` is set (to keep the input's style).
fn escape_into(out: &mut Vec<u8>, text: &[u8], ascii: bool) {
    match std::str::from_utf8(text) {
        Ok(s) => escape_str(out, s, ascii),
        Err(_) => escape_str(out, &String::from_utf8_lossy(text), ascii),
    }
}

fn escape_str(out: &mut Vec<u8>, s: &str, ascii: bool) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len());
    // Runs of bytes that stand for themselves are copied whole. The classes of `STOPS`
    // escaped: control characters, `"`, `\\` and line breaks, and non-ASCII bytes with
    // `ascii` (one table lookup a byte rather than four comparisons).
    let escaped: u8 = if ascii { 0b1110 } else { 0b0110 };
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if (escaped >> STOPS[usize::from(b)]) & 1 == 0 {
            i += 1;
            continue;
        }
        out.extend_from_slice(&bytes[run..i]);
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0..0x20 => push_unicode_escape(out, u16::from(b)),
            _ => {
                // Only with `ascii`: a whole character starts here (the text is valid UTF-8
                // and whole characters are skipped).
                let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
                let mut units = [0u16; 2];
                for &u in c.encode_utf16(&mut units).iter() {
                    push_unicode_escape(out, u);
                }
                i += c.len_utf8();
                run = i;
                continue;
            }
        }
        i += 1;
        run = i;
    }
    out.extend_from_slice(&bytes[run..]);
}

/// `\uXXXX` with lower-case hex digits.
fn push_unicode_escape(out: &mut Vec<u8>, unit: u16) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(b"\\u");
    for shift in [12, 8, 4, 0] {
        out.push(DIGITS[usize::from((unit >> shift) & 0xf)]);
    }
}

#[cfg(test)]
mod tests {
    use crate::Redactor;

    fn rj(input: &str) -> String {
        let r = Redactor::default();
        String::from_utf8(r.redact_json(input.as_bytes()).unwrap().into_owned()).unwrap()
    }

    #[test]
    fn keys_at_any_depth() {
        assert_eq!(rj(r#"{"a":{"password":"x1y2z3"},"b":1}"#), r#"{"a":{"password":"[REDACTED]"},"b":1}"#);
        assert_eq!(rj(r#"{"pin": 123456}"#), r#"{"pin": "[REDACTED]"}"#);
        assert_eq!(rj(r#"{"token": null, "secret": true}"#), r#"{"token": null, "secret": true}"#);
        assert_eq!(
            rj(r#"{"credentials": {"user": "bob", "n": [1, "two"]}}"#),
            r#"{"credentials": {"user": "[REDACTED]", "n": ["[REDACTED]", "[REDACTED]"]}}"#
        );
    }

    #[test]
    fn name_value_pairs() {
        let env = r#"[{"name":"DB_PASSWORD","value":"x1"},{"name":"PORT","value":"80"},{"name":"PIN","value":7}]"#;
        assert_eq!(
            rj(env),
            r#"[{"name":"DB_PASSWORD","value":"[REDACTED]"},{"name":"PORT","value":"80"},{"name":"PIN","value":"[REDACTED]"}]"#
        );
        // A key field's name is kept when a value field follows; otherwise it is a secret.
        assert_eq!(rj(r#"{"Key":"ApiToken","Value":"x1"}"#), r#"{"Key":"ApiToken","Value":"[REDACTED]"}"#);
        assert_eq!(rj(r#"{"Key":"ApiToken","Other":"x1"}"#), r#"{"Key":"[REDACTED]","Other":"x1"}"#);
        assert_eq!(rj(r#"{"key":"a+b/c==","value":"x1"}"#), r#"{"key":"[REDACTED]","value":"x1"}"#);
        // Only the member right after the name, in the same object.
        assert_eq!(rj(r#"{"name":"DB_PASSWORD","n":1,"value":"x1"}"#), r#"{"name":"DB_PASSWORD","n":1,"value":"x1"}"#);
        assert_eq!(rj(r#"{"a":{"name":"DB_PASSWORD"},"value":"x1"}"#), r#"{"a":{"name":"DB_PASSWORD"},"value":"x1"}"#);
        // As the text rules read the same line.
        let red = Redactor::default();
        for doc in [env, r#"{"Key":"ApiToken","Value":"x1"}"#, r#"{"ParameterKey":"DbPassword","ParameterValue":"x1"}"#]
        {
            assert_eq!(rj(doc).as_bytes(), &*red.redact(doc.as_bytes()), "{doc}");
        }
    }

    #[test]
    fn string_values_are_redacted_as_text() {
        assert_eq!(
            rj(r#"{"log":"Authorization: Bearer abcdef123456\n","n":2}"#),
            r#"{"log":"Authorization: Bearer [REDACTED]\n","n":2}"#
        );
        assert_eq!(rj(r#"["login password=hunter22 x", "ok"]"#), r#"["login password=[REDACTED] x", "ok"]"#);
        assert_eq!(rj(r#"["password=hunter22 x"]"#), r#"["password=[REDACTED]"]"#);
    }

    #[test]
    fn unchanged_is_borrowed_and_exact() {
        let r = Redactor::default();
        let input = br#" {"msg": "caf\u00e9 \"ok\"", "x": [1.5e3, -0, false]} "#;
        assert!(matches!(r.redact_json(input).unwrap(), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_keep_their_style() {
        assert_eq!(
            rj(r#"{"log":"caf\u00e9 password=\"s3cr\u00e9t\""}"#),
            r#"{"log":"caf\u00e9 password=\"[REDACTED]\""}"#
        );
    }

    /// Member names through the cache: more names than slots, names too long for it,
    /// escaped names, and a second redactor with other key rules on the same scratch.
    #[test]
    fn the_member_name_cache_follows_the_redactor() {
        let plain = Redactor::default();
        let denied = Redactor::builder().deny_keys(&["level"]).build().unwrap();
        let mut scratch = super::JsonScratch::new();
        let mut names: Vec<String> = (0..200).map(|i| format!("field{i}")).collect();
        names.extend(["password".into(), r"pass\u0077ord".into(), "x".repeat(super::KEY_MAX + 1) + "_token"]);
        names.push("level".into());
        let doc: String = {
            let members: Vec<String> = names.iter().map(|n| format!(r#""{n}":"v4lue-{n}""#)).collect();
            format!("{{{}}}", members.join(","))
        };
        for _ in 0..3 {
            for r in [&plain, &denied, &plain] {
                let want = r.redact_json(doc.as_bytes()).unwrap().into_owned();
                let got = r.redact_json_reusing(doc.as_bytes(), &mut scratch).unwrap().map(<[u8]>::to_vec);
                assert_eq!(got.as_deref(), Some(&want[..]));
            }
        }
        let masked = |r: &Redactor, scratch: &mut super::JsonScratch| {
            let out = r.redact_json_reusing(br#"{"level":"info1"}"#, scratch).unwrap().map(<[u8]>::to_vec);
            out.is_some()
        };
        assert!(masked(&denied, &mut scratch));
        assert!(!masked(&plain, &mut scratch));
        assert!(masked(&denied, &mut scratch));
    }

    #[test]
    fn escaping_keeps_the_old_form() {
        let mut out = Vec::new();
        super::escape_into(&mut out, "a\"b\\c\n\r\t\u{1}\u{7f} é € 😀".as_bytes(), false);
        assert_eq!(out, "a\\\"b\\\\c\\n\\r\\t\\u0001\u{7f} é € 😀".as_bytes());
        out.clear();
        super::escape_into(&mut out, "é € 😀\u{1f}".as_bytes(), true);
        assert_eq!(out, br"\u00e9 \u20ac \ud83d\ude00\u001f");
        out.clear();
        super::escape_into(&mut out, b"bad \xff\xfe end", true);
        assert_eq!(out, br"bad \ufffd\ufffd end");
        out.clear();
        super::escape_into(&mut out, b"bad \xff end", false);
        assert_eq!(out, "bad \u{fffd} end".as_bytes());
        super::unescape_into(br"\ud800x\udc00\u00E9\/\ud83d\ude00\b", &mut out);
        assert_eq!(out, "\u{fffd}x\u{fffd}é/😀\u{8}".as_bytes());
    }

    /// The per-character encoder `escape_into` replaced, as the reference.
    fn reference_escape(text: &[u8], ascii: bool) -> Vec<u8> {
        let s = String::from_utf8_lossy(text);
        let mut out = Vec::new();
        for ch in s.chars() {
            match ch {
                '"' => out.extend_from_slice(b"\\\""),
                '\\' => out.extend_from_slice(b"\\\\"),
                '\n' => out.extend_from_slice(b"\\n"),
                '\r' => out.extend_from_slice(b"\\r"),
                '\t' => out.extend_from_slice(b"\\t"),
                c if (c as u32) < 0x20 || (ascii && !c.is_ascii()) => {
                    let mut units = [0u16; 2];
                    for u in c.encode_utf16(&mut units) {
                        out.extend_from_slice(format!("\\u{:04x}", u).as_bytes());
                    }
                }
                c => out.extend_from_slice(c.encode_utf8(&mut [0u8; 4]).as_bytes()),
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn escaping_matches_the_reference(
            text in proptest::collection::vec(proptest::sample::select(vec![
                0u8, 1, 0x1f, b' ', b'a', b'"', b'\\', b'\n', b'\r', b'\t', 0x7f, 0xc3, 0xa9, 0xe2, 0x82, 0xac,
                0xf0, 0x9f, 0x98, 0x80, 0xff, 0xed, 0xa0,
            ]), 0..40),
            ascii in proptest::bool::ANY,
        ) {
            let mut out = b"kept".to_vec();
            super::escape_into(&mut out, &text, ascii);
            proptest::prop_assert_eq!(&out[4..], &reference_escape(&text, ascii)[..]);
            // What was escaped decodes back to the text (invalid UTF-8 as U+FFFD).
            let mut back = Vec::new();
            super::unescape_into(&out[4..], &mut back);
            proptest::prop_assert_eq!(back, String::from_utf8_lossy(&text).as_bytes().to_vec());
        }
    }

    proptest::proptest! {
        /// The byte loop stops where `memchr3` does and notes the first control character
        /// and any non-ASCII byte before that.
        #[test]
        fn bytewise_stops_match_memchr(
            hay in proptest::collection::vec(proptest::sample::select(vec![b'a', b'"', b'\\', b'\n', 1, 0x1f, b'\t', 0xc3]), 0..40),
            from in 0usize..40,
        ) {
            let from = from.min(hay.len());
            let mut run = super::Run::default();
            let stop = super::find_stop_bytewise(&hay, from, &mut run);
            proptest::prop_assert_eq!(stop, memchr::memchr3(b'"', b'\\', b'\n', &hay[from..]).map(|i| from + i));
            let end = stop.unwrap_or(hay.len());
            proptest::prop_assert_eq!(run.control, hay[from..end].iter().position(|&b| b < 0x20).map(|i| from + i));
            proptest::prop_assert_eq!(run.non_ascii, !hay[from..end].is_ascii());
        }
    }

    #[test]
    fn invalid_json_is_an_error() {
        let r = Redactor::default();
        for bad in [
            &b"{"[..],
            b"{\"a\" 1}",
            b"[1,]",
            b"\"abc",
            b"{} x",
            b"01x",
            b"{\"a\":tru}",
            b"\"a\nb\"",
            b"{\"a\":01}",
            b"[-00]",
        ] {
            assert!(r.redact_json(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        for good in [&b"[0, -0, 0.5, 10, -0e1, 100]"[..], b"{\"a\":0}"] {
            assert!(r.redact_json(good).is_ok(), "{}", String::from_utf8_lossy(good));
        }
        let deep = "[".repeat(5000);
        assert!(r.redact_json(deep.as_bytes()).is_err());
    }
}
