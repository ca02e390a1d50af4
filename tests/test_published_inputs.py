"""A published quarter's inputs are fixed: later figures read the deliveries it was published
from, never a refused or newer file, and a lost staging folder is rebuilt, not a lost figure."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from kraptemeter.core.errors import InputError, TooManyRejected
from kraptemeter.core.periods import Quarter, parse_quarter_span
from kraptemeter.core.settings import Settings
from kraptemeter.run import run_quarters
from kraptemeter.sample import write_sample
from kraptemeter.warehouse import catalog, operator
from schemas.ingest import sha256_of

QUARTERS = parse_quarter_span("2024Q1..2024Q4")
Q3, Q4 = Quarter(2024, 3), Quarter(2024, 4)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, dict]:
    """Four quarters of a small sample, published; and 2024Q4's rolling figures."""
    root = tmp_path_factory.mktemp("published")
    write_sample(root / "raw", QUARTERS, scale=0.01)
    run_quarters(Settings(root / "raw", root / "warehouse"), QUARTERS)
    return root, rolling_figures(root / "warehouse")


def rolling_figures(warehouse: Path) -> dict:
    con = catalog.connect(warehouse)
    try:
        rows = con.execute(
            "select region_code, indicator, value, respondents from indicators "
            "where period = '2024Q4' and period_type = 'rolling_4q'"
        ).fetchall()
    finally:
        con.close()
    return {(region, indicator): (value, n) for region, indicator, value, n in rows}


@pytest.fixture
def settings(published, tmp_path) -> Settings:
    """A copy of the published warehouse and its raw folder, for one attack."""
    root, _ = published
    shutil.copytree(root / "raw", tmp_path / "raw")
    shutil.copytree(root / "warehouse", tmp_path / "warehouse", symlinks=True)
    shutil.copytree(root / "warehouse.work", tmp_path / "warehouse.work")  # its private side
    return Settings(tmp_path / "raw", tmp_path / "warehouse")


def write_refused_revision(raw: Path) -> Path:
    """A revision of 2024Q3's EBB with tripled weights and one row in ten of an impossible age."""
    original = raw / "ebb" / "ebb_2024KW03.csv"
    revision = original.with_name("ebb_2024KW03_v2.csv")
    with original.open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source, delimiter=";"))
    for number, row in enumerate(rows):
        row["weight"] = str(float(row["weight"]) * 3)
        if number % 10 == 0:
            row["age"] = "140"
    with revision.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, list(rows[0]), delimiter=";", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return revision


def test_a_refused_revision_leaves_the_next_quarters_rolling_figures_alone(published, settings):
    _, before = published
    assert before, "the sample gives rolling figures for 2024Q4"
    write_refused_revision(settings.raw)
    with pytest.raises(TooManyRejected):
        run_quarters(settings, [Q3])
    run_quarters(settings, [Q4], force=True)
    assert rolling_figures(settings.warehouse) == before


def test_lineage_names_every_ebb_file_behind_the_rolling_figures(published, settings):
    write_refused_revision(settings.raw)
    with pytest.raises(TooManyRejected):
        run_quarters(settings, [Q3])
    run_quarters(settings, [Q4], force=True)
    con = catalog.connect(settings.warehouse)
    rows = con.execute(
        "select file, sha256 from lineage where mart = 'indicators' and period = '2024Q4' "
        "and source = 'ebb' order by file"
    ).fetchall()
    con.close()
    # the four quarters of the window, 2024Q3 as published (not the refused revision)
    expected = [settings.raw / "ebb" / f"ebb_2024KW0{q}.csv" for q in (1, 2, 3, 4)]
    assert [Path(file) for file, _ in rows] == expected
    assert [sha for _, sha in rows] == [sha256_of(path) for path in expected]


def test_a_deleted_staging_folder_is_rebuilt_from_the_recorded_files(published, settings):
    _, before = published
    shutil.rmtree(settings.work / "staging")
    run_quarters(settings, [Q4], force=True)
    assert rolling_figures(settings.warehouse) == before


def test_a_changed_window_file_without_its_staged_rows_stops_the_run_by_name(published, settings):
    _, before = published
    shutil.rmtree(settings.work / "staging")
    changed = settings.raw / "ebb" / "ebb_2024KW02.csv"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"2024Q2 was published from .*ebb_2024KW02\.csv"):
        run_quarters(settings, [Q4], force=True)
    assert rolling_figures(settings.warehouse) == before  # nothing was published
    con = catalog.connect(settings.warehouse)
    outcome = con.execute("select outcome from runs order by ended desc limit 1").fetchall()
    con.close()
    assert outcome == [("failed",)]


@pytest.mark.parametrize("damage", ["truncated", "empty", "not json"])
def test_a_damaged_state_file_means_the_quarter_is_redone(published, settings, damage):
    state = settings.work / "state" / "2024Q4.json"
    text = state.read_text()
    damaged = {"truncated": text[: len(text) // 2], "empty": "", "not json": "[1, 2"}
    state.write_text(damaged[damage])
    run_quarters(settings, [Q4])
    con = catalog.connect(settings.warehouse)
    skipped = con.execute("select skipped_quarters from runs order by ended desc limit 1")
    assert skipped.fetchall() == [([],)]  # redone, not skipped and not a JSONDecodeError
    con.close()
    assert rolling_figures(settings.warehouse) == published[1]


def test_a_damaged_published_file_is_republished_not_served(published, settings):
    marts = settings.warehouse / "marts"
    damaged = marts / "indicators" / "2024Q4" / "data.parquet"
    good = damaged.read_bytes()
    damaged.write_bytes(good[: len(good) // 2])  # through the hard link, as a bad disk would
    run_quarters(settings, [Q4])  # not forced: the damage alone makes it redo the quarter
    assert damaged.read_bytes() == good
    assert rolling_figures(settings.warehouse) == published[1]


@pytest.mark.parametrize(
    "damage, words",
    [
        ("garbage", "its state file is missing or damaged"),
        ("removed", "its state file is missing or damaged"),
        ("legacy", "it was published before deliveries were recorded"),
    ],
)
def test_a_window_quarter_without_a_trustworthy_record_stops_the_run(
    published, settings, damage, words
):
    """Never a guess from raw/ (where a refused revision may lie), never a silent drop."""
    write_refused_revision(settings.raw)
    state = settings.work / "state" / "2024Q3.json"
    if damage == "garbage":
        state.write_text("{")
    elif damage == "removed":
        state.unlink()
    else:  # as written before deliveries were recorded
        recorded = json.loads(state.read_text())
        del recorded["deliveries"]
        state.write_text(json.dumps(recorded))
    with pytest.raises(InputError, match=f"2024Q3 is published.*{words}.*--quarter 2024Q3"):
        run_quarters(settings, [Q4], force=True)
    assert rolling_figures(settings.warehouse) == published[1]


def test_a_refused_revision_keeps_the_quarantine_of_the_delivery_before_it(settings):
    original = settings.raw / "ebb" / "ebb_2024KW03.csv"
    lines = original.read_text(encoding="utf-8").splitlines()
    # an accepted revision with two impossible ages (far below the 5% a file may lose)
    accepted = original.with_name("ebb_2024KW03_v1.csv")
    bad = [line.replace(";30;", ";140;", 1) if ";30;" in line else line for line in lines]
    changed = [i for i, (old, new) in enumerate(zip(lines, bad, strict=True)) if old != new][:2]
    accepted.write_text(
        "\n".join(bad[i] if i in changed else lines[i] for i in range(len(lines))) + "\n"
    )
    run_quarters(settings, [Q3])
    refused = write_refused_revision(settings.raw)  # v2, with one row in ten bad
    with pytest.raises(TooManyRejected):
        run_quarters(settings, [Q3])
    con = operator.connect(settings.work)  # the rejected rows: the private operator catalog
    kept = con.execute(
        "select delivery, count(*) from quarantine where source = 'ebb' and period = '2024Q3' "
        "group by all"
    ).fetchall()
    con.close()
    assert dict(kept) == {
        sha256_of(accepted): 2,  # the published delivery's record survives the refused one
        sha256_of(refused): pytest.approx(len(lines) / 10, abs=1),
    }
