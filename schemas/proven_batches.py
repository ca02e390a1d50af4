"""What the clean pass proves about a delivery's text in numpy, on the typed reader's batches,
so that its query can leave the per-row work out.

Two costs of the query are per text value and rarely change a value of a clean file: `trim`
(~0.7 CPU s per 10M values) and a shape regex such as `^[A-Za-z0-9_-]{1,40}$` (~0.9). On an
Arrow string column both can be settled from its offsets and bytes in a few milliseconds a
batch: a value whose first and last bytes are ASCII and not a space is what DuckDB's `trim`
leaves (it trims the space and the Unicode space separators, all of them non-ASCII), and a
regex that is one character class repeated m to n times holds when every byte is in the class
and every length is in range.

A batch that disproves either stops the stream: padded text means the file is read again with
`trim` (`ProvenBatches.padded`), a value of the wrong shape breaks a rule, so the exact pass
decides (as it would have anyway).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandera.pandas as pa
import pyarrow

from schemas.compiler import sql_columns

_SPACE = 32


class NotProven(Exception):
    """A batch holds a value that the proofs do not cover."""


@dataclass(frozen=True)
class Shape:
    """A regex `^[class]{least,most}$` as bytes allowed and a length range."""

    allowed: np.ndarray  # 256 booleans
    least: int
    most: int


_ONE_CLASS_REPEATED = re.compile(r"\^\[([^\]\\^]+)\]\{(\d+),(\d+)\}\$")


def shape_of(pattern: str) -> Shape | None:
    """The Shape of a regex that is one ASCII character class repeated, or None."""
    match = _ONE_CLASS_REPEATED.fullmatch(pattern)
    if not match:
        return None
    members, least, most = match.group(1), int(match.group(2)), int(match.group(3))
    allowed = np.zeros(256, dtype=bool)
    i = 0
    while i < len(members):
        if i + 2 < len(members) and members[i + 1] == "-":  # a range such as a-z
            low, high = ord(members[i]), ord(members[i + 2])
            i += 3
        else:  # one character (a leading or trailing '-' is itself)
            low = high = ord(members[i])
            i += 1
        if high > 127 or low > high:
            return None
        allowed[low : high + 1] = True
    return Shape(allowed, least, most)


def provable_shapes(schema: pa.DataFrameSchema) -> dict[str, Shape]:
    """Text columns whose one `str_matches` check has a Shape. Not a column with a recode:
    its check reads the recoded value, the batches hold the delivered one."""
    text = {name for name, sql_type in sql_columns(schema) if sql_type == "VARCHAR"}
    shapes = {}
    for name, column in schema.columns.items():
        patterns = [c.statistics["pattern"] for c in column.checks if c.name == "str_matches"]
        recoded = (column.metadata or {}).get("recode")
        shape = len(patterns) == 1 and shape_of(patterns[0])
        if name in text and not recoded and shape:
            shapes[name] = shape
    return shapes


def without_shape_checks(schema: pa.DataFrameSchema, columns) -> pa.DataFrameSchema:
    """The schema without the `str_matches` checks of `columns` (proven on the batches)."""
    for name in columns:
        kept = [c for c in schema.columns[name].checks if c.name != "str_matches"]
        schema = schema.update_column(name, checks=kept)
    return schema


class ProvenBatches:
    """The typed reader's batches, each checked on its way to the query: the text columns
    unpadded (so `trim` may be left out) and the `shapes` held. Read `reader` once."""

    def __init__(self, reader: pyarrow.RecordBatchReader, text: list[str], shapes: dict):
        self.padded = False  # set when a batch held text that `trim` would change
        self._text, self._shapes = text, shapes
        self.reader = pyarrow.RecordBatchReader.from_batches(reader.schema, self._checked(reader))

    def _checked(self, reader):
        for batch in reader:
            for name in self._text:
                lengths, data, starts = _parts(batch.column(name))
                if not _unpadded(lengths, data, starts):
                    self.padded = True
                    raise NotProven(f"{name}: text with a space or non-ASCII byte at an end")
                shape = self._shapes.get(name)
                if shape and not _held(shape, lengths, data, starts):
                    raise NotProven(f"{name}: a value of another shape")
            yield batch


def _parts(array: pyarrow.StringArray):
    """(lengths of the non-null values, the bytes of all values, where each non-null value
    starts in those bytes)."""
    end = array.offset + len(array) + 1
    offsets = np.frombuffer(array.buffers()[1], np.int32)[array.offset : end]
    data = np.frombuffer(array.buffers()[2] or b"", np.uint8)[offsets[0] : offsets[-1]]
    lengths, starts = np.diff(offsets), offsets[:-1] - offsets[0]
    if array.null_count:
        valid = array.is_valid().to_numpy(zero_copy_only=False)
        return lengths[valid], data, starts[valid]
    return lengths, data, starts


def _unpadded(lengths, data, starts) -> bool:
    """Every value non-empty, first and last byte ASCII and not a space: `trim` keeps it."""
    if (lengths == 0).any():
        return False
    firsts, lasts = data[starts], data[starts + lengths - 1]
    return not (((firsts == _SPACE) | (firsts > 127) | (lasts == _SPACE) | (lasts > 127)).any())


def _held(shape: Shape, lengths, data, starts) -> bool:
    # Nulls have no bytes (pyarrow keeps none for them), so `data` is the non-null values.
    in_range = ((lengths >= shape.least) & (lengths <= shape.most)).all()
    return bool(in_range and shape.allowed[data].all())
