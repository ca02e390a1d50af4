"""Rebuild the shipped region reference from the real CBS files in ../shared/realdata.

Run by a developer when the reference changes; the product only reads the CSV it writes, never
../shared. Sources (see shared/realdata/PROVENANCE.md §2):
- 70072ned 2015 at gemeente level: gemeente -> arbeidsmarktregio (Code_271), COROP (Code_275),
  provincie (Code_293), with their names, and population on 1 January 2015 by age group;
- 82949NED "Gebieden in Nederland 2015": gemeente names;
- 03759ned's RegioS code list (2026 capture): titles of every current region code.
"""

import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REALDATA = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "realdata"
SRC = REALDATA / "rubennaatje_rds"
OUT = ROOT / "kraptemeter" / "core" / "reference"

AGE_GROUPS = {
    "age_0_4": "JongerDan5Jaar_4",
    "age_5_9": "k_5Tot10Jaar_5",
    "age_10_14": "k_10Tot15Jaar_6",
    "age_15_19": "k_15Tot20Jaar_7",
    "age_20_24": "k_20Tot25Jaar_8",
    "age_25_44": "k_25Tot45Jaar_9",
    "age_45_64": "k_45Tot65Jaar_10",
    "age_65_79": "k_65Tot80Jaar_11",
    "age_80_plus": "k_80JaarOfOuder_12",
}


def read_cbs_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.DictReader(handle, delimiter=";")
        return [{key: value.strip() for key, value in row.items()} for row in rows]


def main() -> None:
    names = {
        row["Code_1"]: row["Naam_2"]
        for row in read_cbs_csv(SRC / "82949NED_TypedDataSet_17052018_142705.csv")
    }
    kerncijfers = read_cbs_csv(SRC / "70072ned_UntypedDataSet_06062018_000805.csv")
    gemeenten = [
        row
        for row in kerncijfers
        if row["RegioS"].startswith("GM") and row["TotaleBevolking_1"] not in ("", ".")
    ]
    assert len(gemeenten) == 393, len(gemeenten)
    gemeenten.sort(key=lambda row: row["RegioS"])

    with (OUT / "regions_2015.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "classification_year",
                "gemeente_code",
                "gemeente_name",
                "arbeidsmarktregio_code",
                "arbeidsmarktregio_name",
                "corop_code",
                "corop_name",
                "provincie_code",
                "provincie_name",
            ]
        )
        for row in gemeenten:
            writer.writerow(
                [
                    2015,
                    row["RegioS"],
                    names[row["RegioS"]],
                    row["Code_271"],
                    row["Naam_272"],
                    row["Code_275"],
                    row["Naam_276"],
                    row["Code_293"],
                    row["Naam_294"],
                ]
            )

    with (OUT / "population_2015.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["gemeente_code", *AGE_GROUPS])
        for row in gemeenten:
            writer.writerow([row["RegioS"], *(int(row[col]) for col in AGE_GROUPS.values())])
    # Region titles of the current classification (03759ned code list): map the names in
    # new-StatLine downloads and re-exports ('Utrecht (gemeente)', 'Fryslân (PV)') to codes.
    codes_file = REALDATA / "checkdecijfers_fixtures" / "03759ned" / "codes-RegioS.json"
    region_titles = json.loads(codes_file.read_text(encoding="utf-8"))["value"]
    # With each region's dates and provincie as CBS describes them ("Begindatum 01-01-2019",
    # "Opgeheven per 01-01-2019"; group GMPV28 = a gemeente of Zuid-Holland): a cell is checked
    # against the regions that existed in its year.
    with (OUT / "cbs_region_names.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["region_code", "region_name", "provincie_code", "begin_date", "end_date"])
        for region in region_titles:
            description = region.get("Description") or ""
            group = region.get("DimensionGroupId") or ""
            writer.writerow(
                [
                    region["Identifier"].strip(),
                    region["Title"].strip(),
                    group[2:] if re.fullmatch(r"(GM|CR)PV\d\d", group) else "",
                    _iso(_BEGIN.search(description) or _BEGIN_DATE.search(description)),
                    _iso(_END.search(description)),
                ]
            )
    changes = gemeente_changes(region_titles)
    with (OUT / "gemeente_changes.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "dissolved_code",
                "dissolved_name",
                "effective_date",
                "successor_code",
                "successor_name",
                "inhabitants",
                "share_of_inhabitants",
            ]
        )
        writer.writerows(changes)
    print(
        f"wrote {len(gemeenten)} gemeenten, {len(region_titles)} region titles and "
        f"{len(changes)} herindeling transfers to {OUT}"
    )


# A code begins when it is formed ("Ontstaan per"), else at its "Begindatum"; it ends when the
# gemeente is dissolved or renamed (a new name takes a new code).
_BEGIN = re.compile(r"Ontstaan per (\d\d)-(\d\d)-(\d{4})")
_BEGIN_DATE = re.compile(r"Begindatum (\d\d)-(\d\d)-(\d{4})")
_END = re.compile(
    r"(?:Opgeheven per (\d\d)-(\d\d)-(\d{4})"
    r"|Naamswijziging per (\d\d)-(\d\d)-(\d{4}),\s*nieuwe naam)"
)


def _iso(match: re.Match | None) -> str:
    if not match:
        return ""
    day, month, year = [group for group in match.groups() if group][:3]
    return f"{year}-{month}-{day}"


_DISSOLVED = re.compile(
    r"Opgeheven per (\d\d)-(\d\d)-(\d{4}), overgegaan naar:(.*?)(?:\r?\n\r?\n|$)", re.S
)
_TRANSFER = re.compile(
    r"- (.+?) \((GM\d{4})\),\r?\n\.\.\. \d+ hectare met \d+ woningen en (\d+) inwoners"
)


def gemeente_changes(region_titles: list[dict]) -> list[list]:
    """Dissolved gemeenten and where their inhabitants went, from CBS's code descriptions
    ("Opgeheven per 01-01-2019, overgegaan naar: - Altena (GM1959), ... 13321 inwoners")."""
    rows = []
    for region in region_titles:
        code = region["Identifier"].strip()
        if not code.startswith("GM"):
            continue
        for event in _DISSOLVED.finditer(region.get("Description") or ""):
            day, month, year, transfers = event.groups()
            moved = [
                (name, to, int(n)) for name, to, n in _TRANSFER.findall(transfers) if to != code
            ]
            total = sum(n for _, _, n in moved)
            for name, to, inhabitants in moved:
                share = round(inhabitants / total, 4) if total else None
                rows.append(
                    [
                        code,
                        region["Title"].strip(),
                        f"{year}-{month}-{day}",
                        to,
                        name,
                        inhabitants,
                        share,
                    ]
                )
    return sorted(rows)


if __name__ == "__main__":
    main()
