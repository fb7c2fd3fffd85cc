"""Shared fixtures. Tests never read the host's environment or /run/secrets: every
redactor here is built with ``default_sources=False`` unless a test sets up its own."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Iterator

import pytest

import hush

REPO = Path(__file__).resolve().parents[3]
SECRET = "plum-Orbit-4471"


def require(name: str) -> ModuleType:
    """Imports an optional test dependency: skipped locally when missing, a failure in CI
    (``CI=true``), where the test command installs it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{name} is not installed, but CI=true requires it")
        pytest.skip(f"{name} is not installed")


@pytest.fixture
def redactor() -> hush.Redactor:
    return hush.Redactor(default_sources=False, known=[SECRET])


@pytest.fixture
def clean_install() -> Iterator[None]:
    """Undoes hush.install() and logging changes after the test."""
    import logging

    factory = logging.getLogRecordFactory()
    hooks = (sys.excepthook, sys.unraisablehook)
    yield
    hush.uninstall()
    logging.setLogRecordFactory(factory)
    sys.excepthook, sys.unraisablehook = hooks
