"""The marts' contract: every mart folder reads the same with pandas, pyarrow (Hive dataset),
polars (lazy scan, Hive partitioning) and DuckDB (Hive partitioning, no union_by_name) —
the catalog's columns and row counts — with one schema across its files, integer counts and
each column's description and unit in the Parquet field metadata; on the sample alone and on
the sample with real CBS tables landed, run three times (the re-publish with CBS tables
landed once crashed). The catalog answers from anywhere, copied too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from kraptemeter.core.periods import parse_quarter_span
from kraptemeter.core.settings import Settings
from kraptemeter.run import run_quarters
from kraptemeter.sample import write_sample
from kraptemeter.warehouse import contract
from kraptemeter.warehouse.catalog import CANDIDATES
from schemas.cbs.landing import import_cbs
from tests.conftest import REALDATA
from tests.test_cbs_pipeline import ALL_TABLES
from tests.test_one_figure_per_cell import assert_one_figure_per_cell

QUARTERS = "2024Q1..2024Q2"
COUNTS = {  # wide-mart columns that count persons, benefits or vacancies
    "labour_force": ["population_15_74", "labour_force", "employed", "unemployed"],
    "vacancies": ["open_vacancies", "new_vacancies"],
    "benefits": ["ww_current", "ww_inflow", "bijstand", "job_seekers_without_job"],
    "pressure": ["population"],
    "tension": ["open_vacancies", "unemployed"],
}


def catalog_answer(warehouse: Path) -> dict[str, tuple[list[str], int]]:
    """Per mart: the catalog's columns and rows, through a plain read-only connection (the
    Parquet mart `indicators` is the catalog's `indicator_candidates`; the view `indicators`
    chooses among them, with the same columns)."""
    con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
    try:
        answer = {}
        for mart in contract.marts():
            table = CANDIDATES.get(mart, mart)
            tables = con.execute(
                "select count(*) from duckdb_tables() where table_name = ?", [table]
            ).fetchall()
            if tables[0][0]:
                columns = [row[0] for row in con.execute(f"describe {table}").fetchall()]
                rows = con.execute(f"select count(*) from {table}").fetchall()[0][0]
                answer[mart] = (columns, rows)
                chosen = [row[0] for row in con.execute(f"describe {mart}").fetchall()]
                assert chosen == columns, mart
    finally:
        con.close()
    return answer


def read_every_way(folder: Path) -> dict[str, tuple[list[str], int]]:
    """A mart folder as each reader sees it: (columns, rows)."""
    frame = pd.read_parquet(folder)
    hive = ds.dataset(folder, format="parquet", partitioning="hive").to_table()
    table = pq.read_table(folder)
    lazy = pl.scan_parquet(folder, hive_partitioning=True)
    con = duckdb.connect()
    try:
        relation = f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"
        columns = [row[0] for row in con.execute(f"describe select * from {relation}").fetchall()]
        rows = con.execute(f"select count(*) from {relation}").fetchall()[0][0]
    finally:
        con.close()
    return {
        "pandas": (list(frame.columns), len(frame)),
        "pyarrow hive dataset": (hive.column_names, hive.num_rows),
        "pyarrow read_table": (table.column_names, table.num_rows),
        "polars": (lazy.collect_schema().names(), lazy.select(pl.len()).collect().item()),
        "duckdb": (columns, rows),
    }


def assert_contract(warehouse: Path) -> dict[str, tuple[list[str], int]]:
    marts = warehouse / "marts"
    expected = catalog_answer(warehouse)
    published = sorted(p.name for p in marts.iterdir())
    assert sorted(expected) == published
    for mart in published:
        schema = contract.schema(mart)
        assert expected[mart][0] == schema.names, mart
        for reader, answer in read_every_way(marts / mart).items():
            assert answer == expected[mart], (mart, reader)
        for path in sorted((marts / mart).rglob("*.parquet")):
            found = pq.read_schema(path).remove_metadata()
            assert found.equals(schema, check_metadata=True), path
        for field in schema:
            assert field.metadata[b"description"], (mart, field.name)
            assert b"unit" in field.metadata
    for mart, columns in COUNTS.items():
        for column in columns:
            assert contract.schema(mart).field(column).type == "int64", (mart, column)
    assert contract.schema("indicators").field("respondents").type == "int64"
    return expected


def figures(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(
            "select source, period, count(*), round(sum(value), 3) from indicator_candidates "
            "group by all order by all"
        ).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def sample_raw(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("contract") / "raw"
    write_sample(raw, parse_quarter_span(QUARTERS), scale=0.01)
    return raw


def test_every_reader_sees_the_catalogs_marts_on_the_sample(sample_raw, tmp_path):
    settings = Settings(sample_raw, tmp_path / "warehouse")
    quarters = parse_quarter_span(QUARTERS)
    for _ in range(3):
        run_quarters(settings, quarters, force=True)
    answer = assert_contract(settings.warehouse)
    assert answer["indicators"][1] > 0 and "indicators_monthly" not in answer


@pytest.mark.skipif(not REALDATA.is_dir(), reason="needs ../shared/realdata")
def test_sample_and_cbs_tables_three_runs_publish_the_same_figures(sample_raw, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(sample_raw, raw)
    for relative in ALL_TABLES:
        import_cbs(REALDATA / relative, raw)
    settings = Settings(raw, tmp_path / "warehouse")
    quarters = parse_quarter_span(QUARTERS)
    run_quarters(settings, quarters)
    first = figures(settings.warehouse)
    run_quarters(settings, quarters)  # skipped quarters, CBS tables published again
    run_quarters(settings, quarters, force=True)  # every partition published again
    assert figures(settings.warehouse) == first
    sources = {row[0] for row in first}
    assert "cbs:85224NED" in sources and "sample" in sources
    answer = assert_contract(settings.warehouse)
    assert answer["indicators_monthly"][1] > 0
    assert_one_figure_per_cell(settings.warehouse)
    con = duckdb.connect(str(settings.warehouse / "warehouse.duckdb"), read_only=True)
    nl = dict(
        con.execute(
            "select source, value from indicator_candidates where region_code = 'NL01' "
            "and period = '2024Q2' and indicator = 'unemployment_rate' "
            "and period_type = 'quarter'"
        ).fetchall()
    )
    cbs_row = con.execute(
        "select ci_low, ci_high, respondents, status, recommended from indicator_candidates "
        "where source = 'cbs:85224NED' limit 1"
    ).fetchall()
    con.close()
    assert nl["cbs:85224NED"] == 3.6 and len(nl) == 2  # CBS's figure beside the pipeline's
    assert cbs_row == [(None, None, None, "ok", None)]
    runs = subprocess.run(
        [
            sys.executable,
            "-c",
            "import duckdb; print(duckdb.connect('warehouse/warehouse.duckdb',"
            ' read_only=True).execute("select count(*), count(*) filter (where outcome = '
            "'succeeded') from runs\").fetchall())",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert runs.stdout.strip() == "[(3, 3)]"


def test_the_catalog_answers_from_anywhere_and_when_copied(sample_warehouse, tmp_path):
    """A plain read-only connection, from another working directory, and on a copy of the
    warehouse folder with the original gone from reach (renamed)."""
    _, warehouse = sample_warehouse
    query = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
        "print(con.execute('select count(*) from indicators').fetchall()[0][0], "
        "con.execute('select count(*) from lineage').fetchall()[0][0] > 0)"
    )
    here = subprocess.run(
        [sys.executable, "-c", query, str(warehouse.resolve() / "warehouse.duckdb")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    copy = tmp_path / "elsewhere" / "warehouse"
    shutil.copytree(warehouse, copy, symlinks=True)
    moved = warehouse.with_name("warehouse-hidden")
    os.rename(warehouse, moved)
    try:
        copied = subprocess.run(
            [sys.executable, "-c", query, "warehouse/warehouse.duckdb"],
            cwd=copy.parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert copied == here and here.split()[1] == "True"
        assert read_every_way(copy / "marts" / "indicators")["polars"][1] == int(here.split()[0])
    finally:
        os.rename(moved, warehouse)


READER = """
import os, sys, duckdb, pyarrow.compute as pc, pyarrow.parquet as pq
warehouse, stop = sys.argv[1], sys.argv[2]
NL = "region_code = 'NL01' and period = '2024Q1'"
def parquet(version, mart, column, *filters):
    table = pq.read_table(os.path.join(version, mart), filters=[
        ("region_code", "=", "NL01"), ("period", "=", "2024Q1"), *filters])
    return table.column(column).to_pylist()
while not os.path.exists(stop):
    con = duckdb.connect(os.path.join(warehouse, "warehouse.duckdb"), read_only=True)
    seen = con.execute(
        f"select (select value from indicators where {NL} and indicator = 'open_vacancies' "
        f"and period_type = 'quarter'), (select open_vacancies from vacancies where {NL}), "
        f"(select open_vacancies from tension where {NL}), "
        f"(select sum(open_vacancies) from vacancies where period = '2024Q1' "
        f"and region_level = 'arbeidsmarktregio')"
    ).fetchall()[0]
    con.close()
    print("catalog", *seen, flush=True)
    version = os.path.realpath(os.path.join(warehouse, "marts"))  # one version per read
    seen = (
        parquet(version, "indicators", "value", ("indicator", "=", "open_vacancies"),
                ("period_type", "=", "quarter"))
        + parquet(version, "vacancies", "open_vacancies")
        + parquet(version, "tension", "open_vacancies")
        + [pc.sum(pq.read_table(os.path.join(version, "vacancies"), filters=[
            ("period", "=", "2024Q1"), ("region_level", "=", "arbeidsmarktregio")]
          ).column("open_vacancies")).as_py()]
    )
    print("parquet", *seen, flush=True)
"""


def test_readers_see_one_version_through_three_publishes(sample_raw, tmp_path):
    """A reader querying the catalog and reading the Parquet marts in a loop while three runs
    publish changed deliveries: no error, and every read gives one version's figures (the
    national total equals its sum over arbeidsmarktregio's, the same in three marts)."""
    raw = tmp_path / "raw"
    shutil.copytree(sample_raw, raw)
    settings = Settings(raw, tmp_path / "warehouse")
    q1 = parse_quarter_span("2024Q1..2024Q1")
    run_quarters(settings, q1)
    original = raw / "vacancies" / "open_vacancies_2024KW01.csv"
    header, *rows = original.read_text().splitlines()
    totals = {sum(int(row.split(";")[-1]) for row in rows)}
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(settings.warehouse), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    try:
        for revision in (2, 3, 4):
            first = rows[0].split(";")
            first[-1] = str(int(first[-1]) + 1000 * revision)
            changed = [";".join(first), *rows[1:]]
            totals.add(sum(int(row.split(";")[-1]) for row in changed))
            delivery = original.with_name(f"open_vacancies_2024KW01_v{revision}.csv")
            delivery.write_text("\n".join([header, *changed]) + "\n")
            run_quarters(settings, q1)
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err[-3000:]
    reads = [line.split() for line in out.splitlines()]
    assert len(reads) > 10 and {kind for kind, *_ in reads} == {"catalog", "parquet"}
    seen = set()
    for kind, *values in reads:
        numbers = {float(v) for v in values}
        assert len(numbers) == 1, (kind, values)  # one version: no mix of two
        assert numbers <= totals
        seen |= numbers
    assert len(seen) > 1  # the reader saw publishes happen
    assert {float(v) for v in reads[-1][1:]} == {max(totals)}
