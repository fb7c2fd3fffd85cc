"""Checked with `mypy --strict`: the public API as an application uses it."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

import hush
import hush.logging
import hush.loguru
import hush.structlog


def main(config: Path) -> None:
    red: hush.Redactor = hush.Redactor(
        config, secrets_dirs=[Path("/run/secrets"), "/etc/secrets"], known=["a", b"b"], mask="label"
    )
    red2 = hush.Redactor.from_toml("")
    text: str = red.redact("password=x")
    data: bytes = red.redact_bytes(b"password=x")
    js: str = red2.redact_json('{"a": 1}')
    for f in red.scan("password=x"):
        span: tuple[int, int] = (f.start, f.end)
        ids: str = f.rule_id + f.kind
        print(span, ids, f.truncated)
    stream: hush.RedactStream = red.stream(io.StringIO())
    written: int = stream.write("abc")
    stream.flush_partial()
    report: hush.Report = stream.finish()
    counts: dict[str, int] = report.rules
    total: int = report.total + report.lines + report.bytes_in
    rules: list[hush.RuleInfo] = red.rules()
    red.reload()
    env: dict[str, str] = hush.sanitize_env(os.environ)
    names: list[tuple[str, str]] = hush.sensitive_env_names({"A": "b"})
    f2: logging.Filter = hush.logging.RedactingFilter(red)
    logging.getLogger().addFilter(hush.logging.RedactingFilter())
    same: hush.Redactor = hush.install(redactor=red, streams=False)
    hush.uninstall()
    hush.loguru.patch({"message": "x"})
    hush.structlog.redact(None, "info", {"event": "x"})
    try:
        hush.Redactor(mask="hash")
    except hush.ConfigError as e:
        err: ValueError = e
        print(err)
    except hush.SourceError as e2:
        oserr: OSError = e2
        print(oserr)
    print(text, data, js, written, counts, total, rules, env, names, f2, same)
