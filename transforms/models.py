"""The SQL models: where their files lie and how one runs into a temp table of its name."""

from __future__ import annotations

from importlib import resources

import duckdb


def model_sql(name: str, folder: str = "sql") -> str:
    return (resources.files("transforms") / folder / f"{name}.sql").read_text(encoding="utf-8")


def run_models(con: duckdb.DuckDBPyConnection, names, folder: str = "sql") -> None:
    """Each model, in the order given, into a temp table named after it."""
    for name in names:
        con.execute(f"create or replace temp table {name} as {model_sql(name, folder)}")
