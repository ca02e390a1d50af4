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
    """The delivery per arbeidsmarktregio: figures for arbeidsmarktregio's and Nederland only
    (an arbeidsmarktregio crosses province borders, so it adds up to nothing else)."""
    region = pa.Column(
        str, pa.Check.isin(ref.arbeidsmarktregio_codes(), error="unknown arbeidsmarktregio")
    )
    return _online_vacancies(
        "online_vacancies", "per arbeidsmarktregio", quarter, "arbeidsmarktregio_code", region
    )


def online_vacancies_gemeente_schema(quarter: Quarter) -> pa.DataFrameSchema:
    """The delivery per gemeente of the work location: rolls up to every region level."""
    return _online_vacancies(
        "online_vacancies_gemeente",
        "per gemeente of the work location",
        quarter,
        "gemeente_code",
        gemeente_code(),
    )


def _online_vacancies(
    name: str, grain: str, quarter: Quarter, region_column: str, region: pa.Column
) -> pa.DataFrameSchema:
    """The two deliveries of new online vacancies differ only in their region column."""
    return pa.DataFrameSchema(
        name=name,
        description=f"Newly arisen online vacancies in the quarter {grain}, by occupation and "
        "education",
        columns={
            "period": period(quarter.cbs_code),
            region_column: region,
            "occupation_class": pa.Column(str, pa.Check.isin(list(ref.OCCUPATION_CLASSES))),
            "education_level": pa.Column(str, pa.Check.isin(ref.EDUCATION_LEVELS)),
            "new_vacancies": pa.Column(int, pa.Check.ge(0)),
        },
        unique=[region_column, "occupation_class", "education_level"],
        strict=True,
    )
