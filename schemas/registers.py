"""Person-level benefit registers (UWV / gemeenten): spells with start and end dates.

A quarterly extract holds every spell that overlaps the quarter; stocks, inflow, outflow and
durations are derived from the dates in transforms/, never delivered ready-made.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa

from kraptemeter.core.periods import Quarter
from schemas.common import gemeente_code, sex
from schemas.rules import row_rule

SCHEMES = {
    "ww": ["WW"],
    "bijstand": ["bijstand_tot_aow", "bijstand_vanaf_aow"],
    "wajong": ["Wajong"],
    "wia_wao": ["WGA", "IVA", "WAO"],
    "job_seekers": ["zonder_dienstverband", "met_dienstverband"],
}


def schema_factory(register: str) -> Callable[[Quarter], pa.DataFrameSchema]:
    def schema(quarter: Quarter) -> pa.DataFrameSchema:
        start, end = pd.Timestamp(quarter.start), pd.Timestamp(quarter.end)
        return pa.DataFrameSchema(
            name=register,
            description=f"{register} spells overlapping {quarter.label}",
            columns={
                "spell_id": pa.Column(str, pa.Check.str_matches(r"^[A-Za-z0-9_-]{1,40}$")),
                "person_id": pa.Column(str, pa.Check.str_matches(r"^[A-Za-z0-9_-]{1,40}$")),
                "gemeente_code": gemeente_code(),
                "scheme": pa.Column(str, pa.Check.isin(SCHEMES[register])),
                "start_date": pa.Column(pa.Date, description="first day of the benefit"),
                "end_date": pa.Column(
                    pa.Date, nullable=True, description="last day; empty while running"
                ),
                "age": pa.Column(int, pa.Check.in_range(0, 110)),
                "sex": sex(),
            },
            checks=[
                row_rule(
                    "end_not_before_start",
                    "end_date is null or end_date >= start_date",
                    lambda f: f["end_date"].isna() | (f["end_date"] >= f["start_date"]),
                    "a spell cannot end before it starts",
                ),
                row_rule(
                    "spell_overlaps_quarter",
                    "start_date <= getvariable('period_end')"
                    " and (end_date is null or end_date >= getvariable('period_start'))",
                    lambda f: (
                        (pd.to_datetime(f["start_date"]) <= end)
                        & (f["end_date"].isna() | (pd.to_datetime(f["end_date"]) >= start))
                    ),
                    "the extract of a quarter holds only spells running at some day of it",
                ),
                row_rule(
                    "start_after_age_14",
                    # An age that is missing or out of range is reported by its own check.
                    # SQL evaluates every branch of the `or`: the age is clamped before any
                    # arithmetic, so the largest bigint cannot overflow it.
                    "age is null or age not between 0 and 110 or start_date >="
                    " getvariable('period_end')"
                    " - (least(greatest(age, 14), 110)::integer - 14) * 366",
                    lambda f: (
                        f["age"].isna()
                        | ~f["age"].between(0, 110)
                        | (
                            pd.to_datetime(f["start_date"])
                            >= end - pd.to_timedelta((f["age"].clip(14, 110) - 14) * 366, "D")
                        )
                    ),
                    "nobody's benefit starts before they are 15 (14: the age is rounded); "
                    "a start in the year 0001 or 1849 is a placeholder, not a date",
                ),
            ],
            unique=["spell_id"],
            strict=True,
        )

    return schema
