"""The region reference every model joins on, and the `regions` hierarchy of the catalog."""

from __future__ import annotations

from pathlib import Path

import duckdb

from kraptemeter.core import reference_data as ref
from kraptemeter.core.db import read_path, sql_path
from transforms.models import model_sql, run_models


def load_region_reference(con: duckdb.DuckDBPyConnection) -> None:
    """The shipped region reference as `region_reference`, and its classification year."""
    con.execute(
        "create or replace temp table region_reference as "
        "select * from read_csv(?, header = true, all_varchar = true)",
        [read_path(ref.regions_csv())],
    )
    con.execute("set variable classification_year = ?", [ref.CLASSIFICATION_YEAR])


def build_region_models(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """`regions` and `region_membership` (what every roll-up joins on); returns their names."""
    load_region_reference(con)
    return run_models(con, ["regions"])


def write_region_hierarchy(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    """The `regions` reference of the catalog: every region with the codes above it."""
    load_region_reference(con)
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"copy ({model_sql('region_hierarchy')}) to '{sql_path(path)}' (format parquet)")
    return path
