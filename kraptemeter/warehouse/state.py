"""Re-run state: per published quarter, what made it — its fingerprint, its partitions and the
delivery (file and sha256) of each source it used.

Written atomically to <warehouse>/state/<quarter>.json after a successful publish. A quarter
whose fingerprint is unchanged and whose partitions are all still published is not redone; a
later quarter's rolling window reads the deliveries recorded here, never whatever file lies
in raw/ now. A state file that cannot be read counts as absent: the quarter is redone.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from kraptemeter.warehouse.layout import PIPELINE_FILE, Warehouse


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
    partitions: list[str]
    deliveries: dict[str, Delivery]  # by source; empty for states written before they were


def read(house: Warehouse, quarter_label: str) -> QuarterState | None:
    """The recorded state of a published quarter; None when there is none or it is damaged."""
    path = house.state_file(quarter_label)
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
        return QuarterState(
            fingerprint=str(recorded["fingerprint"]),
            partitions=[str(p) for p in recorded["partitions"]],
            deliveries={
                source: Delivery(**delivery)
                for source, delivery in recorded.get("deliveries", {}).items()
            },
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_current(house: Warehouse, quarter_label: str, fingerprint: str) -> bool:
    state = read(house, quarter_label)
    if state is None:
        return False
    published = all((house.marts / p).is_file() for p in state.partitions)
    return state.fingerprint == fingerprint and published


def remember(
    house: Warehouse, quarter_label: str, fingerprint: str, deliveries: list[Delivery]
) -> None:
    partitions = sorted(
        str(p.relative_to(house.marts))
        for p in house.marts.glob(f"*/period={quarter_label}/{PIPELINE_FILE}")
    )
    state = house.state_file(quarter_label)
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
