"""The command line's arguments: every command, flag, default (from the settings) and help."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from kraptemeter import __version__
from kraptemeter.core import settings as defaults

Handlers = dict[str, Callable[[argparse.Namespace], int]]


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """Every option's help ends with its default (the defaults are the settings' constants);
    an option without one (a flag, an optional quarter) says nothing of it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        if action.default in (None, False, argparse.SUPPRESS) or "(default" in (action.help or ""):
            return action.help or ""
        return super()._get_help_string(action)


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
    parser = argparse.ArgumentParser(
        prog="kraptemeter", description=description, formatter_class=_Help
    )
    parser.add_argument("--version", action="version", version=f"kraptemeter {__version__}")
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


RAW_HELP = "folder with the raw deliveries"
WORK_HELP = "private work folder: staging, quarantine, run state (default: <warehouse>.work)"
WAREHOUSE_HELP = "the warehouse folder (marts, catalog)"


def _command(commands, name: str, summary: str, **kwargs) -> argparse.ArgumentParser:
    return commands.add_parser(
        name,
        help=summary,
        description=kwargs.pop("description", summary),
        formatter_class=_Help,
        **kwargs,
    )


def _add_inputs(commands, handlers: Handlers) -> None:
    """The commands that put files into raw/: the sample, CBS tables."""
    sample = _command(commands, "sample", "write the seeded sample raw data")
    sample.add_argument("--out", default=defaults.RAW_FOLDER, help="raw folder to write into")
    sample.add_argument(
        "--quarters", default="2023Q1..2024Q4", help="quarters to write, FIRST..LAST or one"
    )
    sample.add_argument("--scale", type=fraction, default=1.0, help="fraction of real volumes")
    sample.add_argument("--seed", type=int, default=20240, help="seed of the random model")
    sample.set_defaults(handler=handlers["sample"])

    importer = _command(commands, "import-cbs", "land a CBS table (file or folder) in raw/cbs")
    importer.add_argument("path", help="a CBS file, or a folder of one table's files")
    importer.add_argument("--table", help="table id, where it cannot be told from the file")
    importer.add_argument("--raw", default=defaults.RAW_FOLDER, help="raw folder to land in")
    importer.set_defaults(handler=handlers["import_cbs"])

    fetch = _command(commands, "fetch-cbs", "download a table from the CBS OData v4 API")
    fetch.add_argument("table", help="CBS table id, e.g. 85224NED")
    fetch.add_argument("--filter", help="an OData $filter, e.g. \"Perioden eq '2024KW02'\"")
    fetch.add_argument("--raw", default=defaults.RAW_FOLDER, help="raw folder to land in")
    fetch.add_argument("--base-url", default=defaults.CBS_API_URL, help="the OData v4 service")
    fetch.set_defaults(handler=handlers["fetch_cbs"])


def _add_readers(commands, handlers: Handlers) -> None:
    """The commands that read the warehouse, and the scheduler that fills it."""
    sql = _command(
        commands,
        "sql",
        "query the warehouse catalog (read-only)",
        description="Query the warehouse's catalog. Read-only and confined: queries only "
        "(select, with, from, values, pivot, unpivot, show, describe, summarize); no writes, "
        "copy, attach, explain, "
        "install, load or set; reads no file (everything is in the catalog); no network.",
    )
    sql.add_argument("-c", dest="command", help="run one query and exit")
    sql.add_argument("--warehouse", default=defaults.WAREHOUSE_FOLDER, help=WAREHOUSE_HELP)
    sql.add_argument("--max-rows", type=int, default=50, help="rows shown of a result")
    sql.set_defaults(handler=handlers["sql"])

    quarantine = _command(
        commands,
        "quarantine",
        "the rejected rows: file, line, rules and values as delivered (operator catalog)",
        description="Show the rejected input rows from the operator catalog in the private "
        "work folder: source, period, file, line, the rules each broke and its values as "
        "delivered. Never part of the published warehouse.",
    )
    quarantine.add_argument("--warehouse", default=defaults.WAREHOUSE_FOLDER, help=WAREHOUSE_HELP)
    quarantine.add_argument("--work", help=WORK_HELP)
    quarantine.add_argument("--source", help="one source, e.g. ww")
    quarantine.add_argument("--period", help="one period, e.g. 2024Q2")
    quarantine.add_argument("--limit", type=int, default=50, help="rows shown")
    quarantine.set_defaults(handler=handlers["quarantine"])

    fidelity = _command(commands, "fidelity", "compare recomputed figures with CBS's")
    fidelity.add_argument("--warehouse", default=defaults.WAREHOUSE_FOLDER, help=WAREHOUSE_HELP)
    fidelity.set_defaults(handler=handlers["fidelity"])

    report = _command(commands, "report", "the regional key-figure sheet as HTML")
    report.add_argument("--region", required=True, help="region code, e.g. PV26")
    report.add_argument("--quarter", required=True, help="e.g. 2024Q2")
    report.add_argument("--out", default="report.html", help="HTML file to write")
    report.add_argument("--warehouse", default=defaults.WAREHOUSE_FOLDER, help=WAREHOUSE_HELP)
    report.set_defaults(handler=handlers["report"])

    site = _command(
        commands,
        "site",
        "every region's key-figure sheet as a static site (index + one page per region)",
        description="Write a self-contained static site from the warehouse's marts: an index "
        "per quarter (searchable in the page, no server needed) and one sheet per region and "
        "quarter, linked to the regions above and below it. Built beside --out and swapped "
        "in; --out must be new, empty or a site written earlier.",
    )
    site.add_argument("--out", required=True, help="folder to write the site to, e.g. site")
    site.add_argument(
        "--quarters", help="quarters to write, FIRST..LAST or one (default: all in the warehouse)"
    )
    site.add_argument("--warehouse", default=defaults.WAREHOUSE_FOLDER, help=WAREHOUSE_HELP)
    site.set_defaults(handler=handlers["site"])

    serve = _command(commands, "serve", "serve the Prefect deployment on a quarterly cron")
    serve.add_argument("--raw", default=defaults.RAW_FOLDER, help=RAW_HELP)
    serve.add_argument("--warehouse", default=defaults.WAREHOUSE_FOLDER, help=WAREHOUSE_HELP)
    serve.add_argument("--work", help=WORK_HELP)
    serve.add_argument(
        "--cron",
        default=defaults.QUARTERLY_CRON,
        help="when the deployment runs: six weeks after a quarter ends",
    )
    serve.set_defaults(handler=handlers["serve"])


def _add_run(commands, handlers: Handlers) -> None:
    run = _command(commands, "run", "run the quarterly pipeline")
    run.add_argument("--quarter", metavar="QUARTER", help="one quarter, e.g. 2024Q2")
    run.add_argument("--from", dest="from_", metavar="QUARTER", help="first quarter of a backfill")
    run.add_argument("--to", metavar="QUARTER", help="last quarter of a backfill")
    run.add_argument("--raw", default=defaults.RAW_FOLDER, help=RAW_HELP)
    run.add_argument("--warehouse", default=defaults.WAREHOUSE_FOLDER, help=WAREHOUSE_HELP)
    run.add_argument(
        "--work",
        help="private work folder: staged rows, quarantine, run state, logs, the lock "
        "(default: <warehouse>.work beside the warehouse; never inside it)",
    )
    run.add_argument(
        "--max-reject-share",
        type=float,
        default=defaults.MAX_REJECT_SHARE,
        help="stop when more than this share of a file's rows fail validation",
    )
    run.add_argument("--no-prefect", action="store_true", help="run the steps without Prefect")
    run.add_argument(
        "--task-runner",
        choices=("local", "dask"),
        default="local",
        help="where the flow's tasks run: in this process or on a Dask cluster "
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
        help="seconds to wait for another run on the same warehouse (0: stop at once)",
    )
    run.add_argument(
        "--min-respondents",
        type=int,
        default=defaults.MIN_RESPONDENTS,
        help="respondents a survey figure needs to be published (CBS's rule)",
    )
    run.add_argument(
        "--total-rounding",
        type=int,
        default=defaults.TOTAL_ROUNDING,
        help="survey totals are published rounded to this (CBS's rule)",
    )
    run.add_argument(
        "--variance-clusters",
        choices=defaults.VARIANCE_CLUSTERS,
        default=defaults.VARIANCE_CLUSTERS[0],
        help="clusters of the survey variance",
    )
    run.set_defaults(handler=handlers["run"])
