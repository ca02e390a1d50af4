"""EBB-style labour force survey extract: one row per respondent per quarter."""

from __future__ import annotations

import pandera.pandas as pa

from kraptemeter.core import reference_data as ref
from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import MAX_PERSONS_PER_GEMEENTE
from schemas.common import gemeente_code, period, sex
from schemas.rules import row_rule


def schema(quarter: Quarter) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        name="ebb",
        description="Respondents of the Enquête Beroepsbevolking with their ophoogfactor",
        columns={
            "respondent_id": pa.Column(str, pa.Check.str_matches(r"^[A-Za-z0-9_-]{1,40}$")),
            "household_id": pa.Column(
                str,
                pa.Check.str_matches(r"^[A-Za-z0-9_-]{1,40}$"),
                nullable=True,
                description="address (household) sampled; empty: the respondent is its own",
            ),
            "period": period(quarter.cbs_code),
            "gemeente_code": gemeente_code(),
            "age": pa.Column(int, pa.Check.in_range(15, 110), description="age in years"),
            "sex": sex(),
            "education_level": pa.Column(str, pa.Check.isin(ref.EDUCATION_LEVELS)),
            "labour_position": pa.Column(str, pa.Check.isin(ref.LABOUR_POSITIONS)),
            "llo_type": pa.Column(str, pa.Check.isin(ref.LLO_TYPES)),
            "llo_reason": pa.Column(str, pa.Check.isin(ref.LLO_REASONS), nullable=True),
            "weight": pa.Column(
                float,
                # An ophoogfactor is hundreds of persons; below one it was delivered in
                # thousands, or is not a weight at all.
                [
                    pa.Check.ge(
                        1,
                        error="a respondent stands for at least one person (weight in thousands?)",
                    ),
                    pa.Check.le(
                        MAX_PERSONS_PER_GEMEENTE,
                        error="a respondent stands for more people than any gemeente has",
                    ),
                ],
                description="ophoogfactor: persons this respondent stands for",
            ),
        },
        checks=[
            row_rule(
                "werkloos_aged_15_74",
                "labour_position <> 'werkloos' or age between 15 and 74",
                lambda f: (f["labour_position"] != "werkloos") | f["age"].between(15, 74),
                "an unemployed (ILO) respondent is 15 to 75 years old (15 tot 75 jaar)",
            ),
            row_rule(
                "llo_reason_only_when_learning",
                "llo_type <> 'geen' or llo_reason is null",
                lambda f: (f["llo_type"] != "geen") | f["llo_reason"].isna(),
                "a main reason for learning is given only by respondents who learned",
            ),
        ],
        unique=["respondent_id"],
        strict=True,
    )
