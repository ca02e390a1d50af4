"""Every CBS reader on the real files; expected values are CBS's published cells (see
shared/realdata/PROVENANCE.md), not outputs of the code under test."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas.cbs import formats
from schemas.cbs.readers import (
    read_eurostat_tsv,
    read_reexport_csv,
    read_statline_csv,
    read_v3_csv,
    read_v3_json,
    read_v4,
)
from schemas.cbs.staging import place_regions
from tests.conftest import REALDATA

pytestmark = pytest.mark.skipif(not REALDATA.is_dir(), reason="needs ../shared/realdata")


def cell(cells, region, period, measure, **dims):
    found = [
        c
        for c in cells
        if c.region_code == region
        and c.period_code == period
        and c.measure == measure
        and all(c.dims.get(k) == v for k, v in dims.items())
    ]
    assert len(found) == 1, (region, period, measure, dims, len(found))
    return found[0]


def test_odata_v3_csv_export_70072ned():
    path = REALDATA / "ijhidding_programming1project/70072ned_UntypedDataSet_29122019_191739.csv"
    cells = formats.read_cells(path, formats.detect_format(path), "70072ned")
    grey = cell(cells, "PV26", "2019JJ00", "GrijzeDruk_24")
    assert (grey.value, grey.unit, grey.decimals) == (28.2, "%", 1)
    old = sum(
        cell(cells, "PV26", "2019JJ00", m).value for m in ("k_65Tot80Jaar_11", "k_80JaarOfOuder_12")
    )
    assert old == 225_813
    suppressed = [c for c in cells if c.status == "suppressed"]
    assert suppressed and all(c.value is None for c in suppressed)
    # padded codes are stripped
    assert {c.region_code for c in cells} == {f"PV{n}" for n in range(20, 32)}


def test_odata_v3_json_pages_83599ned():
    folder = REALDATA / "cbsodata3jl_83599ned"
    units = {"OpenstaandeVacatures_1": ("x 1 000", 1)}
    first = read_v3_json(folder / "tables_2.json", units)
    second = read_v3_json(folder / "tables_3.json", units)
    assert (len(first), len(second)) == (10_000, 5_504)
    total = cell(
        first + second,
        "NL01",
        "2019KW04",
        "OpenstaandeVacatures_1",
        BedrijfstakkenBranchesSBI2008="T001081",
    )
    assert (total.value, total.unit) == (281.2, "x 1 000")  # thousands, never multiplied
    empty = cell(
        first + second,
        "PV31",
        "2014KW03",
        "OpenstaandeVacatures_1",
        BedrijfstakkenBranchesSBI2008="300013",
    )
    assert (empty.value, empty.status) == (None, "empty")


def test_odata_v4_observations_with_units_and_attributes():
    cells = read_v4(REALDATA / "checkdecijfers_fixtures/85224NED")
    unemployed = cell(cells, "NL01", "2024KW02", "3000800_2", SeizoenEnWerkdagcorrectie="A042501")
    labour_force = cell(cells, "NL01", "2024KW02", "3000790_2", SeizoenEnWerkdagcorrectie="A042501")
    assert (unemployed.value, labour_force.value, unemployed.unit) == (365, 10_187, "x 1 000")
    rate = cell(cells, "NL01", "2024KW02", "M001906", SeizoenEnWerkdagcorrectie="A042501")
    assert (rate.value, rate.unit, rate.decimals) == (3.6, "%", 1)

    benefits = read_v4(REALDATA / "checkdecijfers_fixtures/37789ksz")
    assert cell(benefits, "NL01", "2024JJ00", "D007076_2").value == 171.2
    impossible = [c for c in benefits if c.status == "impossible"]
    assert impossible and all(c.value is None for c in impossible)


def test_new_statline_csv_with_names_and_comma_decimals():
    path = REALDATA / "swienn_sda/Regionale_kerncijfers_Nederland_11122025_133649.csv"
    cells, unplaced = place_regions(read_statline_csv(path), "70072ned")
    assert unplaced == []
    grey = ".../Demografische druk/Grijze druk (%)"
    title = next(c.measure for c in cells if c.measure.endswith("Grijze druk (%)"))
    assert title.endswith(grey.removeprefix("..."))
    assert cell(cells, "GM0344", "2025JJ00", title).value == 16.2  # "Utrecht (gemeente)"
    assert cell(cells, "NL01", "2025JJ00", title).value == 35.5
    assert cell(cells, "GM0363", "2025JJ00", title).value == 20.4
    assert len({c.region_code for c in cells}) == 343


def test_latin1_reexport_with_header_and_footer_lines():
    read = read_reexport_csv(REALDATA / "autelius_crime_unemployment/province_unemployment.csv")
    cells, unplaced = place_regions(read, "85268NED")
    assert unplaced == []
    assert cell(cells, "PV29", "2024JJ00", "Werkloosheidspercentage").value == 2.9  # Zeeland (PV)
    assert cell(cells, "NL01", "2024JJ00", "Werkloosheidspercentage").value == 3.7
    assert cell(cells, "PV21", "2013JJ00", "Werkloosheidspercentage").value == 8.9  # Fryslân
    assert cell(cells, "PV20", "2024JJ00", "Werkloosheidspercentage").unit == "%"


def test_wide_reexport_with_quarters_as_text():
    read = read_reexport_csv(REALDATA / "autelius_crime_unemployment/Werkloosheid.csv", "%")
    cells, unplaced = place_regions(read, "85268NED")
    assert unplaced == []
    # plain "Zeeland" in a province table is the provincie, not the gemeente dissolved in 1994
    assert cell(cells, "PV29", "2024KW01", "value").value == 2.8
    assert not [c for c in cells if c.region_code.startswith("GM")]
    assert cell(cells, "NL01", "2015KW01", "value").value == 8.5
    assert cell(cells, "PV26", "2015KW01", "value").value == 7.9  # Utrecht
    assert cell(cells, "PV27", "2015KW02", "value").value == 7.4  # Noord.Holland
    assert len(cells) == 41 * 13


def test_eurostat_tsv_maps_nuts2_to_provinces_and_keeps_flags():
    cells = read_eurostat_tsv(REALDATA / "eurostat_trng_lfse_04_nl/trng_lfse_04_NL_rows.tsv")
    assert cell(cells, "PV26", "2019JJ00", "participation", sex="T").value == 22.9  # NL31
    assert cell(cells, "NL01", "2019JJ00", "participation", sex="T").value == 19.5
    flagged = cell(cells, "NL01", "2013JJ00", "participation", sex="T")
    assert flagged.status == "break_in_series" and flagged.value is not None


def test_v3_csv_reader_reads_the_03759ned_export():
    path = REALDATA / "ijhidding_programming1project/03759ned_UntypedDataSet_05022020_161839.csv"
    cells = read_v3_csv(path, {})
    total = cell(cells, "PV20", "1988JJ00", "BevolkingOp1Januari_1", Leeftijd="10000")
    assert total.value == 556_757


@pytest.mark.parametrize(
    ("relative", "fmt", "table_id"),
    [
        (
            "ijhidding_programming1project/70072ned_UntypedDataSet_29122019_191739.csv",
            formats.V3_CSV,
            "70072ned",
        ),
        ("ijhidding_programming1project/03759ned_metadata.csv", formats.METADATA, "03759ned"),
        ("cbsodata3jl_83599ned/tables_2.json", formats.V3_JSON, "83599NED"),
        ("checkdecijfers_fixtures/80590ned", formats.V4, "80590ned"),
        (
            "swienn_sda/Regionale_kerncijfers_Nederland_11122025_133649.csv",
            formats.STATLINE_CSV,
            "70072ned",
        ),
        ("autelius_crime_unemployment/province_unemployment.csv", formats.REEXPORT_CSV, "85268NED"),
        ("eurostat_trng_lfse_04_nl/trng_lfse_04_NL_rows.tsv", formats.EUROSTAT_TSV, "trng_lfse_04"),
        ("autelius_crime_unemployment/Werkloosheid.csv", formats.REEXPORT_CSV, None),
    ],
)
def test_format_and_table_are_recognised(relative, fmt, table_id):
    path = REALDATA / relative
    assert formats.detect_format(path) == fmt
    assert formats.detect_table(path, fmt) == table_id


def test_table_ids_from_outside_are_checked():
    for hostile in ("../../x", "a/b", "83599NED'; drop", ""):
        with pytest.raises(ValueError):
            formats.check_table_id(hostile)
    assert formats.check_table_id("83599NED") == "83599NED"


def test_unknown_and_ambiguous_region_names_are_quarantined_not_guessed(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text(
        '"Perioden";"Regio\'s";"Grijze druk (%)"\r\n'
        '"2025";"Atlantis";"1,0"\r\n'
        '"2025";"Utrecht";"2,0"\r\n'  # the gemeente is "Utrecht (gemeente)" in CBS's titles
        '"2025";"Utrecht (gemeente)";"3,0"\r\n'
        '"2025";"Utrecht (PV)";"4,0"\r\n',
        encoding="utf-8-sig",
    )
    placed, unplaced = place_regions(read_statline_csv(path), "70072ned")
    assert [(c.region_code, c.value) for c in placed] == [("GM0344", 3.0), ("PV26", 4.0)]
    assert [(c.region_name, reason) for c, reason in unplaced] == [
        ("Atlantis", "unknown region name 'Atlantis'"),
        ("Utrecht", "region name 'Utrecht' is ambiguous: CR17, GM0344, PV26"),
    ]


@pytest.mark.parametrize(
    "code, levels, year, placed, reason",
    [
        # CBS's code list: Zeeland (GM0877) was dissolved on 1 January 1994
        ("GM0877", "GM", 1993, "GM0877", None),
        ("GM0877", "GM", 2024, None, "GM0877 (Zeeland) did not exist on 1 January 2024"),
        # Vijfheerenlanden was formed on 1 January 2019
        ("GM1961", "GM", 2018, None, "GM1961 (Vijfheerenlanden) did not exist on 1 January 2018"),
        ("GM1961", "GM", 2019, "GM1961", None),
        ("PV29", "NL", 2024, None, "PV29 is a provincie: the table publishes land"),
        ("GM9999", "GM", 2024, None, "unknown region code 'GM9999'"),
        ("LD02", "NL LD PV", 2024, "LD02", None),
    ],
)
def test_region_codes_are_checked_against_their_year(code, levels, year, placed, reason):
    from schemas.cbs.regions import Resolved, reference

    result = reference().check_code(code, frozenset(levels.split()), year)
    assert result == Resolved(placed, reason)


@pytest.mark.parametrize(
    "name, levels, year, placed",
    [
        ("Zeeland", "NL PV", 2024, "PV29"),  # a province table: the provincie
        ("Zeeland", "GM", 1990, "GM0877"),  # a gemeente table of 1990: the gemeente
        ("Zeeland", "GM PV", 2024, "PV29"),  # the gemeente no longer existed
        ("Noord.Holland", "PV", 2024, "PV27"),  # R's make.names spelling
        ("Friesland", "PV", 2015, "PV21"),
        ("Fryslân (PV)", "PV", 2024, "PV21"),
        ("Vijfheerenlanden", "GM", 2018, None),
    ],
)
def test_region_names_resolve_within_the_tables_levels_and_year(name, levels, year, placed):
    from schemas.cbs.regions import reference

    assert reference().resolve_name(name, frozenset(levels.split()), year).code == placed
