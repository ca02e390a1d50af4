"""DuckDB connections configured the same way everywhere."""

from __future__ import annotations

import os
import re
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


def read_path(path) -> str:
    """A path for DuckDB's file readers, taken literally. They expand `*`, `?` and `[...]`
    anywhere in a path, so a folder named `raw[1]` would read `raw1`'s files instead; each
    such character is matched as a one-character class."""
    return re.sub(r"([*?\[\]])", r"[\1]", str(path))


def file_literal(path) -> str:
    """A single file for `read_parquet('...')`: taken literally, quoted for a SQL literal."""
    return sql_path(read_path(path))
