"""The bad-input corpus (tests/bad_inputs/cases.json): every case either quarantines the
offending rows with the reason, rows read = accepted + quarantined, or stops with a message
that names the file — never a traceback as the only explanation, never a silent drop."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from kraptemeter import steps
from kraptemeter.core.errors import InputError
from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import Settings
from kraptemeter.run import LocalSteps, run_quarters
from kraptemeter.warehouse.layout import WorkFolder
from schemas import SOURCES

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = json.loads((CORPUS / "cases.json").read_text())
BY_NAME = {case["name"]: case for case in CASES}
Q2 = Quarter(2024, 2)


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 85  # 55 from the first attack, 30 or more from the trust issue's


def _deliver(case: dict, root: Path) -> tuple[Settings, Path]:
    """Lay the case out as a 2024Q2 delivery under root; the settings and the delivery."""
    raw = root / ("raw[1]" if case.get("setup") == "glob" else "raw")
    settings = Settings(raw, root / "warehouse", max_reject_share=1.0)
    folder = raw / SOURCES[case["source"]].folder
    folder.mkdir(parents=True)
    target = folder / case.get("file_name", SOURCES[case["source"]].file_for(raw, Q2).name)
    content = (CORPUS / case["file"]).read_bytes().replace(b"@@10MB@@", b"8" * (10 << 20))
    match case.get("setup"):
        case "dangling":
            target.symlink_to(folder / "gone.csv")
        case "directory":
            target.mkdir()
        case "glob":  # a sibling the literal name `raw[1]` would match as a pattern
            sibling = root / "raw1" / folder.name / target.name
            sibling.parent.mkdir(parents=True)
            sibling.write_bytes((CORPUS / BY_NAME[case["sibling"]]["file"]).read_bytes())
            target.write_bytes(content)
        case _:
            target.write_bytes(content)
    for name, other in case.get("also", {}).items():
        (folder / name).write_bytes((CORPUS / BY_NAME[other]["file"]).read_bytes())
    return settings, target


def _accepted(case: dict, root: Path) -> list[tuple]:
    """The accepted rows of a case's delivery, in file order, columns in the schema's order."""
    settings, _ = _deliver(case, root)
    _, (report,) = LocalSteps().stage(settings, Q2)
    columns = ", ".join(SOURCES[case["source"]].schema_for(Q2).columns)
    accepted = WorkFolder(settings.work).accepted_rows(case["source"], report.period, report.sha256)
    return duckdb.sql(f"select {columns} from '{accepted}'").fetchall()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input(case, tmp_path, monkeypatch):
    monkeypatch.setattr(steps, "READ_BACKOFF_SECONDS", 0.0)  # an unreadable file, at once
    if "same_as" in case or "values" in case:  # compared row by row: staged as its rows
        source = SOURCES[case["source"]]
        monkeypatch.setitem(SOURCES, source.name, dataclasses.replace(source, staged_as=None))
    settings, target = _deliver(case, tmp_path)

    if case["expect"] == "stop":
        with pytest.raises(InputError) as error:
            run_quarters(settings, [Q2])
        message = str(error.value)
        # the file, or its folder and name when the problem is between several files
        assert str(target) in message or f"{target.parent}: " in message and target.name in message
        assert case["detail"] in message
        assert len(message) < 2_000  # a paragraph, not the 64 KiB header echoed back
        assert not (settings.warehouse / "marts").exists()  # nothing published
        return

    _, reports = LocalSteps().stage(settings, Q2)
    (report,) = reports
    assert report.file == str(target)
    assert report.rows_read == report.rows_accepted + report.rows_quarantined
    quarantine = WorkFolder(settings.work).quarantined_rows(
        case["source"], report.period, report.sha256
    )
    rows = duckdb.sql(f"select _line, _rules, _file from '{quarantine}' order by _line").fetchall()
    if case["expect"] == "ok":
        assert report.rows_quarantined == 0 and rows == []
        assert report.rows_accepted >= 1
    else:
        assert report.rows_quarantined >= 1
        reasons = [rule for _, rules, _ in rows for rule in rules]
        assert any(reason.startswith(case["detail"]) for reason in reasons), reasons
        assert all(line > 1 and file == str(target) for line, _, file in rows)
    if "lines" in case:
        assert [line for line, _, _ in rows] == case["lines"]
    if "same_as" in case:
        expected = _accepted(BY_NAME[case["same_as"]], tmp_path / "reference")
        assert _accepted(case, tmp_path / "again") == expected
    for column, values in case.get("values", {}).items():
        accepted = WorkFolder(settings.work).accepted_rows(
            case["source"], report.period, report.sha256
        )
        assert [v for (v,) in duckdb.sql(f"select {column} from '{accepted}'").fetchall()] == values


def test_a_quarter_in_the_future_is_refused(tmp_path):
    settings = Settings(tmp_path / "raw", tmp_path / "warehouse")
    shutil.copytree(CORPUS / "files", settings.raw / "unused")
    with pytest.raises(InputError, match="2031Q1 lies in the future"):
        run_quarters(settings, [Quarter(2031, 1)])
