"""Writing the sample's CSV files: the delivered format, ids, whole numbers."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv


def write_csv(path: Path, columns: dict[str, Iterable]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.table(
        {name: v if isinstance(v, pa.Array) else pa.array(v) for name, v in columns.items()}
    )
    pacsv.write_csv(table, path, pacsv.WriteOptions(delimiter=";", quoting_style="needed"))
    return path


def ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """`prefix` + zero-padded numbers, built in Arrow (millions of ids in Python are slow)."""
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(prefix, digits, "")


def integerise(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Round to whole persons without bias (stochastic rounding)."""
    floor = np.floor(values)
    return (floor + (rng.random(values.shape) < values - floor)).astype(np.int64)
