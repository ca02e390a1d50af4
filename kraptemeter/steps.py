"""The steps of a run: stage a source (ingest, validate), transform a quarter, publish, CBS.

Steps hand each other file paths, never DataFrames. The run loop (kraptemeter.run) orders
them; flows/ runs these same steps as Prefect tasks.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from kraptemeter.core.db import connect
from kraptemeter.core.errors import InputError, TooManyRejected
from kraptemeter.core.faults import pause
from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import READ_BACKOFF_SECONDS, READ_RETRIES, Settings
from kraptemeter.fingerprint import code_fingerprint
from kraptemeter.warehouse import catalog, state
from kraptemeter.warehouse.layout import CBS_FILE, PIPELINE_FILE, Warehouse, WorkFolder
from kraptemeter.warehouse.manifest import SourceReport
from kraptemeter.warehouse.publish import install, publish_version
from kraptemeter.warehouse.state import Delivery
from schemas import SOURCES
from schemas.cbs.landing import landed_files
from schemas.cbs.staging import reader_version, stage_cbs
from schemas.common import period_variables
from schemas.ingest import Ingested, ingest_csv, sha256_of
from schemas.sources import sample_deliveries
from schemas.validate import validate
from transforms.cbs import build_cbs_marts
from transforms.quarter import build_marts
from transforms.regions import write_region_hierarchy


def delivered(settings: Settings, quarter: Quarter) -> list[str]:
    """The sources with a file (or a name that is there, readable or not) for the quarter."""
    return [
        name for name in SOURCES if os.path.lexists(SOURCES[name].file_for(settings.raw, quarter))
    ]


def ingest(settings: Settings, source_name: str, quarter: Quarter) -> Ingested | None:
    """Read the source's file for the quarter; None when it has no file.

    A name that is there but cannot be read (a dangling link, a folder, no permission, an
    unmounted share behind a link) is delivered-but-unreadable: an error after the retries,
    never "not delivered"."""
    raw_file = SOURCES[source_name].file_for(settings.raw, quarter)
    if not os.path.lexists(raw_file):
        return None
    pause("ingest")
    return _read(source_name, quarter, raw_file)


def _read(source_name: str, quarter: Quarter, raw_file: Path) -> Ingested:
    source = SOURCES[source_name]
    columns = list(source.schema_for(quarter).columns)
    # raw/ may be a network share: a read that fails midway is retried with backoff before
    # the run stops with a message naming the source and the file.
    for attempt in range(READ_RETRIES + 1):
        try:
            return ingest_csv(raw_file, columns, source.header_hint)
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
    """Accepted rows (or the summary of them a source is staged as) to staging, rejected rows
    to quarantine (both in the private work folder); (None, None) without a file.

    A yearly source (population) is validated once per delivery, not once per quarter of
    its year: its staged rows are used again while the delivery (sha256), the code
    (fingerprint), the period's rule values and the reject share are the ones they were
    validated with, and both files are still there."""
    if ingested is None:
        return None, None
    pause("validate")
    source = SOURCES[source_name]
    period = source.period_label(quarter)
    work = WorkFolder(settings.work)
    accepted_path = work.staged(source_name, period, ingested.sha256, source.staged_as)
    quarantine_path = work.quarantined_rows(source_name, period, ingested.sha256)
    variables = period_variables(quarter, source.yearly)
    validated_with = accepted_path.with_name(VALIDATED_WITH)
    key = None
    if source.yearly:
        key = {
            "code": code_fingerprint(),
            "variables": {name: str(value) for name, value in variables.items()},
            "max_reject_share": settings.max_reject_share,
        }
        counts = _validated_before(validated_with, key, accepted_path, quarantine_path)
        if counts is not None:
            return accepted_path, _report(source_name, period, ingested, counts)
    validated_with.unlink(missing_ok=True)  # what follows rewrites the files it vouched for
    con = connect()
    try:
        validated = validate(
            con,
            source.schema_for(quarter),
            ingested,
            period,
            variables,
            accepted_path,
            quarantine_path,
            settings.max_reject_share,
            source.staged_as,
        )
    except TooManyRejected:  # a refused delivery's rows stay in quarantine, not in staging
        shutil.rmtree(accepted_path.parent, True)
        raise
    finally:
        con.close()
    counts = {
        "rows_read": validated.rows_read,
        "rows_accepted": validated.rows_accepted,
        "rows_quarantined": validated.rows_quarantined,
        "rules": validated.rule_counts,
    }
    if key is not None:
        building = validated_with.with_name(f".{VALIDATED_WITH}.building")
        building.write_text(json.dumps({"key": key, "counts": counts}, sort_keys=True))
        building.replace(validated_with)
    return validated.accepted_path, _report(source_name, period, ingested, counts)


# Beside a yearly delivery's staged rows: what they were validated with, and their counts.
VALIDATED_WITH = "validated_with.json"


def _validated_before(
    record: Path, key: dict, accepted_path: Path, quarantine_path: Path
) -> dict | None:
    """The counts of an earlier validation with the same key whose files are still there."""
    try:
        earlier = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(earlier, dict) or earlier.get("key") != json.loads(json.dumps(key)):
        return None
    if not (accepted_path.is_file() and quarantine_path.is_file()):
        return None
    return earlier.get("counts")


def _report(source_name: str, period: str, ingested: Ingested, counts: dict) -> SourceReport:
    return SourceReport(
        source=source_name,
        period=period,
        file=str(ingested.raw_file),
        sha256=ingested.sha256,
        size_bytes=ingested.size_bytes,
        rows_read=counts["rows_read"],
        rows_accepted=counts["rows_accepted"],
        rows_quarantined=counts["rows_quarantined"],
        rules=counts["rules"],
    )


def transform(
    settings: Settings, quarter: Quarter, accepted: dict[str, Path | None]
) -> dict[tuple[str, str], Path]:
    """Candidate marts of the quarter, from its accepted rows and the published earlier ones."""
    house = Warehouse(settings.warehouse)
    published = house.existing_partitions("indicators", quarter.comparison_periods())
    rolling = rolling_window(settings, quarter, accepted.get("ebb"))
    origin = figure_origin(settings, [*accepted.values(), *rolling])
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
            origin,
        )
    finally:
        con.close()


def figure_origin(settings: Settings, staged: list[Path | None]) -> str:
    """`sample` when any delivery the figures are made from is one the sample generator
    wrote (raw/sample.json), else `pipeline`. Staged rows lie in a folder named by their
    delivery's sha256 (WorkFolder.accepted_rows)."""
    sample = sample_deliveries(settings.raw)
    return (
        "sample" if any(p is not None and p.parent.name in sample for p in staged) else "pipeline"
    )


def rolling_window(settings: Settings, quarter: Quarter, ebb: Path | None) -> list[Path]:
    """The EBB rows of the four quarters ending with this one: this quarter's, and those of
    the three before it exactly as they were published. Empty when one of them was not
    published with an EBB delivery (there is then no rolling estimate)."""
    window = window_deliveries(settings, quarter, ebb is not None)
    return [staged_rows(settings, q, d) for q, d in window] + [ebb] if window else []


def window_deliveries(
    settings: Settings, quarter: Quarter, ebb_delivered: bool
) -> list[tuple[Quarter, Delivery]]:
    """The EBB deliveries the three quarters before this one were published from; none
    unless all three were and this quarter has an EBB delivery too."""
    earlier = quarter.preceding(3)
    window = [published_delivery(settings, "ebb", q) for q in earlier]
    if not ebb_delivered or None in window:
        return []
    return list(zip(earlier, window, strict=True))


def published_delivery(
    settings: Settings, source_name: str, quarter: Quarter, strict: bool = True
) -> Delivery | None:
    """The delivery of a source that a published quarter was made from; None when the
    quarter is not published or had none. When it is published but its record is gone,
    damaged or older than delivery records, the run stops saying what to redo (`strict`),
    rather than guess from the files in raw/ (a refused revision may lie there)."""
    house = Warehouse(settings.warehouse)
    recorded = state.read(WorkFolder(settings.work), quarter.label)
    if recorded is not None and recorded.deliveries:
        return recorded.deliveries.get(source_name)
    if recorded is None and not house.partition("indicators", quarter.label).is_file():
        return None  # not published: no figure can rest on it
    if not strict:
        return None
    problem = (
        "its state file is missing or damaged"
        if recorded is None
        else "it was published before deliveries were recorded"
    )
    raise InputError(
        f"{quarter} is published, but which {source_name} delivery it was made from is not "
        f"known ({problem}); redo it first: kraptemeter run --quarter {quarter} --force"
    )


def staged_rows(settings: Settings, quarter: Quarter, delivery: Delivery) -> Path:
    """The validated rows of a recorded delivery, validated again from its raw file when the
    staged copy is gone (the file must still be the one recorded: same sha256)."""
    path = WorkFolder(settings.work).staged(
        delivery.source, delivery.period, delivery.sha256, SOURCES[delivery.source].staged_as
    )
    if path.is_file():
        return path
    raw_file = settings.raw / delivery.file
    if not raw_file.is_file() or sha256_of(raw_file) != delivery.sha256:
        what = "gone" if not raw_file.is_file() else "changed since"
        raise InputError(
            f"{quarter} was published from {raw_file} (sha256 {delivery.sha256[:12]}...), "
            f"whose validated rows are no longer staged, and that file is {what}: restore "
            f"it, or redo {quarter} first (kraptemeter run --quarter {quarter} --force)"
        )
    rebuilt, _ = validate_source(
        settings, delivery.source, quarter, _read(delivery.source, quarter, raw_file)
    )
    return rebuilt


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
    if house.regions_file.is_file() and house.regions_file.read_bytes() == built.read_bytes():
        built.unlink()  # unchanged (the usual case): the published file and its catalog stay
        return house.regions_file
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
    staged = stage_cbs(settings.raw, *paths, house.cbs_quarantine)
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
