"""Vacancies: open vacancies at quarter end (per gemeente) and new online vacancies (per
gemeente of the work location, or per arbeidsmarktregio)."""

from __future__ import annotations

from transforms.indicators.indicator import Indicator

INDICATORS = (
    Indicator(
        id="open_vacancies",
        theme="vacancies",
        unit="vacancies",
        label_nl="Openstaande vacatures",
        label_en="Open vacancies",
        definition="open vacancies on the last day of the quarter",
        source="open_vacancies",
        good=None,
        decimals=0,
        headline_position=5,
    ),
    Indicator(
        id="new_vacancies",
        theme="vacancies",
        unit="vacancies",
        label_nl="Nieuwe online vacatures",
        label_en="New online vacancies",
        definition="online vacancies newly arisen in the quarter, counted at the work location",
        source="online_vacancies_gemeente or online_vacancies",
        good=None,
        decimals=0,
        headline_position=6,
    ),
)
