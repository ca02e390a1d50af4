"""The Prefect side against a real local server: a failed deployment run is retried as
configured, the schedule keeps Dutch time, and every flow run leaves a table of what it
published, skipped and quarantined."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from uuid import UUID

import pytest

from kraptemeter.core.periods import parse_quarter_span
from kraptemeter.sample import write_sample

ROOT = Path(__file__).resolve().parents[1]
DEPLOYMENT = "kraptemeter-quarterly/kraptemeter-quarterly"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("deployment") / "raw"
    write_sample(raw, parse_quarter_span("2024Q1..2024Q2"), scale=0.01)
    return raw


def _client():
    from prefect.client.orchestration import get_client

    return get_client(sync_client=True)


def _artifacts(flow_run_id: UUID) -> list:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with _client() as client:
        return client.read_artifacts(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )


def _task_names(flow_run_id: UUID) -> list[str]:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with _client() as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    return sorted(run.name for run in runs)


@pytest.mark.flow
def test_each_flow_run_tables_what_it_published_skipped_and_quarantined(
    prefect_server, sample, tmp_path
):
    from flows.quarterly import quarterly_flow

    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    shutil.copytree(sample, raw)
    (raw / "vacancies" / "online_vacancies_gemeente_2024KW02.csv").unlink()  # not delivered
    ww = raw / "registers" / "ww_2024KW02.csv"
    lines = ww.read_text().splitlines()
    lines[1] = lines[1].replace('"GM', '"GX', 1)  # one unknown gemeente code
    ww.write_text("\n".join(lines) + "\n")

    def run(quarters):
        state = quarterly_flow(
            raw=str(raw), warehouse=str(warehouse), quarters=quarters, return_state=True
        )
        assert state.is_completed(), state.message
        return state.state_details.flow_run_id

    first = run(["2024Q1", "2024Q2"])
    second = run(["2024Q2"])  # nothing changed

    (artifact,) = _artifacts(first)
    assert artifact.type == "markdown" and artifact.key == "kraptemeter-run"
    table = artifact.data
    assert ": succeeded**" in table
    assert "| 2024Q1 | published | 10 |" in table and "| 2024Q2 | published | 10 |" in table
    assert "| ww | 2024Q2 | ww_2024KW02.csv |" in table
    (ww_row,) = [line for line in table.splitlines() if line.startswith("| ww | 2024Q2 |")]
    assert "| 1 | gemeente_code: unknown gemeente code (1) |" in ww_row
    assert "| online_vacancies_gemeente | 2024Q1 |" in table
    assert "| online_vacancies_gemeente | 2024Q2 |" not in table  # not delivered, not read
    # no task for a source without a file, none for CBS tables that were never landed
    names = _task_names(first)
    assert "ingest ww 2024Q2" in names and "validate ww 2024Q2" in names
    assert "ingest online_vacancies_gemeente 2024Q1" in names
    assert not [n for n in names if "online_vacancies_gemeente 2024Q2" in n or n.startswith("cbs")]

    (artifact,) = _artifacts(second)
    assert "| 2024Q2 | skipped (inputs and code unchanged) | 0 |" in artifact.data
    assert "| source |" not in artifact.data  # no file read
    assert _task_names(second) == []  # a skipped quarter runs no task


@pytest.mark.flow
def test_a_failed_deployment_run_is_retried_and_the_schedule_keeps_dutch_time(
    prefect_server, sample, tmp_path
):
    """`kraptemeter serve` against a server; a run started through the server finds no file
    for its quarter and fails; the files arrive; the retry publishes the quarter."""
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL

    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    raw.mkdir()
    env = {
        **os.environ,
        "PREFECT_API_URL": PREFECT_API_URL.value(),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
        "KRAPTEMETER_RETRY_DELAY_SECONDS": "4",
    }
    log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen(
        [sys.executable, "-m", "kraptemeter.cli", "serve"]
        + ["--raw", str(raw), "--warehouse", str(warehouse)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        with _client() as client:
            deployment = _wait_for(lambda: _deployment(client), "the deployment", serve, tmp_path)
            (schedule,) = deployment.schedules
            assert schedule.schedule.cron == "0 6 15 2,5,8,11 *"
            assert schedule.schedule.timezone == "Europe/Amsterdam"

            started = run_deployment(DEPLOYMENT, parameters={"quarters": ["2024Q2"]}, timeout=0)
            waiting = _wait_for(
                lambda: _in_state(client, started.id, "AwaitingRetry"),
                "the first attempt to fail",
                serve,
                tmp_path,
            )
            assert waiting.empirical_policy.retries == 1
            assert waiting.empirical_policy.retry_delay == 4
            shutil.copytree(sample, raw, dirs_exist_ok=True)  # the deliveries arrive
            final = _wait_for(
                lambda: _final(client, started.id), "the retry to finish", serve, tmp_path
            )
        assert final.state.name == "Completed", (tmp_path / "serve.log").read_text()[-3000:]
        assert final.run_count == 2
        assert (warehouse / "marts" / "indicators" / "2024Q2" / "data.parquet").is_file()
    finally:
        serve.terminate()
        serve.wait(30)
        log.close()


def _deployment(client):
    from prefect.exceptions import ObjectNotFound

    try:
        return client.read_deployment_by_name(DEPLOYMENT)
    except ObjectNotFound:
        return None


def _in_state(client, flow_run_id, name: str):
    run = client.read_flow_run(flow_run_id)
    if run.state is not None and run.state.is_final():
        raise AssertionError(f"the flow run ended {run.state.name} before a retry")
    return run if run.state is not None and run.state.name == name else None


def _final(client, flow_run_id):
    run = client.read_flow_run(flow_run_id)
    return run if run.state is not None and run.state.is_final() else None


def _wait_for(probe, what: str, serve: subprocess.Popen, tmp_path: Path, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = probe()
        if found is not None:
            return found
        if serve.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"waited for {what}: " + (tmp_path / "serve.log").read_text()[-3000:])
