"""Which region a CBS cell is about: its code checked, or its name resolved, against the region
reference of the cell's classification year — never guessed.

CBS publishes a year's figures on that year's regions (a gemeente table of 2024 uses the
gemeenten of 1 January 2024), so a cell's classification year is its period's year. A code is
accepted when it is known, of a level the table publishes, and existed (by CBS's own dates) on
1 January of that year. A name (StatLine downloads and re-exports carry names, not codes) is
looked up among the regions of the table's own levels that existed that year: exact titles
first ('Utrecht (gemeente)', 'Utrecht (PV)'), then the plain names
re-exports use ('Zeeland' is provincie Zeeland in a province table, not the gemeente Zeeland
that was dissolved in 1994). No match, or more than one, is a reason to quarantine the cell.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache

from kraptemeter.core import reference_data as ref

# The levels CBS codes carry, by prefix. Landsdelen (LD01-LD04: Noord-, Oost-, West- and
# Zuid-Nederland) sit between the land and the provincies.
LEVELS = {
    "NL": "land",
    "LD": "landsdeel",
    "PV": "provincie",
    "CR": "corop",
    "AM": "arbeidsmarktregio",
    "GM": "gemeente",
}
_SUFFIX = {"(PV)": "PV", "(CR)": "CR", "(LD)": "LD", "(AM)": "AM", "(gemeente)": "GM"}
# Province names as re-exports spell them (the Frisian name, R's make.names spelling)
_ALIASES = {"Friesland": "PV21", "Fryslan": "PV21"}


@dataclass(frozen=True)
class Resolved:
    code: str | None  # None when the cell cannot be placed
    reason: str | None = None


@dataclass(frozen=True)
class RegionReference:
    titles: dict[str, str]  # code -> CBS title ('Utrecht (PV)', 'Utrecht')
    # code -> (first day, first day it no longer existed), as CBS describes its codes
    lifetimes: dict[str, tuple[date | None, date | None]]

    def existed(self, code: str, year: int) -> bool:
        """Whether a region existed on 1 January of `year` (no dates: it always did)."""
        begin, end = self.lifetimes.get(code, (None, None))
        day = date(year, 1, 1)
        return (begin is None or begin <= day) and (end is None or day < end)

    def check_code(self, code: str, levels: frozenset[str], year: int) -> Resolved:
        code = code.strip()
        if code not in self.titles:
            return Resolved(None, f"unknown region code {code!r}")
        if code[:2] not in levels:
            level = LEVELS.get(code[:2], "region")
            return Resolved(None, f"{code} is a {level}: {_levels(levels)}")
        if not self.existed(code, year):
            return Resolved(None, f"{code} ({self.titles[code]}) did not exist on 1 January {year}")
        return Resolved(code)

    def resolve_name(self, name: str, levels: frozenset[str], year: int) -> Resolved:
        name = name.strip()
        exact = self._candidates(lambda title: title == name, levels, year)
        if len(exact) == 1:
            return Resolved(exact[0])
        if not exact:
            plain = self._candidates(
                lambda title: _plain(title) in (name, name.replace(".", "-")), levels, year
            )
            plain += [code for alias, code in _ALIASES.items() if alias == name]
            plain = sorted(set(c for c in plain if c[:2] in levels))
            if len(plain) == 1:
                return Resolved(plain[0])
            exact = plain
        if exact:
            return Resolved(None, f"region name {name!r} is ambiguous: {', '.join(exact)}")
        elsewhere = [c for c, t in self.titles.items() if name in (t, _plain(t))]
        why = (
            f" (known as {', '.join(sorted(elsewhere))}, which {_levels(levels)} or did not "
            f"exist on 1 January {year})"
            if elsewhere
            else ""
        )
        return Resolved(None, f"unknown region name {name!r}{why}")

    def _candidates(self, matches, levels: frozenset[str], year: int) -> list[str]:
        return sorted(
            code
            for code, title in self.titles.items()
            if code[:2] in levels and matches(title) and self.existed(code, year)
        )


def _plain(title: str) -> str:
    for suffix in _SUFFIX:
        if title.endswith(" " + suffix):
            return title.removesuffix(" " + suffix)
    return title


def _levels(levels: frozenset[str]) -> str:
    return "the table publishes " + ", ".join(LEVELS[p] for p in LEVELS if p in levels)


@cache
def reference() -> RegionReference:
    titles, lifetimes = {}, {}
    with ref.reference_file("cbs_region_names.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            titles[row["region_code"]] = row["region_name"]
            lifetimes[row["region_code"]] = (_day(row["begin_date"]), _day(row["end_date"]))
    # arbeidsmarktregio's as the shipped reference draws them (the 2015 crosswalk), titled
    # the way CBS titles a level that shares its names with gemeenten
    titles |= {
        g["arbeidsmarktregio_code"]: f"{g['arbeidsmarktregio_name']} (AM)" for g in ref.gemeenten()
    }
    return RegionReference(titles, lifetimes)


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None
