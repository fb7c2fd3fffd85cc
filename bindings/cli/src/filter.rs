//! The default command: redact FILEs (or stdin) to stdout, or rewrite them `--in-place`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use hush::{Redactor, Report};

use crate::common::{CliError, CommonArgs, EXIT_ERROR, EXIT_OK, build_redactor};
use crate::{exit_status, inplace, output, progress, report};

/// Options of the filter (the command when no subcommand is given).
#[derive(clap::Args, Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterArgs {
    /// Files to redact, in order (stdin when none, or for `-`).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Rewrite each FILE instead of writing to stdout (temp file, fsync, rename; keeps
    /// the mode, and the owner when run as root; a symlink's target is rewritten).
    #[arg(long, short = 'i')]
    pub in_place: bool,

    /// With --in-place: rewrite even a file that another process has open for writing.
    #[arg(long, requires = "in_place")]
    pub force: bool,

    /// Never draw a progress bar (drawn only for files of 64 MiB or more when stderr is
    /// a terminal).
    #[arg(long)]
    pub no_progress: bool,

    /// Print the number of secrets per rule on stderr at the end.
    #[arg(long)]
    pub summary: bool,

    /// Write the per-rule counts as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Copy the input unchanged and print what would be redacted, per rule, on stderr.
    #[arg(long)]
    pub dry_run: bool,

    /// Treat each line as a JSON document: keys at any depth, output stays valid JSON.
    /// Lines that are not a JSON object or array are redacted as text.
    #[arg(long)]
    pub json_lines: bool,
}

/// How input becomes output.
#[derive(Clone, Copy, Debug, Default)]
pub struct Mode {
    /// Copy the input unchanged; only count.
    pub dry_run: bool,
    /// One JSON document per line.
    pub json_lines: bool,
}

/// Which side of a copy failed.
#[derive(Debug)]
pub enum StreamError {
    /// Reading the input.
    Read(io::Error),
    /// Writing the output.
    Write(io::Error),
}

/// Size of the chunks read from the input.
const CHUNK: usize = 1 << 16;

/// Redacts (or, in a dry run, copies and counts) `input` into `out`.
pub fn process(red: &Redactor, mode: Mode, input: &mut dyn Read, out: &mut dyn Write) -> Result<Report, StreamError> {
    if mode.json_lines {
        return process_json_lines(red, mode, input, out);
    }
    let mut buf = vec![0u8; CHUNK];
    if mode.dry_run {
        let mut counter = red.stream(io::sink());
        loop {
            let n = read_some(input, &mut buf)?;
            if n == 0 {
                break;
            }
            out.write_all(&buf[..n]).map_err(StreamError::Write)?;
            counter.write_all(&buf[..n]).map_err(StreamError::Write)?;
        }
        let (_, report) = counter.finish().map_err(StreamError::Write)?;
        return Ok(report);
    }
    let mut writer = red.stream(out);
    loop {
        let n = read_some(input, &mut buf)?;
        if n == 0 {
            break;
        }
        writer.write_all(&buf[..n]).map_err(StreamError::Write)?;
    }
    let (_, report) = writer.finish().map_err(StreamError::Write)?;
    Ok(report)
}

fn read_some(input: &mut dyn Read, buf: &mut [u8]) -> Result<usize, StreamError> {
    loop {
        match input.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(StreamError::Read(e)),
        }
    }
}

/// Whether a line may be a JSON document worth the JSON-aware path: an object or array.
/// (A bare JSON string or number is as well served by the text rules.)
fn looks_like_json_document(body: &[u8]) -> bool {
    matches!(body.trim_ascii_start().first(), Some(b'{' | b'['))
}

/// Redacts one line as JSON when it is a JSON object or array, else as text. Returns the
/// output line (with the input's line ending) and its report.
pub fn redact_json_line(red: &Redactor, line: &[u8]) -> (Vec<u8>, Report) {
    let ending_len = line.iter().rev().take_while(|&&b| b == b'\n' || b == b'\r').count();
    let (body, ending) = line.split_at(line.len() - ending_len);
    let as_json = if looks_like_json_document(body) { red.redact_json_with_report(body).ok() } else { None };
    let (mut out, mut report) = match as_json {
        Some((json, report)) => (json.into_owned(), report),
        None => {
            let (text, report) = red.redact_with_report(body);
            (text.into_owned(), report)
        }
    };
    out.extend_from_slice(ending);
    report.lines = 1;
    report.bytes_in = line.len() as u64;
    report.bytes_out = out.len() as u64;
    (out, report)
}

fn process_json_lines(
    red: &Redactor,
    mode: Mode,
    input: &mut dyn Read,
    out: &mut dyn Write,
) -> Result<Report, StreamError> {
    let mut reader = BufReader::with_capacity(CHUNK, input);
    let mut line = Vec::new();
    let mut total = Report::default();
    loop {
        line.clear();
        let n = loop {
            match reader.read_until(b'\n', &mut line) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(StreamError::Read(e)),
            }
        };
        if n == 0 {
            break;
        }
        let (redacted, report) = redact_json_line(red, &line);
        total.merge(&report);
        let written = if mode.dry_run { &line } else { &redacted };
        out.write_all(written).map_err(StreamError::Write)?;
    }
    Ok(total)
}

/// The filter's entry point.
pub fn main(args: FilterArgs, common: &CommonArgs) -> i32 {
    exit_status(run(&args, common))
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn run(args: &FilterArgs, common: &CommonArgs) -> Result<i32, CliError> {
    if args.in_place && (args.files.is_empty() || args.files.iter().any(|f| is_stdin(f))) {
        return Err(CliError::usage("--in-place needs FILE arguments (it cannot rewrite stdin)"));
    }
    let red = build_redactor(common)?;
    let mode = Mode { dry_run: args.dry_run, json_lines: args.json_lines };
    let mut files: Vec<(String, Report)> = Vec::new();
    let mut failed = false;
    if args.in_place {
        let opts = inplace::Options { force: args.force, no_progress: args.no_progress, mode };
        for path in &args.files {
            match inplace::rewrite(&red, path, &opts) {
                Ok(report) => files.push((path.display().to_string(), report)),
                Err(e) => {
                    e.report();
                    failed = true;
                }
            }
        }
    } else {
        let mut out = output::stdout_for_blocks();
        let stdin_only = [PathBuf::from("-")];
        let inputs = if args.files.is_empty() { &stdin_only[..] } else { &args.files[..] };
        for path in inputs {
            match filter_one(&red, path, mode, args.no_progress, &mut out) {
                Ok(report) => files.push((path.display().to_string(), report)),
                Err(InputFailed(e)) => {
                    e.report();
                    failed = true;
                }
                Err(OutputFailed(e)) => return Err(e),
            }
        }
        out.flush().map_err(|e| output::stdout_error(&e))?;
    }
    let mut total = Report::default();
    for (_, r) in &files {
        total.merge(r);
    }
    if args.summary || args.dry_run {
        output::write_stderr(&report::summary_text(&total, args.dry_run))?;
    }
    if let Some(path) = &args.report {
        report::write_report_file(path, &report::report_json(&total, &files, args.dry_run))?;
    }
    Ok(if failed { EXIT_ERROR } else { EXIT_OK })
}

/// Why one input of the filter failed: the input (go on with the next) or stdout (stop).
enum FilterFailure {
    InputFailed(CliError),
    OutputFailed(CliError),
}
use FilterFailure::{InputFailed, OutputFailed};

/// Redacts one input to `out`.
fn filter_one(
    red: &Redactor,
    path: &Path,
    mode: Mode,
    no_progress: bool,
    out: &mut dyn Write,
) -> Result<Report, FilterFailure> {
    let input_error = |e: io::Error| InputFailed(CliError::io(path.display(), &e));
    let result = if is_stdin(path) {
        process(red, mode, &mut io::stdin().lock(), out)
    } else {
        let file = File::open(path).map_err(input_error)?;
        let meta = file.metadata().map_err(input_error)?;
        if meta.is_dir() {
            let message = format!("{}: is a directory (use `hush scan` for directories)", path.display());
            return Err(InputFailed(CliError::usage(message)));
        }
        match progress::bar_for(&meta, &path.display().to_string(), no_progress) {
            Some(bar) => {
                let r = process(red, mode, &mut bar.wrap_read(file), out);
                bar.finish_and_clear();
                r
            }
            None => process(red, mode, &mut io::BufReader::with_capacity(0, file), out),
        }
    };
    result.map_err(|e| match e {
        StreamError::Read(e) => input_error(e),
        StreamError::Write(e) => OutputFailed(output::stdout_error(&e)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor() -> Redactor {
        Redactor::builder().known_value(b"plum-Orbit-4471").build().unwrap()
    }

    #[test]
    fn process_redacts_and_counts() {
        let mut out = Vec::new();
        let report = process(&redactor(), Mode::default(), &mut &b"a plum-Orbit-4471 b\nok\n"[..], &mut out).unwrap();
        assert_eq!(out, b"a [REDACTED] b\nok\n");
        assert_eq!(report.total(), 1);
    }

    #[test]
    fn dry_run_copies_unchanged_but_counts() {
        let input = b"password=hunter22xx\n";
        let mut out = Vec::new();
        let mode = Mode { dry_run: true, json_lines: false };
        let report = process(&redactor(), mode, &mut &input[..], &mut out).unwrap();
        assert_eq!(out, input);
        assert_eq!(report.rules["key:password"].count, 1);
    }

    #[test]
    fn json_line_falls_back_to_text() {
        let (out, report) = redact_json_line(&redactor(), b"not json plum-Orbit-4471\r\n");
        assert_eq!(out, b"not json [REDACTED]\r\n");
        assert_eq!(report.total(), 1);
        assert_eq!(report.lines, 1);
    }
}
