"""Errors a user sees: each names the file (and, where it can, the row and column)."""

from __future__ import annotations


class InputError(Exception):
    """A raw file that cannot be read as its source at all (missing, empty, wrong header)."""


class TooManyRejected(InputError):
    """More rows failed validation than the configured share allows; the run stops."""
