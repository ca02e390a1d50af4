"""Survey estimation: interval coverage on a known population, the variance formula by hand,
CBS's publication rules, and the rolling four-quarter estimate."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from kraptemeter.core.db import connect
from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import Settings, SurveyRules
from kraptemeter.run import run_quarters
from kraptemeter.warehouse import catalog
from tests.conftest import write_raw
from transforms.models import model_sql


def estimate(
    sample: pa.Table, clusters_per_stratum: int | None = None, regions: dict | None = None
) -> dict[tuple, tuple]:
    """Run the production estimator (survey_estimates.sql) on a prepared sample.

    The design counts every sampled cluster, also those with no row in the sample (a
    household where nobody counts in the indicator), as survey_design.sql does.
    """
    con = connect()
    con.register("sample_arrow", sample)
    # each test domain stands in for a gemeente that is its own only region
    con.execute(
        "create temp table survey_sample as "
        "select * exclude (domain), domain as gemeente_code from sample_arrow"
    )
    con.execute(
        "create temp table region_membership as "
        "select distinct gemeente_code, gemeente_code as region_code from survey_sample"
    )
    for region, gemeenten in (regions or {}).items():  # regions made of several domains
        for gemeente in gemeenten:
            con.execute("insert into region_membership values (?, ?)", [gemeente, region])
    if clusters_per_stratum is None:
        con.execute(
            "create temp table survey_design as select stratum, count(distinct cluster) as "
            "n_clusters from survey_sample group by stratum"
        )
    else:
        con.execute(
            "create temp table survey_design as select distinct stratum, "
            f"{clusters_per_stratum} as n_clusters from survey_sample"
        )
    rows = con.execute(
        f"select domain, indicator, estimate, ci_low, ci_high, standard_error "
        f"from ({model_sql('survey_estimates')})"
    ).fetchall()
    con.close()
    return {(d, i): (e, low, high, se) for d, i, e, low, high, se in rows}


def test_95_percent_intervals_cover_the_truth_93_to_97_percent_of_the_time():
    """1 000 stratified cluster samples (40 strata, 30 of 2 000 households each) from one
    synthetic population whose employment is correlated within households."""
    rng = np.random.default_rng(2024)
    strata, households, per_stratum, replications = 40, 2000, 30, 1000
    size = rng.choice([1, 2, 3, 4], size=strata * households, p=[0.3, 0.35, 0.2, 0.15])
    household_share = rng.beta(6, 1.5, size=strata * households)
    person_household = np.repeat(np.arange(strata * households), size)
    in_labour_force = rng.random(person_household.size) < 0.7
    employed = in_labour_force & (
        rng.random(person_household.size) < household_share[person_household]
    )
    true_total = int(employed.sum())
    true_rate = 100 * true_total / int(in_labour_force.sum())
    first_person = np.concatenate([[0], np.cumsum(size)[:-1]])

    # every replication draws 30 households per stratum without replacement
    draws = np.argpartition(rng.random((replications, strata, households)), per_stratum, axis=2)
    chosen = draws[:, :, :per_stratum] + (np.arange(strata) * households)[None, :, None]
    household = chosen.ravel()
    persons_per = size[household]
    rep = np.repeat(np.repeat(np.arange(replications), strata * per_stratum), persons_per)
    starts = np.repeat(np.cumsum(persons_per) - persons_per, persons_per)
    person = np.repeat(first_person[household], persons_per) + np.arange(starts.size) - starts
    hh = person_household[person]
    x, y = in_labour_force[person].astype(int), employed[person].astype(int)

    def rows(indicator: str, kind: str, xs: np.ndarray) -> pa.Table:
        keep = (y == 1) | (xs == 1)
        n, reps = int(keep.sum()), rep[keep].astype(str)
        return pa.table(
            {
                "domain": reps,
                "indicator": [indicator] * n,
                "breakdown": pa.nulls(n, pa.string()),
                "category": pa.nulls(n, pa.string()),
                "kind": [kind] * n,
                "stratum": np.char.add(
                    np.char.add(reps, ":"), (hh[keep] // households).astype(str)
                ),
                "cluster": np.char.add(np.char.add(reps, ":"), hh[keep].astype(str)),
                "weight": np.full(n, households / per_stratum),
                "y": y[keep],
                "x": xs[keep],
            }
        )

    sample = pa.concat_tables([rows("total", "total", np.zeros_like(x)), rows("rate", "ratio", x)])
    results = estimate(sample, per_stratum)

    def coverage(indicator, truth):
        hits = [
            low <= truth <= high for (d, i), (_, low, high, _) in results.items() if i == indicator
        ]
        assert len(hits) == replications
        return sum(hits) / len(hits)

    assert 0.93 <= coverage("total", true_total) <= 0.97
    assert 0.93 <= coverage("rate", true_rate) <= 0.97


def test_variance_formula_worked_out_by_hand():
    """Two strata; in stratum A three households, in B two; a ratio and a total."""
    rows = [  # stratum, cluster, weight, y, x
        ("A", "a1", 10, 1, 1),
        ("A", "a1", 10, 0, 1),
        ("A", "a2", 10, 1, 1),
        ("A", "a3", 10, 0, 1),
        ("B", "b1", 20, 1, 1),
        ("B", "b2", 20, 1, 1),
        ("B", "b2", 20, 0, 1),
    ]
    table = pa.table(
        {
            "domain": ["D"] * 14,
            "indicator": ["rate"] * 7 + ["total"] * 7,
            "breakdown": [None] * 14,
            "category": [None] * 14,
            "kind": ["ratio"] * 7 + ["total"] * 7,
            "stratum": [r[0] for r in rows] * 2,
            "cluster": [r[1] for r in rows] * 2,
            "weight": [float(r[2]) for r in rows] * 2,
            "y": [r[3] for r in rows] * 2,
            "x": [r[4] for r in rows] + [0] * 7,
        }
    )
    result = estimate(table)
    # Y = 10+10+20+20 = 60, X = 40 + 60 = 100, R = 0.6
    # ratio scores z = sum w (y - 0.6 x) / 100 per household:
    #   a1: (10*0.4 + 10*-0.6)/100 = -0.02, a2: 0.04, a3: -0.06  -> sum -0.04, sumsq 0.0056
    #   b1: 20*0.4/100 = 0.08, b2: (8 - 12)/100 = -0.04           -> sum 0.04, sumsq 0.008
    # V = 3/2 (0.0056 - 0.0016/3) + 2/1 (0.008 - 0.0016/2) = 0.0076 + 0.0144 = 0.022
    estimate_, low, high, se = result["D", "rate"]
    assert estimate_ == pytest.approx(60.0)
    assert se == pytest.approx(100 * 0.022**0.5)
    assert (low, high) == pytest.approx((60 - 1.959964 * se, 60 + 1.959964 * se))
    # total: z = w y per household: A 10, 10, 0 (sum 20, sumsq 200); B 20, 20 (40, 800)
    # V = 3/2 (200 - 400/3) + 2 (800 - 1600/2) = 100 + 0
    assert result["D", "total"][0] == pytest.approx(60.0)
    assert result["D", "total"][3] == pytest.approx(10.0)


def test_a_region_of_several_gemeenten_gets_the_variance_of_its_clusters():
    """The same households as above, living in two gemeenten of one region: the region's
    figures are those worked out by hand above; each gemeente's clusters alone give its own."""
    rows = [  # stratum, cluster, gemeente, weight, y, x
        ("A", "a1", "G1", 10, 1, 1),
        ("A", "a1", "G1", 10, 0, 1),
        ("A", "a2", "G2", 10, 1, 1),
        ("A", "a3", "G2", 10, 0, 1),
        ("B", "b1", "G1", 20, 1, 1),
        ("B", "b2", "G2", 20, 1, 1),
        ("B", "b2", "G2", 20, 0, 1),
    ]
    table = pa.table(
        {
            "domain": [r[2] for r in rows],
            "indicator": ["rate"] * 7,
            "breakdown": [None] * 7,
            "category": [None] * 7,
            "kind": ["ratio"] * 7,
            "stratum": [r[0] for r in rows],
            "cluster": [r[1] for r in rows],
            "weight": [float(r[3]) for r in rows],
            "y": [r[4] for r in rows],
            "x": [r[5] for r in rows],
        }
    )
    result = estimate(table, regions={"R": ["G1", "G2"]})
    assert result["R", "rate"][0] == pytest.approx(60.0)
    assert result["R", "rate"][3] == pytest.approx(100 * 0.022**0.5)
    # G1 alone: Y = 10 + 20 = 30, X = 20 + 20 = 40, R = 0.75; scores w (y - 0.75 x) / 40:
    #   a1: (2.5 - 7.5)/40 = -0.125 (stratum A, n 3: a2, a3 score 0 in G1's domain)
    #   b1: 5/40 = 0.125 (stratum B, n 2: b2 scores 0)
    # V = 3/2 (0.015625 - 0.015625/3) + 2 (0.015625 - 0.015625/2) = 0.015625 + 0.015625
    assert result["G1", "rate"][0] == pytest.approx(75.0)
    assert result["G1", "rate"][3] == pytest.approx(100 * 0.03125**0.5)


Q2 = Quarter(2024, 2)


def respondent(rid, gemeente, position, weight, quarter=Q2):
    return {
        "respondent_id": rid,
        "household_id": "",
        "period": quarter.cbs_code,
        "gemeente_code": gemeente,
        "age": 40,
        "sex": "M",
        "education_level": "hoog",
        "labour_position": position,
        "llo_type": "geen",
        "llo_reason": "",
        "weight": weight,
    }


def test_publication_rules_suppress_small_percentages_and_round_totals(tmp_path):
    settings = Settings(tmp_path / "raw", tmp_path / "warehouse")  # CBS rules: 150, thousands
    q = Quarter(2024, 2)
    rows = [respondent(f"u{i}", "GM0344", "werkzaam", 1234.5) for i in range(149)]
    rows += [
        respondent(f"a{i}", "GM0363", "werkzaam" if i % 2 else "werkloos", 1000.0)
        for i in range(150)
    ]
    write_raw(settings.raw, "ebb", q, rows)
    run_quarters(settings, [q])
    con = catalog.connect(settings.warehouse)
    got = {
        (region, indicator): (value, respondents, status)
        for region, indicator, value, respondents, status in con.execute(
            "select region_code, indicator, value, respondents, status from indicators "
            "where period_type = 'quarter' and indicator in ('net_participation', 'employed')"
        ).fetchall()
    }
    assert got["GM0344", "net_participation"] == (
        None,
        149,
        "suppressed: fewer than 150 respondents",
    )
    assert got["GM0363", "net_participation"] == (50.0, 150, "ok")
    # 149 x 1234.5 = 183 940.5 -> 184 000; 75 x 1000 = 75 000
    assert got["GM0344", "employed"][:2] == (184_000, 149)
    assert got["GM0363", "employed"][0] == 75_000
    never_zero = con.execute(
        "select count(*) from indicators where starts_with(status, 'suppressed') "
        "and value is not null"
    ).fetchall()[0][0]
    assert never_zero == 0


def test_rolling_four_quarter_estimate_and_the_recommended_figure(tmp_path):
    settings = Settings(tmp_path / "raw", tmp_path / "warehouse", survey=SurveyRules(1, 1))
    quarters = [Quarter(2023, 3), Quarter(2023, 4), Quarter(2024, 1), Quarter(2024, 2)]
    for n, q in enumerate(quarters, start=1):
        # n employed respondents of weight 100 in GM0344 in the n-th quarter
        write_raw(
            settings.raw,
            "ebb",
            q,
            [respondent(f"{q.label}-{i}", "GM0344", "werkzaam", 100, q) for i in range(n)],
        )
    run_quarters(settings, quarters)
    con = catalog.connect(settings.warehouse)
    rows = {
        (region, period_type): (value, recommended)
        for region, period_type, value, recommended in con.execute(
            "select region_code, period_type, value, recommended from indicators "
            "where indicator = 'employed' and period = '2024Q2'"
        ).fetchall()
    }
    assert rows["GM0344", "quarter"][0] == 400
    assert rows["GM0344", "rolling_4q"][0] == pytest.approx((100 + 200 + 300 + 400) / 4)
    # small regions show the rolling figure, provinces the quarter
    assert rows["GM0344", "rolling_4q"][1] and not rows["GM0344", "quarter"][1]
    assert rows["PV26", "quarter"][1] and not rows["PV26", "rolling_4q"][1]
    earlier = con.execute(
        "select count(*) from indicators where period_type = 'rolling_4q' and period < '2024Q2'"
    ).fetchall()[0][0]
    assert earlier == 0  # no rolling estimate before four quarters exist
    sheet = dict(
        (
            (region, (value, kind))
            for region, value, kind in con.execute(
                "select region_code, value, value_period_type from key_figures "
                "where indicator = 'employed' and period = '2024Q2'"
            ).fetchall()
        )
    )
    # the key-figure sheet shows the recommended figure: a gemeente's four-quarter estimate
    assert sheet["GM0344"] == (pytest.approx(250), "rolling_4q")
    assert sheet["PV26"] == (400, "quarter")
