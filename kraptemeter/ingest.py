"""Ingest: read one raw CSV as delivered into staging Parquet, every field still text.

Reading everything as text keeps a malformed value (text in a number column, a 31 February)
as a row for validation to quarantine with its reason, instead of failing the whole file.
Lines the CSV reader cannot split (too many or too few fields, bad encoding) are kept too,
with the reader's error, and go to quarantine.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from kraptemeter.errors import InputError

DELIMITER = ";"


@dataclass(frozen=True)
class Ingested:
    raw_file: Path
    sha256: str
    size_bytes: int
    rows_path: Path  # all-text rows with their line number `_line`
    rejects_path: Path  # lines the CSV reader could not split, with its error
    rows_read: int  # data lines in the file = parsed rows + rejected lines


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
    lines_before = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                line = lines_before + block[: error.start].count(b"\n") + 1
                raise InputError(
                    f"{path}, line {line}: not UTF-8 (byte 0x{block[error.start]:02x}); "
                    "re-export the file as UTF-8 (is it Latin-1 / Windows-1252?)"
                ) from None
            lines_before += block.count(b"\n")
    return digest.hexdigest()


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


def check_header(path: Path, expected: list[str]) -> None:
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


def ingest_csv(
    con: duckdb.DuckDBPyConnection, raw_file: Path, columns: list[str], out_dir: Path
) -> Ingested:
    check_header(raw_file, columns)
    sha256 = fingerprint_utf8(raw_file)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows_path, rejects_path = out_dir / "ingested.parquet", out_dir / "csv_rejects.parquet"
    column_types = {name: "VARCHAR" for name in columns}
    con.execute(
        """
        create or replace temp table parsed as
        select row_number() over () as _data_row, *
        from read_csv(
            $path, delim = ';', quote = '"', escape = '"', header = true,
            columns = $columns, auto_detect = false, strict_mode = true,
            ignore_errors = true, store_rejects = true,
            rejects_table = 'csv_rejects', rejects_scan = 'csv_reject_scans'
        )
        """,
        {"path": str(raw_file), "columns": column_types},
    )
    con.execute(
        """
        create or replace temp table rejected as
        select distinct on (line) line as _line, error_type, error_message, csv_line
        from csv_rejects order by line
        """
    )
    # The reader skips rejected lines, so a parsed row's line number is its position among
    # the lines that were not rejected (+1 for the header).
    if con.execute("select count(*) from rejected").fetchall()[0][0] == 0:
        line_of_row = "p._data_row + 1 as _line"
        join, order = "", ""  # insertion order is file order already
    else:
        con.execute(
            """
            create or replace temp table line_numbers as
            with all_lines as (
                select range + 2 as _line
                from range((select count(*) from parsed) + (select count(*) from rejected))
            )
            select row_number() over (order by _line) as _data_row, _line
            from all_lines anti join rejected using (_line)
            """
        )
        line_of_row, join = "l._line", "join line_numbers l using (_data_row)"
        order = "order by _line"
    con.execute(
        f"""copy (
            select {line_of_row}, p.* exclude (_data_row) from parsed p {join} {order}
        ) to '{_sql_path(rows_path)}' (format parquet)"""
    )
    con.execute(f"copy rejected to '{_sql_path(rejects_path)}' (format parquet)")
    counts = con.execute(
        "select (select count(*) from parsed) + (select count(*) from rejected)"
    ).fetchall()
    for table in ("parsed", "rejected", "line_numbers", "csv_rejects", "csv_reject_scans"):
        con.execute(f"drop table if exists {table}")
    if counts[0][0] == 0:
        raise InputError(f"{raw_file}: header only, no data rows")
    return Ingested(
        raw_file=raw_file,
        sha256=sha256,
        size_bytes=raw_file.stat().st_size,
        rows_path=rows_path,
        rejects_path=rejects_path,
        rows_read=int(counts[0][0]),
    )


def _sql_path(path: Path) -> str:
    """COPY TO takes no bind parameter; paths we build ourselves are quoted, never raw input."""
    return str(path).replace("'", "''")
