//! `Redactor.stream()`: incremental redaction of `str` or `bytes` chunks.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::text;

/// The core writer's sink: a buffer this binding drains after every call.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Which input type a stream was opened with (fixed by its first write).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Text,
    Bytes,
}

/// An incremental redactor. Complete lines come out as soon as their newline is written;
/// a partial line waits for its newline, `flush_partial()` or `finish()`. Output is
/// identical to `Redactor.redact` of the whole input however it is chunked.
///
/// One stream takes one input type (`str` or `bytes`, fixed by the first write); it is
/// not meant to be written from several threads at once.
#[pyclass(name = "RedactStream", module = "hush")]
pub(crate) struct PyRedactStream {
    // The mutex only makes the (non-`Sync`) writer shareable; access is through `&mut self`.
    writer: Mutex<Option<hush::RedactWriter<Buffer>>>,
    buffer: Buffer,
    mode: Option<Mode>,
    /// An incomplete UTF-8 sequence at the end of the last output (text mode).
    carry: Vec<u8>,
    /// Output not yet read (when there is no sink).
    ready: Vec<u8>,
    sink: Option<Py<PyAny>>,
    report: Option<hush::Report>,
}

impl PyRedactStream {
    pub(crate) fn new(red: &hush::Redactor, sink: Option<Py<PyAny>>) -> Self {
        let buffer = Buffer::default();
        PyRedactStream {
            writer: Mutex::new(Some(red.stream(buffer.clone()))),
            buffer,
            mode: None,
            carry: Vec::new(),
            ready: Vec::new(),
            sink,
            report: None,
        }
    }

    fn writer(&mut self) -> PyResult<&mut hush::RedactWriter<Buffer>> {
        self.writer
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .as_mut()
            .ok_or_else(|| PyValueError::new_err("write to a finished stream"))
    }

    /// Converts raw output bytes to the stream's type, holding back a split character.
    fn convert<'py>(&mut self, py: Python<'py>, mut out: Vec<u8>, last: bool) -> Bound<'py, PyAny> {
        if self.mode == Some(Mode::Bytes) {
            return PyBytes::new(py, &out).into_any();
        }
        if !self.carry.is_empty() {
            let mut joined = std::mem::take(&mut self.carry);
            joined.extend_from_slice(&out);
            out = joined;
        }
        let (head, tail) = if last { (&out[..], &[][..]) } else { text::split_utf8(&out) };
        let s = text::to_str(py, head).into_any();
        self.carry = tail.to_vec();
        s
    }

    /// Sends redacted output to the sink, or keeps it for `read()`.
    fn emit(&mut self, py: Python<'_>, last: bool) -> PyResult<()> {
        let out = self.buffer.take();
        // Nothing new, unless the final call must release a held-back partial character.
        if out.is_empty() && (!last || self.carry.is_empty()) {
            return Ok(());
        }
        match &self.sink {
            Some(sink) => {
                let sink = sink.clone_ref(py);
                let obj = self.convert(py, out, last);
                sink.call_method1(py, "write", (obj,))?;
            }
            None => self.ready.extend_from_slice(&out),
        }
        Ok(())
    }

    fn flush_sink(&self, py: Python<'_>) -> PyResult<()> {
        if let Some(sink) = &self.sink
            && sink.bind(py).hasattr("flush")?
        {
            sink.call_method0(py, "flush")?;
        }
        Ok(())
    }
}

#[pymethods]
impl PyRedactStream {
    /// Writes a chunk; returns its length. Mixing `str` and `bytes` raises `TypeError`.
    fn write(&mut self, py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<usize> {
        let (mode, owned);
        let bytes: &[u8] = if let Ok(b) = data.cast::<PyBytes>() {
            mode = Mode::Bytes;
            b.as_bytes()
        } else if let Ok(s) = data.cast::<PyString>() {
            mode = Mode::Text;
            owned = text::utf8(s)?;
            &owned
        } else {
            return Err(PyTypeError::new_err("RedactStream.write() takes str or bytes"));
        };
        match self.mode {
            None => self.mode = Some(mode),
            Some(m) if m != mode => {
                return Err(PyTypeError::new_err(match m {
                    Mode::Text => "this stream takes str; it was opened with str and got bytes",
                    Mode::Bytes => "this stream takes bytes; it was opened with bytes and got str",
                }));
            }
            Some(_) => {}
        }
        let len = if mode == Mode::Text { data.len()? } else { bytes.len() };
        let writer = self.writer()?;
        text::run(py, bytes, |b| writer.write_all(b)).map_err(|e| PyValueError::new_err(e.to_string()))?;
        self.emit(py, false)?;
        Ok(len)
    }

    /// Releases the pending partial line up to its safe point (a possible secret prefix
    /// is held), then flushes the sink.
    fn flush_partial(&mut self, py: Python<'_>) -> PyResult<()> {
        self.writer()?.flush_partial().map_err(|e| PyValueError::new_err(e.to_string()))?;
        self.emit(py, false)?;
        self.flush_sink(py)
    }

    /// Flushes the sink. Never releases a partial line (see `flush_partial`).
    fn flush(&mut self, py: Python<'_>) -> PyResult<()> {
        self.flush_sink(py)
    }

    /// Redacted output not yet read (only when the stream has no sink): `str` or `bytes`
    /// like the input.
    fn read<'py>(&mut self, py: Python<'py>) -> Bound<'py, PyAny> {
        let out = std::mem::take(&mut self.ready);
        let last = self.writer.get_mut().unwrap_or_else(|e| e.into_inner()).is_none();
        self.convert(py, out, last)
    }

    /// Processes the final partial line and returns the report. Calling it again returns
    /// the same report.
    fn finish(&mut self, py: Python<'_>) -> PyResult<PyReport> {
        if let Some(writer) = self.writer.get_mut().unwrap_or_else(|e| e.into_inner()).take() {
            let (_, report) = writer.finish().map_err(|e| PyValueError::new_err(e.to_string()))?;
            self.report = Some(report);
            self.emit(py, true)?;
            self.flush_sink(py)?;
        }
        Ok(PyReport::from(self.report.as_ref().expect("finished streams keep their report")))
    }

    /// True once `finish()` was called.
    #[getter]
    fn finished(&self) -> bool {
        self.writer.lock().unwrap_or_else(|e| e.into_inner()).is_none()
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&mut self, py: Python<'_>, _exc: &Bound<'_, pyo3::types::PyTuple>) -> PyResult<bool> {
        self.finish(py)?;
        Ok(false)
    }
}

/// What a stream masked: counts per rule, bytes and lines. Never holds secrets.
#[pyclass(name = "Report", module = "hush", frozen)]
pub(crate) struct PyReport {
    /// Masked spans per rule id.
    #[pyo3(get)]
    rules: BTreeMap<String, u64>,
    /// Masked spans per rule family (`key`, `format`, `known`).
    #[pyo3(get)]
    by_kind: BTreeMap<&'static str, u64>,
    /// Total masked spans.
    #[pyo3(get)]
    total: u64,
    /// Bytes read.
    #[pyo3(get)]
    bytes_in: u64,
    /// Bytes written.
    #[pyo3(get)]
    bytes_out: u64,
    /// Lines seen.
    #[pyo3(get)]
    lines: u64,
}

impl From<&hush::Report> for PyReport {
    fn from(r: &hush::Report) -> Self {
        PyReport {
            rules: r.rules.iter().map(|(k, v)| (k.clone(), v.count)).collect(),
            by_kind: r.by_kind().into_iter().map(|(k, v)| (k.as_str(), v)).collect(),
            total: r.total(),
            bytes_in: r.bytes_in,
            bytes_out: r.bytes_out,
            lines: r.lines,
        }
    }
}

#[pymethods]
impl PyReport {
    fn __repr__(&self) -> String {
        format!("Report(total={}, lines={}, rules={:?})", self.total, self.lines, self.rules)
    }
}
