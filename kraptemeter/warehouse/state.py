"""Re-run state: per published quarter, the fingerprint of what made it and its partitions.

Written to <warehouse>/state/<quarter>.json after a successful publish; a quarter whose
fingerprint is unchanged and whose partitions are all still published is not redone.
"""

from __future__ import annotations

import json

from kraptemeter.warehouse.layout import PIPELINE_FILE, Warehouse


def is_current(house: Warehouse, quarter_label: str, fingerprint: str) -> bool:
    state = house.state_file(quarter_label)
    if not state.is_file():
        return False
    recorded = json.loads(state.read_text())
    published = all((house.marts / p).is_file() for p in recorded["partitions"])
    return recorded["fingerprint"] == fingerprint and published


def remember(house: Warehouse, quarter_label: str, fingerprint: str) -> None:
    partitions = sorted(
        str(p.relative_to(house.marts))
        for p in house.marts.glob(f"*/period={quarter_label}/{PIPELINE_FILE}")
    )
    state = house.state_file(quarter_label)
    state.parent.mkdir(parents=True, exist_ok=True)
    building = state.with_name(f".{state.name}.building")
    building.write_text(json.dumps({"fingerprint": fingerprint, "partitions": partitions}))
    building.replace(state)
