"""`kraptemeter report`: one region's key-figure sheet as a self-contained HTML page (the
same sheet the site shows, without its links)."""

from __future__ import annotations

import re
from pathlib import Path

from kraptemeter.core.errors import InputError
from kraptemeter.core.periods import Quarter
from kraptemeter.site import render_sheet

REGION = re.compile(r"^(NL01|PV\d{2}|CR\d{2}|AM\d{2}|GM\d{4})$")


def build_report(warehouse: Path, region: str, quarter: Quarter) -> str:
    if not REGION.match(region or ""):
        raise InputError(f"not a region code: {region!r} (e.g. PV26, AM13, GM0344, NL01)")
    return render_sheet(warehouse, region, quarter)
