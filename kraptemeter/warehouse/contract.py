"""One schema per mart: every partition file of a mart, whichever source wrote it (the raw
extracts' `data.parquet`, the CBS tables' `cbs.parquet`), has exactly the same columns, in the
same order, with the same types, every column nullable, and each field carrying its
description and unit in the Parquet field metadata (from column_docs).

Publishing conforms each candidate file to its mart's schema before it is placed: columns are
put in the declared order and cast (a count is an integer; a cast that would lose a fraction
fails rather than round), and a candidate with a column too many or too few is refused, so a
model that drifts from the contract stops the run instead of splitting a mart in two.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from kraptemeter.warehouse.column_docs import describe, unit_of
from transforms.indicators import INDICATORS

STRING, DOUBLE, INT64, INT32, BOOL = pa.string(), pa.float64(), pa.int64(), pa.int32(), pa.bool_()

# Every mart's rows start with the region and the period.
_REGION_PERIOD = [
    ("region_code", STRING),
    ("region_name", STRING),
    ("region_level", STRING),
    ("period", STRING),
]

# The columns every wide mart starts with (one row per region and period).
_WIDE_KEYS = [
    *_REGION_PERIOD,
    ("period_type", STRING),
    ("classification_year", INT32),
    ("source", STRING),
]

# A survey-based value with its interval and publication status.
_ESTIMATE = [
    ("value", DOUBLE),
    ("unit", STRING),
    ("ci_low", DOUBLE),
    ("ci_high", DOUBLE),
    ("respondents", INT64),
    ("status", STRING),
]

# The changes on the previous quarter and a year earlier, their arrows and significance.
_CHANGES = [
    ("change_prev_quarter", DOUBLE),
    ("direction_prev_quarter", STRING),
    ("change_significant_prev_quarter", BOOL),
    ("change_prev_year", DOUBLE),
    ("direction_prev_year", STRING),
    ("change_significant_prev_year", BOOL),
]

_INDICATORS = [
    *_REGION_PERIOD,
    ("period_type", STRING),
    ("indicator", STRING),
    *_ESTIMATE,
    ("label", STRING),
    *_CHANGES,
    ("classification_year", INT32),
    ("source", STRING),
    ("recommended", BOOL),
]

_LONG = {
    "indicators": _INDICATORS,
    "indicators_monthly": _INDICATORS,  # CBS monthly series: the same shape, per year
    "indicator_breakdowns": [
        *_REGION_PERIOD,
        ("period_type", STRING),
        ("indicator", STRING),
        ("breakdown", STRING),
        ("category", STRING),
        ("rank", INT32),
        *_ESTIMATE,
        ("classification_year", INT32),
        ("source", STRING),
    ],
    "key_figures": [
        *_REGION_PERIOD,
        ("position", INT32),
        ("indicator", STRING),
        ("value", DOUBLE),
        ("unit", STRING),
        ("label", STRING),
        ("status", STRING),
        *_CHANGES,
        ("value_period", STRING),
        ("value_period_type", STRING),
        ("classification_year", INT32),
        ("source", STRING),
    ],
    "tension": [
        *_WIDE_KEYS,
        ("uwv_tension", DOUBLE),
        ("uwv_tension_class", STRING),
        ("open_vacancies", None),
        ("ww_short_duration", None),
        ("vacancies_per_100_unemployed", None),
        ("unemployed", None),
    ],
}

# Wide marts: one column per pipeline indicator of the theme, in declaration order (as the
# PIVOT in sql/marts/<theme>.sql makes them).
_THEMES = ("labour_force", "llo", "vacancies", "benefits", "pressure")

_BY_ID = {i.id: i for i in INDICATORS}


class ContractError(ValueError):
    """A mart file that does not have its mart's columns (a model drifted from the contract)."""


def marts() -> list[str]:
    return sorted([*_LONG, *_THEMES])


@functools.cache
def schema(mart: str) -> pa.Schema:
    """The one schema of every partition file of `mart`."""
    if mart in _LONG:
        columns = _LONG[mart]
    elif mart in _THEMES:
        indicators = [i.id for i in INDICATORS if i.theme == mart and i.origin == "pipeline"]
        columns = [*_WIDE_KEYS, *((name, None) for name in indicators)]
    else:
        raise ContractError(
            f"mart {mart!r} has no declared schema: add its columns to "
            "kraptemeter/warehouse/contract.py"
        )
    return pa.schema([_field(name, kind) for name, kind in columns])


def _field(name: str, kind: pa.DataType | None) -> pa.Field:
    if kind is None:  # an indicator's column: an integer for a count, else a double
        kind = INT64 if _BY_ID[name].count else DOUBLE
    metadata = {"description": describe(name), "unit": unit_of(name)}
    return pa.field(name, kind, nullable=True, metadata=metadata)


def conforms(mart: str, path: Path) -> bool:
    """Whether a published file already has its mart's schema, field metadata included."""
    return pq.read_schema(path).remove_metadata().equals(schema(mart), check_metadata=True)


def conform(mart: str, path: Path, fill_missing: bool = False) -> Path:
    """Rewrite a mart file in place with its mart's schema. `fill_missing` adds a column the
    file lacks as NULLs (a file published before the column existed); otherwise a missing or
    extra column is refused."""
    target = schema(mart)
    table = pq.read_table(path)
    missing = [n for n in target.names if n not in table.column_names]
    extra = [n for n in table.column_names if n not in target.names]
    if extra or (missing and not fill_missing):
        raise ContractError(
            f"{mart}: {path.name} does not have the mart's columns "
            f"(missing: {', '.join(missing) or 'none'}; "
            f"not declared: {', '.join(extra) or 'none'}); "
            "a mart's files share one schema (kraptemeter/warehouse/contract.py)"
        )
    arrays = [
        table[f.name].cast(f.type) if f.name in table.column_names else pa.nulls(len(table), f.type)
        for f in target
    ]
    conformed = pa.Table.from_arrays(arrays, schema=target)
    building = path.with_name(f".{path.name}.conforming")
    # one row group per 122 880 rows, as DuckDB writes; zstd; no timestamps: byte-identical
    pq.write_table(conformed, building, compression="zstd", row_group_size=122_880)
    building.replace(path)
    return path
