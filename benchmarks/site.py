"""`make bench-site`: how long `kraptemeter site` takes on a warehouse (default: the one
`make run` writes, the shipped sample at full scale over eight quarters).

Times, in separate processes, the site of the latest quarter (every region: ~480 sheets) and
of every quarter in the warehouse; prints the median of --runs and the cost per sheet."""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KRAPTEMETER = [sys.executable, "-m", "kraptemeter.cli"]


def timed(argv: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run([*KRAPTEMETER, *argv], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"site failed: {done.stderr.strip()}")
    return wall, int(re.search(r"wrote (\d+) sheets", done.stdout).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warehouse", default=str(ROOT / "warehouse"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import duckdb

    con = duckdb.connect(str(Path(args.warehouse) / "warehouse.duckdb"), read_only=True)
    quarters = [row[0] for row in con.execute(
        "select distinct period from key_figures order by 1").fetchall()]  # fmt: skip
    con.close()
    with tempfile.TemporaryDirectory() as scratch:
        out = str(Path(scratch) / "site")
        base = ["site", "--warehouse", args.warehouse, "--out", out]
        for label, extra in (
            (f"one quarter ({quarters[-1]})", ["--quarters", quarters[-1]]),
            (f"all {len(quarters)} quarters", []),
        ):
            walls, sheets = [], 0
            for _ in range(args.runs):
                wall, sheets = timed([*base, *extra])
                walls.append(wall)
            median = statistics.median(walls)
            print(
                f"{label}: {sheets} sheets, median {median:.2f} s of {args.runs} runs "
                f"(min {min(walls):.2f}, max {max(walls):.2f}), "
                f"{1000 * median / sheets:.1f} ms per sheet, process start included"
            )


if __name__ == "__main__":
    main()
