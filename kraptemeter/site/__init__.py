"""The key-figure sheets as HTML: one page (`kraptemeter report`) or a static site of every
region and quarter (`kraptemeter site`), rendered from the marts through Jinja2 templates.

The site is self-contained: no network, no server (the index's search runs in the page), so
it can be copied to any web host or opened from disk."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

import kraptemeter
from kraptemeter.core.errors import InputError
from kraptemeter.core.periods import Quarter
from kraptemeter.site import dutch, sheet
from kraptemeter.site.data import QuarterData, Region, hierarchy, query
from kraptemeter.warehouse import catalog
from kraptemeter.warehouse.layout import CATALOG_FILE, Warehouse

MARKER = ".kraptemeter-site"  # a folder holding this file is a site `site` may replace
TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("kraptemeter.site", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,  # a misspelt field is an error, not an empty cell
    trim_blocks=True,
    lstrip_blocks=True,
)


def _connect(warehouse: Path):
    if not (Warehouse(warehouse).root / CATALOG_FILE).is_file():
        raise InputError(f"{warehouse}: no catalog here; run `kraptemeter run` on it first")
    return catalog.connect(warehouse)


def _regions(con) -> tuple[dict[str, Region], int | None]:
    rows = query(con, "regions")
    years = {r["classification_year"] for r in rows}
    return hierarchy(rows), (years.pop() if len(years) == 1 else None)


def render_sheet(warehouse: Path, code: str, quarter: Quarter) -> str:
    """One region's sheet as a page on its own (no links to other sheets)."""
    con = _connect(warehouse)
    try:
        regions, year = _regions(con)
        if code not in regions:
            raise InputError(f"{code}: no such region in the warehouse's classification")
        data = QuarterData.load(con, quarter, regions, region=code)
    finally:
        con.close()
    if not data.headline.get(code):
        raise InputError(f"{code} {quarter}: no key figures in the warehouse; run it first")
    return _sheet(data, code, year, nav=None)


def _sheet(data: QuarterData, code: str, year: int | None, nav: Navigation | None) -> str:
    values = sheet.context(data, code)
    return TEMPLATES.get_template("sheet.html.j2").render(
        **values, nav=nav, version=kraptemeter.__version__,
        classification=f"{year}" if year else "van CBS",
    )  # fmt: skip


@dataclass
class Link:
    href: str
    name: str
    code: str = ""
    level: str = ""


@dataclass
class Navigation:
    """The links of one sheet in the site: its quarter's index, the same region a quarter
    earlier and later, the regions above and below it."""

    index: str
    previous: str | None
    previous_label: str
    next: str | None
    next_label: str
    parents: list[Link]
    children: list[tuple[str, list[Link]]]
    published: set[str] = field(default_factory=set)  # the region codes with a sheet

    def href(self, code: str) -> str:
        return f"{code}.html"


def _navigation(regions, code, quarter, quarters, sheets) -> Navigation:
    position = quarters.index(quarter)
    before = quarters[position - 1] if position > 0 else None
    after = quarters[position + 1] if position + 1 < len(quarters) else None
    here = sheets[quarter]

    def link(c: str) -> Link:
        r = regions[c]
        return Link(f"{c}.html", r.name, c, dutch.LEVELS.get(r.level, r.level))

    region = regions[code]
    groups: dict[str, list[Link]] = {}
    for child in region.children:
        if child in here:
            groups.setdefault(dutch.LEVELS_PLURAL[regions[child].level], []).append(link(child))
    return Navigation(
        index="index.html",
        previous=f"../{before}/{code}.html" if before and code in sheets[before] else None,
        previous_label=before or "",
        next=f"../{after}/{code}.html" if after and code in sheets[after] else None,
        next_label=after or "",
        parents=[link(p) for p in region.parents if p in here],
        children=[(group, sorted(links, key=lambda k: k.name)) for group, links in groups.items()],
        published=here,
    )


@dataclass
class SiteSummary:
    out: Path
    quarters: list[str]
    sheets: int


def build_site(warehouse: Path, out: Path, quarters: list[Quarter] | None = None) -> SiteSummary:
    """Every region's sheet of every quarter asked (default: all in the warehouse), an index
    per quarter and one at the top for the latest; written beside `out` and swapped in, so a
    host serving `out` never shows half a site."""
    out = out.resolve()
    _check_replaceable(out)
    con = _connect(warehouse)
    try:
        regions, year = _regions(con)
        sheets: dict[str, set[str]] = {}
        for row in query(con, "quarters"):
            sheets.setdefault(row["period"], set()).add(row["region_code"])
        available = sorted(sheets)
        wanted = [q.label for q in quarters] if quarters else available
        missing = [q for q in wanted if q not in sheets]
        if missing:
            raise InputError(
                f"no key figures for {', '.join(missing)} in {warehouse} "
                f"(it has {', '.join(available) or 'none'}); run those quarters first"
            )
        building = out.with_name(f".{out.name}.building")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        (building / MARKER).write_text("written by `kraptemeter site`; replaced on the next\n")
        count, sample = 0, False
        for label in wanted:
            data = QuarterData.load(con, Quarter.parse(label), regions)
            folder = building / label
            folder.mkdir()
            for code in sorted(sheets[label] & regions.keys()):
                nav = _navigation(regions, code, label, wanted, sheets)
                page = _sheet(data, code, year, nav)
                sample = sample or 'id="sample"' in page
                (folder / f"{code}.html").write_text(page, encoding="utf-8")
                count += 1
            _write_index(folder / "index.html", regions, label, wanted, sheets[label], "../",
                         "", sample)  # fmt: skip
        latest = wanted[-1]
        _write_index(building / "index.html", regions, latest, wanted, sheets[latest], "",
                     f"{latest}/", sample)  # fmt: skip
    finally:
        con.close()
    _swap_in(building, out)
    return SiteSummary(out, wanted, count)


LEVEL_ORDER = ("land", "provincie", "arbeidsmarktregio", "corop", "gemeente")


def _write_index(path, regions, quarter, quarters, published, up, into, sample) -> None:
    levels = []
    for level in LEVEL_ORDER:
        links = sorted(
            (Link(f"{into}{c}.html", r.name, c) for c, r in regions.items()
             if r.level == level and c in published),
            key=lambda k: (k.name, k.code),
        )  # fmt: skip
        if links:
            levels.append((dutch.LEVELS_PLURAL[level], links))
    page = TEMPLATES.get_template("index.html.j2").render(
        quarter=quarter, levels=levels, sample=sample, version=kraptemeter.__version__,
        quarters=[{"label": q, "href": f"{up}{q}/index.html"} for q in quarters],
    )  # fmt: skip
    path.write_text(page, encoding="utf-8")


def _check_replaceable(out: Path) -> None:
    """Never delete a folder `site` did not write."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise InputError(
            f"{out} exists and is not a site written by `kraptemeter site`; "
            "name an empty or new folder"
        )


def _swap_in(building: Path, out: Path) -> None:
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        os.replace(out, old)
    os.replace(building, out)
    shutil.rmtree(old, ignore_errors=True)
