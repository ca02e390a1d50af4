"""Enforce a pandera schema on staged rows with one DuckDB query, and split accepted from rejected.

The schema is compiled into SQL: each column's type, nullability and built-in checks, the
unique key, and the row rules' `sql` form. Every failing row is kept in quarantine with all the
rules it broke (`column: check`); accepted rows are written typed for the transforms.
"""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandera.pandas as pa

from kraptemeter.core.db import file_literal, read_path, sql_path
from kraptemeter.core.errors import TooManyRejected
from schemas.compiler import (
    RULE_SEPARATOR,
    CompiledSchema,
    compile_schema,
    ident,
    literal,
    row_rules,
    sql_columns,
)
from schemas.ingest import READ_CSV, Ingested
from schemas.lines import logical_lines, may_shift_lines
from schemas.staged import ROWS_TO_SUMMARISE, summarised_clean_pass, write_summary
from schemas.typed_read import doubtful_bytes, over_typed_rows


@dataclass
class Validated:
    source: str
    period: str
    rows_read: int
    rows_accepted: int
    rows_quarantined: int
    accepted_path: Path
    quarantine_path: Path
    rule_counts: dict[str, int] = field(default_factory=dict)


def validate(
    con: duckdb.DuckDBPyConnection,
    schema: pa.DataFrameSchema,
    ingested: Ingested,
    period: str,
    variables: dict[str, object],
    accepted_path: Path,
    quarantine_path: Path,
    max_reject_share: float,
    summary: str | None = None,
) -> Validated:
    """Typed accepted rows, and rejected rows with every rule they broke.

    Most deliveries are clean, so the file is first read optimistically: streamed through a
    strict typed reader, every rule checked in one query, the typed rows written, failures
    only counted. A file with any doubt (a value the reader cannot convert, a guard hit, a
    broken rule) is validated again by the exact pass, which reads every field as text,
    numbers the lines and keeps each rejected row as delivered. tests/test_typed_read.py
    shows both accept the same rows with the same values.

    Writes `accepted_path` and `quarantine_path` (with a summary.json beside it); the
    quarantine folder is emptied first, so a re-run replaces it, never appends. With a
    `summary` (schemas/staged.py), `accepted_path` receives that summary of the accepted rows
    instead of the rows: counted in the clean pass itself, or from the exact pass's rows,
    which are then dropped.
    """
    for name, value in variables.items():
        con.execute(f"set variable {name} = ?", [value])
    compiled = compile_schema(schema)
    for variable, mapping in compiled.recodes.items():
        entries = ", ".join(f"({literal(k)}, {literal(v)})" for k, v in sorted(mapping.items()))
        con.execute(f"set variable {variable} = map_from_entries([{entries}])")
    accepted_dir, quarantine_dir = accepted_path.parent, quarantine_path.parent
    shutil.rmtree(quarantine_dir, ignore_errors=True)
    accepted_dir.mkdir(parents=True, exist_ok=True)
    quarantine_path.parent.mkdir(parents=True, exist_ok=True)
    if _clean_pass(con, schema, compiled, ingested, accepted_path, summary):
        con.execute(
            f"copy ({_no_rejected_rows(ingested)}) to '{sql_path(quarantine_path)}' "
            "(format parquet)"
        )
    elif summary is None:
        _exact_pass(con, schema, compiled, ingested, accepted_path, quarantine_path)
    else:
        rows_path = accepted_path.with_name(ROWS_TO_SUMMARISE)
        _exact_pass(con, schema, compiled, ingested, rows_path, quarantine_path)
        write_summary(con, summary, rows_path, accepted_path)
        rows_path.unlink()
    counted = "sum(rows)" if summary else "count(*)"
    accepted = con.execute(
        f"select coalesce({counted}, 0) from read_parquet('{file_literal(accepted_path)}')"
    ).fetchall()[0][0]
    quarantined, rule_counts = _rule_counts(con, quarantine_path)
    result = Validated(
        source=schema.name,
        period=period,
        rows_read=int(accepted) + quarantined,
        rows_accepted=int(accepted),
        rows_quarantined=quarantined,
        accepted_path=accepted_path,
        quarantine_path=quarantine_path,
        rule_counts=rule_counts,
    )
    _write_summary(quarantine_dir / "summary.json", ingested, result)
    _stop_when_too_many_rejected(con, result, ingested, max_reject_share)
    return result


def _write_summary(path: Path, ingested: Ingested, result: Validated) -> None:
    counts = {k: getattr(result, k) for k in ("rows_read", "rows_accepted", "rows_quarantined")}
    summary = {"file": str(ingested.raw_file), **counts, "rules": result.rule_counts}
    path.write_text(json.dumps(summary, indent=2))


def _checked_rows(schema: pa.DataFrameSchema, compiled: CompiledSchema, numbered: bool) -> str:
    """Rows of the delivered file, typed, with the rules each broke (`_rules`, '' when none).
    `numbered` adds the data row number and the unique keys (windows over the whole file);
    both force the rows into one ordered stream."""
    columns = list(schema.columns)
    delivered = ", ".join(f"{ident(c)} as {ident('_t_' + c)}" for c in columns)
    failures = ",\n".join(compiled.failures + (compiled.key_failures if numbered else []))
    return f"""
        with parsed as (
            select {"row_number() over () as _data_row, " if numbered else ""}*
            from {READ_CSV}
        ),
        trimmed as (
            select {"_data_row, " if numbered else ""}{delivered}, {compiled.trimmed}
            from parsed
        ),
        typed as (
            select *, {compiled.typed} from trimmed
        )
        select *, concat_ws({RULE_SEPARATOR}, {failures},
                            {row_rules(schema)}) as _rules
        from typed
    """


def _clean_pass(
    con,
    schema,
    compiled: CompiledSchema,
    ingested: Ingested,
    accepted_path: Path,
    summary: str | None = None,
) -> bool:
    """Write every row typed (or their `summary`); True when the file raised no doubt (the
    typed rows are then the accepted rows).

    The optimistic pass (schemas/typed_read.py): the file is streamed through a strict typed
    reader and every rule is checked in one query over the stream, no line numbers, no
    windows; the unique keys are counted afterwards on the typed Parquet. A value the reader
    cannot convert, a guard hit or a broken rule sends the file to the exact pass."""
    # The byte scan runs beside the query (numpy and memchr let go of the GIL, and the reader
    # and the query leave a core idle part of the time); its verdict is read once both are done.
    with ThreadPoolExecutor(1) as scanner:
        doubt = scanner.submit(doubtful_bytes, ingested.raw_file)
        if summary is not None:
            clean = summarised_clean_pass(con, schema, ingested, summary, accepted_path)
            return clean and not doubt.result()
        if not _write_typed_rows(con, schema, ingested, accepted_path) or doubt.result():
            return False
    # Counted as hashes of typed values: 8 bytes a key instead of the text (~30% faster at 3M
    # spells). Two keys that hash alike count as one, which at worst sends the file to the
    # exact pass; that pass compares the text as delivered.
    distinct = [
        f"count(distinct hash({ident(c)})) filter (where {ident(c)} is not null)"
        f" + count(*) filter (where {ident(c)} is null)"
        for c, column in schema.columns.items()
        if column.unique
    ]
    if schema.unique:
        key = ", ".join(ident(c) for c in schema.unique)
        distinct.append(f"count(distinct hash(row({key})))")
    rows, failed, *distinct_counts = con.execute(
        f"""select count(*), count(*) filter (where _failed) {"".join(", " + d for d in distinct)}
            from read_parquet('{file_literal(accepted_path)}')"""
    ).fetchall()[0]
    return not failed and all(n == rows for n in distinct_counts)


def _write_typed_rows(con, schema, ingested: Ingested, accepted_path: Path) -> bool:
    """The typed rows with `_failed` (a broken rule or guard) to `accepted_path`; False when
    the reader met a value or a line it cannot read."""
    written = over_typed_rows(
        con,
        ingested.raw_file,
        schema,
        ingested.columns,
        lambda checked_rows: con.execute(
            f"copy ({checked_rows}) to '{sql_path(accepted_path)}' (format parquet)"
        ).fetchall(),
    )
    return written is not None


def _exact_pass(con, schema, compiled, ingested, accepted_path: Path, quarantine_path: Path):
    """Number the lines, split accepted from rejected, keep rejected rows as delivered."""
    columns = list(schema.columns)
    as_delivered = ", ".join(f"{literal(c)}: {ident('_t_' + c)}" for c in columns)
    checked_dir = accepted_path.with_name("checked")
    shutil.rmtree(checked_dir, ignore_errors=True)
    _drop_reader_rejects(con)
    # The two outputs are the two partitions of one COPY; the text as delivered is kept only
    # for rejected rows.
    con.execute(
        f"""
        copy (
            select _data_row, {", ".join(ident(c) for c in columns)}, _rules,
                   case when _rules <> '' then {{{as_delivered}}} end as _delivered,
                   _rules <> '' as _rejected
            from ({_checked_rows(schema, compiled, numbered=True)})
        ) to '{sql_path(checked_dir)}' (format parquet, partition_by (_rejected))
        """,
        {"path": read_path(ingested.raw_file), "columns": _as_delivered(ingested)},
    )
    _write_quarantine(con, ingested, checked_dir, quarantine_path)
    accepted_parts = sorted(checked_dir.glob("_rejected=false/*.parquet"))
    select_typed = ", ".join(ident(c) for c in columns)
    if len(accepted_parts) == 1:
        # kept as written (with _data_row and empty _rules): readers select the schema's columns
        accepted_parts[0].replace(accepted_path)
    else:  # none accepted (or a split output): write the typed rows as one file
        source = (
            f"read_parquet([{', '.join(literal(read_path(p)) for p in accepted_parts)}])"
            if accepted_parts
            else f"(select {_null_typed(schema)} limit 0)"
        )
        con.execute(
            f"copy (select {select_typed} from {source}) "
            f"to '{sql_path(accepted_path)}' (format parquet)"
        )
    shutil.rmtree(checked_dir, ignore_errors=True)


def _as_delivered(ingested: Ingested) -> dict[str, str]:
    """The reader's columns in the file's own order: a delivery with its columns in another
    order is read by name, never with two columns' values swapped."""
    return {column: "VARCHAR" for column in ingested.columns}


def _drop_reader_rejects(con) -> None:
    for table in ("csv_rejects", "csv_reject_scans"):
        con.execute(f"drop table if exists {table}")


def _write_quarantine(con, ingested: Ingested, checked_dir: Path, quarantine_path: Path) -> None:
    """Rejected rows (as delivered, with every rule they broke) and unsplittable lines."""
    quarantine_path.parent.mkdir(parents=True, exist_ok=True)
    rejected = sorted(checked_dir.glob("_rejected=true/*.parquet"))
    con.execute(
        "create or replace temp table csv_rejected as "
        "select distinct on (line) line as _line, error_type, error_message, csv_line "
        "from csv_rejects order by line"
    )
    parsed_rows = con.execute(
        f"select count(*) from read_parquet('{file_literal(checked_dir)}/*/*.parquet')"
    ).fetchall()[0][0]
    _number_lines(con, ingested, int(parsed_rows))
    failing = (
        f"""select {literal(str(ingested.raw_file))} as _file, l._line::bigint as _line,
                   string_split(r._rules, {RULE_SEPARATOR}) as _rules, null::varchar as _raw_line,
                   unnest(r._delivered)
            from read_parquet([{", ".join(literal(read_path(p)) for p in rejected)}]) r
            join line_numbers l using (_data_row)"""
        if rejected
        else _no_rejected_rows(ingested)
    )
    con.execute(
        f"""copy (
            select * from ({failing})
            union all by name
            select {literal(str(ingested.raw_file))} as _file, _line::bigint as _line,
                   ['csv: ' || error_type || ' (' || error_message || ')'] as _rules,
                   csv_line as _raw_line
            from csv_rejected
            order by _line
        ) to '{sql_path(quarantine_path)}' (format parquet)"""
    )
    for table in ("csv_rejected", "line_numbers"):
        con.execute(f"drop table {table}")
    _drop_reader_rejects(con)


def _number_lines(con, ingested: Ingested, parsed_rows: int) -> None:
    """`line_numbers` (a parsed row's file line) and `csv_rejected` renumbered to file lines.

    Usually a parsed row's line is its position among the lines the reader did not reject
    (+1 for the header). A file with quotes or blank lines is walked to find the true lines."""
    rejects = con.execute("select count(*) from csv_rejected").fetchall()[0][0]
    con.execute(
        f"""
        create or replace temp table line_numbers as
        with all_lines as (select range + 2 as _line from range({parsed_rows} + {rejects}))
        select row_number() over (order by _line) as _data_row, _line
        from all_lines anti join csv_rejected using (_line)
        """
    )
    if not may_shift_lines(ingested.raw_file):
        return
    con.register("file_lines", logical_lines(ingested.raw_file))
    (agrees,) = con.execute(
        f"""select count(*) filter (where logical > 1 and not blank) = {parsed_rows} + {rejects}
                   and {rejects} = (select count(*) from csv_rejected
                                    semi join file_lines on logical = _line and not blank)
            from file_lines"""
    ).fetchall()[0]
    if agrees:  # otherwise the reader split the file its own way: keep its numbers
        con.execute(
            """
            create or replace temp table line_numbers as
            select row_number() over (order by logical) as _data_row, physical as _line
            from file_lines
            where logical > 1 and not blank
              and logical not in (select _line from csv_rejected);
            create or replace temp table csv_rejected as
            select physical as _line, error_type, error_message, csv_line
            from csv_rejected join file_lines on logical = _line
            """
        )
    con.unregister("file_lines")


def _null_typed(schema: pa.DataFrameSchema) -> str:
    return ", ".join(f"null::{t} as {ident(c)}" for c, t in sql_columns(schema))


def _no_rejected_rows(ingested: Ingested) -> str:
    """The quarantine's shape with no rows: file, line, rules, raw line, columns as text."""
    text = ", ".join(f"null::varchar as {ident(c)}" for c in ingested.columns)
    return (
        "select null::varchar as _file, null::bigint as _line, null::varchar[] as _rules, "
        f"null::varchar as _raw_line, {text} limit 0"
    )


def _rule_counts(con, quarantine_path: Path) -> tuple[int, dict[str, int]]:
    rows = con.execute(
        f"select count(*) from read_parquet('{file_literal(quarantine_path)}')"
    ).fetchall()[0][0]
    counts = dict(
        con.execute(
            f"""select reason, count(*) from (
                    select unnest(_rules) as reason
                    from read_parquet('{file_literal(quarantine_path)}')
                ) group by reason order by count(*) desc, reason"""
        ).fetchall()
    )
    return int(rows), counts


def _stop_when_too_many_rejected(
    con: duckdb.DuckDBPyConnection, result: Validated, ingested: Ingested, max_share: float
) -> None:
    if result.rows_read == 0 or result.rows_quarantined / result.rows_read <= max_share:
        return
    examples = con.execute(
        f"""select _line, _rules from read_parquet('{file_literal(result.quarantine_path)}')
            order by _line limit 5"""
    ).fetchall()
    rules = "; ".join(f"{rule} ({count})" for rule, count in result.rule_counts.items())
    shown = "\n".join(f"  line {line}: {', '.join(rules_)}" for line, rules_ in examples)
    raise TooManyRejected(
        f"{ingested.raw_file}: {result.rows_quarantined} of {result.rows_read} rows failed "
        f"validation ({result.rows_quarantined / result.rows_read:.1%} > allowed "
        f"{max_share:.1%}).\nRules broken: {rules}\nFirst rows:\n{shown}\n"
        f"All rejected rows are in {result.quarantine_path}"
    )
