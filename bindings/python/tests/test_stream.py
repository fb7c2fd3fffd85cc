"""Redactor.stream(): parity with one-shot redaction, types, sinks."""

from __future__ import annotations

import io
import random

import pytest

import hush
from conftest import SECRET

TEXT = (
    "start user=bob\n"
    f"retrying with {SECRET} on host é日本\n"
    "Authorization: Bearer abcdef123456789\n"
    "DB_PASSWORD=hunter22 and more\n"
    "tail without newline password=xyz12345"
)


@pytest.mark.parametrize("seed", range(20))
def test_text_stream_matches_one_shot_for_any_chunking(redactor: hush.Redactor, seed: int) -> None:
    rng = random.Random(seed)
    stream = redactor.stream()
    pos, out = 0, []
    while pos < len(TEXT):
        step = rng.randint(1, 9)
        stream.write(TEXT[pos : pos + step])
        out.append(stream.read())
        pos += step
    report = stream.finish()
    out.append(stream.read())
    assert "".join(str(o) for o in out) == redactor.redact(TEXT)
    assert report.total == 4
    assert report.rules["known:api:1"] == 1
    assert SECRET not in repr(report)


@pytest.mark.parametrize("seed", range(10))
def test_bytes_stream_matches_one_shot(redactor: hush.Redactor, seed: int) -> None:
    rng = random.Random(seed)
    data = TEXT.encode()
    sink = io.BytesIO()
    stream = redactor.stream(sink)
    pos = 0
    while pos < len(data):
        step = rng.randint(1, 9)
        stream.write(data[pos : pos + step])
        pos += step
    stream.finish()
    assert sink.getvalue() == redactor.redact_bytes(data)


def test_complete_lines_come_out_at_once(redactor: hush.Redactor) -> None:
    stream = redactor.stream()
    stream.write("password=hunter22\npartial ")
    assert stream.read() == "password=[REDACTED]\n"
    stream.flush()
    assert stream.read() == ""
    stream.flush_partial()
    assert stream.read() == "partial "


def test_mixing_str_and_bytes_is_an_error(redactor: hush.Redactor) -> None:
    stream = redactor.stream()
    stream.write("text")
    with pytest.raises(TypeError, match="takes str"):
        stream.write(b"bytes")
    other = redactor.stream()
    other.write(b"bytes")
    with pytest.raises(TypeError, match="takes bytes"):
        other.write("text")


def test_write_after_finish_is_an_error(redactor: hush.Redactor) -> None:
    with redactor.stream() as stream:
        stream.write("a")
    assert stream.finished
    with pytest.raises(ValueError):
        stream.write("b")
    assert stream.finish().lines == 1


def test_text_sink_gets_str(redactor: hush.Redactor) -> None:
    sink = io.StringIO()
    with redactor.stream(sink) as stream:
        assert stream.write(f"é {SECRET}\n") == len(f"é {SECRET}\n")
        stream.write("end")
    assert sink.getvalue() == "é [REDACTED]\nend"
