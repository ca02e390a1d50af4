"""Real CBS tables through import-cbs, run, fidelity and fetch-cbs (replayed on 127.0.0.1)."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from pathlib import Path

import pytest

from kraptemeter.cli import main
from kraptemeter.core.errors import InputError
from kraptemeter.core.settings import Settings
from kraptemeter.run import run_quarters
from kraptemeter.warehouse import catalog
from kraptemeter.warehouse.layout import Warehouse
from schemas.cbs.fetch import fetch_cbs
from schemas.cbs.landing import import_cbs, landed_files
from tests.conftest import REALDATA
from transforms.fidelity import compare

pytestmark = pytest.mark.skipif(not REALDATA.is_dir(), reason="needs ../shared/realdata")

ALL_TABLES = [
    "ijhidding_programming1project",
    "rubennaatje_rds",
    "swienn_sda/Regionale_kerncijfers_Nederland_11122025_133649.csv",
    "cbsodata3jl_83599ned",
    "checkdecijfers_fixtures/85224NED",
    "checkdecijfers_fixtures/80590ned",
    "checkdecijfers_fixtures/37789ksz",
    "checkdecijfers_fixtures/03759ned",
    "eurostat_trng_lfse_04_nl",
    "autelius_crime_unemployment/province_unemployment.csv",
]


@pytest.fixture(scope="module")
def cbs_warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("cbs")
    settings = Settings(root / "raw", root / "warehouse")
    for relative in ALL_TABLES:
        import_cbs(REALDATA / relative, settings.raw)
    run_quarters(settings, [])  # a raw folder with only CBS tables is a valid input
    return settings


def values(settings, where: str, params: list) -> dict:
    con = catalog.connect(settings.warehouse)
    rows = con.execute(
        f"select indicator, value, unit, source from indicators where {where}", params
    ).fetchall()
    return {indicator: (value, unit, source) for indicator, value, unit, source in rows}


def test_import_lands_files_unchanged_with_a_manifest(cbs_warehouse):
    entries = landed_files(cbs_warehouse.raw)
    by_name = {e["name"]: e for e in entries}
    export = by_name["70072ned_UntypedDataSet_29122019_191739.csv"]
    original = REALDATA / "ijhidding_programming1project" / export["name"]
    landed = Path(export["path"])
    assert landed.read_bytes() == original.read_bytes()
    assert export["sha256"] == hashlib.sha256(original.read_bytes()).hexdigest()
    assert (export["table_id"], export["format"]) == ("70072ned", "odata_v3_csv")
    assert landed.parent == cbs_warehouse.raw / "cbs" / "70072ned"


def test_indicators_from_cbs_tables(cbs_warehouse):
    pv26 = values(cbs_warehouse, "region_code = 'PV26' and period = '2019'", [])
    assert round(pv26["grey_pressure"][0], 1) == 28.2  # 225 813 / 800 974
    assert pv26["llo_participation_rate"][:2] == (22.9, "%")  # Eurostat NL31
    nl = values(cbs_warehouse, "region_code = 'NL01' and period = '2024Q2'", [])
    assert nl["unemployment_rate"] == (3.6, "%", "cbs:85224NED")
    # the dashboards' view: CBS's thousands in the declared unit (as published: candidates)
    assert nl["unemployed"][:2] == (365_000, "persons")  # 365 x 1 000
    assert "unemployment_rate_sa" in nl
    assert nl["ww_current"][:2] == (167_800, "benefits")  # 37789ksz June stock -> 2024Q2
    q4 = values(cbs_warehouse, "region_code = 'NL01' and period = '2019Q4'", [])
    assert round(q4["vacancies_per_100_unemployed"][0], 1) == 67.6  # 281.2 / 416
    gm = values(cbs_warehouse, "region_code = 'GM0344' and period = '2015'", [])
    assert round(gm["grey_pressure"][0], 1) == 15.1


def test_monthly_figures_stay_monthly(cbs_warehouse):
    con = catalog.connect(cbs_warehouse.warehouse)
    months = con.execute(
        "select period, value from indicators_monthly where indicator = 'unemployment_rate' "
        "and source = 'cbs:80590ned' and period like '2024-%' order by period"
    ).fetchall()
    assert len(months) == 12 and months[0][0] == "2024-01"
    quarter_periods = con.execute(
        "select count(*) from indicators where period like '%-%'"
    ).fetchall()[0][0]
    assert quarter_periods == 0


def test_fidelity_on_every_realdata_table(cbs_warehouse, capsys):
    summary, differences = compare(*_staged(cbs_warehouse.warehouse))
    assert differences == []
    grey = {
        table: (exact, within, other)
        for check, table, exact, within, other in summary
        if check == "grey_pressure"
    }
    # every row of every 70072ned file, whatever the format: 300 + 450 + 343
    assert grey == {"70072ned": (1093, 0, 0)}
    provinces = {
        table: (exact, within, other)
        for check, table, exact, within, other in summary
        if check == "population of a provincie = sum of its gemeenten"
    }
    # 12 provincies in 70072ned's 2015 gemeente file; 12 x 8 years (2019-2026) in 03759ned:
    # every gemeente placed in the provincie CBS says it belonged to that year
    assert provinces == {"70072ned": (12, 0, 0), "03759ned": (96, 0, 0)}
    assert main(["fidelity", "--warehouse", str(cbs_warehouse.warehouse)]) == 0
    out = capsys.readouterr().out
    assert "grey_pressure" in out
    assert "Unchecked (nothing they publish can be recomputed from landed tables): " in out
    assert "37789ksz, 85268NED, trng_lfse_04" in out


def test_every_cbs_row_has_its_regions_year(cbs_warehouse):
    con = catalog.connect(cbs_warehouse.warehouse)
    try:
        rows = con.execute(
            "select count(*), count(classification_year), "
            "count(*) filter (where classification_year <> left(period, 4)::integer) "
            "from indicators where source like 'cbs:%'"
        ).fetchall()
    finally:
        con.close()
    (total, with_year, other_year) = rows[0]
    assert total > 0 and with_year == total and other_year == 0


def test_a_province_table_names_zeeland_the_province(tmp_path):
    settings = Settings(tmp_path / "raw", tmp_path / "warehouse")
    source = REALDATA / "autelius_crime_unemployment/Werkloosheid.csv"
    assert main(["import-cbs", str(source), "--table", "85268NED", "--raw", str(settings.raw)]) == 0
    run_quarters(settings, [])
    zeeland = values(settings, "region_name like 'Zeeland%' and period = '2024Q1'", [])
    assert zeeland["unemployment_rate"][:2] == (2.8, "%")  # the file's Zeeland column
    con = catalog.connect(settings.warehouse)
    try:
        regions = con.execute("select distinct region_code from indicators order by 1").fetchall()
    finally:
        con.close()
    assert [code for (code,) in regions] == ["NL01", *(f"PV{n}" for n in range(20, 32))]


def test_a_figure_filed_under_the_wrong_region_fails_fidelity(tmp_path, capsys):
    """Utrecht's and Amsterdam's 2015 rows swapped: each row is consistent in itself (grey
    pressure still reproduces), but the provincies no longer add up."""
    source = REALDATA / "rubennaatje_rds/70072ned_UntypedDataSet_06062018_000805.csv"
    text = source.read_text(encoding="utf-8-sig")
    swapped = text.replace('"GM0344', '"GMswap').replace('"GM0363', '"GM0344')
    swapped = swapped.replace('"GMswap', '"GM0363')
    assert swapped != text
    tampered = tmp_path / source.name
    tampered.write_text(swapped, encoding="utf-8-sig")
    settings = Settings(tmp_path / "raw", tmp_path / "warehouse")
    import_cbs(tampered, settings.raw)
    run_quarters(settings, [])
    _, differences = compare(*_staged(settings.warehouse))
    assert {(d[0], d[3], d[4]) for d in differences} == {
        ("population of a provincie = sum of its gemeenten", "PV26", "2015JJ00"),
        ("population of a provincie = sum of its gemeenten", "PV27", "2015JJ00"),
    }
    assert main(["fidelity", "--warehouse", str(settings.warehouse)]) == 1
    assert "2 difference(s) that rounding cannot explain" in capsys.readouterr().out


def test_a_figure_whose_region_cannot_be_placed_fails_fidelity(tmp_path, capsys):
    path = tmp_path / "70072ned_statline.csv"
    path.write_text(
        '"Perioden";"Regio\'s";"Bevolking/Bevolkingssamenstelling op 1 januari/'
        'Totale bevolking (aantal)"\r\n'
        '"2025";"Nederland";"18044027"\r\n'
        '"2025";"Utrecht";"374238"\r\n',  # the gemeente, the provincie or the COROP region?
        encoding="utf-8-sig",
    )
    settings = Settings(tmp_path / "raw", tmp_path / "warehouse")
    assert main(["import-cbs", str(path), "--table", "70072ned", "--raw", str(settings.raw)]) == 0
    run_quarters(settings, [])
    assert main(["fidelity", "--warehouse", str(settings.warehouse)]) == 1
    out = capsys.readouterr().out
    assert "1 figure(s) whose region could not be placed" in out
    assert "'Utrecht' 2025JJ00" in out and "ambiguous: CR17, GM0344, PV26" in out


def test_fidelity_exits_non_zero_on_a_difference(tmp_path):
    """A published value that rounding cannot explain is reported with region and period."""
    source = REALDATA / "ijhidding_programming1project/70072ned_UntypedDataSet_29122019_191739.csv"
    text = source.read_text(encoding="utf-8-sig")
    header, *rows = text.splitlines()
    columns = header.replace('"', "").split(";")
    grey = columns.index("GrijzeDruk_24")
    for i, row in enumerate(rows):
        fields = row.split(";")
        if fields[columns.index("RegioS")].strip('" ') == "PV26" and "2019JJ00" in row:
            fields[grey] = '"    30.0"'
            rows[i] = ";".join(fields)
    tampered = tmp_path / source.name
    tampered.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")
    settings = Settings(tmp_path / "raw", tmp_path / "warehouse")
    import_cbs(tampered, settings.raw)
    run_quarters(settings, [])
    _, differences = compare(*_staged(settings.warehouse))
    assert [(d[0], d[3], d[4], d[7]) for d in differences] == [
        ("grey_pressure", "PV26", "2019JJ00", 30.0)
    ]


class _Replay(http.server.BaseHTTPRequestHandler):
    """Replays 85224NED from realdata as the v4 API would, in two pages, failing once."""

    fixture = REALDATA / "checkdecijfers_fixtures/85224NED"
    failures_left = {"Observations": 1}

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 (the http.server API)
        path = self.path.split("?")[0]
        table, _, resource = path.strip("/").rpartition("/")
        if not table.endswith("85224NED"):
            return self._send(404, {"error": "no such table"})
        if resource == "Observations" and self.failures_left["Observations"]:
            self.failures_left["Observations"] -= 1
            return self._send(503, {"error": "busy"})
        files = {
            "Properties": "properties.json",
            "MeasureCodes": "measure-codes.json",
            "Dimensions": "dimensions.json",
        }
        if resource in files:
            return self._send(200, json.loads((self.fixture / files[resource]).read_text()))
        observations = json.loads((self.fixture / "observations-page-1.json").read_text())
        half = len(observations["value"]) // 2
        if "skip=" in self.path:
            return self._send(200, {"value": observations["value"][half:]})
        base = f"http://127.0.0.1:{self.server.server_port}{path}"
        return self._send(
            200, {"value": observations["value"][:half], "@odata.nextLink": f"{base}?$skip={half}"}
        )

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def cbs_api():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Replay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/odata/v1/CBS"
    server.shutdown()


def test_fetch_follows_pages_retries_and_lands_like_import(cbs_api, tmp_path):
    settings = Settings(tmp_path / "raw", tmp_path / "warehouse")
    entry = fetch_cbs("85224NED", settings.raw, base_url=cbs_api)
    folder = settings.raw / "cbs" / "85224NED" / entry.name
    assert sorted(p.name for p in folder.glob("observations-page-*.json")) == [
        "observations-page-1.json",
        "observations-page-2.json",
    ]
    run_quarters(settings, [])
    nl = values(settings, "region_code = 'NL01' and period = '2024Q2'", [])
    assert nl["unemployment_rate"] == (3.6, "%", "cbs:85224NED")
    con = catalog.connect(settings.warehouse)
    assert con.execute("select count(*) from cbs_observations").fetchall()[0][0] == 4046


def test_fetch_reports_errors_with_the_url(cbs_api, tmp_path, monkeypatch):
    monkeypatch.setattr("schemas.cbs.fetch.FETCH_BACKOFF_SECONDS", 0.01)
    with pytest.raises(InputError, match="404"):
        fetch_cbs("99999NED", tmp_path / "raw", base_url=cbs_api)
    with pytest.raises(InputError, match="cannot reach 127.0.0.1:9"):
        fetch_cbs("85224NED", tmp_path / "raw", base_url="http://127.0.0.1:9/odata")


def _staged(warehouse):
    house = Warehouse(warehouse)
    return house.cbs_observations, house.cbs_codes


def test_the_dashboards_view_shows_cbs_thousands_in_the_declared_unit(cbs_warehouse):
    con = catalog.connect(cbs_warehouse.warehouse)
    try:
        where = "region_code = 'NL01' and period = '2024Q2' and indicator = 'unemployed'"
        shown = con.execute(f"select value, unit from indicators where {where}").fetchall()
        published = con.execute(
            f"select value, unit from indicator_candidates where {where}"
        ).fetchall()
        units = con.execute(
            "select indicator, count(distinct unit) from indicators group by all "
            "having count(distinct unit) > 1"
        ).fetchall()
    finally:
        con.close()
    assert published == [(365.0, "x 1 000")]  # 85224NED as published
    assert shown == [(365_000.0, "persons")]
    assert units == []  # one unit per indicator in the view
