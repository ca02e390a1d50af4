"""DuckDB connections configured the same way everywhere."""

from __future__ import annotations

import duckdb


def connect(database: str = ":memory:", read_only: bool = False) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(database, read_only=read_only)
    # Row order must follow the file so line numbers and output order are reproducible.
    con.execute("set preserve_insertion_order = true")
    return con
