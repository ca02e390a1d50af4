"""`kraptemeter fidelity`: does the pipeline reproduce what CBS publishes?

Compares every figure CBS publishes that can be recomputed from CBS's own inputs (the SQL is
transforms/sql/cbs/marts/fidelity.sql) and reports, per check and table, how many were reproduced
exactly at CBS's rounding, how many differ within the rounding of the inputs, and every other
difference with its region and period; names the landed tables no check covers; and fails on
any figure whose region could not be placed (staging quarantined it).
"""

from __future__ import annotations

from pathlib import Path

from kraptemeter.core.db import connect, file_literal
from kraptemeter.core.errors import InputError
from transforms.cbs import load_cbs_inputs
from transforms.models import run_models


def compare(observations: Path, codes: Path) -> tuple[list[tuple], list[tuple]]:
    """(summary per check and table, every difference) for the staged CBS tables."""
    if not observations.is_file():
        raise InputError(
            f"{observations.parent.parent}: no CBS tables staged; land them with "
            "`kraptemeter import-cbs` and run `kraptemeter run`"
        )
    con = connect()
    try:
        run_models(con, ["fidelity"], load_cbs_inputs(con, observations, codes))
        summary = con.execute(
            """select checked, table_id,
                      count(*) filter (where outcome = 'exact'),
                      count(*) filter (where outcome = 'within_input_rounding'),
                      count(*) filter (where outcome = 'difference')
               from fidelity group by all order by table_id, checked"""
        ).fetchall()
        differences = con.execute(
            """select checked, table_id, source_file, region_code, period_code, dims,
                      recomputed, published
               from fidelity where outcome = 'difference' order by all"""
        ).fetchall()
    finally:
        con.close()
    return summary, differences


def landed_tables(observations: Path) -> list[str]:
    con = connect()
    try:
        rows = con.execute(
            f"select distinct table_id from read_parquet('{file_literal(observations)}') order by 1"
        ).fetchall()
    finally:
        con.close()
    return [table_id for (table_id,) in rows]


def unplaced_cells(quarantine: Path) -> tuple[list[tuple], int]:
    """(cells with a value whose region could not be placed, count of empty ones): CBS's code
    lists hold every region they ever used, so a year's table has empty cells for regions
    that did not exist then; those are no figures. A cell with a value is one."""
    if not quarantine.is_file():
        return [], 0
    con = connect()
    try:
        source = f"read_parquet('{file_literal(quarantine)}')"
        with_value = con.execute(
            f"select table_id, source_file, region, period_code, measure, value, reason "
            f"from {source} where value is not null order by all"
        ).fetchall()
        (empty,) = con.execute(f"select count(*) from {source} where value is null").fetchall()[0]
    finally:
        con.close()
    return with_value, int(empty)


def report(observations: Path, codes: Path, quarantine: Path) -> int:
    summary, differences = compare(observations, codes)
    width = max((len(row[0]) for row in summary), default=10)
    print(f"{'check':<{width}}  {'table':<12} {'exact':>7} {'rounding':>9} {'other':>6}")
    for checked, table_id, exact, within, other in summary:
        print(f"{checked:<{width}}  {table_id:<12} {exact:>7} {within:>9} {other:>6}")
    unchecked = sorted(set(landed_tables(observations)) - {row[1] for row in summary})
    if unchecked:
        print(
            f"\nUnchecked (nothing they publish can be recomputed from landed tables): "
            f"{', '.join(unchecked)}"
        )
    unplaced, empty = unplaced_cells(quarantine)
    if empty:
        print(
            f"\n{empty} empty cell(s) of regions that did not exist in the table's year: no figures"
        )
    failed = False
    if unplaced:
        failed = True
        print(f"\n{len(unplaced)} figure(s) whose region could not be placed ({quarantine}):")
        for table_id, source, region, period, measure, value, reason in unplaced[:20]:
            print(f"  {table_id} {source} {region!r} {period} {measure} = {value}: {reason}")
    if differences:
        failed = True
        print(f"\n{len(differences)} difference(s) that rounding cannot explain:")
        for checked, table_id, source, region, period, dims, recomputed, published in differences:
            print(
                f"  {table_id} {source} {region} {period} {dims}: {checked}: "
                f"recomputed {recomputed:.4f}, published {published}"
            )
    if failed:
        return 1
    print(
        "\nEvery published figure was reproduced (exactly, or within the rounding of its inputs)."
    )
    return 0
