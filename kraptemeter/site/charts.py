"""The sheet's small charts as plain geometry; the templates draw it as inline SVG (no
plotting library: a site of ~480 sheets is drawn in seconds, and the SVG is selectable text)."""

from __future__ import annotations

from dataclasses import dataclass

from kraptemeter.site.dutch import number


@dataclass(frozen=True)
class Line:
    """A trend over quarters: segments between missing quarters, a dot per known value."""

    title: str
    width: int
    height: int
    segments: list[str]  # SVG polyline points, one per unbroken run of values
    dots: list[tuple[float, float, str]]  # x, y, tooltip
    ticks: list[tuple[float, str]]  # x, quarter label
    low: str
    high: str


def line(title: str, quarters: list[str], values: dict[str, float | None], decimals: int,
         width: int = 240, height: int = 120) -> Line:  # fmt: skip
    left, right, top, bottom = 8, 22, 28, 24
    known = [v for v in values.values() if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    span = (high - low) or abs(high) or 1.0
    step = (width - left - right) / max(len(quarters) - 1, 1)
    segments, current, dots = [], [], []
    for i, quarter in enumerate(quarters):
        value = values.get(quarter)
        if value is None:
            if current:
                segments.append(" ".join(current))
            current = []
            continue
        x = left + i * step
        y = top + (high - value) / span * (height - top - bottom)
        current.append(f"{x:.1f},{y:.1f}")
        dots.append((round(x, 1), round(y, 1), f"{quarter}: {number(value, decimals)}"))
    if current:
        segments.append(" ".join(current))
    ticks = [(round(left + i * step, 1), q) for i, q in enumerate(quarters) if i % 2 == 1]
    return Line(title, width, height, segments, dots, ticks,
                number(low if known else None, decimals),
                number(high if known else None, decimals))  # fmt: skip


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int  # 0 the region, 1 Nederland
    text: str  # the value as shown, "–" when there is none


@dataclass(frozen=True)
class Bars:
    """Grouped bars of the region against Nederland per category; no bar where no value."""

    title: str
    width: int
    height: int
    baseline: float
    bars: list[Bar]
    labels: list[tuple[float, str]]  # x of the group's centre, category


def bars(title: str, categories: list[tuple[str, str]], region: dict[str, float | None],
         national: dict[str, float | None], decimals: int,
         width: int = 300, height: int = 150) -> Bars:  # fmt: skip
    top, bottom, side = 26, 30, 6
    known = [v for v in [*region.values(), *national.values()] if v is not None]
    scale = (height - top - bottom) / (max(known) if known and max(known) > 0 else 1.0)
    group = (width - 2 * side) / max(len(categories), 1)
    bar_width = group * 0.36
    baseline = height - bottom
    drawn, labels = [], []
    for i, (code, label) in enumerate(categories):
        centre = side + group * (i + 0.5)
        labels.append((round(centre, 1), label))
        for series, values in enumerate((region, national)):
            value = values.get(code)
            x = centre - bar_width + series * bar_width
            h = 0.0 if value is None else max(value, 0) * scale
            drawn.append(Bar(round(x, 1), round(baseline - h, 1), round(bar_width - 2, 1),
                             round(h, 1), series, number(value, decimals)))  # fmt: skip
    return Bars(title, width, height, baseline, drawn, labels)
