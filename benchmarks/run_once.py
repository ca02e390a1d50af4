"""One measured run, in its own process so its peak memory can be read: prints JSON."""

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _time_steps(spent: dict[str, float], names: dict[str, str]) -> None:
    """Wrap the run loop's steps so the time inside each is added up (per thread-safe key)."""
    import functools
    import threading

    from kraptemeter import steps

    lock = threading.Lock()

    def timed(fn, key):
        @functools.wraps(fn)  # Prefect reads the step's signature to name its task runs
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                with lock:
                    spent[key] = spent.get(key, 0.0) + time.perf_counter() - t

        return wrapper

    for name, key in names.items():
        setattr(steps, name, timed(getattr(steps, name), key))


STAGES = {"ingest": "ingest", "validate_source": "validate", "transform": "transform"}


def pipeline(raw: Path, warehouse: Path, quarter: str, force: bool) -> dict:
    """The quarter through the run loop without Prefect, timed per step."""
    from kraptemeter.core.periods import Quarter
    from kraptemeter.core.settings import Settings
    from kraptemeter.run import run_quarters

    times: dict[str, float] = {"ingest": 0.0, "validate": 0.0, "transform": 0.0}
    _time_steps(times, {**STAGES, "publish": "publish"})
    start = time.perf_counter()
    run_quarters(Settings(raw, warehouse), [Quarter.parse(quarter)], force)
    times["end_to_end"] = time.perf_counter() - start
    if "publish" not in times:
        times["skipped"] = True
    return times


def through_prefect(raw: Path, warehouse: Path, quarter: str) -> dict:
    """The quarter through the Prefect flow; orchestration = wall time minus the time spent
    inside the steps the tasks call (measured in the tasks' own threads)."""
    import os

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    start = time.perf_counter()
    spent: dict[str, float] = {}
    # before the flow module wraps the steps as tasks
    _time_steps(spent, {**dict.fromkeys(STAGES, "work"), "publish": "work", "cbs": "work"})
    from flows.quarterly import quarterly_flow

    quarterly_flow(raw=str(raw), warehouse=str(warehouse), quarters=[quarter], force=True)
    wall = time.perf_counter() - start
    return {"end_to_end": wall, "work": spent["work"], "orchestration": wall - spent["work"]}


def flow_unchanged(raw: Path, warehouse: Path, quarter: str) -> dict:
    """The flow on a quarter with nothing changed (as a served deployment run would)."""
    import os

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    start = time.perf_counter()
    from flows.quarterly import quarterly_flow

    quarterly_flow(raw=str(raw), warehouse=str(warehouse), quarters=[quarter])
    return {"end_to_end": time.perf_counter() - start}


def floor(raw: Path, out: Path, quarter: str) -> dict:
    from kraptemeter.core import reference_data as ref
    from kraptemeter.core.db import connect
    from kraptemeter.core.periods import Quarter

    q = Quarter.parse(quarter)
    sql = (
        (Path(__file__).parent / "floor.sql")
        .read_text()
        .format(
            raw=raw, out=out, start=q.start, end=q.end, regions=ref.regions_csv(), period=q.label
        )
    )
    start = time.perf_counter()
    connect().execute(sql)
    return {"end_to_end": time.perf_counter() - start}


def pandas_route(raw: Path, quarter: str) -> dict:
    """What a pandas user writes first: read, pandera on pandas, group by."""
    import pandas as pd

    from kraptemeter.core.periods import Quarter
    from schemas import SOURCES

    q = Quarter.parse(quarter)
    start = time.perf_counter()
    counts = []
    for name in ("ww", "bijstand", "wajong", "wia_wao", "job_seekers"):
        frame = pd.read_csv(SOURCES[name].file_for(raw, q), sep=";", dtype={"end_date": str})
        for column in ("start_date", "end_date"):
            frame[column] = pd.to_datetime(frame[column]).dt.date
        SOURCES[name].schema_for(q).validate(frame, lazy=True)
        end = q.end
        running = (frame["start_date"] <= end) & (
            frame["end_date"].isna() | (frame["end_date"] > end)
        )
        counts.append(frame[running].groupby("gemeente_code").size())
    return {"end_to_end": time.perf_counter() - start, "gemeenten": int(len(counts[0]))}


def polars_schema(schema, quarter):
    """The register schema for pandera's polars backend: the same columns, built-in checks
    and unique key; the row rules written as polars expressions."""
    import pandera.polars as pap
    import polars as pl

    types = {"str": pl.Utf8, "int64": pl.Int64, "date": pl.Date}

    def dtype(column):
        key = str(column.dtype)
        return types["str" if key.startswith(("str", "object")) else key]

    def rule(name, expression):
        return pap.Check(lambda data: data.lazyframe.select(expression), name=name)

    start, end = quarter.start, quarter.end
    ended = pl.col("end_date")
    age = pl.col("age").clip(14, 110) - 14
    latest_start = pl.lit(end) - pl.duration(days=age * 366)
    return pap.DataFrameSchema(
        {
            name: pap.Column(
                dtype(column), checks=column.checks, nullable=column.nullable, unique=column.unique
            )
            for name, column in schema.columns.items()
        },
        checks=[
            rule("end_not_before_start", ended.is_null() | (ended >= pl.col("start_date"))),
            rule(
                "spell_overlaps_quarter",
                (pl.col("start_date") <= end) & (ended.is_null() | (ended >= start)),
            ),
            rule(
                "start_after_age_14",
                pl.col("age").is_null()
                | ~pl.col("age").is_between(0, 110)
                | (pl.col("start_date") >= latest_start.cast(pl.Date)),
            ),
        ],
        unique=schema.unique,
        strict=True,
        name=f"{schema.name} (polars)",
    )


def polars_route(raw: Path, quarter: str) -> dict:
    """What a user of polars writes first: read with a schema, validate with pandera's polars
    backend (the same checks), group by."""
    import polars as pl

    from kraptemeter.core.periods import Quarter
    from schemas import SOURCES

    q = Quarter.parse(quarter)
    start = time.perf_counter()
    counts = []
    for name in ("ww", "bijstand", "wajong", "wia_wao", "job_seekers"):
        schema = polars_schema(SOURCES[name].schema_for(q), q)
        frame = pl.read_csv(
            SOURCES[name].file_for(raw, q),
            separator=";",
            schema={c: column.dtype.type for c, column in schema.columns.items()},
        )
        schema.validate(frame, lazy=True)
        running = (pl.col("start_date") <= q.end) & (
            pl.col("end_date").is_null() | (pl.col("end_date") > q.end)
        )
        counts.append(frame.filter(running).group_by("gemeente_code").len())
    return {"end_to_end": time.perf_counter() - start, "gemeenten": int(len(counts[0]))}


if __name__ == "__main__":
    kind, raw, target, quarter = sys.argv[1:5]
    force = "--force" in sys.argv
    if kind == "pipeline":
        result = pipeline(Path(raw), Path(target), quarter, force)
    elif kind == "prefect":
        result = through_prefect(Path(raw), Path(target), quarter)
    elif kind == "prefect-unchanged":
        result = flow_unchanged(Path(raw), Path(target), quarter)
    elif kind == "floor":
        result = floor(Path(raw), Path(target), quarter)
    elif kind == "polars":
        result = polars_route(Path(raw), quarter)
    else:
        result = pandas_route(Path(raw), quarter)
    print(json.dumps(result))
