"""One reader per format CBS (and Eurostat) tables come in; each yields canonical cells.

- OData v3 `UntypedDataSet`/`TypedDataSet`, as JSON pages or as the CSV export (padded codes
  and numbers, '.' for suppressed);
- OData v4 `Observations` (long, `ValueAttribute`, units from `MeasureCodes`);
- new-StatLine CSV downloads (descriptive titles, region names, comma decimals);
- re-exports in the wild (Latin-1, comma decimals, header and footer lines);
- Eurostat bulk TSV (`value flag` cells).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from schemas.cbs.observations import CbsFormatError, Cell, parse_number, period_code

_V3_TOPIC = re.compile(r"^[A-Za-z][A-Za-z0-9_]*_\d+$")
_V3_FIXED = {"ID", "RegioS", "Perioden"}


def read_text(path: Path) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as third-party re-exports often are."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


# --- OData v3 -----------------------------------------------------------------------------


def _v3_cells(records: list[dict], units: dict[str, tuple[str, int]]) -> list[Cell]:
    text_topics: set[str] = set()
    cells = []
    for record in records:
        # A table without a region dimension is national.
        region = str(record.get("RegioS") or "").strip() or "NL01"
        period, period_status = period_code(str(record["Perioden"]))
        dims = {
            key: str(value).strip()
            for key, value in record.items()
            if key not in _V3_FIXED and not _V3_TOPIC.match(key)
        }
        for key, raw in record.items():
            if key in _V3_FIXED or not _V3_TOPIC.match(key) or key in text_topics:
                continue
            try:
                value, status = parse_number(raw)
            except CbsFormatError:  # a text topic (region names, classification codes)
                text_topics.add(key)
                continue
            unit, decimals = units.get(key, (None, None))
            if status == "ok" and period_status != "ok":
                status = period_status
            cells.append(Cell(region, period, key, dims, value, unit, decimals, status))
    return [c for c in cells if c.measure not in text_topics]


def read_v3_json(path: Path, units: dict[str, tuple[str, int]]) -> list[Cell]:
    page = json.loads(read_text(path))
    if not isinstance(page.get("value"), list):
        raise CbsFormatError(f"{path}: not an OData page (no 'value' list)")
    return _v3_cells(page["value"], units)


def read_v3_csv(path: Path, units: dict[str, tuple[str, int]]) -> list[Cell]:
    rows = list(csv.DictReader(io.StringIO(read_text(path)), delimiter=";"))
    if not rows or "Perioden" not in rows[0]:
        raise CbsFormatError(f"{path}: no 'Perioden' column; not an OData v3 CSV export")
    return _v3_cells(rows, units)


# --- OData v4 -----------------------------------------------------------------------------

_V4_FIXED = {"Id", "Measure", "ValueAttribute", "Value", "StringValue", "RegioS", "Perioden"}
_V4_STATUS = {
    "None": "ok",
    "Impossible": "impossible",
    "Confidential": "suppressed",
    "Unreliable": "suppressed",
    "Missing": "empty",
    "Nil": "nil",
}


def v4_pages(folder: Path) -> list[Path]:
    def page_number(path: Path) -> int:
        return int(re.sub(r"\D", "", path.stem) or 0)

    return sorted(folder.glob("observations-page-*.json"), key=page_number)


def read_v4(folder: Path) -> list[Cell]:
    codes_file = folder / "measure-codes.json"
    measures = {}
    if codes_file.exists():
        for code in json.loads(read_text(codes_file))["value"]:
            measures[code["Identifier"]] = (code.get("Unit"), code.get("Decimals"))
    cells = []
    for page in v4_pages(folder):
        for obs in json.loads(read_text(page))["value"]:
            period, period_status = period_code(obs["Perioden"])
            attribute = obs.get("ValueAttribute") or "None"
            status = _V4_STATUS.get(attribute, attribute.lower())
            value = obs.get("Value") if status == "ok" else None
            if status == "ok" and period_status != "ok":
                status = period_status
            unit, decimals = measures.get(obs["Measure"], (None, None))
            dims = {k: str(v) for k, v in obs.items() if k not in _V4_FIXED}
            region = obs.get("RegioS") or "NL01"  # a table without regions is national
            cells.append(
                Cell(
                    region,
                    period,
                    obs["Measure"],
                    dims,
                    None if value is None else float(value),
                    unit,
                    decimals,
                    status,
                )
            )
    return cells


# --- new-StatLine CSV download ------------------------------------------------------------

_UNIT_SUFFIX = re.compile(r"\((aantal|%|x 1 000|[^()]*)\)$")


def read_statline_csv(path: Path) -> list[Cell]:
    reader = csv.reader(io.StringIO(read_text(path)), delimiter=";")
    header = next(reader)
    if header[:2] != ["Perioden", "Regio's"]:
        raise CbsFormatError(f"{path}: expected 'Perioden';'Regio''s' as first columns")
    cells = []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row[2:]):
            continue  # a historic region without figures in this table year
        period, period_status = period_code(row[0])
        for title, raw in zip(header[2:], row[2:], strict=True):
            try:
                value, status = parse_number(raw, decimal_comma=True)
            except CbsFormatError as error:
                raise CbsFormatError(f"{path}, line {line}, column {title!r}: {error}") from None
            match = _UNIT_SUFFIX.search(title)
            unit = match[1] if match else None
            if status == "ok" and period_status != "ok":
                status = period_status
            cells.append(Cell(None, period, title, {}, value, unit, None, status, row[1]))
    return cells


# --- re-exports in the wild ---------------------------------------------------------------


def read_reexport_csv(path: Path, unit: str | None = None) -> list[Cell]:
    """A StatLine table re-written by a third party, in one of two shapes.

    (a) the StatLine layout kept (topic row, 'Perioden' row, unit row, one row per region,
        a 'Bron' footer), comma decimals; (b) a wide table of regions as columns with periods
        as Dutch text ('het eerste kwartaal van 2015').
    """
    rows = list(csv.reader(io.StringIO(read_text(path))))
    periods_at = next((i for i, r in enumerate(rows) if "Perioden" in r), None)
    if periods_at is not None:
        return _reexport_statline_layout(path, rows, periods_at)
    return _reexport_wide_quarters(path, rows, unit)


def _reexport_statline_layout(path: Path, rows: list[list[str]], periods_at: int) -> list[Cell]:
    topic = next(
        (c.split("|", 1)[-1].strip() for r in rows[:periods_at] for c in r if "Onderwerp" in c),
        "value",
    )
    first = rows[periods_at].index("Perioden")
    periods = rows[periods_at + 1][first:]
    units = rows[periods_at + 2][first:]
    cells = []
    for line, row in enumerate(rows[periods_at + 3 :], start=periods_at + 4):
        name = row[first - 1] if first else ""
        if not name or name == "NA" or name.startswith("Bron"):
            continue
        for period_label, unit, raw in zip(periods, units, row[first:], strict=False):
            if not period_label or period_label == "NA":
                continue
            period, _ = period_code(period_label)
            try:
                value, status = parse_number(None if raw == "NA" else raw, decimal_comma=True)
            except CbsFormatError as error:
                raise CbsFormatError(f"{path}, line {line}: {error}") from None
            cells.append(Cell(None, period, topic, {}, value, unit, None, status, name))
    return cells


_ORDINALS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4}
_QUARTER_TEXT = re.compile(r"het (eerste|tweede|derde|vierde) kwartaal van (\d{4})")


def _reexport_wide_quarters(path: Path, rows: list[list[str]], unit: str | None) -> list[Cell]:
    header = rows[0]
    names = header[2:]
    cells = []
    for line, row in enumerate(rows[1:], start=2):
        match = _QUARTER_TEXT.fullmatch(row[1].strip())
        if not match:
            raise CbsFormatError(f"{path}, line {line}: not a quarter label: {row[1]!r}")
        period = f"{match[2]}KW0{_ORDINALS[match[1]]}"
        for name, raw in zip(names, row[2:], strict=True):
            value, status = parse_number(None if raw == "NA" else raw)
            cells.append(Cell(None, period, "value", {}, value, unit, None, status, name))
    return cells


# --- Eurostat bulk TSV --------------------------------------------------------------------

NUTS_TO_CBS = {
    "NL": "NL01",
    "NL1": "LD01",
    "NL2": "LD02",
    "NL3": "LD03",
    "NL4": "LD04",
    "NL11": "PV20",
    "NL12": "PV21",
    "NL13": "PV22",
    "NL21": "PV23",
    "NL22": "PV25",
    "NL23": "PV24",
    "NL31": "PV26",
    "NL32": "PV27",
    "NL33": "PV28",
    "NL34": "PV29",
    "NL41": "PV30",
    "NL42": "PV31",
}
_EUROSTAT_FLAGS = {
    "b": "break_in_series",
    "u": "low_reliability",
    "p": "provisional",
    "e": "estimated",
}


def read_eurostat_tsv(path: Path) -> list[Cell]:
    lines = read_text(path).splitlines()
    head_keys, *years = lines[0].split("\t")
    keys = head_keys.split("\\")[0].split(",")
    cells = []
    for line_no, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        key_text, *values = line.split("\t")
        key = dict(zip(keys, key_text.split(","), strict=True))
        geo = key.pop("geo")
        if geo not in NUTS_TO_CBS:
            raise CbsFormatError(f"{path}, line {line_no}: NUTS code {geo!r} has no CBS region")
        for year, raw in zip(years, values, strict=True):
            number, _, flag = raw.strip().partition(" ")
            if number == ":":
                value, status = None, "not_available"
            else:
                value = float(number)
                status = _EUROSTAT_FLAGS.get(flag.strip(), "ok") if flag.strip() else "ok"
            unit = "%" if key.get("unit") == "PC" else key.get("unit")
            cells.append(
                Cell(
                    NUTS_TO_CBS[geo],
                    f"{year.strip()}JJ00",
                    "participation",
                    key,
                    value,
                    unit,
                    1,
                    status,
                )
            )
    return cells
