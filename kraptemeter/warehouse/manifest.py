"""The run manifest: what a run read, wrote and concluded (the catalog's `runs` and `lineage`).

Written twice: the full record, its message included, to the work folder (the operator
catalog's `runs`); and the public summary to the warehouse's runs/ (the catalog's `runs` and
`lineage`: input files with sha256 and size, row and rule counts, partitions, outcome). An
error's message can quote a delivery (a file without its header line shows its first row as
column names), so the summary of a failed run says only what kind of failure it was.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kraptemeter import __version__
from kraptemeter.warehouse import catalog, operator
from kraptemeter.warehouse.layout import Warehouse, WorkFolder


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
    outcomes: dict[str, str] = field(default_factory=dict)  # quarter -> what became of it
    cbs_outcome: str = ""

    cbs_tables: list[dict] = field(default_factory=list)  # landed CBS files the run read
    # EBB deliveries of earlier quarters a quarter's rolling figures rest on (`used_by`)
    window_inputs: list[dict] = field(default_factory=list)

    def published(self, house: Warehouse, targets: list[Path]) -> None:
        self.partitions += [str(t.relative_to(house.marts)) for t in targets]


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def finish_run(
    house: Warehouse,
    work: WorkFolder,
    run_id: str,
    quarters: list[str],
    log: RunLog,
    started: datetime,
    code_fingerprint: str,
    outcome: str,
    message: str = "",
    public_message: str = "",
) -> Path:
    """Write the run's record to the work folder (with `message`) and its public summary to
    the warehouse (with `public_message`), and refresh both catalogs so `runs` and `lineage`
    show it. Returns the public summary's path."""
    record = _record(run_id, quarters, log, started, code_fingerprint, outcome, message)
    _write(work.runs / f"{run_id}.json", record)
    path = _write(house.runs / f"{run_id}.json", public_summary(record, public_message))
    catalog.refresh(house)
    operator.refresh(work)
    return path


def public_summary(record: dict, public_message: str) -> dict:
    """The record without what may quote a delivery: the message, and the reader's own words
    after a CSV rule (`csv: TOO MANY COLUMNS (...)` counts as `csv: TOO MANY COLUMNS`)."""
    sources = []
    for source in record.get("sources") or []:
        rules: dict[str, int] = {}
        for rule, count in (source.get("rules") or {}).items():
            name = rule.split(" (", 1)[0] if rule.startswith("csv: ") else rule
            rules[name] = rules.get(name, 0) + count
        sources.append({**source, "rules": rules})
    return {**record, "message": public_message, "sources": sources}


def _write(path: Path, record: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(f".{path.name}.building")
    building.write_text(json.dumps(record, indent=2))
    building.replace(path)  # the runs view never reads a half-written manifest
    return path


def _record(
    run_id: str,
    quarters: list[str],
    log: RunLog,
    started: datetime,
    code_fingerprint: str,
    outcome: str,
    message: str,
) -> dict:
    return {
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
    }


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
