"""The sample's population model: per gemeente and single year of age, calibrated to CBS."""

from __future__ import annotations

import csv

import numpy as np

from kraptemeter.core import reference_data as ref
from kraptemeter.sample import calibration as cal

OPEN_AGE = 95  # age 95 in the population file means "95 jaar of ouder", as in 03759ned
_GROUP_BOUNDS = {
    "age_0_4": (0, 4),
    "age_5_9": (5, 9),
    "age_10_14": (10, 14),
    "age_15_19": (15, 19),
    "age_20_24": (20, 24),
    "age_25_44": (25, 44),
    "age_45_64": (45, 64),
    "age_65_79": (65, 79),
    "age_80_plus": (80, OPEN_AGE),
}


class RegionModel:
    """Per-gemeente population by single year of age (2024 level) and the hierarchy codes."""

    def __init__(self, gemeenten, ages_by_gemeente):
        self.gemeenten = gemeenten
        self.codes = np.array([g["gemeente_code"] for g in gemeenten])
        self.province = np.array([g["provincie_code"] for g in gemeenten])
        self.corop = np.array([g["corop_code"] for g in gemeenten])
        self.am = np.array([g["arbeidsmarktregio_code"] for g in gemeenten])
        self.ages = ages_by_gemeente  # (gemeenten, 96) persons on 1 January 2024

    @classmethod
    def build(cls) -> RegionModel:
        base_path = ref.reference_file("population_2015.csv")
        with base_path.open(encoding="utf-8", newline="") as handle:
            base = {row["gemeente_code"]: row for row in csv.DictReader(handle)}
        gemeenten = ref.gemeenten()
        ages = np.zeros((len(gemeenten), OPEN_AGE + 1))
        for i, gemeente in enumerate(gemeenten):
            row = base[gemeente["gemeente_code"]]
            for group, (low, high) in _GROUP_BOUNDS.items():
                span = np.arange(low, high + 1)
                # Within an open old-age group the count falls with age; elsewhere it is flat.
                shape = np.exp(-(span - low) / 6.0) if low >= 65 else np.ones(span.size)
                ages[i, low : high + 1] = int(row[group]) * shape / shape.sum()
        ages *= cal.POPULATION_GROWTH_2015_2024
        model = cls(gemeenten, ages)
        target = model.province == cal.TARGET_PROVINCE
        net = cal.PROVINCE_LEVELS[cal.TARGET_PROVINCE][0] / 100
        utrecht_15_74 = ages[target, 15:75].sum()
        ages[target] *= cal.TARGET_EMPLOYED / net / utrecht_15_74
        return model

    def population(self, year: int) -> np.ndarray:
        return self.ages * (1 + cal.POPULATION_GROWTH_PER_YEAR) ** (year - 2024)

    def residents_15_74(self) -> np.ndarray:
        return self.ages[:, 15:75].sum(axis=1)


def ww_rate() -> float:
    model = RegionModel.build()
    target = model.province == cal.TARGET_PROVINCE
    return cal.TARGET_WW_RUNNING / model.residents_15_74()[target].sum()
