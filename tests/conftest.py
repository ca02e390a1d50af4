"""Shared fixtures: hand-made raw files, and a small generated sample run once per session."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from kraptemeter.core.periods import Quarter, parse_quarter_span
from kraptemeter.core.settings import Settings
from kraptemeter.run import run_quarters
from kraptemeter.sample import write_sample
from kraptemeter.warehouse import catalog
from schemas import SOURCES

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
SAMPLE_QUARTERS = "2023Q4..2024Q2"


def write_raw(raw: Path, source: str, quarter: Quarter, rows: list[dict]) -> Path:
    """Write rows as the source's CSV (semicolon, header in schema order) for the quarter."""
    src = SOURCES[source]
    path = src.file_for(raw, quarter)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = list(src.schema_for(quarter).columns)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, delimiter=";", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in columns})
    return path


def indicator_values(warehouse: Path, period: str) -> dict[tuple[str, str], float]:
    con = catalog.connect(warehouse)
    try:
        rows = con.execute(
            "select region_code, indicator, value from indicators "
            "where period = ? and period_type <> 'rolling_4q'",
            [period],
        ).fetchall()
    finally:
        con.close()
    return {(region, indicator): value for region, indicator, value in rows}


def skipped_runs(settings: Settings) -> list[list[str]]:
    """Per run, oldest first, the quarters it skipped as unchanged."""
    con = catalog.connect(settings.warehouse)
    try:
        rows = con.execute("select skipped_quarters from runs order by started").fetchall()
        return [row[0] for row in rows]
    finally:
        con.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(raw=tmp_path / "raw", warehouse=tmp_path / "warehouse")


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory) -> tuple[Path, Path]:
    """A 2%-scale generated sample of three quarters, run without Prefect."""
    root = tmp_path_factory.mktemp("sample")
    raw, warehouse = root / "raw", root / "warehouse"
    quarters = parse_quarter_span(SAMPLE_QUARTERS)
    write_sample(raw, quarters, scale=0.02)
    run_quarters(Settings(raw, warehouse), quarters)
    return raw, warehouse


@pytest.fixture(scope="session")
def prefect_server():
    """A temporary Prefect server and database for flows run inside the test process,
    stopped when the session ends (not at interpreter exit, after output capture closed)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
