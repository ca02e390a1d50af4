"""The regional key-figure report, opened in headless Chromium (Debian's chromium package)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kraptemeter.cli import main
from kraptemeter.report import number
from kraptemeter.warehouse import catalog

CHROMIUM = shutil.which("chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "tests" / "artifacts"


def chromium(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_report_in_headless_chromium(sample_warehouse, tmp_path):
    _, warehouse = sample_warehouse
    page = tmp_path / "report.html"
    assert (
        main(
            [
                "report",
                "--region",
                "PV26",
                "--quarter",
                "2024Q2",
                "--out",
                str(page),
                "--warehouse",
                str(warehouse),
            ]
        )
        == 0
    )
    profile = tmp_path / "profile"

    dom = chromium(f"--user-data-dir={profile}", "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    console_errors = [
        line for line in dom.stderr.splitlines() if "CONSOLE" in line and "ERROR" in line.upper()
    ]
    assert console_errors == []

    con = catalog.connect(warehouse)
    marts = {
        indicator: (value, unit)
        for indicator, value, unit in con.execute(
            "select indicator, value, unit from key_figures "
            "where region_code = 'PV26' and period = '2024Q2'"
        ).fetchall()
    }
    shown = re.findall(
        r'<td class="value" data-indicator="([a-z_0-9]+)" data-value="([^"]*)">([^<]*)', dom.stdout
    )
    assert {indicator for indicator, _, _ in shown} == set(marts)
    for indicator, data_value, text in shown:
        value, unit = marts[indicator]
        assert data_value == repr(value)
        assert html.unescape(text).split(" (")[0].strip() == number(value, unit)
    assert "Arbeidsmarktregio" in dom.stdout and dom.stdout.count("<svg") >= 2

    ARTIFACTS.mkdir(exist_ok=True)
    shot = chromium(
        f"--user-data-dir={profile}",
        "--hide-scrollbars",
        "--window-size=1300,2600",
        f"--screenshot={ARTIFACTS / 'report_PV26_2024Q2.png'}",
        page.as_uri(),
    )
    assert shot.returncode == 0 and (ARTIFACTS / "report_PV26_2024Q2.png").stat().st_size > 10_000


@pytest.mark.parametrize("region", ["PV26'; drop table x; --", "../etc", "PV99"])
def test_report_refuses_unknown_or_hostile_regions(sample_warehouse, tmp_path, region, capsys):
    _, warehouse = sample_warehouse
    code = main(
        [
            "report",
            "--region",
            region,
            "--quarter",
            "2024Q2",
            "--out",
            str(tmp_path / "r.html"),
            "--warehouse",
            str(warehouse),
        ]
    )
    assert code == 2 and "kraptemeter:" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_report_takes_codes_and_quarters_in_any_case(sample_warehouse, tmp_path):
    _, warehouse = sample_warehouse
    out = tmp_path / "r.html"
    argv = ["report", "--region", "pv26", "--quarter", "2024q2", "--out", str(out)]
    assert main([*argv, "--warehouse", str(warehouse)]) == 0
    assert "Utrecht" in out.read_text(encoding="utf-8")


def test_arrows_only_for_significant_changes(sample_warehouse, tmp_path):
    _, warehouse = sample_warehouse
    out = tmp_path / "r.html"
    argv = ["report", "--region", "GM0344", "--quarter", "2024Q2", "--out", str(out)]
    assert main([*argv, "--warehouse", str(warehouse)]) == 0
    con = catalog.connect(warehouse)
    flags = con.execute(
        "select change_significant_prev_quarter, direction_prev_quarter from key_figures "
        "where region_code = 'GM0344' and period = '2024Q2'"
    ).fetchall()
    con.close()
    page = out.read_text(encoding="utf-8")
    calm = sum(1 for significant, _ in flags if significant is False)
    assert calm > 0  # a gemeente's quarterly survey figures move within their margin
    assert (
        page.count('class="change">≈')
        + page.count('class="change good">≈')
        + page.count('class="change bad">≈')
        == calm
    )
    arrows = sum(1 for significant, d in flags if significant and d in ("up", "down"))
    assert page.count("▲") + page.count("▼") == arrows
