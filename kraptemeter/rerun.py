"""Re-runs: a quarter whose inputs, code and settings are unchanged is not redone.

A quarter's fingerprint covers its input files (sha256), the EBB of its rolling window, the
published earlier indicators its changes compare with, the code and the settings; it is
stored in <warehouse>/state/<quarter>.json after a successful publish.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kraptemeter import __version__
from kraptemeter.ingest import sha256_of
from kraptemeter.periods import Quarter
from kraptemeter.publish import MARTS_DIR, existing_partitions
from schemas import SOURCES

if TYPE_CHECKING:
    from kraptemeter.pipeline import Settings


@cache
def code_fingerprint() -> str:
    """Hash of everything that decides a mart's content: SQL models, schemas, transforms."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(__version__.encode())
    for folder, pattern in (
        ("transforms", "**/*.sql"),
        ("transforms", "*.py"),
        ("schemas", "*.py"),
        ("kraptemeter", "reference/*.csv"),
    ):
        for path in sorted((root / folder).glob(pattern)):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def quarter_fingerprint(settings: Settings, quarter: Quarter) -> str:
    """Inputs of a quarter's marts: its files, the EBB of the rolling window, the published
    earlier indicators its changes compare with, the code and the settings."""
    files = [SOURCES[name].file_for(settings.raw, quarter) for name in SOURCES]
    files += [SOURCES["ebb"].file_for(settings.raw, q) for q in quarter.preceding(3)]
    files += existing_partitions(settings.warehouse, "indicators", quarter.comparison_periods())
    parts = [code_fingerprint(), repr(settings.survey), repr(settings.max_reject_share)]
    parts += [f"{path.name}:{sha256_of(path)}" for path in files if path.is_file()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _state_file(settings: Settings, quarter: Quarter) -> Path:
    return settings.warehouse / "state" / f"{quarter.label}.json"


def is_current(settings: Settings, quarter: Quarter, fingerprint: str) -> bool:
    state = _state_file(settings, quarter)
    if not state.is_file():
        return False
    recorded = json.loads(state.read_text())
    published = all((settings.warehouse / MARTS_DIR / p).is_file() for p in recorded["partitions"])
    return recorded["fingerprint"] == fingerprint and published


def remember(settings: Settings, quarter: Quarter, fingerprint: str) -> None:
    marts = settings.warehouse / MARTS_DIR
    partitions = sorted(
        str(p.relative_to(marts)) for p in marts.glob(f"*/period={quarter.label}/data.parquet")
    )
    state = _state_file(settings, quarter)
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(json.dumps({"fingerprint": fingerprint, "partitions": partitions}))
