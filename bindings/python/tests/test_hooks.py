"""Crash-output hooks and stream wrapping, observed from a child interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from conftest import SECRET

PRELUDE = f"""
import hush, logging, sys, threading, traceback
red = hush.Redactor(default_sources=False, known=[{SECRET!r}])
"""


def run(body: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    child_env = {k: v for k, v in os.environ.items() if k in ("PATH", "PYTHONPATH", "VIRTUAL_ENV", "HOME")}
    child_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(body)],
        capture_output=True,
        text=True,
        timeout=60,
        env=child_env,
    )


def test_uncaught_exception_is_redacted() -> None:
    proc = run(
        """
        hush.install(redactor=red)
        password = "hunter22"
        raise RuntimeError(f"login failed password={password} key={red.mask}" + " " + %r)
        """
        % SECRET
    )
    assert proc.returncode == 1
    assert "Traceback (most recent call last)" in proc.stderr
    assert "RuntimeError: login failed password=[REDACTED]" in proc.stderr
    assert SECRET not in proc.stderr and "hunter22" not in proc.stderr


def test_thread_exception_is_redacted() -> None:
    proc = run(
        """
        hush.install(redactor=red)
        def work():
            raise KeyError("token=abcdef123 " + %r)
        t = threading.Thread(target=work, name="worker-1")
        t.start(); t.join()
        print("main done")
        """
        % SECRET
    )
    assert proc.returncode == 0, proc.stderr[-300:].replace(SECRET, "<secret>")
    assert proc.stdout == "main done\n"
    assert "Exception in thread worker-1:" in proc.stderr
    assert "KeyError: 'token=[REDACTED] [REDACTED]'" in proc.stderr
    assert SECRET not in proc.stderr and "abcdef123" not in proc.stderr


def test_unraisable_exception_is_redacted() -> None:
    proc = run(
        """
        hush.install(redactor=red)
        class Leaky:
            def __del__(self):
                raise ValueError("api_key=abcdef999")
        Leaky()
        import gc; gc.collect()
        """
    )
    assert "Exception ignored" in proc.stderr
    assert "ValueError: api_key=[REDACTED]" in proc.stderr
    assert "abcdef999" not in proc.stderr


def test_streams_wrap_print_and_print_exc() -> None:
    proc = run(
        """
        hush.install(redactor=red, streams=True)
        print("config:", {"password": "hunter22"}, %r)
        print("partial line without newline " + %r, end="")
        sys.stdout.flush()
        try:
            raise ValueError(%r)
        except ValueError:
            traceback.print_exc()
        """
        % (SECRET, SECRET, SECRET)
    )
    assert proc.returncode == 0
    assert proc.stdout == (
        "config: {'password': '[REDACTED]'} [REDACTED]\npartial line without newline [REDACTED]"
    )
    assert "ValueError: [REDACTED]" in proc.stderr
    assert SECRET not in proc.stdout + proc.stderr


def test_install_default_redactor_knows_environment_secrets() -> None:
    proc = run(
        """
        hush.install()
        logging.basicConfig(format="%(message)s")
        logging.warning("connecting with Env-Secret-777x")
        """,
        env={"HUSH_TEST_DB_PASSWORD": "Env-Secret-777x"},
    )
    assert proc.stderr == "connecting with [REDACTED]\n"
