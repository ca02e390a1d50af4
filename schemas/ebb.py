"""EBB-style labour force survey extract: one row per respondent per quarter."""

from __future__ import annotations

import pandera.pandas as pa

from kraptemeter import reference_data as ref
from kraptemeter.periods import Quarter
from schemas.common import gemeente_code, period, sex, werkloos_age_rule
from schemas.rules import row_rule


def schema(quarter: Quarter) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        name="ebb",
        description="Respondents of the Enquête Beroepsbevolking with their ophoogfactor",
        columns={
            "respondent_id": pa.Column(str, pa.Check.str_matches(r"^[A-Za-z0-9_-]{1,40}$")),
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
                pa.Check.gt(0),
                description="ophoogfactor: persons this respondent stands for",
            ),
        },
        checks=[
            werkloos_age_rule(),
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
