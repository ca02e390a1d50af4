"""The command line and the Prefect flow, end to end (only these tests pay Prefect's start)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kraptemeter.cli import main
from kraptemeter.core.periods import parse_quarter_span
from kraptemeter.sample import write_sample
from kraptemeter.warehouse import catalog
from tests.conftest import REALDATA
from transforms.indicators import PIPELINE as INDICATORS

CLI = [sys.executable, "-m", "kraptemeter.cli"]


@pytest.fixture(scope="module")
def tiny_raw(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("cli") / "raw"
    write_sample(raw, parse_quarter_span("2024Q1..2024Q2"), scale=0.01)
    return raw


@pytest.mark.flow
def test_run_with_prefect_then_query_with_sql(tiny_raw, tmp_path):
    warehouse = tmp_path / "warehouse"
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    run = subprocess.run(
        [
            *CLI,
            "run",
            "--from",
            "2024Q1",
            "--to",
            "2024Q2",
            "--raw",
            str(tiny_raw),
            "--warehouse",
            str(warehouse),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Catalog:" in run.stdout
    assert f"kraptemeter sql --warehouse {warehouse} -c" in run.stdout  # the hint works as shown
    assert "Finished in state Completed" in run.stderr + run.stdout
    (manifest,) = (warehouse / "runs").glob("*.json")
    record = json.loads(manifest.read_text())
    assert record["outcome"] == "succeeded" and record["quarters"] == ["2024Q1", "2024Q2"]
    assert {s["source"] for s in record["sources"]} >= {"ebb", "ww", "population"}

    query = subprocess.run(
        [
            *CLI,
            "sql",
            "--warehouse",
            str(warehouse),
            "-c",
            "select count(distinct indicator) as n from indicators "
            "where region_code = 'PV26' and period = '2024Q2'",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path.anchor,
    )
    assert query.returncode == 0, query.stderr
    # every quarterly indicator of the catalog (new_vacancies too: delivered per gemeente)
    expected = sum(i.period_type == "quarter" for i in INDICATORS)
    assert f"│ {expected:>5} │" in query.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--quarter", "2024Q1'; drop table x; --"],
        ["run", "--quarter", "../../etc"],
        ["run", "--from", "2024Q3", "--to", "2024Q1"],
    ],
)
def test_hostile_or_impossible_quarters_are_refused_with_a_message(argv, tmp_path, capsys):
    code = main([*argv, "--raw", str(tmp_path / "raw"), "--warehouse", str(tmp_path / "wh")])
    assert code == 2
    assert "kraptemeter:" in capsys.readouterr().err
    assert not (tmp_path / "wh").exists()


def test_run_without_inputs_says_what_is_missing(tmp_path, capsys):
    (tmp_path / "raw").mkdir()
    code = main(["run", "--raw", str(tmp_path / "raw"), "--warehouse", str(tmp_path / "wh")])
    assert code == 2
    assert "no input files" in capsys.readouterr().err


def test_a_missing_raw_folder_is_named_as_missing(tmp_path, capsys):
    code = main(["run", "--raw", str(tmp_path / "raaw"), "--warehouse", str(tmp_path / "wh")])
    assert code == 2
    assert f"{tmp_path / 'raaw'}: no such folder (--raw)" in capsys.readouterr().err


def test_version_and_help_for_every_option(capsys):
    from kraptemeter.arguments import build_parser
    from kraptemeter.cli import HANDLERS

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("kraptemeter 0.")
    parser = build_parser(HANDLERS, "")
    commands = next(a for a in parser._actions if a.dest == "command_name").choices
    undocumented = [
        f"{name} {'/'.join(action.option_strings) or action.dest}"
        for name, command in commands.items()
        for action in command._actions
        if not action.help
    ]
    assert undocumented == []
    assert "--from QUARTER" in commands["run"].format_help()
    assert "(default: 0.05)" in commands["run"].format_help()


def test_a_backfill_with_a_gap_stops_before_doing_anything(tiny_raw, tmp_path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(tiny_raw, raw)
    for path in raw.rglob("*_2024KW02*.csv"):
        path.unlink()
    write_sample(raw, parse_quarter_span("2024Q3"), scale=0.01)
    argv = ["run", "--no-prefect", "--from", "2024q1", "--to", "2024q3", "--raw", str(raw)]
    assert main([*argv, "--warehouse", str(tmp_path / "wh")]) == 2
    assert "no input files for 2024Q2; nothing was done" in capsys.readouterr().err
    assert not (tmp_path / "wh" / "marts").exists()


def test_import_cbs_says_what_it_skipped_and_fails(tmp_path, capsys):
    folder = tmp_path / "tables"
    (folder / "more").mkdir(parents=True)
    shutil.copy(REALDATA / "autelius_crime_unemployment/province_unemployment.csv", folder)
    code = main(["import-cbs", str(folder), "--raw", str(tmp_path / "raw")])
    err = capsys.readouterr().err
    assert code == 1
    assert f"skipped {folder / 'more'}: a folder that is not a table's OData v4 download" in err
    assert (tmp_path / "raw" / "cbs" / "85268NED" / "province_unemployment.csv").is_file()


def test_sql_without_a_catalog_says_how_to_name_the_warehouse(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["sql", "-c", "select 1"]) == 2
    assert "give the warehouse with --warehouse" in capsys.readouterr().err


def test_run_quarter_without_prefect_and_sql_shell_reads_stdin(
    tiny_raw, tmp_path, capsys, monkeypatch
):
    warehouse = tmp_path / "wh"
    assert (
        main(
            [
                "run",
                "--quarter",
                "2024Q2",
                "--no-prefect",
                "--raw",
                str(tiny_raw),
                "--warehouse",
                str(warehouse),
            ]
        )
        == 0
    )
    import io

    monkeypatch.setattr(
        "sys.stdin",
        io.StringIO(
            "select region_name from indicators\n where region_code = 'AM13' limit 1;\n"
            "select nonsense;\n"
        ),
    )
    # a piped session goes on after an error, and its exit says one happened
    assert main(["sql", "--warehouse", str(warehouse)]) == 1
    captured = capsys.readouterr()
    assert "Midden-Utrecht" in captured.out
    assert "error:" in captured.err


def test_the_served_deployment_runs_quarterly_for_the_last_ended_quarter():
    from datetime import datetime

    from flows.quarterly import deployment
    from kraptemeter.core.periods import Quarter
    from kraptemeter.core.settings import QUARTERLY_CRON

    served = deployment("/data/raw", "/data/warehouse")
    assert served.name == "kraptemeter-quarterly"
    assert [s.schedule.cron for s in served.schedules] == [QUARTERLY_CRON]
    assert served.parameters == {"raw": "/data/raw", "warehouse": "/data/warehouse"}
    private = deployment("/data/raw", "/data/warehouse", work="/private/work")
    assert private.parameters["work"] == "/private/work"
    assert str(Quarter.last_ended(datetime(2025, 2, 15).date())) == "2024Q4"
    assert str(Quarter.last_ended(datetime(2025, 5, 15).date())) == "2025Q1"


@pytest.mark.flow
@pytest.mark.skipif(not REALDATA.is_dir(), reason="needs ../shared/realdata")
def test_flow_on_a_raw_folder_with_only_cbs_tables(tmp_path):
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    assert (
        main(
            [
                "import-cbs",
                str(REALDATA / "checkdecijfers_fixtures" / "85224NED"),
                "--raw",
                str(raw),
            ]
        )
        == 0
    )
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    run = subprocess.run(
        [*CLI, "run", "--raw", str(raw), "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "only CBS tables" in run.stdout and "Not computed" in run.stdout
    con = catalog.connect(warehouse)
    assert con.execute(
        "select value from indicators where indicator = 'unemployment_rate' "
        "and region_code = 'NL01' and period = '2024Q2' and source = 'cbs:85224NED'"
    ).fetchall() == [(3.6,)]


@pytest.mark.flow
def test_a_bad_file_fails_the_flow_with_its_name_and_keeps_the_marts(tiny_raw, tmp_path):
    """A failing task's error reaches the caller through its future; nothing is published
    and the run is recorded as failed."""
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    shutil.copytree(tiny_raw, raw)
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    command = [*CLI, "run", "--quarter", "2024Q2", "--raw", str(raw), "--warehouse", str(warehouse)]
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert first.returncode == 0, first.stderr[-3000:]
    before = {p: p.read_bytes() for p in (warehouse / "marts").resolve().rglob("*.parquet")}

    bad = raw / "registers" / "ww_2024KW02.csv"
    lines = bad.read_text().splitlines()
    bad.write_text("\n".join([lines[0].replace("scheme", "regeling"), *lines[1:]]) + "\n")
    failed = subprocess.run(
        [*command, "--force"], capture_output=True, text=True, env=env, timeout=300
    )
    assert failed.returncode == 2
    assert str(bad) in failed.stderr and "unexpected column(s) regeling" in failed.stderr
    # a refusal is an answer, not a bug: no traceback, and no source is validated after it
    output = failed.stdout + failed.stderr
    assert "Traceback" not in output and "NotReady" not in output
    assert "Task run 'validate" not in output
    after = {p: p.read_bytes() for p in (warehouse / "marts").resolve().rglob("*.parquet")}
    assert after == before
    outcomes = [json.loads(p.read_text())["outcome"] for p in (warehouse / "runs").glob("*.json")]
    assert sorted(outcomes) == ["failed", "succeeded"]


@pytest.mark.parametrize("scale", ["0", "-1", "nan", "inf", "x"])
def test_a_sample_scale_must_be_a_number_above_zero(scale, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["sample", "--out", str(tmp_path / "raw"), "--scale", scale])
    assert exit_.value.code == 2
    assert "not a number above zero" in capsys.readouterr().err
    assert not (tmp_path / "raw").exists()


@pytest.mark.parametrize("wait", ["nan", "inf", "-1"])
def test_a_wait_must_be_finite_seconds(wait, tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["run", "--no-prefect", "--raw", str(tmp_path), "--wait", wait])
    assert "not a number of seconds" in capsys.readouterr().err


def test_files_of_a_quarter_still_running_wait_for_it_to_end(tiny_raw, tmp_path, capsys):
    from datetime import date

    from kraptemeter.core.periods import Quarter

    raw = tmp_path / "raw"
    shutil.copytree(tiny_raw, raw)
    running = Quarter.last_ended(date.today()).next()
    early = raw / "vacancies" / f"open_vacancies_{running.cbs_code}.csv"
    early.write_text((raw / "vacancies" / "open_vacancies_2024KW02.csv").read_text())
    argv = ["run", "--no-prefect", "--raw", str(raw), "--warehouse", str(tmp_path / "wh")]
    assert main(argv) == 0
    assert f"not yet: {running} has not ended" in capsys.readouterr().out


def test_every_run_ends_with_a_summary_that_reports_rejected_rows(tiny_raw, tmp_path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(tiny_raw, raw)
    ebb = raw / "ebb" / "ebb_2024KW02.csv"
    rows = len(ebb.read_text(encoding="utf-8").splitlines()) - 1  # the header
    with ebb.open("a", encoding="utf-8") as handle:
        handle.write("r9;h9;2024KW02;GM9999;30;M;hoog;werkzaam;geen;;20\n")
    argv = ["run", "--no-prefect", "--raw", str(raw), "--warehouse", str(tmp_path / "wh")]
    assert main(argv) == 0  # one row in thousands is below --max-reject-share ...
    out = capsys.readouterr().out
    summary = out[out.index("Summary:") :]
    assert "  2024Q1  published " in summary and "  2024Q2  published " in summary
    line = next(x for x in summary.splitlines() if x.strip().startswith("ebb 2024Q2"))
    # ... but it is reported: read, accepted, quarantined and the rule
    assert line.split()[2:5] == [f"{rows + 1:,}", f"{rows:,}", "1"]
    assert line.endswith("gemeente_code: unknown gemeente code (1)")
    assert "1 row(s) quarantined, each with its reasons, in:" in summary
    assert summary.count("  population 2024 ") == 1  # one delivery for both quarters
    assert main(argv) == 0
    assert "  2024Q2  skipped: inputs and code unchanged" in capsys.readouterr().out
