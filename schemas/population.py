"""Population on 1 January by gemeente and single year of age (03759ned concept)."""

from __future__ import annotations

import pandera.pandas as pa

from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import MAX_PERSONS_PER_GEMEENTE
from schemas.common import gemeente_code, period

OPEN_AGE = 95  # "95 jaar of ouder"


def schema(quarter: Quarter) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        name="population",
        description="Residents on 1 January (bevolking op 1 januari)",
        columns={
            "period": period(quarter.year_code),
            "gemeente_code": gemeente_code(),
            "age": pa.Column(
                int, pa.Check.in_range(0, OPEN_AGE), description=f"{OPEN_AGE} = {OPEN_AGE} or older"
            ),
            "population": pa.Column(
                int,
                [
                    pa.Check.ge(0),
                    pa.Check.le(
                        MAX_PERSONS_PER_GEMEENTE, error="more people than any gemeente has"
                    ),
                ],
            ),
        },
        unique=["gemeente_code", "age"],
        strict=True,
    )
