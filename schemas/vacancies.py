"""Vacancy counts: open vacancies at quarter end and newly arisen online vacancies."""

from __future__ import annotations

import pandera.pandas as pa

from kraptemeter.core import reference_data as ref
from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import MAX_PERSONS_PER_GEMEENTE
from schemas.common import gemeente_code, period


def open_vacancies_schema(quarter: Quarter) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        name="open_vacancies",
        description="Open vacancies on the last day of the quarter (83599NED concept), in persons",
        columns={
            "period": period(quarter.cbs_code),
            "gemeente_code": gemeente_code(),
            "sbi_section": pa.Column(str, pa.Check.isin(list(ref.SBI_SECTIONS))),
            "open_vacancies": pa.Column(
                int,
                [
                    pa.Check.ge(0),
                    pa.Check.le(
                        MAX_PERSONS_PER_GEMEENTE,
                        error="more vacancies than any gemeente has people",
                    ),
                ],
                description="number of vacancies",
            ),
        },
        unique=["gemeente_code", "sbi_section"],
        strict=True,
    )


def online_vacancies_schema(quarter: Quarter) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        name="online_vacancies",
        description="Newly arisen online vacancies in the quarter by occupation and education",
        columns={
            "period": period(quarter.cbs_code),
            "arbeidsmarktregio_code": pa.Column(
                str, pa.Check.isin(ref.arbeidsmarktregio_codes(), error="unknown arbeidsmarktregio")
            ),
            "occupation_class": pa.Column(str, pa.Check.isin(list(ref.OCCUPATION_CLASSES))),
            "education_level": pa.Column(str, pa.Check.isin(ref.EDUCATION_LEVELS)),
            "new_vacancies": pa.Column(int, pa.Check.ge(0)),
        },
        unique=["arbeidsmarktregio_code", "occupation_class", "education_level"],
        strict=True,
    )
