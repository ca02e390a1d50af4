"""Demographic pressure: the population on 1 January (annual). Population comes first: the
pressure mart's columns follow this order."""

from __future__ import annotations

from transforms.indicators.indicator import Indicator

PER_100_WORKING_AGE = "per 100 aged 20-64"

INDICATORS = (
    Indicator(
        id="population",
        theme="pressure",
        unit="persons",
        label_nl="Bevolking op 1 januari",
        label_en="Population on 1 January",
        definition="residents on 1 January",
        source="population",
        good=None,
        decimals=0,
        period_type="year",
    ),
    Indicator(
        id="grey_pressure",
        theme="pressure",
        unit=PER_100_WORKING_AGE,
        label_nl="Grijze druk",
        label_en="Grey pressure",
        definition="persons 65+ per 100 persons aged 20-64",
        source="population",
        good=None,
        numerator="persons aged 65+",
        denominator="persons aged 20-64",
        decimals=1,
        period_type="year",
        headline_position=17,
    ),
    Indicator(
        id="green_pressure",
        theme="pressure",
        unit=PER_100_WORKING_AGE,
        label_nl="Groene druk",
        label_en="Green pressure",
        definition="persons 0-19 per 100 persons aged 20-64",
        source="population",
        good=None,
        numerator="persons aged 0-19",
        denominator="persons aged 20-64",
        decimals=1,
        period_type="year",
    ),
    Indicator(
        id="demographic_pressure",
        theme="pressure",
        unit=PER_100_WORKING_AGE,
        label_nl="Totale druk",
        label_en="Demographic pressure",
        definition="grey + green pressure",
        source="population",
        good=None,
        numerator="persons aged 0-19 and 65+",
        denominator="persons aged 20-64",
        decimals=1,
        period_type="year",
    ),
)
