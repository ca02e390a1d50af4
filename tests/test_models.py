"""Single SQL models on fixture tables (inputs and expected rows side by side), and the model
registry: what each model reads, the order they run in, and the errors it refuses with."""

from __future__ import annotations

from pathlib import Path

import pytest

from kraptemeter.core.db import connect
from kraptemeter.core.periods import Quarter
from transforms.models import (
    LAYERS,
    ModelError,
    load,
    model_sql,
    reads,
    registry,
    render,
    run_models,
)
from transforms.quarter import _load_inputs, _set_variables
from transforms.regions import build_region_models

ROOT = Path(__file__).resolve().parents[1]

# UWV typering: < 0.25 zeer ruim, 0.25-<0.67 ruim, 0.67-<1.5 gemiddeld, 1.5-<4 krap, >= 4 zeer krap
BOUNDARIES = [
    (0.0, "zeer ruim"),
    (0.2499, "zeer ruim"),
    (0.25, "ruim"),
    (0.6699, "ruim"),
    (0.67, "gemiddeld"),
    (1.4999, "gemiddeld"),
    (1.5, "krap"),
    (3.9999, "krap"),
    (4.0, "zeer krap"),
    (25.0, "zeer krap"),
]


@pytest.fixture
def con():
    connection = connect()
    _load_inputs(connection, Quarter(2024, 2), {}, [])
    _set_variables(connection, Quarter(2024, 2))
    build_region_models(connection)
    yield connection
    connection.close()


def test_uwv_tension_class_boundaries(con):
    con.execute(
        "create temp table base_indicators (region_code varchar, indicator varchar, "
        "period_type varchar, value double, ci_low double, ci_high double, respondents bigint, "
        "status varchar)"
    )
    con.execute(
        "create temp table derived (region_code varchar, indicator varchar, value double, "
        "respondents bigint, status varchar)"
    )
    con.execute(
        "create temp table population_pressure (region_code varchar, indicator varchar, "
        "value double)"
    )
    ams = [
        r[0]
        for r in con.execute(
            "select region_code from regions where region_level = 'arbeidsmarktregio' order by 1"
        ).fetchall()
    ]
    for am, (value, _) in zip(ams, BOUNDARIES, strict=False):
        con.execute("insert into derived values (?, 'uwv_tension', ?, null, 'ok')", [am, value])
    given = {"base_indicators", "derived", "population_pressure", "regions", "region_membership"}
    run_models(con, ["indicators"], given)
    labels = dict(
        con.execute(
            "select value, label from indicators where indicator = 'uwv_tension'"
        ).fetchall()
    )
    assert labels == dict(BOUNDARIES)


def test_region_membership_puts_every_gemeente_in_each_level_once(con):
    counts = con.execute(
        "select region_level, count(*), count(distinct gemeente_code) "
        "from region_membership group by 1 order by 1"
    ).fetchall()
    assert counts == [
        ("arbeidsmarktregio", 393, 393),
        ("corop", 393, 393),
        ("gemeente", 393, 393),
        ("land", 393, 393),
        ("provincie", 393, 393),
    ]
    chain = con.execute(
        "select region_code from region_membership where gemeente_code = 'GM0344' order by 1"
    ).fetchall()
    assert [c[0] for c in chain] == ["AM13", "CR17", "GM0344", "NL01", "PV26"]


def test_reads_are_the_names_after_from_and_join_that_are_not_own_ctes():
    sql = """
        -- a comment that reads from nowhere
        with regions as (
            select * from regions  -- its own name, inside: the relation outside
        ),
        joined as (
            select * from stg_ww w join regions r using (region_code)
            cross join lateral (select 'from quoted' as q) t
            where w.a is not distinct from r.a
        )
        pivot joined on x in ('a') using first(y)
    """
    assert reads(sql) == {"regions", "stg_ww"}


def write_models(root, files: dict[str, str]):
    for relative, sql in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql)
    return root


def test_order_follows_reads_with_the_layer_as_tie_break(tmp_path):
    root = write_models(
        tmp_path,
        {
            "marts/a_mart.sql": "select * from b_middle",
            "marts/z_mart.sql": "select * from region_reference",
            "intermediate/b_middle.sql": "select * from c_stage join y_stage using (k)",
            "staging/c_stage.sql": "select * from region_reference",
            "staging/y_stage.sql": "select * from region_reference",
            "cbs/staging/cbs_stage.sql": "select * from cbs_observations",
            "audits/not_a_model.sql": "select * from nowhere",
        },
    )
    found = load(root)
    assert found.order == ("c_stage", "cbs_stage", "y_stage", "b_middle", "a_mart", "z_mart")
    assert found.models["cbs_stage"].group == "cbs"
    assert found.marts() == ("a_mart", "z_mart")
    assert found.upstream(["a_mart"], built=["y_stage"]) == ["c_stage", "b_middle", "a_mart"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"intermediate/a.sql": "select * from b", "intermediate/b.sql": "select * from a"},
            "cycle: a, b",
        ),
        ({"intermediate/a.sql": "select * from stg_wv"}, "reads stg_wv: neither a model"),
        (
            {"staging/a.sql": "select * from b", "marts/b.sql": "select * from stg_ww"},
            "reads b of a later layer",
        ),
        (
            {"staging/a.sql": "select * from stg_ww", "marts/a.sql": "select * from stg_ww"},
            "two models named a",
        ),
    ],
)
def test_a_cycle_an_unknown_name_or_a_backward_read_is_refused(tmp_path, files, message):
    with pytest.raises(ModelError, match=message):
        load(write_models(tmp_path, files))


def test_the_registry_finds_every_sql_file_through_importlib_resources():
    """The shipped models are found as package data (pyproject: `sql/**/*.sql`), each after
    every model it reads."""
    sql = ROOT / "transforms" / "sql"
    on_disk = {p.stem for p in sql.rglob("*.sql") if p.parent.name in LAYERS}
    models = registry().models
    assert set(models) == on_disk
    position = {name: index for index, name in enumerate(registry().order)}
    for name, model in models.items():
        assert all(position[r] < position[name] for r in model.reads if r in models), name
    assert {"vacancy_counts", "benefit_counts", "population_pressure"} <= set(models)


def test_theme_placeholder_lists_the_declared_pipeline_indicators_in_order():
    assert render("in ({{ theme_indicators('vacancies') }})") == (
        "in ('open_vacancies', 'new_vacancies')"
    )
    with pytest.raises(ModelError, match="no such theme"):
        render("{{ theme_indicators('weather') }}")
    with pytest.raises(ModelError, match="unknown placeholder"):
        render("{{ headline() }}")
    assert "theme_indicators" not in model_sql("benefits")
