"""New online vacancies at either grain, on tiny hand-made deliveries; every expected value is
added up by hand here.

Gemeenten used (2015 classification): GM0344 Utrecht and GM0355 Zeist (both AM13
Midden-Utrecht, COROP CR17, PV26), GM0363 Amsterdam (AM18, CR23, PV27) and GM0736 De Ronde
Venen (AM18 Groot Amsterdam, yet CR17 and PV26): the arbeidsmarktregio and the provincie of
De Ronde Venen differ, so AM and provincie totals do too.
"""

from __future__ import annotations

import pytest

from kraptemeter.core.errors import InputError
from kraptemeter.core.periods import Quarter
from kraptemeter.run import run_quarters
from kraptemeter.warehouse import catalog
from tests.conftest import indicator_values, write_raw

Q1, Q2 = Quarter(2024, 1), Quarter(2024, 2)


def per_gemeente(gemeente, occupation, education, count, period="2024KW02"):
    return {
        "period": period,
        "gemeente_code": gemeente,
        "occupation_class": occupation,
        "education_level": education,
        "new_vacancies": count,
    }


def per_am(am, occupation, education, count, period="2024KW02"):
    return {
        "period": period,
        "arbeidsmarktregio_code": am,
        "occupation_class": occupation,
        "education_level": education,
        "new_vacancies": count,
    }


# Totals: GM0344 65, GM0355 10, GM0363 70, GM0736 10.
PER_GEMEENTE = [
    per_gemeente("GM0344", "ict", "hoog", 30),
    per_gemeente("GM0344", "ict", "middelbaar", 10),
    per_gemeente("GM0344", "zorg_welzijn", "middelbaar", 20),
    per_gemeente("GM0344", "zorg_welzijn", "laag", 5),
    per_gemeente("GM0355", "ict", "hoog", 6),
    per_gemeente("GM0355", "technisch", "laag", 4),
    per_gemeente("GM0363", "ict", "hoog", 50),
    per_gemeente("GM0363", "commercieel", "middelbaar", 12),
    per_gemeente("GM0363", "transport_logistiek", "laag", 8),
    per_gemeente("GM0736", "technisch", "middelbaar", 7),
    per_gemeente("GM0736", "zorg_welzijn", "laag", 3),
    per_gemeente("GM0736", "agrarisch", "laag", 0),
]

# Q1, per arbeidsmarktregio: AM13 40, AM18 10.
PER_AM_Q1 = [
    per_am("AM13", "ict", "hoog", 40, "2024KW01"),
    per_am("AM18", "zorg_welzijn", "laag", 10, "2024KW01"),
]


def _query(settings, sql: str, parameters: list | None = None) -> list[tuple]:
    con = catalog.connect(settings.warehouse)
    try:
        return con.execute(sql, parameters or []).fetchall()
    finally:
        con.close()


@pytest.fixture
def gemeente_q2(settings):
    write_raw(settings.raw, "online_vacancies_gemeente", Q2, PER_GEMEENTE)
    run_quarters(settings, [Q2])
    return settings


def test_a_delivery_per_gemeente_rolls_up_to_every_level(gemeente_q2):
    v = indicator_values(gemeente_q2.warehouse, "2024Q2")
    assert v["GM0344", "new_vacancies"] == 65  # 30 + 10 + 20 + 5
    assert v["GM0736", "new_vacancies"] == 10  # 7 + 3 + 0
    assert v["AM13", "new_vacancies"] == 75  # GM0344 65 + GM0355 10
    assert v["AM18", "new_vacancies"] == 80  # GM0363 70 + GM0736 10
    assert v["PV26", "new_vacancies"] == 85  # GM0344 65 + GM0355 10 + GM0736 10
    assert v["PV27", "new_vacancies"] == 70  # GM0363
    assert v["CR17", "new_vacancies"] == 85  # the same three gemeenten as PV26 here
    assert v["NL01", "new_vacancies"] == 155  # 65 + 10 + 70 + 10


def test_the_education_split_and_top_occupations_of_a_province(gemeente_q2):
    rows = _query(
        gemeente_q2,
        "select region_code, category, value from indicator_breakdowns "
        "where indicator = 'new_vacancies_share' and breakdown = 'education_level'",
    )
    shares = {(region, category): value for region, category, value in rows}
    # PV26 (85): hoog 30 + 6 = 36, middelbaar 10 + 20 + 7 = 37, laag 5 + 4 + 3 + 0 = 12
    assert shares["PV26", "hoog"] == pytest.approx(100 * 36 / 85)
    assert shares["PV26", "middelbaar"] == pytest.approx(100 * 37 / 85)
    assert shares["PV26", "laag"] == pytest.approx(100 * 12 / 85)
    # AM18 (80): hoog 50, middelbaar 12 + 7 = 19, laag 8 + 3 + 0 = 11
    assert shares["AM18", "hoog"] == pytest.approx(62.5)
    assert shares["AM18", "middelbaar"] == pytest.approx(23.75)
    assert shares["AM18", "laag"] == pytest.approx(13.75)
    # GM0736 (10): middelbaar 7, laag 3; nothing delivered at hoog
    assert shares["GM0736", "middelbaar"] == pytest.approx(70.0)
    assert ("GM0736", "hoog") not in shares

    top = _query(
        gemeente_q2,
        "select region_code, rank, category, value from indicator_breakdowns "
        "where indicator = 'new_vacancies' and breakdown = 'occupation_class' "
        "and region_code in ('PV26', 'NL01') order by region_code, rank",
    )
    # NL01: ict 30 + 10 + 6 + 50 = 96, zorg_welzijn 20 + 5 + 3 = 28, commercieel 12,
    # technisch 4 + 7 = 11, transport_logistiek 8; agrarisch (0) is sixth
    # PV26: ict 30 + 10 + 6 = 46, zorg_welzijn 28, technisch 11, agrarisch 0
    assert top == [
        ("NL01", 1, "ict", 96.0),
        ("NL01", 2, "zorg_welzijn", 28.0),
        ("NL01", 3, "commercieel", 12.0),
        ("NL01", 4, "technisch", 11.0),
        ("NL01", 5, "transport_logistiek", 8.0),
        ("PV26", 1, "ict", 46.0),
        ("PV26", 2, "zorg_welzijn", 28.0),
        ("PV26", 3, "technisch", 11.0),
        ("PV26", 4, "agrarisch", 0.0),
    ]


def test_either_grain_counts_as_delivered(settings, capsys):
    write_raw(settings.raw, "online_vacancies_gemeente", Q2, PER_GEMEENTE)
    run_quarters(settings, [Q2])
    (warning,) = [line for line in capsys.readouterr().out.splitlines() if "no file for" in line]
    assert "online_vacancies_gemeente" not in warning and "online_vacancies" not in warning
    ww_spell = {
        "spell_id": "s1",
        "person_id": "P1",
        "gemeente_code": "GM0344",
        "scheme": "WW",
        "start_date": "2024-01-15",
        "age": 40,
        "sex": "M",
    }
    write_raw(settings.raw, "ww", Q1, [ww_spell])  # Q1: no new vacancies at either grain
    run_quarters(settings, [Q1])
    (warning,) = [line for line in capsys.readouterr().out.splitlines() if "no file for" in line]
    assert "online_vacancies_gemeente or online_vacancies" in warning


def test_a_delivery_per_am_gives_am_and_nederland_only(settings):
    write_raw(settings.raw, "online_vacancies", Q1, PER_AM_Q1)
    run_quarters(settings, [Q1])
    v = indicator_values(settings.warehouse, "2024Q1")
    new = {
        region: value for (region, indicator), value in v.items() if indicator == "new_vacancies"
    }
    assert new == {"AM13": 40, "AM18": 10, "NL01": 50}
    split = _query(
        settings,
        "select distinct region_code from indicator_breakdowns where indicator like 'new_vac%'",
    )
    assert sorted(split) == [("AM13",), ("AM18",), ("NL01",)]
    levels = _query(settings, "select region_levels from catalog where indicator = 'new_vacancies'")
    assert levels == [(["land", "arbeidsmarktregio"],)]


def test_the_catalog_says_which_levels_were_published_per_quarter(settings):
    """Q1 delivered per arbeidsmarktregio, Q2 per gemeente: the catalog lists every level
    published in any quarter, indicator_coverage each quarter's own."""
    write_raw(settings.raw, "online_vacancies", Q1, PER_AM_Q1)
    write_raw(settings.raw, "online_vacancies_gemeente", Q2, PER_GEMEENTE)
    run_quarters(settings, [Q1, Q2])
    coverage = _query(
        settings,
        "select period, region_level, figures from indicator_coverage "
        "where indicator = 'new_vacancies' order by period, region_level",
    )
    assert coverage == [
        ("2024Q1", "arbeidsmarktregio", 2),
        ("2024Q1", "land", 1),
        # Q2: 4 gemeenten in 2 arbeidsmarktregio's, 2 COROP regions and 2 provinces
        ("2024Q2", "arbeidsmarktregio", 2),
        ("2024Q2", "corop", 2),
        ("2024Q2", "gemeente", 4),
        ("2024Q2", "land", 1),
        ("2024Q2", "provincie", 2),
    ]
    (levels,) = _query(
        settings, "select region_levels from catalog where indicator = 'new_vacancies'"
    )
    assert levels == (["land", "provincie", "corop", "arbeidsmarktregio", "gemeente"],)
    # a quarter per gemeente compares with the one per arbeidsmarktregio where both have the
    # region: AM13 75 - 40 = 35; PV26 had no figure in Q1
    changes = dict(
        _query(
            settings,
            "select region_code, change_prev_quarter from indicators "
            "where indicator = 'new_vacancies' and period = '2024Q2' "
            "and region_code in ('AM13', 'PV26')",
        )
    )
    assert changes == {"AM13": 35.0, "PV26": None}


def test_a_quarter_delivered_at_both_grains_is_refused_naming_both_files(settings):
    by_gemeente = write_raw(settings.raw, "online_vacancies_gemeente", Q2, PER_GEMEENTE)
    by_am = write_raw(
        settings.raw,
        "online_vacancies",
        Q2,
        [per_am("AM13", "ict", "hoog", 75), per_am("AM18", "ict", "hoog", 80)],
    )
    with pytest.raises(InputError) as error:
        run_quarters(settings, [Q2])
    message = str(error.value)
    assert str(by_gemeente) in message and str(by_am) in message
    assert "2024Q2" in message and "one grain" in message
    assert not (settings.warehouse / "marts").exists()  # nothing published
