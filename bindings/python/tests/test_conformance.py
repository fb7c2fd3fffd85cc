"""The shared conformance corpus (testdata/conformance/*.json) through the Python API:
every case must produce exactly the Rust core's expected output."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

import hush
from conftest import REPO

# Cases checked here even before the shared corpus has grown: they exercise each option
# of the corpus format through the binding.
LOCAL_CASES: list[dict[str, Any]] = [
    {
        "name": "python/env-password",
        "input": "DB_PASSWORD=plum-Orbit-4471\nuser=app\n",
        "expected": "DB_PASSWORD=[REDACTED]\nuser=app\n",
    },
    {
        "name": "python/label-known",
        "input": "retrying with plum-Orbit-4471 now",
        "expected": "retrying with [REDACTED:known:api:1] now",
        "options": {"mask": "label", "known": ["plum-Orbit-4471"]},
    },
    {
        "name": "python/fill-key",
        "input": "token=abcd1234",
        "expected": "token=********",
        "options": {"mask": "fill"},
    },
    {
        "name": "python/non-ascii-value",
        "input": "é日本 password=パスワード123 end",
        "expected": "é日本 password=[REDACTED] end",
    },
    {
        "name": "python/url-credentials",
        "input": "curl https://u:pw1234567@host/x?api_key=abc123def456",
        "expected": "curl https://u:[REDACTED]@host/x?api_key=[REDACTED]",
    },
    {
        "name": "python/not-utf8-passes-through",
        "input_base64": base64.b64encode(b"\xff\xfe password=hunter22\n").decode(),
        "expected_base64": base64.b64encode(b"\xff\xfe password=[REDACTED]\n").decode(),
    },
    {
        "name": "python/plain-decoy",
        "input": "user=bob logged in from 10.0.0.1\n",
        "expected": "user=bob logged in from 10.0.0.1\n",
    },
]


def load_cases() -> list[dict[str, Any]]:
    cases = list(LOCAL_CASES)
    for path in sorted((REPO / "testdata" / "conformance").glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            case.setdefault("name", f"{path.stem}/?")
            cases.append(case)
    return cases


CASES = load_cases()


def build(options: dict[str, Any], tmp_path: Path) -> hush.Redactor:
    config = options.get("config")
    others = {k for k in options if k not in ("config", "json")}
    if config is not None and not others:
        return hush.Redactor.from_toml(config)
    kwargs: dict[str, Any] = {"default_sources": False}
    if config is not None:
        path = tmp_path / "hush.toml"
        path.write_text(config, encoding="utf-8")
        kwargs["config"] = path
    if "mask" in options:
        kwargs["mask"] = options["mask"]
    if "known" in options:
        kwargs["known"] = options["known"]
    if "hash_key" in options:
        key = tmp_path / "hash.key"
        key.write_text(options["hash_key"], encoding="utf-8")
        kwargs["hash_key_file"] = key
    return hush.Redactor(**kwargs)


def payload(case: dict[str, Any], field: str) -> bytes:
    if f"{field}_base64" in case:
        return base64.b64decode(case[f"{field}_base64"])
    return str(case[field]).encode("utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any], tmp_path: Path) -> None:
    options = case.get("options", {})
    red = build(options, tmp_path)
    data, expected = payload(case, "input"), payload(case, "expected")
    if options.get("json"):
        assert red.redact_json(data.decode("utf-8")) == expected.decode("utf-8")
        return
    assert red.redact_bytes(data) == expected
    # Masks are recognisable as masks: redacting twice changes nothing.
    assert red.redact_bytes(expected) == expected
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    assert red.redact(text) == expected.decode("utf-8")
    # The stream gives the same bytes however the input is cut. (A stream that was never
    # written has no type yet; its output is empty either way.)
    for size in (1, 3, 7, 64) if data else ():
        stream = red.stream()
        for i in range(0, len(data), size):
            stream.write(data[i : i + size])
        stream.finish()
        assert stream.read() == expected, f"chunks of {size}"


def test_corpus_names_are_unique() -> None:
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names))
