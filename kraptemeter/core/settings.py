"""Every setting of a run and its default, in one place, checked once where it enters.

The CLI and the Prefect deployment both build a `Settings` here (from flags or deployment
parameters); everything below the run loop receives it whole and trusts it.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from kraptemeter.core.errors import InputError

# CBS's publication rules for survey figures (DOMAIN.md §3)
MIN_RESPONDENTS = 150  # respondents behind a published survey percentage
TOTAL_ROUNDING = 1000  # survey totals are published in thousands
VARIANCE_CLUSTERS = ("household", "respondent")  # the first is the default

RAW_FOLDER = "raw"  # where the CLI looks for raw files unless told
WAREHOUSE_FOLDER = "warehouse"  # and where it writes what is published
# Staged rows, quarantine, run state, logs and the lock: private, in `<warehouse>.work`
# beside the warehouse unless told (--work), never inside it.
WORK_SUFFIX = ".work"
# Plausibility: no Dutch gemeente has a million inhabitants (Amsterdam ~0.93 M), so no
# respondent, population cell or vacancy count of one gemeente can stand for more.
MAX_PERSONS_PER_GEMEENTE = 1_000_000

MAX_REJECT_SHARE = 0.05  # a file with more rejected rows than this stops the run
READ_RETRIES = 3  # raw/ may be a network share: a failed read is retried with backoff
READ_BACKOFF_SECONDS = 0.5
CBS_API_URL = "https://datasets.cbs.nl/odata/v1/CBS"  # OData v4, for `kraptemeter fetch-cbs`
FETCH_RETRIES = 4  # the CBS API: connection errors, HTTP 5xx and 429 are retried with backoff
FETCH_BACKOFF_SECONDS = 0.5
KEEP_VERSIONS = 3  # published versions kept: the current one and two for readers holding them

# The served deployment: six weeks after a quarter ends, when CBS/UWV have published, at
# 06:00 Dutch time (CET or CEST, whichever holds that day).
QUARTERLY_CRON = "0 6 15 2,5,8,11 *"
SCHEDULE_TIMEZONE = "Europe/Amsterdam"
# A deployment run (scheduled or started through the server) that fails is retried once,
# an hour later by default; KRAPTEMETER_RETRY_DELAY_SECONDS sets the delay. It is read where
# the flow is loaded: by `kraptemeter serve` and the flow runs it starts, which inherit it.
SCHEDULED_RETRIES = 1
RETRY_DELAY_VARIABLE = "KRAPTEMETER_RETRY_DELAY_SECONDS"


def scheduled_retry_delay_seconds() -> float:
    text = os.environ.get(RETRY_DELAY_VARIABLE, "3600")
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds >= 0):
        raise InputError(f"{RETRY_DELAY_VARIABLE} must be a number of seconds, not {text!r}")
    return seconds


@dataclass(frozen=True)
class SurveyRules:
    """How survey estimates are published: suppression, rounding, variance clusters."""

    min_respondents: int = MIN_RESPONDENTS
    total_rounding: int = TOTAL_ROUNDING
    # 'household': the EBB samples addresses, so respondents of one address are correlated;
    # 'respondent': treat respondents as independent draws.
    clusters: str = VARIANCE_CLUSTERS[0]

    def __post_init__(self) -> None:
        if self.min_respondents < 1:
            raise InputError(f"min respondents must be at least 1, not {self.min_respondents}")
        if self.total_rounding < 1:
            raise InputError(f"total rounding must be at least 1, not {self.total_rounding}")
        if self.clusters not in VARIANCE_CLUSTERS:
            raise InputError(
                f"variance clusters must be one of {', '.join(VARIANCE_CLUSTERS)}, "
                f"not {self.clusters!r}"
            )


def default_work(warehouse: Path | str) -> Path:
    """A warehouse's work folder unless told: `<warehouse>.work`, beside it."""
    warehouse = Path(warehouse)
    return warehouse.with_name(warehouse.name + WORK_SUFFIX)


@dataclass(frozen=True)
class Settings:
    """What one run reads, where it writes, and the rules it applies."""

    raw: Path
    warehouse: Path
    max_reject_share: float = MAX_REJECT_SHARE
    survey: SurveyRules = field(default_factory=SurveyRules)
    # the private work folder; None: `<warehouse>.work` beside the warehouse
    work: Path | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "raw", Path(self.raw))
        object.__setattr__(self, "warehouse", Path(self.warehouse))
        work = default_work(self.warehouse) if self.work is None else Path(self.work)
        object.__setattr__(self, "work", work)
        published, private = self.warehouse.resolve(), work.resolve()
        if private == published or published in private.parents:
            raise InputError(
                f"{work}: the work folder holds record-level rows and must not lie inside "
                f"the warehouse {self.warehouse} (which may be copied to a dashboard host)"
            )
        if not 0 <= self.max_reject_share <= 1:
            raise InputError(
                f"max reject share must lie between 0 and 1, not {self.max_reject_share}"
            )

    @property
    def figure_rules(self) -> str:
        """The settings that shape a published figure (part of a quarter's fingerprint)."""
        return repr((self.survey, self.max_reject_share))
