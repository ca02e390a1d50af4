"""The steps of a quarterly run as plain functions: stage (ingest + validate), transform, publish.

flows/ wraps these in Prefect tasks; tests call them directly so that only the tests about
orchestration pay Prefect's start-up. Steps hand each other file paths, never DataFrames.
"""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kraptemeter import __version__, catalog
from kraptemeter.db import connect
from kraptemeter.errors import InputError
from kraptemeter.ingest import Ingested, ingest_csv
from kraptemeter.periods import Quarter
from kraptemeter.publish import existing_partitions, partition_file, publish_candidates
from schemas import SOURCES
from schemas.common import quarter_variables
from schemas.validate import Validated, validate
from transforms.run import SurveyRules, build_marts

DEFAULT_MAX_REJECT_SHARE = 0.05


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


@dataclass
class SourceReport:
    source: str
    period: str
    file: str
    sha256: str
    size_bytes: int
    rows_read: int
    rows_accepted: int
    rows_quarantined: int
    rules: dict[str, int] = field(default_factory=dict)


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
    columns = list(source.schema_for(quarter).columns)
    con = connect()
    try:
        return ingest_csv(
            con, raw_file, columns, settings.staging(source_name, source.period_label(quarter))
        )
    finally:
        con.close()


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
    # The all-text copy has served its purpose: accepted rows are typed, rejects quarantined.
    ingested.rows_path.unlink(missing_ok=True)
    ingested.rejects_path.unlink(missing_ok=True)
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
    previous_periods = [
        quarter.previous().label,
        quarter.year_earlier().label,
        str(quarter.year - 1),
    ]
    published = existing_partitions(settings.warehouse, "indicators", previous_periods)
    out_dir = settings.warehouse / "staging" / "_candidates" / quarter.label
    if out_dir.exists():
        shutil.rmtree(out_dir)
    # The rolling estimate pools this quarter's respondents with the three before it.
    window = [
        quarter.previous().previous().previous(),
        quarter.previous().previous(),
        quarter.previous(),
    ]
    rolling = [settings.staging("ebb", q.label) / "accepted.parquet" for q in window]
    rolling = rolling + [accepted["ebb"]] if accepted.get("ebb") else []
    if not all(path.is_file() for path in rolling):
        rolling = []
    con = connect()
    try:
        return build_marts(con, quarter, accepted, published, out_dir, rolling, settings.survey)
    finally:
        con.close()


def publish(settings: Settings, candidates: dict[tuple[str, str], Path]) -> list[Path]:
    partitions = publish_candidates(settings.warehouse, candidates)
    catalog.refresh(settings.warehouse)
    return partitions


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
        validated, report = validate_source(settings, name, quarter, ingested)
        accepted[name] = validated.accepted_path
        reports.append(report)
    return accepted, reports


def run_quarter(settings: Settings, quarter: Quarter) -> list[SourceReport]:
    """Stage, transform and publish one quarter without Prefect."""
    accepted, reports = stage_quarter(settings, quarter)
    require_some_input(settings, quarter, accepted)
    publish(settings, transform(settings, quarter, accepted))
    return reports


def run_quarters(settings: Settings, quarters: list[Quarter]) -> str:
    """The flow's work without Prefect: each quarter in order, the CBS tables, the manifest."""
    run_id, started, reports = new_run_id(), datetime.now(UTC), []
    try:
        for quarter in quarters:
            reports += run_quarter(settings, quarter)
        run_cbs(settings)
    except InputError as error:
        finish_run(settings, run_id, quarters, reports, started, "failed", str(error))
        raise
    finish_run(settings, run_id, quarters, reports, started, "succeeded")
    return run_id


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
    from kraptemeter.publish import prune
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
    targets = {
        partition_file(settings.warehouse, mart, period, "cbs.parquet")
        for mart, period in candidates
    }
    written = publish_candidates(settings.warehouse, candidates)
    prune(settings.warehouse, "cbs.parquet", targets)
    catalog.refresh(settings.warehouse)
    return written


def missing_indicators(settings: Settings) -> list[str]:
    """Catalog indicators that no published partition holds (for the run's closing words)."""
    from transforms.catalog import INDICATORS

    con = catalog.connect(settings.warehouse)
    try:
        present = {
            r[0] for r in con.execute("select distinct indicator from indicators").fetchall()
        }
    finally:
        con.close()
    return [i.id for i in INDICATORS if i.id not in present]


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def finish_run(
    settings: Settings,
    run_id: str,
    quarters: list[Quarter],
    reports: list[SourceReport],
    started: datetime,
    outcome: str,
    message: str = "",
) -> Path:
    """Record the run's manifest and refresh the catalog so the `runs` view shows it."""
    path = record_run(settings, run_id, quarters, reports, started, outcome, message)
    catalog.refresh(settings.warehouse)
    return path


def record_run(
    settings: Settings,
    run_id: str,
    quarters: list[Quarter],
    reports: list[SourceReport],
    started: datetime,
    outcome: str,
    message: str = "",
) -> Path:
    """Write the run's manifest (inputs with hashes, row counts, outcome) for the `runs` view."""
    folder = settings.warehouse / "runs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{run_id}.json"
    path.write_text(
        json.dumps(
            {
                "run_id": run_id,
                "code_version": __version__,
                "quarters": [q.label for q in quarters],
                "started": started.isoformat(),
                "ended": datetime.now(UTC).isoformat(),
                "outcome": outcome,
                "message": message,
                "sources": [asdict(report) for report in reports],
            },
            indent=2,
        )
    )
    return path
