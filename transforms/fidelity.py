"""`kraptemeter fidelity`: does the pipeline reproduce what CBS publishes?

Compares every figure CBS publishes that can be recomputed from CBS's own inputs (the SQL is
transforms/sql/cbs/marts/fidelity.sql) and reports, per check and table, how many were reproduced
exactly at CBS's rounding, how many differ within the rounding of the inputs, and every other
difference with its region and period.
"""

from __future__ import annotations

from pathlib import Path

from kraptemeter.core.db import connect
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


def report(observations: Path, codes: Path) -> int:
    summary, differences = compare(observations, codes)
    width = max((len(row[0]) for row in summary), default=10)
    print(f"{'check':<{width}}  {'table':<12} {'exact':>7} {'rounding':>9} {'other':>6}")
    for checked, table_id, exact, within, other in summary:
        print(f"{checked:<{width}}  {table_id:<12} {exact:>7} {within:>9} {other:>6}")
    if differences:
        print(f"\n{len(differences)} difference(s) that rounding cannot explain:")
        for checked, table_id, source, region, period, dims, recomputed, published in differences:
            print(
                f"  {table_id} {source} {region} {period} {dims}: {checked}: "
                f"recomputed {recomputed:.4f}, published {published}"
            )
        return 1
    print(
        "\nEvery published figure was reproduced (exactly, or within the rounding of its inputs)."
    )
    return 0
