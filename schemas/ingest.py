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
import re
from dataclasses import dataclass
from pathlib import Path

from kraptemeter.core.errors import InputError

DELIMITER = ";"
HEADER_LIMIT = 1 << 16  # a header longer than this is not one of ours


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
    """sha256 of the file, checking on the way that it is UTF-8 throughout and that its lines
    end one way.

    The CSV reader would pass invalid bytes through into the marts; a Latin-1 re-export
    stops here with the line of the first bad byte instead. The reader also needs one kind of
    line ending: a lone CR (old Mac) or LF and CRLF mixed (files pasted together) stop here,
    naming the line, rather than as a parser error.
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    endings = LineEndings()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            endings.count(block)
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
    endings.check(path)
    return digest.hexdigest()


class LineEndings:
    """Lone CRs, bare LFs and CRLFs of a file read in blocks (a CRLF may span two blocks).

    Most files have no CR at all: such a block costs one memchr, not three counts."""

    def __init__(self) -> None:
        self.lone_cr = self.bare_lf = self.crlf = 0
        self._ends_in_cr = False

    def count(self, block: bytes) -> None:
        if not self._ends_in_cr and b"\r" not in block:
            self.bare_lf += b"\n" in block  # a bool will do: only whether there are any
            return
        crlf = block.count(b"\r\n")
        self.lone_cr += block.count(b"\r") - crlf
        self.bare_lf += block.count(b"\n") - crlf
        self.crlf += crlf
        if self._ends_in_cr and block.startswith(b"\n"):  # one CRLF, not a CR and an LF
            self.lone_cr -= 1
            self.bare_lf -= 1
            self.crlf += 1
        self._ends_in_cr = block.endswith(b"\r")

    def check(self, path: Path) -> None:
        if self.lone_cr:
            line = _line_at(path, _first(path, re.compile(rb"\r(?!\n)")))
            raise InputError(
                f"{path}, line {line}: the line ends with a lone CR (old Mac line ending); "
                "re-export the file with LF or CRLF line endings"
            )
        if self.crlf and self.bare_lf:
            # the first line sets the file's ending; name the first line that differs
            first_is_crlf = (
                _first(path, re.compile(rb"\n")) == _first(path, re.compile(rb"\r\n")) + 1
            )
            other = re.compile(rb"(?<!\r)\n" if first_is_crlf else rb"\r\n")
            line = _line_at(path, _first(path, other))
            raise InputError(
                f"{path}, line {line}: line endings are mixed (LF and CRLF; files pasted "
                "together?); re-export the file with one kind of line ending"
            )


def _first(path: Path, pattern: re.Pattern) -> int:
    """Byte position of the first match of a (one- or two-byte) pattern; -1 when none.
    Read only when there is an error to name."""
    offset, tail = 0, b""
    with path.open("rb") as handle:
        block = handle.read(1 << 20)
        while block:
            following = handle.read(1 << 20)
            # the previous block's last byte is kept: a match (or a lookaround) may span the
            # boundary; a match at the very end waits for the next block to be sure
            buffer = tail + block
            for match in pattern.finditer(buffer):
                if match.end() < len(buffer) or not following:
                    return offset - len(tail) + match.start()
            offset, tail, block = offset + len(block), block[-1:], following
    return -1


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
    with path.open("rb") as handle:
        first_line = handle.readline(HEADER_LIMIT + 1)
        rest = handle.read(1 << 16)
    first_line = first_line.removeprefix(codecs.BOM_UTF8)
    if not first_line.strip():
        if not rest.strip():
            raise InputError(f"{path}: file is empty (expected a header line)")
        raise InputError(f"{path}, line 1: the line is blank; the header must be the first line")
    if len(first_line) > HEADER_LIMIT:
        raise InputError(
            f"{path}, line 1 (header): longer than {HEADER_LIMIT // 1024} KiB without a line "
            "end; is this a delivery of this source, with LF or CRLF line endings?"
        )
    if b"\r" in first_line.rstrip(b"\r\n"):
        raise InputError(
            f"{path}, line 1: the line ends with a lone CR (old Mac line ending); "
            "re-export the file with LF or CRLF line endings"
        )
    try:
        text = first_line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}, line 1: header is not UTF-8 ({error.reason} at byte {error.start}); "
            "re-export the file as UTF-8"
        ) from None
    return [name.strip() for name in next(csv.reader([text.rstrip("\r\n")], delimiter=DELIMITER))]


def _shown(name: str) -> str:
    """A column name as a message shows it: an empty one named, a huge one cut short."""
    if not name:
        return "(unnamed: a ';' too many?)"
    return name if len(name) <= 60 else f"{name[:40]}… ({len(name)} characters)"


def check_header(path: Path, expected: list[str], elsewhere: str = "") -> list[str]:
    """The file's columns, in its order, when they are exactly the expected ones. `elsewhere`
    closes the message of a wrong header (where a delivery of another shape belongs)."""
    header = read_header(path)
    missing = [name for name in expected if name not in header]
    extra = [name for name in header if name not in expected]
    if missing or extra or len(set(header)) != len(header):
        problems = []
        if missing:
            problems.append(f"missing column(s) {', '.join(missing)}")
        if extra:
            shown = [_shown(name) for name in extra[:10]]
            more = f" and {len(extra) - 10} more" if len(extra) > 10 else ""
            problems.append(f"unexpected column(s) {', '.join(shown)}{more}")
        if len(set(header)) != len(header):
            problems.append("duplicate column names")
        hint = " (is ';' the delimiter?)" if len(header) == 1 and len(expected) > 1 else ""
        raise InputError(
            f"{path}, line 1 (header): {'; '.join(problems)}{hint}. "
            f"Expected columns: {', '.join(expected)}{elsewhere}"
        )
    return header


def ingest_csv(raw_file: Path, columns: list[str], elsewhere: str = "") -> Ingested:
    header = check_header(raw_file, columns, elsewhere)
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
