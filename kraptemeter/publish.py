"""Publishing: the one place that knows where marts live and how they replace older versions.

Layout: <warehouse>/marts/<mart>/period=<period>/<file>.parquet (Hive-style). A partition holds
`data.parquet` (figures computed from raw extracts) and/or `cbs.parquet` (figures from landed
CBS tables). A file is replaced by renaming a finished file over the old one, which is atomic
on a POSIX filesystem: a reader sees the old file or the new one, never a partial one.
"""

from __future__ import annotations

import filecmp
import os
from pathlib import Path

MARTS_DIR = "marts"


def partition_file(warehouse: Path, mart: str, period: str, name: str = "data.parquet") -> Path:
    return warehouse / MARTS_DIR / mart / f"period={period}" / name


def publish_candidates(warehouse: Path, candidates: dict[tuple[str, str], Path]) -> list[Path]:
    """Move finished candidate files into their partitions; returns the files written.

    A candidate identical to the published file is not moved, so an unchanged partition keeps
    its file (and its modification time) on a re-run.
    """
    published = []
    for (mart, period), candidate in sorted(candidates.items()):
        target = partition_file(warehouse, mart, period, candidate.name)
        if target.is_file() and filecmp.cmp(candidate, target, shallow=False):
            candidate.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with candidate.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(candidate, target)
        published.append(target)
    return published


def prune(warehouse: Path, name: str, keep: set[Path]) -> list[Path]:
    """Remove partition files called `name` that a full rebuild no longer produces."""
    removed = []
    for path in (warehouse / MARTS_DIR).glob(f"*/period=*/{name}"):
        if path not in keep:
            path.unlink()
            removed.append(path)
            if not any(path.parent.iterdir()):
                path.parent.rmdir()
    return removed


def published_marts(warehouse: Path) -> list[str]:
    root = warehouse / MARTS_DIR
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if any(p.glob("period=*/*.parquet")))


def existing_partitions(warehouse: Path, mart: str, periods: list[str]) -> list[Path]:
    paths = [partition_file(warehouse, mart, period) for period in periods]
    return [path for path in paths if path.is_file()]
