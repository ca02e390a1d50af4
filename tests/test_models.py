"""Single SQL models on fixture tables (inputs and expected rows side by side)."""

from __future__ import annotations

import pytest

from kraptemeter.core.db import connect
from kraptemeter.core.periods import Quarter
from transforms.models import model_sql
from transforms.quarter import _load_inputs, _set_variables
from transforms.regions import build_region_models

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
    con.execute("create temp table derived (region_code varchar, indicator varchar, value double)")
    con.execute("create temp table pressure as select * from derived")
    ams = [
        r[0]
        for r in con.execute(
            "select region_code from regions where region_level = 'arbeidsmarktregio' order by 1"
        ).fetchall()
    ]
    for am, (value, _) in zip(ams, BOUNDARIES, strict=False):
        con.execute("insert into derived values (?, 'uwv_tension', ?)", [am, value])
    labels = dict(
        con.execute(
            f"select value, label from ({model_sql('indicators')}) where indicator = 'uwv_tension'"
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
