"""Fault-injection points for the kill tests (inert unless KRAPTEMETER_PAUSE_AT is set)."""

from __future__ import annotations

import os
import time
from pathlib import Path


def pause(point: str) -> None:
    """With KRAPTEMETER_PAUSE_AT=<point> the run says where it is (the file named by
    KRAPTEMETER_PAUSE_MARKER) and waits to be killed."""
    if os.environ.get("KRAPTEMETER_PAUSE_AT") == point:
        marker = os.environ.get("KRAPTEMETER_PAUSE_MARKER")
        if marker:
            Path(marker).write_text(point)
        time.sleep(600)
