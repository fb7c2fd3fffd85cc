"""structlog and loguru integrations (installed by run-tests.sh; required when CI=true)."""

from __future__ import annotations

import io
import json
from typing import Any

import hush
import hush.loguru
import hush.structlog
from conftest import SECRET, require


def test_structlog_processor_redacts_the_event_dict(redactor: hush.Redactor) -> None:
    structlog = require("structlog")
    out = io.StringIO()
    logger = structlog.wrap_logger(
        structlog.PrintLogger(out),
        processors=[
            structlog.processors.format_exc_info,
            hush.structlog.Redact(redactor),
            structlog.processors.JSONRenderer(sort_keys=True),
        ],
    )
    logger.info(
        f"login with {SECRET}",
        password=12345678,
        user="bob",
        nested={"api_key": "abcdef", "items": ["token=abcdefgh", 3]},
        flag=True,
    )
    try:
        raise ValueError("secret=abcdef12")
    except ValueError:
        logger.exception("failed")
    first, second = out.getvalue().splitlines()
    assert json.loads(first) == {
        "event": "login with [REDACTED]",
        "password": "[REDACTED]",
        "user": "bob",
        "nested": {"api_key": "[REDACTED]", "items": ["token=[REDACTED]", 3]},
        "flag": True,
    }
    assert "abcdef12" not in second and "secret=[REDACTED]" in json.loads(second)["exception"]


def test_structlog_default_processor_signature() -> None:
    event: dict[str, Any] = {"event": "x", "authorization": "Bearer abcdef123456"}
    assert hush.structlog.redact(None, "info", event)["authorization"] == "[REDACTED]"


def test_loguru_patch_and_sink(redactor: hush.Redactor) -> None:
    loguru = require("loguru")
    logger = loguru.logger
    buf = io.StringIO()
    sink_id = logger.add(hush.loguru.RedactingSink(buf, redactor), format="{message} {extra}")
    try:
        patched = logger.patch(hush.loguru.Patcher(redactor))
        patched.bind(api_key="abcdefgh", user="bob").info("retry with {}", SECRET)
        try:
            raise RuntimeError(f"password={SECRET}")
        except RuntimeError:
            patched.exception("boom")
    finally:
        logger.remove(sink_id)
    out = buf.getvalue()
    assert out.startswith("retry with [REDACTED] {'api_key': '[REDACTED]', 'user': 'bob'}\n")
    assert "RuntimeError: password=[REDACTED]" in out
    assert SECRET not in out


def test_loguru_default_patcher_on_a_record_dict() -> None:
    record: dict[str, Any] = {"message": "token=abcdefgh1", "extra": {"password": "hunter22"}}
    hush.loguru.patch(record)
    assert record == {"message": "token=[REDACTED]", "extra": {"password": "[REDACTED]"}}
