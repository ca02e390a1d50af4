"""Row rules that span columns: one pandera Check carrying both its pandas and its SQL form."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa


def row_rule(
    name: str, sql: str, pandas_fn: Callable[[pd.DataFrame], pd.Series], description: str
) -> pa.Check:
    """A dataframe-level check; `sql` is a predicate over the typed columns that must hold.

    A predicate that evaluates to NULL (a value is missing or mistyped) passes here: the
    column's own checks report that row already, with the more precise reason.
    """
    return pa.Check(
        lambda frame: pandas_fn(frame).fillna(True).astype(bool),
        name=name,
        description=description,
        statistics={"sql": sql},
    )


def rule_sql(check: pa.Check) -> str | None:
    return (check.statistics or {}).get("sql")
