//! Streaming redaction: [`RedactWriter`] and the line processor behind every entry point.
//!
//! Input is cut into lines; each line is emitted, redacted, as soon as its newline
//! arrives. The one-shot [`Redactor::redact`] runs the very same processor over the whole
//! input, so for every chunking the stream's output is byte-identical to it.
//!
//! Memory: at most one line is held, up to the line cap (default 1 MiB). A longer line
//! is processed in windows of the cap's size at fixed offsets from the line start,
//! overlapping by the longest possible match; a key value that runs past a window is
//! masked to its end in the next windows (fail closed).

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

use crate::engine::{Hit, HitChain, LineScan, Region, Span, ValueEnd, merge_spans};
use crate::settle;
use crate::{Edit, Finding, Redactor, Report, RuleId, RuleKind, StreamFinding};

/// Lines a PEM private-key block may span before the block state resets.
pub(crate) const PEM_MAX_LINES: usize = 256;
/// Bytes a PEM private-key block may span before the block state resets.
pub(crate) const PEM_MAX_BYTES: usize = 16 * 1024;

/// An open multi-line PEM private-key block.
#[derive(Clone, Debug)]
struct Pem {
    rule: RuleId,
    lines: usize,
    bytes: usize,
}

/// A key value that runs on past the end of the last region.
#[derive(Clone, Debug)]
struct Continuation {
    end: ValueEnd,
    rule: RuleId,
}

/// What a literal search already found from the start of a piece of input.
#[derive(Clone, Copy)]
enum Ahead {
    /// Not searched yet.
    Unknown,
    /// This is the first hit.
    Hit(Hit),
    /// There is no hit.
    Nothing,
}

/// The line processor: holds the partial line and the cross-line state.
pub(crate) struct Processor {
    red: Redactor,
    /// Bytes of the current line not yet processed.
    pending: Vec<u8>,
    /// Offset within the current line of `pending[0]`.
    line_pos: usize,
    /// Offset within the current line up to which output was already written.
    done_to: usize,
    /// Offset within the current line where the last written mask ended.
    mask_end: usize,
    cont: Option<Continuation>,
    /// The rule of a key value that `flush_partial` released (masked, its finding counted
    /// not truncated) while it was still running: if it runs past a window, the finding
    /// is counted as truncated then.
    flushed_open: Option<RuleId>,
    pem: Option<Pem>,
    /// Indentation of an open Kubernetes Secret `data:` block, whose values are decoded.
    data_block: Option<usize>,
    /// The last line opened a YAML list item with a sensitive name (`- name: DB_PASSWORD`):
    /// the column of its `value:` field on the next line, and the name's rule.
    item: Option<(usize, RuleId)>,
    /// Absolute offset of the current line's start; 1-based line number.
    line_abs: u64,
    line_no: u64,
    report: Report,
    /// Per-rule counts go into `report` (a caller that discards them skips the work).
    count_rules: bool,
    /// Findings masked so far (counted whether or not `count_rules` is set).
    found: u64,
    /// Reused buffer of literal hits.
    hits: Vec<Hit>,
    /// The literal hits of the block being processed, found ahead a segment at a time.
    chain: HitChain,
    /// Findings with their positions, collected when `collect` is set.
    pub(crate) events: Vec<StreamFinding>,
    /// Where the output differs from the input, recorded when set (one-shot only: output
    /// offsets are positions in the one output buffer).
    pub(crate) edits: Option<Vec<Edit>>,
    pub(crate) collect: bool,
    window: usize,
    step: usize,
}

impl Processor {
    pub(crate) fn new(red: Redactor) -> Self {
        let window = red.line_cap();
        let overlap = red.engine().max_match().min(window / 2);
        Processor {
            red,
            pending: Vec::new(),
            line_pos: 0,
            done_to: 0,
            mask_end: usize::MAX,
            cont: None,
            flushed_open: None,
            pem: None,
            data_block: None,
            item: None,
            line_abs: 0,
            line_no: 1,
            report: Report::default(),
            count_rules: true,
            found: 0,
            hits: Vec::new(),
            chain: HitChain::default(),
            events: Vec::new(),
            edits: None,
            collect: false,
            window,
            step: window - overlap,
        }
    }

    pub(crate) fn report(&self) -> &Report {
        &self.report
    }

    /// Back to the state of a new processor, keeping the buffers' memory.
    fn reset(&mut self) {
        self.pending.clear();
        self.line_pos = 0;
        self.done_to = 0;
        self.mask_end = usize::MAX;
        self.cont = None;
        self.flushed_open = None;
        self.pem = None;
        self.data_block = None;
        self.item = None;
        self.line_abs = 0;
        self.line_no = 1;
        self.report = Report::default();
        self.count_rules = true;
        self.found = 0;
        self.events.clear();
        self.collect = false;
    }

    /// Counts a masked finding.
    fn count(&mut self, finding: &Finding) {
        self.found += 1;
        if self.count_rules {
            self.report.record(finding);
        }
    }

    /// Processes a chunk, appending redacted complete lines to `out`.
    pub(crate) fn write(&mut self, mut data: &[u8], out: &mut Vec<u8>) {
        self.report.bytes_in += data.len() as u64;
        while !data.is_empty() {
            if self.pending.is_empty() && self.line_pos == 0 {
                // Fast path: whole lines straight from the input.
                let Some(last_nl) = memchr::memrchr(b'\n', data) else {
                    self.push_partial(data, out);
                    return;
                };
                self.block(&data[..=last_nl], Ahead::Unknown, out);
                data = &data[last_nl + 1..];
                continue;
            }
            match memchr::memchr(b'\n', data) {
                Some(nl) => {
                    let (head, rest) = data.split_at(nl + 1);
                    self.push_partial(head, out);
                    let line = std::mem::take(&mut self.pending);
                    self.final_window(&line, Ahead::Unknown, true, out);
                    self.pending = line;
                    self.pending.clear();
                    data = rest;
                }
                None => {
                    self.push_partial(data, out);
                    return;
                }
            }
        }
    }

    /// The whole input at once, then [`finish`](Self::finish): what a one-shot redaction
    /// does. `first` is the input's first literal hit, already searched for: it is not
    /// searched for again, and a last line without its newline is not copied to `pending`.
    pub(crate) fn write_all(&mut self, input: &[u8], first: Option<Hit>, out: &mut Vec<u8>) {
        let split = memchr::memrchr(b'\n', input).map_or(0, |i| i + 1);
        let (lines, tail) = input.split_at(split);
        let (in_lines, in_tail) = match first {
            None => (Ahead::Nothing, Ahead::Nothing),
            Some(h) if h.end <= split => (Ahead::Hit(h), Ahead::Unknown),
            Some(h) if h.start >= split => {
                (Ahead::Nothing, Ahead::Hit(Hit { start: h.start - split, end: h.end - split, pattern: h.pattern }))
            }
            // A configured literal holding a newline straddles the two.
            Some(_) => (Ahead::Unknown, Ahead::Unknown),
        };
        self.report.bytes_in += input.len() as u64;
        self.block(lines, in_lines, out);
        if !tail.is_empty() && tail.len() <= self.window {
            self.final_window(tail, in_tail, true, out);
        } else {
            self.push_partial(tail, out);
        }
        self.finish(out);
    }

    /// A one-shot redaction of a single line already scanned (see [`scan_single_line`]):
    /// what [`write_all`](Self::write_all) does with it, without scanning it again.
    pub(crate) fn write_scanned_line(&mut self, line: &[u8], scan: LineScan, out: &mut Vec<u8>) {
        self.report.bytes_in += line.len() as u64;
        self.report.candidate_lines += u64::from(line.ends_with(b"\n"));
        self.finish_line(line, scan, out);
        self.finish(out);
    }

    /// Appends to the partial line, processing full windows when it outgrows the cap.
    fn push_partial(&mut self, mut data: &[u8], out: &mut Vec<u8>) {
        while !data.is_empty() {
            let room = self.window + 1 - self.pending.len().min(self.window + 1);
            let take = room.min(data.len());
            self.pending.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.pending.len() > self.window && self.pending.last() != Some(&b'\n') {
                let buf = std::mem::take(&mut self.pending);
                self.window_at(&buf[..self.window], out);
                self.pending = buf;
                self.pending.drain(..self.step);
                self.line_pos += self.step;
            }
        }
    }

    /// Processes a block of complete lines (ending in `\n`) from the input. One literal
    /// search runs through the block; lines without a hit are copied as they are.
    /// `ahead` is what a search already found at the block's start.
    ///
    /// Lines copied as they are are counted once for the whole block at its end, in one
    /// count of its newlines (every line of a block ends in one): counting each run of
    /// copied lines on its own cost more than the copy. Findings need the line number as
    /// they are found only when they are collected.
    fn block(&mut self, data: &[u8], ahead: Ahead, out: &mut Vec<u8>) {
        let mut pos = 0;
        let count_at_end = !self.collect;
        let (lines_before, line_no_before) = (self.report.lines, self.line_no);
        let (mut next, mut exhausted) = match ahead {
            Ahead::Unknown => (None, false),
            Ahead::Hit(h) => (Some(h), false),
            Ahead::Nothing => (None, true),
        };
        let mut hits = std::mem::take(&mut self.hits);
        // One handle for the whole block: the loop below also calls `&mut self` methods.
        let red = self.red.clone();
        let mut chain = std::mem::take(&mut self.chain);
        chain.reset();
        while pos < data.len() {
            if self.pem.is_some() || self.cont.is_some() || self.data_block.is_some() || self.item.is_some() {
                let end = memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |i| pos + i + 1);
                self.whole_line(&data[pos..end], out);
                pos = end;
                continue;
            }
            let engine = red.engine();
            let first = match next.take().filter(|h| h.start >= pos) {
                Some(h) => Some(h),
                None if exhausted => None,
                None => engine.next_hit(&mut chain, data, pos),
            };
            let Some(first) = first else {
                self.copy_lines(&data[pos..], !count_at_end, out);
                break;
            };
            let line_start = memchr::memrchr(b'\n', &data[pos..first.start]).map_or(pos, |i| pos + i + 1);
            let line_end = memchr::memchr(b'\n', &data[first.start..]).map_or(data.len(), |i| first.start + i + 1);
            self.copy_lines(&data[pos..line_start], !count_at_end, out);
            let line = &data[line_start..line_end];
            if line.len() > self.window {
                self.whole_line(line, out);
                pos = line_end;
                continue;
            }
            self.report.candidate_lines += 1;
            hits.clear();
            engine.push_hit(first, &mut hits);
            let mut at = engine.resume_after(first);
            loop {
                match engine.next_hit(&mut chain, data, at) {
                    None => {
                        exhausted = true;
                        break;
                    }
                    Some(h) if h.start >= line_end => {
                        next = Some(h);
                        break;
                    }
                    Some(h) => {
                        engine.push_hit(h, &mut hits);
                        at = engine.resume_after(h);
                    }
                }
            }
            for h in &mut hits {
                h.start -= line_start;
                h.end = (h.end - line_start).min(line.len());
            }
            hits.sort_unstable_by_key(|h| h.start);
            let region = Region { starts_line: true, ends_line: true };
            let scan = engine.scan_hits(line, &hits, region, red.keys());
            self.finish_line(line, scan, out);
            pos = line_end;
        }
        self.hits = hits;
        self.chain = chain;
        if count_at_end {
            let n = memchr::memchr_iter(b'\n', data).count() as u64;
            debug_assert!(self.report.lines - lines_before <= n, "lines of a block counted twice");
            self.report.lines = lines_before + n;
            self.line_no = line_no_before + n;
        }
    }

    /// Copies whole lines that hold no literal; counts them when `count` is set.
    fn copy_lines(&mut self, lines: &[u8], count: bool, out: &mut Vec<u8>) {
        if lines.is_empty() {
            return;
        }
        out.extend_from_slice(lines);
        if count {
            let n = memchr::memchr_iter(b'\n', lines).count() as u64;
            self.report.lines += n;
            self.line_no += n;
        }
        self.line_abs += lines.len() as u64;
    }

    /// A complete line given in one piece (it may still exceed the cap).
    fn whole_line(&mut self, line: &[u8], out: &mut Vec<u8>) {
        let mut off = 0;
        while line.len() - off > self.window {
            self.window_at(&line[off..off + self.window], out);
            off += self.step;
            self.line_pos += self.step;
        }
        self.final_window(&line[off..], Ahead::Unknown, true, out);
    }

    /// A non-final window of a long line: emit what it owns.
    fn window_at(&mut self, win: &[u8], out: &mut Vec<u8>) {
        let region = Region { starts_line: self.line_pos == 0, ends_line: false };
        let scan = self.red.engine().scan_line(win, region, self.red.keys());
        self.emit(win, scan, Some(self.step), out);
    }

    /// The last piece of a line (or the final partial line at end of input).
    fn final_window(&mut self, piece: &[u8], ahead: Ahead, ends_line: bool, out: &mut Vec<u8>) {
        if self.pem.is_some() && self.line_pos == 0 && self.pem_line(piece, out) {
            self.next_line(piece.len());
            return;
        }
        let region = Region { starts_line: self.line_pos == 0, ends_line };
        let engine = self.red.engine();
        let mut hits = std::mem::take(&mut self.hits);
        hits.clear();
        match ahead {
            Ahead::Unknown => engine.collect_hits(piece, 0, piece.len(), &mut hits),
            Ahead::Hit(h) => {
                engine.push_hit(h, &mut hits);
                engine.collect_hits(piece, engine.resume_after(h), piece.len(), &mut hits);
            }
            Ahead::Nothing => {}
        }
        let scan = engine.scan_hits(piece, &hits, region, self.red.keys());
        self.hits = hits;
        self.finish_line(piece, scan, out);
    }

    /// Emits the last piece of a line with its spans and moves to the next line.
    fn finish_line(&mut self, piece: &[u8], mut scan: LineScan, out: &mut Vec<u8>) {
        // The second line of a YAML list item whose name was sensitive: its value.
        if self.item.is_some()
            && let (Some((col, rule)), 0) = (self.item.take(), self.line_pos)
            && let Some((start, end)) = crate::engine::pair::item_value(piece, col)
            && !crate::engine::is_placeholder(&piece[start..end])
        {
            scan.spans.push(Span::key(start, end, rule));
        }
        let item = (self.line_pos == 0).then(|| crate::engine::pair::item_name(piece)).flatten();
        let item = item.and_then(|(col, name)| Some((col, self.red.keys().classify_bytes(name)?)));
        // Inside a Kubernetes `data:` block every entry's value is checked decoded.
        if let (Some(indent), 0) = (self.data_block, self.line_pos)
            && !self.red.engine().data_entry(piece, indent, self.red.keys(), &mut scan.spans)
        {
            self.data_block = None;
        }
        if self.line_pos == 0
            && let Some(indent) = crate::engine::data_block_start(piece)
        {
            self.data_block = Some(indent);
        }
        // A whole line, none of it written yet: masks that would change how it reads are
        // widened now, so that redacting the output again changes nothing.
        if self.line_pos == 0
            && self.done_to == 0
            && self.cont.is_none()
            && !scan.spans.is_empty()
            && scan.spans.iter().all(|sp| sp.continues.is_none())
            && settle::needed(self.red.mask_style(), piece)
        {
            settle::settle(&self.red, piece, &mut scan.spans);
        }
        let pem_begin = scan.pem_begin.clone();
        self.emit(piece, scan, None, out);
        self.cont = None;
        if let Some(rule) = pem_begin {
            self.pem = Some(Pem { rule, lines: 0, bytes: 0 });
        }
        let total = self.line_pos + piece.len();
        self.next_line(total);
        if item.is_some() {
            self.item = item;
        }
    }

    fn next_line(&mut self, len: usize) {
        self.report.lines += 1;
        self.line_no += 1;
        self.line_abs += len as u64;
        self.line_pos = 0;
        self.flushed_open = None;
        self.done_to = 0;
        self.mask_end = usize::MAX;
    }

    /// Masks `win`'s spans and writes its bytes from `done_to` up to `owned` (or the end).
    fn emit(&mut self, win: &[u8], mut scan: LineScan, owned: Option<usize>, out: &mut Vec<u8>) {
        let skip = self.done_to.saturating_sub(self.line_pos).min(win.len());
        if let Some(c) = self.cont.take() {
            let (end, more) = continuation_end(win, c.end);
            scan.spans.push(Span {
                start: 0,
                end,
                rule: c.rule.clone(),
                kind: RuleKind::Key,
                prefix_len: 0,
                truncated: false,
                quote: false,
                continues: if more { Some(c.end) } else { None },
            });
        }
        let spans = &mut scan.spans;
        merge_spans(spans);
        let limit = owned.unwrap_or(win.len());
        let mut cursor = skip;
        for sp in spans.iter() {
            if sp.end <= skip || sp.start >= limit {
                // Written (masked) already by `flush_partial` up to the window's end: the
                // value still runs on, and its rest must be masked in the next windows.
                if let Some(end) = sp.continues
                    && sp.start < limit
                    && sp.end == win.len()
                {
                    self.continue_value(end, &sp.rule, owned.is_some());
                }
                continue;
            }
            let start = sp.start.max(skip);
            // A span whose head was already written as a mask goes on silently.
            let silent = sp.start < skip && self.mask_end == self.line_pos + skip;
            out.extend_from_slice(&win[cursor..start]);
            let written = out.len();
            self.write_mask(win, sp, start, silent, out);
            let at = self.line_abs as usize + self.line_pos;
            self.record_edit(at + start..at + sp.end, written..out.len());
            cursor = sp.end;
            self.mask_end = self.line_pos + sp.end;
            if !silent {
                let finding = Finding {
                    rule: sp.rule.clone(),
                    kind: sp.kind,
                    start: self.line_abs as usize + self.line_pos + start,
                    end: self.line_abs as usize + self.line_pos + sp.end,
                    truncated: sp.truncated || sp.continues.is_some(),
                };
                self.count(&finding);
                if self.collect {
                    let column = (finding.start as u64).saturating_sub(self.line_abs) + 1;
                    self.events.push(StreamFinding { finding, line: self.line_no, column });
                }
            }
            if let Some(end) = sp.continues
                && sp.end == win.len()
            {
                self.continue_value(end, &sp.rule, owned.is_some() && silent);
            }
        }
        let stop = limit.max(cursor);
        if cursor < stop {
            out.extend_from_slice(&win[cursor..stop]);
        }
        self.done_to = self.line_pos + stop;
    }

    /// A key value goes on past the end of the region just emitted. `past_window` when it
    /// runs past a window whose head `flush_partial` released: the released finding, counted
    /// before its length was known, is counted as truncated now (once).
    fn continue_value(&mut self, end: ValueEnd, rule: &RuleId, past_window: bool) {
        self.cont = Some(Continuation { end, rule: rule.clone() });
        if past_window
            && let Some(open) = self.flushed_open.take()
            && let Some(count) = self.report.rules.get_mut(open.as_str())
        {
            count.truncated += 1;
        }
    }

    fn write_mask(&self, win: &[u8], sp: &Span, start: usize, silent: bool, out: &mut Vec<u8>) {
        let secret = &win[start..sp.end];
        if silent {
            if self.red.mask_style() == crate::MaskStyle::Fill {
                out.resize(out.len() + secret.len(), b'*');
            }
            return;
        }
        sp.write_mask(self.red.masker(), secret, out);
    }

    /// A line inside an open PEM block: mask it when it is base64 or a PEM header and
    /// return true; otherwise close the block and return false (the line is scanned).
    fn pem_line(&mut self, line: &[u8], out: &mut Vec<u8>) -> bool {
        let Some(pem) = self.pem.as_mut() else { return false };
        let content_end = line.len() - line.iter().rev().take_while(|b| matches!(b, b'\n' | b'\r')).count();
        let content = &line[..content_end];
        let body = content.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b' ' | b'\t'))
            || content.starts_with(b"Proc-Type:")
            || content.starts_with(b"DEK-Info:");
        pem.lines += 1;
        pem.bytes += line.len();
        if !body
            || pem.lines > PEM_MAX_LINES
            || pem.bytes > PEM_MAX_BYTES
            || content.trim_ascii_start().starts_with(b"-----END")
        {
            self.pem = None;
            return false;
        }
        if content.trim_ascii().is_empty() {
            out.extend_from_slice(line);
            return true;
        }
        // Each body line is a finding of its own, so `scan` covers every masked byte.
        let rule = pem.rule.clone();
        let start = self.line_abs as usize;
        let finding =
            Finding { rule: rule.clone(), kind: RuleKind::Format, start, end: start + content_end, truncated: false };
        self.count(&finding);
        if self.collect {
            self.events.push(StreamFinding { finding, line: self.line_no, column: 1 });
        }
        let written = out.len();
        self.red.masker().write(out, &rule, content, 0);
        self.record_edit(start..start + content_end, written..out.len());
        out.extend_from_slice(&line[content_end..]);
        true
    }

    fn record_edit(&mut self, input: std::ops::Range<usize>, output: std::ops::Range<usize>) {
        if let Some(edits) = self.edits.as_mut() {
            edits.push(Edit { input, output });
        }
    }

    /// Processes the final partial line.
    pub(crate) fn finish(&mut self, out: &mut Vec<u8>) {
        if !self.pending.is_empty() || self.line_pos > 0 {
            let line = std::mem::take(&mut self.pending);
            self.final_window(&line, Ahead::Unknown, true, out);
        }
        self.pem = None;
        self.cont = None;
        self.data_block = None;
        self.item = None;
    }

    /// Releases the partial line up to its safe point: everything before the earliest
    /// construct that could still become a match. The released bytes stay in the buffer
    /// as context, so the line is scanned whole when it completes; only bytes after the
    /// released point are written then.
    pub(crate) fn flush_partial(&mut self, out: &mut Vec<u8>) {
        if self.pending.is_empty() || self.pem.is_some() || self.data_block.is_some() || self.item.is_some() {
            return;
        }
        let buf = std::mem::take(&mut self.pending);
        let region = Region { starts_line: self.line_pos == 0, ends_line: false };
        let engine = self.red.engine();
        let scan = engine.scan_line(&buf, region, self.red.keys());
        let mut safe = engine.open_construct_start(&buf, self.red.keys()).unwrap_or(buf.len());
        let running = scan.spans.iter().find(|sp| sp.continues.is_some() && sp.start <= safe).map(|sp| sp.rule.clone());
        if running.is_some() {
            // A value still running: release it masked; its rest is masked when it comes.
            safe = buf.len();
        }
        for sp in &scan.spans {
            if sp.continues.is_none() && sp.start < safe && sp.end >= safe && sp.end == buf.len() {
                safe = sp.start;
            }
        }
        let skip = self.done_to.saturating_sub(self.line_pos);
        if safe > skip {
            let saved = self.cont.clone();
            let mut spans = scan.spans;
            spans.retain(|s| s.start < safe);
            for s in &mut spans {
                s.end = s.end.min(safe);
                s.continues = None;
            }
            let fresh = saved.is_none();
            self.emit(&buf[..safe], LineScan { spans, pem_begin: None }, None, out);
            self.cont = saved;
            if fresh && running.is_some() {
                self.flushed_open = running;
            }
        }
        self.pending = buf;
    }
}

/// Where a continued value ends in `win`, and whether it may go on past it.
fn continuation_end(win: &[u8], end: ValueEnd) -> (usize, bool) {
    let eol = win.len() - win.iter().rev().take_while(|b| matches!(b, b'\n' | b'\r')).count();
    let found = match end {
        ValueEnd::EndOfLine => None,
        ValueEnd::Terminator => win[..eol].iter().position(|&b| {
            b.is_ascii_whitespace() || matches!(b, b',' | b';' | b'&' | b')' | b'}' | b']' | b'"' | b'\'')
        }),
        ValueEnd::Xml => memchr::memchr(b'<', &win[..eol]),
        ValueEnd::Quote(q) => {
            let mut i = 0;
            let mut hit = None;
            while i < eol {
                if win[i] == b'\\' {
                    i += 2;
                    continue;
                }
                if win[i] == q {
                    hit = Some(i);
                    break;
                }
                i += 1;
            }
            hit
        }
    };
    match found {
        Some(i) => (i, false),
        None => (eol, eol == win.len()),
    }
}

/// Counts `input`, which passes without a literal hit, into `report`.
fn count_untouched(report: &mut Report, input: &[u8]) {
    report.bytes_in += input.len() as u64;
    report.bytes_out += input.len() as u64;
    report.lines +=
        memchr::memchr_iter(b'\n', input).count() as u64 + u64::from(!input.ends_with(b"\n") && !input.is_empty());
}

/// `input` unchanged, counted in `report`.
fn untouched<'a>(input: &'a [u8], report: Option<&mut Report>) -> Cow<'a, [u8]> {
    if let Some(report) = report {
        count_untouched(report, input);
    }
    Cow::Borrowed(input)
}

/// One-shot redaction through the processor. Borrows when nothing was masked.
pub(crate) fn redact_all<'a>(
    red: &Redactor,
    input: &'a [u8],
    report: Option<&mut Report>,
    sink: Option<&mut dyn FnMut(&Finding)>,
    edits: Option<&mut Vec<Edit>>,
) -> Cow<'a, [u8]> {
    let engine = red.engine();
    // A short input (most are a record's field values) is first searched for one hit, and
    // without one stays as it is at the least cost. A longer single line is searched for
    // all its hits at once, which classifies each of its bytes once.
    let first = if input.len() <= SHORT_INPUT {
        match engine.find_hit(input, 0) {
            None => return untouched(input, report),
            hit => hit,
        }
    } else {
        None
    };
    let line = match scan_single_line(red, input, first) {
        Some(OneLine::NoHits) => return untouched(input, report),
        Some(OneLine::Scanned(scan)) if scan.spans.is_empty() => {
            if let Some(report) = report {
                report.bytes_in += input.len() as u64;
                report.bytes_out += input.len() as u64;
                report.lines += 1;
                report.candidate_lines += u64::from(input.ends_with(b"\n"));
            }
            return Cow::Borrowed(input);
        }
        Some(OneLine::Scanned(scan)) => Some(scan),
        None => None,
    };
    // More than one line: the processor finds the hits from the first on.
    let first = if line.is_some() { None } else { first.or_else(|| engine.find_hit(input, 0)) };
    // Nothing to do when no literal occurs and no line needs windowing.
    if line.is_none() && first.is_none() && input.len() <= red.line_cap() {
        return untouched(input, report);
    }
    let mut p = Processor::new(red.clone());
    // Counting per rule fills a map: only for a caller that reads the report.
    p.count_rules = report.is_some();
    let mut out = Vec::with_capacity(input.len() + 64);
    p.collect = sink.is_some();
    if edits.is_some() {
        p.edits = Some(Vec::new());
    }
    match line {
        Some(scan) => p.write_scanned_line(input, scan, &mut out),
        None => p.write_all(input, first, &mut out),
    }
    if let Some(f) = sink {
        for e in &p.events {
            f(&e.finding);
        }
    }
    if let (Some(edits), Some(found)) = (edits, p.edits.take()) {
        *edits = found;
    }
    let changed = p.found > 0 || out != input;
    if let Some(report) = report {
        p.report.bytes_out = out.len() as u64;
        report.absorb(p.report);
    }
    if changed { Cow::Owned(out) } else { Cow::Borrowed(input) }
}

/// [`redact_all`] without a findings sink, for a caller that redacts one piece after
/// another: the redacted text goes to `out` (replacing what it held) only when something
/// changed, which is returned; `proc` is reused when it is for `red`. Counts go into
/// `report` when one is given.
pub(crate) fn redact_reusing(
    red: &Redactor,
    input: &[u8],
    proc: &mut Option<Processor>,
    out: &mut Vec<u8>,
    report: Option<&mut Report>,
) -> bool {
    let first = red.engine().find_hit(input, 0);
    if first.is_none() && input.len() <= red.line_cap() {
        if let Some(report) = report {
            count_untouched(report, input);
        }
        return false;
    }
    let p = match proc {
        Some(p) if p.red.same_as(red) => {
            p.reset();
            p
        }
        _ => proc.insert(Processor::new(red.clone())),
    };
    p.count_rules = report.is_some();
    out.clear();
    out.reserve(input.len() + 64);
    p.write_all(input, first, out);
    let changed = p.found > 0 || out[..] != *input;
    if let Some(report) = report {
        p.report.bytes_out = out.len() as u64;
        report.absorb(std::mem::take(&mut p.report));
    }
    changed
}

/// What [`scan_single_line`] found in a single line.
enum OneLine {
    /// No literal occurs in it.
    NoHits,
    /// Its hits, confirmed.
    Scanned(LineScan),
}

/// The scan of `input` when it is a single line (at most one newline, at its end) within
/// the line cap; `None` for any other input. Its hits are `first` (when the caller
/// searched for one) and those after it, else all of them from its start.
///
/// The processor would scan such a line with these very hits, and whatever state it opens
/// for the lines after (a PEM block, a `data:` block, a value running on) ends with the
/// input. With no span the line stays as it is, which skips the processor's setup, its
/// output buffer and the comparison with the input, most of the cost of a one-shot
/// redaction of a short text such as a log message; with spans the processor takes the
/// scan as it is ([`Processor::write_scanned_line`]) rather than scan the line again.
fn scan_single_line(red: &Redactor, input: &[u8], first: Option<Hit>) -> Option<OneLine> {
    if input.len() > red.line_cap() || holds_inner_newline(input) {
        return None;
    }
    let engine = red.engine();
    let mut hits = LINE_HITS.take();
    hits.clear();
    match first {
        Some(first) => {
            engine.push_hit(first, &mut hits);
            engine.collect_hits(input, engine.resume_after(first), input.len(), &mut hits);
        }
        None => engine.collect_hits(input, 0, input.len(), &mut hits),
    }
    let found = if hits.is_empty() {
        OneLine::NoHits
    } else {
        let region = Region { starts_line: true, ends_line: true };
        OneLine::Scanned(engine.scan_hits(input, &hits, region, red.keys()))
    };
    if hits.capacity() <= LINE_HITS_KEEP {
        LINE_HITS.set(hits);
    }
    Some(found)
}

/// Does `input` hold a newline before its last byte (more than one line)?
fn holds_inner_newline(input: &[u8]) -> bool {
    let body = &input[..input.len().saturating_sub(1)];
    // Most one-shot inputs are a record's short field values: a plain loop over a few
    // bytes costs half of memchr's call and dispatch.
    if body.len() < 16 { body.contains(&b'\n') } else { memchr::memchr(b'\n', body).is_some() }
}

thread_local! {
    /// The hits buffer of [`scan_single_line`], kept between calls of a thread so that a
    /// short input costs no allocation (positions only, no input bytes).
    static LINE_HITS: std::cell::Cell<Vec<Hit>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Inputs up to this long are searched for a first hit before all of them: a few steps
/// of the literal prefilter, which costs less than the setup of the search for all. Far
/// below the line cap (at least 4 KiB), so such an input never needs windowing.
const SHORT_INPUT: usize = 64;

/// Hits up to which [`LINE_HITS`] is kept after a call.
const LINE_HITS_KEEP: usize = 256;

/// Receives each finding of a stream with its position.
type FindingCallback = Box<dyn FnMut(&StreamFinding) + Send>;

/// A streaming redactor: an [`io::Write`] that writes redacted output into a sink.
///
/// Complete lines are written to the sink as soon as they arrive; a partial line waits for
/// its newline (or for [`flush_partial`](Self::flush_partial) or [`finish`](Self::finish)).
/// Without `flush_partial`, the output equals [`Redactor::redact`] of the whole input for
/// every chunking.
///
/// ```
/// use std::io::Write;
/// let r = hush::Redactor::default();
/// let mut w = r.stream(Vec::new());
/// w.write_all(b"user=bob pass").unwrap();
/// w.write_all(b"word=hunter22\n").unwrap();
/// let (out, report) = w.finish().unwrap();
/// assert_eq!(out, b"user=bob password=[REDACTED]\n");
/// assert_eq!(report.total(), 1);
/// ```
pub struct RedactWriter<W: Write> {
    proc: Processor,
    sink: Option<W>,
    out: Vec<u8>,
    on_finding: Option<FindingCallback>,
}

impl<W: Write> fmt::Debug for RedactWriter<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedactWriter").field("pending", &self.proc.pending.len()).finish_non_exhaustive()
    }
}

impl<W: Write> RedactWriter<W> {
    pub(crate) fn new(red: Redactor, sink: W) -> Self {
        RedactWriter { proc: Processor::new(red), sink: Some(sink), out: Vec::new(), on_finding: None }
    }

    /// Calls `f` for each finding, with its absolute byte offset and 1-based line and column.
    pub fn on_finding(mut self, f: impl FnMut(&StreamFinding) + Send + 'static) -> Self {
        self.on_finding = Some(Box::new(f));
        self.proc.collect = true;
        self
    }

    /// The report so far.
    pub fn report(&self) -> &Report {
        self.proc.report()
    }

    /// Bytes of the current partial line held back.
    pub fn pending_len(&self) -> usize {
        self.proc.pending.len()
    }

    fn run(&mut self, f: impl FnOnce(&mut Processor, &mut Vec<u8>)) -> io::Result<()> {
        f(&mut self.proc, &mut self.out);
        if let Some(cb) = self.on_finding.as_mut() {
            for e in self.proc.events.drain(..) {
                cb(&e);
            }
        }
        self.proc.report.bytes_out += self.out.len() as u64;
        if !self.out.is_empty() {
            let sink = self.sink.as_mut().ok_or_else(|| io::Error::other("writer already finished"))?;
            sink.write_all(&self.out)?;
            self.out.clear();
        }
        Ok(())
    }

    /// Releases the pending partial line up to its safe point (see the module docs):
    /// a key whose delimiter was seen is released and its value bytes to come are masked;
    /// a possible token or known-value prefix, or an open PEM block, is held.
    pub fn flush_partial(&mut self) -> io::Result<()> {
        self.run(|p, out| p.flush_partial(out))?;
        self.sink.as_mut().map_or(Ok(()), Write::flush)
    }

    /// Processes the final partial line and returns the sink and the report.
    pub fn finish(mut self) -> io::Result<(W, Report)> {
        self.run(|p, out| p.finish(out))?;
        let mut sink = self.sink.take().ok_or_else(|| io::Error::other("writer already finished"))?;
        sink.flush()?;
        Ok((sink, self.proc.report.clone()))
    }
}

impl<W: Write> Write for RedactWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.run(|p, out| p.write(buf, out))?;
        Ok(buf.len())
    }

    /// Writes out complete, redacted lines and flushes the sink; never a partial line.
    fn flush(&mut self) -> io::Result<()> {
        self.sink.as_mut().map_or(Ok(()), Write::flush)
    }
}
