"""hush: scrub secrets out of logs before they are stored or shown.

>>> import hush
>>> hush.Redactor(default_sources=False).redact("DB_PASSWORD=plum-Orbit-4471")
'DB_PASSWORD=[REDACTED]'

``hush.install()`` at startup makes every log record, uncaught traceback and (with
``streams=True``) everything printed safe; see :mod:`hush.logging`, :mod:`hush.structlog`
and :mod:`hush.loguru` for the integrations.
"""

from __future__ import annotations

import os
import threading
from typing import Mapping, Optional

from hush._errors import ConfigError, HushError, SourceError
from hush._hush import CATALOG_VERSION, Finding, RedactStream, Redactor, Report, RuleInfo
from hush._hush import sanitize_vars as _sanitize_vars
from hush._hush import sensitive_names as _sensitive_names
from hush._install import install, uninstall
from hush import logging as logging  # noqa: E402  (hush.logging.RedactingFilter)

__all__ = [
    "CATALOG_VERSION",
    "ConfigError",
    "Finding",
    "HushError",
    "RedactStream",
    "Redactor",
    "Report",
    "RuleInfo",
    "SourceError",
    "default_redactor",
    "install",
    "sanitize_env",
    "sensitive_env_names",
    "uninstall",
]

_default: Optional[Redactor] = None
_default_lock = threading.Lock()


def default_redactor() -> Redactor:
    """The process-wide ``Redactor()`` with default sources, built on first use.

    Secrets already in ``os.environ`` (sensitive names, ``*_FILE`` variables) and in
    ``/run/secrets`` are known to it.
    """
    global _default
    with _default_lock:
        if _default is None:
            _default = Redactor()
        return _default


def sanitize_env(
    mapping: Optional[Mapping[str, str]] = None, *, redactor: Optional[Redactor] = None
) -> dict[str, str]:
    """A copy of ``mapping`` (default ``os.environ``) with each value redacted as bound
    to its name: sensitive names are masked whole, other values redacted as text."""
    env = os.environ if mapping is None else mapping
    red = redactor if redactor is not None else default_redactor()
    return dict(_sanitize_vars(red, list(env.items())))


def sensitive_env_names(
    mapping: Optional[Mapping[str, str]] = None, *, redactor: Optional[Redactor] = None
) -> list[tuple[str, str]]:
    """``(name, rule id)`` for each variable of ``mapping`` (default ``os.environ``)
    whose value would be masked, in the mapping's order."""
    env = os.environ if mapping is None else mapping
    red = redactor if redactor is not None else default_redactor()
    return _sensitive_names(red, list(env.items()))
