//! `hush scan`: find secrets in files, directories and stdin without rewriting anything.
//!
//! Every input is streamed through the redactor into a sink; the core's `on_finding`
//! reports each masked span with its absolute offset, line and column. A window of
//! recent input is kept so that a finding's end position, its code-point columns (for
//! SARIF) and its keyed fingerprint can be computed — the secret bytes themselves are
//! never printed.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use hush::{Redactor, StreamFinding};
use serde_json::json;

use crate::common::{CliError, CommonArgs, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, build_redactor};
use crate::{exit_status, output, sarif};

/// Output formats of `hush scan`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// `path:line:col rule-id kind`, one finding per line.
    #[default]
    Text,
    /// JSON lines: path, line, column, end_column, rule_id, kind (and fingerprint).
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
}

/// Arguments of `hush scan`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` is stdin. Directories are walked respecting
    /// .gitignore. Default: stdin when it is not a terminal, else the current directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Also scan binary files (a NUL byte in the first 8 KiB), skipped by default.
    #[arg(long)]
    pub binary: bool,
}

/// A finding placed in its input: 1-based lines, byte columns (end exclusive) and
/// code-point columns, plus the keyed fingerprint when a hash key is configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// The input: a path as walked, or `-` for stdin.
    pub path: String,
    /// Rule id.
    pub rule_id: String,
    /// `key`, `format` or `known`.
    pub kind: &'static str,
    /// Start line.
    pub line: u64,
    /// Start byte column.
    pub column: u64,
    /// End line (the line of the last masked byte).
    pub end_line: u64,
    /// Byte column just past the end, on `end_line`.
    pub end_column: u64,
    /// Start column in Unicode code points.
    pub char_column: u64,
    /// End column (exclusive) in Unicode code points.
    pub char_end_column: u64,
    /// `HMAC-SHA256(key, secret)` prefix, when a hash key is set.
    pub fingerprint: Option<String>,
}

/// Bytes read at once.
const CHUNK: usize = 1 << 16;
/// Bytes sniffed for a NUL to call a file binary (as git and ripgrep do).
const SNIFF: usize = 8 << 10;
/// Recent input kept for positions and fingerprints: a held line (the core's default
/// line cap) plus the chunk being processed, with room to spare.
const WINDOW: usize = 2 * hush::DEFAULT_LINE_CAP + 2 * CHUNK;

/// The tail of the input stream, addressed by absolute offset.
struct RecentInput {
    base: u64,
    buf: Vec<u8>,
}

impl RecentInput {
    fn new() -> Self {
        RecentInput { base: 0, buf: Vec::new() }
    }

    fn push(&mut self, bytes: &[u8]) {
        if self.buf.len() + bytes.len() > 2 * WINDOW {
            let drop = (self.buf.len() + bytes.len()).saturating_sub(WINDOW).min(self.buf.len());
            self.buf.drain(..drop);
            self.base += drop as u64;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// The bytes at absolute `start..end`, if still held.
    fn get(&self, start: u64, end: u64) -> Option<&[u8]> {
        let s = usize::try_from(start.checked_sub(self.base)?).ok()?;
        let e = usize::try_from(end.checked_sub(self.base)?).ok()?;
        self.buf.get(s..e)
    }
}

fn chars(bytes: &[u8]) -> u64 {
    // Every byte that is not a UTF-8 continuation byte starts a character.
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u64
}

fn locate(path: &str, f: &StreamFinding, recent: &RecentInput, red: &Redactor) -> Located {
    let start = f.finding.start as u64;
    let end = (f.finding.end as u64).max(start);
    let line_start = start.saturating_sub(f.column.saturating_sub(1));
    let mut loc = Located {
        path: path.to_owned(),
        rule_id: f.finding.rule.as_str().to_owned(),
        kind: f.finding.kind.as_str(),
        line: f.line,
        column: f.column,
        end_line: f.line,
        end_column: f.column + (end - start),
        char_column: f.column,
        char_end_column: f.column + (end - start),
        fingerprint: None,
    };
    let (Some(secret), Some(head)) = (recent.get(start, end), recent.get(line_start, start)) else {
        return loc;
    };
    loc.fingerprint = red.fingerprint(secret);
    loc.char_column = chars(head) + 1;
    match secret.iter().rposition(|&b| b == b'\n') {
        None => loc.char_end_column = loc.char_column + chars(secret),
        Some(last_nl) => {
            loc.end_line = f.line + secret.iter().filter(|&&b| b == b'\n').count() as u64;
            let tail = &secret[last_nl + 1..];
            loc.end_column = tail.len() as u64 + 1;
            loc.char_end_column = chars(tail) + 1;
        }
    }
    loc
}

/// Why scanning an input stopped: the input failed (go on) or the output did (stop).
pub enum ScanFailure {
    /// Reading the input failed.
    Input(CliError),
    /// Writing the results failed.
    Output(CliError),
}

/// Streams `input` (after the already-read `head`) through the redactor, calling `emit`
/// for each finding as soon as the core reports it.
pub fn scan_stream(
    red: &Redactor,
    path: &str,
    head: &[u8],
    input: &mut dyn Read,
    emit: &mut dyn FnMut(Located) -> Result<(), CliError>,
) -> Result<u64, ScanFailure> {
    let found: Arc<Mutex<Vec<StreamFinding>>> = Arc::default();
    let collector = Arc::clone(&found);
    let mut writer = red.stream(io::sink()).on_finding(move |f| {
        collector.lock().unwrap_or_else(|p| p.into_inner()).push(f.clone());
    });
    let mut recent = RecentInput::new();
    let mut count = 0u64;
    let mut drain = |recent: &RecentInput, count: &mut u64| -> Result<(), ScanFailure> {
        let batch = std::mem::take(&mut *found.lock().unwrap_or_else(|p| p.into_inner()));
        for f in &batch {
            *count += 1;
            emit(locate(path, f, recent, red)).map_err(ScanFailure::Output)?;
        }
        Ok(())
    };
    let sink_error = |e: io::Error| ScanFailure::Input(CliError::io(path, &e));
    recent.push(head);
    writer.write_all(head).map_err(sink_error)?;
    drain(&recent, &mut count)?;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ScanFailure::Input(CliError::io(path, &e))),
        };
        recent.push(&buf[..n]);
        writer.write_all(&buf[..n]).map_err(sink_error)?;
        drain(&recent, &mut count)?;
    }
    writer.finish().map_err(sink_error)?;
    drain(&recent, &mut count)?;
    Ok(count)
}

/// Reads up to [`SNIFF`] bytes for binary detection.
fn read_head(input: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(SNIFF);
    input.take(SNIFF as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Where findings go: printed at once (text, JSON lines) or collected (SARIF).
struct Sink {
    format: Format,
    out: io::BufWriter<io::StdoutLock<'static>>,
    collected: Vec<Located>,
}

impl Sink {
    fn emit(&mut self, loc: Located) -> Result<(), CliError> {
        let result = match self.format {
            Format::Text => writeln!(self.out, "{}:{}:{} {} {}", loc.path, loc.line, loc.column, loc.rule_id, loc.kind),
            Format::Json => writeln!(self.out, "{}", json_line(&loc)),
            Format::Sarif => {
                self.collected.push(loc);
                Ok(())
            }
        };
        result.map_err(|e| output::stdout_error(&e))
    }
}

/// One `--format json` line.
pub fn json_line(loc: &Located) -> serde_json::Value {
    let mut v = json!({
        "path": loc.path,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "rule_id": loc.rule_id,
        "kind": loc.kind,
    });
    if let Some(fp) = &loc.fingerprint {
        v["fingerprint"] = json!(fp);
    }
    v
}

/// Counts of one scan run.
#[derive(Default)]
struct Tally {
    findings: u64,
    failed: bool,
}

/// Scans one input; input errors are reported and counted, output errors returned.
fn scan_input(
    red: &Redactor,
    args: &ScanArgs,
    path: &Path,
    shown: &str,
    sink: &mut Sink,
    tally: &mut Tally,
) -> Result<(), CliError> {
    let mut stdin;
    let mut file;
    let input: &mut dyn Read = if path.as_os_str() == "-" {
        stdin = io::stdin().lock();
        &mut stdin
    } else {
        match File::open(path) {
            Ok(f) => {
                file = f;
                &mut file
            }
            Err(e) => {
                CliError::io(shown, &e).report();
                tally.failed = true;
                return Ok(());
            }
        }
    };
    let head = match read_head(input) {
        Ok(h) => h,
        Err(e) => {
            CliError::io(shown, &e).report();
            tally.failed = true;
            return Ok(());
        }
    };
    if !args.binary && memchr_nul(&head) {
        return Ok(());
    }
    match scan_stream(red, shown, &head, input, &mut |loc| sink.emit(loc)) {
        Ok(n) => tally.findings += n,
        Err(ScanFailure::Input(e)) => {
            e.report();
            tally.failed = true;
        }
        Err(ScanFailure::Output(e)) => return Err(e),
    }
    Ok(())
}

fn memchr_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
}

/// Walks a directory (respecting .gitignore, .ignore and .git/info/exclude, even outside
/// a git repository; hidden files such as `.env` are scanned, `.git` itself is not).
fn scan_dir(red: &Redactor, args: &ScanArgs, dir: &Path, sink: &mut Sink, tally: &mut Tally) -> Result<(), CliError> {
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .require_git(false)
        .filter_entry(|e| e.file_name() != ".git")
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                let shown = e.path().display().to_string();
                scan_input(red, args, e.path(), &shown, sink, tally)?;
            }
            Ok(_) => {}
            Err(err) => {
                crate::output::diagnostic(err);
                tally.failed = true;
            }
        }
    }
    Ok(())
}

/// `hush scan`'s entry point.
pub fn main(args: ScanArgs, common: &CommonArgs) -> i32 {
    exit_status(run(&args, common))
}

fn run(args: &ScanArgs, common: &CommonArgs) -> Result<i32, CliError> {
    let red = build_redactor(common)?;
    let paths = if !args.paths.is_empty() {
        args.paths.clone()
    } else if io::stdin().is_terminal() {
        vec![PathBuf::from(".")]
    } else {
        vec![PathBuf::from("-")]
    };
    let mut sink = Sink { format: args.format, out: output::stdout(), collected: Vec::new() };
    let mut tally = Tally::default();
    for path in &paths {
        let shown = path.display().to_string();
        if path.as_os_str() != "-" && path.is_dir() {
            scan_dir(&red, args, path, &mut sink, &mut tally)?;
        } else {
            scan_input(&red, args, path, &shown, &mut sink, &mut tally)?;
        }
    }
    if args.format == Format::Sarif {
        let doc = sarif::document(&red, &sink.collected);
        let text = serde_json::to_string_pretty(&doc).map_err(|e| CliError::usage(format!("sarif: {e}")))?;
        writeln!(sink.out, "{text}").map_err(|e| output::stdout_error(&e))?;
    }
    sink.out.flush().map_err(|e| output::stdout_error(&e))?;
    Ok(if tally.failed {
        EXIT_ERROR
    } else if tally.findings > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(red: &Redactor, input: &[u8]) -> Vec<Located> {
        let mut out = Vec::new();
        scan_stream(red, "-", &[], &mut &input[..], &mut |l| {
            out.push(l);
            Ok(())
        })
        .ok()
        .unwrap();
        out
    }

    #[test]
    fn positions_are_one_based_with_exclusive_end() {
        let red = Redactor::builder().known_value(b"plum-Orbit-4471").build().unwrap();
        let found = scan(&red, "first line\nnaïve plum-Orbit-4471 x\n".as_bytes());
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!((f.line, f.column, f.end_line, f.end_column), (2, 8, 2, 23));
        assert_eq!((f.char_column, f.char_end_column), (7, 22), "ï is one code point, two bytes");
        assert_eq!(f.rule_id, "known:api:1");
        assert_eq!(f.fingerprint, None, "no hash key, no fingerprint");
    }

    #[test]
    fn fingerprint_with_hash_key() {
        let red = Redactor::builder().known_value(b"plum-Orbit-4471").hash_key(b"0123456789abcdef").build().unwrap();
        let found = scan(&red, b"x plum-Orbit-4471\n");
        assert_eq!(found[0].fingerprint, red.fingerprint(b"plum-Orbit-4471"));
        assert!(found[0].fingerprint.is_some());
    }

    #[test]
    fn recent_input_keeps_the_tail() {
        let mut r = RecentInput::new();
        let chunk = vec![b'a'; WINDOW];
        r.push(&chunk);
        r.push(&chunk);
        r.push(b"xyz");
        assert_eq!(r.get(2 * WINDOW as u64, 2 * WINDOW as u64 + 3), Some(&b"xyz"[..]));
        assert_eq!(r.get(0, 1), None, "the head was dropped");
    }
}
