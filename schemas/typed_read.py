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

from pathlib import Path

import numpy as np
import pandera.pandas as pa
import pyarrow
import pyarrow.csv as pcsv

from schemas.compiler import compile_schema, ident, literal, raw_ident, sql_columns
from schemas.ingest import DELIMITER

ARROW_TYPES = {
    "BIGINT": pyarrow.int64(),
    "DOUBLE": pyarrow.float64(),
    "DATE": pyarrow.date32(),
    "VARCHAR": pyarrow.string(),
}
BLOCK = 1 << 24  # 16 MiB: fewer, larger batches for the reader's threads and the query

_TAB, _QUOTE, _ZERO, _SEMICOLON, _LF, _CR = 9, 34, 48, 59, 10, 13


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


def doubtful_bytes(path: Path) -> bool:
    """True when the file's body holds a byte pattern the typed reader reads more loosely
    than the text pass: a tab, `0x`/`0X`, or a quote inside a value (neither side a
    delimiter or a line end). Valid deliveries hold none of these."""
    with path.open("rb") as handle:
        handle.readline()  # the header was checked by ingest
        previous = b"\n"  # the body starts at a line start
        for block in iter(lambda: handle.read(BLOCK), b""):
            if _doubtful(previous + block):
                return True
            previous = block[-2:]
        return _doubtful(previous + b"\n")  # the file ends at a line end


# The bytes that end a value on either side of a quote: a delimiter or a line end.
_INSIDE_A_VALUE = np.ones(256, dtype=bool)
_INSIDE_A_VALUE[[_SEMICOLON, _LF, _CR]] = False


def _doubtful(buffer: bytes) -> bool:
    data = np.frombuffer(buffer, np.uint8)
    if (data == _TAB).any():
        return True
    if ((data[:-1] == _ZERO) & ((data[1:] | 32) == ord("x"))).any():
        return True
    inside = _INSIDE_A_VALUE[data]
    return bool(((data[1:-1] == _QUOTE) & inside[:-2] & inside[2:]).any())


def checked_rows_sql(schema: pa.DataFrameSchema, rules: str, separator: str) -> str:
    """The typed columns of `typed_rows` (the reader's stream) and `_doubt`: true when a row
    broke a rule or a guard. Text goes through the text pass's own trim and recode."""
    trimmed, typed, guards = [], [], []
    for name, column in schema.columns.items():
        single = compile_schema(pa.DataFrameSchema({name: column}))
        if column_type(column) == "VARCHAR":
            trimmed.append(single.trimmed)
            typed.append(single.typed)
            if not _closed_set(column):
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
