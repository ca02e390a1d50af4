"""Publishing: the one place that knows where marts live and how they replace older versions.

Layout: <warehouse>/marts/<mart>/period=<period>/data.parquet (Hive-style, one file per mart
and period). A partition is replaced by renaming a finished file over the old one, which is
atomic on a POSIX filesystem: a reader sees the old file or the new one, never a partial one.
"""

from __future__ import annotations

import os
from pathlib import Path

MARTS_DIR = "marts"


def partition_file(warehouse: Path, mart: str, period: str) -> Path:
    return warehouse / MARTS_DIR / mart / f"period={period}" / "data.parquet"


def publish_candidates(warehouse: Path, candidates: dict[tuple[str, str], Path]) -> list[Path]:
    """Move finished candidate files into their partitions; returns the partitions written."""
    published = []
    for (mart, period), candidate in sorted(candidates.items()):
        target = partition_file(warehouse, mart, period)
        target.parent.mkdir(parents=True, exist_ok=True)
        with candidate.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(candidate, target)
        published.append(target)
    return published


def published_marts(warehouse: Path) -> list[str]:
    root = warehouse / MARTS_DIR
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if any(p.glob("period=*/data.parquet")))


def existing_partitions(warehouse: Path, mart: str, periods: list[str]) -> list[Path]:
    paths = [partition_file(warehouse, mart, period) for period in periods]
    return [path for path in paths if path.is_file()]
