//! The raw `wasm-bindgen` exports: `RawRedactor` and `RawStream`.
//!
//! These are not the public JavaScript API: `js/api.js` wraps them into `Redactor`,
//! `TransformStream`s and `Error` subclasses. Errors cross the boundary as plain `Error`s
//! named `HushRawError` carrying `kind` (and `ruleId` / `offset` when known), which the
//! wrapper turns into its classes. Messages come from the core's `Display`, which never
//! contains secret bytes.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect, Uint32Array};
use wasm_bindgen::prelude::*;

use hush::{Redactor, Report, RuleKind};

use crate::options::Options;
use crate::stream::{ByteStream, Finished, TextStream};
use crate::utf16::byte_to_utf16;

/// Builds the `Error` the wrapper recognises.
fn raw_error(kind: &str, message: &str, rule: Option<&str>, offset: Option<usize>) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("HushRawError");
    set(&err, "kind", &JsValue::from_str(kind));
    if let Some(rule) = rule {
        set(&err, "ruleId", &JsValue::from_str(rule));
    }
    if let Some(offset) = offset {
        set(&err, "offset", &JsValue::from_f64(offset as f64));
    }
    err.into()
}

fn core_error(e: &hush::Error) -> JsValue {
    let kind = match e.kind() {
        hush::ErrorKind::Rule => "rule",
        hush::ErrorKind::Source => "source",
        hush::ErrorKind::Io => "io",
        hush::ErrorKind::Limit => "limit",
        _ => "config",
    };
    raw_error(kind, &e.to_string(), e.rule_id(), None)
}

fn finished_error(e: Finished) -> JsValue {
    raw_error("state", &e.to_string(), None, None)
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Reflect.set on a fresh plain object or Error cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn kind_name(kind: Option<RuleKind>) -> JsValue {
    kind.map_or(JsValue::NULL, |k| JsValue::from_str(k.as_str()))
}

/// A report as a plain object: `{ rules: { id: { kind, count, truncated } }, total,
/// bytesIn, bytesOut, lines }`. Counts are numbers (exact below 2^53).
fn report_to_js(report: &Report) -> JsValue {
    let rules = Object::new();
    for (id, c) in &report.rules {
        let entry = Object::new();
        set(&entry, "kind", &kind_name(c.kind));
        set(&entry, "count", &JsValue::from_f64(c.count as f64));
        set(&entry, "truncated", &JsValue::from_f64(c.truncated as f64));
        set(&rules, id, &entry);
    }
    let out = Object::new();
    set(&out, "rules", &rules);
    set(&out, "total", &JsValue::from_f64(report.total() as f64));
    set(&out, "bytesIn", &JsValue::from_f64(report.bytes_in as f64));
    set(&out, "bytesOut", &JsValue::from_f64(report.bytes_out as f64));
    set(&out, "lines", &JsValue::from_f64(report.lines as f64));
    out.into()
}

thread_local! {
    /// Where JS encodes input text in place (`TextEncoder.encodeInto`): one copy fewer
    /// than wasm-bindgen's string passing, whose per-character loop dominates on large
    /// ASCII inputs.
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The module's memory, for writing input in place.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Makes the input buffer at least `len` bytes long and returns its address in the memory.
///
/// The buffer is kept between calls and only its growth is zeroed: JS overwrites the bytes
/// it passes, and zeroing a large buffer on every call was 3% of `redact`. Keeping it
/// costs no memory: a wasm memory never shrinks, and a released buffer would only be
/// handed out again.
#[wasm_bindgen(js_name = inputBuffer)]
pub fn input_buffer(len: usize) -> usize {
    INPUT.with(|b| {
        let mut b = b.borrow_mut();
        if b.len() < len {
            b.resize(len, 0);
        }
        b.as_mut_ptr() as usize
    })
}

/// Runs `f` on the first `len` bytes of the input buffer.
fn with_input<T>(len: usize, f: impl FnOnce(&[u8]) -> T) -> T {
    INPUT.with(|b| {
        let b = b.borrow();
        f(&b[..len.min(b.len())])
    })
}

fn owned_text(out: std::borrow::Cow<'_, [u8]>) -> Option<String> {
    match out {
        std::borrow::Cow::Borrowed(_) => None,
        std::borrow::Cow::Owned(v) => {
            Some(String::from_utf8(v).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
        }
    }
}

/// The masks of `edits` concatenated, and per edit the UTF-16 start and end of the
/// replaced input and the mask's UTF-16 length; `None` when the input is not UTF-8 or an
/// edit or mask does not fall on character boundaries.
fn edits_for_js(input: &[u8], ascii: bool, out: &[u8], edits: &[hush::Edit]) -> Option<(String, Vec<u32>)> {
    let bounds: Vec<usize> = edits.iter().flat_map(|e| [e.input.start, e.input.end]).collect();
    // ASCII text (JS knows: it wrote a byte per code unit): byte offsets are UTF-16
    // offsets, and every offset is a character boundary. Otherwise both take a pass.
    let units: Vec<u32> = if ascii {
        bounds.iter().map(|&b| b as u32).collect()
    } else {
        let text = std::str::from_utf8(input).ok()?;
        if !bounds.iter().all(|&b| text.is_char_boundary(b)) {
            return None;
        }
        byte_to_utf16(text, &bounds)
    };
    let mut masks = String::new();
    let mut offsets = Vec::with_capacity(edits.len() * 3);
    for (e, pair) in edits.iter().zip(units.chunks_exact(2)) {
        let mask = std::str::from_utf8(out.get(e.output.clone())?).ok()?;
        masks.push_str(mask);
        offsets.extend([pair[0], pair[1], mask.encode_utf16().count() as u32]);
    }
    Some((masks, offsets))
}

/// A compiled redactor (raw export; use `Redactor` from the package instead).
#[wasm_bindgen]
pub struct RawRedactor {
    inner: Redactor,
}

#[wasm_bindgen]
impl RawRedactor {
    /// Compiles a redactor. Known values arrive as one buffer plus their lengths.
    #[wasm_bindgen(constructor)]
    pub fn new(
        mask: Option<String>,
        hash_key: Option<Vec<u8>>,
        known_bytes: &[u8],
        known_lens: &[u32],
        rules: Option<String>,
        gitleaks: Option<String>,
    ) -> Result<RawRedactor, JsValue> {
        let known_values = Options::split_known(known_bytes, known_lens).map_err(|e| core_error(&e))?;
        let options = Options { mask, hash_key, known_values, rules, gitleaks };
        let inner = options.build().map_err(|e| core_error(&e))?;
        Ok(RawRedactor { inner })
    }

    /// Redacts text; `undefined` when nothing changed (the caller keeps its string, which
    /// saves decoding it again).
    pub fn redact(&self, text: &str) -> Option<String> {
        match self.inner.redact_str(text) {
            std::borrow::Cow::Borrowed(_) => None,
            std::borrow::Cow::Owned(s) => Some(s),
        }
    }

    /// Redacts the UTF-8 text JS wrote into the input buffer (see [`input_buffer`]);
    /// `undefined` when nothing changed.
    #[wasm_bindgen(js_name = redactInput)]
    pub fn redact_input(&self, len: usize) -> Option<String> {
        with_input(len, |bytes| owned_text(self.inner.redact(bytes)))
    }

    /// Redacts the UTF-8 text JS wrote into the input buffer and says what changed, so JS
    /// rebuilds the output from the string it holds (no copy and no UTF-8 decoding of the
    /// unchanged text): `undefined` when nothing changed, else `[masks, edits]`, the masks
    /// one after the other and per edit the replaced range's UTF-16 start and end in the
    /// input and the mask's UTF-16 length. A plain string (the whole output) if an edit
    /// does not fall on character boundaries, which the core does not produce. `ascii`:
    /// the text is ASCII (`len` equals its UTF-16 length), so offsets need no conversion.
    #[wasm_bindgen(js_name = redactInputEdits)]
    pub fn redact_input_edits(&self, len: usize, ascii: bool) -> JsValue {
        with_input(len, |bytes| {
            let (out, edits) = self.inner.redact_edits(bytes);
            if matches!(out, std::borrow::Cow::Borrowed(_)) {
                return JsValue::UNDEFINED;
            }
            match edits_for_js(bytes, ascii, &out, &edits) {
                Some((masks, offsets)) => {
                    Array::of2(&JsValue::from_str(&masks), &Uint32Array::from(&offsets[..])).into()
                }
                None => owned_text(out).map_or(JsValue::UNDEFINED, |s| JsValue::from_str(&s)),
            }
        })
    }

    /// Like `redactInput`, with the report: `[text | undefined, report]`.
    #[wasm_bindgen(js_name = redactInputWithReport)]
    pub fn redact_input_with_report(&self, len: usize) -> Array {
        with_input(len, |bytes| {
            let (out, report) = self.inner.redact_with_report(bytes);
            let out = owned_text(out).map_or(JsValue::UNDEFINED, |s| JsValue::from_str(&s));
            Array::of2(&out, &report_to_js(&report))
        })
    }

    /// Redacts bytes; `undefined` when nothing changed.
    #[wasm_bindgen(js_name = redactBytes)]
    pub fn redact_bytes(&self, data: &[u8]) -> Option<Vec<u8>> {
        match self.inner.redact(data) {
            std::borrow::Cow::Borrowed(_) => None,
            std::borrow::Cow::Owned(v) => Some(v),
        }
    }

    /// Redacts JSON text; `undefined` when nothing changed.
    #[wasm_bindgen(js_name = redactJson)]
    pub fn redact_json(&self, text: &str) -> Result<Option<String>, JsValue> {
        match self.inner.redact_json(text.as_bytes()) {
            Ok(std::borrow::Cow::Borrowed(_)) => Ok(None),
            Ok(std::borrow::Cow::Owned(v)) => Ok(Some(String::from_utf8_lossy(&v).into_owned())),
            Err(e) => Err(raw_error("json", &e.to_string(), None, Some(e.offset))),
        }
    }

    /// Redacts text and reports: `[text | undefined, report]`.
    #[wasm_bindgen(js_name = redactWithReport)]
    pub fn redact_with_report(&self, text: &str) -> Array {
        let (out, report) = self.inner.redact_with_report(text.as_bytes());
        let out = match out {
            std::borrow::Cow::Borrowed(_) => JsValue::UNDEFINED,
            std::borrow::Cow::Owned(v) => JsValue::from_str(&String::from_utf8_lossy(&v)),
        };
        Array::of2(&out, &report_to_js(&report))
    }

    /// Finds secrets: `[Uint32Array of (start, end, kind, truncated) per finding, ruleIds]`
    /// with offsets in UTF-16 code units; kind is 0 key, 1 format, 2 known.
    pub fn scan(&self, text: &str) -> Array {
        let findings = self.inner.scan(text.as_bytes());
        // The core reports findings in order of their start; ends follow the same order
        // closely but not strictly, so convert starts and ends separately.
        let starts: Vec<usize> = findings.iter().map(|f| f.start).collect();
        let mut end_order: Vec<usize> = (0..findings.len()).collect();
        end_order.sort_by_key(|&i| findings[i].end);
        let sorted_ends: Vec<usize> = end_order.iter().map(|&i| findings[i].end).collect();
        let starts16 = byte_to_utf16(text, &starts);
        let ends16_sorted = byte_to_utf16(text, &sorted_ends);
        let mut ends16 = vec![0u32; findings.len()];
        for (k, &i) in end_order.iter().enumerate() {
            ends16[i] = ends16_sorted[k];
        }
        let mut packed = Vec::with_capacity(findings.len() * 4);
        let ids = Array::new();
        for (i, f) in findings.iter().enumerate() {
            let kind = match f.kind {
                RuleKind::Key => 0,
                RuleKind::Format => 1,
                RuleKind::Known => 2,
            };
            packed.extend_from_slice(&[starts16[i], ends16[i], kind, u32::from(f.truncated)]);
            ids.push(&JsValue::from_str(f.rule.as_str()));
        }
        Array::of2(&Uint32Array::from(&packed[..]).into(), &ids.into())
    }

    /// Every rule, active and inactive, as plain objects.
    pub fn rules(&self) -> Array {
        let out = Array::new();
        for info in self.inner.rules() {
            let o = Object::new();
            set(&o, "id", &JsValue::from_str(&info.id));
            set(&o, "kind", &JsValue::from_str(info.kind.as_str()));
            set(&o, "description", &JsValue::from_str(&info.description));
            set(&o, "bound", &info.bound.map_or(JsValue::NULL, |b| JsValue::from_f64(b as f64)));
            set(&o, "source", &JsValue::from_str(&info.source));
            set(&o, "active", &JsValue::from_bool(info.active));
            set(&o, "reason", &info.reason.as_deref().map_or(JsValue::NULL, JsValue::from_str));
            out.push(&o);
        }
        out
    }

    /// Warnings from building (never contain secret values).
    pub fn warnings(&self) -> Array {
        self.inner.warnings().iter().map(|w| JsValue::from_str(w)).collect()
    }

    /// The mask style name in use.
    #[wasm_bindgen(js_name = maskStyle)]
    pub fn mask_style(&self) -> String {
        self.inner.mask_style().as_str().to_owned()
    }

    /// A text stream state.
    #[wasm_bindgen(js_name = textStream)]
    pub fn text_stream(&self) -> RawStream {
        RawStream { state: StreamState::Text(TextStream::new(&self.inner)) }
    }

    /// A byte stream state.
    #[wasm_bindgen(js_name = byteStream)]
    pub fn byte_stream(&self) -> RawStream {
        RawStream { state: StreamState::Bytes(ByteStream::new(&self.inner)) }
    }
}

enum StreamState {
    Text(TextStream),
    Bytes(ByteStream),
}

/// The state of one redacting stream (raw export; see `Redactor.stream()`).
#[wasm_bindgen]
pub struct RawStream {
    state: StreamState,
}

fn wrong_mode() -> JsValue {
    raw_error("state", "text call on a byte stream or byte call on a text stream", None, None)
}

#[wasm_bindgen]
impl RawStream {
    /// Text stream: redacts a chunk, returns the ready output.
    #[wasm_bindgen(js_name = writeText)]
    pub fn write_text(&mut self, chunk: &str) -> Result<String, JsValue> {
        match &mut self.state {
            StreamState::Text(s) => s.write(chunk).map_err(finished_error),
            StreamState::Bytes(_) => Err(wrong_mode()),
        }
    }

    /// Byte stream: redacts a chunk, returns the ready output.
    #[wasm_bindgen(js_name = writeBytes)]
    pub fn write_bytes(&mut self, chunk: &[u8]) -> Result<Vec<u8>, JsValue> {
        match &mut self.state {
            StreamState::Bytes(s) => s.write(chunk).map_err(finished_error),
            StreamState::Text(_) => Err(wrong_mode()),
        }
    }

    /// Text stream: releases the partial line up to its safe point.
    #[wasm_bindgen(js_name = flushPartialText)]
    pub fn flush_partial_text(&mut self) -> Result<String, JsValue> {
        match &mut self.state {
            StreamState::Text(s) => s.flush_partial().map_err(finished_error),
            StreamState::Bytes(_) => Err(wrong_mode()),
        }
    }

    /// Byte stream: releases the partial line up to its safe point.
    #[wasm_bindgen(js_name = flushPartialBytes)]
    pub fn flush_partial_bytes(&mut self) -> Result<Vec<u8>, JsValue> {
        match &mut self.state {
            StreamState::Bytes(s) => s.flush_partial().map_err(finished_error),
            StreamState::Text(_) => Err(wrong_mode()),
        }
    }

    /// Text stream: processes the rest, returns the last output.
    #[wasm_bindgen(js_name = finishText)]
    pub fn finish_text(&mut self) -> Result<String, JsValue> {
        match &mut self.state {
            StreamState::Text(s) => s.finish().map_err(finished_error),
            StreamState::Bytes(_) => Err(wrong_mode()),
        }
    }

    /// Byte stream: processes the rest, returns the last output.
    #[wasm_bindgen(js_name = finishBytes)]
    pub fn finish_bytes(&mut self) -> Result<Vec<u8>, JsValue> {
        match &mut self.state {
            StreamState::Bytes(s) => s.finish().map_err(finished_error),
            StreamState::Text(_) => Err(wrong_mode()),
        }
    }

    /// The report so far.
    pub fn report(&self) -> JsValue {
        match &self.state {
            StreamState::Text(s) => report_to_js(&s.report()),
            StreamState::Bytes(s) => report_to_js(&s.report()),
        }
    }
}
