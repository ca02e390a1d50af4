"""One declaration per indicator: the single place its unit, meaning, formula, decimals, good
direction, wide-mart column (its theme) and key-figure position live.

Entries are keyword-only, one module per theme; INDICATORS holds them in declaration order,
which is the order of the wide marts' columns, the catalog view and docs/indicators.md. The
transforms load this as the `indicator_catalog` table; the docs are generated from it.
"""

from __future__ import annotations

from transforms.indicators import benefits, labour_force, llo, pressure, tension, vacancies
from transforms.indicators.cbs_only import cbs_only
from transforms.indicators.indicator import Indicator

PIPELINE: tuple[Indicator, ...] = (
    pressure.INDICATORS
    + labour_force.INDICATORS
    + llo.INDICATORS
    + vacancies.INDICATORS
    + benefits.INDICATORS
    + tension.INDICATORS
)
INDICATORS: tuple[Indicator, ...] = PIPELINE + cbs_only(PIPELINE)
BY_ID = {indicator.id: indicator for indicator in INDICATORS}
THEMES = tuple(dict.fromkeys(indicator.theme for indicator in INDICATORS))
HEADLINE = tuple(
    sorted((i for i in INDICATORS if i.headline_position), key=lambda i: i.headline_position)
)

if len(BY_ID) < len(INDICATORS):
    raise ValueError("an indicator id is declared twice")
if len({i.headline_position for i in HEADLINE}) < len(HEADLINE):
    raise ValueError("two indicators declare the same headline_position")

__all__ = ["BY_ID", "HEADLINE", "INDICATORS", "PIPELINE", "THEMES", "Indicator", "render_markdown"]


def render_markdown() -> str:
    """docs/indicators.md, generated from this catalog (`make docs`; CI checks it is current)."""
    lines = [
        "# Indicators",
        "",
        "Generated from `transforms/indicators/` by `make docs`; do not edit by hand.",
        "In the warehouse the same list is the `catalog` view. There `regions` is what follows",
        "below (the levels an indicator can be computed for) and `region_levels` the levels its",
        "published figures cover, in any period; the view `indicator_coverage` has them per",
        "period (a quarter's deliveries decide them: new online vacancies delivered per",
        "arbeidsmarktregio exist for arbeidsmarktregio's and Nederland only).",
        "",
    ]
    for theme in THEMES:
        lines += [f"## {theme}", ""]
        for i in (i for i in INDICATORS if i.theme == theme):
            lines += _entry(i)
    return "\n".join(lines)


def _entry(i: Indicator) -> list[str]:
    good = {"up": "higher is better", "down": "lower is better"}.get(i.good, "neither")
    kind = (
        "survey estimate (EBB), with 95% interval" if i.survey_based else "count or ratio of counts"
    )
    lines = [
        f"### `{i.id}` — {i.label_en} / {i.label_nl}",
        "",
        f"- Definition: {i.definition}",
        f"- Unit: {i.unit}; shown with {i.decimals} decimal{'' if i.decimals == 1 else 's'}",
    ]
    if i.numerator:
        lines.append(f"- Formula: {i.numerator} / {i.denominator}")
    if i.headline_position:
        lines.append(f"- Key-figure sheet: row {i.headline_position}")
    return lines + [
        f"- Source: {i.source}",
        f"- Grain: {i.grain}; regions: {i.regions}; periods: {i.periods}",
        f"- Kind: {kind}",
        f"- Direction: {good}",
        "",
    ]
