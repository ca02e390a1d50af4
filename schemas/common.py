"""Column declarations shared by several sources."""

from __future__ import annotations

from datetime import date

import pandera.pandas as pa

from kraptemeter.core import reference_data as ref
from kraptemeter.core.periods import Quarter


def gemeente_code() -> pa.Column:
    """A gemeente code; codes of gemeenten dissolved by the classification year are first
    translated to their successor (herindelingen), so older deliveries still fit."""
    return pa.Column(
        str,
        pa.Check.isin(ref.gemeente_codes(), error="unknown gemeente code"),
        description=f"CBS gemeente code (GMnnnn) on the {ref.CLASSIFICATION_YEAR} classification",
        metadata={"recode": ref.herindeling_crosswalk()},
    )


def period(code: str) -> pa.Column:
    """The period column must carry the period the file is named for."""
    return pa.Column(
        str,
        pa.Check.isin([code], error=f"period differs from the file's period {code}"),
        description="CBS period code",
    )


def sex() -> pa.Column:
    return pa.Column(str, pa.Check.isin(["M", "V"]), description="M (man) / V (vrouw)")


def quarter_variables(quarter: Quarter) -> dict[str, object]:
    """Values the SQL form of period-dependent row rules reads with getvariable()."""
    return {"period_start": quarter.start, "period_end": quarter.end}


def period_variables(quarter: Quarter, yearly: bool) -> dict[str, object]:
    """The rule values of a file's period: its quarter, or for a yearly file its year (the
    same for every quarter of the year, so the file is validated once)."""
    if yearly:
        return {"period_start": date(quarter.year, 1, 1), "period_end": date(quarter.year, 12, 31)}
    return quarter_variables(quarter)
