"""The run loop: the one definition of what a run does, for the CLI and the Prefect flow alike.

Under the warehouse lock, per quarter in order: skip it when its fingerprint is unchanged,
stage every source, transform, publish, remember; then the CBS tables; then the run's manifest,
succeeded or failed. *How* a step runs is the `Steps` handed in: `LocalSteps` calls it in this
process; flows/ hands in steps that run as Prefect tasks.
"""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

from rich.progress import track

from kraptemeter import steps
from kraptemeter.core.errors import InputError
from kraptemeter.core.faults import pause
from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import Settings
from kraptemeter.fingerprint import code_fingerprint, quarter_fingerprint
from kraptemeter.summary import summary_lines
from kraptemeter.warehouse import catalog, state
from kraptemeter.warehouse.hashes import FileHashes
from kraptemeter.warehouse.layout import Warehouse, WorkFolder, folders
from kraptemeter.warehouse.leftovers import move_private_leftovers
from kraptemeter.warehouse.lock import warehouse_lock
from kraptemeter.warehouse.manifest import RunLog, SourceReport, finish_run, new_run_id
from kraptemeter.warehouse.state import Delivery
from schemas import SOURCES
from schemas.cbs.landing import landed_files
from schemas.sources import require_one_grain, undelivered
from transforms.indicators import INDICATORS

Accepted = dict[str, Path | None]


class Steps(Protocol):
    """How the loop's steps are carried out (in this process, or as Prefect tasks)."""

    def stage(self, settings: Settings, quarter: Quarter) -> tuple[Accepted, list[SourceReport]]:
        """Ingest and validate every source of the quarter."""

    def transform(self, settings: Settings, quarter: Quarter, accepted: Accepted) -> dict: ...

    def publish(self, settings: Settings, candidates: dict) -> list[Path]: ...

    def cbs(self, settings: Settings) -> list[Path] | None: ...

    def say(self, message: str) -> None: ...

    def warn(self, message: str) -> None: ...

    def progress(self, quarters: list[Quarter]): ...

    def recorded(self, manifest: Path) -> None:
        """The run's record is written (succeeded or failed): `manifest`."""


class LocalSteps:
    """Each step in this process, one after another."""

    def stage(self, settings: Settings, quarter: Quarter) -> tuple[Accepted, list[SourceReport]]:
        accepted: Accepted = {}
        reports = []
        for name in SOURCES:
            ingested = steps.ingest(settings, name, quarter)
            accepted[name], report = steps.validate_source(settings, name, quarter, ingested)
            if report is not None:
                reports.append(report)
        return accepted, reports

    def transform(self, settings: Settings, quarter: Quarter, accepted: Accepted) -> dict:
        return steps.transform(settings, quarter, accepted)

    def publish(self, settings: Settings, candidates: dict) -> list[Path]:
        return steps.publish(settings, candidates)

    def cbs(self, settings: Settings) -> list[Path] | None:
        return steps.cbs(settings)

    def say(self, message: str) -> None:
        # A run does not fail because nobody reads its words (`kraptemeter run | head`).
        with contextlib.suppress(BrokenPipeError):
            print(message, flush=True)

    def warn(self, message: str) -> None:
        self.say(f"warning: {message}")

    def progress(self, quarters: list[Quarter]):
        # a progress bar on a terminal; plain output in logs and CI
        return track(quarters, description="quarters", disable=not sys.stdout.isatty())

    def recorded(self, manifest: Path) -> None:
        pass


def run_quarters(
    settings: Settings,
    quarters: list[Quarter],
    force: bool = False,
    wait_seconds: float = 0,
    runner: Steps | None = None,
) -> str:
    """Each quarter in order (a later quarter's changes read the earlier one's marts), the
    CBS tables, the manifest. Returns the run id; a failure is recorded, then raised."""
    runner = runner or LocalSteps()
    house, work = folders(settings)
    with warehouse_lock(house.root, wait_seconds, work.root):
        require_recordable(house, work)
        for words in move_private_leftovers(house, work):
            runner.warn(words)
        run_id, started, log = new_run_id(), datetime.now(UTC), RunLog()
        labels = [q.label for q in quarters]
        # the code a run ran, taken once; raw files' hashes remembered between runs
        code, hashes = code_fingerprint(), FileHashes(work)
        for damaged in catalog.run_manifests(house)[1]:
            runner.warn(f"{damaged}: a damaged run manifest (not a run record); left out of runs")
        try:
            require_runnable(settings, quarters)
            log.cbs_tables = _cbs_lineage(settings)
            steps.refresh_regions(settings)
            for quarter in runner.progress(quarters):
                run_quarter(settings, quarter, log, force, runner, code, hashes)
            cbs_targets = runner.cbs(settings) if log.cbs_tables else None  # none landed: no step
            if cbs_targets:
                log.published(house, cbs_targets)
                log.cbs_outcome = f"published {len(cbs_targets)} partition files"
                runner.say(f"CBS tables: {len(cbs_targets)} partition files")
            hashes.save()
        except (Exception, KeyboardInterrupt) as error:  # any failure is recorded, then raised
            message = str(error) if isinstance(error, InputError) else _unexpected(error)
            current = next((q for q in labels if q not in log.outcomes), None)
            if current is not None:
                log.outcomes[current] = "failed (nothing of it published; see below)"
            _say_summary(runner, log, work, labels)
            with _recording(house, f"failed: {message}\nThe failed run"):
                manifest = finish_run(
                    house,
                    work,
                    run_id,
                    labels,
                    log,
                    started,
                    code,
                    "failed",
                    message,
                    public_message(error),
                )
            runner.recorded(manifest)
            raise
        finally:
            house.clear_building()
        _say_summary(runner, log, work, labels)
        with _recording(house, "succeeded"):
            manifest = finish_run(house, work, run_id, labels, log, started, code, "succeeded")
        runner.recorded(manifest)
        return run_id


def _say_summary(runner: Steps, log: RunLog, work: WorkFolder, labels: list[str]) -> None:
    if labels or log.cbs_outcome:
        runner.say("\n".join(summary_lines(log, work, labels)))


def public_message(error: BaseException) -> str:
    """What the published run summary says of a failure: its kind, never its words (an
    error's message can quote a delivery: a file without its header line shows its first row
    as column names). The full message is in the work folder's record."""
    if isinstance(error, KeyboardInterrupt):
        return "interrupted (Ctrl-C)"
    kind = "input error" if isinstance(error, InputError) else "unexpected error"
    return f"{kind} ({type(error).__name__}); the message is in the operator catalog's runs"


def has_work(settings: Settings, quarters: list[Quarter], force: bool = False) -> bool:
    """Whether a run of these quarters would do more than confirm them: a quarter to redo
    (or one the loop will refuse), or landed CBS tables. Reads fingerprints and records
    only, so a caller can leave an orchestrator unstarted when there is nothing to do; the
    loop itself decides again under the lock."""
    if landed_files(settings.raw) or (force and quarters):
        return True
    house, work = folders(settings)
    code, hashes = code_fingerprint(), FileHashes(work)
    for quarter in quarters:
        try:
            require_past(quarter)
            fingerprint = quarter_fingerprint(settings, quarter, code, hashes)
        except InputError:
            return True  # the loop says what is wrong
        if not state.is_current(house, work, quarter.label, fingerprint):
            return True
    return False


def require_recordable(house: Warehouse, work: WorkFolder) -> None:
    """A run that cannot be recorded does nothing: its figures would have no lineage."""
    for folder in (house.runs, work.runs):
        probe = folder / ".writable"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe.write_text("")
            probe.unlink()
        except OSError as error:
            raise InputError(
                f"{folder}: runs cannot be recorded there ({error.strerror or error}); "
                "nothing was done. Make it a writable folder."
            ) from None


@contextlib.contextmanager
def _recording(house: Warehouse, outcome: str):
    """The run's record failing (a disk filling up mid-run) is said, not lost in a traceback."""
    try:
        yield
    except OSError as error:
        raise InputError(
            f"the run {outcome}, but its record could not be written to {house.runs} "
            f"({error.strerror or error}); quarters it finished stay published"
        ) from error


def run_quarter(
    settings: Settings,
    quarter: Quarter,
    log: RunLog,
    force: bool,
    runner: Steps,
    code: str | None = None,
    hashes: FileHashes | None = None,
) -> None:
    """Stage, transform and publish one quarter (skipped when nothing it depends on changed)."""
    require_past(quarter)
    house, work = folders(settings)
    fingerprint = quarter_fingerprint(settings, quarter, code, hashes)
    if not force and state.is_current(house, work, quarter.label, fingerprint):
        log.skipped.append(quarter.label)
        log.outcomes[quarter.label] = "skipped: inputs and code unchanged"
        runner.say(
            f"{quarter}: inputs and code unchanged since the last run; skipped (--force redoes it)"
        )
        return
    accepted, reports = runner.stage(settings, quarter)
    log.reports += reports
    runner.say(_staged_words(quarter, reports))
    missing = undelivered({name for name, path in accepted.items() if path is not None})
    if missing:
        runner.warn(f"{quarter}: no file for {', '.join(missing)}")
    require_some_input(settings, quarter, accepted)
    pause("transform")
    targets = runner.publish(settings, runner.transform(settings, quarter, accepted))
    log.published(house, targets)
    deliveries = [
        Delivery(r.source, r.period, str(Path(r.file).relative_to(settings.raw)), r.sha256)
        for r in reports
    ]
    state.remember(house, work, quarter.label, fingerprint, deliveries)
    log.outcomes[quarter.label] = f"published {len(targets)} partitions"
    log.window_inputs += _window_lineage(settings, quarter, accepted)
    runner.say(f"{quarter}: published {len(targets)} partitions")


def _window_lineage(settings: Settings, quarter: Quarter, accepted: Accepted) -> list[dict]:
    """The earlier EBB deliveries the quarter's rolling figures were made from (none when
    it has no rolling figures: a window quarter was not published with an EBB delivery)."""
    window = steps.window_deliveries(settings, quarter, accepted.get("ebb") is not None)
    return [
        {
            "used_by": quarter.label,
            "source": d.source,
            "period": d.period,
            "file": str(settings.raw / d.file),
            "sha256": d.sha256,
        }
        for _, d in window
    ]


def _staged_words(quarter: Quarter, reports: list[SourceReport]) -> str:
    """One line per quarter: rows read, and where rows were quarantined, which and why."""
    read = sum(r.rows_read for r in reports)
    quarantined = [r for r in reports if r.rows_quarantined]
    words = f"{quarter}: {len(reports)} files, {read:,} rows read"
    if not quarantined:
        return words + ", none quarantined"
    details = "; ".join(
        f"{r.source} {r.rows_quarantined:,} ({', '.join(sorted(r.rules))})" for r in quarantined
    )
    return f"{words}, quarantined: {details} (see `kraptemeter quarantine`)"


def _unexpected(error: BaseException) -> str:
    if isinstance(error, KeyboardInterrupt):
        return "interrupted (Ctrl-C)"
    return f"unexpected error ({type(error).__name__}): {error}"


def require_past(quarter: Quarter) -> None:
    """Only a quarter that has ended has figures: one still running would be published
    from part of its deliveries."""
    if quarter.start > date.today():
        raise InputError(f"{quarter} lies in the future: there can be no figures for it yet")
    if quarter.end >= date.today():
        raise InputError(f"{quarter} has not ended yet: its figures come after {quarter.end}")


def require_runnable(settings: Settings, quarters: list[Quarter]) -> None:
    """Every quarter asked for has ended, has a delivery and takes each figure at one grain:
    a backfill with a gap or a double delivery stops before it does anything, naming every
    quarter that cannot be done."""
    for quarter in quarters:
        require_past(quarter)
    quarterly = [source for source in SOURCES.values() if not source.yearly]
    empty = [
        q
        for q in quarters
        if not any(os.path.lexists(s.file_for(settings.raw, q)) for s in quarterly)
    ]
    if empty:
        raise InputError(
            f"{settings.raw}: no input files for {', '.join(map(str, empty))}; nothing was "
            "done (ask for the quarters that have deliveries, e.g. --from/--to around the gap)"
        )
    require_one_grain(settings.raw, quarters)


def require_some_input(settings: Settings, quarter: Quarter, accepted: Accepted) -> None:
    if not any(path for name, path in accepted.items() if not SOURCES[name].yearly):
        raise InputError(f"{settings.raw}: no input files for {quarter.label}")


def _cbs_lineage(settings: Settings) -> list[dict]:
    return [
        {k: e[k] for k in ("table_id", "name", "format", "sha256", "vintage", "landed_at")}
        for e in landed_files(settings.raw)
    ]


def missing_indicators(settings: Settings) -> list[str]:
    """Indicators no published partition holds (for the run's closing words); those only CBS
    tables give are listed only when CBS tables were landed."""
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
