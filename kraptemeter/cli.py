"""kraptemeter: Dutch labour-market indicators per region and quarter.

`run` the pipeline over raw/, `sql` the catalog, `quarantine` the rejected rows (private),
`fidelity` against CBS's figures, `report` a region's key-figure sheet, `site` every
region's sheet as a static site, `serve` the quarterly deployment; put data in raw/ with
`sample`, `import-cbs` or `fetch-cbs`.
`kraptemeter COMMAND --help` for each."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from kraptemeter.arguments import build_parser
from kraptemeter.core import settings as defaults
from kraptemeter.core.errors import InputError
from kraptemeter.core.periods import PeriodError, Quarter, parse_quarter_span, quarter_range
from kraptemeter.core.settings import Settings, SurveyRules
from kraptemeter.warehouse.layout import Warehouse, WorkFolder, default_work
from schemas.cbs.observations import CbsFormatError

EXAMPLE_QUERY = "select * from indicators where region_code = 'PV26' and period = '{period}'"


def _quiet_prefect() -> None:
    # Offline machines: no telemetry attempt, and an ephemeral server unless one is configured.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def _quarters(args: argparse.Namespace, raw: Path) -> list[Quarter]:
    from schemas.sources import discover_quarters

    if not raw.is_dir():
        raise InputError(
            f"{raw}: no such folder (--raw); write a sample with `kraptemeter sample --out {raw}`"
        )
    if args.quarter:
        return [Quarter.parse(args.quarter)]
    present = discover_quarters(raw)
    # Files of a quarter still running (an early delivery) wait for it to end; asked for by
    # name (--quarter, --to) it is refused by the run.
    today = datetime.now(UTC).date()
    running = [q for q in present if q.end >= today]
    if running:
        print(f"kraptemeter: not yet: {', '.join(map(str, running))} has not ended; left for later")
        present = [q for q in present if q.end < today]
    if args.from_ or args.to:
        if not present and not (args.from_ and args.to):
            raise InputError(f"{raw}: no input files to take a range from")
        first = Quarter.parse(args.from_) if args.from_ else present[0]
        last = Quarter.parse(args.to) if args.to else present[-1]
        return quarter_range(first, last)
    if not present and not (raw / "cbs").is_dir():
        raise InputError(
            f"{raw}: no input files (expected e.g. ebb/ebb_2024KW02.csv or CBS tables landed "
            "with `kraptemeter import-cbs`); write a sample with `kraptemeter sample --out raw`"
        )
    return present


def _settings(args: argparse.Namespace) -> Settings:
    """The run's settings from its flags, checked once here."""
    rules = SurveyRules(args.min_respondents, args.total_rounding, args.variance_clusters)
    work = Path(args.work) if args.work else None
    return Settings(Path(args.raw), Path(args.warehouse), args.max_reject_share, rules, work)


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    raw, warehouse = settings.raw, settings.warehouse
    from schemas.sources import unrecognised_files

    for path in unrecognised_files(raw):
        print(f"kraptemeter: ignoring {path}: not a file name of any source (see raw/README.md)")
    quarters = _quarters(args, raw)
    if quarters:
        print(f"kraptemeter: {len(quarters)} quarter(s) {quarters[0]}..{quarters[-1]} from {raw}")
    else:
        print(f"kraptemeter: only CBS tables in {raw}")
    if args.no_prefect and (args.task_runner != "local" or args.dask_address):
        raise InputError("--task-runner and --dask-address run the Prefect flow; drop --no-prefect")
    from kraptemeter.run import has_work, run_quarters

    if args.no_prefect or not has_work(settings, quarters, args.force):
        if not args.no_prefect:  # nothing to orchestrate: no temporary Prefect server
            print("kraptemeter: nothing to redo; recording the run without starting Prefect")
        run_quarters(settings, quarters, args.force, args.wait)
    else:
        _quiet_prefect()
        from flows.quarterly import quarterly_flow, task_runner

        runner = task_runner(args.task_runner, args.dask_address)
        quarterly_flow.with_options(task_runner=runner)(
            raw=str(raw),
            warehouse=str(warehouse),
            work=str(settings.work),
            quarters=[q.label for q in quarters],
            max_reject_share=settings.max_reject_share,
            min_respondents=settings.survey.min_respondents,
            total_rounding=settings.survey.total_rounding,
            variance_clusters=settings.survey.clusters,
            force=args.force,
            wait_seconds=args.wait,
        )
    from kraptemeter.run import missing_indicators

    missing = missing_indicators(settings)
    if missing:
        print(f"\nNot computed (no input for them): {', '.join(missing)}")
    house = Warehouse(warehouse)
    print(f"\nMarts:   {house.marts}/<mart>/<period>/*.parquet")
    print(f"Catalog: {house.catalog_file}")
    print(f"Private: {settings.work} (staged rows, quarantine, run state: never publish it)")
    example = EXAMPLE_QUERY.format(period=quarters[-1] if quarters else "2019")
    where = "" if args.warehouse == defaults.WAREHOUSE_FOLDER else f" --warehouse {warehouse}"
    print(f'Query:   .venv/bin/kraptemeter sql{where} -c "{example}"')
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from kraptemeter.sample import write_sample

    paths = write_sample(Path(args.out), parse_quarter_span(args.quarters), args.scale, args.seed)
    print(f"kraptemeter: wrote {len(paths)} sample files to {args.out}")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    from kraptemeter.warehouse import catalog

    house = Warehouse(args.warehouse)
    if not house.catalog_file.is_file():
        hint = (
            "give the warehouse with --warehouse, or run `kraptemeter run` first"
            if args.warehouse == defaults.WAREHOUSE_FOLDER
            else "run `kraptemeter run` first"
        )
        raise InputError(f"{house.root}: no {house.catalog_file.name} here; {hint}")
    con = catalog.confined(house)  # reads no file: every table is in it
    failed = False
    queries = [args.command] if args.command else _read_queries()
    for query in queries:
        try:
            catalog.require_query(query)
            relation = con.sql(query)
            if relation is not None:
                relation.show(max_rows=args.max_rows, max_width=200)
        except Exception as error:  # a user's SQL error is shown, and the prompt goes on
            print(f"error: {error}", file=sys.stderr)
            failed = True
    con.close()
    # a script (-c, or queries piped in) learns that one failed; a person at the prompt saw it
    return 1 if failed and (args.command or not sys.stdin.isatty()) else 0


def _read_queries():
    interactive = sys.stdin.isatty()
    buffer = ""
    while True:
        if interactive:
            print("kraptemeter> " if not buffer else "        ...> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            break
        buffer += line
        if buffer.strip().endswith(";"):
            yield buffer.strip().rstrip(";")
            buffer = ""
    if buffer.strip():
        yield buffer.strip()


def cmd_quarantine(args: argparse.Namespace) -> int:
    from kraptemeter.warehouse import operator

    work = WorkFolder(args.work or default_work(args.warehouse))
    if not work.operator_catalog.is_file():
        raise InputError(
            f"{work.root}: no {work.operator_catalog.name}; run `kraptemeter run` first"
        )
    con = operator.connect(work)
    try:
        where, params = [], []
        for column in ("source", "period"):
            if getattr(args, column):
                where.append(f"{column} = ?")
                params.append(getattr(args, column))
        condition = f"where {' and '.join(where)}" if where else ""
        total = con.execute(f"select count(*) from quarantine {condition}", params).fetchall()
        rows = con.execute(
            f"select source, period, file, line, rules, delivered, raw_line from quarantine "
            f"{condition} order by source, period, file, line limit ?",
            [*params, max(args.limit, 0)],
        ).fetchall()
    finally:
        con.close()
    for source, period, file, line, rules, delivered, raw_line in rows:
        print(f"{source} {period} {file}, line {line}: {', '.join(rules or [])}")
        values = "; ".join(f"{k}={v}" for k, v in (delivered or {}).items() if v is not None)
        print(f"    {values or raw_line or '(no values)'}")
    print(
        f"kraptemeter: {total[0][0]} rejected rows ({len(rows)} shown) in {work.operator_catalog}"
    )
    return 0


def cmd_import_cbs(args: argparse.Namespace) -> int:
    from schemas.cbs.landing import import_cbs

    landed, skipped = import_cbs(Path(args.path), Path(args.raw), args.table)
    for entry in landed:
        print(f"landed {entry.table_id:<12} {entry.format:<14} {entry.name}")
    for reason in skipped:
        print(f"kraptemeter: skipped {reason}", file=sys.stderr)
    # asked to import a folder, a script must learn that part of it was not imported
    return 1 if skipped else 0


def cmd_fetch_cbs(args: argparse.Namespace) -> int:
    from schemas.cbs.fetch import fetch_cbs

    entry = fetch_cbs(args.table, Path(args.raw), args.filter, args.base_url)
    landed = Path(args.raw) / "cbs" / entry.table_id / entry.name
    print(f"landed {entry.table_id} ({entry.format}) as {landed}")
    return 0


def cmd_fidelity(args: argparse.Namespace) -> int:
    from transforms.fidelity import report

    house = Warehouse(args.warehouse)
    return report(house.cbs_observations, house.cbs_codes, house.cbs_quarantine)


def cmd_report(args: argparse.Namespace) -> int:
    from kraptemeter.report import build_report

    region = args.region.strip().upper()  # pv26 is PV26
    page = build_report(Path(args.warehouse), region, Quarter.parse(args.quarter))
    Path(args.out).write_text(page, encoding="utf-8")
    print(f"kraptemeter: wrote {args.out}")
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    from kraptemeter.site import build_site

    started = time.perf_counter()
    quarters = parse_quarter_span(args.quarters) if args.quarters else None
    site = build_site(Path(args.warehouse), Path(args.out), quarters)
    print(
        f"kraptemeter: wrote {site.sheets} sheets of {len(site.quarters)} quarter(s) "
        f"({site.quarters[0]}..{site.quarters[-1]}) to {site.out} in "
        f"{time.perf_counter() - started:.1f} s; open {site.out / 'index.html'}"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _quiet_prefect()
    from prefect import serve

    from flows.quarterly import deployment

    warehouse = Path(args.warehouse).resolve()
    work = Path(args.work).resolve() if args.work else default_work(warehouse)
    serve(deployment(str(Path(args.raw).resolve()), str(warehouse), args.cron, str(work)))
    return 0


HANDLERS = {
    "run": cmd_run,
    "sample": cmd_sample,
    "sql": cmd_sql,
    "quarantine": cmd_quarantine,
    "import_cbs": cmd_import_cbs,
    "fetch_cbs": cmd_fetch_cbs,
    "fidelity": cmd_fidelity,
    "report": cmd_report,
    "site": cmd_site,
    "serve": cmd_serve,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser(HANDLERS, __doc__).parse_args(argv)
    try:
        return args.handler(args)
    except (InputError, PeriodError, CbsFormatError) as error:
        print(f"kraptemeter: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "kraptemeter: interrupted; a run that had begun is recorded as failed: the "
            "quarters it finished stay published, the one it was doing is as it was before",
            file=sys.stderr,
        )
        return 130
    except Exception as error:  # a paragraph for the user, the traceback in a log file
        if args.debug:
            raise
        log = _write_traceback(getattr(args, "warehouse", None), getattr(args, "work", None))
        where = f"The traceback is in {log}" if log else "No log could be written"
        print(
            f"kraptemeter: unexpected error ({type(error).__name__}): {error}\n"
            "A run that had begun is recorded as failed in the runs table: the quarters it "
            "finished stay published, the one it was doing is as it was before. "
            f"{where}; `kraptemeter --debug ...` shows it here.",
            file=sys.stderr,
        )
        return 1


def _write_traceback(warehouse: str | None, work: str | None = None) -> Path | None:
    """The traceback in the work folder's logs (private: a traceback can show a delivered
    value), else the temporary folder (a full or read-only disk), else nowhere."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = work or (default_work(warehouse) if warehouse else None)
    folders = [WorkFolder(folder).logs] if folder else []
    for folder in [*folders, Path(tempfile.gettempdir())]:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"kraptemeter-{stamp}.log"
            path.write_text(traceback.format_exc(), encoding="utf-8")
            return path
        except OSError:
            continue
    return None


if __name__ == "__main__":
    sys.exit(main())
