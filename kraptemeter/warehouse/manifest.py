"""The run manifest: what a run read, wrote and concluded (the catalog's `runs` and `lineage`)."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kraptemeter import __version__
from kraptemeter.warehouse import catalog
from kraptemeter.warehouse.layout import Warehouse


@dataclass
class SourceReport:
    source: str
    period: str
    file: str
    sha256: str
    size_bytes: int
    rows_read: int
    rows_accepted: int
    rows_quarantined: int
    rules: dict[str, int] = field(default_factory=dict)


@dataclass
class RunLog:
    """What a run did, for its manifest."""

    reports: list[SourceReport] = field(default_factory=list)
    partitions: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    cbs_tables: list[dict] = field(default_factory=list)  # landed CBS files the run read
    # EBB deliveries of earlier quarters a quarter's rolling figures rest on (`used_by`)
    window_inputs: list[dict] = field(default_factory=list)

    def published(self, house: Warehouse, targets: list[Path]) -> None:
        self.partitions += [str(t.relative_to(house.marts)) for t in targets]


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def finish_run(
    house: Warehouse,
    run_id: str,
    quarters: list[str],
    log: RunLog,
    started: datetime,
    code_fingerprint: str,
    outcome: str,
    message: str = "",
) -> Path:
    """Write the run's manifest (inputs with hashes, row counts, partitions, outcome) and
    refresh the catalog so `runs` and `lineage` show it."""
    folder = house.runs
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{run_id}.json"
    building = path.with_name(f".{path.name}.building")
    building.write_text(
        json.dumps(
            {
                "run_id": run_id,
                "code_version": __version__,
                "code_fingerprint": code_fingerprint,
                "quarters": quarters,
                "started": started.isoformat(),
                "ended": datetime.now(UTC).isoformat(),
                "outcome": outcome,
                "message": message,
                "skipped_quarters": log.skipped,
                "sources": [asdict(report) for report in log.reports],
                "partitions": log.partitions,
                "cbs_tables": log.cbs_tables,
                "window_inputs": log.window_inputs,
            },
            indent=2,
        )
    )
    building.replace(path)  # the runs view never reads a half-written manifest
    catalog.refresh(house)
    return path


def markdown_summary(record: dict) -> str:
    """A run's manifest as Markdown tables (the Prefect flow run's artifact): each quarter
    published, skipped or not reached, the partitions written, and every file read with
    its rows read and quarantined and the rules they broke."""
    partitions = record.get("partitions", [])
    skipped = set(record.get("skipped_quarters", []))
    lines = [
        f"**Run {record['run_id']}: {record['outcome']}**",
        "",
        "| quarter | done | partitions |",
        "|---|---|---|",
    ]
    for quarter in record.get("quarters", []):
        # the quarter's partitions and those of its year (annual figures)
        written = {p for p in partitions if p.split("/")[1:2] in ([quarter], [quarter[:4]])}
        if quarter in skipped:
            written = set()
            done = "skipped (inputs and code unchanged)"
        elif written:
            done = "published"
        else:
            done = "not published"
        lines.append(f"| {quarter} | {done} | {len(written)} |")
    cbs = [p for p in partitions if p.endswith("/cbs.parquet")]
    if cbs:
        lines.append(f"| CBS tables | published | {len(cbs)} |")
    sources = {(s["source"], s["period"], s["sha256"]): s for s in record.get("sources", [])}
    if sources:
        lines += [
            "",
            "| source | period | file | rows read | quarantined | rules broken |",
            "|---|---|---|---|---|---|",
        ]
        for s in sources.values():
            rules = ", ".join(f"{rule} ({n:,})" for rule, n in sorted(s["rules"].items()))
            lines.append(
                f"| {s['source']} | {s['period']} | {_cell(Path(s['file']).name)} | "
                f"{s['rows_read']:,} | {s['rows_quarantined']:,} | {_cell(rules) or '-'} |"
            )
    if record.get("message"):
        lines += ["", _cell(record["message"])]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text for a Markdown table cell: pipes escaped, on one line."""
    return " ".join(str(text).replace("|", "\\|").split())
