"""The analysts' SQL catalog: warehouse.duckdb, one view per mart over the Parquet files.

View paths are relative to the warehouse folder, so the folder can be copied or moved. DuckDB
resolves relative paths against the working directory and then `file_search_path`; `connect()`
here sets that to the warehouse folder, so it works from any working directory. A plain
`duckdb` shell opened inside the warehouse folder works too (see README).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from kraptemeter.publish import MARTS_DIR, published_marts

CATALOG_FILE = "warehouse.duckdb"
MART_DESCRIPTIONS = {
    "indicators": "Every headline indicator, long: region x period x indicator, with changes",
    "indicator_breakdowns": "Indicators split by education, labour position, sector, occupation",
    "labour_force": "EBB labour force per region and quarter (wide)",
    "llo": "Lifelong-learning participation per region and quarter (wide)",
    "vacancies": "Open and new vacancies per region and quarter (wide)",
    "benefits": "Benefit stocks and flows per region and quarter (wide)",
    "tension": "Labour-market tension with the UWV typering per region and quarter",
    "pressure": "Grey, green and demographic pressure per region and year (wide)",
    "key_figures": "Headline figures of the regional key-figure sheet with their changes",
    "indicators_monthly": "Monthly figures from CBS tables (kept monthly: not a quarter-end stock)",
}


def refresh(warehouse: Path) -> Path:
    """Rebuild the catalog next to the marts and swap it in atomically."""
    target = warehouse / CATALOG_FILE
    building = warehouse / f".{CATALOG_FILE}.building"
    building.unlink(missing_ok=True)
    _copy_reference(warehouse)
    con = duckdb.connect(str(building))
    try:
        con.execute(f"set file_search_path = '{_quote(warehouse)}'")
        for mart in published_marts(warehouse):
            pattern = f"{MARTS_DIR}/{mart}/*/*.parquet"
            con.execute(
                f"create or replace view {mart} as select * from "
                f"read_parquet('{pattern}', hive_partitioning = false, union_by_name = true)"
            )
            description = MART_DESCRIPTIONS.get(mart, "")
            con.execute(f"comment on view {mart} is '{_quote(description)}'")
        con.execute(
            "create or replace view regions as "
            "select * from read_parquet('reference/regions.parquet')"
        )
        con.execute(
            "comment on view regions is 'Every region code with its name, level, classification "
            "year and the codes of the regions above it'"
        )
        if any((warehouse / "quarantine").glob("*/*/rows.parquet")):
            con.execute(
                "create or replace view quarantine as select "
                "split_part(filename, '/', -3) as source, split_part(filename, '/', -2) as period, "
                "_file, _line, _rules, _raw_line from read_parquet('quarantine/*/*/rows.parquet', "
                "union_by_name = true, filename = true)"
            )
        for name in ("observations", "codes"):
            if (warehouse / "cbs" / f"{name}.parquet").is_file():
                con.execute(
                    f"create or replace view cbs_{name} as "
                    f"select * from read_parquet('cbs/{name}.parquet')"
                )
        if any((warehouse / "runs").glob("*.json")):
            con.execute(
                "create or replace view runs as select * from read_json_auto('runs/*.json')"
            )
    finally:
        con.close()
    os.replace(building, target)
    return target


def _copy_reference(warehouse: Path) -> None:
    from kraptemeter.db import connect as connect_memory
    from transforms.run import write_region_hierarchy

    con = connect_memory()
    try:
        write_region_hierarchy(con, warehouse / "reference" / "regions.parquet")
    finally:
        con.close()


def connect(warehouse: Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(warehouse / CATALOG_FILE), read_only=read_only)
    con.execute(f"set file_search_path = '{_quote(warehouse.resolve())}'")
    return con


def _quote(value: object) -> str:
    return str(value).replace("'", "''")
