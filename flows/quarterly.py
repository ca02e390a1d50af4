"""The quarterly flow: per quarter, ingest and validate each source, transform, publish.

One task per source and quarter (never per row or region: a Prefect task costs milliseconds);
tasks hand each other file paths. The work itself lives in kraptemeter.pipeline.

The sources of a quarter are submitted together, so a task runner with several workers (a
Dask cluster through prefect-dask) ingests and validates them side by side. Locally one worker
runs them in turn: DuckDB already uses every core for one file, and one file at a time keeps
memory flat. Workers read `raw` and write the warehouse's staging folder, so on a cluster both
must be on a file system every worker sees.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from kraptemeter import manifest, pipeline, rerun
from kraptemeter.errors import InputError
from kraptemeter.lock import warehouse_lock
from kraptemeter.periods import Quarter
from schemas import SOURCES
from transforms.run import SurveyRules


@task(name="ingest", cache_policy=NO_CACHE, task_run_name="ingest {source_name} {quarter}")
def ingest_task(settings: pipeline.Settings, source_name: str, quarter: Quarter):
    return pipeline.ingest(settings, source_name, quarter)


@task(name="validate", cache_policy=NO_CACHE, task_run_name="validate {source_name} {quarter}")
def validate_task(settings: pipeline.Settings, source_name: str, quarter: Quarter, ingested):
    if ingested is None:  # no file for this source this quarter
        return None, None
    validated, report = pipeline.validate_source(settings, source_name, quarter, ingested)
    get_run_logger().info(
        "%s %s: read %d, accepted %d, quarantined %d %s",
        source_name,
        report.period,
        report.rows_read,
        report.rows_accepted,
        report.rows_quarantined,
        report.rules or "",
    )
    return validated.accepted_path, report


@task(name="transform", cache_policy=NO_CACHE, task_run_name="transform {quarter}")
def transform_task(settings: pipeline.Settings, quarter: Quarter, accepted: dict[str, Path | None]):
    return pipeline.transform(settings, quarter, accepted)


@task(name="publish", cache_policy=NO_CACHE, task_run_name="publish {quarter}")
def publish_task(settings: pipeline.Settings, quarter: Quarter, candidates):
    return pipeline.publish(settings, candidates)


@task(name="cbs", cache_policy=NO_CACHE)
def cbs_task(settings: pipeline.Settings):
    return pipeline.run_cbs(settings)


@flow(
    name="kraptemeter-quarterly", log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=1)
)
def quarterly_flow(
    raw: str,
    warehouse: str,
    quarters: list[str] | None = None,
    max_reject_share: float = 0.05,
    min_respondents: int = 150,
    total_rounding: int = 1000,
    variance_clusters: str = "household",
    force: bool = False,
    wait_seconds: float = 0,
) -> str:
    """Run each quarter in order (a later quarter's changes read the earlier one's marts).

    Without `quarters` (a scheduled run) it runs the last quarter that has ended.
    """
    rules = SurveyRules(min_respondents, total_rounding, variance_clusters)
    settings = pipeline.Settings(Path(raw), Path(warehouse), max_reject_share, rules)
    logger = get_run_logger()
    parsed = [last_ended_quarter()] if quarters is None else [Quarter.parse(q) for q in quarters]
    with warehouse_lock(settings.warehouse, wait_seconds):
        run_id, started, log = manifest.new_run_id(), datetime.now(UTC), manifest.RunLog()
        try:
            for quarter in parsed:
                pipeline.require_past(quarter)
                fingerprint = rerun.quarter_fingerprint(settings, quarter)
                if not force and rerun.is_current(settings, quarter, fingerprint):
                    log.skipped.append(quarter.label)
                    logger.info(
                        "%s: inputs and code unchanged; skipped (--force redoes it)", quarter
                    )
                    continue
                ingests = {name: ingest_task.submit(settings, name, quarter) for name in SOURCES}
                validations = {
                    name: validate_task.submit(settings, name, quarter, ingested)
                    for name, ingested in ingests.items()
                }
                accepted: dict[str, Path | None] = {}
                for name in SOURCES:
                    # An ingest error (a wrong header, not UTF-8) surfaces as itself here; the
                    # validate task after it never starts and has no result to raise.
                    ingests[name].result()
                    accepted[name], report = validations[name].result()
                    if report is not None:
                        log.reports.append(report)
                missing = [name for name, path in accepted.items() if path is None]
                if missing:
                    logger.warning("%s: no file for %s", quarter, ", ".join(missing))
                pipeline.require_some_input(settings, quarter, accepted)
                candidates = transform_task.submit(settings, quarter, accepted).result()
                targets = publish_task.submit(settings, quarter, candidates).result()
                log.published(settings, targets)
                rerun.remember(settings, quarter, fingerprint)
                logger.info("%s: published %d partitions", quarter, len(targets))
            cbs_targets = cbs_task.submit(settings).result()
            if cbs_targets:
                log.published(settings, cbs_targets)
                logger.info("CBS tables: %d partition files", len(cbs_targets))
        except InputError as error:
            manifest.finish_run(settings, run_id, parsed, log, started, "failed", str(error))
            raise
        manifest.finish_run(settings, run_id, parsed, log, started, "succeeded")
        return run_id


def task_runner(kind: str = "local", address: str | None = None):
    """`local`: one worker in this process. `dask`: the Dask scheduler at `address`, or a
    temporary local cluster of two worker processes when no address is given."""
    if kind == "local":
        if address:
            raise InputError("--dask-address needs --task-runner dask")
        return ThreadPoolTaskRunner(max_workers=1)
    if kind != "dask":
        raise InputError(f"unknown task runner {kind!r}: choose local or dask")
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError as error:
        raise InputError(
            "--task-runner dask needs prefect-dask: pip install 'kraptemeter[dask]'"
        ) from error
    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(
        cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "dashboard_address": None}
    )


QUARTERLY_CRON = "0 6 15 2,5,8,11 *"  # six weeks after a quarter ends, when CBS/UWV publish


def deployment(raw: str, warehouse: str, cron: str = QUARTERLY_CRON):
    """The served deployment: the flow on a quarterly cron, for the last ended quarter.

    A scheduled run that fails (a source not yet delivered, the CBS API down) is retried once
    after an hour; a run started by hand fails at once, with its message.
    """
    scheduled = quarterly_flow.with_options(retries=1, retry_delay_seconds=3600)
    return scheduled.to_deployment(
        name="kraptemeter-quarterly",
        cron=cron,
        parameters={"raw": raw, "warehouse": warehouse},
        description="Quarterly labour-market indicators; runs the last quarter that has ended",
    )


def last_ended_quarter(today: datetime | None = None) -> Quarter:
    today = today or datetime.now(UTC)
    return Quarter(today.year, (today.month - 1) // 3 + 1).previous()
