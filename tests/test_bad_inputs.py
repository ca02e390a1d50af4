"""The bad-input corpus (tests/bad_inputs/cases.json): every case either quarantines the
offending rows with the reason, rows read = accepted + quarantined, or stops with a message
that names the file — never a traceback as the only explanation, never a silent drop."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from kraptemeter.core.errors import InputError
from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import Settings
from kraptemeter.run import LocalSteps, run_quarters
from kraptemeter.warehouse.layout import Warehouse
from schemas import SOURCES

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = json.loads((CORPUS / "cases.json").read_text())
Q2 = Quarter(2024, 2)


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input(case, tmp_path):
    settings = Settings(tmp_path / "raw", tmp_path / "warehouse", max_reject_share=1.0)
    target = SOURCES[case["source"]].file_for(settings.raw, Q2)
    target.parent.mkdir(parents=True)
    content = (CORPUS / case["file"]).read_bytes()
    target.write_bytes(content.replace(b"@@10MB@@", b"8" * (10 * 1024 * 1024)))

    if case["expect"] == "stop":
        with pytest.raises(InputError) as error:
            run_quarters(settings, [Q2])
        message = str(error.value)
        assert str(target) in message
        assert case["detail"] in message
        assert not (settings.warehouse / "marts").exists()  # nothing published
        return

    _, reports = LocalSteps().stage(settings, Q2)
    (report,) = reports
    assert report.rows_read == report.rows_accepted + report.rows_quarantined
    quarantine = Warehouse(settings.warehouse).quarantined_rows(
        case["source"], report.period, report.sha256
    )
    rows = duckdb.sql(f"select _line, _rules, _file from '{quarantine}'").fetchall()
    if case["expect"] == "ok":
        assert report.rows_quarantined == 0 and rows == []
        assert report.rows_accepted >= 1
    else:
        assert report.rows_quarantined >= 1
        reasons = [rule for _, rules, _ in rows for rule in rules]
        assert any(reason.startswith(case["detail"]) for reason in reasons), reasons
        assert all(line > 1 and file == str(target) for line, _, file in rows)


def test_a_quarter_in_the_future_is_refused(tmp_path):
    settings = Settings(tmp_path / "raw", tmp_path / "warehouse")
    shutil.copytree(CORPUS / "files", settings.raw / "unused")
    with pytest.raises(InputError, match="2031Q1 lies in the future"):
        run_quarters(settings, [Quarter(2031, 1)])
