"""structlog integration: a processor that redacts the event dict.

Place it last before the renderer (after ``format_exc_info``, so tracebacks are
redacted too)::

    structlog.configure(processors=[
        structlog.processors.add_log_level,
        structlog.processors.format_exc_info,
        hush.structlog.redact,
        structlog.processors.JSONRenderer(),
    ])

Values are redacted key-aware: a value under a sensitive key (``password``, ``api_key``,
``authorization`` …) is masked whole, any other string is redacted as text. Nested
dicts, lists and tuples are walked; other values under sensitive keys are masked.
This module does not import structlog.
"""

from __future__ import annotations

from typing import Any, MutableMapping, Optional

from hush._hush import Redactor

__all__ = ["Redact", "redact"]


class Redact:
    """A structlog processor bound to a redactor (``hush.default_redactor()`` if None)."""

    def __init__(self, redactor: Optional[Redactor] = None) -> None:
        self._redactor = redactor

    @property
    def redactor(self) -> Redactor:
        if self._redactor is None:
            from hush import default_redactor

            self._redactor = default_redactor()
        return self._redactor

    def __call__(
        self, logger: Any, method_name: str, event_dict: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        red = self.redactor
        for key, value in list(event_dict.items()):
            new = _redact_value(red, str(key), value)
            if new is not value:
                event_dict[key] = new
        return event_dict


def _redact_value(red: Redactor, key: str, value: Any) -> Any:
    if isinstance(value, str):
        return red.redact_value(key, value)
    if isinstance(value, bytes):
        if red.key_rule(key) is not None:
            return red.redact_value(key, value.decode("utf-8", "replace")).encode()
        return red.redact_bytes(value)
    if isinstance(value, dict):
        out = {k: _redact_value(red, str(k), v) for k, v in value.items()}
        changed = any(out[k] is not v for k, v in value.items())
        return out if changed else value
    if isinstance(value, (list, tuple)):
        items = [_redact_value(red, key, v) for v in value]
        if all(a is b for a, b in zip(items, value)):
            return value
        return type(value)(items) if isinstance(value, list) else tuple(items)
    if value is None or isinstance(value, bool):
        return value
    if red.key_rule(key) is not None:
        # A number or object under a sensitive key: mask its text form.
        return red.redact_value(key, str(value))
    return value


_default_processor = Redact()


def redact(
    logger: Any, method_name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """The structlog processor, using ``hush.default_redactor()``."""
    return _default_processor(logger, method_name, event_dict)
