"""A warehouse written before public and private were apart held staged rows, quarantine,
run state and logs inside it, and run summaries with their full messages. The next run moves
them to the work folder (saying so, folder by folder), keeps the full run records there and
takes the messages out of the published summaries, so no record-level data stays published.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from kraptemeter.warehouse.layout import Warehouse, WorkFolder
from kraptemeter.warehouse.manifest import public_summary

WITHHELD = "withheld from the published summary: see the operator catalog's runs"


def move_private_leftovers(house: Warehouse, work: WorkFolder) -> list[str]:
    """Move the private folders out of the warehouse into the work folder; returns what was
    done, one line each, for the run to say."""
    said = []
    for folder in house.private_leftovers():
        target = work.root / folder.name
        if folder.name == "staging":  # marts once built there: nothing private, rebuilt anyway
            shutil.rmtree(folder / "_candidates", ignore_errors=True)
        _merge(folder, target)
        said.append(
            f"{folder}: moved to {target} (record-level rows, run state and logs are private: "
            "they live in the work folder, never in the published warehouse)"
        )
    lock = house.root / ".lock"
    if lock.is_file():
        lock.unlink(missing_ok=True)  # the lock is the work folder's now
    withheld = _withhold_messages(house, work)
    if withheld:
        said.append(
            f"{house.runs}: the messages of {withheld} earlier run summaries were taken out "
            f"(they may quote a delivery); the full records are in {work.runs}"
        )
    return said


def _merge(source: Path, target: Path) -> None:
    """`source` into `target`: what the target lacks is moved in, what it has already (the
    same delivery, staged by its sha256, or a newer state) is dropped."""
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(source), str(target))
        return
    if source.is_dir() and target.is_dir():
        for child in sorted(source.iterdir()):
            _merge(child, target / child.name)
        shutil.rmtree(source, ignore_errors=True)
    elif source.is_dir():
        shutil.rmtree(source)
    else:
        source.unlink()


def _withhold_messages(house: Warehouse, work: WorkFolder) -> int:
    """Published run summaries written before the split carry their full message: the full
    record goes to the work folder, the summary keeps no message."""
    count = 0
    for path in sorted(house.runs.glob("*.json")):
        private = work.runs / path.name
        if private.exists():
            continue
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a damaged manifest: the catalog names it and leaves it out
        if not isinstance(record, dict):
            continue
        private.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, private)
        message = record.get("message") or ""
        summary = public_summary(record, WITHHELD if message else "")
        if summary != record:
            building = path.with_name(f".{path.name}.building")
            building.write_text(json.dumps(summary, indent=2))
            building.replace(path)
            count += bool(message)
    return count
