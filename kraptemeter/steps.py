"""The steps of a run: stage a source (ingest, validate), transform a quarter, publish, CBS.

Steps hand each other file paths, never DataFrames. The run loop (kraptemeter.run) orders
them; flows/ runs these same steps as Prefect tasks.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from kraptemeter.core.db import connect
from kraptemeter.core.errors import InputError
from kraptemeter.core.faults import pause
from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import READ_BACKOFF_SECONDS, READ_RETRIES, Settings
from kraptemeter.warehouse import catalog
from kraptemeter.warehouse.layout import CBS_FILE, PIPELINE_FILE, Warehouse
from kraptemeter.warehouse.manifest import SourceReport
from kraptemeter.warehouse.publish import install, publish_version
from schemas import SOURCES
from schemas.cbs.landing import landed_files
from schemas.cbs.staging import reader_version, stage_cbs
from schemas.common import quarter_variables
from schemas.ingest import Ingested, ingest_csv
from schemas.validate import validate
from transforms.cbs import build_cbs_marts
from transforms.quarter import build_marts
from transforms.regions import write_region_hierarchy


def ingest(settings: Settings, source_name: str, quarter: Quarter) -> Ingested | None:
    """Read the source's file for the quarter; None when it has no file."""
    source = SOURCES[source_name]
    raw_file = source.file_for(settings.raw, quarter)
    if not raw_file.exists():
        return None
    pause("ingest")
    columns = list(source.schema_for(quarter).columns)
    # raw/ may be a network share: a read that fails midway is retried with backoff before
    # the run stops with a message naming the source and the file.
    for attempt in range(READ_RETRIES + 1):
        try:
            return ingest_csv(raw_file, columns)
        except OSError as error:
            if attempt == READ_RETRIES:
                raise InputError(
                    f"{source_name}: cannot read {raw_file} after {READ_RETRIES + 1} attempts: "
                    f"{error}"
                ) from None
            time.sleep(READ_BACKOFF_SECONDS * 2**attempt)
    raise AssertionError("unreachable")


def validate_source(
    settings: Settings, source_name: str, quarter: Quarter, ingested: Ingested | None
) -> tuple[Path | None, SourceReport | None]:
    """Accepted rows to staging, rejected rows to quarantine; (None, None) without a file."""
    if ingested is None:
        return None, None
    pause("validate")
    source = SOURCES[source_name]
    period = source.period_label(quarter)
    house = Warehouse(settings.warehouse)
    con = connect()
    try:
        validated = validate(
            con,
            source.schema_for(quarter),
            ingested,
            period,
            quarter_variables(quarter),
            house.accepted_rows(source_name, period),
            house.quarantined_rows(source_name, period),
            settings.max_reject_share,
        )
    finally:
        con.close()
    report = SourceReport(
        source=source_name,
        period=period,
        file=str(ingested.raw_file),
        sha256=ingested.sha256,
        size_bytes=ingested.size_bytes,
        rows_read=validated.rows_read,
        rows_accepted=validated.rows_accepted,
        rows_quarantined=validated.rows_quarantined,
        rules=validated.rule_counts,
    )
    return validated.accepted_path, report


def transform(
    settings: Settings, quarter: Quarter, accepted: dict[str, Path | None]
) -> dict[tuple[str, str], Path]:
    """Candidate marts of the quarter, from its accepted rows and the published earlier ones."""
    house = Warehouse(settings.warehouse)
    published = house.existing_partitions("indicators", quarter.comparison_periods())
    # The rolling estimate pools this quarter's respondents with the three before it.
    rolling = [house.accepted_rows("ebb", q.label) for q in quarter.preceding(3)]
    rolling = rolling + [accepted["ebb"]] if accepted.get("ebb") else []
    if not all(path.is_file() for path in rolling):
        rolling = []
    con = connect()
    try:
        return build_marts(
            con,
            quarter,
            accepted,
            published,
            house.candidates(quarter.label),
            rolling,
            settings.survey,
        )
    finally:
        con.close()


def publish(
    settings: Settings,
    candidates: dict[tuple[str, str], Path],
    file_name: str = PIPELINE_FILE,
    replace_all: bool = False,
) -> list[Path]:
    """Publish a set of candidate files as one new version; returns the partitions targeted."""
    house = Warehouse(settings.warehouse)
    _, targets = publish_version(house, candidates, file_name, replace_all)
    catalog.refresh(house)
    return targets


def refresh_regions(settings: Settings) -> Path:
    """The region hierarchy the catalog's `regions` view reads, rebuilt from the reference."""
    house = Warehouse(settings.warehouse)
    built = house.candidates("regions") / house.regions_file.name
    con = connect()
    try:
        write_region_hierarchy(con, built)
    finally:
        con.close()
    return install(built, house.regions_file)


def stage_cbs_tables(settings: Settings) -> tuple[Path, Path] | None:
    """Read the CBS tables landed in raw/cbs into observations and code lists.

    Skipped when the landed files (by their manifests) and the readers are unchanged.
    """
    entries = landed_files(settings.raw)
    if not entries:
        return None
    house = Warehouse(settings.warehouse)
    stamp = house.cbs_stamp
    key = json.dumps(
        {"readers": reader_version(), "files": [(e["path"], e["sha256"]) for e in entries]},
        sort_keys=True,
    )
    paths = (house.cbs_observations, house.cbs_codes)
    if stamp.is_file() and stamp.read_text() == key and all(p.is_file() for p in paths):
        return paths
    staged = stage_cbs(settings.raw, *paths)
    stamp.write_text(key)
    return staged


def cbs(settings: Settings) -> list[Path] | None:
    """Indicators from every landed CBS table, published as the CBS files of partitions."""
    staged = stage_cbs_tables(settings)
    if staged is None:
        return None
    con = connect()
    try:
        house = Warehouse(settings.warehouse)
        candidates = build_cbs_marts(con, *staged, house.candidates("cbs"))
    finally:
        con.close()
    return publish(settings, candidates, CBS_FILE, replace_all=True)
