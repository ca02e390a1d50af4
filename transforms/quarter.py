"""Run the SQL models of one quarter on validated staging files and write candidate marts.

The models in sql/ run in MODEL_ORDER, each into a temp table named after its file; the marts
in sql/marts/ (and the long `indicators` and `indicator_breakdowns`) are then written to
Parquet in a candidate folder, which publishing moves into the warehouse.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import duckdb
import pyarrow as pa

from kraptemeter.core import reference_data as ref
from kraptemeter.core.db import sql_path
from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import SurveyRules
from schemas import SOURCES
from schemas.compiler import sql_columns
from transforms.indicators import INDICATORS
from transforms.models import model_sql, run_models
from transforms.regions import build_region_models

SURVEY_MODELS = ("survey_sample", "survey_design", "survey_estimates", "survey_published")
MODEL_ORDER = (
    "vacancies",
    "benefits",
    "base_indicators",
    "derived",
    "pressure",
    "vacancy_breakdowns",
    "indicators",
    "indicator_breakdowns",
)


LONG_MARTS = ("indicators", "indicator_breakdowns")
WIDE_MARTS = ("labour_force", "llo", "vacancies", "benefits", "tension", "pressure", "key_figures")
YEARLY_MARTS = ("pressure",)


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
        if path is not None:
            # Fractional columns (survey weights) are summed as decimals: exact, so a re-run
            # gives byte-identical marts (parallel double sums differ in the last bits).
            con.execute(
                f"create or replace temp view stg_{name} as "
                f"select {_staged_columns(source.schema_for(quarter))} "
                f"from read_parquet('{sql_path(path)}')"
            )
        else:  # a missing source yields no rows, so the indicators it feeds are simply absent
            columns = ", ".join(f'"{c}" {t}' for c, t in sql_columns(source.schema_for(quarter)))
            con.execute(f"create or replace temp table stg_{name} ({columns})")
    if published_indicators:
        files = ", ".join(f"'{sql_path(p)}'" for p in published_indicators)
        con.execute(
            "create or replace temp view published_indicators as select region_code, period, "
            f"period_type, indicator, value from read_parquet([{files}], union_by_name = true)"
        )
    else:
        con.execute(
            "create or replace temp table published_indicators (region_code varchar, "
            "period varchar, period_type varchar, indicator varchar, value double)"
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
    con: duckdb.DuckDBPyConnection, quarter: Quarter, variant: str, ebb_files: list[Path]
) -> None:
    """Survey estimates on one input: the quarter's respondents, or four quarters pooled.

    Pooled, each quarter keeps its own strata and a quarter of its weight, so totals are
    averages over the four quarters and rates are ratios of those averages.
    """
    if ebb_files:
        files = ", ".join(f"'{sql_path(p)}'" for p in ebb_files)
        con.execute(
            "create or replace temp view survey_input as select * "
            # a quarter of each weight stays an exact decimal (six places / 4 -> eight)
            f"replace ((weight / {len(ebb_files)})::decimal(38, 10) as weight) from ("
            f"select {_staged_columns(SOURCES['ebb'].schema_for(quarter))} "
            f"from read_parquet([{files}], union_by_name = true))"
        )
    else:
        con.execute("create or replace temp view survey_input as select * from stg_ebb limit 0")
    run_models(con, SURVEY_MODELS)
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
) -> dict[tuple[str, str], Path]:
    """Run every model for `quarter`; write each mart's periods to `out_dir/<mart>/period=P`.

    `rolling_ebb`: the accepted EBB files of the four quarters ending with this one, when all
    four are there (for the rolling four-quarter survey estimates).
    """
    rules = rules or SurveyRules()
    _load_inputs(con, quarter, accepted, published_indicators)
    _set_variables(con, quarter)
    con.execute("set variable survey_min_respondents = ?", [rules.min_respondents])
    con.execute("set variable survey_total_rounding = ?", [rules.total_rounding])
    con.execute("set variable survey_cluster_by_household = ?", [rules.clusters == "household"])
    build_region_models(con)
    ebb = accepted.get("ebb")
    _run_survey(con, quarter, "quarter", [ebb] if ebb else [])
    _run_survey(con, quarter, "rolling", rolling_ebb or [])
    run_models(con, MODEL_ORDER)
    written = {}
    for mart in LONG_MARTS + WIDE_MARTS:
        query = f"select * from {mart}" if mart in LONG_MARTS else model_sql(mart, "sql/marts")
        con.execute(f"create or replace temp table candidate as {query}")
        periods = [
            row[0] for row in con.execute("select distinct period from candidate").fetchall()
        ]
        for period in sorted(periods):
            path = out_dir / mart / f"period={period}" / "data.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            # Sorted so files are stable byte for byte and a dashboard filtering on one region
            # reads few row groups.
            con.execute(
                f"copy (select * from candidate where period = $period order by all) "
                f"to '{sql_path(path)}' (format parquet, compression zstd)",
                {"period": period},
            )
            written[(mart, period)] = path
    con.execute("drop table candidate")
    return written
