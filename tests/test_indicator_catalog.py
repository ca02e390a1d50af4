"""The declaration and the SQL agree: every indicator a model produces is declared, every
declared indicator is produced, and each wide mart has exactly its theme's columns.

The indicators mart joins the declaration, so an undeclared indicator would vanish from it;
these tests look at the models' output before that join (`indicator_values`).
"""

from __future__ import annotations

import pytest

from kraptemeter.core.db import connect
from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import Settings
from kraptemeter.run import run_quarters
from kraptemeter.warehouse import catalog, state
from kraptemeter.warehouse.layout import Warehouse, WorkFolder, default_work
from schemas import SOURCES
from schemas.cbs.landing import import_cbs
from tests.conftest import REALDATA
from tests.test_cbs_pipeline import ALL_TABLES
from transforms import cbs as cbs_transform
from transforms import quarter as quarter_transform
from transforms.indicators import BY_ID, INDICATORS, PIPELINE, THEMES
from transforms.models import ModelError, registry

Q2 = Quarter(2024, 2)
KEYS = ["region_code", "region_name", "region_level", "period", "period_type"]
# the wide marts: those whose PIVOT column list is filled in from the declaration
WIDE = [
    t for t in THEMES if f"theme_indicators('{t}')" in getattr(registry().models.get(t), "text", "")
]


def build_sample_quarter(sample_warehouse, tmp_path):
    """The sample's 2024Q2 through every model; the connection keeps the models' tables."""
    _, warehouse = sample_warehouse
    work = WorkFolder(default_work(warehouse))
    accepted = {
        name: work.staged(name, d.period, d.sha256, SOURCES[name].staged_as)
        for name, d in state.read(work, Q2.label).deliveries.items()
    }
    con = connect()
    quarter_transform.build_marts(con, Q2, accepted, [], tmp_path)
    return con


@pytest.fixture
def produced(sample_warehouse, tmp_path) -> dict[str, set[str]]:
    con = build_sample_quarter(sample_warehouse, tmp_path)
    rows = con.execute("select distinct indicator, period_type from indicator_values").fetchall()
    con.close()
    by_indicator: dict[str, set[str]] = {}
    for indicator, period_type in rows:
        by_indicator.setdefault(indicator, set()).add(period_type)
    return by_indicator


def test_every_indicator_the_models_produce_is_declared_with_its_period(produced):
    assert set(produced) - set(BY_ID) == set()
    for indicator, period_types in produced.items():
        declared = BY_ID[indicator]
        expected = {declared.period_type}
        if declared.survey_based:
            expected.add("rolling_4q")  # when four quarters of EBB are there (not here)
        assert period_types <= expected, indicator


def test_every_declared_pipeline_indicator_is_produced(produced):
    assert {i.id for i in PIPELINE} - set(produced) == set()


def test_an_undeclared_indicator_is_refused_by_name(sample_warehouse, tmp_path, monkeypatch):
    without_wajong = tuple(i for i in INDICATORS if i.id != "wajong")
    monkeypatch.setattr(quarter_transform, "INDICATORS", without_wajong)
    with pytest.raises(ModelError, match=r"not declared in transforms/indicators/: wajong;"):
        build_sample_quarter(sample_warehouse, tmp_path)


@pytest.mark.parametrize("theme", WIDE)
def test_a_wide_mart_has_exactly_its_themes_pipeline_indicators_in_order(sample_warehouse, theme):
    _, warehouse = sample_warehouse
    con = catalog.connect(warehouse)
    columns = [row[0] for row in con.execute(f"describe {theme}").fetchall()]
    con.close()
    declared = [i.id for i in PIPELINE if i.theme == theme]
    assert columns == [*KEYS, "classification_year", "source", *declared]


def test_key_figures_rows_are_the_declared_headline_positions(sample_warehouse):
    _, warehouse = sample_warehouse
    con = catalog.connect(warehouse)
    rows = con.execute("select distinct position, indicator from key_figures order by 1").fetchall()
    con.close()
    declared = sorted((i.headline_position, i.id) for i in INDICATORS if i.headline_position)
    assert rows == declared


needs_realdata = pytest.mark.skipif(not REALDATA.is_dir(), reason="needs ../shared/realdata")


@pytest.fixture(scope="module")
def cbs_settings(tmp_path_factory) -> Settings:
    """A warehouse of the real CBS tables tests/test_cbs_pipeline.py lands."""
    root = tmp_path_factory.mktemp("cbs_catalog")
    settings = Settings(root / "raw", root / "warehouse")
    for relative in ALL_TABLES:
        import_cbs(REALDATA / relative, settings.raw)
    run_quarters(settings, [])
    return settings


@pytest.fixture(scope="module")
def cbs_produced(cbs_settings) -> set[str]:
    con = catalog.connect(cbs_settings.warehouse)
    rows = con.execute(
        "select distinct indicator from indicators union select indicator from indicators_monthly"
    ).fetchall()
    con.close()
    return {row[0] for row in rows}


@needs_realdata
def test_every_cbs_only_indicator_is_produced_from_real_cbs_tables(cbs_produced):
    assert cbs_produced - set(BY_ID) == set()
    assert {i.id for i in INDICATORS if i.origin == "cbs"} - cbs_produced == set()


def test_every_theme_but_tension_is_a_wide_mart_filled_from_the_declaration():
    assert [t for t in THEMES if t not in WIDE] == ["tension"]


@needs_realdata
def test_an_undeclared_cbs_indicator_is_refused_by_name(cbs_settings, tmp_path, monkeypatch):
    without = {k: v for k, v in BY_ID.items() if k != "unemployment_rate_sa"}
    monkeypatch.setattr(cbs_transform, "BY_ID", without)
    house = Warehouse(cbs_settings.warehouse)
    con = connect()
    with pytest.raises(ModelError, match=r"not declared in transforms/indicators/: unemploy"):
        cbs_transform.build_cbs_marts(con, house.cbs_observations, house.cbs_codes, tmp_path)
    con.close()
