"""The command line's arguments: every command, flag, default (from the settings) and help."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from kraptemeter.core import settings as defaults

Handlers = dict[str, Callable[[argparse.Namespace], int]]


def _finite(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


def seconds(text: str) -> float:
    """A finite, non-negative number of seconds (`nan` or `inf` would wait forever)."""
    value = _finite(text)
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}")
    return value


def fraction(text: str) -> float:
    """A finite number above zero (a scale of real volumes)."""
    value = _finite(text)
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"not a number above zero: {text!r}")
    return value


def build_parser(handlers: Handlers, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kraptemeter", description=description)
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the traceback of an unexpected error (it is otherwise written to a log file)",
    )
    commands = parser.add_subparsers(dest="command_name", required=True)
    _add_run(commands, handlers)
    _add_readers(commands, handlers)
    _add_inputs(commands, handlers)
    return parser


def _add_inputs(commands, handlers: Handlers) -> None:
    """The commands that put files into raw/: the sample, CBS tables."""
    sample = commands.add_parser("sample", help="write the seeded sample raw data")
    sample.add_argument("--out", default=defaults.RAW_FOLDER)
    sample.add_argument("--quarters", default="2023Q1..2024Q4")
    sample.add_argument("--scale", type=fraction, default=1.0, help="fraction of real volumes")
    sample.add_argument("--seed", type=int, default=20240)
    sample.set_defaults(handler=handlers["sample"])

    importer = commands.add_parser(
        "import-cbs", help="land a CBS table (file or folder) in raw/cbs"
    )
    importer.add_argument("path")
    importer.add_argument("--table", help="table id, where it cannot be told from the file")
    importer.add_argument("--raw", default=defaults.RAW_FOLDER)
    importer.set_defaults(handler=handlers["import_cbs"])

    fetch = commands.add_parser("fetch-cbs", help="download a table from the CBS OData v4 API")
    fetch.add_argument("table")
    fetch.add_argument("--filter", help="an OData $filter, e.g. \"Perioden eq '2024KW02'\"")
    fetch.add_argument("--raw", default=defaults.RAW_FOLDER)
    fetch.add_argument("--base-url", default=defaults.CBS_API_URL)
    fetch.set_defaults(handler=handlers["fetch_cbs"])


def _add_readers(commands, handlers: Handlers) -> None:
    """The commands that read the warehouse, and the scheduler that fills it."""
    sql = commands.add_parser(
        "sql",
        help="query the warehouse catalog (read-only)",
        description="Query the warehouse's catalog. Read-only and confined: queries only "
        "(select, with, from, values, pivot, unpivot, show, describe, summarize); no writes, "
        "copy, attach, explain, "
        "install, load or set; reads no file (everything is in the catalog); no network.",
    )
    sql.add_argument("-c", dest="command", help="run one query and exit")
    sql.add_argument("--warehouse", default=defaults.WAREHOUSE_FOLDER)
    sql.add_argument("--max-rows", type=int, default=50)
    sql.set_defaults(handler=handlers["sql"])

    quarantine = commands.add_parser(
        "quarantine",
        help="the rejected rows: file, line, rules and values as delivered (operator catalog)",
        description="Show the rejected input rows from the operator catalog in the private "
        "work folder: source, period, file, line, the rules each broke and its values as "
        "delivered. Never part of the published warehouse.",
    )
    quarantine.add_argument("--warehouse", default=defaults.WAREHOUSE_FOLDER)
    quarantine.add_argument("--work", help="private work folder (default: <warehouse>.work)")
    quarantine.add_argument("--source", help="one source, e.g. ww")
    quarantine.add_argument("--period", help="one period, e.g. 2024Q2")
    quarantine.add_argument("--limit", type=int, default=50, help="rows shown (default 50)")
    quarantine.set_defaults(handler=handlers["quarantine"])

    fidelity = commands.add_parser("fidelity", help="compare recomputed figures with CBS's")
    fidelity.add_argument("--warehouse", default=defaults.WAREHOUSE_FOLDER)
    fidelity.set_defaults(handler=handlers["fidelity"])

    report = commands.add_parser("report", help="the regional key-figure sheet as HTML")
    report.add_argument("--region", required=True, help="region code, e.g. PV26")
    report.add_argument("--quarter", required=True, help="e.g. 2024Q2")
    report.add_argument("--out", default="report.html")
    report.add_argument("--warehouse", default=defaults.WAREHOUSE_FOLDER)
    report.set_defaults(handler=handlers["report"])

    serve = commands.add_parser("serve", help="serve the Prefect deployment on a quarterly cron")
    serve.add_argument("--raw", default=defaults.RAW_FOLDER)
    serve.add_argument("--warehouse", default=defaults.WAREHOUSE_FOLDER)
    serve.add_argument("--work", help="private work folder (default: <warehouse>.work)")
    serve.add_argument(
        "--cron",
        default=defaults.QUARTERLY_CRON,
        help="default: six weeks after a quarter ends",
    )
    serve.set_defaults(handler=handlers["serve"])


def _add_run(commands, handlers: Handlers) -> None:
    run = commands.add_parser("run", help="run the quarterly pipeline")
    run.add_argument("--quarter", help="one quarter, e.g. 2024Q2")
    run.add_argument("--from", dest="from_", help="first quarter of a backfill")
    run.add_argument("--to", help="last quarter of a backfill")
    run.add_argument(
        "--raw", default=defaults.RAW_FOLDER, help="folder with raw input files (default raw/)"
    )
    run.add_argument(
        "--warehouse", default=defaults.WAREHOUSE_FOLDER, help="output folder (default warehouse/)"
    )
    run.add_argument(
        "--work",
        help="private work folder: staged rows, quarantine, run state, logs, the lock "
        "(default: <warehouse>.work beside the warehouse; never inside it)",
    )
    run.add_argument(
        "--max-reject-share",
        type=float,
        default=defaults.MAX_REJECT_SHARE,
        help="stop when more than this share of a file's rows fail validation "
        f"(default {defaults.MAX_REJECT_SHARE})",
    )
    run.add_argument("--no-prefect", action="store_true", help="run the steps without Prefect")
    run.add_argument(
        "--task-runner",
        choices=("local", "dask"),
        default="local",
        help="where the flow's tasks run: in this process (default) or on a Dask cluster "
        "(needs kraptemeter[dask]); raw/ and the warehouse must be on a shared file system",
    )
    run.add_argument(
        "--dask-address",
        help="scheduler of a running Dask cluster, e.g. tcp://10.0.0.5:8786 (default: start "
        "a local cluster of two worker processes)",
    )
    run.add_argument(
        "--force", action="store_true", help="redo quarters whose inputs are unchanged"
    )
    run.add_argument(
        "--wait",
        type=seconds,
        default=0,
        help="seconds to wait for another run on the same warehouse (default: stop at once)",
    )
    run.add_argument(
        "--min-respondents",
        type=int,
        default=defaults.MIN_RESPONDENTS,
        help="respondents a survey percentage needs to be published "
        f"(default {defaults.MIN_RESPONDENTS}, CBS)",
    )
    run.add_argument(
        "--total-rounding",
        type=int,
        default=defaults.TOTAL_ROUNDING,
        help="survey totals are published rounded to this "
        f"(default {defaults.TOTAL_ROUNDING}, CBS)",
    )
    run.add_argument(
        "--variance-clusters",
        choices=defaults.VARIANCE_CLUSTERS,
        default=defaults.VARIANCE_CLUSTERS[0],
        help=f"clusters of the survey variance (default {defaults.VARIANCE_CLUSTERS[0]})",
    )
    run.set_defaults(handler=handlers["run"])
