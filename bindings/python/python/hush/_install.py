"""``hush.install()``: redact every log record, uncaught traceback and (optionally)
everything written to ``sys.stdout``/``sys.stderr``."""

from __future__ import annotations

import atexit
import logging
import sys
import threading
import traceback
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Callable, Optional

from hush._hush import RecordFactory, RecordRedactor, make_record_method

if TYPE_CHECKING:
    from hush._hush import Redactor

__all__ = ["install", "uninstall", "RedactingTextStream"]


class RedactingTextStream:
    """A text stream wrapper: complete lines are redacted and written through at once; a
    partial line waits for its newline or ``flush()`` (which releases it up to a possible
    secret's start). Other attributes (``encoding``, ``fileno``, ``isatty``) are the
    wrapped stream's. Bytes written to ``.buffer`` bypass it."""

    def __init__(self, wrapped: IO[str], redactor: Redactor) -> None:
        self.wrapped = wrapped
        self._redactor = redactor
        self._stream = redactor.stream(wrapped)
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        with self._lock:
            if self._stream.finished:
                # After finish() (interpreter exit): whole writes, redacted one by one.
                self.wrapped.write(self._redactor.redact(text))
                return len(text)
            return self._stream.write(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        with self._lock:
            if self._stream.finished:
                self.wrapped.flush()
            else:
                self._stream.flush_partial()

    def finish(self) -> None:
        """Writes out the held partial line (at exit or when unwrapping)."""
        with self._lock:
            self._stream.finish()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)


class _State:
    def __init__(self, redactor: Redactor, record_redactor: RecordRedactor) -> None:
        self.redactor = redactor
        self.record_redactor = record_redactor
        self.factory: Optional[RecordFactory] = None
        self.previous_factory: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()
        self.make_record: Any = logging.Logger.makeRecord
        self.excepthook = sys.excepthook
        self.threading_excepthook = threading.excepthook
        self.unraisablehook = sys.unraisablehook
        self.stdout: Optional[IO[str]] = None
        self.stderr: Optional[IO[str]] = None


_state: Optional[_State] = None
_lock = threading.RLock()


def _write_redacted(text: str) -> None:
    state = _state
    out = state.redactor.redact(text) if state is not None else text
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(out)
        stream.flush()
    except Exception:  # noqa: BLE001 - a broken stderr must not raise from a hook
        pass


def _excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: Optional[TracebackType]
) -> None:
    _write_redacted("".join(traceback.format_exception(exc_type, exc, tb)))


def _threading_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else threading.get_ident()
    text = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
    _write_redacted(f"Exception in thread {name}:\n{text}")


def _unraisablehook(unraisable: Any) -> None:
    if unraisable.err_msg is not None:
        head = f"{unraisable.err_msg}: {unraisable.object!r}\n"
    else:
        head = f"Exception ignored in: {unraisable.object!r}\n"
    text = "".join(
        traceback.format_exception(
            unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback
        )
    )
    _write_redacted(head + text)


def _finish_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, RedactingTextStream):
            try:
                stream.finish()
            except Exception:  # noqa: BLE001 - interpreter shutdown
                pass


def install(*, redactor: Optional[Redactor] = None, streams: bool = False) -> Redactor:
    """Makes every log record safe whatever handler receives it, and uncaught exceptions'
    tracebacks too. Call once at startup; calling again replaces the redactor.

    - ``logging.setLogRecordFactory``: each record's message (rendered with its args),
      ``exc_text`` (rendered from ``exc_info``), ``stack_info`` and string extras are
      redacted once, when the record is made, so ``propagate=False`` loggers with their
      own handlers are covered too.
    - ``sys.excepthook``, ``threading.excepthook``, ``sys.unraisablehook`` write redacted
      tracebacks to ``sys.stderr``.
    - ``streams=True`` also wraps ``sys.stdout`` and ``sys.stderr`` (``print()``,
      ``traceback.print_exc()``).

    Without ``redactor``, ``hush.default_redactor()`` is used (built-in rules plus the
    secrets in ``os.environ`` and ``/run/secrets``). Returns the redactor in use.
    """
    global _state
    if redactor is None:
        from hush import default_redactor

        redactor = default_redactor()
    with _lock:
        if _state is not None:
            uninstall()
        state = _State(redactor, RecordRedactor(redactor))
        state.factory = RecordFactory(state.previous_factory, state.record_redactor)
        logging.setLogRecordFactory(state.factory)

        # Extras are set on the record after the factory returns, in makeRecord: a native
        # makeRecord redacts them (and does logging's own makeRecord's work without a
        # Python frame). It stands for state.make_record, which uninstall() puts back.
        logging.Logger.makeRecord = make_record_method(  # type: ignore[method-assign]
            state.make_record, state.factory
        )
        sys.excepthook = _excepthook
        threading.excepthook = _threading_excepthook
        sys.unraisablehook = _unraisablehook
        if streams:
            state.stdout, state.stderr = sys.stdout, sys.stderr
            if sys.stdout is not None:
                sys.stdout = RedactingTextStream(sys.stdout, redactor)
            if sys.stderr is not None:
                sys.stderr = RedactingTextStream(sys.stderr, redactor)
        _state = state
    return redactor


def uninstall() -> None:
    """Undoes :func:`install` (restores the factory, hooks and streams)."""
    global _state
    with _lock:
        state = _state
        if state is None:
            return
        _finish_streams()
        if logging.getLogRecordFactory() is state.factory:
            logging.setLogRecordFactory(state.previous_factory)
        # A reference to the native makeRecord kept elsewhere stops redacting.
        make_record_method(state.make_record, None)
        logging.Logger.makeRecord = state.make_record  # type: ignore[method-assign]
        sys.excepthook = state.excepthook
        threading.excepthook = state.threading_excepthook
        sys.unraisablehook = state.unraisablehook
        if state.stdout is not None and isinstance(sys.stdout, RedactingTextStream):
            sys.stdout = state.stdout
        if state.stderr is not None and isinstance(sys.stderr, RedactingTextStream):
            sys.stderr = state.stderr
        _state = None


atexit.register(_finish_streams)
