"""Read every landed CBS table into one observations Parquet file (and their code lists)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from kraptemeter.core import reference_data as ref
from schemas.cbs import formats, readers, regions
from schemas.cbs.landing import landed_files
from schemas.cbs.observations import Cell, quarantine_table, to_table
from schemas.cbs.tables import concept_of, table, v3_suffix


def reader_version() -> str:
    """Hash of the readers' code and the region reference they place cells with: observations
    staged by other readers (an older release) are stale even when the landed files are not."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")) + [
        ref.reference_file(name) for name in ("cbs_region_names.csv", "regions_2015.csv")
    ]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def stage_cbs(
    raw: Path, observations: Path, codes: Path, quarantine: Path
) -> tuple[Path, Path] | None:
    """Write every landed cell whose region is placed to `observations`, the others to
    `quarantine` with the reason, and the code lists to `codes`; None when raw/ holds no CBS
    tables."""
    entries = [e for e in landed_files(raw) if e["format"] != formats.METADATA]
    if not entries:
        return None
    tables, rejected = [], []
    for entry in entries:
        path = Path(entry["path"])
        read = formats.read_cells(path, entry["format"], entry["table_id"])
        cells, unplaced = place_regions(read, entry["table_id"])
        rejected.append(quarantine_table(entry["table_id"], entry["name"], unplaced))
        table = to_table(entry["table_id"], entry["name"], entry["format"], cells)
        concepts = _concepts(entry["table_id"], table.column("measure").unique().to_pylist())
        table = table.append_column(
            "concept",
            pa.array([concepts.get(m) for m in table.column("measure").to_pylist()], pa.string()),
        ).append_column("vintage", pa.array([entry["vintage"]] * len(table), pa.string()))
        tables.append(table)
    observations.parent.mkdir(parents=True, exist_ok=True)
    combined = pa.concat_tables(tables)
    pq.write_table(
        combined.sort_by([("table_id", "ascending"), ("source_file", "ascending")]), observations
    )
    pq.write_table(pa.concat_tables(rejected), quarantine)
    codes.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(_code_lists(raw), codes)
    return observations, codes


def place_regions(cells: list[Cell], table_id: str) -> tuple[list[Cell], list[tuple[Cell, str]]]:
    """(cells with a checked region code, cells that cannot be placed with the reason)."""
    reference = regions.reference()
    known = table(table_id)
    levels = known.levels if known else frozenset(regions.LEVELS)
    placed, unplaced = [], []
    resolved: dict[tuple, regions.Resolved] = {}
    for cell in cells:
        year = int(cell.period_code[:4])
        key = (cell.region_code, cell.region_name, year)
        if key not in resolved:
            resolved[key] = (
                reference.check_code(cell.region_code, levels, year)
                if cell.region_code is not None
                else reference.resolve_name(cell.region_name or "", levels, year)
            )
        where = resolved[key]
        if where.code is None:
            unplaced.append((cell, where.reason))
        else:
            placed.append(replace(cell, region_code=where.code))
    return placed, unplaced


def _concepts(table_id: str, measures: list[str]) -> dict[str, str]:
    """Concept per measure; where v3 repeats a concept (count, then share) the first wins."""
    chosen: dict[str, str] = {}
    for measure in measures:
        concept = concept_of(table_id, measure)
        if concept is None:
            continue
        current = chosen.get(concept)
        if current is None or (v3_suffix(measure) or 0) < (v3_suffix(current) or 0):
            chosen[concept] = measure
    return {measure: concept for concept, measure in chosen.items()}


_CODE_ROW = re.compile(r'^"([^"]+)";"([^"]*)";')


def _code_lists(raw: Path) -> pa.Table:
    """Dimension codes with titles, from v3 metadata CSVs and v4 codes-*.json files."""
    rows = []
    for entry in landed_files(raw):
        path = Path(entry["path"])
        if entry["format"] == formats.METADATA:
            for line in readers.read_text(path).splitlines():
                match = _CODE_ROW.match(line)
                if match and re.fullmatch(r"[0-9A-Z]{4,10}", match[1]):
                    rows.append((entry["table_id"], match[1], match[2]))
        elif entry["format"] == formats.V4:
            for codes in path.glob("codes-*.json"):
                for code in json.loads(readers.read_text(codes))["value"]:
                    rows.append((entry["table_id"], code["Identifier"], code["Title"]))
    return pa.table(
        {
            "table_id": [r[0] for r in rows],
            "code": [r[1] for r in rows],
            "title": [r[2] for r in rows],
        },
        schema=pa.schema(
            [("table_id", pa.string()), ("code", pa.string()), ("title", pa.string())]
        ),
    )
