"""DuckDB connections configured the same way everywhere."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb

# Memory does not grow with the data: DuckDB spills to disk beyond this (override with
# KRAPTEMETER_MEMORY_LIMIT, e.g. '8GB').
MEMORY_LIMIT = os.environ.get("KRAPTEMETER_MEMORY_LIMIT", "2GB")
SPILL_DIRECTORY = Path(tempfile.gettempdir()) / "kraptemeter-duckdb"


def connect(database: str = ":memory:", read_only: bool = False) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(
        database,
        read_only=read_only,
        config={"memory_limit": MEMORY_LIMIT, "temp_directory": str(SPILL_DIRECTORY)},
    )
    # Row order must follow the file so line numbers and output order are reproducible.
    con.execute("set preserve_insertion_order = true")
    return con


def sql_path(path) -> str:
    """A path as a SQL string literal's content, for COPY TO (which takes no bind parameter).
    Only paths the pipeline builds itself go through here, never raw input."""
    return str(path).replace("'", "''")
