"""hush.Redactor: construction, errors, redact/scan/rules/reload."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import hush
from conftest import SECRET


def test_redact_masks_key_values_and_known_values(redactor: hush.Redactor) -> None:
    assert redactor.redact("connect password=hunter22 host=db") == "connect password=[REDACTED] host=db"
    assert redactor.redact(f"retry with {SECRET}") == "retry with [REDACTED]"


def test_unchanged_text_is_the_same_object(redactor: hush.Redactor) -> None:
    text = "user=bob logged in " + "x" * 10
    assert redactor.redact(text) is text
    data = b"nothing to see here"
    assert redactor.redact_bytes(data) is data


def test_redact_rejects_the_wrong_type(redactor: hush.Redactor) -> None:
    with pytest.raises(TypeError, match="redact_bytes"):
        redactor.redact(b"password=x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        redactor.redact_bytes("password=x")  # type: ignore[arg-type]


def test_redact_bytes_accepts_bytearray(redactor: hush.Redactor) -> None:
    assert redactor.redact_bytes(bytearray(b"token=abcdefgh")) == b"token=[REDACTED]"


def test_large_input_is_redacted_with_the_gil_released(redactor: hush.Redactor) -> None:
    line = "INFO request ok user=bob\n"
    big = line * (2 * hush._hush.DETACH_MIN_BYTES // len(line)) + f"password={SECRET}\n"
    out = redactor.redact(big)
    assert out.endswith("password=[REDACTED]\n")
    assert out.count("\n") == big.count("\n")


def test_scan_offsets_are_code_points_on_non_ascii_text(redactor: hush.Redactor) -> None:
    text = f"naïve → 日本語 password=パスワード123 then {SECRET} ✓"
    found = redactor.scan(text)
    assert [(f.rule_id, f.kind) for f in found] == [("key:password", "key"), ("known:api:1", "known")]
    assert text[found[0].start : found[0].end] == "パスワード123"
    assert text[found[1].start : found[1].end] == SECRET


def test_scan_on_bytes_gives_byte_offsets(redactor: hush.Redactor) -> None:
    data = f"é password={SECRET}".encode()
    (f,) = redactor.scan(data)
    assert data[f.start : f.end] == SECRET.encode()


def test_finding_repr_never_shows_the_secret(redactor: hush.Redactor) -> None:
    (f,) = redactor.scan(f"x {SECRET} y")
    assert SECRET not in repr(f)
    assert repr(f) == "Finding(rule_id='known:api:1', kind='known', start=2, end=17)"
    assert SECRET not in repr(redactor)


def test_masks_by_name() -> None:
    text = "token=abcd1234"
    assert hush.Redactor(default_sources=False, mask="fill").redact(text) == "token=********"
    assert hush.Redactor(default_sources=False, mask="label").redact(text) == "token=[REDACTED:key:token]"
    assert hush.Redactor(default_sources=False).mask == "redacted"


def test_hash_mask_with_key_file(tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_text("0123456789abcdef0123\n")
    red = hush.Redactor(default_sources=False, mask="hash", hash_key_file=key)
    a = red.redact("token=abcd1234")
    assert a.startswith("token=[REDACTED:h:") and "abcd1234" not in a
    assert red.redact("other token=abcd1234") == "other " + a
    # One trailing newline (LF or CRLF) is not key material, as in the CLI and config file;
    # a second one is.
    for text, same in [("0123456789abcdef0123\r\n", True), ("0123456789abcdef0123\n\n", False)]:
        key.write_bytes(text.encode())
        other = hush.Redactor(default_sources=False, mask="hash", hash_key_file=key)
        assert (other.redact("token=abcd1234") == a) is same, repr(text)


def test_error_classes() -> None:
    assert issubclass(hush.ConfigError, hush.HushError)
    assert issubclass(hush.ConfigError, ValueError)
    assert issubclass(hush.SourceError, hush.HushError)
    assert issubclass(hush.SourceError, OSError)
    with pytest.raises(hush.ConfigError, match="unknown mask style"):
        hush.Redactor(default_sources=False, mask="nope")  # type: ignore[arg-type]
    with pytest.raises(hush.ConfigError):
        hush.Redactor(default_sources=False, mask="hash")  # no key
    with pytest.raises(hush.SourceError):
        hush.Redactor("/nonexistent/hush.toml", default_sources=False)
    with pytest.raises(hush.SourceError):
        hush.Redactor(default_sources=False, hash_key_file="/nonexistent/key")


def test_config_path_and_from_toml(tmp_path: Path) -> None:
    cfg = tmp_path / "hush.toml"
    cfg.write_text("")
    red = hush.Redactor(os.fspath(cfg), default_sources=False)
    assert red.redact("password=hunter22") == "password=[REDACTED]"
    assert hush.Redactor(cfg, default_sources=False).redact("password=x1") == "password=[REDACTED]"
    assert hush.Redactor.from_toml("").redact("secret=abcdef") == "secret=[REDACTED]"


def test_secrets_dirs_are_known_values(tmp_path: Path) -> None:
    (tmp_path / "db_password").write_text("s3cret-Plum-99\n")
    red = hush.Redactor(default_sources=False, secrets_dirs=[tmp_path])
    out = red.redact("connecting with s3cret-Plum-99")
    assert "s3cret-Plum-99" not in out
    assert any(r.kind == "known" and r.active for r in red.rules())


def test_known_values_accept_bytes() -> None:
    red = hush.Redactor(default_sources=False, known=[b"bytes-Secret-123"])
    assert red.redact("x bytes-Secret-123 y") == "x [REDACTED] y"


def test_rules_lists_rule_infos(redactor: hush.Redactor) -> None:
    rules = redactor.rules()
    assert rules
    assert all(r.kind in ("key", "format", "known") for r in rules)
    assert all(isinstance(r.id, str) and isinstance(r.active, bool) for r in rules)


def test_reload_keeps_working(redactor: hush.Redactor) -> None:
    redactor.reload()
    assert redactor.redact(f"a {SECRET}") == "a [REDACTED]"


def test_key_rule_and_redact_value(redactor: hush.Redactor) -> None:
    assert redactor.key_rule("POSTGRES_PASSWORD") == "key:password"
    assert redactor.key_rule("POSTGRES_USER") is None
    assert redactor.redact_value("api_key", "abc123xyz") == "[REDACTED]"
    assert redactor.redact_value("user", "alice") == "alice"


def test_redact_json_keeps_valid_json(redactor: hush.Redactor) -> None:
    import json

    text = json.dumps({"user": "bob", "note": f"uses {SECRET}"})
    out = redactor.redact_json(text)
    assert json.loads(out) == {"user": "bob", "note": "uses [REDACTED]"}
    with pytest.raises(ValueError):
        redactor.redact_json("{not json")
