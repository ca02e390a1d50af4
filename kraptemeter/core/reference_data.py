"""Reference data shipped with the product: the region hierarchy and code lists.

`regions_2015.csv` is built from real CBS files by scripts/build_reference.py (70072ned 2015
gemeente rows with their arbeidsmarktregio, COROP and provincie, names from 82949NED).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from pathlib import Path

CLASSIFICATION_YEAR = 2015

SBI_SECTIONS = {
    "A": "Landbouw, bosbouw en visserij",
    "B": "Delfstoffenwinning",
    "C": "Industrie",
    "D": "Energievoorziening",
    "E": "Waterbedrijven en afvalbeheer",
    "F": "Bouwnijverheid",
    "G": "Handel",
    "H": "Vervoer en opslag",
    "I": "Horeca",
    "J": "Informatie en communicatie",
    "K": "Financiële dienstverlening",
    "L": "Verhuur en handel van onroerend goed",
    "M": "Specialistische zakelijke diensten",
    "N": "Verhuur en overige zakelijke diensten",
    "O": "Openbaar bestuur en overheidsdiensten",
    "P": "Onderwijs",
    "Q": "Gezondheids- en welzijnszorg",
    "R": "Cultuur, sport en recreatie",
    "S": "Overige dienstverlening",
}

# BRC 2014 beroepsklassen, the occupation classes UWV and CBS use for online vacancies.
OCCUPATION_CLASSES = {
    "pedagogisch": "Pedagogische beroepen",
    "creatief_taal": "Creatieve en taalkundige beroepen",
    "commercieel": "Commerciële beroepen",
    "administratief": "Bedrijfseconomische en administratieve beroepen",
    "management": "Managers",
    "openbaar_bestuur": "Openbaar bestuur, veiligheid en juridische beroepen",
    "technisch": "Technische beroepen",
    "ict": "ICT-beroepen",
    "agrarisch": "Agrarische beroepen",
    "zorg_welzijn": "Zorg en welzijn",
    "dienstverlenend": "Dienstverlenende beroepen",
    "transport_logistiek": "Transport en logistiek",
}

EDUCATION_LEVELS = ("laag", "middelbaar", "hoog")
LABOUR_POSITIONS = ("werkzaam", "werkloos", "niet_beroepsbevolking")
LLO_TYPES = ("formeel", "niet_formeel", "geen")
LLO_REASONS = ("huidig_werk", "toekomstig_werk", "veranderingen_werk")


def reference_file(name: str) -> Path:
    """A file of the shipped reference (kraptemeter/core/reference/)."""
    return Path(str(resources.files("kraptemeter.core") / "reference" / name))


def regions_csv() -> Path:
    return reference_file("regions_2015.csv")


@cache
def gemeenten() -> tuple[dict[str, str], ...]:
    """One dict per gemeente of the classification year, in code order."""
    with regions_csv().open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def gemeente_codes() -> list[str]:
    return [row["gemeente_code"] for row in gemeenten()]


def arbeidsmarktregio_codes() -> list[str]:
    return sorted({row["arbeidsmarktregio_code"] for row in gemeenten()})


@cache
def herindeling_crosswalk(year: int = CLASSIFICATION_YEAR) -> dict[str, str]:
    """Old gemeente code -> its code on the classification of `year` (1 January).

    Built from CBS's record of dissolved gemeenten (gemeente_changes.csv): a dissolution up to
    1 January of `year` sends the code to its successor, following chains of mergers. Where a
    gemeente was split, the code goes to the successor that received most inhabitants (the
    share is in gemeente_changes.csv): a person-level record cannot be apportioned.
    """
    path = reference_file("gemeente_changes.csv")
    main_successor: dict[str, tuple[str, str, float]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["effective_date"] > f"{year}-01-01":
                continue
            share = float(row["share_of_inhabitants"] or 0)
            current = main_successor.get(row["dissolved_code"])
            if current is None or share > current[2]:
                main_successor[row["dissolved_code"]] = (
                    row["successor_code"],
                    row["effective_date"],
                    share,
                )
    valid = set(gemeente_codes()) if year == CLASSIFICATION_YEAR else set()
    crosswalk = {}
    for code in main_successor:
        target, seen = code, set()
        while target in main_successor and target not in valid and target not in seen:
            seen.add(target)
            target = main_successor[target][0]
        if target in valid and code not in valid:
            crosswalk[code] = target
    return crosswalk
