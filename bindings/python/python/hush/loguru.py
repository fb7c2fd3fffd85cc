"""loguru integration.

``patch`` is a loguru patcher: it redacts each record's message and its ``extra``
values (key-aware)::

    from loguru import logger
    import hush.loguru
    logger = logger.patch(hush.loguru.patch)

loguru renders tracebacks itself when a sink writes the record, after patchers ran; to
redact those too, wrap the sink: ``logger.add(hush.loguru.RedactingSink(sys.stderr))``.
This module does not import loguru.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Union

from hush._hush import Redactor
from hush.structlog import _redact_value

__all__ = ["Patcher", "RedactingSink", "patch"]


def _default() -> Redactor:
    from hush import default_redactor

    return default_redactor()


class Patcher:
    """A loguru patcher bound to a redactor (``hush.default_redactor()`` if None)."""

    def __init__(self, redactor: Optional[Redactor] = None) -> None:
        self._redactor = redactor

    def __call__(self, record: Any) -> None:
        red = self._redactor if self._redactor is not None else _default()
        message = record.get("message")
        if isinstance(message, str):
            record["message"] = red.redact(message)
        extra = record.get("extra")
        if isinstance(extra, dict):
            for key, value in list(extra.items()):
                new = _redact_value(red, str(key), value)
                if new is not value:
                    extra[key] = new


class RedactingSink:
    """A loguru sink that redacts each formatted message (traceback included) and passes
    it to ``target``: a text stream or a callable taking a string."""

    def __init__(
        self, target: Union[Any, Callable[[str], Any]], redactor: Optional[Redactor] = None
    ) -> None:
        self._target = target
        self._redactor = redactor

    def __call__(self, message: str) -> None:
        red = self._redactor if self._redactor is not None else _default()
        text = red.redact(str(message))
        write = getattr(self._target, "write", None)
        if write is not None:
            write(text)
            flush = getattr(self._target, "flush", None)
            if flush is not None:
                flush()
        else:
            self._target(text)


_default_patcher = Patcher()


def patch(record: Any) -> None:
    """The loguru patcher, using ``hush.default_redactor()``."""
    _default_patcher(record)
