"""The documentation derived from the indicator catalog is current, and the SQL catalog
explains every table, view and column."""

from __future__ import annotations

from pathlib import Path

from kraptemeter.warehouse import catalog
from transforms.indicators import INDICATORS, render_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_docs_indicators_md_is_generated_from_the_catalog():
    assert (ROOT / "docs" / "indicators.md").read_text() == render_markdown(), (
        "docs/indicators.md is stale: run `make docs`"
    )


def test_every_table_view_and_column_has_a_comment(sample_warehouse):
    _, warehouse = sample_warehouse
    con = catalog.connect(warehouse)
    relations = con.execute(
        "select table_name, comment from duckdb_tables() where not internal "
        "and database_name = current_database() union all "
        "select view_name, comment from duckdb_views() where not internal "
        "and database_name = current_database()"
    ).fetchall()
    assert {"indicators", "catalog", "regions", "runs", "lineage"} <= {r for r, _ in relations}
    undescribed = [r for r, comment in relations if not comment]
    assert undescribed == [], "describe each in MART_DESCRIPTIONS, kraptemeter/warehouse/catalog.py"
    bare = con.execute(
        "select table_name, column_name from duckdb_columns() "
        "where not internal and database_name = current_database() and comment is null"
    ).fetchall()
    assert bare == [], "describe each column in COLUMNS, kraptemeter/warehouse/column_docs.py"


def test_catalog_view_lists_every_indicator(sample_warehouse):
    _, warehouse = sample_warehouse
    con = catalog.connect(warehouse)
    rows = con.execute("select indicator, unit, definition from catalog").fetchall()
    assert [r[0] for r in rows] == [i.id for i in INDICATORS]
    assert all(unit and definition for _, unit, definition in rows)
