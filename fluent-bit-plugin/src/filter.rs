//! The record filter behind the `hush_filter` export, as plain Rust.

use std::borrow::Cow;
use std::ops::Range;
use std::path::PathBuf;
use std::time::Instant;

use hush::{JsonEvent, JsonScratch, MaskStyle, Redactor};

use crate::pem::{self, Blocks};
use crate::scan::{self, Kind};
use crate::source::{self, Secret, Watch};

/// Default cap on a record's size; larger records are replaced by an error record.
pub const DEFAULT_RECORD_CAP: usize = 16 << 20;

/// Docker splits log lines into pieces of exactly this many bytes.
pub const DOCKER_SPLIT: usize = 16 * 1024;

/// Counters, one per path through the filter (read by the `hush_counter` export).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub struct Counters {
    /// Records seen.
    pub records: u64,
    /// Records returned unchanged (`record_ptr` itself).
    pub unchanged: u64,
    /// Records returned redacted.
    pub redacted: u64,
    /// Records replaced by `{"hush_error": …}` because they were not a JSON object.
    pub invalid_json: u64,
    /// Records that arrived as a null pointer (the host could not copy them).
    pub null_record: u64,
    /// Records over the size cap.
    pub over_cap: u64,
    /// String values masked as lines of a multi-line PEM key.
    pub pem_lines: u64,
    /// Trailing partial candidates masked (fail closed).
    pub partial_tails: u64,
    /// Successful reloads of the secrets directory.
    pub reloads: u64,
    /// Failed loads or reloads (the previous rules stay in force).
    pub load_errors: u64,
}

/// What the filter made of a record.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Keep the record as it came (return `record_ptr`).
    Unchanged,
    /// Use [`Filter::output`].
    Rewritten,
}

/// The filter: rules, per-tag state, and the buffers reused across calls (in the module
/// every allocation is a call into the interpreted `malloc`).
pub struct Filter {
    redactor: Redactor,
    secrets: Vec<Secret>,
    watch: Watch,
    blocks: Blocks,
    cap: usize,
    /// The core's buffers and member-name cache, kept across records.
    json: JsonScratch,
    out: Vec<u8>,
    edits: Vec<(Range<usize>, Mask)>,
    /// The string values of the record being filtered, as the core reported them: member
    /// name (in the record) and value (in the redacted record).
    values: Vec<(Range<usize>, Range<usize>)>,
    probes: Probes,
    counters: Counters,
}

/// Why a span is masked by the filter itself (not by the core).
#[derive(Clone, Copy)]
enum Mask {
    Pem,
    PartialTail,
}

impl Mask {
    fn label(self) -> &'static str {
        match self {
            Mask::Pem => "private-key",
            Mask::PartialTail => "partial-tail",
        }
    }
}

/// Appended to a trailing token to ask the core whether more bytes would make it a secret.
const PROBE_FILLER: &[u8] = b"1234567890918273645546372819098765432101234567";
/// Trailing tokens shorter than this are not checked.
const MIN_TAIL: usize = 3;
/// Longest trailing token checked (longer ones are masked only at a Docker split).
const MAX_TAIL: usize = 512;
/// A trailing prefix of a known value is masked from this length on.
const MIN_KNOWN_PREFIX: usize = 4;

impl Filter {
    /// A filter with the built-in rules.
    pub fn new() -> Self {
        Self::from_redactor(Redactor::default())
    }

    /// A filter using `redactor` (no directory watched).
    pub fn from_redactor(redactor: Redactor) -> Self {
        Filter {
            redactor,
            secrets: Vec::new(),
            watch: Watch::new(None),
            blocks: Blocks::default(),
            cap: DEFAULT_RECORD_CAP,
            json: JsonScratch::new(),
            out: Vec::new(),
            edits: Vec::new(),
            values: Vec::new(),
            probes: Probes::default(),
            counters: Counters::default(),
        }
    }

    /// A filter configured from `dir` (`hush.toml`, `secrets/`). When loading fails the
    /// built-in rules are used, the failure is counted, and the message (naming files,
    /// never contents) is returned alongside.
    pub fn from_dir(dir: Option<PathBuf>) -> (Self, Option<String>) {
        let (loaded, error) = match source::load(dir.as_deref(), &[]) {
            Ok(l) => (l, None),
            Err(e) => (source::load(None, &[]).expect("built-in rules load"), Some(e)),
        };
        let mut f = Self::from_redactor(loaded.redactor);
        f.secrets = loaded.secrets;
        f.watch = Watch::new(dir);
        if error.is_some() {
            f.counters.load_errors += 1;
        }
        (f, error)
    }

    /// Sets the record size cap.
    pub fn with_cap(mut self, cap: usize) -> Self {
        self.cap = cap;
        self
    }

    /// The counters so far.
    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// The redactor in force.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// The last rewritten record: a JSON object followed by a NUL byte.
    pub fn output(&self) -> &[u8] {
        &self.out
    }

    /// Re-reads the secrets directory when a check is due at `now` and its mtime changed.
    /// Returns an error message when the reload failed (the old rules stay).
    pub fn maybe_reload(&mut self, now: Instant) -> Option<String> {
        if !self.watch.changed(now) {
            return None;
        }
        match source::load(self.watch.dir.as_deref(), &self.secrets) {
            Ok(loaded) => {
                self.redactor = loaded.redactor;
                self.probes.forget();
                self.secrets = loaded.secrets;
                self.counters.reloads += 1;
                None
            }
            Err(e) => {
                self.counters.load_errors += 1;
                Some(e)
            }
        }
    }

    /// Filters one record of `tag`: `None` when the host passed a null pointer.
    pub fn filter(&mut self, tag: &[u8], record: Option<&[u8]>) -> Verdict {
        self.counters.records += 1;
        self.out.clear();
        let Some(record) = record else {
            self.counters.null_record += 1;
            self.error_record("record not copied into module memory (raise wasm_heap_size)", None);
            return Verdict::Rewritten;
        };
        if record.len() > self.cap {
            self.counters.over_cap += 1;
            self.error_record("record over the size cap", Some(record));
            return Verdict::Rewritten;
        }
        if record.trim_ascii_start().first() != Some(&b'{') {
            return self.invalid(record);
        }
        // The core reports the string values as it writes them: the record is parsed once.
        // Values are looked at only once the record is known to be valid, and only those
        // before a container nested deeper than the filter accepts (fail closed there).
        self.values.clear();
        let mut too_deep = false;
        let values = &mut self.values;
        let result = self.redactor.redact_json_visiting(record, &mut self.json, &mut |event| match event {
            JsonEvent::Str { key, value } if !too_deep => values.push((key, value)),
            JsonEvent::Open { depth } if depth > scan::MAX_DEPTH => too_deep = true,
            _ => {}
        });
        let (redacted, changed) = match result {
            Ok(Some(out)) => (out, true),
            Ok(None) => (record, false),
            Err(_) => return self.invalid(record),
        };
        self.edits.clear();
        {
            let (edits, blocks, counters) = (&mut self.edits, &mut self.blocks, &mut self.counters);
            let mut ctx =
                Ctx { tag, json: redacted, secrets: &self.secrets, redactor: &self.redactor, probes: &mut self.probes };
            for (key, value) in &self.values {
                ctx.inspect(&record[key.clone()], value.clone(), blocks, edits, counters);
            }
        }
        if too_deep {
            return self.invalid(record);
        }
        if self.edits.is_empty() && !changed {
            self.counters.unchanged += 1;
            return Verdict::Unchanged;
        }
        self.counters.redacted += 1;
        if self.edits.is_empty() {
            self.out.extend_from_slice(redacted);
        } else {
            apply_edits(&mut self.out, &self.edits, &self.redactor, redacted);
        }
        self.out.push(0);
        Verdict::Rewritten
    }

    #[cold]
    #[inline(never)]
    fn invalid(&mut self, record: &[u8]) -> Verdict {
        self.counters.invalid_json += 1;
        self.error_record("invalid JSON", Some(record));
        Verdict::Rewritten
    }

    /// `{"hush_error":"<reason>", …}` keeping the root's numbers and booleans whose names
    /// are not sensitive (as far as the record parses).
    #[cold]
    #[inline(never)]
    fn error_record(&mut self, reason: &str, record: Option<&[u8]>) {
        self.out.clear();
        self.out.extend_from_slice(b"{\"hush_error\":\"");
        self.out.extend_from_slice(reason.as_bytes());
        self.out.push(b'"');
        if let Some(record) = record {
            let (out, redactor) = (&mut self.out, &self.redactor);
            let _ = scan::walk(record, |item| {
                let Some(key) = &item.key else { return };
                let key = &record[key.clone()];
                let keep = item.depth == 1
                    && item.member
                    && match item.kind {
                        Kind::Bool => true,
                        Kind::Number => scan::is_strict_number(&record[item.raw.clone()]),
                        Kind::Str | Kind::Null => false,
                    }
                    && key != b"hush_error"
                    && !key.contains(&b'\\')
                    && std::str::from_utf8(key).is_ok_and(|k| redactor.key_rule(k).is_none());
                if keep {
                    out.extend_from_slice(b",\"");
                    out.extend_from_slice(key);
                    out.extend_from_slice(b"\":");
                    out.extend_from_slice(&record[item.raw.clone()]);
                }
            });
        }
        self.out.extend_from_slice(b"}\0");
    }
}

impl Default for Filter {
    fn default() -> Self {
        Self::new()
    }
}

/// What [`Ctx::inspect`] needs to look at one value.
struct Ctx<'a> {
    tag: &'a [u8],
    json: &'a [u8],
    secrets: &'a [Secret],
    redactor: &'a Redactor,
    probes: &'a mut Probes,
}

impl Ctx<'_> {
    /// Looks at the string value at `at` in the redacted record, a value of member `key`.
    fn inspect(
        &mut self,
        key: &[u8],
        at: Range<usize>,
        blocks: &mut Blocks,
        edits: &mut Vec<(Range<usize>, Mask)>,
        counters: &mut Counters,
    ) {
        let raw = &self.json[at.clone()];
        if !blocks.is_empty() && blocks.is_open(self.tag) {
            match blocks.continue_block(self.tag, key, raw) {
                pem::Verdict::Mask { end } => {
                    counters.pem_lines += 1;
                    edits.push((at.start..at.start + end, Mask::Pem));
                    return;
                }
                pem::Verdict::Leave | pem::Verdict::Closed => {}
            }
        }
        if blocks.maybe_open(self.tag, key, raw) {
            return;
        }
        if let Some(start) = self.partial_tail(raw) {
            counters.partial_tails += 1;
            edits.push((at.start + start..at.end, Mask::PartialTail));
        }
    }

    /// Start of a trailing candidate to mask in `raw`, if any: the value was cut short
    /// (no final line break) and ends in what more bytes could turn into a secret.
    fn partial_tail(&mut self, raw: &[u8]) -> Option<usize> {
        if raw.ends_with(br"\n") && !raw.ends_with(br"\\n") || raw.ends_with(br"\r\n") {
            return None;
        }
        let start = token_start(raw);
        let token = &raw[start..];
        if token.is_empty() {
            return None;
        }
        // Escapes only shrink a string when decoded, so a shorter raw value is no split.
        if raw.len() >= DOCKER_SPLIT && scan::decoded_len(raw) == DOCKER_SPLIT {
            return Some(start);
        }
        if token.len() < MIN_TAIL || token.len() > MAX_TAIL {
            return None;
        }
        if let Some(at) = self.known_prefix(token) {
            return Some(start + at.min(token_word_start(token)));
        }
        // Token prefixes mix letters with digits, capitals or `_`/`-` (`ghp_`, `AKIA`,
        // `eyJ`, `sk-`); plain words and plain numbers are not probed.
        let tokenish = token.iter().any(u8::is_ascii_alphabetic)
            && token.iter().any(|b| b.is_ascii_digit() || b.is_ascii_uppercase() || matches!(b, b'_' | b'-'));
        if !tokenish {
            return None;
        }
        if self.probes.is_clean(token) {
            return None;
        }
        self.probe(token).map(|s| start + s)
    }

    /// Where in `token` a secret would start if more bytes followed, by a scan of the token
    /// and a filler; remembered when none would. Out of line: most tokens are found in the
    /// cache of clean ones.
    #[inline(never)]
    fn probe(&mut self, token: &[u8]) -> Option<usize> {
        let probe = &mut self.probes.buf;
        probe.clear();
        probe.extend_from_slice(token);
        probe.extend_from_slice(PROBE_FILLER);
        let hit = self
            .redactor
            .scan(probe)
            .into_iter()
            .filter(|f| f.start < token.len() && f.end > token.len())
            .map(|f| f.start)
            .min();
        if hit.is_none() {
            self.probes.remember_clean(token);
        }
        hit
    }

    /// Offset in `token` of a suffix that is a proper prefix of a known value.
    fn known_prefix(&self, token: &[u8]) -> Option<usize> {
        let last = *token.last()?;
        let mut best: Option<usize> = None;
        for s in self.secrets {
            let v = &s.value[..];
            for len in (MIN_KNOWN_PREFIX..v.len().min(token.len() + 1)).rev() {
                if v[len - 1] == last && token.ends_with(&v[..len]) {
                    let at = token.len() - len;
                    best = Some(best.map_or(at, |b| b.min(at)));
                    break;
                }
            }
        }
        best
    }
}

/// Slots of the cache of clean trailing tokens (a power of two).
const CLEAN_SLOTS: usize = 32;
/// Longest trailing token the cache holds.
const CLEAN_MAX: usize = 48;

/// The probe of trailing tokens: its buffer, reused across values and records, and the
/// tokens seen lately that no rule would match once continued. The same values end
/// record after record (a request path, a status), and a probe is a scan of the token and
/// a filler. Only tokens that were not masked are kept, so the cache holds nothing the
/// output did not show; it is emptied when the rules change.
struct Probes {
    buf: Vec<u8>,
    /// Length of each slot's token, or `u8::MAX` for an empty slot.
    lens: [u8; CLEAN_SLOTS],
    tokens: [[u8; CLEAN_MAX]; CLEAN_SLOTS],
}

impl Default for Probes {
    fn default() -> Self {
        Probes { buf: Vec::new(), lens: [u8::MAX; CLEAN_SLOTS], tokens: [[0; CLEAN_MAX]; CLEAN_SLOTS] }
    }
}

impl Probes {
    fn slot(token: &[u8]) -> usize {
        // FNV-1a: tokens are a few bytes long.
        let mut h: u32 = 0x811c_9dc5;
        for &b in token {
            h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
        (h ^ (h >> 16)) as usize & (CLEAN_SLOTS - 1)
    }

    fn is_clean(&self, token: &[u8]) -> bool {
        if token.len() > CLEAN_MAX {
            return false;
        }
        let at = Self::slot(token);
        usize::from(self.lens[at]) == token.len() && self.tokens[at][..token.len()] == *token
    }

    fn remember_clean(&mut self, token: &[u8]) {
        if token.len() <= CLEAN_MAX {
            let at = Self::slot(token);
            self.lens[at] = token.len() as u8;
            self.tokens[at][..token.len()].copy_from_slice(token);
        }
    }

    fn forget(&mut self) {
        self.lens = [u8::MAX; CLEAN_SLOTS];
    }
}

/// Characters a token (or a `key=value` pair) is made of.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+' | b'/' | b'=' | b'.' | b':' | b'%' | b'~')
}

/// Start of the run of token bytes at the end of `raw`.
fn token_start(raw: &[u8]) -> usize {
    raw.len() - raw.iter().rev().take_while(|&&b| is_token_byte(b)).count()
}

/// Where the last word of `token` starts (after its last `=` or `:`): a known value's
/// prefix is masked from there, so the whole cut-off value goes.
fn token_word_start(token: &[u8]) -> usize {
    token.iter().rposition(|b| matches!(b, b'=' | b':')).map_or(0, |i| i + 1)
}

/// Appends `redacted` to `out` with the filter's own masks over it. Out of line, as most
/// records need none: the interpreter copies a function's constants on every call.
#[inline(never)]
fn apply_edits(out: &mut Vec<u8>, edits: &[(Range<usize>, Mask)], redactor: &Redactor, redacted: &[u8]) {
    let mut at = 0;
    for (range, why) in edits {
        out.extend_from_slice(&redacted[at..range.start]);
        out.extend_from_slice(&mask_text(redactor, *why, &redacted[range.clone()]));
        at = range.end;
    }
    out.extend_from_slice(&redacted[at..]);
}

/// The text that replaces a span the filter masks itself, in the configured style.
fn mask_text(redactor: &Redactor, why: Mask, secret: &[u8]) -> Vec<u8> {
    match redactor.mask_style() {
        MaskStyle::Label => format!("[REDACTED:{}]", why.label()).into_bytes(),
        MaskStyle::Fill => vec![b'*'; secret.len()],
        MaskStyle::Redacted | MaskStyle::Hash | MaskStyle::Partial => {
            // The core's key mask gives the hash/partial forms; fall back if `password`
            // was configured as not sensitive.
            match redactor.redact_value("password", secret) {
                Cow::Owned(m) if !m.contains(&b'"') && !m.contains(&b'\\') => m,
                _ => b"[REDACTED]".to_vec(),
            }
        }
    }
}

#[cfg(test)]
mod tests;
