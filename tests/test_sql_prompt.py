"""`kraptemeter sql` is read-only and confined: queries run; writes, attaches, installs,
settings and reads outside the catalog's folders are refused with a message, and the prompt
goes on after an error."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from kraptemeter.cli import main
from kraptemeter.core.settings import default_work


def published_bytes(warehouse: Path) -> dict[str, str]:
    return {
        str(p.relative_to(warehouse)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(warehouse.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def sql(warehouse: Path, query: str) -> int:
    return main(["sql", "--warehouse", str(warehouse), "-c", query])


@pytest.mark.parametrize(
    "query",
    [
        "select count(*) from indicators",
        "from regions limit 3",
        "describe labour_force",
        "select outcome from runs",
        "select count(*) from lineage",
        "with c as (from catalog) select count(*) from c",
        "values (1, 'a')",
        # a PIVOT whose columns DuckDB must first look up parses as several statements
        "pivot (select region_code, indicator, value from indicators where period = '2024Q2') "
        "on indicator using first(value)",
        "unpivot (select 1 as a, 2 as b) on a, b into name k value v",
    ],
)
def test_queries_run(sample_warehouse, query, capsys):
    _, warehouse = sample_warehouse
    assert sql(warehouse, query) == 0
    assert "error" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "query, statement",
    [
        ("copy (select 1 as x) to 'marts/indicators/2024Q2/data.parquet'", "copy"),
        ("copy indicators to 'out.csv'", "copy"),
        ("attach 'new.duckdb' as new", "attach"),
        ("install httpfs", "load"),
        ("load httpfs", "load"),
        ("set enable_external_access = true", "set"),
        ("create temp table t as select 1", "create"),
        ("pragma enable_profiling", "pragma"),
        ("call pragma_version()", "call"),
        ("explain select * from indicators", "explain"),
        ("explain analyze copy (select 1) to 'marts/x.parquet'", "explain"),
        ("select 1; copy (select 1) to 'x.csv'", "copy"),
        ("pivot indicators on indicator using first(value); create table t as select 1", "create"),
    ],
)
def test_anything_but_a_query_is_refused_and_writes_nothing(
    sample_warehouse, query, statement, capsys, tmp_path, monkeypatch
):
    _, warehouse = sample_warehouse
    monkeypatch.chdir(tmp_path)
    before = published_bytes(warehouse)
    assert sql(warehouse, query) == 1
    assert f"read-only: a {statement} statement is not run" in capsys.readouterr().err
    assert published_bytes(warehouse) == before
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "source",
    [
        "read_csv('/etc/passwd')",
        "read_text('/etc/hostname')",
        "read_parquet('{warehouse}/staging/*/*/*/accepted.parquet')",
        "read_parquet('staging/*/*/*/accepted.parquet')",
        "read_parquet('marts/../staging/*/*/*/accepted.parquet')",
        "read_json('{warehouse}/state/*.json')",
        "read_parquet('{work}/staging/*/*/*/accepted.parquet')",
        "read_parquet('{work}/quarantine/*/*/*/rows.parquet')",
        "read_json('{work}/state/*.json')",
        "read_csv('{raw}/ebb/*.csv')",
    ],
)
def test_nothing_outside_the_catalogs_folders_can_be_read(sample_warehouse, source, capsys):
    raw, warehouse = sample_warehouse
    work = default_work(warehouse.resolve())
    query = "select count(*) from " + source.format(
        warehouse=warehouse.resolve(), raw=raw, work=work
    )
    assert sql(warehouse, query) == 1
    assert "Permission Error" in capsys.readouterr().err


def test_the_prompt_goes_on_after_an_error(sample_warehouse, capsys, monkeypatch, tmp_path):
    _, warehouse = sample_warehouse
    monkeypatch.chdir(tmp_path)
    typed = "select 1;\ncopy (select 1) to 'x.csv';\nfrom no_such_view;\nselect 42 as answer;\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    assert main(["sql", "--warehouse", str(warehouse)]) == 1  # it went on, and says it failed
    out, err = capsys.readouterr()
    assert "42" in out
    assert err.count("error:") == 2
    assert list(tmp_path.iterdir()) == []


def test_a_relative_path_cannot_reach_the_callers_folder(
    sample_warehouse, tmp_path, capsys, monkeypatch
):
    """`reference/` next to where the analyst stands is not the warehouse's."""
    _, warehouse = sample_warehouse
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "secret.csv").write_text("bsn\n123456782\n")
    monkeypatch.chdir(tmp_path)
    assert sql(warehouse, "select * from read_csv('reference/secret.csv')") == 1
    out, err = capsys.readouterr()
    assert "123456782" not in out and "error" in err
