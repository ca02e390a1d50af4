"""Ingest: the file-level checks of one raw CSV as delivered (header, UTF-8, not empty) and
its fingerprint, plus the one way every stage reads it (READ_CSV).

READ_CSV reads every field as text: a malformed value (text in a number column, a 31
February) stays a row for validation to quarantine with its reason, instead of failing the
whole file. Lines the CSV reader cannot split (too many or too few fields) are kept too, with
the reader's error, and go to quarantine.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from kraptemeter.core.errors import InputError

DELIMITER = ";"


@dataclass(frozen=True)
class Ingested:
    """A delivery that passed the file-level checks (header, encoding), with its fingerprint.

    Rows are read once, by validation, straight from the file: a second copy of a 100M-row
    register as text would cost more than the checks themselves.
    """

    raw_file: Path
    sha256: str
    size_bytes: int
    columns: tuple[str, ...]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint_utf8(path: Path) -> str:
    """sha256 of the file, checking on the way that it is UTF-8 throughout.

    The CSV reader would pass invalid bytes through into the marts; a Latin-1 re-export
    stops here with the line of the first bad byte instead.
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            # ASCII is UTF-8: most blocks need no decoding (4x cheaper), unless a multi-byte
            # character began at the end of the previous block.
            if not block.isascii() or decoder.getstate()[0]:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as error:
                    raise InputError(
                        f"{path}, line {_line_at(path, offset + error.start)}: not UTF-8 "
                        f"(byte 0x{block[error.start]:02x}); re-export the file as UTF-8 "
                        "(is it Latin-1 / Windows-1252?)"
                    ) from None
            offset += len(block)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise InputError(
            f"{path}, line {_line_at(path, offset)}: not UTF-8 (the file ends inside a "
            "character); re-export the file as UTF-8"
        ) from None
    return digest.hexdigest()


def _line_at(path: Path, position: int) -> int:
    """The line (1-based) of a byte position; counted only when there is an error to name."""
    newlines = 0
    with path.open("rb") as handle:
        while position > 0:  # in blocks: the bad byte may lie gigabytes into the file
            block = handle.read(min(position, 1 << 20))
            newlines += block.count(b"\n")
            position -= len(block)
    return newlines + 1


def read_header(path: Path) -> list[str]:
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    with path.open("rb") as handle:
        first_line = handle.readline(1 << 16)
    if not first_line.strip():
        raise InputError(f"{path}: file is empty (expected a header line)")
    try:
        text = first_line.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}, line 1: header is not UTF-8 ({error.reason} at byte {error.start}); "
            "re-export the file as UTF-8"
        ) from None
    return [name.strip() for name in next(csv.reader([text], delimiter=DELIMITER))]


def check_header(path: Path, expected: list[str]) -> list[str]:
    """The file's columns, in its order, when they are exactly the expected ones."""
    header = read_header(path)
    missing = [name for name in expected if name not in header]
    extra = [name for name in header if name not in expected]
    if missing or extra or len(set(header)) != len(header):
        problems = []
        if missing:
            problems.append(f"missing column(s) {', '.join(missing)}")
        if extra:
            problems.append(f"unexpected column(s) {', '.join(extra)}")
        if len(set(header)) != len(header):
            problems.append("duplicate column names")
        hint = " (is ';' the delimiter?)" if len(header) == 1 and len(expected) > 1 else ""
        raise InputError(
            f"{path}, line 1 (header): {'; '.join(problems)}{hint}. "
            f"Expected columns: {', '.join(expected)}"
        )
    return header


def ingest_csv(raw_file: Path, columns: list[str]) -> Ingested:
    header = check_header(raw_file, columns)
    with raw_file.open("rb") as handle:
        head = handle.read(1 << 16)
    if not any(line.strip() for line in head.splitlines()[1:]) and len(head) < (1 << 16):
        raise InputError(f"{raw_file}: header only, no data rows")
    return Ingested(
        raw_file=raw_file,
        sha256=fingerprint_utf8(raw_file),
        size_bytes=raw_file.stat().st_size,
        columns=tuple(header),  # as delivered: the reader takes them by name
    )


# Every field is read as text, so that a malformed value (text in a number column, a
# 31 February) becomes a quarantined row with its reason rather than a failed file; lines the
# reader cannot split go to its rejects table, and from there to quarantine as well.
READ_CSV = """read_csv(
    $path, delim = ';', quote = '"', escape = '"', header = true, columns = $columns,
    auto_detect = false, strict_mode = true, ignore_errors = true, store_rejects = true,
    rejects_table = 'csv_rejects', rejects_scan = 'csv_reject_scans'
)"""
