"""What a run did, in a few lines for the engineer on call: per quarter published, skipped or
failed; per delivery rows read, accepted and quarantined with the rules most broken, and where
the quarantined rows are. Rejected rows are always reported, whether or not they stopped the
run (that is --max-reject-share's call)."""

from __future__ import annotations

from kraptemeter.warehouse.layout import WorkFolder
from kraptemeter.warehouse.manifest import RunLog

TOP_RULES = 3


def summary_lines(log: RunLog, work: WorkFolder, quarters: list[str]) -> list[str]:
    lines = ["Summary:"]
    for label in quarters:
        lines.append(f"  {label}  {log.outcomes.get(label, 'not reached')}")
    if log.cbs_outcome:
        lines.append(f"  CBS tables  {log.cbs_outcome}")
    # a yearly delivery serves every quarter of its year: listed once
    deliveries = list({(r.source, r.period, r.sha256): r for r in log.reports}.values())
    if deliveries:
        lines.append(f"  {'delivery':<34} {'read':>11} {'accepted':>11} {'quarantined':>11}")
    for report in deliveries:
        name = f"{report.source} {report.period}"
        line = (
            f"  {name:<34} {report.rows_read:>11,} {report.rows_accepted:>11,} "
            f"{report.rows_quarantined:>11,}"
        )
        if report.rows_quarantined:
            top = sorted(report.rules.items(), key=lambda rule: (-rule[1], rule[0]))[:TOP_RULES]
            line += "  " + "; ".join(f"{rule} ({count:,})" for rule, count in top)
        lines.append(line)
    quarantined = [r for r in deliveries if r.rows_quarantined]
    if quarantined:
        total = sum(r.rows_quarantined for r in quarantined)
        folders = sorted(
            {str(work.quarantined_rows(r.source, r.period, r.sha256)) for r in quarantined}
        )
        lines.append(f"  {total:,} row(s) quarantined, each with its reasons, in:")
        lines += [f"    {folder}" for folder in folders]
    return lines
