"""Exception classes (plain Python so they can inherit from the built-in errors)."""

from __future__ import annotations

__all__ = ["HushError", "ConfigError", "SourceError"]


class HushError(Exception):
    """Base class of every error hush raises. Messages never contain secret values."""


class ConfigError(HushError, ValueError):
    """The configuration, a rule, the mask name or the hash key is invalid."""


class SourceError(HushError, OSError):
    """A configured file (config, secrets directory, hash key) could not be read."""
