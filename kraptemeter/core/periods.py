"""Quarters and years as CBS codes them (`2024KW02`, `2024JJ00`) and as users type them (`2024Q2`).

Every period that reaches a path or a query goes through `Quarter.parse`, which accepts only
the strict forms below; anything else is refused with a message, never interpolated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_QUARTER = re.compile(r"^(?P<year>(19|20)\d{2})(Q|KW0)(?P<q>[1-4])$")


class PeriodError(ValueError):
    """A period string that is not a quarter in one of the accepted forms."""


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        # 2024q2 and 2024kw02 are meant as much as 2024Q2
        match = _QUARTER.match(text.strip().upper()) if isinstance(text, str) else None
        if not match:
            raise PeriodError(
                f"not a quarter: {text!r} (expected e.g. 2024Q2 or CBS code 2024KW02)"
            )
        return cls(int(match["year"]), int(match["q"]))

    @classmethod
    def last_ended(cls, today: date) -> Quarter:
        """The last quarter that has ended on `today` (what a scheduled run works on)."""
        return cls(today.year, (today.month - 1) // 3 + 1).previous()

    @property
    def label(self) -> str:
        """The period label used in marts and partitions: `2024Q2`."""
        return f"{self.year}Q{self.number}"

    @property
    def cbs_code(self) -> str:
        return f"{self.year}KW{self.number:02d}"

    @property
    def year_code(self) -> str:
        return f"{self.year}JJ00"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter: the reference date of stocks (running benefits, vacancies)."""
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    def year_earlier(self) -> Quarter:
        return Quarter(self.year - 1, self.number)

    def preceding(self, count: int) -> list[Quarter]:
        """The `count` quarters before this one, oldest first (a rolling window's others)."""
        quarters = [self.previous()]
        while len(quarters) < count:
            quarters.insert(0, quarters[0].previous())
        return quarters

    def comparison_periods(self) -> list[str]:
        """Periods a quarter's changes compare with: the previous quarter, the same quarter a
        year earlier, and the previous year (for annual figures)."""
        return [self.previous().label, self.year_earlier().label, str(self.year - 1)]

    def __str__(self) -> str:
        return self.label


def quarter_range(first: Quarter, last: Quarter) -> list[Quarter]:
    if last < first:
        raise PeriodError(f"empty range: {first} comes after {last}")
    quarters = [first]
    while quarters[-1] < last:
        quarters.append(quarters[-1].next())
    return quarters


def parse_quarter_span(text: str) -> list[Quarter]:
    """`2023Q1..2024Q4` (inclusive) or a single quarter."""
    first, sep, last = text.partition("..")
    return quarter_range(Quarter.parse(first), Quarter.parse(last if sep else first))
