"""The whole pipeline on a small generated sample: marts, catalog, re-runs."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import Settings, default_work
from kraptemeter.run import run_quarters
from kraptemeter.warehouse import catalog
from transforms.indicators import PIPELINE as INDICATORS

HEADLINE = [i.id for i in INDICATORS if i.period_type == "quarter"]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_headline_indicator_for_provincie_utrecht(sample_warehouse):
    _, warehouse = sample_warehouse
    con = catalog.connect(warehouse)
    rows = con.execute(
        "select indicator, region_name, region_level, period_type from indicators "
        "where region_code = 'PV26' and period = '2024Q2' and period_type = 'quarter'"
    ).fetchall()
    # new online vacancies too: the sample delivers them per gemeente of the work location
    assert {r[0] for r in rows} == set(HEADLINE)
    assert {r[1:] for r in rows} == {("Utrecht", "provincie", "quarter")}
    annual = con.execute(
        "select indicator from indicators where region_code = 'PV26' and period = '2024'"
    ).fetchall()
    assert {r[0] for r in annual} == {
        "grey_pressure",
        "green_pressure",
        "demographic_pressure",
        "population",
    }


def test_every_level_is_present_new_vacancies_too(sample_warehouse):
    _, warehouse = sample_warehouse
    con = catalog.connect(warehouse)
    levels = dict(
        con.execute(
            "select region_level, count(distinct region_code) from indicators "
            "where period = '2024Q2' group by 1"
        ).fetchall()
    )
    assert levels == {
        "land": 1,
        "provincie": 12,
        "corop": 40,
        "arbeidsmarktregio": 35,
        "gemeente": 393,
    }
    new_levels = {
        r[0]
        for r in con.execute(
            "select distinct region_level from indicators where indicator = 'new_vacancies'"
        ).fetchall()
    }
    assert new_levels == {"land", "provincie", "corop", "arbeidsmarktregio", "gemeente"}


def test_counts_add_up_across_levels(sample_warehouse):
    _, warehouse = sample_warehouse
    con = catalog.connect(warehouse)
    sums = con.execute(
        "select indicator, region_level, sum(value), count(*) from indicators "
        "where period = '2024Q2' and period_type = 'quarter' "
        "and indicator in ('ww_current', 'open_vacancies', 'new_vacancies', 'employed') "
        "group by all"
    ).fetchall()
    by = {(i, level): (total, n) for i, level, total, n in sums}
    for indicator in ("ww_current", "open_vacancies", "new_vacancies", "employed"):
        national = by[indicator, "land"][0]
        for level in ("provincie", "corop", "arbeidsmarktregio", "gemeente"):
            total, regions = by[indicator, level]
            # register counts add up exactly; survey totals are each rounded to thousands
            tolerance = 500 * (regions + 1) if indicator == "employed" else 0
            assert abs(total - national) <= tolerance, (indicator, level)


def test_rows_read_equal_accepted_plus_quarantined_in_the_runs_view(sample_warehouse):
    _, warehouse = sample_warehouse
    con = catalog.connect(warehouse)
    rows = con.execute(
        "select s.source, s.rows_read, s.rows_accepted, s.rows_quarantined "
        "from runs, unnest(sources) as t(s)"
    ).fetchall()
    assert len(rows) == 3 * 9  # three quarters, nine sources
    assert all(read == accepted + quarantined for _, read, accepted, quarantined in rows)


def test_wide_marts_agree_with_the_long_mart(sample_warehouse):
    _, warehouse = sample_warehouse
    con = catalog.connect(warehouse)
    mismatches = con.execute(
        """select count(*) from labour_force w join indicators i
           on i.region_code = w.region_code and i.period = w.period
           and i.period_type = w.period_type and i.indicator = 'unemployment_rate'
           where w.unemployment_rate is distinct from i.value"""
    ).fetchall()[0][0]
    assert mismatches == 0
    classes = {
        r[0]
        for r in con.execute(
            "select distinct uwv_tension_class from tension "
            "where region_level = 'arbeidsmarktregio'"
        ).fetchall()
    }
    assert classes == {"zeer ruim", "ruim", "gemiddeld", "krap", "zeer krap"}


def test_rerun_replaces_only_its_quarter_and_is_byte_identical(sample_warehouse, tmp_path):
    raw, original = sample_warehouse
    warehouse = tmp_path / "warehouse"
    shutil.copytree(original, warehouse)
    shutil.copytree(default_work(original), default_work(warehouse))  # its run state
    marts = warehouse / "marts"
    before = {p: (digest(p), p.stat().st_mtime_ns) for p in marts.rglob("*.parquet")}

    run_quarters(Settings(raw, warehouse), [Quarter(2024, 1)], force=True)

    after = {p: (digest(p), p.stat().st_mtime_ns) for p in marts.rglob("*.parquet")}
    assert after.keys() == before.keys()
    for path, (sha, mtime) in after.items():
        assert sha == before[path][0], f"{path} changed content"
        if path.parent.name not in ("2024Q1", "2024"):
            assert mtime == before[path][1], f"{path} of another quarter was rewritten"


def test_catalog_works_after_the_warehouse_is_moved(sample_warehouse, tmp_path):
    _, original = sample_warehouse
    moved = tmp_path / "elsewhere" / "wh"
    shutil.copytree(original, moved)
    query = "select count(*) from indicators where region_code = 'PV26'"
    expected = catalog.connect(original).execute(query).fetchall()
    assert catalog.connect(moved).execute(query).fetchall() == expected
    # a plain DuckDB client opened in the moved folder, as a dashboard host would
    script = (
        "import duckdb; con = duckdb.connect('warehouse.duckdb', read_only=True); "
        f"print(con.sql({query!r}).fetchall())"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=moved, capture_output=True, text=True)
    assert out.stdout.strip() == str(expected), out.stderr


def test_partitions_are_sorted_by_region_and_carry_their_period(sample_warehouse):
    _, warehouse = sample_warehouse
    path = warehouse / "marts" / "indicators" / "2024Q2" / "data.parquet"
    table = pq.read_table(path)
    assert set(table.column("period").to_pylist()) == {"2024Q2"}
    codes = table.column("region_code").to_pylist()
    assert codes == sorted(codes)
    unexplained = duckdb.sql(
        f"select count(*) from '{path}' "
        "where value is null and not starts_with(status, 'suppressed')"
    ).fetchall()[0][0]
    assert unexplained == 0
