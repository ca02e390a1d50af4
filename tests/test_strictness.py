"""How strict each reader is, probed value by value: the text pass (trim, shape, cast: what is
accepted), pyarrow's typed CSV reader (the optimistic pass's reader), the optimistic pass with
its guards, and DuckDB's own typed reader (why it is not used).

A verdict is the value read, or REJECTED. The optimistic pass may say DOUBT (the file goes to
the exact pass) but must never accept a value the text pass rejects or reads otherwise.
"""

from __future__ import annotations

import datetime as dt
import math

import pandera.pandas as pa
import pyarrow
import pytest

from kraptemeter.core.db import connect, read_path
from schemas.compiler import compile_schema
from schemas.typed_read import doubtful_bytes, typed_reader

REJECTED, DOUBT = "rejected", "doubt"
D = dt.date

# (type, delivered field, text pass, pyarrow, optimistic pass, DuckDB typed reader)
TABLE = [
    ("int64", "41", 41, 41, 41, 41),
    ("int64", "+41", 41, REJECTED, DOUBT, 41),
    ("int64", "041", 41, 41, 41, 41),
    ("int64", " 41 ", 41, 41, 41, 41),
    ("int64", "\t41", REJECTED, 41, DOUBT, 41),
    ("int64", "0x10", REJECTED, 16, DOUBT, 16),
    ("int64", "1.5", REJECTED, REJECTED, DOUBT, 2),
    ("int64", "1e2", REJECTED, REJECTED, DOUBT, 100),
    ("int64", "1_000", REJECTED, REJECTED, DOUBT, 1000),
    ("int64", "nan", REJECTED, REJECTED, DOUBT, REJECTED),
    ("int64", "inf", REJECTED, REJECTED, DOUBT, REJECTED),
    ("int64", "\uff14\uff11", REJECTED, REJECTED, DOUBT, REJECTED),  # full-width 41
    ("int64", "9223372036854775807", 2**63 - 1, 2**63 - 1, 2**63 - 1, 2**63 - 1),
    ("int64", "9223372036854775808", REJECTED, REJECTED, DOUBT, REJECTED),
    ("float64", "1.5", 1.5, 1.5, 1.5, 1.5),
    ("float64", "+1.5", 1.5, 1.5, 1.5, 1.5),
    ("float64", ".5", 0.5, 0.5, 0.5, 0.5),
    ("float64", "1e2", 100.0, 100.0, 100.0, 100.0),
    ("float64", "1,5", REJECTED, REJECTED, DOUBT, REJECTED),
    ("float64", "nan", REJECTED, math.nan, DOUBT, math.nan),
    ("float64", "inf", REJECTED, math.inf, DOUBT, math.inf),
    ("float64", "1e400", math.inf, math.inf, DOUBT, math.inf),
    ("float64", "\t1.5", REJECTED, 1.5, DOUBT, 1.5),
    ("date32", "2024-01-05", D(2024, 1, 5), D(2024, 1, 5), D(2024, 1, 5), D(2024, 1, 5)),
    ("date32", " 2024-01-05 ", D(2024, 1, 5), D(2024, 1, 5), D(2024, 1, 5), D(2024, 1, 5)),
    ("date32", "2024-1-5", REJECTED, REJECTED, DOUBT, D(2024, 1, 5)),
    ("date32", "2024-02-30", REJECTED, REJECTED, DOUBT, REJECTED),
    ("date32", "2024-01-05T00:00", REJECTED, REJECTED, DOUBT, D(2024, 1, 5)),
    ("date32", "inf", REJECTED, REJECTED, DOUBT, D(9999, 12, 31)),
    ("date32", "20240105", REJECTED, REJECTED, DOUBT, REJECTED),
    ("date32", "\t2024-01-05", REJECTED, D(2024, 1, 5), DOUBT, D(2024, 1, 5)),
]

PANDERA = {"int64": int, "float64": float, "date32": pa.Date}
DUCKDB = {"int64": "BIGINT", "float64": "DOUBLE", "date32": "DATE"}


def _csv(tmp_path, field: str):
    path = tmp_path / "probe.csv"
    path.write_bytes(f"x;y\n{field};1\n".encode())
    return path


def text_pass(kind: str, field: str):
    compiled = compile_schema(pa.DataFrameSchema({"x": pa.Column(PANDERA[kind])}))
    con = connect()
    (value,) = con.execute(
        f"select x from (select {compiled.typed} from (select {compiled.trimmed} "
        "from (select ?::varchar as x)))",
        [field],
    ).fetchall()[0]
    return REJECTED if value is None else value


def arrow(kind: str, path):
    schema = pa.DataFrameSchema({"x": pa.Column(PANDERA[kind]), "y": pa.Column(int)})
    try:
        table = typed_reader(path, schema, ("x", "y")).read_all()
    except pyarrow.ArrowInvalid:
        return REJECTED
    return table.column("x")[0].as_py()


def optimistic(kind: str, path):
    value = arrow(kind, path)
    finite = not isinstance(value, float) or math.isfinite(value)
    return DOUBT if value == REJECTED or doubtful_bytes(path) or not finite else value


def duckdb_typed(kind: str, path):
    rows = (
        connect()
        .execute(
            "select x from read_csv(?, delim = ';', header = true, auto_detect = false, "
            f"columns = {{'x': '{DUCKDB[kind]}', 'y': 'BIGINT'}}, ignore_errors = true)",
            [read_path(path)],
        )
        .fetchall()
    )
    return rows[0][0] if rows else REJECTED


def same(a, b) -> bool:
    nan = isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)
    return nan or (a == b and type(a) is type(b))


@pytest.mark.parametrize(("kind", "field", "text", "by_arrow", "guarded", "by_duckdb"), TABLE)
def test_each_reader_reads_each_probe_as_the_table_says(
    tmp_path, kind, field, text, by_arrow, guarded, by_duckdb
):
    path = _csv(tmp_path, field)
    assert same(text_pass(kind, field), text)
    assert same(arrow(kind, path), by_arrow)
    assert same(optimistic(kind, path), guarded)
    assert same(duckdb_typed(kind, path), by_duckdb)
    # the optimistic pass doubts, or reads what the text pass reads
    assert guarded == DOUBT or same(guarded, text)
