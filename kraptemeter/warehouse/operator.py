"""The operator catalog: <work folder>/operator.duckdb, for the engineers who run the pipeline.

Private, like the rest of the work folder: `quarantine` has every rejected row with its
source, period, delivery, file, line, the rules it broke and its values as delivered (and the
line as written where the CSV reader could not split it); `runs` has the full record of every
run, its message included. Rebuilt beside the old file and swapped in at the end of each run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from kraptemeter.core.db import file_literal, read_path
from kraptemeter.warehouse.catalog import RUN_COLUMNS
from kraptemeter.warehouse.layout import WorkFolder

# Columns every quarantine file has; the rest are the source's columns as delivered.
_BOOKKEEPING = ("_file", "_line", "_rules", "_raw_line")

QUARANTINE_DESCRIPTION = (
    "Every rejected input row: source, period, delivery (sha256), file, line, the rules it "
    "broke, its values as delivered and the line as written where the reader could not split it"
)


def refresh(work: WorkFolder) -> Path:
    target = work.operator_catalog
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f".{target.name}.building")
    building.unlink(missing_ok=True)
    con = duckdb.connect(str(building))
    try:
        _create_quarantine(con, work)
        _create_runs(con, work)
    finally:
        con.close()
    os.replace(building, target)
    return target


def _create_quarantine(con: duckdb.DuckDBPyConnection, work: WorkFolder) -> None:
    parts = []
    pattern = work.quarantined_rows("*", "*", "*").relative_to(work.root)
    for path in sorted(work.root.glob(str(pattern))):
        delivered = [n for n in pq.read_schema(path).names if n not in _BOOKKEEPING]
        names = ", ".join(f"'{_quote(n)}'" for n in delivered)
        values = ", ".join('"' + n.replace('"', '""') + '"::varchar' for n in delivered)
        parts.append(
            f"select '{_quote(path.parts[-4])}' as source, '{_quote(path.parts[-3])}' as period, "
            f"'{_quote(path.parts[-2])}' as delivery, _file as file, _line as line, "
            f"_rules as rules, map([{names}]::varchar[], [{values}]::varchar[]) as delivered, "
            f"_raw_line as raw_line from read_parquet('{file_literal(path)}')"
        )
    query = (
        " union all ".join(parts)
        if parts
        else (
            "select null::varchar as source, null::varchar as period, null::varchar as delivery, "
            "null::varchar as file, null::bigint as line, null::varchar[] as rules, "
            "null::map(varchar, varchar) as delivered, null::varchar as raw_line limit 0"
        )
    )
    con.execute(
        f"create or replace table quarantine as select * from ({query}) "
        "order by source, period, delivery, file, line"
    )
    con.execute(f"comment on table quarantine is '{_quote(QUARANTINE_DESCRIPTION)}'")


def _create_runs(con: duckdb.DuckDBPyConnection, work: WorkFolder) -> None:
    readable = []
    for path in sorted(work.runs.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and {"run_id", "outcome"} <= record.keys():
            readable.append(path)
    if readable:
        con.execute(
            "create or replace table runs as select * from read_json_auto($files, "
            "union_by_name = true, columns = " + RUN_COLUMNS + ") order by started, run_id",
            {"files": [read_path(path) for path in readable]},
        )
        con.execute("comment on table runs is 'The full record of every run, its message included'")


def connect(work: Path | WorkFolder) -> duckdb.DuckDBPyConnection:
    """The operator catalog, read-only (attached, so a rebuilt file is seen afresh)."""
    folder = work if isinstance(work, WorkFolder) else WorkFolder(work)
    con = duckdb.connect(":memory:")
    con.execute(f"attach '{_quote(folder.operator_catalog)}' as operator (read_only)")
    con.execute("use operator")
    return con


def _quote(value: object) -> str:
    return str(value).replace("'", "''")
