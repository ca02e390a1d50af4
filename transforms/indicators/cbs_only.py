"""Indicators only landed CBS tables give (origin 'cbs'): the seasonally adjusted series of
pipeline indicators, and the benefit recipients of 70072ned. Generated from the pipeline
entries, so they keep those entries' theme, unit, direction and decimals."""

from __future__ import annotations

from dataclasses import replace

from transforms.indicators.indicator import Indicator

SEASONALLY_ADJUSTED = (
    "labour_force",
    "employed",
    "unemployed",
    "unemployment_rate",
    "net_participation",
    "gross_participation",
    "ww_current",
)
RECIPIENTS = (("ww", "WW"), ("bijstand", "bijstand"), ("wajong", "Wajong"), ("wia_wao", "WIA/WAO"))


def cbs_only(pipeline: tuple[Indicator, ...]) -> tuple[Indicator, ...]:
    by_id = {indicator.id: indicator for indicator in pipeline}
    adjusted = tuple(
        replace(
            by_id[name],
            id=f"{name}_sa",
            label_nl=f"{by_id[name].label_nl}, seizoengecorrigeerd",
            label_en=f"{by_id[name].label_en}, seasonally adjusted",
            definition=f"{by_id[name].definition}; seasonally adjusted by CBS",
            source="cbs:85224NED, cbs:80590ned, cbs:37789ksz",
            # CBS adjusts the published series; it is not a ratio of the adjusted parts
            numerator=None,
            denominator=None,
            origin="cbs",
            headline_position=None,
        )
        for name in SEASONALLY_ADJUSTED
    )
    recipients = tuple(
        Indicator(
            id=f"{name}_recipients",
            theme="benefits",
            unit="aantal",
            label_nl=f"Uitkeringsontvangers {label}",
            label_en=f"{label} recipients",
            definition=f"persons receiving a {label} benefit (CBS 70072ned, rounded to "
            "tens; persons, not benefits)",
            source="cbs:70072ned",
            good="down",
            decimals=0,
            period_type="year",
            origin="cbs",
        )
        for name, label in RECIPIENTS
    )
    return adjusted + recipients
