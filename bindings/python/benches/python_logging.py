"""Benchmark (not a test): the cost hush adds per log record, and bulk redaction speed.

    python benches/python_logging.py [--records N] [--megabytes M] [--corpus FILE]
    python benches/python_logging.py --records 0 --corpus FILE   # bulk rows only

Needs a release build of the package (`pip install ./bindings/python` or
`maturin develop --release`). Prints a Markdown table. Times are CPU time of this
process (`time.process_time`), so a busy shared machine inflates them less than wall time.

Bulk rows: a synthetic text of M MB (4 line shapes, one with a password: every line is
a candidate), and with `--corpus FILE` that file too, such as the realistic corpus the
other benchmarks use (1 line in 200 with a secret):

    cargo run --release -p hush-benches --bin gen-corpus -- 100000000 200 > corpus.log
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import re
import sys
import time
from typing import Callable

import hush
import hush.logging

# A pure-Python filter of the kind apps write by hand: 20 secret patterns, re.sub each.
PATTERNS = [
    r"(?i)(password|passwd|pwd)\s*[=:]\s*\S+",
    r"(?i)(secret|client_secret)\s*[=:]\s*\S+",
    r"(?i)(token|access_token|refresh_token)\s*[=:]\s*\S+",
    r"(?i)(api[_-]?key|apikey)\s*[=:]\s*\S+",
    r"(?i)authorization:\s*(bearer|basic)\s+\S+",
    r"AKIA[0-9A-Z]{16}",
    r"ghp_[A-Za-z0-9]{36}",
    r"gho_[A-Za-z0-9]{36}",
    r"github_pat_[A-Za-z0-9_]{82}",
    r"xox[baprs]-[A-Za-z0-9-]{10,48}",
    r"sk_live_[A-Za-z0-9]{24,}",
    r"rk_live_[A-Za-z0-9]{24,}",
    r"AIza[0-9A-Za-z_-]{35}",
    r"eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+",
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----",
    r"glpat-[A-Za-z0-9_-]{20}",
    r"npm_[A-Za-z0-9]{36}",
    r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}",
    r"[a-z]+://[^:/\s]+:[^@/\s]+@",
    r"(?i)(private_key|dsn)\s*[=:]\s*\S+",
]
COMPILED = [re.compile(p) for p in PATTERNS]


def regex_redact(text: str) -> str:
    for pattern in COMPILED:
        text = pattern.sub("[REDACTED]", text)
    return text


class RegexFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = regex_redact(record.getMessage())
        record.args = ()
        return True


def make_logger(name: str) -> tuple[logging.Logger, logging.Handler]:
    handler = logging.StreamHandler(io.StringIO())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger(name)
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, handler


def time_records(logger: logging.Logger, handler: logging.Handler, n: int) -> float:
    stream = handler.stream  # type: ignore[attr-defined]
    start = time.process_time()
    for i in range(n):
        logger.info("user %s logged in with token %s", "alice", "tok-8f3a")
        if i & 0xFFFF == 0:
            stream.seek(0)
            stream.truncate()
    return (time.process_time() - start) / n * 1e6


def per_record(n: int, red: hush.Redactor, repeat: int) -> list[tuple[str, float]]:
    """Each configuration `repeat` times, interleaved; the minimum is the least disturbed."""
    plain = make_logger("bench.plain")
    filtered = make_logger("bench.filter")
    filtered[1].addFilter(hush.logging.RedactingFilter(red))
    installed = make_logger("bench.install")
    regex = make_logger("bench.regex")
    regex[1].addFilter(RegexFilter())
    best: dict[str, float] = {}

    def keep(name: str, us: float) -> None:
        best[name] = min(us, best.get(name, us))

    for _ in range(repeat):
        keep("no hush", time_records(*plain, n))
        keep("RedactingFilter", time_records(*filtered, n))
        hush.install(redactor=red)
        try:
            keep("hush.install()", time_records(*installed, n))
        finally:
            hush.uninstall()
        keep("re.sub filter, 20 patterns", time_records(*regex, n))
    return list(best.items())


def synthetic_text(megabytes: int) -> str:
    """4 line shapes, each with `key=value` pairs the core must look at; one has a password."""
    lines = [
        "2024-05-01T12:00:00Z INFO request id=4711 path=/api/v1/items status=200 took=12ms\n",
        "2024-05-01T12:00:01Z DEBUG cache hit key=items:4711 size=2048 user=alice\n",
        "2024-05-01T12:00:02Z WARN retrying upstream=http://billing:8080 attempt=2\n",
        "2024-05-01T12:00:03Z INFO login user=bob password=hunter22 from 10.0.0.7\n",
    ]
    block = "".join(lines)
    return block * (megabytes * 1024 * 1024 // len(block))


def bulk(text: str, red: hush.Redactor) -> tuple[float, float, float]:
    """MB/s of `Redactor.redact`, `Redactor.redact_bytes` and the 20 `re.sub` calls."""
    data = text.encode("utf-8", "surrogateescape")
    size = len(data) / 1e6
    start = time.process_time()
    red.redact(text)
    hush_s = time.process_time() - start
    start = time.process_time()
    red.redact_bytes(data)
    bytes_s = time.process_time() - start
    # re.sub on a tenth of the input is enough to measure its rate.
    sample = text[: len(text) // 10]
    start = time.process_time()
    regex_redact(sample)
    regex_s = (time.process_time() - start) * 10
    return size / hush_s, size / bytes_s, size / regex_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", help="also time bulk redaction of this file (UTF-8 text)")
    args = parser.parse_args()
    red = hush.Redactor(default_sources=False)
    print(f"Python {sys.version.split()[0]}, {args.records:,} records x {args.repeat} (best), {args.megabytes} MB\n")
    if args.records > 0:
        rows = per_record(args.records, red, args.repeat)
        base = rows[0][1]
        print("| per record | µs/record | added µs |")
        print("|---|---:|---:|")
        for name, us in rows:
            print(f"| {name} | {us:.2f} | {us - base:+.2f} |")
    corpora = [(f"synthetic, 4 line shapes, {args.megabytes} MB", synthetic_text(args.megabytes))]
    if args.corpus:
        with open(args.corpus, encoding="utf-8", errors="surrogateescape") as f:
            corpus = f.read()
        corpora.append((f"{os.path.basename(args.corpus)} ({len(corpus) / 1e6:.0f} MB)", corpus))
    print("\n| bulk | `redact` (str) MB/s | `redact_bytes` MB/s | `re.sub` MB/s | speed-up |")
    print("|---|---:|---:|---:|---:|")
    for name, text in corpora:
        hush_rate, bytes_rate, regex_rate = bulk(text, red)
        print(f"| {name} | {hush_rate:.1f} | {bytes_rate:.1f} | {regex_rate:.1f} | {hush_rate / regex_rate:.0f}x |")


if __name__ == "__main__":
    main()
