"""The static site of key-figure sheets: built from the marts, self-contained, and opened in a
real browser (Debian's Chromium, driven by playwright).

Expected figures come from the marts through SQL and are compared with the text a reader
sees, parsed back from Dutch notation here, not with the site's own formatting code."""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

import kraptemeter.site as site_module
from kraptemeter.cli import main
from kraptemeter.core.periods import parse_quarter_span
from kraptemeter.core.settings import Settings
from kraptemeter.run import run_quarters
from kraptemeter.sample import write_sample
from kraptemeter.site import charts
from kraptemeter.site.dutch import number
from kraptemeter.warehouse import catalog
from schemas.cbs.landing import import_cbs
from tests.conftest import REALDATA
from transforms.indicators import BY_ID

ARTIFACTS = Path(__file__).resolve().parents[1] / "tests" / "artifacts"
CHROMIUM = os.environ.get("KRAPTEMETER_CHROMIUM") or shutil.which("chromium")
LINK = re.compile(r'(?:href|src)="([^"]*)"')


@pytest.fixture(scope="module")
def site(sample_warehouse, tmp_path_factory) -> tuple[Path, Path]:
    _, warehouse = sample_warehouse
    out = tmp_path_factory.mktemp("site") / "site"
    assert main(["site", "--out", str(out), "--warehouse", str(warehouse)]) == 0
    return warehouse, out


def mart(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = catalog.connect(warehouse)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def dutch_number(text: str) -> float:
    """916.000 -> 916000.0, 3,7 -> 3.7, -1.250,5 -> -1250.5 (written independently of the
    site's formatter)."""
    return float(text.replace(".", "").replace(",", "."))


# --- without a browser: the files themselves ---------------------------------------------


def test_one_sheet_per_region_and_quarter_and_an_index_per_quarter(site):
    warehouse, out = site
    expected = mart(warehouse, "select distinct period, region_code from key_figures")
    written = {(p.parent.name, p.stem) for p in out.glob("*/*.html") if p.stem != "index"}
    assert written == set(expected) and len(written) == 3 * 481
    for quarter in {period for period, _ in expected}:
        assert (out / quarter / "index.html").is_file()
    # the top index is the latest quarter's and lists every region once
    top = (out / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<li data-search="', top)) == 481
    assert 'href="2024Q2/GM0344.html"' in top


def test_every_link_of_every_page_resolves_and_nothing_comes_from_the_network(site):
    _, out = site
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 3 * 481 + 4
    checked = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text, page
        assert "url(" not in text and "@import" not in text, page
        for href in LINK.findall(text):
            target = (page.parent / unquote(href.split("#")[0])).resolve()
            assert target.is_file() and target.is_relative_to(out.resolve()), (page, href)
            checked += 1
    assert checked > 10 * len(pages)  # index, quarters, parents, tension, children


def test_sheets_link_to_the_regions_above_and_below_and_to_other_quarters(site):
    _, out = site
    gemeente = (out / "2024Q1" / "GM0344.html").read_text(encoding="utf-8")
    for parent in ("NL01", "PV26", "CR17", "AM13"):
        assert f'href="{parent}.html"' in gemeente
    assert 'href="../2023Q4/GM0344.html"' in gemeente and 'href="../2024Q2/GM0344.html"' in gemeente
    province = (out / "2024Q1" / "PV26.html").read_text(encoding="utf-8")
    assert 'href="GM0344.html"' in province and 'href="AM13.html"' in province
    # the first quarter has no earlier one to link to
    assert "../2023Q3/" not in (out / "2023Q4" / "GM0344.html").read_text(encoding="utf-8")


def test_a_site_replaces_only_a_site_and_a_failed_build_keeps_the_old_one(site, tmp_path, capsys):
    warehouse, _ = site
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "thesis.txt").write_text("mine")
    assert main(["site", "--out", str(mine), "--warehouse", str(warehouse)]) == 2
    assert "not a site written by" in capsys.readouterr().err
    assert (mine / "thesis.txt").read_text() == "mine"

    out = tmp_path / "site"
    argv = ["site", "--out", str(out), "--warehouse", str(warehouse)]
    assert main([*argv, "--quarters", "2024Q2"]) == 0
    before = (out / "2024Q2" / "PV26.html").read_bytes()
    assert main([*argv, "--quarters", "2019Q1"]) == 2  # not in the warehouse
    assert "no key figures for 2019Q1" in capsys.readouterr().err
    assert (out / "2024Q2" / "PV26.html").read_bytes() == before
    assert main([*argv, "--quarters", "2024Q1..2024Q2"]) == 0  # a second build replaces it
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["2024Q1", "2024Q2"]
    assert not list(tmp_path.glob(".site.*"))


def test_a_build_failing_halfway_leaves_the_served_site_as_it_was(site, tmp_path, monkeypatch):
    warehouse, _ = site
    out = tmp_path / "site"
    argv = ["site", "--out", str(out), "--warehouse", str(warehouse), "--quarters", "2024Q2"]
    assert main(argv) == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    written = []
    real = site_module._sheet

    def failing(*args, **kwargs):
        if len(written) == 200:
            raise OSError(28, "No space left on device")
        written.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(site_module, "_sheet", failing)
    assert main(argv) == 1  # an unexpected error: a message, the traceback in a log
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before and len(written) == 200
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # nothing half-built left


def test_dutch_numbers_and_chart_geometry():
    assert number(916000.4, 0) == "916.000" and number(3.75, 1) == "3,8"
    assert number(-1250.5, 1) == "-1.250,5" and number(-0.04, 1) == "0,0"
    assert number(None, 1) == "–"
    # a quarter without a value breaks the line and has no dot
    line = charts.line("x", ["a", "b", "c", "d"], {"a": 1.0, "b": 2.0, "d": 4.0}, 0)
    assert len(line.segments) == 2 and len(line.dots) == 3
    # a suppressed value draws no bar and shows "–"
    drawn = charts.bars("x", [("laag", "laag"), ("hoog", "hoog")], {"laag": 10.0},
                        {"laag": 20.0, "hoog": 40.0}, 1)  # fmt: skip
    assert [(b.height > 0, b.text) for b in drawn.bars] == [
        (True, "10,0"), (True, "20,0"), (False, "–"), (True, "40,0")
    ]  # fmt: skip
    tallest = max(drawn.bars, key=lambda b: b.height)
    assert tallest.text == "40,0" and tallest.height == 2 * drawn.bars[1].height


def headline_cells(page: str) -> dict[str, dict[str, tuple[str, str]]]:
    """The headline table of a sheet's HTML: per indicator, per column (its class; the two
    change columns as change3 and change4) the text shown and the cell's classes."""
    rows = {}
    for row in re.findall(r"<tr><th>.*?</tr>", page, re.S):
        found = re.search(r'data-indicator="([^"]+)"', row)
        if not found:
            continue  # the header
        indicator = found.group(1)
        cells = re.findall(r'<td class="([^"]*)"[^>]*>(.*?)</td>', row, re.S)
        rows[indicator] = {
            css.split()[0] + ("" if css.split()[0] != "change" else str(i)): (
                re.sub(r"<[^>]+>", "", text).strip(),
                css,
            )
            for i, (css, text) in enumerate(cells)
        }
    return rows


def test_a_headline_figure_the_marts_lack_is_a_dash_with_a_footnote(site):
    warehouse, out = site
    headline = {i for (i,) in mart(warehouse, "select distinct indicator from key_figures")}
    lacking = mart(
        warehouse,
        "select r.region_code, list(i.indicator order by i.indicator) "
        "from (select distinct region_code from key_figures where period = '2024Q2') r "
        "cross join (select distinct indicator from key_figures) i "
        "anti join (select * from key_figures where period = '2024Q2') k "
        "using (region_code, indicator) group by all order by 1 limit 3",
    )
    assert lacking, "the sample has gemeenten without new vacancies or an unemployed estimate"
    for code, missing in lacking:
        page = (out / "2024Q2" / f"{code}.html").read_text(encoding="utf-8")
        cells = headline_cells(page)
        assert set(cells) == headline, code
        for indicator in missing:
            value, _ = cells[indicator]["value"]
            assert re.fullmatch(r"–\d+", value), (code, indicator, value)  # only the footnote mark
            national = mart(
                warehouse,
                "select value from key_figures where region_code = 'NL01' "
                "and period = '2024Q2' and indicator = ?",
                [indicator],
            )[0][0]
            # Nederland's own figure of the quarter still stands beside the dash
            assert dutch_number(cells[indicator]["national"][0]) == round(
                national, BY_ID[indicator].decimals
            )
        assert "geen cijfer voor deze regio in dit kwartaal" in page


def land_national_cbs_tables(raw: Path) -> None:
    """85224NED (labour force) and 37789ksz (benefits), as published, into raw/cbs/."""
    if not REALDATA.is_dir():  # CI has it beside the repo, as this machine does
        pytest.fail(f"the real CBS files are missing: {REALDATA}")
    for table in ("85224NED", "37789ksz"):
        import_cbs(REALDATA / "checkdecijfers_fixtures" / table, raw)


@pytest.fixture(scope="module")
def cbs_and_sample(tmp_path_factory):
    """Four quarters of the sample (so small regions have their four-quarter estimate) with
    CBS's national tables landed beside them: the dashboards' view shows CBS's figure for
    Nederland, so the sheet must too."""
    root = tmp_path_factory.mktemp("cbs_site")
    settings = Settings(root / "raw", root / "warehouse")
    quarters = parse_quarter_span("2023Q3..2024Q2")
    write_sample(settings.raw, quarters, scale=0.02)
    land_national_cbs_tables(settings.raw)
    run_quarters(settings, quarters)
    return settings.warehouse


def test_a_warehouse_of_cbs_tables_alone_has_nederlands_sheets(tmp_path):
    """An open-source user without microdata lands CBS's tables and nothing else: the site
    shows Nederland's figures as CBS published them, quarter by quarter, and no panel that
    only deliveries could fill."""
    settings = Settings(tmp_path / "raw", tmp_path / "warehouse")
    land_national_cbs_tables(settings.raw)
    assert main(["run", "--raw", str(settings.raw), "--warehouse", str(settings.warehouse),
                 "--no-prefect"]) == 0  # fmt: skip
    out = tmp_path / "site"
    assert main(["site", "--warehouse", str(settings.warehouse), "--out", str(out)]) == 0
    sheets = sorted(p.relative_to(out).as_posix() for p in out.glob("*/*.html"))
    assert {name.split("/")[1] for name in sheets} == {"NL01.html", "index.html"}
    assert "2013Q1/NL01.html" in sheets and "2024Q2/NL01.html" in sheets
    page = (out / "2024Q2" / "NL01.html").read_text(encoding="utf-8")
    cells = headline_cells(page)
    # PROVENANCE.md, cross-check 4: 85224NED 2024KW02 (original series) 365 / 10 187 = 3.58
    # -> 3,6 %; net participation 73,4 %; employed 9 822 (x 1 000)
    assert cells["unemployment_rate"]["value"][0] == "3,6"
    assert cells["net_participation"]["value"][0] == "73,4"
    assert cells["employed"]["value"][0] == "9.822.000"
    assert cells["employed"]["source"][0] == "CBS 85224NED"
    assert "voorbeelddata" not in page.lower()  # real figures: no sample marking
    for cell in cells.values():  # CBS publishes no margin to judge a change by: no arrow
        for column in ("change3", "change4"):
            text, css = cell[column]
            assert not set(text) & set("▲▼≈") and css.split() == ["change"], (column, text)
    assert 'id="llo"' not in page and 'id="sectors"' not in page
    top = (out / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<li data-search="[^"]*"><a href="([^"]+)"', top) == ["2026Q1/NL01.html"]


def report(warehouse: Path, code: str, quarter: str, folder: Path) -> str:
    page = folder / f"{code}.html"
    argv = ["report", "--region", code, "--quarter", quarter, "--out", str(page)]
    assert main([*argv, "--warehouse", str(warehouse)]) == 0
    return page.read_text(encoding="utf-8")


def test_nederland_beside_a_rolling_figure_covers_the_same_four_quarters(cbs_and_sample, tmp_path):
    """A gemeente's survey figure is the estimate over four quarters; Nederland's beside it
    must be too, not Nederland's single quarter."""
    warehouse = cbs_and_sample
    cells = headline_cells(report(warehouse, "GM0344", "2024Q2", tmp_path))
    assert "vier kwartalen" in cells["employed"]["period"][0]
    for indicator in ("employed", "unemployment_rate"):
        (expected,) = mart(
            warehouse,
            "select value from indicator_candidates where region_code = 'NL01' and "
            "period = '2024Q2' and period_type = 'rolling_4q' and indicator = ? "
            "and source = 'sample'",
            [indicator],
        )[0]
        (single,) = mart(
            warehouse,
            "select value from indicator_candidates where region_code = 'NL01' and "
            "period = '2024Q2' and period_type = 'quarter' and indicator = ? "
            "and source = 'sample'",
            [indicator],
        )[0]
        decimals = BY_ID[indicator].decimals
        assert round(expected, decimals) != round(single, decimals)  # the test can tell
        shown = dutch_number(cells[indicator]["national"][0])
        assert shown == round(expected, decimals), (indicator, shown, expected)


def test_a_cbs_figure_shows_on_the_sheet_as_in_the_dashboards_view_without_an_arrow(
    cbs_and_sample, tmp_path
):
    warehouse = cbs_and_sample
    text = report(warehouse, "NL01", "2024Q2", tmp_path)
    cells = headline_cells(text)
    chosen = mart(
        warehouse,
        "select indicator, value, source, change_prev_quarter from indicators "
        "where region_code = 'NL01' and period = '2024Q2' and period_type = 'quarter' "
        "and indicator in ('employed', 'unemployment_rate', 'ww_current')",
    )
    assert {source for *_, source, _ in chosen} == {"cbs:85224NED", "cbs:37789ksz"}
    for indicator, value, source, change in chosen:
        decimals = BY_ID[indicator].decimals
        assert dutch_number(cells[indicator]["value"][0]) == round(value, decimals), indicator
        assert cells[indicator]["source"][0] == f"CBS {source[4:]}"
        # CBS publishes no interval: its change is shown but not judged, no arrow, no colour
        shown, css = cells[indicator]["change3"]
        assert dutch_number(shown) == round(change, decimals), (indicator, shown)
        assert css.split() == ["change"], (indicator, css)
    # the banner does not call the CBS figures sample
    banner = re.search(r'<p id="sample"[^>]*>(.*?)</p>', text).group(1)
    assert "deze cijfers komen uit" not in banner and "voorbeelddata" in banner


# --- in the browser -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:  # a sheet nobody opened is not a tested sheet
        pytest.fail("no chromium on PATH: apt install chromium (.ci/run does), or set "
                    "KRAPTEMETER_CHROMIUM to a Chromium binary")  # fmt: skip
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


class Visit:
    """A page opened in the browser, with every console error, page error and failed
    request it caused."""

    def __init__(self, browser, path: Path, width: int = 1200):
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.problems: list[str] = []
        self.page.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def links(self) -> list[str]:
        return self.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")


def sampled_sheets(warehouse: Path) -> list[tuple[str, str]]:
    """Named sheets of every level, a sheet with a suppressed headline figure, and a seeded
    random handful per level, in two quarters."""
    suppressed = mart(
        warehouse,
        "select region_code from key_figures where period = '2024Q2' and value is null "
        "order by region_code limit 1",
    )
    assert suppressed, "the sample has suppressed gemeente figures (few respondents)"
    rows = mart(warehouse, "select region_code, region_level from regions order by region_code")
    pick = random.Random(15)
    chosen = {"NL01", "PV26", "AM13", "CR17", "GM0344", suppressed[0][0]}
    for level in ("provincie", "arbeidsmarktregio", "corop", "gemeente"):
        chosen |= set(pick.sample([code for code, lvl in rows if lvl == level], 2))
    return [(q, code) for code in sorted(chosen) for q in ("2024Q1", "2024Q2")]


def llo_values(warehouse: Path, code: str, quarter: str) -> int:
    """The LLO values a sheet draws: the region's and Nederland's, the four-quarter estimate
    for a small region where it exists (as the headline's recommended figure)."""
    counted = 0
    for region in (code, "NL01"):
        small = region[:2] in ("GM", "CR", "AM")
        counts = dict(
            mart(
                warehouse,
                "select period_type, count(value) filter (where value > 0) "
                "from indicator_breakdowns where region_code = ? and period = ? and "
                "((indicator = 'llo_participation_rate_employed' and breakdown = "
                "'education_level') or (indicator = 'llo_participation_rate' and breakdown = "
                "'labour_position')) group by period_type",
                [region, quarter],
            )
        )
        rolling = small and "rolling_4q" in counts
        counted += counts["rolling_4q"] if rolling else counts.get("quarter", 0)
    return counted


def test_sheets_in_the_browser_show_the_marts_figures(site, browser):
    warehouse, out = site
    sheets = sampled_sheets(warehouse)
    for quarter, code in sheets:
        visit = Visit(browser, out / quarter / f"{code}.html")
        assert visit.problems == [], (quarter, code)
        for href in visit.links():
            target = Path(unquote(urlparse(href).path))
            assert target.is_file(), (quarter, code, href)

        # every headline figure has a row (Nederland's sheet has them all); one the marts have
        # no row for is "–" like a suppressed one
        expected = {
            indicator: None
            for (indicator,) in mart(
                warehouse,
                "select indicator from key_figures where region_code = 'NL01' and period = ?",
                [quarter],
            )
        }
        expected |= {
            indicator: value
            for indicator, value in mart(
                warehouse,
                "select indicator, value from key_figures where region_code = ? and period = ?",
                [code, quarter],
            )
        }
        cells = visit.page.eval_on_selector_all(
            "#headline td.value",
            "cells => cells.map(c => [c.dataset.indicator, c.childNodes[0].textContent])",
        )
        assert {indicator for indicator, _ in cells} == set(expected)
        # the tiles above the table show the same figures
        tiles = visit.page.eval_on_selector_all(
            "#tiles .tile",
            "tiles => tiles.map(t => [t.dataset.indicator, "
            "t.querySelector('.tile-value').childNodes[0].textContent])",
        )
        assert [indicator for indicator, _ in tiles] == [
            "employed", "unemployment_rate", "net_participation", "open_vacancies",
            "ww_current", "uwv_tension",
        ]  # fmt: skip
        for indicator, text in cells + tiles:
            shown = text.split(" (")[0].strip()
            value = expected[indicator]
            if value is None:  # suppressed: no number at all, a footnote instead
                assert shown == "–" and not re.search(r"\d", text), (code, indicator, text)
            else:
                assert dutch_number(shown) == round(value, BY_ID[indicator].decimals), (
                    code, quarter, indicator, text, value,
                )  # fmt: skip
        # the LLO panels draw a bar for each value the marts have, none for a suppressed one
        bars = visit.page.locator("#llo rect.bar").count()
        assert bars == llo_values(warehouse, code, quarter), (code, quarter)
        visit.page.close()


def test_the_index_searches_without_a_server_and_its_links_resolve(site, browser):
    warehouse, out = site
    visit = Visit(browser, out / "index.html")
    assert visit.problems == []
    links = visit.links()
    assert len(links) == 481 + 2  # every region of the latest quarter, the other quarters
    for href in links:
        assert Path(unquote(urlparse(href).path)).is_file(), href
    expected = mart(
        warehouse,
        "select count(*) from regions where lower(region_name || ' ' || region_code) "
        "like '%utrecht%'",
    )[0][0]
    visit.page.fill("#zoek", "Utrecht")
    visible = visit.page.locator("li[data-search]:visible")
    assert visible.count() == expected >= 4  # PV26, GM0344, CR17, ...
    assert visit.page.locator("#found").inner_text() == f"{expected} gevonden"
    # accents do not matter: the reader types plain letters
    visit.page.fill("#zoek", "sudwest")
    assert visit.page.locator("li[data-search]:visible").all_inner_texts() == [
        "Súdwest-Fryslân GM1900"
    ]
    visit.page.fill("#zoek", "gm0344")
    assert visit.page.locator("li[data-search]:visible").count() == 1
    visit.page.locator("li[data-search]:visible a").click()
    visit.page.wait_for_load_state("load")
    assert visit.page.url.endswith("/2024Q2/GM0344.html")
    assert "Utrecht (GM0344, gemeente)" in visit.page.locator("h1").inner_text()
    assert visit.problems == []


def test_screenshots_of_a_province_an_arbeidsmarktregio_and_a_gemeente(site, browser):
    _, out = site
    ARTIFACTS.mkdir(exist_ok=True)
    for code in ("PV26", "AM13", "GM0344"):
        visit = Visit(browser, out / "2024Q2" / f"{code}.html", width=1100)
        shot = ARTIFACTS / f"sheet_{code}_2024Q2.png"
        visit.page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 50_000 and visit.problems == []
        # the sample is unmistakable on every sheet
        assert visit.page.locator("#sample").is_visible()
        visit.page.close()


def test_the_sheet_prints_on_a4(site, browser):
    _, out = site
    visit = Visit(browser, out / "2024Q2" / "PV26.html")
    visit.page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    visit.page.emulate_media(media="print")
    assert not visit.page.locator("#nav").is_visible()  # links are no use on paper
    # the sample banner is on the first page only: a mark fixed to the page repeats on every
    # printed page (Chromium prints position: fixed on each page)
    mark = visit.page.locator("#sample-print")
    assert mark.is_visible() and "VOORBEELDDATA" in mark.inner_text()
    assert mark.evaluate("m => getComputedStyle(m).position") == "fixed"
    pdf = visit.page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 3
    wide = visit.page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 794  # A4's width at 96 dpi: nothing is cut off at the side
