"""The optimistic clean pass: a delivery read by a strict typed reader, checked in one query.

pyarrow's CSV reader with explicit column types rejects what the text pass rejects (`1.5`,
`1e2`, `1_000`, `nan` and `2024-02-30` as an integer or a date, 2^63, full-width digits), with
three gaps, each closed by a guard (tests/test_strictness.py probes them value by value):

- `0x10` is read as the integer 16, and a tab around a number or a date is skipped: a byte
  scan of the file's body for a tab or `0x`/`0X` anywhere sends it to the exact pass;
- `nan` and `inf` are read as floats: a float that is not finite is a doubt;
- the reader's quoting is looser than DuckDB's (`"a"b` is read as `ab`, ` "a"` keeps its
  quotes): a quote with neither a delimiter nor a line end on either side is a doubt (so is a
  value with a doubled quote inside), and so is a parsed text value that still holds a quote.

Text is trimmed and recoded by the same SQL as the text pass. Anything the reader cannot
convert, a guard hit or a broken rule all mean the same: the file is validated again by the
exact pass, which decides what is accepted and quarantined.
"""

from __future__ import annotations

import contextlib
import mmap
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb
import numpy as np
import pandera.pandas as pa
import pyarrow
import pyarrow.csv as pcsv

from schemas.compiler import (
    RULE_SEPARATOR,
    compile_schema,
    ident,
    literal,
    raw_ident,
    row_rules,
    sql_columns,
)
from schemas.ingest import DELIMITER
from schemas.proven_batches import (
    NotProven,
    ProvenBatches,
    Shape,
    provable_shapes,
    without_shape_checks,
)

ARROW_TYPES = {
    "BIGINT": pyarrow.int64(),
    "DOUBLE": pyarrow.float64(),
    "DATE": pyarrow.date32(),
    "VARCHAR": pyarrow.string(),
}
T = TypeVar("T")
BLOCK = 1 << 24  # 16 MiB: fewer, larger batches for the reader's threads and the query

_QUOTE, _ZERO, _SEMICOLON, _LF, _CR = 34, 48, 59, 10, 13


def mapped(path: Path) -> mmap.mmap | bytes:
    """The file's bytes, mapped: read from the OS cache without a copy (reading the file a
    second time for the guards cost ~1 s of system time per 10M rows). Unmapped when the
    last reference goes."""
    with path.open("rb") as handle:
        if path.stat().st_size == 0:
            return b""  # an empty file cannot be mapped
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def typed_reader(path: Path, schema: pa.DataFrameSchema, columns: tuple[str, ...]):
    """Batches of the file's rows with the schema's types; raises pyarrow.ArrowInvalid on the
    first value or line it cannot read (possibly only while streaming)."""
    types = {name: ARROW_TYPES[sql_type] for name, sql_type in sql_columns(schema)}
    return pcsv.open_csv(
        path,
        read_options=pcsv.ReadOptions(column_names=list(columns), skip_rows=1, block_size=BLOCK),
        parse_options=pcsv.ParseOptions(
            delimiter=DELIMITER,
            quote_char='"',
            double_quote=True,
            escape_char=False,
            newlines_in_values=True,  # a quoted value may hold a line end, as DuckDB reads it
            ignore_empty_lines=True,  # DuckDB skips blank lines too
        ),
        convert_options=pcsv.ConvertOptions(
            column_types=types,
            null_values=[""],  # not pyarrow's default list: 'NA' or 'null' is text here
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )


def doubtful_bytes(source: Path | bytes) -> bool:
    """True when the file's body holds a byte pattern the typed reader reads more loosely
    than the text pass: a tab, `0x`/`0X`, or a quote inside a value (neither side a
    delimiter or a line end). Valid deliveries hold none of these.

    The file is mapped, not read: no copy of it is made. Block by block: a tab, and an `x`
    for `0x`, are looked for with memchr, then numpy looks at the quotes, each block with one
    byte of its neighbours so a pattern across two blocks is seen; a scanned block's pages
    are let go, so the map never holds more than a block (a 100M-row register is ~2.6 GB)."""
    body = mapped(source) if isinstance(source, Path) else source
    start = body.find(b"\n") + 1  # the header was checked by ingest
    if start == 0:  # a header and no rows
        return False
    data = np.frombuffer(body, np.uint8)
    released = 0
    for block_start in range(start, len(data), BLOCK):
        block_end = min(block_start + BLOCK, len(data))
        if body.find(b"\t", block_start, block_end) >= 0:
            return True
        # data[block_start - 1] is a line end or the byte before: the body starts at a line
        # start; the file's last byte has no right neighbour, as if followed by a line end.
        block = data[block_start - 1 : block_end + 1]
        maybe_hex = any(body.find(x, block_start, block_end + 1) >= 0 for x in (b"x", b"X"))
        if maybe_hex and ((block[:-1] == _ZERO) & ((block[1:] | 32) == ord("x"))).any():
            return True
        ends = (block == _SEMICOLON) | (block == _LF) | (block == _CR)
        quotes, end_beside = block[1:-1] == _QUOTE, ends[:-2] | ends[2:]
        if (quotes > end_beside).any():  # a quote (True) with no end on either side (False)
            return True
        if isinstance(body, mmap.mmap):  # the pages before the next block's first byte
            upto = (block_end - 1) // mmap.PAGESIZE * mmap.PAGESIZE
            body.madvise(mmap.MADV_DONTNEED, released, upto - released)
            released = upto
    return False


def over_typed_rows(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    schema: pa.DataFrameSchema,
    columns: tuple[str, ...],
    run: Callable[[str], T],
) -> T | None:
    """`run(sql)` with `sql` the checked rows (checked_rows_sql) of the file's typed rows,
    which are registered as `typed_rows`; None when the reader or the query met a doubt.

    First with the text proven on the batches (schemas/proven_batches.py): no `trim`, no
    regex for a shape the batches hold. Text that `trim` would change is read once more with
    `trim` and every regex, as the text pass reads it."""
    for proving in (True, False):
        shapes, proven = (provable_shapes(schema) if proving else None), None
        try:
            reader = typed_reader(path, schema, columns)  # reads the first block already
            if proving:
                text = [name for name, sql_type in sql_columns(schema) if sql_type == "VARCHAR"]
                proven = ProvenBatches(reader, text, shapes)
                reader = proven.reader
            con.register("typed_rows", reader)
            return run(checked_rows_sql(schema, row_rules(schema), RULE_SEPARATOR, shapes))
        except (pyarrow.ArrowException, duckdb.Error, NotProven):
            if proven is None or not proven.padded:
                return None
        finally:
            with contextlib.suppress(duckdb.Error):
                con.unregister("typed_rows")
    return None


def checked_rows_sql(
    schema: pa.DataFrameSchema,
    rules: str,
    separator: str,
    proven: dict[str, Shape] | None = None,
) -> str:
    """The typed columns of `typed_rows` (the reader's stream) and `_failed`: true when a row
    broke a rule or a guard. Text goes through the text pass's own trim and recode.

    With `proven` (ProvenBatches checked the stream): every text value is one `trim` keeps
    and not empty, so nullif(trim(x), '') is x and is left out, and the shapes in `proven`
    hold, so their regexes are left out (a shape without a quote also proves no quote)."""
    if proven is not None:
        schema = without_shape_checks(schema, proven)
    trimmed, typed, guards = [], [], []
    for name, column in schema.columns.items():
        single = compile_schema(pa.DataFrameSchema({name: column}))
        if column_type(column) == "VARCHAR":
            as_read = f"{ident(name)} as {raw_ident(name)}"
            trimmed.append(single.trimmed if proven is None else as_read)
            typed.append(single.typed)
            quote_free = proven is not None and name in proven and not proven[name].allowed[34]
            if not _closed_set(column) and not quote_free:
                guards.append(
                    f"case when contains({raw_ident(name)}, '\"') then 'quote in a value' end"
                )
        else:  # typed by the reader; NULL only where the field was empty
            trimmed.append(f"{ident(name)} as {raw_ident(name)}")
            typed.append(f"{raw_ident(name)} as {ident(name)}")
            if column_type(column) == "DOUBLE":
                label = literal(f"{name}: not finite")
                guards.append(f"case when not isfinite({ident(name)}) then {label} end")
    failures = compile_schema(schema).failures + guards
    return f"""
        with trimmed as (select {", ".join(trimmed)} from typed_rows),
        typed as (select *, {", ".join(typed)} from trimmed)
        select {", ".join(ident(c) for c in schema.columns)},
               concat_ws({separator}, {", ".join(failures)}, {rules}) <> '' as _failed
        from typed
    """


def column_type(column: pa.Column) -> str:
    (sql_type,) = (t for _, t in sql_columns(pa.DataFrameSchema({"c": column})))
    return sql_type


def _closed_set(column: pa.Column) -> bool:
    """The column's values are one of a list none of which holds a quote."""
    return any(
        check.name == "isin"
        and not any('"' in str(v) for v in (check.statistics or {})["allowed_values"])
        for check in column.checks
    )
