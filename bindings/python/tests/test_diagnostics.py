"""No secret in exception text: every error path reachable from Python, fed with secrets
placed where a careless message would quote them. Each exception is checked through
``str``, ``repr``, ``args``, its attributes, the ``__cause__``/``__context__`` chain and
the formatted traceback. Assertion messages name the case, never the text.

Also: ``str`` with lone surrogates (``surrogateescape`` data from ``os.environ`` or file
names) is redacted rather than raising ``UnicodeEncodeError``, whose ``args`` would hold
the whole text."""

from __future__ import annotations

import logging
import os
import traceback
from pathlib import Path
from typing import Any, Callable

import pytest

import hush

SECRET = "plum-Orbit-4471"
SECRET2 = "Vault-Key-99x7Q"
SHORT = "xq7z9"
SECRETS = (SECRET, SECRET2, SHORT)


def exception_texts(exc: BaseException) -> list[str]:
    """Every rendering of `exc` and of the exceptions chained to it."""
    texts = ["".join(traceback.format_exception(type(exc), exc, exc.__traceback__))]
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        texts += [str(e), repr(e), repr(e.args), repr(vars(e)) if hasattr(e, "__dict__") else ""]
        texts += [repr(getattr(e, name, None)) for name in ("object", "filename", "strerror")]
        todo += [e.__cause__, e.__context__]
    return texts


def assert_clean(case: str, call: Callable[[], Any], expected: type[BaseException]) -> None:
    with pytest.raises(expected) as info:
        call()
    for text in exception_texts(info.value):
        leaked = [i for i, s in enumerate(SECRETS) if s in text]
        assert not leaked, f"{case}: secret #{leaked} in the exception text"


def red() -> hush.Redactor:
    return hush.Redactor(default_sources=False)


BAD_CONFIGS = {
    "unterminated array": f'known_values = ["{SECRET}"\nmask = "label"\n',
    "string for a list": f'known_values = "{SECRET}"\n',
    "number in the list": f'known_values = ["{SECRET}", 5]\n',
    "bad escape": f'known_values = ["\\q{SECRET}"]\n',
    "unquoted value": f"known_values = [{SECRET}]\n",
    "bare secret line": f'mask = "label"\n{SECRET}\n',
    "duplicate key": f'known_values = ["{SECRET}"]\nknown_values = ["{SECRET2}"]\n',
    "string for a number": f'line_cap = "{SECRET}"\n',
    "mask name": f'mask = "{SECRET}"\n',
    "short known value": f'known_values = ["{SECRET}", "{SHORT}"]\n',
    "rule regex": f'[[rules]]\nid = "r"\nregex = "({SECRET}"\n',
    "rule secret group": f'[[rules]]\nid = "r"\nregex = "{SECRET}"\nsecret_group = 2\n',
    "allow regex": f'allow_regexes = ["[{SECRET}"]\n',
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_bad_config_text_and_files(case: str, tmp_path: Path) -> None:
    text = BAD_CONFIGS[case]
    assert_clean(case, lambda: hush.Redactor.from_toml(text), hush.ConfigError)
    path = tmp_path / "bad.toml"
    path.write_text(text)
    assert_clean(case, lambda: hush.Redactor(str(path), default_sources=False), hush.ConfigError)


def test_config_file_with_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(f'known_values = ["{SECRET}'.encode() + b'\xff"]\n')
    assert_clean("invalid UTF-8", lambda: hush.Redactor(str(path), default_sources=False), hush.HushError)


def test_bad_options() -> None:
    assert_clean("mask", lambda: hush.Redactor(default_sources=False, mask=SECRET), hush.ConfigError)
    assert_clean("short known", lambda: hush.Redactor(default_sources=False, known=[SECRET, SHORT]), hush.ConfigError)
    bad_known: Any = [SECRET, 5]
    assert_clean("known type", lambda: hush.Redactor(default_sources=False, known=bad_known), TypeError)
    surrogate_known = [SECRET + "\ud800"]
    assert_clean("surrogate known", lambda: hush.Redactor(default_sources=False, known=surrogate_known), TypeError)


def test_short_hash_key_file(tmp_path: Path) -> None:
    key = tmp_path / "hash.key"
    key.write_text(SECRET)  # 15 bytes: one too few
    call = lambda: hush.Redactor(default_sources=False, mask="hash", hash_key_file=str(key))  # noqa: E731
    assert_clean("short hash key", call, hush.ConfigError)


def test_unreadable_secret_file(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    locked = secrets / "db_password"
    locked.write_text(SECRET)
    locked.chmod(0)
    try:
        readable = os.access(locked, os.R_OK) and bool(locked.read_text())
    except PermissionError:
        readable = False
    if readable:
        # Root reads a mode-000 file: it is then simply a known value.
        r = hush.Redactor(default_sources=False, secrets_dirs=[str(secrets)])
        assert r.redact(SECRET) == "[REDACTED]"
    else:
        call = lambda: hush.Redactor(default_sources=False, secrets_dirs=[str(secrets)])  # noqa: E731
        assert_clean("unreadable secret file", call, hush.SourceError)


def test_secret_sources_that_only_warn(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "huge").write_text(SECRET * 10_000)
    (secrets / "short").write_text(SHORT)
    r = hush.Redactor(default_sources=False, secrets_dirs=[str(secrets)])
    assert r.redact(SECRET) == SECRET  # the oversized file was skipped
    report = " ".join(repr(rule) for rule in r.rules())
    assert not any(s in report for s in SECRETS), "a rule description holds a secret"


def test_invalid_json() -> None:
    r = red()
    for n, text in enumerate([f'{{"password":"{SECRET}', f'{{"a":"{SECRET}",', f'["{SECRET}" "{SECRET2}"]']):
        assert_clean(f"json {n}", lambda: r.redact_json(text), ValueError)


def test_stream_misuse() -> None:
    def mixed() -> None:
        s = red().stream()
        s.write(f"password={SECRET}")
        s.write(SECRET2.encode())

    def after_finish() -> None:
        s = red().stream()
        s.write(f"password={SECRET}")
        s.finish()
        s.write(SECRET2)

    def wrong_type() -> None:
        bad: Any = [SECRET]
        red().stream().write(bad)

    assert_clean("str then bytes", mixed, TypeError)
    assert_clean("write after finish", after_finish, ValueError)
    assert_clean("wrong type", wrong_type, TypeError)
    wrong: Any = SECRET.encode()
    assert_clean("redact(bytes)", lambda: red().redact(wrong), TypeError)
    assert_clean("redact_bytes(str)", lambda: red().redact_bytes(SECRET), TypeError)


# Lone surrogates, as `surrogateescape` decoding leaves them for undecodable bytes.
RAW = f"password={SECRET} \udcff tail"


def test_lone_surrogates_are_redacted_not_raised() -> None:
    r = red()
    assert r.redact(RAW) == "password=[REDACTED]"
    assert r.redact("plain \udcff text \ud800") == "plain \udcff text \ud800"
    assert r.redact_value("db_password", f"{SECRET}\udcff") == "[REDACTED]"
    assert r.key_rule("pass\udcffword") is None
    found = r.scan(RAW)
    assert [(f.rule_id, f.start) for f in found] == [("key:password", 9)]
    known = hush.Redactor(default_sources=False, known=[SECRET])
    assert known.redact(f"\udcff{SECRET}\udcff") == "\udcff[REDACTED]\udcff"


def test_lone_surrogates_in_streams_and_env() -> None:
    s = red().stream()
    s.write(f"password={SECRET}\n\udcff ok\n")
    s.finish()
    assert s.read() == "password=[REDACTED]\n\udcff ok\n"
    env = {"DB_PASSWORD": f"{SECRET}\udcff", "HOME": "/home/\udcff"}
    assert hush.sanitize_env(env, redactor=red()) == {"DB_PASSWORD": "[REDACTED]", "HOME": "/home/\udcff"}
    assert hush.sensitive_env_names(env, redactor=red()) == [("DB_PASSWORD", "key:password")]


def test_log_record_with_surrogates_is_redacted() -> None:
    record = logging.LogRecord("app", logging.INFO, __file__, 1, "login %s", (RAW,), None)
    assert hush.logging.RedactingFilter(red()).filter(record)
    assert record.getMessage() == red().redact(f"login {RAW}") == "login password=[REDACTED] \udcff tail"
