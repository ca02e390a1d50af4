"""`make bench`: the pipeline against the bare-DuckDB floor and the pandas route.

For each scale (register rows of one quarter): generate the sample, then measure — median of
--runs, each in its own process — the pipeline per stage and end to end with peak RSS, the
floor (one hand-written DuckDB query over the raw files, one COPY ... PARTITION_BY), the
pandas route (read, pandera on pandas, group by; skipped above --pandas-max), a re-run with
unchanged inputs, and once the Prefect orchestration overhead. Writes benchmarks/results.json
and BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
QUARTER = "2024Q2"
REGISTER_ROWS_AT_SCALE_1 = 2_181_910  # one quarter of the five registers at real volumes


def parse_scale(text: str) -> int:
    text = text.strip().upper()
    factor = {"K": 1_000, "M": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("KM")) * factor)


def measured(args: list[str]) -> tuple[dict, float, float]:
    """Run a child; return its JSON, wall seconds and peak RSS in MB."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    output = process.stdout.read()
    if status != 0:
        raise RuntimeError(f"{args} failed: {output}")
    return json.loads(output.strip().splitlines()[-1]), wall, usage.ru_maxrss / 1024


def median_of(runs: int, args: list[str], before=None) -> tuple[dict, float]:
    results, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        result, _, peak = measured(args)
        results.append(result)
        peaks.append(peak)
    keys = results[0].keys()
    return (
        {
            k: statistics.median(r[k] for r in results)
            for k in keys
            if isinstance(results[0][k], int | float) and not isinstance(results[0][k], bool)
        },
        max(peaks),
    )


def bench_scale(rows: int, runs: int, pandas_max: int, data: Path) -> dict:
    from kraptemeter.periods import parse_quarter_span
    from kraptemeter.sample import write_sample

    folder = data / f"{rows}"
    raw, warehouse, floor_out = folder / "raw", folder / "warehouse", folder / "floor"
    scale = rows / REGISTER_ROWS_AT_SCALE_1
    if not raw.exists():
        write_sample(raw, parse_quarter_span(QUARTER), scale=scale, survey_scale=scale / 2)
    register_rows = sum(
        sum(1 for _ in path.open()) - 1 for path in (raw / "registers").glob("*.csv")
    )
    respondents = sum(1 for _ in (raw / "ebb" / "ebb_2024KW02.csv").open()) - 1
    run_once = str(HERE / "run_once.py")

    def fresh_warehouse():
        shutil.rmtree(warehouse, ignore_errors=True)

    pipeline, pipeline_peak = median_of(
        runs,
        [run_once, "pipeline", str(raw), str(warehouse), QUARTER, "--force"],
        fresh_warehouse,
    )
    rerun, _ = median_of(runs, [run_once, "pipeline", str(raw), str(warehouse), QUARTER])
    floor, floor_peak = median_of(
        runs,
        [run_once, "floor", str(raw), str(floor_out), QUARTER],
        lambda: shutil.rmtree(floor_out, ignore_errors=True),
    )
    pandas = None
    if rows <= pandas_max:
        pandas, pandas_peak = median_of(runs, [run_once, "pandas", str(raw), "-", QUARTER])
    return {
        "register_rows": register_rows,
        "survey_respondents": respondents,
        "pipeline_s": round(pipeline["end_to_end"], 2),
        "stages_s": {
            k: round(pipeline[k], 2) for k in ("ingest", "validate", "transform", "publish")
        },
        "floor_s": round(floor["end_to_end"], 2),
        "ratio_to_floor": round(pipeline["end_to_end"] / floor["end_to_end"], 2),
        "pandas_route_s": round(pandas["end_to_end"], 2) if pandas else None,
        "ratio_to_pandas_route": round(pipeline["end_to_end"] / pandas["end_to_end"], 2)
        if pandas
        else None,
        "peak_rss_mb": round(pipeline_peak),
        "floor_peak_rss_mb": round(floor_peak),
        "pandas_peak_rss_mb": round(pandas_peak) if pandas else None,
        "rows_per_s": round(register_rows / pipeline["end_to_end"]),
        "rerun_unchanged_s": round(rerun["end_to_end"], 2),
        "runs": runs,
    }


def orchestration(data: Path) -> float:
    """Prefect's cost: the same quarter through the flow minus without it (smallest scale)."""
    folder = sorted((p for p in data.iterdir() if p.is_dir()), key=lambda p: int(p.name))[0]
    raw, warehouse = folder / "raw", folder / "orchestration"
    cli = [
        sys.executable,
        "-m",
        "kraptemeter.cli",
        "run",
        "--quarter",
        QUARTER,
        "--force",
        "--raw",
        str(raw),
        "--warehouse",
        str(warehouse),
    ]
    times = {}
    for label, extra in (("plain", ["--no-prefect"]), ("prefect", [])):
        start = time.perf_counter()
        subprocess.run([*cli, *extra], check=True, capture_output=True)
        times[label] = time.perf_counter() - start
    return round(times["prefect"] - times["plain"], 2)


def write_markdown(results: list[dict], overhead: float | None, path: Path) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (benchmarks/bench.py); medians of the runs shown, each run in "
        "its own process. One quarter (2024Q2) of the sample at the given register size; survey "
        "respondents grow with it. Pipeline = ingest + validate + transform + publish, without "
        "Prefect. Floor = one hand-written DuckDB query per mart over the raw CSVs, no "
        "validation, one COPY ... PARTITION_BY. Pandas route = read the registers with pandas, "
        "validate with pandera on pandas, group by.",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, {_versions()}.",
        "",
        "| register rows | respondents | pipeline s | ingest | validate | transform | publish | "
        "floor s | pipeline / floor | pandas route s | pipeline / pandas | peak RSS MB | "
        "rows/s | re-run unchanged s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s = r["stages_s"]
        lines.append(
            f"| {r['register_rows']:,} | {r['survey_respondents']:,} | {r['pipeline_s']} | "
            f"{s['ingest']} | {s['validate']} | {s['transform']} | {s['publish']} | "
            f"{r['floor_s']} | {r['ratio_to_floor']} | {r['pandas_route_s'] or 'n/a'} | "
            f"{r['ratio_to_pandas_route'] or 'n/a'} | {r['peak_rss_mb']} | {r['rows_per_s']:,} | "
            f"{r['rerun_unchanged_s']} |"
        )
    if overhead is not None:
        lines += [
            "",
            f"Orchestration (Prefect, ephemeral server start and tasks) adds {overhead} s "
            "to a run of the smallest scale.",
        ]
    if len(results) > 1:
        lines += ["", "Slope between scales (seconds per million register rows):"]
        for a, b in zip(results, results[1:], strict=False):
            slope = (b["pipeline_s"] - a["pipeline_s"]) / (
                (b["register_rows"] - a["register_rows"]) / 1e6
            )
            lines.append(
                f"- {a['register_rows']:,} -> {b['register_rows']:,}: {slope:.2f} s/M rows"
            )
    path.write_text("\n".join(lines) + "\n")


def _versions() -> str:
    import duckdb
    import pandas
    import pandera
    import prefect

    return (
        f"duckdb {duckdb.__version__}, pandas {pandas.__version__}, pandera "
        f"{pandera.__version__}, prefect {prefect.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1M,10M")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pandas-max", default="10M")
    parser.add_argument("--data", default=str(HERE / "data"))
    parser.add_argument("--no-orchestration", action="store_true")
    args = parser.parse_args()
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    results = []
    for scale in args.scales.split(","):
        rows = parse_scale(scale)
        result = bench_scale(rows, args.runs, parse_scale(args.pandas_max), data)
        print(json.dumps(result), flush=True)
        results.append(result)
    overhead = None if args.no_orchestration else orchestration(data)
    (HERE / "results.json").write_text(
        json.dumps({"scales": results, "orchestration_s": overhead}, indent=2) + "\n"
    )
    write_markdown(results, overhead, ROOT / "BENCHMARKS.md")


if __name__ == "__main__":
    main()
