"""Run the SQL models of one quarter on validated staging files and write candidate marts.

Every mart in sql/marts/ is built with the models it reads, in the registry's order
(transforms/models.py), each into a temp table named after its file; the marts are then
written to Parquet in a candidate folder, which publishing moves into the warehouse.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import duckdb
import pyarrow as pa

from kraptemeter.core import reference_data as ref
from kraptemeter.core.db import file_literal, sql_path
from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import SurveyRules
from schemas import SOURCES
from schemas.compiler import sql_columns
from schemas.staged import empty_summary_sql
from transforms.indicators import INDICATORS
from transforms.models import audit, refuse_undeclared, registry, run_models
from transforms.regions import build_region_models


def _load_inputs(
    con: duckdb.DuckDBPyConnection,
    quarter: Quarter,
    accepted: dict[str, Path | None],
    published_indicators: list[Path],
) -> None:
    catalog = pa.Table.from_pylist([asdict(indicator) for indicator in INDICATORS])
    con.register("indicator_catalog_arrow", catalog)
    con.execute(
        "create or replace temp table indicator_catalog as select * from indicator_catalog_arrow"
    )
    con.unregister("indicator_catalog_arrow")
    for name, source in SOURCES.items():
        path = accepted.get(name)
        if source.staged_as is not None:  # staged as a summary of its rows (the registers)
            summary = (
                f"select * from read_parquet('{file_literal(path)}')"
                if path is not None
                else empty_summary_sql(source.staged_as, source.schema_for(quarter))
            )
            con.execute(f"create or replace temp table stg_{name} as {summary}")
        elif path is not None:
            # Fractional columns (survey weights) are summed as decimals: exact, so a re-run
            # gives byte-identical marts (parallel double sums differ in the last bits).
            con.execute(
                f"create or replace temp view stg_{name} as "
                f"select {_staged_columns(source.schema_for(quarter))} "
                f"from read_parquet('{file_literal(path)}')"
            )
        else:  # a missing source yields no rows, so the indicators it feeds are simply absent
            columns = ", ".join(f'"{c}" {t}' for c, t in sql_columns(source.schema_for(quarter)))
            con.execute(f"create or replace temp table stg_{name} ({columns})")
    if published_indicators:
        files = ", ".join(f"'{file_literal(p)}'" for p in published_indicators)
        con.execute(
            "create or replace temp view published_indicators as select region_code, period, "
            "period_type, indicator, value, ci_low, ci_high "
            f"from read_parquet([{files}], union_by_name = true)"
        )
    else:
        con.execute(
            "create or replace temp table published_indicators (region_code varchar, "
            "period varchar, period_type varchar, indicator varchar, value double, "
            "ci_low double, ci_high double)"
        )


def _staged_columns(schema) -> str:
    """The schema's columns of an accepted file. Fractional columns (survey weights) are read
    as decimals: summed exactly, so a re-run gives byte-identical marts."""
    return ", ".join(
        f'"{c}"::decimal(38, 6) as "{c}"' if t == "DOUBLE" else f'"{c}"'
        for c, t in sql_columns(schema)
    )


def _set_variables(con: duckdb.DuckDBPyConnection, quarter: Quarter) -> None:
    variables = {
        "period_label": quarter.label,
        "period_start": quarter.start,
        "period_end": quarter.end,
        "previous_quarter": quarter.previous().label,
        "year_earlier_quarter": quarter.year_earlier().label,
        "year_label": str(quarter.year),
        "previous_year": str(quarter.year - 1),
        "classification_year": ref.CLASSIFICATION_YEAR,
    }
    for name, value in variables.items():
        con.execute(f"set variable {name} = ?", [value])


def _run_survey(
    con: duckdb.DuckDBPyConnection,
    quarter: Quarter,
    variant: str,
    ebb_files: list[Path],
    built: frozenset[str],
) -> None:
    """Survey estimates on one input: the quarter's respondents, or four quarters pooled.

    Pooled, each quarter keeps its own strata and a quarter of its weight, so totals are
    averages over the four quarters and rates are ratios of those averages.
    """
    if ebb_files:
        files = ", ".join(f"'{file_literal(p)}'" for p in ebb_files)
        con.execute(
            "create or replace temp view survey_input as select * "
            # a quarter of each weight stays an exact decimal (six places / 4 -> eight)
            f"replace ((weight / {len(ebb_files)})::decimal(38, 10) as weight) from ("
            f"select {_staged_columns(SOURCES['ebb'].schema_for(quarter))} "
            f"from read_parquet([{files}], union_by_name = true))"
        )
    else:
        con.execute("create or replace temp view survey_input as select * from stg_ebb limit 0")
    # the survey models read `survey_input`, so they run once per variant and are kept as
    # survey_published_<variant> and survey_estimates_<variant> for the models after them
    run_models(con, ["survey_published"], built)
    con.execute(f"create or replace temp table survey_published_{variant} as from survey_published")
    con.execute(f"create or replace temp table survey_estimates_{variant} as from survey_estimates")


def build_marts(
    con: duckdb.DuckDBPyConnection,
    quarter: Quarter,
    accepted: dict[str, Path | None],
    published_indicators: list[Path],
    out_dir: Path,
    rolling_ebb: list[Path] | None = None,
    rules: SurveyRules | None = None,
    origin: str = "pipeline",
) -> dict[tuple[str, str], Path]:
    """Run every model for `quarter`; write each mart's periods to `out_dir/<mart>/<P>.parquet`.

    `rolling_ebb`: the accepted EBB files of the four quarters ending with this one, when all
    four are there (for the rolling four-quarter survey estimates). `origin`: every row's
    `source`, `pipeline` or `sample` (made from the shipped sample's deliveries).
    """
    if origin not in ("pipeline", "sample"):
        raise ValueError(f"origin must be pipeline or sample, not {origin!r}")
    rules = rules or SurveyRules()
    _load_inputs(con, quarter, accepted, published_indicators)
    _set_variables(con, quarter)
    con.execute("set variable figure_source = ?", [origin])
    con.execute("set variable survey_min_respondents = ?", [rules.min_respondents])
    con.execute("set variable survey_total_rounding = ?", [rules.total_rounding])
    con.execute("set variable survey_cluster_by_household = ?", [rules.clusters == "household"])
    built = build_region_models(con)
    ebb = accepted.get("ebb")
    _run_survey(con, quarter, "quarter", [ebb] if ebb else [], built)
    _run_survey(con, quarter, "rolling", rolling_ebb or [], built)
    marts = registry().marts()
    run_models(con, marts, built)
    _refuse_undeclared_indicators(con)
    return _write_marts(con, marts, out_dir)


def _refuse_undeclared_indicators(con: duckdb.DuckDBPyConnection) -> None:
    """The indicators mart joins the declaration: an indicator a model produces but
    transforms/indicators/ does not declare would vanish from it without a word."""
    refuse_undeclared([row[0] for row in audit(con, "undeclared_indicators")])


def _write_marts(
    con: duckdb.DuckDBPyConnection, marts: tuple[str, ...], out_dir: Path
) -> dict[tuple[str, str], Path]:
    """Each mart's periods to `out_dir/<mart>/<period>.parquet`, for publishing to place."""
    written = {}
    for mart in marts:
        periods = [row[0] for row in con.execute(f"select distinct period from {mart}").fetchall()]
        for period in sorted(periods):
            path = out_dir / mart / f"{period}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            # Sorted so files are stable byte for byte and a dashboard filtering on one region
            # reads few row groups.
            con.execute(
                f"copy (select * from {mart} where period = $period order by all) "
                f"to '{sql_path(path)}' (format parquet, compression zstd)",
                {"period": period},
            )
            written[(mart, period)] = path
    return written
