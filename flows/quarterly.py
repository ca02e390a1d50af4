"""The quarterly flow: Prefect wiring around the run loop of kraptemeter.run, nothing more.

The loop is the same one `--no-prefect` runs; here its steps run as tasks: one per source and
quarter for ingest and validate (never per row or region: a task costs milliseconds), one per
quarter for transform and publish. Tasks hand each other file paths.

The sources of a quarter are submitted together, so a task runner with several workers (a
Dask cluster through prefect-dask) ingests and validates them side by side. Locally one worker
runs them in turn: DuckDB already uses every core for one file, and one file at a time keeps
memory flat. Workers read `raw` and write the work folder's staging, so on a cluster both
must be on a file system every worker sees.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.schedules import Cron
from prefect.task_runners import ThreadPoolTaskRunner

from kraptemeter import steps
from kraptemeter.core import settings as defaults
from kraptemeter.core.errors import InputError
from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import Settings, SurveyRules
from kraptemeter.run import Accepted, run_quarters
from kraptemeter.warehouse.manifest import markdown_summary
from schemas import SOURCES


class _RefusalsWithoutTraceback(logging.Filter):
    """A refused delivery (an InputError: a wrong header, too many rejected rows) is an
    answer, not a bug: Prefect's task and flow loggers would print its traceback twice
    around the one message the user needs. Their records of it are dropped; the final state
    line and the command's own message say what was refused. Any other error keeps its
    traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, InputError)


for _name in ("prefect.task_runs", "prefect.flow_runs"):
    logging.getLogger(_name).addFilter(_RefusalsWithoutTraceback())

ingest_task = task(
    steps.ingest,
    name="ingest",
    cache_policy=NO_CACHE,
    task_run_name="ingest {source_name} {quarter}",
)
validate_task = task(
    steps.validate_source,
    name="validate",
    cache_policy=NO_CACHE,
    task_run_name="validate {source_name} {quarter}",
)
transform_task = task(
    steps.transform, name="transform", cache_policy=NO_CACHE, task_run_name="transform {quarter}"
)
publish_task = task(steps.publish, name="publish", cache_policy=NO_CACHE)
cbs_task = task(steps.cbs, name="cbs", cache_policy=NO_CACHE)


class PrefectSteps:
    """The run loop's steps as Prefect tasks, on the flow's task runner."""

    def stage(self, settings: Settings, quarter: Quarter):
        # tasks only for the sources that have a file: no task runs for work that is not there
        ingests = {
            name: ingest_task.submit(settings, name, quarter)
            for name in steps.delivered(settings, quarter)
        }
        # Every file's header and encoding are checked (cheap) before any is validated: a
        # refused file stops the quarter before the other sources spend minutes on theirs.
        ingested = {name: future.result() for name, future in ingests.items()}
        validations = {
            name: validate_task.submit(settings, name, quarter, ingested[name]) for name in ingests
        }
        accepted: Accepted = dict.fromkeys(SOURCES)
        reports = []
        for name, validation in validations.items():
            accepted[name], report = validation.result()
            if report is not None:
                reports.append(report)
        return accepted, reports

    def transform(self, settings: Settings, quarter: Quarter, accepted: Accepted) -> dict:
        return transform_task.submit(settings, quarter, accepted).result()

    def publish(self, settings: Settings, candidates: dict) -> list[Path]:
        return publish_task.submit(settings, candidates).result()

    def cbs(self, settings: Settings) -> list[Path] | None:
        return cbs_task.submit(settings).result()

    def say(self, message: str) -> None:
        get_run_logger().info(message)

    def warn(self, message: str) -> None:
        get_run_logger().warning(message)

    def progress(self, quarters: list[Quarter]):
        return quarters

    def recorded(self, manifest: Path) -> None:
        """What the run published, skipped and quarantined, as the flow run's artifact (a
        failure to make it is said, never the run's outcome)."""
        try:
            create_markdown_artifact(
                markdown=markdown_summary(json.loads(manifest.read_text(encoding="utf-8"))),
                key="kraptemeter-run",
                description="Quarters published and skipped, files read and rows quarantined",
            )
        except Exception as error:
            self.warn(f"the run's summary artifact could not be made: {error}")


@flow(
    name="kraptemeter-quarterly", log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=1)
)
def quarterly_flow(
    raw: str,
    warehouse: str,
    quarters: list[str] | None = None,
    max_reject_share: float = defaults.MAX_REJECT_SHARE,
    min_respondents: int = defaults.MIN_RESPONDENTS,
    total_rounding: int = defaults.TOTAL_ROUNDING,
    variance_clusters: str = defaults.VARIANCE_CLUSTERS[0],
    force: bool = False,
    wait_seconds: float = 0,
    work: str | None = None,
) -> str:
    """Run the given quarters in order; without `quarters` (a scheduled run), the last
    quarter that has ended. `work`: the private work folder (default `<warehouse>.work`)."""
    rules = SurveyRules(min_respondents, total_rounding, variance_clusters)
    settings = Settings(
        Path(raw), Path(warehouse), max_reject_share, rules, Path(work) if work else None
    )
    if quarters is None:  # a scheduled run
        parsed = [Quarter.last_ended(datetime.now(UTC).date())]
    else:
        parsed = [Quarter.parse(q) for q in quarters]
    return run_quarters(settings, parsed, force, wait_seconds, PrefectSteps())


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


# The deployment's flow: the same flow with its retries. The deployment's entrypoint names
# this object, so whatever starts a deployment run (the runner of `kraptemeter serve`, a
# worker) loads the flow with them: a scheduled run, or one started through the server,
# that fails (a source not yet delivered, the CBS API down) is retried after the delay.
# A run started by hand (`kraptemeter run`) fails at once, with its message.
scheduled_flow = quarterly_flow.with_options(
    retries=defaults.SCHEDULED_RETRIES,
    retry_delay_seconds=defaults.scheduled_retry_delay_seconds(),
)


def deployment(
    raw: str, warehouse: str, cron: str = defaults.QUARTERLY_CRON, work: str | None = None
):
    """The served deployment: the flow with retries on a quarterly cron in Dutch time, for
    the last ended quarter."""
    served = scheduled_flow.to_deployment(
        name="kraptemeter-quarterly",
        schedules=[Cron(cron, timezone=defaults.SCHEDULE_TIMEZONE)],
        parameters={"raw": raw, "warehouse": warehouse, **({"work": work} if work else {})},
        description="Quarterly labour-market indicators; runs the last quarter that has ended",
    )
    path, _, _ = served.entrypoint.rpartition(":")
    served.entrypoint = f"{path}:scheduled_flow"
    return served
