"""The sample generator is seeded and calibrated to the levels issue #2 asks for."""

from __future__ import annotations

import hashlib

import pytest

from kraptemeter.core.periods import Quarter, parse_quarter_span
from kraptemeter.core.settings import Settings
from kraptemeter.run import run_quarters
from kraptemeter.sample import write_sample
from kraptemeter.warehouse import catalog


def test_same_seed_same_files(tmp_path):
    quarters = parse_quarter_span("2024Q2")
    first = write_sample(tmp_path / "a", quarters, scale=0.005)
    second = write_sample(tmp_path / "b", quarters, scale=0.005)
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in first]
    assert digest == [hashlib.sha256(p.read_bytes()).hexdigest() for p in second]


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    """Survey at full size (levels come from weights); registers at 10% of real volume."""
    root = tmp_path_factory.mktemp("calibration")
    write_sample(root / "raw", [Quarter(2024, 2)], scale=0.1, survey_scale=1.0)
    run_quarters(Settings(root / "raw", root / "warehouse"), [Quarter(2024, 2)])
    con = catalog.connect(root / "warehouse")
    return dict(
        con.execute(
            "select region_code || ':' || indicator, value from indicators where period = '2024Q2'"
        ).fetchall()
    )


def test_utrecht_levels(calibrated):
    v = calibrated
    assert v["PV26:employed"] == pytest.approx(916_000, rel=0.03)
    assert v["PV26:unemployment_rate"] == pytest.approx(3.7, abs=0.5)
    assert v["PV26:net_participation"] == pytest.approx(75, abs=1.5)
    assert v["PV26:llo_participation_rate_employed"] == pytest.approx(30, abs=2.5)
    assert v["NL01:llo_participation_rate_employed"] == pytest.approx(27, abs=1.5)
    # registers and vacancies at 10% of the real volume
    assert v["PV26:ww_current"] == pytest.approx(1_400, rel=0.1)
    assert v["PV26:open_vacancies"] == pytest.approx(6_273, rel=0.05)


def test_regions_differ(calibrated):
    rates = {
        k: v
        for k, v in calibrated.items()
        if k.startswith("PV") and k.endswith(":unemployment_rate")
    }
    assert max(rates.values()) - min(rates.values()) > 1.0
