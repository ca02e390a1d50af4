"""Each indicator on small hand-made inputs; expected values are worked out by hand here.

Gemeenten used (2015 classification): GM0344 Utrecht (AM13, PV26), GM0363 Amsterdam (AM18,
PV27) and GM0736 De Ronde Venen, which lies in provincie Utrecht (PV26) but in
arbeidsmarktregio Groot Amsterdam (AM18) — so AM and provincie totals differ.
"""

from __future__ import annotations

import math

import pytest

from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import Settings, SurveyRules
from kraptemeter.run import run_quarters
from kraptemeter.warehouse import catalog
from tests.conftest import indicator_values, write_raw

Q2 = Quarter(2024, 2)


def respondent(rid, gemeente, age, position, weight, llo="geen", reason="", education="middelbaar"):
    return {
        "respondent_id": rid,
        "period": "2024KW02",
        "gemeente_code": gemeente,
        "age": age,
        "sex": "V",
        "education_level": education,
        "labour_position": position,
        "llo_type": llo,
        "llo_reason": reason,
        "weight": weight,
    }


EBB = [
    respondent("r1", "GM0344", 30, "werkzaam", 100, "niet_formeel", "huidig_werk", "hoog"),
    respondent("r2", "GM0344", 40, "werkzaam", 300, education="laag"),
    respondent("r3", "GM0344", 50, "werkloos", 50, "formeel", "toekomstig_werk"),
    respondent("r4", "GM0344", 60, "niet_beroepsbevolking", 150),
    respondent("r5", "GM0344", 80, "werkzaam", 999),  # 75+: outside every EBB universe here
    respondent("r6", "GM0363", 35, "werkzaam", 200, "formeel", "huidig_werk"),
    respondent("r7", "GM0363", 22, "werkloos", 100),
    respondent("r8", "GM0736", 45, "werkzaam", 400),
    respondent("r9", "GM0736", 70, "niet_beroepsbevolking", 100),
]


@pytest.fixture
def settings(tmp_path):
    """Publication rules off (no minimum respondents, no rounding): exact hand arithmetic."""
    return Settings(tmp_path / "raw", tmp_path / "warehouse", survey=SurveyRules(1, 1))


def write_q2(settings: Settings) -> None:
    """The hand-made deliveries of 2024Q2 above, run."""
    write_raw(settings.raw, "ebb", Q2, EBB)
    write_raw(settings.raw, "ww", Q2, WW)
    write_raw(settings.raw, "open_vacancies", Q2, OPEN)
    write_raw(settings.raw, "population", Q2, POPULATION)
    run_quarters(settings, [Q2])


@pytest.fixture
def q2_values(settings):
    write_q2(settings)
    return indicator_values(settings.warehouse, "2024Q2")


def test_labour_force_is_weighted_and_rolled_up_from_gemeenten(q2_values):
    v = q2_values
    # PV26 = GM0344 + GM0736: employed 100+300+400, unemployed 50, population 15-74 1100
    assert v["PV26", "employed"] == pytest.approx(800)
    assert v["PV26", "unemployed"] == pytest.approx(50)
    assert v["PV26", "labour_force"] == pytest.approx(850)
    assert v["PV26", "population_15_74"] == pytest.approx(1100)
    assert v["PV26", "unemployment_rate"] == pytest.approx(100 * 50 / 850)
    assert v["PV26", "net_participation"] == pytest.approx(100 * 800 / 1100)
    assert v["PV26", "gross_participation"] == pytest.approx(100 * 850 / 1100)
    # AM18 = GM0363 + GM0736 (crosses the provincial border)
    assert v["AM18", "employed"] == pytest.approx(600)
    assert v["AM18", "unemployment_rate"] == pytest.approx(100 * 100 / 700)
    # Nederland: a ratio of sums, not the mean of the provinces' rates (which is 19.6)
    assert v["NL01", "unemployment_rate"] == pytest.approx(100 * 150 / 1150)
    assert v["GM0344", "employed"] == pytest.approx(400)


def test_lifelong_learning_counts_ages_25_to_64(q2_values):
    v = q2_values
    # PV26 25-64: r1 (learns, 100), r2 (300), r3 (learns formal, 50), r4 (150), r8 (400)
    assert v["PV26", "llo_participation_rate"] == pytest.approx(100 * 150 / 1000)
    assert v["PV26", "llo_participation_rate_employed"] == pytest.approx(100 * 100 / 800)
    assert v["PV26", "llo_formal_rate"] == pytest.approx(100 * 50 / 1000)
    assert v["PV26", "llo_non_formal_rate"] == pytest.approx(100 * 100 / 1000)
    # Amsterdam: only r6 (35, formal) is 25-64; r7 is 22
    assert v["GM0363", "llo_participation_rate"] == pytest.approx(100.0)


def spell(sid, gemeente, start, end="", scheme="WW"):
    return {
        "spell_id": sid,
        "person_id": "P" + sid,
        "gemeente_code": gemeente,
        "scheme": scheme,
        "start_date": start,
        "end_date": end,
        "age": 40,
        "sex": "M",
    }


# 2024Q2 runs 1 April - 30 June; six months before 30 June is 30 December 2023.
WW = [
    spell("s1", "GM0344", "2024-01-15"),  # running, short
    spell("s2", "GM0344", "2023-06-01"),  # running, long
    spell("s3", "GM0344", "2024-05-01", "2024-06-10"),  # inflow and outflow, not running
    spell("s4", "GM0344", "2022-01-01", "2024-06-30"),  # ends on the last day: outflow
    spell("s6", "GM0344", "2023-12-30"),  # exactly six months: not short
    spell("s7", "GM0344", "2023-12-31"),  # running, short
    spell("s8", "GM0363", "2024-04-01"),  # inflow on the first day, running, short
]


def test_ww_stocks_and_flows_are_derived_from_dates(q2_values):
    v = q2_values
    assert v["GM0344", "ww_current"] == 4  # s1, s2, s6, s7
    assert v["GM0344", "ww_short_duration"] == 2  # s1, s7
    assert v["GM0344", "ww_inflow"] == 1  # s3
    assert v["GM0344", "ww_outflow"] == 2  # s3, s4
    assert v["NL01", "ww_current"] == 5
    assert v["NL01", "ww_inflow"] == 2
    # WW percentage: running WW / labour force (GM0344: 400 employed + 50 unemployed)
    assert v["GM0344", "ww_percentage"] == pytest.approx(100 * 4 / 450)


OPEN = [
    {"period": "2024KW02", "gemeente_code": "GM0344", "sbi_section": "G", "open_vacancies": 10},
    {"period": "2024KW02", "gemeente_code": "GM0344", "sbi_section": "Q", "open_vacancies": 5},
    {"period": "2024KW02", "gemeente_code": "GM0363", "sbi_section": "J", "open_vacancies": 1},
]


def test_tension_is_vacancies_over_short_ww(q2_values):
    v = q2_values
    assert v["GM0344", "open_vacancies"] == 15
    assert v["GM0344", "uwv_tension"] == pytest.approx(15 / 2)
    assert v["NL01", "uwv_tension"] == pytest.approx(16 / 3)
    # vacancies per 100 unemployed: GM0344 has 50 weighted unemployed
    assert v["GM0344", "vacancies_per_100_unemployed"] == pytest.approx(30.0)


def population(gemeente, age, count):
    return {"period": "2024JJ00", "gemeente_code": gemeente, "age": age, "population": count}


POPULATION = [
    population("GM0344", 0, 10),
    population("GM0344", 19, 10),
    population("GM0344", 20, 50),
    population("GM0344", 64, 50),
    population("GM0344", 65, 20),
    population("GM0344", 95, 5),
    population("GM0363", 30, 100),
    population("GM0363", 70, 30),
]


def test_pressure_is_annual_and_per_100_aged_20_64(settings, q2_values):
    year = indicator_values(settings.warehouse, "2024")
    assert year["GM0344", "grey_pressure"] == pytest.approx(25.0)  # 25 / 100
    assert year["GM0344", "green_pressure"] == pytest.approx(20.0)  # 20 / 100
    assert year["GM0344", "demographic_pressure"] == pytest.approx(45.0)
    assert year["GM0344", "population"] == 145
    assert year["NL01", "grey_pressure"] == pytest.approx(100 * 55 / 200)
    assert ("GM0344", "grey_pressure") not in q2_values  # annual, not quarterly


# Bijstand is counted per household (one spell a household); running on 30 June 2024.
BIJSTAND = [
    spell("b1", "GM0344", "2020-03-01", scheme="bijstand_tot_aow"),  # running
    spell("b2", "GM0344", "2023-11-20", scheme="bijstand_vanaf_aow"),  # running
    spell("b3", "GM0344", "2024-06-30", scheme="bijstand_tot_aow"),  # starts on the last day
    spell("b4", "GM0344", "2022-05-01", "2024-05-31", scheme="bijstand_tot_aow"),  # ended
    spell("b5", "GM0736", "2024-04-15", scheme="bijstand_tot_aow"),  # running
    spell("b6", "GM0363", "2021-01-01", "2024-06-29", scheme="bijstand_tot_aow"),  # ended
]

# Inhabitants on 1 January 2024; ages 14 and 75 lie outside 15-74.
INHABITANTS = [
    population("GM0344", 14, 500),
    population("GM0344", 15, 400),
    population("GM0344", 40, 1000),
    population("GM0344", 74, 600),  # GM0344 15-74: 400 + 1000 + 600 = 2000
    population("GM0344", 75, 300),
    population("GM0736", 30, 2000),  # GM0736 15-74: 2000
    population("GM0363", 50, 4000),  # GM0363 15-74: 4000
]


def test_bijstand_per_1000_inhabitants_15_74_is_a_ratio_of_regional_sums(settings):
    write_raw(settings.raw, "bijstand", Q2, BIJSTAND)
    write_raw(settings.raw, "population", Q2, INHABITANTS)
    run_quarters(settings, [Q2])
    v = indicator_values(settings.warehouse, "2024Q2")
    rate = "bijstand_per_1000_inhabitants_15_74"
    # GM0344: 3 households on bijstand (b1, b2, b3) per 2 000 inhabitants 15-74 -> 1.5
    assert v["GM0344", rate] == pytest.approx(1000 * 3 / 2000)
    # GM0363: b6 ended before quarter end, 0 per 4 000 -> 0.0
    assert v["GM0363", rate] == 0.0
    # PV26 = GM0344 + GM0736: (3 + 1) / (2 000 + 2 000) x 1 000 = 1.0
    assert v["PV26", rate] == pytest.approx(1.0)
    # AM18 = GM0363 + GM0736: (0 + 1) / (4 000 + 2 000) x 1 000 = 0.1667
    assert v["AM18", rate] == pytest.approx(1000 * 1 / 6000)
    # Nederland: 4 / 8 000 x 1 000 = 0.5, a ratio of sums, not a mean of the gemeenten's rates
    assert v["NL01", rate] == pytest.approx(0.5)
    assert v["NL01", "bijstand"] == 4


def test_changes_compare_with_the_published_previous_quarter(settings):
    q1 = Quarter(2024, 1)
    write_raw(
        settings.raw,
        "open_vacancies",
        q1,
        [
            {
                "period": "2024KW01",
                "gemeente_code": "GM0344",
                "sbi_section": "G",
                "open_vacancies": 20,
            },
            {
                "period": "2024KW01",
                "gemeente_code": "GM0363",
                "sbi_section": "J",
                "open_vacancies": 1,
            },
        ],
    )
    write_raw(settings.raw, "open_vacancies", Q2, OPEN)
    run_quarters(settings, [q1, Q2])
    con = catalog.connect(settings.warehouse)
    rows = con.execute(
        "select region_code, value, change_prev_quarter, direction_prev_quarter, "
        "change_significant_prev_quarter, change_prev_year, change_significant_prev_year "
        "from indicators where region_code in ('GM0344', 'GM0363', 'NL01') "
        "and indicator = 'open_vacancies' and period = '2024Q2' order by region_code"
    ).fetchall()
    # a register count: an arrow from one vacancy and 1% on; none without a year earlier
    assert rows == [
        ("GM0344", 15.0, -5.0, "down", True, None, None),  # 20 -> 15
        ("GM0363", 1.0, 0.0, "equal", False, None, None),  # 1 -> 1
        ("NL01", 16.0, -5.0, "down", True, None, None),  # 21 -> 16
    ]


def test_ratios_on_survey_totals_follow_the_publication_rules(tmp_path):
    """At least 2 respondents, totals rounded to hundreds (by hand, from EBB above):
    GM0344 labour force = r1 + r2 + r3 = 100 + 300 + 50 = 450 weighted, 3 respondents,
    published as 500 (4.5 hundreds, half away from zero): WW% = 100 * 4 / 500 = 0.8.
    GM0344 unemployed = r3 alone: 1 respondent, so vacancies per 100 unemployed is
    suppressed, with no value."""
    write_q2(Settings(tmp_path / "raw", tmp_path / "warehouse", survey=SurveyRules(2, 100)))
    settings = Settings(tmp_path / "raw", tmp_path / "warehouse")
    con = catalog.connect(settings.warehouse)
    rows = con.execute(
        "select indicator, value, respondents, status from indicators where region_code = "
        "'GM0344' and period = '2024Q2' and period_type = 'quarter' and indicator in "
        "('labour_force', 'ww_percentage', 'vacancies_per_100_unemployed') order by indicator"
    ).fetchall()
    con.close()
    assert rows == [
        ("labour_force", 500.0, 3, "ok"),
        ("vacancies_per_100_unemployed", None, 1, "suppressed: fewer than 2 respondents"),
        ("ww_percentage", pytest.approx(0.8), 3, "ok"),
    ]


def test_a_survey_change_is_significant_only_beyond_its_95_percent_margin(sample_warehouse):
    """Recomputed here from the published intervals: significant when the change exceeds the
    two 95% half-widths added in quadrature (independence assumed: conservative)."""
    _, warehouse = sample_warehouse
    con = catalog.connect(warehouse)
    rows = con.execute(
        "select c.value - p.value, (c.ci_high - c.ci_low) / 2, (p.ci_high - p.ci_low) / 2, "
        "c.change_significant_prev_quarter "
        "from indicators c join indicators p using (region_code, indicator, period_type) "
        "where c.period = '2024Q2' and p.period = '2024Q1' and c.ci_low is not null "
        "and p.ci_low is not null"
    ).fetchall()
    con.close()
    verdicts = [abs(change) > math.sqrt(now**2 + before**2) for change, now, before, _ in rows]
    assert verdicts == [significant for *_, significant in rows]
    assert True in verdicts and False in verdicts  # both occur in the sample
