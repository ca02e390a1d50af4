"""Fingerprints: what a quarter's figures were made from, so an unchanged quarter is not redone.

The code part is derived, not listed: every file in the layers that shape a figure — the
ground floor (periods, reference data, settings), the inputs (schemas, ingest, CBS readers)
and the models (transforms, SQL) — plus the run loop that picks a quarter's inputs.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kraptemeter import __version__
from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import Settings
from kraptemeter.warehouse.layout import Warehouse
from schemas import SOURCES
from schemas.ingest import sha256_of

ROOT = Path(__file__).resolve().parents[1]
# Packages (folders) and modules whose every file shapes a figure.
FIGURE_CODE = ("kraptemeter/core", "schemas", "transforms", "kraptemeter/run.py")


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )


def code_fingerprint() -> str:
    """Hash of every file that decides a figure (names relative to the project root).
    Read afresh at each call (a few milliseconds), so an edit is never missed."""
    root = ROOT
    digest = hashlib.sha256(__version__.encode())
    for part in FIGURE_CODE:
        for path in _files(root / part):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def quarter_fingerprint(settings: Settings, quarter: Quarter) -> str:
    """Inputs of a quarter's marts: its files, the EBB of the rolling window, the published
    earlier indicators its changes compare with, the code and the settings."""
    files = [SOURCES[name].file_for(settings.raw, quarter) for name in SOURCES]
    files += [SOURCES["ebb"].file_for(settings.raw, q) for q in quarter.preceding(3)]
    house = Warehouse(settings.warehouse)
    files += house.existing_partitions("indicators", quarter.comparison_periods())
    parts = [code_fingerprint(), settings.figure_rules]
    parts += [f"{path.name}:{sha256_of(path)}" for path in files if path.is_file()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()
