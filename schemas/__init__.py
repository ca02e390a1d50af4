"""Contracts of the raw inputs: one pandera schema per source, and the engine that enforces them.

A schema here is the single declaration of what a valid row is. `schemas.validate` compiles it
to one DuckDB query so a 100M-row register is checked where it lies, without pandas; the same
schema validates a pandas frame with pandera directly (the tests check both engines agree).
"""

from schemas.sources import SOURCES, Source

__all__ = ["SOURCES", "Source"]
