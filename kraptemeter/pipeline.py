"""The steps of a quarterly run as plain functions: stage (ingest + validate), transform, publish.

flows/ wraps these in Prefect tasks; tests call them directly so that only the tests about
orchestration pay Prefect's start-up. Steps hand each other file paths, never DataFrames.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from rich.progress import track

from kraptemeter import __version__, catalog
from kraptemeter.db import connect
from kraptemeter.errors import InputError
from kraptemeter.ingest import Ingested, ingest_csv, sha256_of
from kraptemeter.lock import warehouse_lock
from kraptemeter.periods import Quarter
from kraptemeter.publish import MARTS_DIR, existing_partitions, publish_version
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


@dataclass
class RunLog:
    """What a run did, for its manifest."""

    reports: list[SourceReport] = field(default_factory=list)
    partitions: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def published(self, settings: Settings, targets: list[Path]) -> None:
        marts = settings.warehouse / MARTS_DIR
        self.partitions += [str(t.relative_to(marts)) for t in targets]


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


# --- re-runs: a quarter whose inputs and code are unchanged is not redone -----------------


@cache
def code_fingerprint() -> str:
    """Hash of everything that decides a mart's content: SQL models, schemas, transforms."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(__version__.encode())
    for folder, pattern in (
        ("transforms", "**/*.sql"),
        ("transforms", "*.py"),
        ("schemas", "*.py"),
        ("kraptemeter", "reference/*.csv"),
    ):
        for path in sorted((root / folder).glob(pattern)):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def quarter_fingerprint(settings: Settings, quarter: Quarter) -> str:
    """Inputs of a quarter's marts: its files, the EBB of the rolling window, the published
    earlier indicators its changes compare with, the code and the settings."""
    window = [
        quarter.previous().previous().previous(),
        quarter.previous().previous(),
        quarter.previous(),
    ]
    files = [SOURCES[name].file_for(settings.raw, quarter) for name in SOURCES]
    files += [SOURCES["ebb"].file_for(settings.raw, q) for q in window]
    files += existing_partitions(
        settings.warehouse,
        "indicators",
        [quarter.previous().label, quarter.year_earlier().label, str(quarter.year - 1)],
    )
    parts = [code_fingerprint(), repr(settings.survey), repr(settings.max_reject_share)]
    parts += [f"{path.name}:{sha256_of(path)}" for path in files if path.is_file()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _state_file(settings: Settings, quarter: Quarter) -> Path:
    return settings.warehouse / "state" / f"{quarter.label}.json"


def is_current(settings: Settings, quarter: Quarter, fingerprint: str) -> bool:
    state = _state_file(settings, quarter)
    if not state.is_file():
        return False
    recorded = json.loads(state.read_text())
    published = all((settings.warehouse / MARTS_DIR / p).is_file() for p in recorded["partitions"])
    return recorded["fingerprint"] == fingerprint and published


def remember(settings: Settings, quarter: Quarter, fingerprint: str) -> None:
    marts = settings.warehouse / MARTS_DIR
    partitions = sorted(
        str(p.relative_to(marts)) for p in marts.glob(f"*/period={quarter.label}/data.parquet")
    )
    state = _state_file(settings, quarter)
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(json.dumps({"fingerprint": fingerprint, "partitions": partitions}))


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


def _cbs_lineage(settings: Settings) -> list[dict]:
    from kraptemeter.cbs.landing import landed_files

    return [
        {k: e[k] for k in ("table_id", "name", "format", "sha256", "vintage", "landed_at")}
        for e in landed_files(settings.raw)
    ]


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def finish_run(
    settings: Settings,
    run_id: str,
    quarters: list[Quarter],
    log: RunLog,
    started: datetime,
    outcome: str,
    message: str = "",
) -> Path:
    """Write the run's manifest (inputs with hashes, row counts, partitions, outcome) and
    refresh the catalog so the `runs` and `lineage` views show it."""
    folder = settings.warehouse / "runs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{run_id}.json"
    path.write_text(
        json.dumps(
            {
                "run_id": run_id,
                "code_version": __version__,
                "code_fingerprint": code_fingerprint(),
                "quarters": [q.label for q in quarters],
                "started": started.isoformat(),
                "ended": datetime.now(UTC).isoformat(),
                "outcome": outcome,
                "message": message,
                "skipped_quarters": log.skipped,
                "sources": [asdict(report) for report in log.reports],
                "partitions": log.partitions,
                "cbs_tables": _cbs_lineage(settings),
            },
            indent=2,
        )
    )
    catalog.refresh(settings.warehouse)
    return path
