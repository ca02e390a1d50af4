"""Nothing lost, nothing half-written: kills at every stage, one writer, re-runs, revisions,
lineage, hostile names."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kraptemeter.cli import main
from kraptemeter.core.periods import Quarter, parse_quarter_span
from kraptemeter.core.settings import Settings, default_work
from kraptemeter.run import run_quarters
from kraptemeter.sample import write_sample
from kraptemeter.warehouse import catalog, operator
from kraptemeter.warehouse.lock import WarehouseBusy, warehouse_lock
from schemas.cbs.landing import import_cbs
from schemas.cbs.observations import CbsFormatError
from tests.conftest import REALDATA

Q1, Q2 = Quarter(2024, 1), Quarter(2024, 2)


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("robust") / "raw"
    write_sample(folder, parse_quarter_span("2024Q1..2024Q2"), scale=0.01)
    return folder


def snapshot(warehouse: Path) -> tuple[dict, list]:
    """Every published byte a reader can reach, and what the catalog answers."""
    marts = warehouse / "marts"
    files = {
        str(p.relative_to(marts)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(marts.rglob("*.parquet"))
    }
    con = catalog.connect(warehouse)
    answer = con.execute(
        "select period, count(*), round(sum(value), 4) from indicators group by 1 order by 1"
    ).fetchall()
    con.close()
    return files, answer


def run_by(path: str, settings: Settings, quarters: list[Quarter], **options) -> str:
    """The one run loop, called as the CLI's --no-prefect does or through the Prefect flow
    (inside a test that asks for the `prefect_server` fixture)."""
    if path == "local":
        return run_quarters(settings, quarters, **options)
    from flows.quarterly import quarterly_flow

    return quarterly_flow(
        raw=str(settings.raw),
        warehouse=str(settings.warehouse),
        quarters=[q.label for q in quarters],
        **options,
    )


PATHS = ["local", pytest.param("prefect", marks=pytest.mark.flow)]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("point", ["ingest", "validate", "transform", "publish"])
def test_a_run_killed_at_any_stage_leaves_the_previous_marts(path, point, raw, tmp_path):
    warehouse = tmp_path / "warehouse"
    run_quarters(Settings(raw, warehouse), [Q1])
    before = snapshot(warehouse)

    marker = tmp_path / "paused"
    env = {
        **os.environ,
        "KRAPTEMETER_PAUSE_AT": point,
        "KRAPTEMETER_PAUSE_MARKER": str(marker),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    run_q2 = ["run", "--quarter", "2024Q2", "--raw", str(raw), "--warehouse", str(warehouse)]
    if path == "local":
        run_q2.append("--no-prefect")
    command = [sys.executable, "-m", "kraptemeter.cli", *run_q2]
    # its own process group: the kill takes the run and any server it started with it
    run = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 180
    while not marker.exists():
        assert run.poll() is None, "the run ended before reaching " + point
        assert time.monotonic() < deadline, "the run never reached " + point
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()

    assert snapshot(warehouse) == before  # complete, readable, unchanged
    # the next run succeeds (the killed run's lock died with it) and publishes the quarter
    env.pop("KRAPTEMETER_PAUSE_AT")
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    periods = [row[0] for row in snapshot(warehouse)[1]]
    assert "2024Q2" in periods and "2024Q1" in periods


@pytest.mark.parametrize("path", PATHS)
def test_a_second_writer_stops_with_a_clear_message(path, raw, tmp_path, request):
    if path == "prefect":
        request.getfixturevalue("prefect_server")
    settings = Settings(raw, tmp_path / "warehouse")
    with warehouse_lock(settings.warehouse):
        with pytest.raises(WarehouseBusy, match="another run is writing this warehouse"):
            run_by(path, settings, [Q1])
        started = time.monotonic()
        with pytest.raises(WarehouseBusy):
            run_by(path, settings, [Q1], wait_seconds=0.5)
        assert time.monotonic() - started >= 0.5  # it waited before giving up
    run_by(path, settings, [Q1])  # released: the next run goes ahead


@pytest.mark.parametrize("path", PATHS)
def test_unchanged_inputs_are_not_redone_and_force_redoes_them(
    path, raw, tmp_path, capsys, request
):
    if path == "prefect":
        request.getfixturevalue("prefect_server")
    settings = Settings(raw, tmp_path / "warehouse")
    run_by(path, settings, [Q1])
    published = settings.warehouse / "marts" / "indicators" / "2024Q1" / "data.parquet"
    first = published.stat().st_ino
    capsys.readouterr()
    run_by(path, settings, [Q1])
    if path == "local":  # under Prefect the words go to the flow run's log
        assert "2024Q1: inputs and code unchanged" in capsys.readouterr().out
    run_by(path, settings, [Q1], force=True)
    assert "unchanged" not in capsys.readouterr().out
    # redone, with byte-identical output: the published file is kept, not rewritten
    assert published.stat().st_ino == first
    con = catalog.connect(settings.warehouse)
    skipped = con.execute("select skipped_quarters from runs order by started").fetchall()
    assert skipped == [([],), (["2024Q1"],), ([],)]


def test_a_revised_delivery_replaces_the_older_one_and_the_manifest_says_which(raw, tmp_path):
    import shutil

    revised_raw = tmp_path / "raw"
    shutil.copytree(raw, revised_raw)
    settings = Settings(revised_raw, tmp_path / "warehouse")
    run_quarters(settings, [Q1])
    original = revised_raw / "vacancies" / "open_vacancies_2024KW01.csv"
    lines = original.read_text().splitlines()
    header, first = lines[0], lines[1].split(";")
    first[-1] = str(int(first[-1]) + 1000)
    revision = original.with_name("open_vacancies_2024KW01_2024-05-15.csv")
    revision.write_text("\n".join([header, ";".join(first), *lines[2:]]) + "\n")
    run_quarters(settings, [Q1])  # a changed input: not skipped
    con = catalog.connect(settings.warehouse)
    files = {
        row[0]
        for row in con.execute(
            "select file from lineage where mart = 'indicators' and period = '2024Q1' "
            "and source = 'open_vacancies'"
        ).fetchall()
    }
    assert files == {str(revision)}
    national = con.execute(
        "select value from indicators where region_code = 'NL01' and period = '2024Q1' "
        "and indicator = 'open_vacancies'"
    ).fetchall()[0][0]
    delivered = sum(int(line.split(";")[-1]) for line in revision.read_text().splitlines()[1:])
    assert national == delivered


def test_which_files_made_this_number_is_one_query(raw, tmp_path):
    settings = Settings(raw, tmp_path / "warehouse")
    run_quarters(settings, [Q1, Q2])
    con = catalog.connect(settings.warehouse)
    rows = con.execute(
        "select source, file, sha256 from lineage "
        "where mart = 'indicators' and period = '2024Q2' order by source"
    ).fetchall()
    assert {r[0] for r in rows} == {
        "ebb",
        "open_vacancies",
        "online_vacancies_gemeente",
        "ww",
        "bijstand",
        "wajong",
        "wia_wao",
        "job_seekers",
        "population",
    }
    for _, file, sha256 in rows:
        assert hashlib.sha256(Path(file).read_bytes()).hexdigest() == sha256


def test_hostile_names_never_reach_a_path(tmp_path, capsys):
    hostile = tmp_path / "..%2fx.csv"
    hostile.write_text('"Perioden";"Regio\'s";"Grijze druk (%)"\n"2025";"Nederland";"35,5"\n')
    with pytest.raises(CbsFormatError, match="refusing a file name"):
        import_cbs(hostile, tmp_path / "raw", "70072ned")
    with pytest.raises(CbsFormatError, match="not a table id"):
        import_cbs(hostile, tmp_path / "raw", "../../x")
    assert not (tmp_path / "raw").exists() and not (tmp_path / "x").exists()

    raw = tmp_path / "raw2"
    (raw / "ebb").mkdir(parents=True)
    (raw / "ebb" / "..%2fx.csv").write_text("x\n")
    assert main(["run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh")]) == 2
    captured = capsys.readouterr()
    assert "ignoring" in captured.out and "..%2fx.csv" in captured.out
    assert not (tmp_path / "wh").exists() or not any((tmp_path / "wh").rglob("*.parquet"))


@pytest.mark.skipif(not REALDATA.is_dir(), reason="needs ../shared/realdata")
def test_a_second_run_with_cbs_tables_keeps_them_published(tmp_path):
    """An unchanged CBS partition is hard-linked into the new version (its folder too)."""
    settings = Settings(tmp_path / "raw", tmp_path / "warehouse")
    for table in ("85224NED", "80590ned"):
        import_cbs(REALDATA / "checkdecijfers_fixtures" / table, settings.raw)
    run_quarters(settings, [])
    first = snapshot(settings.warehouse)
    assert any(name.endswith("cbs.parquet") for name in first[0])
    run_quarters(settings, [])
    assert snapshot(settings.warehouse) == first


def test_an_unexpected_error_is_recorded_explained_and_logged(raw, tmp_path, monkeypatch, capsys):
    from kraptemeter import steps

    warehouse = tmp_path / "warehouse"
    run_quarters(Settings(raw, warehouse), [Q1])
    before = snapshot(warehouse)

    def broken(*args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(steps, "transform", broken)
    argv = ["run", "--no-prefect", "--quarter", "2024Q2", "--raw", str(raw)]
    assert main([*argv, "--warehouse", str(warehouse)]) == 1
    err = capsys.readouterr().err
    assert "unexpected error (RuntimeError): disk on fire" in err and "Traceback" not in err
    (log,) = (default_work(warehouse) / "logs").glob("*.log")  # private: the work folder's
    assert str(log) in err and "Traceback" in log.read_text()
    assert not (warehouse / "logs").exists()
    assert snapshot(warehouse) == before
    last = "select outcome, message from runs order by ended desc limit 1"
    con = operator.connect(default_work(warehouse))
    assert con.execute(last).fetchall() == [
        ("failed", "unexpected error (RuntimeError): disk on fire")
    ]
    con.close()
    con = catalog.connect(warehouse)  # the published summary: the kind of failure only
    assert con.execute(last).fetchall() == [
        (
            "failed",
            "unexpected error (RuntimeError); the message is in the operator catalog's runs",
        )
    ]
    con.close()
    with pytest.raises(RuntimeError):  # --debug shows the traceback itself
        main(["--debug", *argv, "--warehouse", str(warehouse)])


def test_a_run_that_cannot_be_recorded_does_nothing(raw, tmp_path, capsys):
    warehouse = tmp_path / "warehouse"
    run_quarters(Settings(raw, warehouse), [Q1])
    before = snapshot(warehouse)
    shutil.rmtree(warehouse / "runs")
    (warehouse / "runs").write_text("not a folder")  # root ignores permissions; this holds
    argv = ["run", "--no-prefect", "--quarter", "2024Q2", "--raw", str(raw)]
    assert main([*argv, "--warehouse", str(warehouse)]) == 2
    err = capsys.readouterr().err
    assert f"{warehouse / 'runs'}: runs cannot be recorded there" in err
    assert "nothing was done" in err and "Traceback" not in err
    assert snapshot(warehouse) == before  # 2024Q2 was not published


def test_a_record_that_fails_mid_run_is_said_with_the_failure(raw, tmp_path, monkeypatch, capsys):
    from kraptemeter import run

    warehouse = tmp_path / "warehouse"

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(run, "finish_run", disk_full)
    argv = ["run", "--no-prefect", "--quarter", "2024Q1", "--raw", str(raw)]
    assert main([*argv, "--warehouse", str(warehouse)]) == 2
    err = capsys.readouterr().err
    assert "the run succeeded, but its record could not be written" in err
    assert "No space left on device" in err and "Traceback" not in err


def test_a_quarter_still_running_is_refused(tmp_path, capsys):
    from datetime import date

    running = Quarter(date.today().year, (date.today().month - 1) // 3 + 1)
    argv = ["run", "--no-prefect", "--quarter", running.label, "--raw", str(tmp_path)]
    assert main([*argv, "--warehouse", str(tmp_path / "wh")]) == 2
    assert f"{running} has not ended yet" in capsys.readouterr().err


@pytest.mark.parametrize(
    "labels, newest",
    [
        (["v2", "v10", "v9"], "v10"),  # numbers, not text: v10 is after v9
        (["2024-05-15", "2024-11-02", "2024-09-30"], "2024-11-02"),
        ([], None),
    ],
)
def test_revision_labels_have_a_defined_order(tmp_path, labels, newest):
    from schemas import SOURCES

    folder = tmp_path / "vacancies"
    folder.mkdir()
    (folder / "open_vacancies_2024KW01.csv").write_text("x\n")
    for label in labels:
        (folder / f"open_vacancies_2024KW01_{label}.csv").write_text("x\n")
    chosen = SOURCES["open_vacancies"].file_for(tmp_path, Q1).name
    expected = f"open_vacancies_2024KW01_{newest}.csv" if newest else "open_vacancies_2024KW01.csv"
    assert chosen == expected


@pytest.mark.parametrize(
    "labels, words",
    [
        (["final"], "revision label 'final' has no defined order"),
        (["2024-5-16"], "revision label '2024-5-16' has no defined order"),
        (["2024-02-30"], "revision label '2024-02-30' has no defined order"),
        (["v2", "2024-05-15"], "mix dates and versions"),
        (["v02"], "revision label 'v02' has no defined order"),
        (["v0"], "revision label 'v0' has no defined order"),
        (["v2.1"], "revision label 'v2.1' has no defined order"),
        (["v2_fix"], "revision label 'v2_fix' has no defined order"),
    ],
)
def test_an_unordered_revision_label_is_refused_by_name(tmp_path, labels, words, capsys):
    folder = tmp_path / "raw" / "vacancies"
    folder.mkdir(parents=True)
    for label in labels:
        (folder / f"open_vacancies_2024KW01_{label}.csv").write_text("x\n")
    argv = ["run", "--no-prefect", "--quarter", "2024Q1", "--raw", str(tmp_path / "raw")]
    assert main([*argv, "--warehouse", str(tmp_path / "wh")]) == 2
    assert words in capsys.readouterr().err


@pytest.mark.parametrize("damage", ['{"run_id": "x", "outco', "", "[]", '{"other": 1}'])
def test_a_damaged_run_manifest_is_named_and_left_out_of_runs(raw, tmp_path, capsys, damage):
    settings = Settings(raw, tmp_path / "warehouse")
    run_quarters(settings, [Q1])
    damaged = settings.warehouse / "runs" / "damaged.json"
    damaged.write_text(damage)
    capsys.readouterr()
    run_quarters(settings, [Q1])
    assert f"{damaged}: a damaged run manifest" in capsys.readouterr().out
    con = catalog.connect(settings.warehouse)
    outcomes = con.execute("select outcome from runs order by started").fetchall()
    con.close()
    assert outcomes == [("succeeded",), ("succeeded",)]


def test_an_interrupted_run_is_recorded_as_failed(raw, tmp_path, monkeypatch, capsys):
    from kraptemeter import steps

    warehouse = tmp_path / "warehouse"
    run_quarters(Settings(raw, warehouse), [Q1])
    before = snapshot(warehouse)

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(steps, "transform", interrupted)
    argv = ["run", "--no-prefect", "--quarter", "2024Q2", "--raw", str(raw)]
    assert main([*argv, "--warehouse", str(warehouse)]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert snapshot(warehouse) == before
    con = catalog.connect(warehouse)
    last = con.execute("select outcome, message from runs order by ended desc limit 1").fetchall()
    con.close()
    assert last == [("failed", "interrupted (Ctrl-C)")]
