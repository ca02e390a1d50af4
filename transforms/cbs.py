"""Indicators from landed CBS tables: the CBS models on the staged observations and code lists."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from kraptemeter.core import reference_data as ref
from kraptemeter.core.db import file_literal, read_path, sql_path
from schemas.cbs.tables import TABLES
from transforms.indicators import BY_ID
from transforms.models import refuse_undeclared, run_models
from transforms.regions import build_region_models


def load_cbs_inputs(
    con: duckdb.DuckDBPyConnection, observations: Path, codes: Path
) -> frozenset[str]:
    """Views over the staged CBS observations and code lists, plus the small lookups; returns
    the region models it built (the CBS models read them)."""
    con.execute(
        f"create or replace temp view cbs_observations as "
        f"select * from read_parquet('{file_literal(observations)}')"
    )
    con.execute(
        "create or replace temp view cbs_codes as "
        f"select * from read_parquet('{file_literal(codes)}')"
    )
    con.execute(
        "create or replace temp table cbs_ages as select distinct table_id, code, "
        "regexp_extract(title, '^(\\d+) jaar$', 1)::integer as age from cbs_codes "
        "where regexp_full_match(title, '^\\d+ jaar$')"
    )
    priorities = pa.table(
        {
            "table_id": [t.id for t in TABLES.values()],
            "priority": [t.priority for t in TABLES.values()],
        }
    )
    con.register("cbs_priority_arrow", priorities)
    con.execute("create or replace temp table cbs_table_priority as from cbs_priority_arrow")
    con.unregister("cbs_priority_arrow")
    con.execute(
        "create or replace temp table cbs_region_names as select region_code, "
        "regexp_replace(region_name, ' \\((PV|CR|LD|gemeente)\\)$', '') as region_name, "
        "nullif(provincie_code, '') as provincie_code "
        "from read_csv(?, header = true, all_varchar = true)",
        [read_path(ref.reference_file("cbs_region_names.csv"))],
    )
    return build_region_models(con)


def build_cbs_marts(
    con: duckdb.DuckDBPyConnection, observations: Path, codes: Path, out_dir: Path
) -> dict[tuple[str, str], Path]:
    """Indicators from landed CBS tables: quarters and years into `indicators`, months into
    `indicators_monthly` (partitioned by year); `out_dir/<mart>/<period>.parquet` each."""
    built = load_cbs_inputs(con, observations, codes)
    run_models(con, ["cbs_changes"], built)
    produced = con.execute("select distinct indicator from cbs_changes").fetchall()
    refuse_undeclared({row[0] for row in produced} - BY_ID.keys())
    written = {}
    partitions = con.execute(
        "select distinct case when period_type = 'month' then 'indicators_monthly' "
        "else 'indicators' end, case when period_type = 'month' then left(period, 4) "
        "else period end from cbs_changes"
    ).fetchall()
    for mart, period in sorted(partitions):
        path = out_dir / mart / f"{period}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        monthly = mart == "indicators_monthly"
        con.execute(
            f"copy (select * from cbs_changes where "
            f"{'left(period, 4)' if monthly else 'period'} = $period "
            f"and (period_type = 'month') = $monthly order by all) "
            f"to '{sql_path(path)}' (format parquet, compression zstd)",
            {"period": period, "monthly": monthly},
        )
        written[(mart, period)] = path
    return written
