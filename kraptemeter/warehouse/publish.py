"""Publishing: the one place that knows where marts live and how a new set replaces the old.

Layout: <warehouse>/marts -> versions/<version>/ (a relative symlink), and inside a version
<mart>/<period>/<file>.parquet (`data.parquet` from raw extracts, `cbs.parquet` from CBS
tables; every file of a mart has the mart's one schema, see contract.py). Publishing builds
a new version next to the current one — unchanged files hard-linked, new files moved in —
and then swaps the symlink with one rename, which is atomic: a reader sees the previous marts
or the new ones, never a mix and never a partial file. A run killed at any point leaves the
symlink on the previous version; the half-built version is garbage that the next publish
removes.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import time
from pathlib import Path

import pyarrow as pa

from kraptemeter.core.faults import pause
from kraptemeter.core.settings import KEEP_VERSIONS
from kraptemeter.warehouse import contract
from kraptemeter.warehouse.layout import Warehouse, current_layout


def current_version(house: Warehouse) -> Path | None:
    marts = house.marts
    if marts.is_symlink():
        return (house.root / os.readlink(marts)).resolve()
    if marts.is_dir():  # a warehouse written before versions existed: adopt it as a version
        adopted = house.versions / "adopted"
        adopted.parent.mkdir(parents=True, exist_ok=True)
        marts.rename(adopted)
        _point_marts_at(house, adopted)
        return adopted.resolve()
    return None


def publish_version(
    house: Warehouse,
    candidates: dict[tuple[str, str], Path],
    file_name: str,
    replace_all: bool = False,
) -> tuple[list[Path], list[Path]]:
    """Publish candidates {(mart, period): file} as `file_name` of their partitions, in a
    new version; returns (files changed, files targeted).

    `replace_all`: published `file_name`s not among the candidates are dropped, for a source
    that is rebuilt whole each run (the CBS tables).
    A candidate identical to the published file keeps the published file (and its mtime).
    """
    old = current_version(house)
    new = house.versions / f"v{time.time_ns()}-{os.getpid()}"
    new.mkdir(parents=True)
    if old is not None:
        for path in old.rglob("*.parquet"):
            if replace_all and path.name == file_name:
                continue
            _carry_over(path, new / current_layout(path.relative_to(old)))
    changed, targets = [], []
    for index, ((mart, period), candidate) in enumerate(sorted(candidates.items())):
        contract.conform(mart, candidate)
        relative = house.partition(mart, period, file_name).relative_to(house.marts)
        target, previous = new / relative, old / relative if old else None
        targets.append(house.marts / relative)
        if index == len(candidates) // 2:
            pause("publish")  # fault-injection point: half the partitions are in place
        target.parent.mkdir(parents=True, exist_ok=True)
        if previous is not None and previous.is_file() and filecmp.cmp(candidate, previous, False):
            target.unlink(missing_ok=True)
            os.link(previous, target)
            candidate.unlink()
            continue
        with candidate.open("rb") as handle:
            os.fsync(handle.fileno())
        target.unlink(missing_ok=True)
        os.replace(candidate, target)
        changed.append(house.marts / relative)
    _point_marts_at(house, new)
    _collect_garbage(house, keep=new)
    return changed, targets


def _carry_over(path: Path, target: Path) -> None:
    """An unchanged published file into the new version: hard-linked, or — written before
    its mart's schema or layout were what they are now — conformed in a copy (the published
    file itself is never touched: readers may hold it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    mart = target.parent.parent.name
    try:
        as_it_is = mart not in contract.marts() or contract.conforms(mart, path)
    except pa.ArrowInvalid:  # a damaged file: the re-run of its quarter replaces it
        as_it_is = True
    if as_it_is:
        os.link(path, target)
        return
    shutil.copyfile(path, target)
    contract.conform(mart, target, fill_missing=True)


def install(built: Path, target: Path) -> Path:
    """Move a file built elsewhere (e.g. the regions reference) into place with one rename,
    so readers never see half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f".{target.name}.building")
    shutil.move(built, building)
    building.replace(target)
    return target


def _point_marts_at(house: Warehouse, version: Path) -> None:
    link = house.root / f".{house.marts.name}.{os.getpid()}.link"
    link.unlink(missing_ok=True)
    os.symlink(os.path.relpath(version, house.root), link)
    os.replace(link, house.marts)  # the atomic swap


def _collect_garbage(house: Warehouse, keep: Path) -> None:
    versions = sorted(house.versions.iterdir(), key=lambda p: p.stat().st_mtime_ns)
    for version in versions[:-KEEP_VERSIONS]:
        if version.resolve() != keep.resolve():
            shutil.rmtree(version, ignore_errors=True)
