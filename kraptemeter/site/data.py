"""What the key-figure sheets of one quarter show, read from the catalog in a handful of
queries for every region at once (a site of ~480 sheets must not pay ~3 000 round trips)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from kraptemeter.core.errors import InputError
from kraptemeter.core.periods import Quarter
from kraptemeter.warehouse import catalog
from transforms.indicators import HEADLINE

SQL = Path(__file__).with_name("sql")
TREND_INDICATORS = ("employed", "unemployment_rate", "open_vacancies", "ww_current")
# headline figures of the population on 1 January: a quarter's sheet shows its year's
YEARLY = [i.id for i in HEADLINE if i.period_type == "year"]


def query(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> list[dict]:
    try:
        cursor = con.execute((SQL / f"{name}.sql").read_text(), params or {})
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    except (duckdb.BinderException, duckdb.CatalogException) as error:
        # a warehouse published by an older version lacks a column or table the sheet reads
        first = str(error).splitlines()[0]
        raise InputError(
            f"the warehouse's marts are older than this sheet ({first}); run "
            "`kraptemeter run` on it first (a changed version redoes every quarter)"
        ) from None


@dataclass
class Region:
    code: str
    name: str
    level: str
    parents: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    gemeenten: list[str] = field(default_factory=list)  # the gemeenten it is made of
    provincies: list[str] = field(default_factory=list)
    arbeidsmarktregio: str | None = None  # a gemeente's


def hierarchy(rows: list[dict]) -> dict[str, Region]:
    """Every region with the regions above and below it, from the gemeenten's memberships
    (an arbeidsmarktregio may lie in two provinces)."""
    regions = {r["region_code"]: Region(r["region_code"], r["region_name"], r["region_level"])
               for r in rows}  # fmt: skip
    for row in rows:
        region = regions[row["region_code"]]
        region.provincies = sorted(row["provincie_codes"] or [])
        if region.level == "gemeente":
            groups = ["NL01", row["provincie_code"], row["corop_code"],
                      row["arbeidsmarktregio_code"]]  # fmt: skip
            for code in groups:
                if code in regions:
                    regions[code].gemeenten.append(region.code)
            region.parents = [code for code in groups if code in regions]
            region.gemeenten = [region.code]
            region.arbeidsmarktregio = row["arbeidsmarktregio_code"]
        elif region.level == "provincie":
            region.parents = ["NL01"]
        elif region.level in ("corop", "arbeidsmarktregio"):
            region.parents = ["NL01", *region.provincies]
    for region in regions.values():
        if region.level == "land":
            region.children = [c for c, r in regions.items() if r.level == "provincie"]
        elif region.level == "provincie":
            region.children = [
                c for c, r in regions.items()
                if r.level in ("corop", "arbeidsmarktregio") and region.code in r.provincies
            ] + region.gemeenten  # fmt: skip
        elif region.level in ("corop", "arbeidsmarktregio"):
            region.children = list(region.gemeenten)
        region.parents = [code for code in region.parents if code in regions]
    return regions


def by_region(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["region_code"]].append(row)
    return grouped


def arbeidsmarktregios(regions: dict[str, Region], code: str) -> list[str]:
    """The arbeidsmarktregio's a region lies (partly) in."""
    found = {regions[g].arbeidsmarktregio for g in regions[code].gemeenten}
    return sorted(c for c in found if c in regions)


@dataclass
class QuarterData:
    """Everything the sheets of one quarter read; `region` limits it to one sheet."""

    quarter: Quarter
    regions: dict[str, Region]
    headline: dict[str, list[dict]]
    trend: dict[str, list[dict]]
    breakdowns: dict[str, list[dict]]
    tension: list[dict]
    trend_quarters: list[str]

    @classmethod
    def load(
        cls, con: duckdb.DuckDBPyConnection, quarter: Quarter, regions: dict[str, Region],
        region: str | None = None,
    ) -> QuarterData:  # fmt: skip
        trend_quarters = [q.label for q in [*quarter.preceding(7), quarter]]
        one = {"quarter": quarter.label, "region": region}
        return cls(
            quarter=quarter,
            regions=regions,
            headline=by_region(
                query(
                    con,
                    "headline",
                    {
                        **one,
                        "year": str(quarter.year),
                        "indicators": [i.id for i in HEADLINE],
                        "yearly": YEARLY,
                    },
                )  # fmt: skip
            ),
            trend=by_region(
                query(
                    con,
                    "trend",
                    {
                        "indicators": list(TREND_INDICATORS),
                        "quarters": trend_quarters,
                        "region": region,
                    },
                )  # fmt: skip
            ),
            # only a quarter of deliveries writes the breakdowns: a warehouse of CBS tables
            # alone has sheets without those panels
            breakdowns=by_region(query(con, "breakdowns", one))
            if "indicator_breakdowns" in catalog.tables(con)
            else {},
            tension=query(con, "tension", {"quarter": quarter.label}),
            trend_quarters=trend_quarters,
        )
