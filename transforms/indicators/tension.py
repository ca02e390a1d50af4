"""Labour-market tension: vacancies against WW (UWV) and against the unemployed (CBS)."""

from __future__ import annotations

from transforms.indicators.indicator import Indicator

INDICATORS = (
    Indicator(
        id="uwv_tension",
        theme="tension",
        unit="ratio",
        label_nl="Spanningsindicator (UWV)",
        label_en="UWV tension",
        definition="open vacancies / running WW under six months; label = typering "
        "(zeer ruim < 0.25 <= ruim < 0.67 <= gemiddeld < 1.5 <= krap < 4 <= zeer krap)",
        source="open_vacancies, ww",
        good=None,
        numerator="open_vacancies",
        denominator="ww_short_duration",
        decimals=2,
        headline_position=15,
    ),
    Indicator(
        id="vacancies_per_100_unemployed",
        theme="tension",
        unit="per 100 unemployed",
        label_nl="Vacatures per 100 werklozen",
        label_en="Vacancies per 100 unemployed",
        definition="open vacancies / unemployed (EBB, as published, rounded) x 100; "
        "suppressed where the unemployed rest on too few respondents",
        source="open_vacancies, ebb",
        good=None,
        numerator="open_vacancies",
        denominator="unemployed",
        decimals=0,
    ),
)
