"""hush.sanitize_env and hush.sensitive_env_names."""

from __future__ import annotations

import hush
from conftest import SECRET

ENV = {
    "HOME": "/home/app",
    "DB_PASSWORD": "hunter22",
    "GITHUB_TOKEN": "abcdef123456",
    "DATABASE_URL": "postgres://app:pw1234567@db/app",
    "NOTE": f"uses {SECRET}",
    "PASSWORD_PLACEHOLDER": "",
}


def test_sanitize_env_masks_by_name_and_content(redactor: hush.Redactor) -> None:
    out = hush.sanitize_env(ENV, redactor=redactor)
    assert out == {
        "HOME": "/home/app",
        "DB_PASSWORD": "[REDACTED]",
        "GITHUB_TOKEN": "[REDACTED]",
        "DATABASE_URL": "postgres://app:[REDACTED]@db/app",
        "NOTE": "uses [REDACTED]",
        "PASSWORD_PLACEHOLDER": "",
    }


def test_sensitive_env_names(redactor: hush.Redactor) -> None:
    assert hush.sensitive_env_names(ENV, redactor=redactor) == [
        ("DB_PASSWORD", "key:password"),
        ("GITHUB_TOKEN", "key:token"),
        ("DATABASE_URL", "db-url-password"),
        ("NOTE", "known:api:1"),
    ]


def test_sanitize_env_defaults_to_os_environ(monkeypatch: object, redactor: hush.Redactor) -> None:
    import os

    os.environ["HUSH_TEST_API_KEY"] = "abcdefgh99"
    try:
        out = hush.sanitize_env(redactor=redactor)
        assert out["HUSH_TEST_API_KEY"] == "[REDACTED]"
        assert set(out) == set(os.environ)
    finally:
        del os.environ["HUSH_TEST_API_KEY"]
