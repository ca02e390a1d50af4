"""The canonical staging shape every CBS reader produces: one row per published cell.

Missing cells stay missing with their status; values keep the unit CBS published them in
(`x 1 000` stays `x 1 000`), so nothing is silently multiplied or divided.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pyarrow as pa

SCHEMA = pa.schema(
    [
        ("table_id", pa.string()),
        ("source_file", pa.string()),
        ("format", pa.string()),
        ("region_code", pa.string()),
        ("period_code", pa.string()),  # CBS code: 2024JJ00 / 2024KW02 / 2024MM06
        ("measure", pa.string()),  # the table's own key: GrijzeDruk_24, M001906, a column title
        ("dims", pa.string()),  # other dimensions as sorted JSON, e.g. {"Leeftijd": "52052"}
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("decimals", pa.int32()),
        ("status", pa.string()),  # ok, suppressed, impossible, empty, nil, or a source flag
        ("classification_year", pa.int32()),  # the regions of 1 January of the period's year
    ]
)
# A cell that could not be placed, with the region as published and the reason.
QUARANTINE_SCHEMA = pa.schema(
    [
        ("table_id", pa.string()),
        ("source_file", pa.string()),
        ("region", pa.string()),
        ("period_code", pa.string()),
        ("measure", pa.string()),
        ("value", pa.float64()),
        ("status", pa.string()),
        ("reason", pa.string()),
    ]
)

# StatLine symbols (DOMAIN.md §3): '.' unknown/unreliable/secret, 'x' secret, '-' nil.
_SYMBOLS = {".": "suppressed", "x": "suppressed", "-": "nil", "": "empty"}
_PERIOD = re.compile(r"^(\d{4})(JJ00|KW0[1-4]|MM(0[1-9]|1[0-2]))$")


class CbsFormatError(ValueError):
    """A file that does not have the shape its format promises."""


@dataclass
class Cell:
    region_code: str | None
    period_code: str
    measure: str
    dims: dict[str, str]
    value: float | None
    unit: str | None
    decimals: int | None
    status: str
    # A cell of a file that names its regions instead of coding them: the name as published,
    # resolved to a code (or quarantined) when it is staged, knowing the table and the year.
    region_name: str | None = None


def parse_number(text: str | None, decimal_comma: bool = False) -> tuple[float | None, str]:
    """A published cell as (value, status); symbols and blanks become (None, status)."""
    if text is None:
        return None, "empty"
    stripped = str(text).strip()
    if stripped in _SYMBOLS:
        return None, _SYMBOLS[stripped]
    if decimal_comma:
        stripped = stripped.replace(".", "").replace(",", ".")
    try:
        return float(stripped), "ok"
    except ValueError:
        raise CbsFormatError(f"not a number or a StatLine symbol: {text!r}") from None


def period_code(text: str) -> tuple[str, str]:
    """Normalise a period label; a trailing '*' (provisional) or '**' becomes the status."""
    stripped = text.strip()
    status = "ok"
    if stripped.endswith("*"):
        status = "revised_provisional" if stripped.endswith("**") else "provisional"
        stripped = stripped.rstrip("*").strip()
    if re.fullmatch(r"\d{4}", stripped):
        stripped += "JJ00"
    if not _PERIOD.match(stripped):
        raise CbsFormatError(
            f"unknown period code {text!r} (expected yyyyJJ00, yyyyKWnn, yyyyMMnn)"
        )
    return stripped, status


def to_table(table_id: str, source_file: str, fmt: str, cells: list[Cell]) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "table_id": table_id,
                "source_file": source_file,
                "format": fmt,
                "region_code": cell.region_code,
                "period_code": cell.period_code,
                "measure": cell.measure,
                "dims": json.dumps(cell.dims, sort_keys=True),
                "value": cell.value,
                "unit": cell.unit,
                "decimals": cell.decimals,
                "status": cell.status,
                "classification_year": int(cell.period_code[:4]),
            }
            for cell in cells
        ],
        schema=SCHEMA,
    )


def quarantine_table(table_id: str, source_file: str, rejected: list[tuple[Cell, str]]) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "table_id": table_id,
                "source_file": source_file,
                "region": cell.region_code or cell.region_name,
                "period_code": cell.period_code,
                "measure": cell.measure,
                "value": cell.value,
                "status": cell.status,
                "reason": reason,
            }
            for cell, reason in rejected
        ],
        schema=QUARANTINE_SCHEMA,
    )
