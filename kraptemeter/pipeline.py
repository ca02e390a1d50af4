"""The steps of a quarterly run as plain functions: stage (ingest + validate), transform, publish.

flows/ wraps these in Prefect tasks; tests call them directly so that only the tests about
orchestration pay Prefect's start-up. Steps hand each other file paths, never DataFrames.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from rich.progress import track

from kraptemeter import catalog
from kraptemeter.db import connect
from kraptemeter.errors import InputError
from kraptemeter.ingest import Ingested, ingest_csv
from kraptemeter.lock import warehouse_lock
from kraptemeter.manifest import RunLog, SourceReport, finish_run, new_run_id
from kraptemeter.periods import Quarter
from kraptemeter.publish import existing_partitions, publish_version
from kraptemeter.rerun import is_current, quarter_fingerprint, remember
from schemas import SOURCES
from schemas.common import quarter_variables
from schemas.validate import Validated, validate
from transforms.run import SurveyRules, build_marts

DEFAULT_MAX_REJECT_SHARE = 0.05
READ_RETRIES = 3
READ_BACKOFF_SECONDS = 0.5


@dataclass(frozen=True)
class Settings:
    raw: Path
    warehouse: Path
    max_reject_share: float = DEFAULT_MAX_REJECT_SHARE
    survey: SurveyRules = SurveyRules()

    def staging(self, source: str, period: str) -> Path:
        return self.warehouse / "staging" / source / period

    def quarantine(self, source: str, period: str) -> Path:
        return self.warehouse / "quarantine" / source / period


def unrecognised_files(raw: Path) -> list[Path]:
    """Files in the sources' folders that no source claims (a typo, or a hostile name)."""
    folders = {source.folder for source in SOURCES.values()}
    claimed = re.compile(
        r"^(" + "|".join(re.escape(n) for n in SOURCES) + r")_\d{4}(KW0[1-4]|JJ00)"
        r"(_[A-Za-z0-9-]{1,40})?\.csv$"
    )
    return sorted(
        path
        for folder in folders
        for path in (raw / folder).glob("*")
        if path.is_file() and not claimed.match(path.name)
    )


def discover_quarters(raw: Path) -> list[Quarter]:
    found: set[Quarter] = set()
    for source in SOURCES.values():
        if not source.yearly:
            found |= source.quarters_in(raw)
    return sorted(found)


def ingest(settings: Settings, source_name: str, quarter: Quarter) -> Ingested | None:
    """Read the source's file for the quarter into staging; None when it has no file."""
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
    settings: Settings, source_name: str, quarter: Quarter, ingested: Ingested
) -> tuple[Validated, SourceReport]:
    source = SOURCES[source_name]
    period = source.period_label(quarter)
    quarantine_dir = settings.quarantine(source_name, period)
    if quarantine_dir.exists():  # a re-run replaces the quarter's quarantine, never appends
        shutil.rmtree(quarantine_dir)
    con = connect()
    try:
        validated = validate(
            con,
            source.schema_for(quarter),
            ingested,
            period,
            quarter_variables(quarter),
            settings.staging(source_name, period),
            quarantine_dir,
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
    return validated, report


def transform(
    settings: Settings, quarter: Quarter, accepted: dict[str, Path | None]
) -> dict[tuple[str, str], Path]:
    published = existing_partitions(settings.warehouse, "indicators", quarter.comparison_periods())
    out_dir = settings.warehouse / "staging" / "_candidates" / quarter.label
    if out_dir.exists():
        shutil.rmtree(out_dir)
    # The rolling estimate pools this quarter's respondents with the three before it.
    rolling = [settings.staging("ebb", q.label) / "accepted.parquet" for q in quarter.preceding(3)]
    rolling = rolling + [accepted["ebb"]] if accepted.get("ebb") else []
    if not all(path.is_file() for path in rolling):
        rolling = []
    con = connect()
    try:
        return build_marts(con, quarter, accepted, published, out_dir, rolling, settings.survey)
    finally:
        con.close()


def pause(point: str) -> None:
    """Fault-injection point for the kill tests: with KRAPTEMETER_PAUSE_AT=<point> the run
    says where it is (a marker file beside the warehouse lock) and waits to be killed."""
    if os.environ.get("KRAPTEMETER_PAUSE_AT") == point:
        marker = os.environ.get("KRAPTEMETER_PAUSE_MARKER")
        if marker:
            Path(marker).write_text(point)
        time.sleep(600)


def publish(
    settings: Settings, candidates: dict[tuple[str, str], Path], replace_all: str | None = None
) -> list[Path]:
    """Publish a set of candidate files as one new version; returns the partitions targeted."""
    _, targets = publish_version(settings.warehouse, candidates, replace_all, pause)
    catalog.refresh(settings.warehouse)
    return targets


def stage_quarter(
    settings: Settings, quarter: Quarter
) -> tuple[dict[str, Path | None], list[SourceReport]]:
    """Ingest and validate every source of a quarter (used where no Prefect is wanted)."""
    accepted: dict[str, Path | None] = {}
    reports = []
    for name in SOURCES:
        ingested = ingest(settings, name, quarter)
        if ingested is None:
            accepted[name] = None
            continue
        pause("validate")
        validated, report = validate_source(settings, name, quarter, ingested)
        accepted[name] = validated.accepted_path
        reports.append(report)
    return accepted, reports


def run_quarter(settings: Settings, quarter: Quarter, log: RunLog, force: bool = False) -> None:
    """Stage, transform and publish one quarter without Prefect (skipped when unchanged)."""
    require_past(quarter)
    fingerprint = quarter_fingerprint(settings, quarter)
    if not force and is_current(settings, quarter, fingerprint):
        log.skipped.append(quarter.label)
        print(
            f"{quarter}: inputs and code unchanged since the last run; skipped (--force redoes it)"
        )
        return
    accepted, reports = stage_quarter(settings, quarter)
    log.reports += reports
    require_some_input(settings, quarter, accepted)
    pause("transform")
    log.published(settings, publish(settings, transform(settings, quarter, accepted)))
    remember(settings, quarter, fingerprint)


def run_quarters(
    settings: Settings, quarters: list[Quarter], force: bool = False, wait_seconds: float = 0
) -> str:
    """The flow's work without Prefect: each quarter in order, the CBS tables, the manifest."""
    with warehouse_lock(settings.warehouse, wait_seconds):
        run_id, started, log = new_run_id(), datetime.now(UTC), RunLog()
        try:
            # a progress bar on a terminal; plain output in logs and CI
            for quarter in track(quarters, description="quarters", disable=not sys.stdout.isatty()):
                run_quarter(settings, quarter, log, force)
            cbs_targets = run_cbs(settings)
            if cbs_targets:
                log.published(settings, cbs_targets)
        except InputError as error:
            finish_run(settings, run_id, quarters, log, started, "failed", str(error))
            raise
        finish_run(settings, run_id, quarters, log, started, "succeeded")
        return run_id


def require_past(quarter: Quarter) -> None:
    if quarter.start > date.today():
        raise InputError(f"{quarter} lies in the future: there can be no figures for it yet")


def require_some_input(settings: Settings, quarter: Quarter, accepted: dict) -> None:
    if not any(path for name, path in accepted.items() if not SOURCES[name].yearly):
        raise InputError(f"{settings.raw}: no input files for {quarter.label}")


def stage_cbs_tables(settings: Settings) -> tuple[Path, Path] | None:
    """Read the CBS tables landed in raw/cbs into warehouse/cbs/ (observations, code lists).

    Reading is skipped when the landed files (by their manifests) are unchanged.
    """
    from kraptemeter.cbs.landing import landed_files
    from kraptemeter.cbs.staging import stage_cbs

    entries = landed_files(settings.raw)
    if not entries:
        return None
    out_dir = settings.warehouse / "cbs"
    stamp = out_dir / "landed.json"
    fingerprint = json.dumps([(e["path"], e["sha256"]) for e in entries], sort_keys=True)
    paths = (out_dir / "observations.parquet", out_dir / "codes.parquet")
    if stamp.is_file() and stamp.read_text() == fingerprint and all(p.is_file() for p in paths):
        return paths
    staged = stage_cbs(settings.raw, out_dir)
    stamp.write_text(fingerprint)
    return staged


def run_cbs(settings: Settings) -> list[Path] | None:
    """Indicators from every landed CBS table, published as the `cbs.parquet` partitions."""
    from transforms.run import build_cbs_marts

    staged = stage_cbs_tables(settings)
    if staged is None:
        return None
    out_dir = settings.warehouse / "staging" / "_candidates" / "cbs"
    if out_dir.exists():
        shutil.rmtree(out_dir)
    con = connect()
    try:
        candidates = build_cbs_marts(con, *staged, out_dir)
    finally:
        con.close()
    return publish(settings, candidates, replace_all="cbs.parquet")


def missing_indicators(settings: Settings) -> list[str]:
    """Indicators no published partition holds (for the run's closing words); those only CBS
    tables give are listed only when CBS tables were landed."""
    from kraptemeter.cbs.landing import landed_files
    from transforms.catalog import INDICATORS

    con = catalog.connect(settings.warehouse)
    try:
        present = {
            r[0] for r in con.execute("select distinct indicator from indicators").fetchall()
        }
    finally:
        con.close()
    with_cbs = bool(landed_files(settings.raw))
    return [
        i.id for i in INDICATORS if i.id not in present and (with_cbs or i.origin == "pipeline")
    ]
