"""What the pipeline knows about each CBS table: its title, and which measures it uses.

A measure is named by the table's own key (OData v3 `Name_n`, v4 code, or a StatLine column
title); `concept_of` maps it to the concept the indicator SQL uses (e.g. `grey_pressure`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CbsTable:
    id: str
    title: str
    concepts: dict[str, str] = field(default_factory=dict)  # measure key or prefix -> concept
    units: dict[str, tuple[str, int]] = field(default_factory=dict)  # v3 concept -> unit
    priority: int = 5  # where two tables publish the same figure, the lower number wins
    # The region levels (code prefixes) the table publishes: a cell of another level, or a
    # name that only matches a region of another level, is quarantined, not guessed.
    levels: frozenset[str] = frozenset({"NL", "LD", "PV", "CR", "AM", "GM"})


_AGE_GROUPS_V3 = {
    "TotaleBevolking": "population",
    "JongerDan5Jaar": "age_0_4",
    "k_5Tot10Jaar": "age_5_9",
    "k_10Tot15Jaar": "age_10_14",
    "k_15Tot20Jaar": "age_15_19",
    "k_20Tot25Jaar": "age_20_24",
    "k_25Tot45Jaar": "age_25_44",
    "k_45Tot65Jaar": "age_45_64",
    "k_65Tot80Jaar": "age_65_79",
    "k_80JaarOfOuder": "age_80_plus",
    "GroeneDruk": "green_pressure",
    "GrijzeDruk": "grey_pressure",
    "TotaleDruk": "demographic_pressure",
    "Werkloosheid": "ww_recipients",
    "BijstandTotDeAOWLeeftijd": "bijstand_recipients",
    "WajongUitkering": "wajong_recipients",
    "WAOUitkering": "wao_recipients",
    "WIAUitkeringWGARegeling": "wga_recipients",
}
_AGE_GROUPS_STATLINE = {
    "Totale bevolking": "population",
    "Jonger dan 5 jaar": "age_0_4",
    "5 tot 10 jaar": "age_5_9",
    "10 tot 15 jaar": "age_10_14",
    "15 tot 20 jaar": "age_15_19",
    "20 tot 25 jaar": "age_20_24",
    "25 tot 45 jaar": "age_25_44",
    "45 tot 65 jaar": "age_45_64",
    "65 tot 80 jaar": "age_65_79",
    "80 jaar of ouder": "age_80_plus",
    "Groene druk": "green_pressure",
    "Grijze druk": "grey_pressure",
    "Totale druk": "demographic_pressure",
}
_UNITS_70072 = {c: ("aantal", 0) for c in _AGE_GROUPS_V3.values()} | {
    "green_pressure": ("%", 1),
    "grey_pressure": ("%", 1),
    "demographic_pressure": ("%", 1),
}

TABLES: dict[str, CbsTable] = {
    t.id.lower(): t
    for t in [
        CbsTable(
            "70072ned",
            "Regionale kerncijfers Nederland",
            _AGE_GROUPS_V3 | _AGE_GROUPS_STATLINE,
            _UNITS_70072,
            priority=4,
        ),
        CbsTable(
            "03759ned",
            "Bevolking op 1 januari en gemiddeld; geslacht, leeftijd en regio",
            {"BevolkingOp1Januari": "population_by_age", "M000352": "population_by_age"},
            {"population_by_age": ("aantal", 0)},
        ),
        CbsTable(
            "83599NED",
            "Openstaande vacatures; SBI 2008, regio",
            {"OpenstaandeVacatures": "open_vacancies"},
            {"open_vacancies": ("x 1 000", 1)},
            levels=frozenset({"NL", "LD", "PV"}),
        ),
        CbsTable(
            "85224NED",
            "Arbeidsdeelname; kerncijfers seizoengecorrigeerd",
            {
                "3000790_2": "labour_force",
                "3000795": "employed",
                "3000800_2": "unemployed",
                "M001906": "unemployment_rate",
                "3000810": "not_in_labour_force",
                "M001731": "gross_participation",
                "M001796_2": "net_participation",
            },
            priority=1,
            levels=frozenset({"NL"}),
        ),
        CbsTable(
            "80590ned",
            "Arbeidsdeelname en werkloosheid per maand",
            {
                "3000790_2": "labour_force",
                "D002308": "labour_force_sa",
                "3000795_2": "employed",
                "D006409": "employed_sa",
                "3000800_2": "unemployed",
                "D001875": "unemployed_sa",
                "M001906_2": "unemployment_rate",
                "M004210": "unemployment_rate_sa",
                "3000810_2": "not_in_labour_force",
                "D006394": "not_in_labour_force_sa",
                "M001731_2": "gross_participation",
                "M006335": "gross_participation_sa",
                "M001796_2": "net_participation",
                "M005036": "net_participation_sa",
            },
            priority=2,
            levels=frozenset({"NL"}),
        ),
        CbsTable(
            "37789ksz",
            "Sociale zekerheid; kerncijfers, uitkeringen naar uitkeringssoort",
            {
                "D007076_2": "ww_current",
                "M006400": "ww_current_sa",
                "90210": "bijstand",
                "D000286": "wajong",
                "D000295_2": "wia",
                "D000287": "wao",
            },
            levels=frozenset({"NL"}),
        ),
        CbsTable(
            "85268NED",
            "Arbeidsdeelname; provincie",
            {"Werkloosheidspercentage": "unemployment_rate", "value": "unemployment_rate"},
            {"unemployment_rate": ("%", 1)},
            priority=3,
            levels=frozenset({"NL", "PV"}),
        ),
        CbsTable(
            "trng_lfse_04",
            "Participation rate in education and training (last 4 weeks) by sex and NUTS 2 regions",
            {"participation": "llo_participation_rate"},
            levels=frozenset({"NL", "LD", "PV"}),
        ),
        CbsTable("82949NED", "Gebieden in Nederland 2015"),
    ]
}

_V3_KEY = re.compile(r"^(?P<prefix>[A-Za-z][A-Za-z0-9_]*?)_(?P<n>\d+)$")
_TITLE_TAIL = re.compile(r"^(?:.*/)?(?P<name>[^/]+?)\s*\([^()]*\)$")


def table(table_id: str) -> CbsTable | None:
    return TABLES.get(table_id.lower())


def concept_of(table_id: str, measure: str) -> str | None:
    known = table(table_id)
    if known is None:
        return None
    if measure in known.concepts:
        return known.concepts[measure]
    v3 = _V3_KEY.match(measure)
    if v3 and v3["prefix"] in known.concepts:
        return known.concepts[v3["prefix"]]
    titled = _TITLE_TAIL.match(measure)
    if titled and titled["name"] in known.concepts:
        # StatLine repeats an age group as a share ("Leeftijdsgroepen, relatief/...(%)")
        if "relatief" in measure:
            return None
        return known.concepts[titled["name"]]
    return None


def v3_suffix(measure: str) -> int | None:
    match = _V3_KEY.match(measure)
    return int(match["n"]) if match else None
