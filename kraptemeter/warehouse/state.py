"""Re-run state: per published quarter, what made it — its fingerprint, its partitions with
their sha256 and the delivery (file and sha256) of each source it used.

Written atomically to <work folder>/state/<quarter>.json (private, like all run state) after
a successful publish. A quarter whose fingerprint is unchanged and whose partitions are all
still published, byte for byte, is not redone; a later quarter's rolling window reads the
deliveries recorded here, never whatever file lies
in raw/ now. A state file that cannot be read counts as absent: the quarter is redone.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from kraptemeter.warehouse.layout import PIPELINE_FILE, Warehouse, WorkFolder
from schemas.ingest import sha256_of


@dataclass(frozen=True)
class Delivery:
    """One source's file as a published quarter used it."""

    source: str
    period: str  # the file's period label: 2024Q2, or 2024 for a yearly source
    file: str  # relative to the raw folder, so a moved or copied project still finds it
    sha256: str


@dataclass(frozen=True)
class QuarterState:
    fingerprint: str
    partitions: dict[str, str | None]  # published file (relative to marts) -> its sha256
    deliveries: dict[str, Delivery]  # by source; empty for states written before they were


def read(work: WorkFolder, quarter_label: str) -> QuarterState | None:
    """The recorded state of a published quarter; None when there is none or it is damaged."""
    path = work.state_file(quarter_label)
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
        partitions = recorded["partitions"]
        if isinstance(partitions, list):  # written before checksums were recorded
            partitions = dict.fromkeys(partitions)
        return QuarterState(
            fingerprint=str(recorded["fingerprint"]),
            partitions={str(p): sha and str(sha) for p, sha in partitions.items()},
            deliveries={
                source: Delivery(**delivery)
                for source, delivery in recorded.get("deliveries", {}).items()
            },
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def is_current(house: Warehouse, work: WorkFolder, quarter_label: str, fingerprint: str) -> bool:
    """Nothing that made the quarter changed, and every file it published is still there
    and still the bytes it published (a damaged file is republished, never served)."""
    state = read(work, quarter_label)
    if state is None or state.fingerprint != fingerprint:
        return False
    return all(
        (house.marts / p).is_file() and (sha is None or sha256_of(house.marts / p) == sha)
        for p, sha in state.partitions.items()
    )


def remember(
    house: Warehouse,
    work: WorkFolder,
    quarter_label: str,
    fingerprint: str,
    deliveries: list[Delivery],
) -> None:
    partitions = {
        str(p.relative_to(house.marts)): sha256_of(p)
        for p in sorted(house.marts.glob(f"*/{quarter_label}/{PIPELINE_FILE}"))
    }
    state = work.state_file(quarter_label)
    state.parent.mkdir(parents=True, exist_ok=True)
    building = state.with_name(f".{state.name}.building")
    building.write_text(
        json.dumps(
            {
                "fingerprint": fingerprint,
                "partitions": partitions,
                "deliveries": {d.source: asdict(d) for d in deliveries},
            },
            indent=2,
        )
    )
    building.replace(state)
