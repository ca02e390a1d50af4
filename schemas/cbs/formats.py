"""Recognise a CBS file's format and table, and read it with the right reader."""

from __future__ import annotations

import json
import re
from pathlib import Path

from schemas.cbs import readers
from schemas.cbs.observations import CbsFormatError, Cell
from schemas.cbs.tables import TABLES, concept_of, table, v3_suffix

V3_JSON, V3_CSV, V4, STATLINE_CSV, REEXPORT_CSV, EUROSTAT_TSV, METADATA = (
    "odata_v3_json",
    "odata_v3_csv",
    "odata_v4",
    "statline_csv",
    "reexport_csv",
    "eurostat_tsv",
    "metadata",
)
TABLE_ID = re.compile(r"^[A-Za-z0-9_]{3,40}$")
_EXPORT_NAME = re.compile(
    r"^(?P<id>[0-9]{5}[A-Za-z]{3})_(?:Untyped|Typed)DataSet_(?P<stamp>\d{8}_\d{6})"
)
_DOWNLOAD_NAME = re.compile(r"_(\d{2})(\d{2})(\d{4})_(\d{6})\.csv$")


def check_table_id(table_id: str) -> str:
    if not TABLE_ID.match(table_id or ""):
        raise CbsFormatError(
            f"not a table id: {table_id!r} (letters, digits and '_' only, e.g. 83599NED)"
        )
    return table_id


def detect_format(path: Path) -> str:
    if path.is_dir():
        if readers.v4_pages(path):
            return V4
        raise CbsFormatError(f"{path}: a folder without observations-page-*.json")
    head = readers.read_text(path)[:4096]
    if path.suffix == ".json":
        page = json.loads(readers.read_text(path))
        if (
            isinstance(page, dict)
            and "odata.metadata" in page
            and isinstance(page.get("value"), list)
        ):
            if page["value"] and "Perioden" in page["value"][0]:
                return V3_JSON
            raise CbsFormatError(f"{path}: an OData catalog or metadata page, not observations")
        raise CbsFormatError(f"{path}: JSON that is not an OData page")
    if "geo\\time" in head.split("\n", 1)[0]:
        return EUROSTAT_TSV
    first = head.split("\n", 1)[0]
    if first.startswith('"TableInfos"'):
        return METADATA
    if first.startswith('"ID";') and '"Perioden"' in first:
        return V3_CSV
    if first.startswith('"Perioden";"Regio'):
        return STATLINE_CSV
    if "," in first:
        return REEXPORT_CSV
    raise CbsFormatError(f"{path}: format not recognised")


def detect_table(path: Path, fmt: str) -> str | None:
    """The table id from the file name or its contents; None when it cannot be told."""
    name_match = _EXPORT_NAME.match(path.name)
    if name_match:
        return name_match["id"]
    if fmt == V4:
        for name, key in (("index.json", "tableId"), ("properties.json", "Identifier")):
            if (path / name).exists():
                return json.loads(readers.read_text(path / name))[key]
    if fmt == V3_JSON:
        url = json.loads(readers.read_text(path))["odata.metadata"]
        match = re.search(r"/OData/([A-Za-z0-9]+)/", url)
        return match[1] if match else None
    if fmt == METADATA:
        match = re.search(r'\n"0";"[^"]*";"[^"]*";"([A-Za-z0-9]+)"', readers.read_text(path)[:3000])
        return match[1] if match else None
    if fmt == EUROSTAT_TSV:
        match = re.search(r"(trng_lfse_\d+)", path.name)
        return match[1] if match else None
    text = readers.read_text(path)[:2000]
    if fmt == STATLINE_CSV and path.name.startswith("Regionale_kerncijfers_Nederland"):
        return "70072ned"
    for known in TABLES.values():
        if known.title and known.title in text:
            return known.id
    return None


def vintage(path: Path, fmt: str) -> str:
    """When the file was exported (sortable), so a newer delivery wins over an older one."""
    match = _EXPORT_NAME.match(path.name)
    if match:
        d = match["stamp"]
        return f"{d[4:8]}{d[2:4]}{d[0:2]}{d[9:]}"
    match = _DOWNLOAD_NAME.search(path.name)
    if match:
        return f"{match[3]}{match[2]}{match[1]}{match[4]}"
    if fmt == V4 and (path / "index.json").exists():
        captured = json.loads(readers.read_text(path / "index.json")).get("capturedAt", "")
        return re.sub(r"\D", "", captured)[:14]
    return "0"


def read_cells(path: Path, fmt: str, table_id: str) -> list[Cell]:
    known = table(table_id)
    units: dict[str, tuple[str, int]] = {}
    if known and fmt in (V3_JSON, V3_CSV):
        units = _v3_units(path, fmt, table_id, known.units)
    match fmt:
        case "odata_v3_json":
            return readers.read_v3_json(path, units)
        case "odata_v3_csv":
            return readers.read_v3_csv(path, units)
        case "odata_v4":
            return readers.read_v4(path)
        case "statline_csv":
            return readers.read_statline_csv(path)
        case "reexport_csv":
            unit = (known.units.get("unemployment_rate") or (None,))[0] if known else None
            return readers.read_reexport_csv(path, unit)
        case "eurostat_tsv":
            return readers.read_eurostat_tsv(path)
    return []


def _v3_units(path, fmt, table_id, concept_units) -> dict[str, tuple[str, int]]:
    """Untyped v3 files carry no units; take them from the table's known concepts."""
    header = readers.read_text(path)[:20000]
    chosen: dict[str, str] = {}
    for key in dict.fromkeys(re.findall(r'"([A-Za-z][A-Za-z0-9_]*_\d+)"', header)):
        concept = concept_of(table_id, key)
        # An age group's count comes before its share (`JongerDan5Jaar_4` before `_13`).
        if concept in concept_units and (
            concept not in chosen or v3_suffix(key) < v3_suffix(chosen[concept])
        ):
            chosen[concept] = key
    return {key: concept_units[concept] for concept, key in chosen.items()}
