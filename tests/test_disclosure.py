"""Every published figure that rests on the survey obeys the publication rules on the sample:
survey totals rounded, percentages and derived ratios suppressed below the respondent
threshold, and a derived ratio computed from the rounded total, so the unrounded one cannot be
recovered from it."""

from __future__ import annotations

import pytest

from kraptemeter.core.settings import MIN_RESPONDENTS, TOTAL_ROUNDING
from kraptemeter.warehouse import catalog
from transforms.indicators import BY_ID, PIPELINE

SURVEY = {i.id for i in PIPELINE if i.survey_based}
ON_SURVEY = [i for i in PIPELINE if not i.survey_based and {i.numerator, i.denominator} & SURVEY]


@pytest.fixture(scope="module")
def published(sample_warehouse) -> dict:
    _, warehouse = sample_warehouse
    con = catalog.connect(warehouse)
    rows = con.execute(
        "select region_code, period, period_type, indicator, value, respondents, status "
        "from indicators where period_type in ('quarter', 'rolling_4q')"
    ).fetchall()
    con.close()
    return {(r[0], r[1], r[2], r[3]): r[4:] for r in rows}


def test_the_walk_covers_the_derived_survey_ratios():
    assert {i.id for i in ON_SURVEY} >= {"ww_percentage", "vacancies_per_100_unemployed"}


@pytest.mark.parametrize("indicator", sorted(SURVEY))
def test_survey_figures_are_rounded_or_suppressed(published, indicator):
    kind_total = BY_ID[indicator].unit not in ("%",)
    rows = [v for k, v in published.items() if k[3] == indicator]
    assert rows
    for value, respondents, status in rows:
        if status != "ok":
            assert value is None and status.startswith("suppressed")
        elif kind_total:
            assert value % TOTAL_ROUNDING == 0
        else:
            assert respondents >= MIN_RESPONDENTS


@pytest.mark.parametrize("indicator", [i.id for i in ON_SURVEY])
def test_a_ratio_on_a_survey_total_rests_on_its_respondents_and_the_rounded_total(
    published, indicator
):
    declared = BY_ID[indicator]
    survey_input = declared.denominator if declared.denominator in SURVEY else declared.numerator
    other = declared.numerator if survey_input == declared.denominator else declared.denominator
    shown = suppressed = 0
    for (region, period, period_type, name), (value, respondents, status) in published.items():
        if name != indicator:
            continue
        total, total_respondents, _ = published[region, period, period_type, survey_input]
        assert respondents == total_respondents
        if respondents < MIN_RESPONDENTS or total == 0:
            assert value is None and status.startswith("suppressed")
            suppressed += 1
            continue
        assert status == "ok"
        # the published value is (a multiple of) the ratio of the *published* figures
        counted = published[region, period, period_type, other][0]
        ratio = counted / total if survey_input == declared.denominator else total / counted
        assert any(value == pytest.approx(k * ratio) for k in (1, 100, 1000))
        shown += 1
    assert shown + suppressed > 0
    if indicator == "ww_percentage":  # on the labour force, the sample has both kinds
        assert shown and suppressed
