"""The analysts' SQL catalog: warehouse.duckdb, every mart and record of the warehouse as a
table (the marts are a few MB), with the comments of every table and column. It is public,
like the rest of the warehouse: no rejected row, staged row or run message is in it (those
are in the operator catalog of the work folder, operator.py).

`indicators` is the dashboards' view: one figure per region x period x period_type x
indicator, chosen from `indicator_candidates` (every figure of the Parquet mart `indicators`,
pipeline and CBS alike) by the precedence in transforms/sql/catalog/indicators.sql.

The file reads nothing outside itself: a plain `duckdb.connect(path, read_only=True)` answers
from any working directory, and a copy of the file (or of the warehouse folder) answers
anywhere. Each publish builds a new catalog beside the old one from the version it has just
published and swaps it in with one rename: a reader that has the old file open keeps a
consistent view of the previous version; the next connection sees the new one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from importlib import resources
from pathlib import Path

import duckdb

from kraptemeter.core.db import read_path
from kraptemeter.warehouse.column_docs import describe
from kraptemeter.warehouse.layout import CATALOG_FILE, Warehouse
from transforms.indicators import INDICATORS

# The mart whose catalog relation is a choice among its rows: the Parquet mart `indicators`
# is the catalog's table `indicator_candidates`, and `indicators` is the view on it.
CANDIDATES = {"indicators": "indicator_candidates"}

MART_DESCRIPTIONS = {
    "indicators": "The dashboards' figures: one per region x period x period_type x indicator, "
    "chosen from indicator_candidates (see its source column)",
    "indicator_candidates": "Every figure of every source, long: region x period x indicator x "
    "source (the Parquet mart indicators); the view indicators chooses one per cell",
    "indicator_breakdowns": "Indicators split by education, labour position, sector, occupation",
    "labour_force": "EBB labour force per region and quarter (wide)",
    "llo": "Lifelong-learning participation per region and quarter (wide)",
    "vacancies": "Open and new vacancies per region and quarter (wide)",
    "benefits": "Benefit stocks and flows per region and quarter (wide)",
    "tension": "Labour-market tension with the UWV typering per region and quarter",
    "pressure": "Grey, green and demographic pressure per region and year (wide)",
    "key_figures": "Headline figures of the regional key-figure sheet with their changes",
    "indicators_monthly": "Monthly figures from CBS tables (kept monthly: not a quarter-end stock)",
    "runs": "One row per run: inputs with sha256, row counts per source, partitions, outcome",
    "lineage": "Per published partition: the input files that made it (last successful run)",
    "cbs_observations": "Every cell of the landed CBS tables, as published, with its status",
    "cbs_codes": "Dimension codes of the landed CBS tables with their titles",
    "regions": "Every region code with its name, level, classification year and the codes of "
    "the regions above it",
    "indicator_coverage": "Per indicator, period and region level: how many regions have a "
    "figure, as published (new vacancies delivered per arbeidsmarktregio exist only for "
    "arbeidsmarktregio's and Nederland in that quarter)",
}


RUN_COLUMNS = """{
    run_id: 'VARCHAR', code_version: 'VARCHAR', code_fingerprint: 'VARCHAR',
    quarters: 'VARCHAR[]', started: 'TIMESTAMPTZ', ended: 'TIMESTAMPTZ', outcome: 'VARCHAR',
    message: 'VARCHAR', skipped_quarters: 'VARCHAR[]',
    sources: 'STRUCT(source VARCHAR, period VARCHAR, file VARCHAR, sha256 VARCHAR,
        size_bytes BIGINT, rows_read BIGINT, rows_accepted BIGINT, rows_quarantined BIGINT,
        rules MAP(VARCHAR, BIGINT))[]',
    partitions: 'VARCHAR[]',
    cbs_tables: 'STRUCT(table_id VARCHAR, name VARCHAR, format VARCHAR, sha256 VARCHAR,
        vintage VARCHAR, landed_at VARCHAR)[]',
    window_inputs: 'STRUCT(used_by VARCHAR, source VARCHAR, period VARCHAR, file VARCHAR,
        sha256 VARCHAR)[]'
}"""

# "Which files made this number": per published partition, the last successful run that
# wrote or confirmed it, the input files of that partition's period and the EBB deliveries of
# the three quarters before it that its rolling (four-quarter) figures rest on.
# Changes on earlier periods are read from those periods' published marts: their lineage.
LINEAGE_VIEW = """
create or replace view lineage as
with written as (
    select r.run_id, r.ended, unnest(r.partitions) as partition, r.sources, r.cbs_tables,
           r.window_inputs
    from runs r where r.outcome = 'succeeded'
),
latest as (
    select *,
           split_part(partition, '/', 1) as mart,
           -- `<mart>/<period>/<file>`; runs before that layout wrote `period=<period>`
           regexp_replace(split_part(partition, '/', 2), '^period=', '') as period,
           split_part(partition, '/', -1) as file_name
    from written
    qualify row_number() over (partition by partition order by ended desc) = 1
)
select distinct l.mart, l.period, l.partition, l.run_id, l.ended as run_ended,
       s.source, s.file, s.sha256, s.size_bytes, s.rows_read, s.rows_accepted,
       s.rows_quarantined
from latest l, unnest(l.sources) as t(s)
where l.file_name = 'data.parquet' and (s.period = l.period or s.period = left(l.period, 4))
union all
select l.mart, l.period, l.partition, l.run_id, l.ended, w.source, w.file, w.sha256,
       null, null, null, null
from latest l, unnest(l.window_inputs) as t(w)
where l.file_name = 'data.parquet' and w.used_by = l.period
union all
select l.mart, l.period, l.partition, l.run_id, l.ended, 'cbs:' || c.table_id, c.name,
       c.sha256, null, null, null, null
from latest l, unnest(l.cbs_tables) as t(c)
where l.file_name = 'cbs.parquet'
"""


def refresh(house: Warehouse) -> Path:
    """Build the catalog beside the current one from the published version, and swap it in
    atomically (os.replace): open readers keep the file they have.

    When nothing but the run records changed since the current catalog was built (a run
    that published nothing), the new one is a copy of it with the `runs` table replaced.
    What a catalog was built from is written beside it after the swap, so a swap that was
    not followed by that record (a killed run) makes the next refresh a full one."""
    target = house.catalog_file
    building = target.with_name(f".{target.name}.building")
    built_from = target.with_name(f".{target.name}.source")
    building.unlink(missing_ok=True)
    version = house.marts.resolve()  # one version throughout, whatever a publish does next
    source = _source_of(house, version)
    runs_only = target.is_file() and _read_text(built_from) == source
    if runs_only:
        shutil.copyfile(target, building)
    con = duckdb.connect(str(building))
    try:
        con.execute("begin")
        if runs_only:
            _create_runs(con, house)
            _comment_relations(con, only=("runs", "lineage"))
        else:
            for mart in house.published_marts():
                files = sorted((version / mart).glob("*/*.parquet"))
                table = CANDIDATES.get(mart, mart)
                _create_table(con, table, "read_parquet($files, union_by_name = true)", files)
            if house.regions_file.is_file():
                _create_table(con, "regions", "read_parquet($files)", [house.regions_file])
            _create_coverage_view(con)  # the catalog's region_levels read it
            _create_catalog_view(con)  # the chosen views read the declared units from it
            _create_chosen_views(con)
            _create_input_tables(con, house)
            _comment_relations(con)
        con.execute("commit")
    finally:
        con.close()
    os.replace(building, target)
    writing = built_from.with_name(built_from.name + ".building")
    writing.write_text(source)
    writing.replace(built_from)
    return target


def _source_of(house: Warehouse, version: Path) -> str:
    """Everything but the run records a catalog is built from: the published version, the
    region hierarchy, staged CBS tables and the code that builds it."""
    files = [house.regions_file, house.cbs_observations, house.cbs_codes]
    stats = [
        (str(path), s.st_size, s.st_mtime_ns, s.st_ino)
        for path in files
        if (s := _stat(path)) is not None
    ]
    code = hashlib.sha256(repr(INDICATORS).encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):  # this module, column docs, ...
        code.update(module.read_bytes())
    for view in sorted(resources.files("transforms").joinpath("sql", "catalog").iterdir()):
        code.update(view.read_bytes())  # the dashboards' views
    return json.dumps({"version": str(version), "files": stats, "code": code.hexdigest()})


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:
        return None


def _create_table(
    con: duckdb.DuckDBPyConnection, name: str, source: str, files: list[Path]
) -> None:
    con.execute(
        f"create or replace table {name} as select * from {source}",
        {"files": [read_path(path) for path in files]},
    )


def _create_chosen_views(con: duckdb.DuckDBPyConnection) -> None:
    """`indicators`, one figure per cell, on `indicator_candidates` (with the regions table,
    for one name per region code)."""
    present = tables(con)
    for mart, candidates in CANDIDATES.items():
        if candidates not in present:
            continue
        # (every run installs the regions reference before it publishes anything)
        chosen = catalog_sql(mart) if "regions" in present else f"from {candidates}"
        con.execute(f"create or replace view {mart} as {chosen}")


def catalog_sql(name: str) -> str:
    return (resources.files("transforms") / "sql" / "catalog" / f"{name}.sql").read_text("utf-8")


def _create_input_tables(con: duckdb.DuckDBPyConnection, house: Warehouse) -> None:
    """Staged CBS tables, runs (tables) and lineage (a view on runs)."""
    for table, path in (
        ("cbs_observations", house.cbs_observations),
        ("cbs_codes", house.cbs_codes),
    ):
        if path.is_file():
            _create_table(con, table, "read_parquet($files)", [path])
    _create_runs(con, house)


def _create_runs(con: duckdb.DuckDBPyConnection, house: Warehouse) -> None:
    readable, _ = run_manifests(house)
    if readable:
        con.execute(
            "create or replace table runs as select * from read_json_auto($files, "
            "union_by_name = true, columns = " + RUN_COLUMNS + ") order by started, run_id",
            {"files": [read_path(path) for path in readable]},
        )
        con.execute(LINEAGE_VIEW)


def run_manifests(house: Warehouse) -> tuple[list[Path], list[Path]]:
    """(readable, damaged) run manifests: a damaged one (a disk that filled up, a hand edit)
    is left out of the `runs` view, so it cannot take the view down for every run."""
    readable, damaged = [], []
    for path in sorted(house.runs.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            ok = isinstance(record, dict) and {"run_id", "outcome"} <= record.keys()
        except (OSError, ValueError):
            ok = False
        (readable if ok else damaged).append(path)
    return readable, damaged


def _comment_relations(con: duckdb.DuckDBPyConnection, only: tuple[str, ...] = ()) -> None:
    relations = con.execute(
        "select table_name, 'table' from duckdb_tables() "
        "where not internal and database_name = current_database() "
        "union all select view_name, 'view' from duckdb_views() "
        "where not internal and database_name = current_database()"
    ).fetchall()
    for name, kind in relations:
        if only and name not in only:
            continue
        if name in MART_DESCRIPTIONS:
            con.execute(f"comment on {kind} {name} is '{_quote(MART_DESCRIPTIONS[name])}'")
        _comment_columns(con, name)


def _comment_columns(con: duckdb.DuckDBPyConnection, view: str) -> None:
    columns = con.execute(
        "select column_name from duckdb_columns() "
        "where table_name = ? and database_name = current_database()",
        [view],
    ).fetchall()
    for (column,) in columns:
        text = describe(column)
        if text:
            con.execute(f"comment on column {view}.\"{column}\" is '{_quote(text)}'")


def _create_coverage_view(con: duckdb.DuckDBPyConnection) -> None:
    """`indicator_coverage`: the region levels of every indicator's published figures, per
    period (none before anything is published)."""
    if {"indicator_candidates", "regions"} <= tables(con):
        coverage = catalog_sql("indicator_coverage")
        con.execute(f"create or replace view indicator_coverage as {coverage}")


def tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The tables and views of the attached catalog."""
    return {
        row[0]
        for row in con.execute(
            "select table_name from duckdb_tables() where database_name = current_database() "
            "union all select view_name from duckdb_views() "
            "where not internal and database_name = current_database()"
        ).fetchall()
    }


def _create_catalog_view(con: duckdb.DuckDBPyConnection) -> None:
    """The indicator catalog as a view (values inlined: the catalog file needs no Parquet),
    with the region levels the published figures cover (region_levels: derived, not
    declared, since a quarter's deliveries decide them)."""
    rows = []
    for position, i in enumerate(INDICATORS):
        values = [
            i.id,
            i.theme,
            i.label_nl,
            i.label_en,
            i.definition,
            i.unit,
            i.numerator,
            i.denominator,
            i.source,
            i.grain,
            i.regions,
            i.periods,
            "survey" if i.survey_based else "register/table",
            i.good,
        ]
        rows.append(
            f"({position}, "
            + ", ".join("null" if v is None else f"'{_quote(v)}'" for v in values)
            + ")"
        )
    levels = (
        f"({catalog_sql('region_levels')})"
        if "indicator_coverage" in tables(con)
        else "(select null::varchar as indicator, null::varchar[] as region_levels)"
    )
    con.execute(
        "create or replace view catalog as select c.* exclude (position), l.region_levels "
        "from (values " + ", ".join(rows) + ") as "
        "c(position, indicator, theme, label_nl, label_en, definition, unit, numerator, "
        f"denominator, source, grain, regions, periods, kind, good_direction) "
        f"left join {levels} as l using (indicator) order by c.position"
    )
    con.execute(
        "comment on view catalog is 'Every indicator with its definition, unit, "
        "numerator and denominator, source, grain, which direction is good and the region "
        "levels its published figures cover'"
    )
    _comment_columns(con, "catalog")


# What the analysts' prompt runs: queries (select, with, from, show, describe, summarize);
# never a write, attach, install, load, set, copy or create. Not explain either: EXPLAIN
# ANALYZE runs the statement it explains, a COPY included.
QUERY_STATEMENTS = frozenset({duckdb.StatementType.SELECT})


class NotAQuery(ValueError):
    """A statement the read-only prompt does not run."""


def confined(house: Warehouse) -> duckdb.DuckDBPyConnection:
    """The catalog for the SQL prompt: read-only, and reading no file at all (every table is
    inside the catalog), loading no extensions, using no network, with its configuration
    locked so a query cannot undo that."""
    con = connect(house)
    con.execute("set enable_external_access = false")
    con.execute("set autoinstall_known_extensions = false")
    con.execute("set autoload_known_extensions = false")
    con.execute("set lock_configuration = true")
    return con


def require_query(sql: str) -> None:
    """Refuse anything but a query, naming the statement (a parse error is the user's to see)."""
    for statement in duckdb.extract_statements(sql):
        if statement.type in QUERY_STATEMENTS or _is_pivot(statement):
            continue
        kind = statement.type.name.lower()
        raise NotAQuery(
            f"the prompt is read-only: a {kind} statement is not run (queries only: "
            "select, with, from, values, pivot, unpivot, show, describe, summarize)"
        )


def _is_pivot(statement) -> bool:
    """DuckDB parses a PIVOT whose columns it must first find as several statements (MULTI):
    a query all the same (the read-only, confined connection holds the line regardless)."""
    return statement.type == duckdb.StatementType.MULTI and re.match(
        r"\s*pivot\b", statement.query, re.IGNORECASE
    )


def connect(warehouse: Path | Warehouse, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """The catalog of a warehouse folder, as it is now.

    Attached to a new in-memory database rather than opened with `duckdb.connect(path)`: that
    reuses a database this process already has open under the same path, which after a
    publish is the previous catalog file."""
    house = warehouse if isinstance(warehouse, Warehouse) else Warehouse(warehouse)
    con = duckdb.connect(":memory:")
    mode = " (read_only)" if read_only else ""
    con.execute(f"attach '{_quote(house.root / CATALOG_FILE)}' as warehouse{mode}")
    con.execute("use warehouse")
    return con


def _quote(value: object) -> str:
    return str(value).replace("'", "''")
