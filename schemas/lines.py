"""The file line a quarantined row starts on.

DuckDB's CSV reader numbers its rejects by *logical* line (a record with a quoted newline
counts once, a blank line counts) and numbers nothing for the rows it parses. For the usual
file — no quotes, no blank lines — logical and physical lines are the same and validation
numbers rows by position. A file with quotes or blank lines is walked once more here, only when
it has rows to quarantine, so a quarantined row names the line an editor shows.
"""

from __future__ import annotations

import csv
import re
import sys
from array import array
from pathlib import Path

import pyarrow as pa

from schemas.ingest import DELIMITER

_SHIFTS_LINES = re.compile(rb'"|\n\r?\n')


def may_shift_lines(path: Path) -> bool:
    """True when the file has a quote or a blank line: its logical and physical lines may
    differ. A quick scan; the walk below costs more."""
    tail = b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            if _SHIFTS_LINES.search(tail + block):
                return True
            tail = block[-2:]
    return False


def logical_lines(path: Path) -> pa.Table:
    """One row per logical line the reader counts, header first: `logical` (1-based),
    `physical` (the file line it starts on) and `blank`.

    Python's csv module splits records the way DuckDB does for well-formed quoting; the caller
    checks the counts agree before trusting the numbers (an unterminated quote may be split
    differently), and otherwise keeps the reader's own numbers.
    """
    csv.field_size_limit(sys.maxsize)  # the 10 MB field a hostile file holds is a row, too
    physical, blank = array("q"), []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=DELIMITER, quotechar='"', doublequote=True)
        previous = 0
        for record in reader:
            physical.append(previous + 1)
            blank.append(not record)
            previous = reader.line_num
    return pa.table(
        {
            "logical": pa.array(range(1, len(physical) + 1), pa.int64()),
            "physical": pa.array(physical, pa.int64()),
            "blank": pa.array(blank, pa.bool_()),
        }
    )
