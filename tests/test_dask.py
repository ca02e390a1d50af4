"""The flow on a Dask cluster (prefect-dask): two worker processes run the per-source tasks,
and the marts equal those of a single-process run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import distributed  # kraptemeter[dask]: in requirements.lock, so CI and `make test` have it
import duckdb
import pytest

from kraptemeter.core.periods import Quarter, parse_quarter_span
from kraptemeter.core.settings import Settings
from kraptemeter.run import run_quarters
from kraptemeter.sample import write_sample


def mart_rows(warehouse: Path) -> dict[str, list[tuple]]:
    """Every mart file's rows, keyed by its path under marts/."""
    marts = (warehouse / "marts").resolve()
    return {
        str(path.relative_to(marts)): duckdb.sql(f"select * from '{path}' order by all").fetchall()
        for path in sorted(marts.rglob("*.parquet"))
    }


@pytest.mark.flow
def test_two_dask_workers_build_the_same_marts_as_one_process(tmp_path):
    raw = tmp_path / "raw"
    write_sample(raw, parse_quarter_span("2024Q1..2024Q2"), scale=0.01)
    single = tmp_path / "single"
    run_quarters(Settings(raw, single), [Quarter(2024, 1), Quarter(2024, 2)])

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = tmp_path / "dask"
        with distributed.get_task_stream(client) as stream:
            run = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "kraptemeter.cli",
                    "run",
                    "--from",
                    "2024Q1",
                    "--to",
                    "2024Q2",
                    "--raw",
                    str(raw),
                    "--warehouse",
                    str(on_dask),
                    "--task-runner",
                    "dask",
                    "--dask-address",
                    cluster.scheduler_address,
                ],
                capture_output=True,
                text=True,
                env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"},
                timeout=600,
            )
        assert run.returncode == 0, run.stderr[-3000:]
        ran = stream.data
    workers_by_task = {}  # Dask keys are '<step function>-<id>'
    for record in ran:
        workers_by_task.setdefault(str(record["key"]).split("-")[0], set()).add(record["worker"])
    assert set(workers_by_task) >= {"ingest", "validate_source", "transform"}
    assert len(workers_by_task["validate_source"]) == 2  # both workers validated sources

    single_marts, dask_marts = mart_rows(single), mart_rows(on_dask)
    assert len(single_marts) >= 16  # eight or more marts, two quarters
    assert dask_marts == single_marts
