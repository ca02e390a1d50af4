"""A run with nothing new does little, and never less than it must: raw files are not read
again while their bytes cannot have changed, the catalog is copied with only `runs` replaced
while nothing else changed, and a yearly delivery is validated once, not once a quarter."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kraptemeter import steps
from kraptemeter.core.periods import Quarter, parse_quarter_span
from kraptemeter.core.settings import Settings
from kraptemeter.run import has_work, run_quarters
from kraptemeter.sample import write_sample
from kraptemeter.warehouse import catalog, hashes
from tests.conftest import skipped_runs

Q1, Q2 = Quarter(2024, 1), Quarter(2024, 2)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("unchanged") / "raw"
    write_sample(raw, parse_quarter_span("2024Q1..2024Q2"), scale=0.01)
    return raw


@pytest.fixture
def settings(sample, tmp_path) -> Settings:
    shutil.copytree(sample, tmp_path / "raw")
    return Settings(tmp_path / "raw", tmp_path / "warehouse")


def test_unchanged_raw_files_are_not_read_but_a_rewrite_keeping_size_and_time_is(
    settings, monkeypatch
):
    monkeypatch.setattr(hashes, "SETTLED_SECONDS", 0)  # the sample was written just now
    run_quarters(settings, [Q1])
    read = []
    real = hashes.sha256_of
    monkeypatch.setattr(hashes, "sha256_of", lambda path: read.append(path) or real(path))
    assert not has_work(settings, [Q1])
    run_quarters(settings, [Q1])
    assert read == []  # every raw file's hash was remembered

    ww = settings.raw / "registers" / "ww_2024KW01.csv"
    before = ww.stat()
    data = bytearray(ww.read_bytes())
    at = data.rindex(b'"GM') + 5  # a digit of the last row's gemeente code
    data[at] = ord("9") if data[at] != ord("9") else ord("8")
    ww.write_bytes(bytes(data))
    os.utime(ww, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime
    assert ww.stat().st_size == before.st_size
    assert has_work(settings, [Q1])
    run_quarters(settings, [Q1])
    assert skipped_runs(settings) == [[], ["2024Q1"], []]  # the changed bytes were noticed


def test_a_run_that_publishes_nothing_replaces_only_runs_and_a_stale_catalog_is_rebuilt(
    settings, monkeypatch
):
    run_quarters(settings, [Q1])
    rebuilt = []
    real = catalog._create_table
    monkeypatch.setattr(
        catalog, "_create_table", lambda con, name, *a: rebuilt.append(name) or real(con, name, *a)
    )
    run_quarters(settings, [Q1])
    assert rebuilt == []  # a copy with the new run
    assert skipped_runs(settings) == [[], ["2024Q1"]]
    con = catalog.connect(settings.warehouse)
    assert con.execute("select count(*) from indicators").fetchall()[0][0] > 0
    assert con.execute("select count(*) from lineage").fetchall()[0][0] > 0
    con.close()

    # a publish whose catalog was never rebuilt (killed between the two swaps)
    catalog_file = settings.warehouse / "warehouse.duckdb"
    built_from = settings.warehouse / ".warehouse.duckdb.source"
    kept = {path: path.read_bytes() for path in (catalog_file, built_from)}
    run_quarters(settings, [Q1], force=True)
    for path, data in kept.items():
        path.write_bytes(data)
    rebuilt.clear()
    run_quarters(settings, [Q1])
    assert "indicator_candidates" in rebuilt  # rebuilt in full from the version now published
    assert skipped_runs(settings)[-1] == ["2024Q1"]


def test_a_yearly_delivery_is_validated_once_until_code_or_rules_change(settings, monkeypatch):
    validated = []
    real = steps.validate
    monkeypatch.setattr(
        steps,
        "validate",
        lambda con, schema, *a: validated.append(schema.name) or real(con, schema, *a),
    )
    run_quarters(settings, [Q1, Q2])
    assert validated.count("population") == 1 and validated.count("ww") == 2
    con = catalog.connect(settings.warehouse)
    rows = con.execute(
        "select s.source, s.rows_read from runs, unnest(sources) as t(s) "
        "where s.source = 'population'"
    ).fetchall()
    con.close()
    assert len(rows) == 2 and rows[0] == rows[1] and rows[0][1] > 0  # reported for both

    validated.clear()
    run_quarters(settings, [Q2], force=True)
    assert validated.count("population") == 0  # same delivery, same code

    monkeypatch.setattr(steps, "code_fingerprint", lambda: "the code of a later release")
    run_quarters(settings, [Q2], force=True)
    assert validated.count("population") == 1  # other code validates again

    stricter = Settings(settings.raw, settings.warehouse, max_reject_share=0.01)
    run_quarters(stricter, [Q2], force=True)
    assert validated.count("population") == 2  # other rules validate again


def test_kraptemeter_run_with_nothing_to_redo_starts_no_prefect_server(settings):
    import subprocess
    import sys

    command = [sys.executable, "-m", "kraptemeter.cli", "run", "--quarter", "2024Q1"]
    command += ["--raw", str(settings.raw), "--warehouse", str(settings.warehouse)]
    env = {**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api"}  # nothing listens there
    first = subprocess.run([*command, "--no-prefect"], capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stderr[-3000:]
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "nothing to redo; recording the run without starting Prefect" in again.stdout
    assert "skipped" in again.stdout
    assert skipped_runs(settings) == [[], ["2024Q1"]]  # recorded all the same
