"""What a delivery is staged as when the transforms read a summary of it, not its rows.

The registers are read only as counts of spells per gemeente x scheme (benefit_counts), so a
register delivery is staged as those counts (`sql/spell_counts.sql`), counted in the same pass
over the file that validates it: ten million spells are read once, and never written. Every
other source is staged as its validated rows (the survey's rolling windows read earlier
quarters' respondents again).

A summary's SQL reads the delivery's accepted rows as `accepted_rows` and has a column `rows`
(the accepted rows it counts); it is computed from the accepted rows only, so a refused
delivery leaves no summary, as it leaves no rows.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb
import pandera.pandas as pa

from kraptemeter.core.db import file_literal, sql_path
from schemas.compiler import ident, sql_columns
from schemas.ingest import Ingested
from schemas.typed_read import over_typed_rows


def summary_sql(name: str) -> str:
    """The SQL of the summary `name` (schemas/sql/<name>.sql), over `accepted_rows`."""
    return (resources.files("schemas") / "sql" / f"{name}.sql").read_text("utf-8")


def empty_summary_sql(name: str, schema: pa.DataFrameSchema) -> str:
    """The summary `name` with no rows (a source without a delivery), its columns typed as
    when it counts rows of `schema`."""
    nulls = ", ".join(f"null::{t} as {ident(c)}" for c, t in sql_columns(schema))
    return f"with accepted_rows as (select {nulls} limit 0) select * from ({summary_sql(name)})"


# The exact pass's accepted rows of a summarised source, kept only until summarised.
ROWS_TO_SUMMARISE = "accepted_rows_to_summarise.parquet"


def write_summary(con: duckdb.DuckDBPyConnection, name: str, rows: Path, path: Path) -> None:
    """The summary `name` of the accepted rows in `rows` to `path`."""
    con.execute(
        f"""copy (
            with accepted_rows as (select * from read_parquet('{file_literal(rows)}'))
            select * from ({summary_sql(name)})
        ) to '{sql_path(path)}' (format parquet)"""
    )


def summarised_clean_pass(
    con: duckdb.DuckDBPyConnection,
    schema: pa.DataFrameSchema,
    ingested: Ingested,
    name: str,
    path: Path,
) -> bool:
    """The clean pass of a summarised source, fused: the file streamed
    through the strict typed reader (schemas/typed_read.py), every rule and unique key checked
    and the summary counted in one query. Writes the summary to `path` and returns True when
    no row broke a rule and the keys are unique; False (nothing written) on any doubt."""
    counted = over_typed_rows(
        con,
        ingested.raw_file,
        schema,
        ingested.columns,
        lambda checked_rows: con.sql(_fused_sql(schema, name, checked_rows)).to_arrow_table(),
    )
    if counted is None:
        return False
    checks = counted.slice(0, 1).to_pylist()[0]
    rows = checks["_rows"]
    keys = [v for k, v in checks.items() if k.startswith("_distinct_")]
    if checks["_failed_rows"] or any(n != rows for n in keys):
        return False
    present = counted.filter(counted["_present"])
    con.register("counted", present.drop_columns([k for k in checks if k.startswith("_")]))
    try:
        con.execute(f"copy (select * from counted) to '{sql_path(path)}' (format parquet)")
    finally:
        con.unregister("counted")
    return True


def _fused_sql(schema: pa.DataFrameSchema, name: str, checked_rows: str) -> str:
    """One row per summary row (`_present`; one row without when there is none), each with
    the file's checks: rows, failed rows and distinct values of every unique key.

    The checked rows are materialized once for two readers, the checks and the summary (the
    stream cannot be read twice); unique keys are kept only as hashes, 8 bytes a key. Two
    keys that hash alike count as one, which at worst sends the file to the exact pass."""
    key_columns = [c for c, column in schema.columns.items() if column.unique]
    hashed = [f"if({ident(c)} is null, null, hash({ident(c)})) as _key_{c}" for c in key_columns]
    distinct = [
        f"count(distinct _key_{c}) + count(*) filter (where _key_{c} is null) as _distinct_{c}"
        for c in key_columns
    ]
    if schema.unique:
        hashed.append(f"hash(row({', '.join(ident(c) for c in schema.unique)})) as _key")
        distinct.append("count(distinct _key) as _distinct_key")
    dropped = [*key_columns, *(schema.unique or [])]
    exclude = f" exclude ({', '.join(ident(c) for c in dict.fromkeys(dropped))})" if dropped else ""
    return f"""
        with accepted_rows as materialized (
            select *{exclude}{"".join(", " + h for h in hashed)}
            from ({checked_rows})
        ),
        checks as (
            select count(*) as _rows, count(*) filter (where _failed) as _failed_rows
                   {"".join(", " + d for d in distinct)}
            from accepted_rows
        ),
        summary as (select *, true as _present from ({summary_sql(name)}))
        select * from checks left join summary on true
    """
