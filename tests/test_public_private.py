"""Public and private apart: the published warehouse (marts, versions, catalog, run summaries)
holds no record-level data — no person, respondent, household or spell id from the raw files,
in any column name or value of any file — while the engineers' operator catalog in the work
folder shows every rejected row with its file, line, rules and delivered values. A warehouse
written before the split is cleaned up by the next run, which names what it moved."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from kraptemeter.cli import main
from kraptemeter.core.errors import InputError
from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import Settings, default_work
from kraptemeter.run import run_quarters
from kraptemeter.sample import write_sample
from kraptemeter.warehouse import catalog, operator
from kraptemeter.warehouse.layout import PRIVATE_FOLDERS

Q2 = Quarter(2024, 2)
ID_COLUMNS = {"person_id", "respondent_id", "household_id", "spell_id"}
TOKEN = re.compile(r"[A-Za-z0-9-]+")


def raw_ids(raw: Path) -> set[str]:
    """Every value of an id column in every raw file."""
    ids = set()
    for path in raw.rglob("*.csv"):
        header = path.read_text(encoding="utf-8").split("\n", 1)[0]
        columns = [c.strip('"') for c in header.split(";")]
        wanted = [columns.index(c) for c in ID_COLUMNS if c in columns]
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            fields = [f.strip('"') for f in line.split(";")]
            ids |= {fields[i] for i in wanted if i < len(fields) and fields[i]}
    return ids


def leaks(warehouse: Path, ids: set[str]) -> list[str]:
    """Every id column or raw id value found in any file under the warehouse folder."""
    found = []

    def check(where: str, names: list[str], values) -> None:
        found.extend(f"{where}: column {n}" for n in names if n in ID_COLUMNS)
        for value in values:
            if value is not None and ids & set(TOKEN.findall(str(value))):
                found.append(f"{where}: value {str(value)[:80]!r}")

    for path in sorted(p for p in warehouse.rglob("*") if p.is_file()):
        where = str(path.relative_to(warehouse))
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            values = [v for column in table.columns for v in column.to_pylist()]
            check(where, table.column_names, values)
        elif path.suffix == ".duckdb":
            con = duckdb.connect(str(path), read_only=True)
            relations = con.execute(
                "select table_name from duckdb_tables() union all "
                "select view_name from duckdb_views() where not internal"
            ).fetchall()
            for (name,) in relations:
                result = con.execute(f'select * from "{name}"')
                names = [d[0] for d in result.description]
                rows = result.fetchall()
                check(f"{where}:{name}", names, [v for row in rows for v in row])
            con.close()
        else:  # JSON and anything else: its text
            text = path.read_bytes().decode("utf-8", errors="replace")
            check(where, [], [text])
            if path.suffix == ".json":
                check(where, list(_keys(json.loads(text))), [])
    return found


def _keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


def with_bad_rows(raw: Path) -> dict[str, str]:
    """Append rejected rows to the sample's WW and EBB deliveries (a share far below the
    limit); returns the id of each bad row by what is wrong with it."""
    ww = raw / "registers" / "ww_2024KW02.csv"
    ebb = raw / "ebb" / "ebb_2024KW02.csv"
    bad = {
        "end_before_start": "P990000001",
        "unknown_gemeente": "P990000002",
        "too_many_columns": "P990000003",
        "respondent_too_old": "2024KW02-9999999",
    }
    with ww.open("a", encoding="utf-8") as handle:
        handle.write('"WWX1";"P990000001";"GM0344";"WW";2024-05-01;2024-04-01;40;"M"\n')
        handle.write('"WWX2";"P990000002";"GM9999";"WW";2024-04-01;;40;"V"\n')
        handle.write('"WWX3";"P990000003";"GM0344";"WW";2024-04-01;;40;"V";"extra"\n')
    line = ebb.read_text(encoding="utf-8").splitlines()[1].split(";")
    line[0], line[1], line[4] = '"2024KW02-9999999"', '"2024KW02-H999999"', "130"
    with ebb.open("a", encoding="utf-8") as handle:
        handle.write(";".join(line) + "\n")
    return bad


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The sample of one quarter with bad rows, run; then a refused revision whose header
    line is missing (so the error would quote its first row)."""
    root = tmp_path_factory.mktemp("public")
    raw = root / "raw"
    write_sample(raw, [Q2], scale=0.01)
    bad = with_bad_rows(raw)
    settings = Settings(raw, root / "warehouse")
    run_quarters(settings, [Q2])
    seekers = raw / "registers" / "job_seekers_2024KW02.csv"
    headless = seekers.with_name("job_seekers_2024KW02_v2.csv")
    headless.write_text("\n".join(seekers.read_text().splitlines()[1:]) + "\n")
    with pytest.raises(InputError, match="header"):
        run_quarters(settings, [Q2])
    first_row_ids = set(TOKEN.findall(headless.read_text().split("\n", 1)[0]))
    headless.unlink()
    return settings, bad, first_row_ids


def test_the_published_warehouse_holds_no_record_level_data(published):
    settings, bad, first_row_ids = published
    ids = raw_ids(settings.raw)
    assert set(bad.values()) <= ids and first_row_ids & ids  # the check can see them
    assert leaks(settings.warehouse, ids) == []
    assert not any((settings.warehouse / name).exists() for name in PRIVATE_FOLDERS)
    assert not (settings.warehouse / ".lock").exists()
    con = catalog.connect(settings.warehouse)
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    failed = con.execute("select message from runs where outcome = 'failed'").fetchall()
    rules = con.execute(
        "select map_keys(s.rules) from runs, unnest(sources) as t(s) where s.source = 'ww'"
    ).fetchall()
    con.close()
    assert "quarantine" not in tables and "indicators" not in tables  # indicators: a view
    assert failed == [("input error (InputError); the message is in the operator catalog's runs",)]
    assert "csv: TOO MANY COLUMNS" in rules[0][0]  # the reader's words left out


def test_the_site_holds_no_record_level_data(published, tmp_path):
    settings, bad, _ = published
    ids = raw_ids(settings.raw)
    out = tmp_path / "site"
    assert main(["site", "--warehouse", str(settings.warehouse), "--out", str(out)]) == 0
    pages = list(out.rglob("*.html"))
    assert len(pages) > 400
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not set(TOKEN.findall(text)) & ids, page
        assert not any(column in text for column in ID_COLUMNS), page


def test_the_operator_catalog_shows_every_rejected_row_as_delivered(published, capsys):
    settings, bad, first_row_ids = published
    assert settings.work == default_work(settings.warehouse)
    assert settings.work.parent == settings.warehouse.parent  # beside it, not inside
    con = operator.connect(settings.work)
    rows = con.execute(
        "select source, file, line, rules, delivered, raw_line from quarantine order by line"
    ).fetchall()
    messages = con.execute("select outcome, message from runs order by started").fetchall()
    con.close()
    shown = {
        (r[4] or {}).get("person_id") or (r[4] or {}).get("respondent_id") or r[5]: r for r in rows
    }
    ww = str(settings.raw / "registers" / "ww_2024KW02.csv")
    end_before_start = shown[bad["end_before_start"]]
    assert end_before_start[:2] == ("ww", ww) and "end_not_before_start" in end_before_start[3]
    assert end_before_start[4]["end_date"] == "2024-04-01"  # the value as delivered
    assert shown[bad["unknown_gemeente"]][4]["gemeente_code"] == "GM9999"
    (csv_row,) = [r for r in rows if r[5] and bad["too_many_columns"] in r[5]]
    assert csv_row[3][0].startswith("csv: TOO MANY COLUMNS")
    assert shown[bad["respondent_too_old"]][0] == "ebb"
    assert messages[0] == ("succeeded", "") and messages[1][0] == "failed"
    assert first_row_ids & set(TOKEN.findall(messages[1][1]))  # the full message, privately
    argv = ["quarantine", "--warehouse", str(settings.warehouse), "--source", "ww"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"ww 2024Q2 {ww}, line {end_before_start[2]}: end_not_before_start" in out
    assert "person_id=P990000001" in out and "3 rejected rows" in out


def test_an_old_warehouse_with_private_folders_inside_is_cleaned_by_the_next_run(
    published, tmp_path, capsys
):
    """The layout before the split: staging, quarantine, state and logs inside the warehouse
    and full messages in the published run summaries. The next run moves them out, says so,
    and still knows the quarter is published (it is skipped)."""
    settings, _, _ = published
    old = tmp_path / "old"
    shutil.copytree(settings.warehouse, old, symlinks=True)
    for name in ("staging", "quarantine", "state"):
        shutil.copytree(settings.work / name, old / name)
    (old / "logs").mkdir()
    (old / "logs" / "kraptemeter-x.log").write_text("Traceback ... P990000001\n")
    for path in (settings.work / "runs").glob("*.json"):
        shutil.copyfile(path, old / "runs" / path.name)  # full messages, as published before
    work = tmp_path / "private"
    argv = ["run", "--no-prefect", "--quarter", "2024Q2", "--raw", str(settings.raw)]
    assert main([*argv, "--warehouse", str(old), "--work", str(work)]) == 0
    out = capsys.readouterr().out
    for name in ("staging", "quarantine", "state", "logs"):
        assert f"warning: {old / name}: moved to {work / name}" in out
    assert "earlier run summaries were taken out" in out
    assert "2024Q2: inputs and code unchanged" in out  # the moved state was found
    assert (work / "logs" / "kraptemeter-x.log").is_file()
    assert leaks(old, raw_ids(settings.raw)) == []
    con = operator.connect(work)
    assert con.execute("select count(*) from quarantine").fetchall()[0][0] == 4
    con.close()


def test_the_work_folder_is_never_inside_the_warehouse(tmp_path):
    for inside in (tmp_path / "wh", tmp_path / "wh" / "work"):
        with pytest.raises(InputError, match="must not lie inside the warehouse"):
            Settings(tmp_path / "raw", tmp_path / "wh", work=inside)
    assert Settings(tmp_path / "raw", tmp_path / "wh").work == tmp_path / "wh.work"
