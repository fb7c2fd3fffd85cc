"""``logging`` integration: :class:`RedactingFilter` for handlers and ``dictConfig``.

>>> import logging, hush.logging
>>> handler = logging.StreamHandler()
>>> handler.addFilter(hush.logging.RedactingFilter())

In ``dictConfig``::

    "filters": {"hush": {"()": "hush.logging.RedactingFilter"}},

Keyword options other than ``redactor`` build a dedicated :class:`hush.Redactor`
(``{"()": "hush.logging.RedactingFilter", "mask": "label"}``).
"""

from __future__ import annotations

import logging
from typing import Any, Optional

from hush._hush import RecordRedactor, Redactor
from hush._install import RedactingTextStream, install, uninstall

__all__ = ["RedactingFilter", "RedactingTextStream", "install", "uninstall"]


class RedactingFilter(RecordRedactor, logging.Filter):
    """A ``logging.Filter`` that redacts each record in place and keeps it: the message
    rendered with its args, ``exc_text`` (rendered from ``exc_info``), ``stack_info`` and
    string extras (key-aware). The per-record work runs in Rust."""

    def __new__(cls, redactor: Optional[Redactor] = None, **options: Any) -> RedactingFilter:
        if redactor is None:
            if options:
                redactor = Redactor(**options)
            else:
                from hush import default_redactor

                redactor = default_redactor()
        return super().__new__(cls, redactor)

    def __init__(self, redactor: Optional[Redactor] = None, **options: Any) -> None:
        logging.Filter.__init__(self)
