"""The region hierarchy: the catalog's regions view, roll-ups on the real 2015 crosswalk, and
herindelingen (codes of dissolved gemeenten) in older deliveries."""

from __future__ import annotations

import pytest

from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import Settings
from kraptemeter.run import LocalSteps, run_quarters
from kraptemeter.warehouse import catalog
from schemas.cbs.landing import import_cbs
from tests.conftest import REALDATA, write_raw

needs_realdata = pytest.mark.skipif(not REALDATA.is_dir(), reason="needs ../shared/realdata")


@pytest.fixture(scope="module")
def gemeente_2015(tmp_path_factory):
    """CBS 70072ned 2015 at gemeente level with the 2015 crosswalk (rubennaatje_rds)."""
    root = tmp_path_factory.mktemp("regions")
    settings = Settings(root / "raw", root / "warehouse")
    import_cbs(
        REALDATA / "rubennaatje_rds" / "70072ned_UntypedDataSet_06062018_000805.csv", settings.raw
    )
    run_quarters(settings, [])
    return settings


@needs_realdata
def test_regions_view_gives_every_code_with_the_codes_above_it(gemeente_2015):
    con = catalog.connect(gemeente_2015.warehouse)
    levels = dict(con.execute("select region_level, count(*) from regions group by 1").fetchall())
    assert levels == {
        "gemeente": 393,
        "arbeidsmarktregio": 35,
        "corop": 40,
        "provincie": 12,
        "land": 1,
    }
    chain = con.execute(
        "select region_name, arbeidsmarktregio_code, corop_code, provincie_code, land_code, "
        "classification_year from regions where region_code = 'GM0344'"
    ).fetchall()
    assert chain == [("Utrecht", "AM13", "CR17", "PV26", "NL01", 2015)]
    am18 = con.execute(
        "select provincie_code, provincie_codes, gemeenten from regions where region_code = 'AM18'"
    ).fetchall()
    assert am18 == [(None, ["PV26", "PV27"], 8)]  # De Ronde Venen lies in Utrecht
    assert con.execute("select gemeenten from regions where region_code = 'AM13'").fetchall() == [
        (15,)
    ]


@needs_realdata
def test_arbeidsmarktregio_rollup_of_real_2015_gemeente_figures(gemeente_2015):
    """Expected values summed from the file by hand (shared/realdata/PROVENANCE.md §3)."""
    con = catalog.connect(gemeente_2015.warehouse)
    values = {
        (region, indicator): value
        for region, indicator, value in con.execute(
            "select region_code, indicator, value from indicators where period = '2015'"
        ).fetchall()
    }
    assert values["AM13", "population"] == 839_916
    assert round(values["AM13", "grey_pressure"], 2) == 24.33  # 125 605 / 516 273
    assert values["AM13", "ww_recipients"] == 17_050
    assert round(values["AM18", "grey_pressure"], 2) == 20.70
    assert round(values["AM22", "grey_pressure"], 2) == 28.26
    # Nederland as published equals the sum of its 393 gemeenten for population
    gemeente_total = con.execute(
        "select sum(value) from indicators where period = '2015' and indicator = 'population' "
        "and region_level = 'gemeente'"
    ).fetchall()[0][0]
    assert gemeente_total == values["NL01", "population"] == 16_900_726
    source = con.execute(
        "select distinct source from indicators where region_code = 'AM13' and period = '2015'"
    ).fetchall()
    assert source == [("cbs:70072ned, rolled up from gemeenten",)]


def test_codes_of_dissolved_gemeenten_are_translated_not_dropped(tmp_path):
    """CBS's code list: Maasdonk (GM1671) was dissolved on 1-1-2015, most inhabitants going to
    's-Hertogenbosch (GM0796); Ter Aar (GM0480) went to Nieuwkoop (GM0569) in 2007; Aalburg
    (GM0738) existed until 2019, so it is a valid code on the 2015 classification."""
    settings = Settings(tmp_path / "raw", tmp_path / "warehouse", max_reject_share=1.0)
    q = Quarter(2024, 2)
    rows = [
        {"period": "2024KW02", "gemeente_code": code, "sbi_section": "G", "open_vacancies": n}
        for code, n in (("GM1671", 10), ("GM0480", 20), ("GM0738", 30), ("GM9999", 40))
    ]
    write_raw(settings.raw, "open_vacancies", q, rows)
    _, (report,) = LocalSteps().stage(settings, q)
    assert (report.rows_read, report.rows_accepted, report.rows_quarantined) == (4, 3, 1)
    assert report.rules == {"gemeente_code: unknown gemeente code": 1}
    run_quarters(settings, [q])
    con = catalog.connect(settings.warehouse)
    got = dict(
        con.execute(
            "select region_code, value from indicators where indicator = 'open_vacancies' "
            "and region_level = 'gemeente'"
        ).fetchall()
    )
    assert got == {"GM0796": 10, "GM0569": 20, "GM0738": 30}
