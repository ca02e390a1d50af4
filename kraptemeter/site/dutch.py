"""How the sheet says things in Dutch: numbers, units, periods, sources, region levels."""

from __future__ import annotations

import re


def number(value: float | None, decimals: int) -> str:
    """Dutch notation with the indicator's declared decimals: 916.000, 3,7, 1,25; "–" for none."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # a change that rounds to nothing has no sign
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


# The units as a Dutch reader says them.
UNITS = {
    "persons": "personen",
    "benefits": "uitkeringen",
    "vacancies": "vacatures",
    "aantal": "aantal",
    "%": "%",
    "ratio": "verhouding",
    "per 100 unemployed": "per 100 werklozen",
    "per 100 aged 20-64": "per 100 van 20–64 jaar",
    "per 1 000 aged 15-74": "per 1 000 van 15–74 jaar",
}

LEVELS = {
    "land": "land",
    "provincie": "provincie",
    "corop": "COROP-gebied",
    "arbeidsmarktregio": "arbeidsmarktregio",
    "gemeente": "gemeente",
}
LEVELS_PLURAL = {
    "land": "Nederland",
    "provincie": "Provincies",
    "arbeidsmarktregio": "Arbeidsmarktregio's",
    "corop": "COROP-gebieden",
    "gemeente": "Gemeenten",
}


def unit(name: str) -> str:
    return UNITS.get(name, name)


ABSENT = "absent"  # the sheet's own status for a headline figure the marts have no row for


def why_not_shown(status: str | None) -> str:
    """The footnote for a figure without a value (the marts' `status` says why)."""
    status = status or ""
    if status == ABSENT:
        return "geen cijfer voor deze regio in dit kwartaal (niet geschat of niet geleverd)"
    few = re.fullmatch(r"suppressed: fewer than (\d+) respondents", status)
    if few:
        return f"te weinig respondenten voor publicatie (minder dan {few.group(1)})"
    if status == "suppressed: no respondents":
        return "geen respondenten in de steekproef"
    if status == "suppressed: its survey total rounds to zero":
        return "het geschatte totaal rondt af op nul"
    if status.startswith("suppressed"):
        return "niet gepubliceerd (onbetrouwbaar of geheim)"
    return "geen gegevens geleverd"


def period(label: str | None, period_type: str | None) -> str:
    if period_type == "rolling_4q" and label:
        return f"vier kwartalen t/m {label}"
    if period_type == "year" and label:
        return f"1 januari {label}"
    return label or ""


def source(name: str | None) -> str:
    if not name:
        return ""
    if name.startswith("cbs:"):
        return f"CBS {name[4:]}"
    if name == "sample":
        return "voorbeelddata"
    return "CBS/UWV-leveringen"
