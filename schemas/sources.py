"""The raw sources: where their files lie, which period a file covers, and their schemas."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pandera.pandas as pa

from kraptemeter.core.errors import InputError
from kraptemeter.core.periods import Quarter
from schemas import ebb, population, registers, vacancies
from schemas.ingest import sha256_of


@dataclass(frozen=True)
class Source:
    """A raw input: `folder/prefix_<period code>.csv` under raw/, one file per period."""

    name: str
    folder: str
    yearly: bool  # population is delivered per year (1 January), everything else per quarter
    schema_for: Callable[[Quarter], pa.DataFrameSchema]
    # Staged as this summary of its accepted rows (schemas/staged.py) instead of the rows.
    staged_as: str | None = None
    header_hint: str = ""  # added to a wrong header's message: where the other shape goes

    def period_code(self, quarter: Quarter) -> str:
        return quarter.year_code if self.yearly else quarter.cbs_code

    def period_label(self, quarter: Quarter) -> str:
        """The partition label of a file: `2024Q2`, or `2024` for a yearly source."""
        return str(quarter.year) if self.yearly else quarter.label

    def file_for(self, raw: Path, quarter: Quarter) -> Path:
        """The newest delivery of the period: `<name>_<period>.csv`, or a revision of it,
        `<name>_<period>_<delivery>.csv`, the delivery an ISO date (`_2024-09-15`, compared
        as dates) or a version (`_v2`, compared as numbers); the plain name counts as the
        first delivery. Any other label, or dates and versions mixed, is refused."""
        code = self.period_code(quarter)
        plain = raw / self.folder / f"{self.name}_{code}.csv"
        prefix = f"{self.name}_{code}_"
        revisions = (
            [
                (_revision_order(path, path.name[len(prefix) : -len(".csv")]), path)
                for path in (raw / self.folder).iterdir()
                if path.name.startswith(prefix) and path.name.endswith(".csv")
            ]
            if (raw / self.folder).is_dir()
            else []
        )
        if len({kind for (kind, _), _ in revisions}) > 1:
            names = ", ".join(sorted(path.name for _, path in revisions))
            raise InputError(
                f"{raw / self.folder}: revisions of {self.name} {code} mix dates and versions "
                f"({names}); name every revision of a period the same way"
            )
        return max(revisions)[1] if revisions else plain

    def quarters_in(self, raw: Path) -> set[Quarter]:
        """Quarters for which this (quarterly) source has a file in raw/."""
        found = set()
        pattern = re.compile(rf"^{self.name}_(\d{{4}}KW0[1-4])(_[A-Za-z0-9-]{{1,40}})?\.csv$")
        for path in (raw / self.folder).glob(f"{self.name}_*.csv"):
            match = pattern.match(path.name)
            if match:
                found.add(Quarter.parse(match[1]))
        return found


def _revision_order(path: Path, label: str) -> tuple[str, object]:
    """The order of a revision label: ('date', the date) or ('version', its number)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", label):
        try:
            return "date", date.fromisoformat(label)
        except ValueError:
            pass
    elif re.fullmatch(r"v[1-9]\d{0,5}", label):  # v1 is after the plain file; no v0, no v02
        return "version", int(label[1:])
    raise InputError(
        f"{path}: revision label {label!r} has no defined order; name a revision "
        "<source>_<period>_<YYYY-MM-DD>.csv (the delivery date) or _v<N>.csv (its number)"
    )


SOURCES: dict[str, Source] = {
    source.name: source
    for source in [
        # A schema is built once per quarter and source (ingest, validation and the models
        # all ask for it), hence the cache.
        Source("ebb", "ebb", False, cache(ebb.schema)),
        Source("open_vacancies", "vacancies", False, cache(vacancies.open_vacancies_schema)),
        # New online vacancies come at one of two grains, each a source of its own (its own
        # file name, schema, staging table and rows in the run records): per arbeidsmarktregio
        # (figures for AM and Nederland only) or per gemeente of the work location (every level).
        Source(
            "online_vacancies",
            "vacancies",
            False,
            cache(vacancies.online_vacancies_schema),
            header_hint="; a delivery per gemeente of the work location (gemeente_code) is named "
            "online_vacancies_gemeente_<period>.csv",
        ),
        Source(
            "online_vacancies_gemeente",
            "vacancies",
            False,
            cache(vacancies.online_vacancies_gemeente_schema),
            header_hint="; a delivery per arbeidsmarktregio (arbeidsmarktregio_code) is named "
            "online_vacancies_<period>.csv",
        ),
        *(
            Source(r, "registers", False, cache(registers.schema_factory(r)), "spell_counts")
            for r in registers.SCHEMES
        ),
        Source("population", "population", True, cache(population.schema)),
    ]
}


# The two grains of new online vacancies: a quarter takes one of them. Both for one quarter
# is refused rather than one preferred: the two need not agree (their arbeidsmarktregio
# totals can differ), and which delivery is right only the deliverer knows.
NEW_VACANCY_GRAINS = ("online_vacancies_gemeente", "online_vacancies")


def require_one_grain(raw: Path, quarters: list[Quarter]) -> None:
    """Refuse quarters with new online vacancies delivered at both grains, naming the files."""
    doubles = []
    for quarter in quarters:
        files = [SOURCES[name].file_for(raw, quarter) for name in NEW_VACANCY_GRAINS]
        if all(os.path.lexists(path) for path in files):
            doubles.append(f"{quarter.label}: {' and '.join(map(str, files))}")
    if doubles:
        raise InputError(
            "new online vacancies delivered both per gemeente and per arbeidsmarktregio for "
            f"the same quarter ({'; '.join(doubles)}); a quarter takes one grain: move the "
            "delivery that does not apply out of the raw folder and run again (nothing was done)"
        )


def undelivered(delivered: set[str]) -> list[str]:
    """The sources a quarter has no file for, given those it has: either grain of new online
    vacancies stands for both, so only a quarter with neither misses them (named once)."""
    if delivered & set(NEW_VACANCY_GRAINS):
        delivered = delivered | set(NEW_VACANCY_GRAINS)
    missing = [name for name in SOURCES if name not in delivered]
    if set(NEW_VACANCY_GRAINS) <= set(missing):
        missing = [name for name in missing if name not in NEW_VACANCY_GRAINS]
        missing.insert(0, " or ".join(NEW_VACANCY_GRAINS))
    return missing


def unrecognised_files(raw: Path) -> list[Path]:
    """Files in the sources' folders that no source claims (a typo, or a hostile name)."""
    folders = {source.folder for source in SOURCES.values()}
    claimed = re.compile(
        r"^(" + "|".join(re.escape(n) for n in SOURCES) + r")_\d{4}(KW0[1-4]|JJ00)"
        r"(_[A-Za-z0-9-]{1,40})?\.csv$"
    )
    return sorted(
        path
        for folder in folders
        for path in (raw / folder).glob("*")
        if path.is_file() and not claimed.match(path.name)
    )


def discover_quarters(raw: Path) -> list[Quarter]:
    """Every quarter for which some quarterly source has a file in raw/."""
    found: set[Quarter] = set()
    for source in SOURCES.values():
        if not source.yearly:
            found |= source.quarters_in(raw)
    return sorted(found)


# `kraptemeter sample` lists what it wrote in raw/sample.json (file -> sha256): figures made
# from any of those deliveries are marked `sample`, never taken for real data. A real
# delivery in its place (other bytes) is not in the list.
SAMPLE_MARKER = "sample.json"


def sample_deliveries(raw: Path) -> dict[str, str]:
    """sha256 -> file of every delivery the sample generator wrote into raw/ (none without
    its marker; a damaged marker is refused rather than taken for real data)."""
    path = raw / SAMPLE_MARKER
    if not path.is_file():
        return {}
    try:
        files = json.loads(path.read_text(encoding="utf-8"))["files"]
        return {str(sha): str(name) for name, sha in files.items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise InputError(
            f"{path}: not a sample marker the sample generator wrote; write the sample again "
            "(kraptemeter sample) or remove the file if raw/ holds no sample data"
        ) from None


def mark_sample(raw: Path, written: list[Path]) -> Path:
    """Add the files the sample generator wrote to raw/'s sample marker."""
    path = raw / SAMPLE_MARKER
    try:
        files = json.loads(path.read_text(encoding="utf-8"))["files"] if path.is_file() else {}
    except (ValueError, KeyError, TypeError):
        files = {}
    for file in written:
        files[Path(file).resolve().relative_to(raw.resolve()).as_posix()] = sha256_of(file)
    building = path.with_name(f".{path.name}.building")
    building.write_text(
        json.dumps(
            {"written_by": "kraptemeter sample", "files": dict(sorted(files.items()))}, indent=2
        )
        + "\n"
    )
    building.replace(path)
    return path
