"""Where everything a run writes lies: the one place a warehouse or work-folder path is spelled.

Two folders, public and private:

`Warehouse` — what is published, and may be copied as a whole to a dashboard host; it holds
no record-level data (no person, respondent, household or spell, no delivered row):
marts -> versions/<v>/     the published marts (a symlink swapped atomically on publish)
  <mart>/<period>/data.parquet | cbs.parquet  (PIPELINE_FILE | CBS_FILE); the folder is
  named by the period but is not a Hive key (no `=`): the period is a column of every file,
  so any reader, with or without Hive partitioning, sees the same columns (a `period=2024`
  key would be read as an integer by some readers and as text by others)
warehouse.duckdb            the analysts' catalog: every mart and record as a table
reference/regions.parquet   the region hierarchy
cbs/                        CBS's own published cells (observations, code lists) as read from
                            the landed tables: public statistics, no record-level data
runs/<run id>.json          one summary per run (no error message: that may quote a delivery)
.building/<name>/           marts being built before they are published (same file system as
                            the versions, so publishing moves them with a rename)

`WorkFolder` — private to the engineers who run the pipeline (default: `<warehouse>.work`
beside the warehouse, never inside it):
staging/<source>/<period>/<sha256>/  validated rows of each delivery (rolling windows)
quarantine/<source>/<period>/<sha256>/rows.parquet   every rejected row, per delivery
state/<quarter>.json        what a published quarter was made from (re-runs)
state/input_sha256.json     remembered sha256 of raw files, by size, times and inode
runs/<run id>.json          the full record of each run, its message included
logs/<time>.log             the traceback of an unexpected error
operator.duckdb             the operator catalog: quarantine (with delivered values), runs
.lock                       one writer at a time
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from kraptemeter.core.settings import Settings, default_work

__all__ = ["Warehouse", "WorkFolder", "default_work", "folders"]

MARTS_DIR = "marts"
VERSIONS_DIR = "versions"
CATALOG_FILE = "warehouse.duckdb"
OPERATOR_CATALOG_FILE = "operator.duckdb"
# What a warehouse written before the split held inside it and now lives in the work folder.
PRIVATE_FOLDERS = ("staging", "quarantine", "state", "logs")
# A partition's file says where its rows come from; a CBS import replaces only its own files.
PIPELINE_FILE = "data.parquet"  # computed from raw extracts
CBS_FILE = "cbs.parquet"  # from landed CBS tables


@dataclass(frozen=True)
class Warehouse:
    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @property
    def marts(self) -> Path:
        """The published marts, through the symlink (always the current version)."""
        return self.root / MARTS_DIR

    @property
    def versions(self) -> Path:
        return self.root / VERSIONS_DIR

    @property
    def catalog_file(self) -> Path:
        return self.root / CATALOG_FILE

    @property
    def regions_file(self) -> Path:
        return self.root / "reference" / "regions.parquet"

    @property
    def runs(self) -> Path:
        return self.root / "runs"

    @property
    def cbs(self) -> Path:
        """The landed CBS tables, read: observations.parquet, codes.parquet, landed.json."""
        return self.root / "cbs"

    @property
    def cbs_observations(self) -> Path:
        return self.cbs / "observations.parquet"

    @property
    def cbs_codes(self) -> Path:
        return self.cbs / "codes.parquet"

    @property
    def cbs_quarantine(self) -> Path:
        """CBS cells whose region could not be placed (unknown, ambiguous, not of that year)."""
        return self.cbs / "quarantine.parquet"

    @property
    def cbs_stamp(self) -> Path:
        """What the staged CBS tables were read from (landed files and readers' version)."""
        return self.cbs / "landed.json"

    def candidates(self, name: str) -> Path:
        """An empty folder to build a run's marts in (a killed run's leftovers are removed)."""
        folder = self.root / ".building" / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        return folder

    def clear_building(self) -> None:
        """Remove what runs left in `.building/` (moved in by publishing, or a failed run's)."""
        shutil.rmtree(self.root / ".building", ignore_errors=True)

    def partition(self, mart: str, period: str, name: str = PIPELINE_FILE) -> Path:
        return self.marts / mart / period / name

    def existing_partitions(self, mart: str, periods: list[str]) -> list[Path]:
        paths = [self.partition(mart, period) for period in periods]
        return [path for path in paths if path.is_file()]

    def published_marts(self) -> list[str]:
        if not self.marts.is_dir():
            return []
        return sorted(p.name for p in self.marts.iterdir() if any(p.glob("*/*.parquet")))

    def private_leftovers(self) -> list[Path]:
        """Private folders a warehouse written before the split still holds inside it."""
        return [self.root / name for name in PRIVATE_FOLDERS if (self.root / name).exists()]


@dataclass(frozen=True)
class WorkFolder:
    """The private side of a run: staged rows, quarantine, run state, full run records, logs,
    the operator catalog and the lock. Never published, never inside the warehouse."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @property
    def lock_file(self) -> Path:
        return self.root / ".lock"

    @property
    def logs(self) -> Path:
        """Tracebacks of unexpected errors, one file each (the user sees a paragraph)."""
        return self.root / "logs"

    @property
    def runs(self) -> Path:
        """The full record of each run (the warehouse's runs/ holds its public summary)."""
        return self.root / "runs"

    @property
    def operator_catalog(self) -> Path:
        return self.root / OPERATOR_CATALOG_FILE

    def staging(self, source: str, period: str) -> Path:
        return self.root / "staging" / source / period

    def accepted_rows(self, source: str, period: str, sha256: str) -> Path:
        """The validated rows of one delivery, by its sha256: a later delivery of the period
        (even a refused one) never overwrites the rows a published quarter was made from."""
        return self.staging(source, period) / sha256 / "accepted.parquet"

    def staged(self, source: str, period: str, sha256: str, summary: str | None) -> Path:
        """What one delivery is staged as: its validated rows, or for a source staged as a
        summary (the registers, schemas/staged.py) that summary, beside where its rows
        would be."""
        rows = self.accepted_rows(source, period, sha256)
        return rows if summary is None else rows.with_name(f"{summary}.parquet")

    @property
    def quarantined(self) -> Path:
        return self.root / "quarantine"

    def quarantine(self, source: str, period: str) -> Path:
        return self.quarantined / source / period

    def quarantined_rows(self, source: str, period: str, sha256: str) -> Path:
        """Every rejected row of one delivery with its reasons (a `*` matches any): kept per
        delivery, so a later refused revision never replaces an earlier delivery's record."""
        return self.quarantine(source, period) / sha256 / "rows.parquet"

    def state_file(self, quarter_label: str) -> Path:
        return self.root / "state" / f"{quarter_label}.json"

    @property
    def input_hashes(self) -> Path:
        """Remembered sha256 of raw input files (kraptemeter.warehouse.hashes)."""
        return self.root / "state" / "input_sha256.json"


def folders(settings: Settings) -> tuple[Warehouse, WorkFolder]:
    """The run's public warehouse and its private work folder."""
    return Warehouse(settings.warehouse), WorkFolder(settings.work)


def current_layout(relative: Path) -> Path:
    """A published file's path relative to a version, in today's layout: versions written
    before it named partition folders `period=<p>`."""
    mart, folder, *rest = relative.parts
    return Path(mart, folder.removeprefix("period="), *rest)
