"""Logging integration: RedactingFilter, install(), dictConfig."""

from __future__ import annotations

import io
import logging
import logging.config
from typing import Any, Iterator

import pytest

import hush
import hush.logging
from conftest import SECRET


class BraceMessage:
    """The logging cookbook's {}-style message."""

    def __init__(self, fmt: str, /, *args: Any, **kwargs: Any) -> None:
        self.fmt, self.args, self.kwargs = fmt, args, kwargs

    def __str__(self) -> str:
        return self.fmt.format(*self.args, **self.kwargs)


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO, logging.Handler]]:
    """A fresh non-propagating logger with a formatting handler writing to a buffer."""
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger(f"hush.test.{id(buf)}")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    yield logger, buf, handler
    logger.handlers.clear()


def test_filter_is_a_logging_filter(redactor: hush.Redactor) -> None:
    f = hush.logging.RedactingFilter(redactor)
    assert isinstance(f, logging.Filter)
    assert f.redactor is redactor


def test_percent_args(captured: Any, redactor: hush.Redactor) -> None:
    logger, buf, handler = captured
    handler.addFilter(hush.logging.RedactingFilter(redactor))
    logger.info("user %s logged in with token=%s", "bob", "abc123xyz")
    logger.info("retry %d with %s", 3, SECRET)
    logger.info("plain %s", "message")
    assert buf.getvalue() == (
        "INFO user bob logged in with token=[REDACTED]\n"
        "INFO retry 3 with [REDACTED]\n"
        "INFO plain message\n"
    )


def test_unchanged_records_keep_their_template(redactor: hush.Redactor) -> None:
    record = logging.LogRecord("n", logging.INFO, __file__, 1, "user %s", ("bob",), None)
    hush.logging.RedactingFilter(redactor).filter(record)
    assert record.msg == "user %s" and record.args == ("bob",)
    secret = logging.LogRecord("n", logging.INFO, __file__, 1, "key %s", (SECRET,), None)
    hush.logging.RedactingFilter(redactor).filter(secret)
    assert secret.getMessage() == "key [REDACTED]"


@pytest.mark.parametrize(
    ("template", "args"),
    [
        ("user %s, %d tries, %s s", ("bob", 3, 1.5)),
        ("password=%s", ("hunter2-Zq8",)),  # key in the template, value in the argument
        ("%s%s", ("pass", "word=hunter2-Zq8")),  # key word split across arguments
        ("100%% done, key %s", (SECRET,)),
        ("flags %s %s %d", (True, None, False)),  # bool and None: Python's formatting
        ("%d", (2.5,)),
        ("%r and %5s", (SECRET, "x")),
        ("héllo → %s", ("wörld " + SECRET,)),
        ("surrogate %s", ("\udcff " + SECRET,)),
        ("trailing %s %", ("x",)),
        ("%s", (10**5000,)),  # str() and repr() of the int fail: the filter must not raise
        ("%s and %s", ("only one",)),
        ("no conversion", ("extra",)),
    ],
)
def test_rendering_matches_python(redactor: hush.Redactor, template: str, args: tuple[Any, ...]) -> None:
    """The filter renders plain `%s`/`%d` records itself: what it masks and leaves must be
    what Python's own `msg % args` gives."""
    record = logging.LogRecord("n", logging.INFO, __file__, 1, template, args, None)
    hush.logging.RedactingFilter(redactor).filter(record)
    try:
        expected = redactor.redact(template % args)
    except (TypeError, ValueError):
        # Unformattable: the handler reports `msg` and `args`, which must be redacted.
        assert SECRET not in repr((record.msg, record.args))
        return
    assert record.getMessage() == expected
    if expected == template % args:
        assert record.msg is template and record.args is args


def test_brace_style(captured: Any, redactor: hush.Redactor) -> None:
    logger, buf, handler = captured
    handler.addFilter(hush.logging.RedactingFilter(redactor))
    handler.setFormatter(logging.Formatter("{levelname}: {message}", style="{"))
    logger.warning(BraceMessage("login {user} password={pw}", user="bob", pw="hunter22"))
    assert buf.getvalue() == "WARNING: login bob password=[REDACTED]\n"


def test_exception_traceback_is_redacted(captured: Any, redactor: hush.Redactor) -> None:
    logger, buf, handler = captured
    handler.addFilter(hush.logging.RedactingFilter(redactor))
    try:
        raise ValueError(f"cannot connect with {SECRET}")
    except ValueError:
        logger.exception("failed, api_key=%s", "abcdef123")
    out = buf.getvalue()
    assert SECRET not in out and "abcdef123" not in out
    assert "ValueError: cannot connect with [REDACTED]" in out
    assert out.startswith("ERROR failed, api_key=[REDACTED]\nTraceback")


def test_stack_info_is_redacted(captured: Any, redactor: hush.Redactor) -> None:
    logger, buf, handler = captured
    handler.addFilter(hush.logging.RedactingFilter(redactor))
    logger.warning("checking", stack_info=True) if "password=hunter22xx" else None
    out = buf.getvalue()
    assert "Stack (most recent call last)" in out
    assert "hunter22xx" not in out and "password=[REDACTED]" in out


def test_extras_are_redacted_key_aware(captured: Any, redactor: hush.Redactor) -> None:
    logger, buf, handler = captured
    handler.addFilter(hush.logging.RedactingFilter(redactor))
    handler.setFormatter(logging.Formatter("%(message)s|%(api_key)s|%(user)s|%(note)s|%(count)s"))
    logger.info("hi", extra={"api_key": "abcdef", "user": "bob", "note": f"uses {SECRET}", "count": 3})
    assert buf.getvalue() == "hi|[REDACTED]|bob|uses [REDACTED]|3\n"


def test_extras_set_as_attributes_are_redacted(redactor: hush.Redactor) -> None:
    """Extras a filter or adapter sets as plain attributes (the record's `__dict__` never
    fetched), through `__dict__`, or on a `LogRecord` subclass."""

    class Record(logging.LogRecord):
        pass

    f = hush.logging.RedactingFilter(redactor)
    for make in (logging.LogRecord, Record):
        as_attr = make("n", logging.INFO, __file__, 1, "hi", (), None)
        as_attr.api_key = "abcdef"
        as_attr.note = f"uses {SECRET}"
        as_item = make("n", logging.INFO, __file__, 1, "hi", (), None)
        as_item.__dict__["api_key"] = "abcdef"
        for record in (as_attr, as_item):
            f.filter(record)
            assert record.api_key == "[REDACTED]"
        assert as_attr.note == "uses [REDACTED]"


def test_filter_leaves_the_record_dict_alone(redactor: hush.Redactor) -> None:
    """The filter reads and writes a `LogRecord`'s attributes without fetching its
    `__dict__` (on CPython 3.11+ that would turn the inline attribute values into a dict,
    which slows every later attribute access of the handler): what the garbage collector
    sees of the record stays as it was, masked or not."""
    import gc

    f = hush.logging.RedactingFilter(redactor)
    for args in (("bob",), (SECRET,)):
        record = logging.LogRecord("n", logging.INFO, __file__, 1, "user %s", args, None)
        before = [type(r) for r in gc.get_referents(record)]
        f.filter(record)
        assert [type(r) for r in gc.get_referents(record)] == before
    assert record.getMessage() == "user [REDACTED]"


def test_unformattable_record_is_reported_redacted(
    captured: Any, redactor: hush.Redactor, capsys: pytest.CaptureFixture[str]
) -> None:
    logger, buf, handler = captured
    handler.addFilter(hush.logging.RedactingFilter(redactor))
    logger.info("%s and %s", f"token={SECRET}")  # one argument short
    err = capsys.readouterr().err
    assert "--- Logging error ---" in err
    assert SECRET not in err and SECRET not in buf.getvalue()


def test_dict_config(redactor: hush.Redactor, capsys: pytest.CaptureFixture[str]) -> None:
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "filters": {
                "hush": {
                    "()": "hush.logging.RedactingFilter",
                    "default_sources": False,
                    "known": [SECRET],
                    "mask": "label",
                }
            },
            "formatters": {"plain": {"format": "%(name)s %(message)s"}},
            "handlers": {
                "out": {
                    "class": "logging.StreamHandler",
                    "stream": "ext://sys.stdout",
                    "formatter": "plain",
                    "filters": ["hush"],
                }
            },
            "loggers": {"hush.dictconfig": {"handlers": ["out"], "level": "INFO", "propagate": False}},
        }
    )
    logging.getLogger("hush.dictconfig").info("db password=%s via %s", "hunter22", SECRET)
    assert capsys.readouterr().out == (
        "hush.dictconfig db password=[REDACTED:key:password] via [REDACTED:known:api:1]\n"
    )
    logging.getLogger("hush.dictconfig").handlers.clear()


def test_install_covers_non_propagating_loggers(
    captured: Any, redactor: hush.Redactor, clean_install: None
) -> None:
    logger, buf, handler = captured  # propagate=False, its own handler, no filter
    handler.setFormatter(logging.Formatter("%(message)s %(token)s"))
    assert hush.install(redactor=redactor) is redactor
    logger.info("uvicorn-style %s", SECRET, extra={"token": "abcdefgh"})
    try:
        {}["k"]
    except KeyError:
        logger.exception("boom password=%s", "hunter22", extra={"token": "x"})
    out = buf.getvalue()
    assert out.startswith("uvicorn-style [REDACTED] [REDACTED]\nboom password=[REDACTED] [REDACTED]\n")
    assert "KeyError" in out


def test_install_then_uninstall_restores_the_factory(redactor: hush.Redactor, clean_install: None) -> None:
    before = logging.getLogRecordFactory()
    hush.install(redactor=redactor)
    assert logging.getLogRecordFactory() is not before
    hush.install(redactor=redactor)  # a second call replaces, never stacks
    factory = logging.getLogRecordFactory()
    assert isinstance(factory, hush._hush.RecordFactory) and factory.previous is before
    hush.uninstall()
    assert logging.getLogRecordFactory() is before
    record = logging.getLogger("x").makeRecord("x", 20, "f", 1, "password=hunter22", (), None)
    assert record.getMessage() == "password=hunter22"


def _make_record_calls(logger: logging.Logger) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """makeRecord calls as Logger._log makes them (10 positional arguments) and otherwise."""
    base = (logger.name, logging.INFO, __file__, 7, "login password=%s", ("hunter22",), None)
    return [
        (base + ("fn", {"token": "abcdefgh", "user": "bob"}, None), {}),
        (base, {}),
        (base + ("fn",), {}),
        (base, {"func": "fn", "extra": {"token": "abcdefgh"}}),
        (base[:5], {"args": ("hunter22",), "exc_info": None, "extra": {"token": "abcdefgh"}}),
    ]


def test_install_make_record_matches_loggings_own(redactor: hush.Redactor, clean_install: None) -> None:
    """The native makeRecord makes the records logging's own does, redacted, and fails
    the same way (extras that overwrite, missing or unknown arguments)."""
    logger = logging.getLogger("hush.test.make_record")
    own = logging.Logger.__dict__["makeRecord"]
    made = [own(logger, *args, **kwargs) for args, kwargs in _make_record_calls(logger)]
    hush.install(redactor=redactor)
    native = logging.Logger.__dict__["makeRecord"]
    assert native is not own
    for (args, kwargs), plain in zip(_make_record_calls(logger), made):
        record = logger.makeRecord(*args, **kwargs)
        assert type(record) is logging.LogRecord
        assert sorted(vars(record)) == sorted(vars(plain))
        assert record.getMessage() == "login password=[REDACTED]"
        assert record.funcName == plain.funcName and record.lineno == 7
        if "token" in vars(plain):
            assert record.token == "[REDACTED]"  # type: ignore[attr-defined]
        if "user" in vars(plain):
            assert record.user == "bob"  # type: ignore[attr-defined]
    bad: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        (("n", 20, "f", 1, "m", (), None, None, {"message": "x"}), {}),
        (("n", 20, "f", 1, "m", (), None, None, {"asctime": "x"}), {}),
        (("n", 20, "f", 1, "m", (), None, None, {"lineno": 3}), {}),
        (("n", 20, "f", 1, "m", (), None), {"extra": {"msg": "x"}}),
        (("n", 20, "f", 1, "m", ()), {}),
        (("n", 20, "f", 1, "m", (), None, None, None, None, "extra arg"), {}),
        (("n", 20, "f", 1, "m", (), None), {"bogus": 1}),
        (("n", 20, "f", 1, "m", (), None, None, 5), {}),
    ]
    for args, kwargs in bad:
        with pytest.raises(Exception) as native_error:
            logger.makeRecord(*args, **kwargs)
        with pytest.raises(Exception) as own_error:
            own(logger, *args, **kwargs)
        assert type(native_error.value) is type(own_error.value)
        if isinstance(own_error.value, KeyError):
            assert native_error.value.args == own_error.value.args


def test_install_make_record_follows_a_later_factory(redactor: hush.Redactor, clean_install: None) -> None:
    """A record factory set after install() (wrapping hush's) is the one makeRecord calls."""
    hush.install(redactor=redactor)
    inner = logging.getLogRecordFactory()
    seen = []

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = inner(*args, **kwargs)
        seen.append(record)
        return record

    logging.setLogRecordFactory(factory)
    logger = logging.getLogger("hush.test.later_factory")
    record = logger.makeRecord(logger.name, 20, "f", 1, "password=%s", ("hunter22",), None, None, {"token": "abcdefgh"})
    assert seen == [record]
    assert record.getMessage() == "password=[REDACTED]"
    assert record.token == "[REDACTED]"  # type: ignore[attr-defined]


def test_install_keeps_a_make_record_replaced_before(redactor: hush.Redactor, clean_install: None) -> None:
    """A makeRecord another library set before install() still runs; uninstall() puts it back."""
    own = logging.Logger.__dict__["makeRecord"]
    calls = []

    def makeRecord(self: logging.Logger, *args: Any, **kwargs: Any) -> logging.LogRecord:
        calls.append(args)
        record: logging.LogRecord = own(self, *args, **kwargs)
        record.wrapped = True  # type: ignore[attr-defined]
        return record

    logging.Logger.makeRecord = makeRecord  # type: ignore[method-assign]
    try:
        hush.install(redactor=redactor)
        logger = logging.getLogger("hush.test.replaced")
        for args, kwargs in _make_record_calls(logger):
            record = logger.makeRecord(*args, **kwargs)
            assert record.wrapped  # type: ignore[attr-defined]
            assert record.getMessage() == "login password=[REDACTED]"
            if "token" in vars(record):
                assert record.token == "[REDACTED]"  # type: ignore[attr-defined]
        assert len(calls) == len(_make_record_calls(logger))
        hush.uninstall()
        assert logging.Logger.__dict__["makeRecord"] is makeRecord
    finally:
        logging.Logger.makeRecord = own  # type: ignore[method-assign]


def test_install_make_record_in_subclasses_and_after_uninstall(
    redactor: hush.Redactor, clean_install: None
) -> None:
    own = logging.Logger.__dict__["makeRecord"]

    class Logger(logging.Logger):
        def makeRecord(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
            record = super().makeRecord(*args, **kwargs)
            record.sub = True  # type: ignore[attr-defined]
            return record

    sub = Logger("hush.test.sub")
    hush.install(redactor=redactor)
    hush.install(redactor=redactor)  # replaces, never stacks
    native = logging.Logger.makeRecord
    record = sub.makeRecord("n", 20, "f", 1, "password=%s", ("hunter22",), None, None, {"token": "abcdefgh"})
    assert record.sub and record.getMessage() == "password=[REDACTED]"  # type: ignore[attr-defined]
    assert record.token == "[REDACTED]"  # type: ignore[attr-defined]
    hush.uninstall()
    assert logging.Logger.__dict__["makeRecord"] is own
    # A reference kept past uninstall() makes records as logging does, unredacted.
    record = native(sub, "n", 20, "f", 1, "password=%s", ("hunter22",), None, None, {"token": "abcdefgh"})
    assert record.getMessage() == "password=hunter22"
    assert record.token == "abcdefgh"  # type: ignore[attr-defined]


def test_install_over_its_own_make_record_does_not_recurse(redactor: hush.Redactor, clean_install: None) -> None:
    """An install() that finds the native makeRecord in place (its state lost, as after a
    reload of the facade) wraps the function that one replaced, not itself."""
    import hush._install

    own = logging.Logger.__dict__["makeRecord"]
    hush.install(redactor=redactor)
    native = logging.Logger.__dict__["makeRecord"]
    hush._install._state = None
    try:
        hush.install(redactor=redactor)
        assert logging.Logger.__dict__["makeRecord"] is native
        logger = logging.getLogger("hush.test.reinstall")
        record = logger.makeRecord("n", 20, "f", 1, "password=%s", ("hunter22",), None, None, {"token": "abcdefgh"})
        assert record.getMessage() == "password=[REDACTED]"
        assert record.token == "[REDACTED]"  # type: ignore[attr-defined]
    finally:
        hush.uninstall()
        logging.Logger.makeRecord = own  # type: ignore[method-assign]


@pytest.mark.parametrize(
    ("msg", "args", "expected"),
    [
        ("user %s password=%s", ("bob", "hunter22"), "user bob password=[REDACTED]"),
        ("password=%s", ("hunter22",), "password=[REDACTED]"),
        ("count %d", (3,), "count 3"),
        ("password=%(pw)s", ({"pw": "hunter22"},), "password=[REDACTED]"),
        ("password=%s", (["hunter22"],), "password=['[REDACTED]']"),
        ("password=%s", "hunter22", "password=[REDACTED]"),
        ("password=hunter22", (), "password=[REDACTED]"),
        ("password=hunter22", None, "password=[REDACTED]"),
    ],
)
def test_install_redacts_whatever_args_makerecord_gets(
    captured: Any, redactor: hush.Redactor, clean_install: None, msg: str, args: Any, expected: str
) -> None:
    """The native makeRecord takes the record's fields from its arguments where
    LogRecord.__init__ stores them as given, and reads them back where it does not (a
    1-tuple holding a mapping becomes the mapping)."""
    logger, buf, _ = captured
    hush.install(redactor=redactor)
    record = logger.makeRecord(logger.name, logging.INFO, __file__, 1, msg, args, None)
    assert record.getMessage() == expected
    logger.handle(record)
    assert buf.getvalue() == f"INFO {expected}\n"


def test_install_follows_a_replaced_logrecord_init(captured: Any, redactor: hush.Redactor, clean_install: None) -> None:
    """LogRecord.__init__ replaced after install() (here: it prefixes the message) is
    honoured: the record is redacted as it was made, not as the arguments were."""
    logger, buf, _ = captured
    hush.install(redactor=redactor)
    own = logging.LogRecord.__dict__["__init__"]

    def __init__(self: logging.LogRecord, *args: Any, **kwargs: Any) -> None:
        own(self, *args, **kwargs)
        self.msg = f"via {SECRET}: {self.msg}"

    logging.LogRecord.__init__ = __init__  # type: ignore[method-assign]
    try:
        logger.info("user %s", "bob")
        logger.info("user %s", "bob", exc_info=ValueError("x"))
    finally:
        logging.LogRecord.__init__ = own  # type: ignore[method-assign]
    logger.info("user %s", "bob")
    out = buf.getvalue().splitlines()
    assert out[0] == "INFO via [REDACTED]: user bob"
    assert out[1] == "INFO via [REDACTED]: user bob" and out[-2] == "ValueError: x"
    assert out[-1] == "INFO user bob"


def test_filter_reads_records_whatever_their_attribute_lookup(redactor: hush.Redactor) -> None:
    """A LogRecord class given __getattr__ (its attribute lookup no longer object's own)
    and records missing standard attributes are read as getattr reads them."""
    f = hush.logging.RedactingFilter(redactor)

    def make() -> logging.LogRecord:
        return logging.LogRecord("n", logging.INFO, __file__, 1, "password=%s", ("hunter22",), None)

    record = make()
    del record.stack_info
    del record.exc_info
    assert f.filter(record) and record.getMessage() == "password=[REDACTED]"
    logging.LogRecord.__getattr__ = lambda self, name: f"{SECRET}" if name == "stack_info" else None  # type: ignore[attr-defined]
    try:
        record = make()
        del record.stack_info  # now answered by __getattr__
        assert f.filter(record) and record.getMessage() == "password=[REDACTED]"
        assert record.stack_info == "[REDACTED]"
    finally:
        del logging.LogRecord.__getattr__  # type: ignore[attr-defined]
