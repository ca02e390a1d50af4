"""One figure per cell: every mart row says where it comes from (`source`: pipeline, sample or
cbs:<table>); the catalog's `indicators` has one row per region x period x period_type x
indicator, chosen by the documented precedence, with every candidate in
`indicator_candidates`; sample figures are marked wherever shown.

The sample with every real CBS table landed is checked by
test_mart_contract.test_sample_and_cbs_tables_three_runs_publish_the_same_figures, which calls
`assert_one_figure_per_cell` on its warehouse (one run of that pair for both)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from kraptemeter.cli import main
from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import Settings
from kraptemeter.run import run_quarters
from kraptemeter.sample import write_sample
from kraptemeter.warehouse import catalog, contract
from schemas.sources import SAMPLE_MARKER
from tests.test_readme_queries import readme_queries

CELL = "region_code, period, period_type, indicator"


def assert_one_figure_per_cell(warehouse: Path) -> None:
    """On a warehouse with the sample and real CBS tables landed."""
    con = catalog.connect(warehouse)
    try:

        def answer(query: str, params: list | None = None) -> list[tuple]:
            return con.execute(query, params or []).fetchall()

        duplicates = answer(f"select {CELL} from indicators group by all having count(*) > 1")
        assert duplicates == []
        cells = answer(f"select count(distinct ({CELL})) from indicator_candidates")[0][0]
        assert answer("select count(*) from indicators")[0][0] == cells  # every cell, once
        assert (
            answer(f"select {CELL} from indicators_monthly group by all having count(*) > 1") == []
        )
        nl = answer(
            "select value, source from indicators where region_code = 'NL01' and period = "
            "'2024Q2' and period_type = 'quarter' and indicator = 'unemployment_rate'"
        )
        assert nl == [(3.6, "cbs:85224NED")]  # CBS's own figure for Nederland, over the sample
        names = answer("select distinct region_name from indicators where region_code = 'PV21'")
        assert len(names) == 1
        assert answer(
            "select count(distinct region_name) from indicators group by region_code "
            "order by 1 desc limit 1"
        ) == [(1,)]
        _, _, unemployment, *_ = (answer(query) for query in readme_queries())
        assert len(unemployment) == 12
        # the sample never wins where a real figure exists
        beaten = answer(
            f"select {CELL} from indicators i where source = 'sample' and exists (select 1 "
            "from indicator_candidates c where c.source <> 'sample' and "
            "(c.region_code, c.period, c.period_type, c.indicator) = "
            "(i.region_code, i.period, i.period_type, i.indicator))"
        )
        assert beaten == []
        # every row of every mart says where it comes from
        for mart in contract.marts():
            table = catalog.CANDIDATES.get(mart, mart)
            sources = {row[0] for row in answer(f"select distinct source from {table}")}
            assert sources and None not in sources, mart
            assert sources <= {"sample"} or mart in ("indicators", "indicators_monthly"), mart
        assert answer("select count(*) from indicator_candidates where source = 'pipeline'") == [
            (0,)
        ]
    finally:
        con.close()


def test_the_precedence_on_every_kind_of_cell():
    """The view's SQL on hand-made candidates: CBS for Nederland and provinces, the pipeline
    below them, the sample never over real data, one name per region code."""
    con = duckdb.connect()
    columns = ", ".join(f"null::{_sql(f.type)} as {f.name}" for f in contract.schema("indicators"))
    con.execute(f"create table indicator_candidates as select {columns} limit 0")
    con.execute(
        "create table regions as select * from (values ('NL01', 'Nederland', 'land'), "
        "('PV21', 'Fryslân', 'provincie'), ('AM13', 'Midden-Utrecht', 'arbeidsmarktregio')) "
        "as r(region_code, region_name, region_level)"
    )
    rows = [  # region, name as the source spells it, level, source, value
        ("NL01", "Nederland", "land", "pipeline", 1.0),
        ("NL01", "Nederland", "land", "cbs:85224NED", 2.0),
        ("PV21", "Friesland (PV)", "provincie", "cbs:85268NED", 3.0),
        ("PV21", "Fryslân", "provincie", "sample", 4.0),
        ("AM13", "Midden-Utrecht", "arbeidsmarktregio", "cbs:70072ned", 5.0),
        ("AM13", "Midden-Utrecht", "arbeidsmarktregio", "pipeline", 6.0),
        ("AM13", "Midden-Utrecht", "arbeidsmarktregio", "sample", 7.0),
        ("CR17", "Utrecht (CR)", "corop", "sample", 8.0),  # alone: shown, marked sample
    ]
    for region, name, level, source, value in rows:
        con.execute(
            "insert into indicator_candidates by name select ? as region_code, ? as region_name, "
            "? as region_level, '2024Q2' as period, 'quarter' as period_type, "
            "'unemployment_rate' as indicator, ? as value, ? as source",
            [region, name, level, value, source],
        )
    # the indicator catalog, whose declared units the view shows counts in
    con.execute("create table catalog as select 'unemployment_rate' as indicator, '%' as unit")
    con.execute(f"create view indicators as {catalog.catalog_sql('indicators')}")
    chosen = con.execute(
        "select region_code, region_name, source, value from indicators order by 1"
    ).fetchall()
    assert chosen == [
        ("AM13", "Midden-Utrecht", "pipeline", 6.0),
        ("CR17", "Utrecht (CR)", "sample", 8.0),
        ("NL01", "Nederland", "cbs:85224NED", 2.0),
        ("PV21", "Fryslân", "cbs:85268NED", 3.0),
    ]
    recommended = con.execute(
        "select recommended from indicators where region_code = 'NL01'"
    ).fetchall()
    assert recommended == [(True,)]  # a chosen CBS figure is the one to show
    assert [r[0] for r in con.execute("describe indicators").fetchall()] == (
        contract.schema("indicators").names
    )


def _sql(kind) -> str:
    return {"string": "varchar", "double": "double", "int64": "bigint", "int32": "integer"}.get(
        str(kind), "boolean"
    )


@pytest.fixture(scope="module")
def real_and_sample(tmp_path_factory):
    """One sample quarter run as it is (sample), and again with its marker removed, as if the
    same files were real deliveries (pipeline)."""
    root = tmp_path_factory.mktemp("origin")
    write_sample(root / "raw", [Quarter(2024, 2)], scale=0.01)
    shutil.copytree(root / "raw", root / "real")
    (root / "real" / SAMPLE_MARKER).unlink()
    sample = Settings(root / "raw", root / "sample_wh")
    real = Settings(root / "real", root / "real_wh")
    for settings in (sample, real):
        run_quarters(settings, [Quarter(2024, 2)])
    return sample, real


def test_sample_figures_say_so_in_every_mart_and_in_the_report(real_and_sample, tmp_path):
    for settings, origin, marked in (
        (real_and_sample[0], "sample", True),
        (real_and_sample[1], "pipeline", False),
    ):
        con = catalog.connect(settings.warehouse)
        for mart in contract.marts():
            table = catalog.CANDIDATES.get(mart, mart)
            present = con.execute(
                "select count(*) from duckdb_tables() where table_name = ?", [table]
            ).fetchall()[0][0]
            if present:
                sources = con.execute(f"select distinct source from {table}").fetchall()
                assert sources == [(origin,)], (mart, sources)
        con.close()
        page = tmp_path / f"{origin}.html"
        argv = ["report", "--region", "PV26", "--quarter", "2024Q2", "--out", str(page)]
        assert main([*argv, "--warehouse", str(settings.warehouse)]) == 0
        text = page.read_text(encoding="utf-8")
        assert ('id="sample"' in text and "Voorbeelddata" in text) is marked
        assert ("voorbeelddata" in text.lower()) is marked


def test_removing_the_sample_marker_redoes_the_quarter(real_and_sample, capsys):
    """Which deliveries are the sample's is part of what made a quarter: the marker changing
    redoes it (its figures change source), an unchanged marker skips it."""
    sample, _ = real_and_sample
    capsys.readouterr()
    run_quarters(sample, [Quarter(2024, 2)])
    assert "2024Q2: inputs and code unchanged" in capsys.readouterr().out
    marker = sample.raw / SAMPLE_MARKER
    kept = marker.read_text()
    marker.unlink()
    try:
        run_quarters(sample, [Quarter(2024, 2)])
        assert "unchanged" not in capsys.readouterr().out
        con = catalog.connect(sample.warehouse)
        assert con.execute("select distinct source from key_figures").fetchall() == [("pipeline",)]
        con.close()
    finally:
        marker.write_text(kept)
