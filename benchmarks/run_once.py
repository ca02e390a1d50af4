"""One measured run, in its own process so its peak memory can be read: prints JSON."""

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def pipeline(raw: Path, warehouse: Path, quarter: str, force: bool) -> dict:
    from kraptemeter import pipeline as p
    from kraptemeter.periods import Quarter

    settings = p.Settings(raw, warehouse)
    q = Quarter.parse(quarter)
    times = {"ingest": 0.0, "validate": 0.0}
    start = time.perf_counter()
    if not force and p.is_current(settings, q, p.quarter_fingerprint(settings, q)):
        return {"end_to_end": time.perf_counter() - start, "skipped": True}
    accepted = {}
    for name in p.SOURCES:
        t = time.perf_counter()
        ingested = p.ingest(settings, name, q)
        times["ingest"] += time.perf_counter() - t
        if ingested is None:
            accepted[name] = None
            continue
        t = time.perf_counter()
        validated, _ = p.validate_source(settings, name, q, ingested)
        times["validate"] += time.perf_counter() - t
        accepted[name] = validated.accepted_path
    t = time.perf_counter()
    candidates = p.transform(settings, q, accepted)
    times["transform"] = time.perf_counter() - t
    t = time.perf_counter()
    p.publish(settings, candidates)
    p.remember(settings, q, p.quarter_fingerprint(settings, q))
    times["publish"] = time.perf_counter() - t
    times["end_to_end"] = time.perf_counter() - start
    return times


def through_prefect(raw: Path, warehouse: Path, quarter: str) -> dict:
    """The quarter through the Prefect flow; orchestration = wall time minus the time spent
    inside the pipeline steps the tasks call (measured in the tasks' own threads)."""
    import os
    import threading

    from kraptemeter import pipeline as p  # imported by the plain pipeline run too

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    start = time.perf_counter()
    from flows.quarterly import quarterly_flow

    spent, lock = [0.0], threading.Lock()

    def timed(fn):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                with lock:
                    spent[0] += time.perf_counter() - t

        return wrapper

    for name in ("ingest", "validate_source", "transform", "publish", "run_cbs"):
        setattr(p, name, timed(getattr(p, name)))
    quarterly_flow(raw=str(raw), warehouse=str(warehouse), quarters=[quarter], force=True)
    wall = time.perf_counter() - start
    return {"end_to_end": wall, "work": spent[0], "orchestration": wall - spent[0]}


def floor(raw: Path, out: Path, quarter: str) -> dict:
    from kraptemeter import reference_data as ref
    from kraptemeter.db import connect
    from kraptemeter.periods import Quarter

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

    from kraptemeter.periods import Quarter
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


if __name__ == "__main__":
    kind, raw, target, quarter = sys.argv[1:5]
    force = "--force" in sys.argv
    if kind == "pipeline":
        result = pipeline(Path(raw), Path(target), quarter, force)
    elif kind == "prefect":
        result = through_prefect(Path(raw), Path(target), quarter)
    elif kind == "floor":
        result = floor(Path(raw), Path(target), quarter)
    else:
        result = pandas_route(Path(raw), quarter)
    print(json.dumps(result))
