"""`make bench`: the pipeline against the bare-DuckDB floor and the pandas route.

For each scale (register rows of one quarter): generate the sample, then measure — median of
--runs, each in its own process — the pipeline per stage and end to end with peak RSS, the
floor (one hand-written DuckDB query over the raw files, one COPY ... PARTITION_BY), the
pandas route (read, pandera on pandas, group by; skipped above --pandas-max), a re-run with
unchanged inputs, and Prefect's overhead with an ephemeral and with a running server (once per
scale up to --prefect-max: it does not grow with rows). Adds the scales to
benchmarks/results.json and writes BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import contextlib
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


def measured(args: list[str], env: dict | None = None) -> tuple[dict, float, float]:
    """Run a child; return its JSON, wall seconds and peak RSS in MB."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL if env else None,
        text=True,
        env=env,
    )
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


def interleaved(runs: int, variants: dict) -> dict[str, tuple[dict, float]]:
    """Each variant `runs` times, taking turns; per variant the medians and the peak RSS."""
    results = {name: ([], []) for name in variants}
    for _ in range(runs):
        for name, (args, before) in variants.items():
            if before:
                before()
            result, _, peak = measured(args)
            results[name][0].append(result)
            results[name][1].append(peak)
    return {
        name: (
            {
                k: statistics.median(r[k] for r in done)
                for k in done[0]
                if isinstance(done[0][k], int | float) and not isinstance(done[0][k], bool)
            },
            max(peaks),
        )
        for name, (done, peaks) in results.items()
    }


def bench_scale(rows: int, runs: int, pandas_max: int, prefect_max: int, data: Path) -> dict:
    from kraptemeter.core.periods import parse_quarter_span
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
        shutil.rmtree(warehouse.with_name(warehouse.name + ".work"), ignore_errors=True)

    variants = {
        "pipeline": (
            [run_once, "pipeline", str(raw), str(warehouse), QUARTER, "--force"],
            fresh_warehouse,
        ),
        "floor": (
            [run_once, "floor", str(raw), str(floor_out), QUARTER],
            lambda: shutil.rmtree(floor_out, ignore_errors=True),
        ),
        "polars": ([run_once, "polars", str(raw), "-", QUARTER], None),
    }
    if rows <= pandas_max:
        variants["pandas"] = ([run_once, "pandas", str(raw), "-", QUARTER], None)
    # Interleaved (pipeline, floor, polars, pandas, pipeline, ...): a shared machine's load
    # then weighs on every variant alike, and the ratios are taken within one bench run.
    measured_runs = interleaved(runs, variants)
    pipeline, pipeline_peak = measured_runs["pipeline"]
    floor, floor_peak = measured_runs["floor"]
    polars, polars_peak = measured_runs["polars"]
    pandas, pandas_peak = measured_runs.get("pandas", (None, None))
    rerun, _ = median_of(runs, [run_once, "pipeline", str(raw), str(warehouse), QUARTER])
    noop = bench_noop(raw, warehouse, runs, with_flow=rows <= prefect_max)
    orchestration = {}
    if rows <= prefect_max:  # Prefect's cost does not grow with rows: a task per source
        through_flow = [run_once, "prefect", str(raw), str(folder / "prefect"), QUARTER]
        shutil.rmtree(folder / "prefect", ignore_errors=True)
        ephemeral = measured(through_flow, _prefect_env("prefect-ephemeral"))[0]
        orchestration["ephemeral"] = round(ephemeral["orchestration"], 2)
        # the server runs only while measured: even idle it takes a third of a core here
        with prefect_server() as server:
            shutil.rmtree(folder / "prefect", ignore_errors=True)
            with_server = measured(through_flow, _prefect_env("prefect-server", server))[0]
        orchestration["server"] = round(with_server["orchestration"], 2)
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
        "polars_route_s": round(polars["end_to_end"], 2),
        "polars_over_pipeline": round(polars["end_to_end"] / pipeline["end_to_end"], 2),
        "pandas_over_pipeline": round(pandas["end_to_end"] / pipeline["end_to_end"], 2)
        if pandas
        else None,
        "polars_peak_rss_mb": round(polars_peak),
        "peak_rss_mb": round(pipeline_peak),
        "floor_peak_rss_mb": round(floor_peak),
        "pandas_peak_rss_mb": round(pandas_peak) if pandas else None,
        "rows_per_s": round(register_rows / pipeline["end_to_end"]),
        "rerun_unchanged_s": round(rerun["end_to_end"], 2),
        "rerun_share": round(rerun["end_to_end"] / pipeline["end_to_end"], 3),
        "orchestration_s": orchestration.get("ephemeral"),
        "orchestration_with_server_s": orchestration.get("server"),
        **noop,
        "runs": runs,
    }


NOOP_TARGETS = {"noop_no_prefect_s": 3.0, "noop_prefect_s": 6.0}


def bench_noop(raw: Path, warehouse: Path, runs: int, with_flow: bool) -> dict:
    """A run with nothing to do, as a user starts it (`kraptemeter run`, a new process:
    start-up and imports included), on the warehouse the measurements above left: medians
    of `runs` without Prefect and with Prefect's default (ephemeral) mode, which starts no
    server when nothing is to be redone; and once the flow itself on the same nothing
    (what a served deployment run pays, with an ephemeral server)."""
    command = [
        str(Path(sys.executable).with_name("kraptemeter")),
        "run",
        "--quarter",
        QUARTER,
        "--raw",
        str(raw),
        "--warehouse",
        str(warehouse),
    ]
    env = _prefect_env("prefect-ephemeral")
    result = {
        "noop_no_prefect_s": round(_median_wall(runs, [*command, "--no-prefect"], env), 2),
        "noop_prefect_s": round(_median_wall(runs, command, env), 2),
    }
    if with_flow:
        unchanged = [str(HERE / "run_once.py"), "prefect-unchanged", str(raw), str(warehouse)]
        result["noop_flow_ephemeral_s"] = round(measured([*unchanged, QUARTER], env)[1], 2)
    line = ", ".join(
        f"{k} {v} s ({v / NOOP_TARGETS[k]:.0%} of its {NOOP_TARGETS[k]:.0f} s target)"
        if k in NOOP_TARGETS
        else f"{k} {v} s"
        for k, v in result.items()
    )
    print(
        f"no-op run, median of {runs}: {line}; with / without Prefect "
        f"{result['noop_prefect_s'] / result['noop_no_prefect_s']:.2f}",
        flush=True,
    )
    return result


def _median_wall(runs: int, command: list[str], env: dict) -> float:
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls)


def _prefect_env(home: str, api_url: str | None = None) -> dict:
    """A child's environment for a flow run: its own Prefect home (the ephemeral server's
    database is created once, before the measured runs), and the server's URL if one runs."""
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env["PREFECT_HOME"] = str(HERE / "data" / home)
    env.pop("PREFECT_API_URL", None)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


@contextlib.contextmanager
def prefect_server(port: int = 4299):
    """`prefect server start` for the measurements with a running server (how a served
    deployment runs), stopped afterwards."""
    import urllib.request

    env = _prefect_env("prefect-server")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("prefect")),
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-services",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("prefect server did not start in 120 s")
        yield url
    finally:
        server.terminate()
        server.wait(30)


def _cell(value, fmt="{}") -> str:
    return "n/a" if value is None else fmt.format(value)


def write_markdown(results: list[dict], path: Path) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (benchmarks/bench.py); medians of the runs shown, each run in "
        "its own process. One quarter (2024Q2) of the sample at the given register size; survey "
        "respondents grow with it. Pipeline = ingest + validate + transform + publish, without "
        "Prefect. Floor = one hand-written DuckDB query per mart over the raw CSVs, no "
        "validation, one COPY ... PARTITION_BY (benchmarks/floor.sql). Pandas route = read the "
        "registers with pandas, validate with pandera on pandas, group by; polars route = the same "
        "with polars: read with a schema, validate with pandera's polars backend (the same "
        "checks and row rules), group by. Runs of the pipeline, the floor and the two routes "
        "take turns, so a shared machine's load weighs on all alike. Orchestration = a "
        "run through the Prefect flow minus the time inside the pipeline steps its tasks call: "
        "with an ephemeral server (what `make run` pays) and with a running `prefect server "
        "start` (how the served deployment runs). No-op run = `kraptemeter run` on the "
        "quarter again with nothing changed, wall time of the command (start-up included): "
        "`--no-prefect` (target 3 s), Prefect's default mode (target 6 s; no server is "
        "started when nothing is to be redone), and the flow itself with an ephemeral server "
        "(once).",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, {_versions()}.",
        "",
        "| register rows | respondents | runs | pipeline s | ingest | validate | transform | "
        "publish | floor s | pipeline / floor | polars route s | polars / pipeline | "
        "pandas route s | pandas / pipeline | peak RSS MB | rows/s | re-run unchanged s "
        "(share) | orchestration s ephemeral / server | no-op run s: no Prefect / Prefect / "
        "flow |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s = r["stages_s"]
        lines.append(
            f"| {r['register_rows']:,} | {r['survey_respondents']:,} | {r['runs']} | "
            f"{r['pipeline_s']} | {s['ingest']} | {s['validate']} | {s['transform']} | "
            f"{s['publish']} | {r['floor_s']} | {r['ratio_to_floor']} | "
            f"{_cell(r.get('polars_route_s'))} | {_cell(r.get('polars_over_pipeline'))} | "
            f"{_cell(r['pandas_route_s'])} | {_cell(r.get('pandas_over_pipeline'))} | "
            f"{r['peak_rss_mb']} | {r['rows_per_s']:,} | {r['rerun_unchanged_s']} "
            f"({_cell(r.get('rerun_share'), '{:.1%}')}) | "
            f"{_cell(r.get('orchestration_s'))} / {_cell(r.get('orchestration_with_server_s'))} | "
            f"{_cell(r.get('noop_no_prefect_s'))} / {_cell(r.get('noop_prefect_s'))} / "
            f"{_cell(r.get('noop_flow_ephemeral_s'))} |"
        )
    if len(results) > 1:
        lines += ["", "How cost grows with rows (seconds per million register rows):"]
        for a, b in zip(results, results[1:], strict=False):
            million = (b["register_rows"] - a["register_rows"]) / 1e6
            per_stage = ", ".join(
                f"{k} {(b['stages_s'][k] - a['stages_s'][k]) / million:.2f}"
                for k in ("ingest", "validate", "transform", "publish")
            )
            lines.append(
                f"- {a['register_rows']:,} -> {b['register_rows']:,}: pipeline "
                f"{(b['pipeline_s'] - a['pipeline_s']) / million:.2f} ({per_stage}); floor "
                f"{(b['floor_s'] - a['floor_s']) / million:.2f}"
            )
    largest = results[-1]
    shares = ", ".join(
        f"{k} {v / largest['pipeline_s']:.0%}" for k, v in largest["stages_s"].items()
    )
    lines += [
        "",
        f"Where the time goes at {largest['register_rows']:,} rows: {shares}.",
    ]
    at_10m = [r for r in results if round(r["register_rows"], -6) == 10_000_000]
    if at_10m and at_10m[0].get("polars_route_s"):
        r = at_10m[0]
        lines += [
            "",
            "Targets at 10M register rows (issue #16): pipeline <= 1.5x the floor: "
            f"{r['ratio_to_floor']}x; >= 2x faster than the polars route: "
            f"{r['polars_over_pipeline']}x; >= 5x faster than the pandas route: "
            f"{_cell(r.get('pandas_over_pipeline'))}x.",
        ]
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


def merged(path: Path, new: list[dict]) -> list[dict]:
    """Earlier records of other scales stay (`make bench SCALES=100M` adds one scale)."""
    old = json.loads(path.read_text())["scales"] if path.exists() else []
    scales = {round(r["register_rows"], -6): r for r in old}
    scales.update({round(r["register_rows"], -6): r for r in new})
    return [scales[k] for k in sorted(scales)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1M,10M")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pandas-max", default="10M")
    parser.add_argument("--prefect-max", default="10M")
    parser.add_argument("--data", default=str(HERE / "data"))
    args = parser.parse_args()
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    results = []
    subprocess.run(  # the ephemeral server's database, created before anything is measured
        [str(Path(sys.executable).with_name("prefect")), "server", "database", "upgrade", "-y"],
        env=_prefect_env("prefect-ephemeral"),
        check=True,
        capture_output=True,
    )
    for scale in args.scales.split(","):
        rows = parse_scale(scale)
        result = bench_scale(
            rows, args.runs, parse_scale(args.pandas_max), parse_scale(args.prefect_max), data
        )
        print(json.dumps(result), flush=True)
        results.append(result)
    results = merged(HERE / "results.json", results)
    (HERE / "results.json").write_text(json.dumps({"scales": results}, indent=2) + "\n")
    write_markdown(results, ROOT / "BENCHMARKS.md")


if __name__ == "__main__":
    main()
