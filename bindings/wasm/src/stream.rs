//! The state behind `redactor.stream()` / `redactor.byteStream()`: the core
//! [`RedactWriter`] writing into a buffer the bindings drain after every call.
//!
//! The text stream also has to hand back whole characters: output is made of complete
//! lines, except when a line longer than the core's line cap is released in windows,
//! and a window edge may fall inside a UTF-8 sequence. [`Utf8Carry`] holds such a tail
//! until the rest arrives.

use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

use hush::{RedactWriter, Redactor, Report};

/// A [`Write`] sink the stream and its owner share.
#[derive(Clone, Default)]
struct SharedSink(Rc<RefCell<Vec<u8>>>);

impl Write for SharedSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Error for calls on a stream that was already finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finished;

impl std::fmt::Display for Finished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the stream is already finished")
    }
}

impl std::error::Error for Finished {}

/// A redacting stream: bytes in, redacted bytes out, with the core's guarantee that the
/// concatenated output equals one-shot `redact` of the concatenated input.
pub struct ByteStream {
    writer: Option<RedactWriter<SharedSink>>,
    sink: SharedSink,
    report: Option<Report>,
}

impl ByteStream {
    /// A stream redacting with `redactor`.
    pub fn new(redactor: &Redactor) -> Self {
        let sink = SharedSink::default();
        ByteStream { writer: Some(redactor.stream(sink.clone())), sink, report: None }
    }

    fn take_output(&self) -> Vec<u8> {
        std::mem::take(&mut *self.sink.0.borrow_mut())
    }

    /// Redacts a chunk; returns the output that is ready (complete lines).
    pub fn write(&mut self, chunk: &[u8]) -> Result<Vec<u8>, Finished> {
        let writer = self.writer.as_mut().ok_or(Finished)?;
        writer.write_all(chunk).expect("writing to memory cannot fail");
        Ok(self.take_output())
    }

    /// Releases the held partial line up to its safe point (core `flush_partial`).
    pub fn flush_partial(&mut self) -> Result<Vec<u8>, Finished> {
        let writer = self.writer.as_mut().ok_or(Finished)?;
        writer.flush_partial().expect("writing to memory cannot fail");
        Ok(self.take_output())
    }

    /// Processes the final partial line; the stream then only answers [`report`](Self::report).
    pub fn finish(&mut self) -> Result<Vec<u8>, Finished> {
        let writer = self.writer.take().ok_or(Finished)?;
        let (_, report) = writer.finish().expect("writing to memory cannot fail");
        self.report = Some(report);
        Ok(self.take_output())
    }

    /// What was masked so far (everything, once finished).
    pub fn report(&self) -> Report {
        match (&self.writer, &self.report) {
            (Some(w), _) => w.report().clone(),
            (None, Some(r)) => r.clone(),
            (None, None) => Report::default(),
        }
    }
}

/// Holds an incomplete UTF-8 sequence at the end of one output piece for the next.
#[derive(Default)]
pub struct Utf8Carry {
    tail: Vec<u8>,
}

impl Utf8Carry {
    /// Decodes `bytes` after the held tail, keeping a new incomplete tail back. Invalid
    /// sequences (impossible for text input, since masks are UTF-8 and the core keeps
    /// whole characters) are replaced by U+FFFD rather than failing.
    pub fn decode(&mut self, bytes: Vec<u8>) -> String {
        let mut buf = if self.tail.is_empty() {
            bytes
        } else {
            let mut b = std::mem::take(&mut self.tail);
            b.extend_from_slice(&bytes);
            b
        };
        let keep = incomplete_tail_len(&buf);
        self.tail = buf.split_off(buf.len() - keep);
        match String::from_utf8(buf) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    }

    /// Whatever is held at the end of the stream (lossy: an incomplete character).
    pub fn finish(&mut self) -> String {
        let tail = std::mem::take(&mut self.tail);
        String::from_utf8_lossy(&tail).into_owned()
    }
}

/// Length of a trailing UTF-8 sequence that is started but not complete.
fn incomplete_tail_len(buf: &[u8]) -> usize {
    // A sequence is at most 4 bytes: look back over up to 3 continuation bytes.
    for back in 1..=buf.len().min(4) {
        let b = buf[buf.len() - back];
        if b & 0xc0 == 0x80 {
            continue;
        }
        let need = match b {
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf7 => 4,
            _ => 1,
        };
        return if need > back { back } else { 0 };
    }
    0
}

/// A redacting text stream: the byte stream plus UTF-8 boundary handling.
pub struct TextStream {
    bytes: ByteStream,
    carry: Utf8Carry,
}

impl TextStream {
    /// A stream redacting with `redactor`.
    pub fn new(redactor: &Redactor) -> Self {
        TextStream { bytes: ByteStream::new(redactor), carry: Utf8Carry::default() }
    }

    /// Redacts a chunk of text; returns the text that is ready.
    pub fn write(&mut self, chunk: &str) -> Result<String, Finished> {
        let out = self.bytes.write(chunk.as_bytes())?;
        Ok(self.carry.decode(out))
    }

    /// Releases the held partial line up to its safe point.
    pub fn flush_partial(&mut self) -> Result<String, Finished> {
        let out = self.bytes.flush_partial()?;
        Ok(self.carry.decode(out))
    }

    /// Processes the rest and returns the last piece of output.
    pub fn finish(&mut self) -> Result<String, Finished> {
        let out = self.bytes.finish()?;
        let mut text = self.carry.decode(out);
        text.push_str(&self.carry.finish());
        Ok(text)
    }

    /// What was masked so far.
    pub fn report(&self) -> Report {
        self.bytes.report()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor() -> Redactor {
        Redactor::builder().known_value("plum-Orbit-4471".as_bytes()).build().unwrap()
    }

    #[test]
    fn byte_stream_matches_one_shot_for_every_split() {
        let r = redactor();
        let input = "a=1 password=hunter22\nsaw plum-Orbit-4471 twice plum-Orbit-4471\ntail";
        let expected = r.redact(input.as_bytes()).into_owned();
        for split in 0..=input.len() {
            let mut s = ByteStream::new(&r);
            let mut out = s.write(&input.as_bytes()[..split]).unwrap();
            out.extend(s.write(&input.as_bytes()[split..]).unwrap());
            out.extend(s.finish().unwrap());
            assert_eq!(out, expected, "split at byte {split}");
            assert_eq!(s.report().rules["known:api:1"].count, 2);
        }
    }

    #[test]
    fn finished_stream_refuses_writes_but_reports() {
        let r = redactor();
        let mut s = ByteStream::new(&r);
        s.write(b"plum-Orbit-4471\n").unwrap();
        assert_eq!(s.finish().unwrap(), b"");
        assert_eq!(s.write(b"x"), Err(Finished));
        assert_eq!(s.finish(), Err(Finished));
        assert_eq!(s.report().total(), 1);
    }

    #[test]
    fn utf8_carry_rejoins_split_characters() {
        let text = "é€😀 done";
        let bytes = text.as_bytes();
        for split in 0..=bytes.len() {
            let mut carry = Utf8Carry::default();
            let mut out = carry.decode(bytes[..split].to_vec());
            out.push_str(&carry.decode(bytes[split..].to_vec()));
            out.push_str(&carry.finish());
            assert_eq!(out, text, "split at byte {split}");
        }
    }

    #[test]
    fn incomplete_tail_lengths() {
        assert_eq!(incomplete_tail_len(b"abc"), 0);
        assert_eq!(incomplete_tail_len("a€".as_bytes()), 0);
        assert_eq!(incomplete_tail_len(&"a€".as_bytes()[..2]), 1);
        assert_eq!(incomplete_tail_len(&"a€".as_bytes()[..3]), 2);
        assert_eq!(incomplete_tail_len(&"😀".as_bytes()[..3]), 3);
    }

    #[test]
    fn text_stream_redacts_and_reports() {
        let r = redactor();
        let mut s = TextStream::new(&r);
        let mut out = s.write("naïve plum-Or").unwrap();
        out.push_str(&s.write("bit-4471 ✓\n").unwrap());
        out.push_str(&s.finish().unwrap());
        assert_eq!(out, "naïve [REDACTED] ✓\n");
        assert_eq!(s.report().rules["known:api:1"].count, 1);
    }
}
