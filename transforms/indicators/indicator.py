"""What one indicator declaration holds; every field is given by name."""

from __future__ import annotations

from dataclasses import dataclass

COUNT_UNITS = frozenset({"persons", "benefits", "vacancies", "aantal"})


@dataclass(frozen=True, kw_only=True)
class Indicator:
    id: str
    theme: str  # the wide mart it is a column of
    unit: str
    label_nl: str
    label_en: str
    definition: str
    source: str
    good: str | None  # which direction is good news: 'up', 'down' or None (neither)
    numerator: str | None = None  # of a ratio, both summed over the region first
    denominator: str | None = None
    decimals: int  # what a dashboard shows; metadata only, published values are not rounded
    survey_based: bool = False
    period_type: str = "quarter"  # or 'year' (population on 1 January)
    origin: str = "pipeline"  # computed from raw extracts, or 'cbs' (only from CBS tables)
    headline_position: int | None = None  # its row on the key-figure sheet (key_figures mart)

    def __post_init__(self) -> None:
        if (self.numerator is None) != (self.denominator is None):
            raise ValueError(f"{self.id}: a ratio declares both numerator and denominator")
        if self.good not in ("up", "down", None) or self.origin not in ("pipeline", "cbs"):
            raise ValueError(f"{self.id}: good is up/down/None, origin is pipeline/cbs")

    @property
    def count(self) -> bool:
        """A count of persons, benefits or vacancies: a whole number (survey totals are
        published rounded), stored as an integer in the wide marts."""
        return self.numerator is None and self.unit in COUNT_UNITS

    @property
    def regions(self) -> str:
        """The levels it can be computed for; which ones a period has depends on the delivery
        (the catalog's region_levels and indicator_coverage say what was published)."""
        if self.origin == "cbs":
            return "as published by CBS (mostly Nederland or provincie)"
        if "online_vacancies" in self.source:
            return (
                "land, provincie, corop, arbeidsmarktregio, gemeente when delivered per "
                "gemeente of the work location; land, arbeidsmarktregio when delivered per "
                "arbeidsmarktregio"
            )
        return "land, provincie, corop, arbeidsmarktregio, gemeente"

    @property
    def periods(self) -> str:
        if self.survey_based:
            return "quarter; rolling_4q (four quarters ending with the quarter)"
        return self.period_type

    @property
    def grain(self) -> str:
        return f"region x {self.period_type}"
