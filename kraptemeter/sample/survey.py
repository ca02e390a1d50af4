"""The sample's EBB: respondents per quarter with weights, labour position and learning."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kraptemeter.core import reference_data as ref
from kraptemeter.core.periods import Quarter
from kraptemeter.sample import calibration as cal
from kraptemeter.sample.model import RegionModel
from kraptemeter.sample.output import ids, write_csv


def _band_value(bands, ages: np.ndarray, default: float = 0.0) -> np.ndarray:
    result = np.full(ages.shape, default, dtype=float)
    for low, high, value in bands:
        result[(ages >= low) & (ages <= high)] = value
    return result


def _lookup(mapping: dict, keys: np.ndarray) -> np.ndarray:
    return np.array([mapping[key] for key in keys])


def _age_norms(model: RegionModel, year: int) -> tuple[dict, dict]:
    ages = np.arange(15, 75)
    employment_factor = _band_value(cal.EMPLOYMENT_BY_AGE, ages)
    unemployment_factor = _band_value(cal.UNEMPLOYMENT_BY_AGE, ages)
    employment_norm, unemployment_norm = {}, {}
    for province in np.unique(model.province):
        residents = model.population(year)[model.province == province, 15:75].sum(axis=0)
        employment_norm[province] = (residents * employment_factor).sum() / residents.sum()
        employed = residents * employment_factor
        unemployment_norm[province] = (employed * unemployment_factor).sum() / employed.sum()
    return employment_norm, unemployment_norm


def write_ebb(out: Path, quarter: Quarter, model: RegionModel, scale: float, rng) -> Path:
    n_total = max(int(cal.EBB_RESPONDENTS_PER_QUARTER * scale), 200)
    survey_ages = model.population(quarter.year)[:, 15:90]
    per_gemeente = survey_ages.sum(axis=1)
    gemeente_idx = rng.choice(len(model.codes), size=n_total, p=per_gemeente / per_gemeente.sum())
    # Draw each respondent's age from their gemeente's age distribution (15-89).
    cumulative = np.cumsum(survey_ages, axis=1)
    cumulative /= cumulative[:, -1:]
    age = 15 + (rng.random(n_total)[:, None] > cumulative[gemeente_idx]).sum(axis=1)
    province = model.province[gemeente_idx]
    levels = np.array([cal.PROVINCE_LEVELS[p] for p in province])
    net, unemployment, llo = levels[:, 0] / 100, levels[:, 1] / 100, levels[:, 2] / 100

    # Age-band propensities are normalised per province over its residents 15-74, so that the
    # province's expected net participation and unemployment rate equal their targets.
    employment_norm, unemployment_norm = _age_norms(model, quarter.year)
    p_employed = np.clip(
        net * _band_value(cal.EMPLOYMENT_BY_AGE, age) / _lookup(employment_norm, province), 0, 0.97
    )
    u = (
        unemployment
        * _band_value(cal.UNEMPLOYMENT_BY_AGE, age)
        / _lookup(unemployment_norm, province)
    )
    p_unemployed = np.where(age < 75, p_employed * u / (1 - u), 0.0)
    draw = rng.random(n_total)
    position = np.where(
        draw < p_employed,
        "werkzaam",
        np.where(draw < p_employed + p_unemployed, "werkloos", "niet_beroepsbevolking"),
    )

    education = np.empty(n_total, dtype=object)
    for (low, high), shares in cal.EDUCATION_MIX.items():
        band = (age >= low) & (age <= high)
        education[band] = rng.choice(ref.EDUCATION_LEVELS, size=band.sum(), p=shares)

    edu_factor = np.vectorize(cal.LLO_EDUCATION_FACTOR.get)(education)
    pos_factor = np.vectorize(cal.LLO_POSITION_FACTOR.get)(position)
    mean_employed_factor = 0.2 * 0.55 + 0.38 * 0.92 + 0.42 * 1.18
    p_llo = np.where(age < 25, 0.6, llo / mean_employed_factor * edu_factor * pos_factor)
    p_llo = np.where(age >= 65, 0.08, p_llo)
    learns = rng.random(n_total) < p_llo
    formal = rng.random(n_total) < np.where(age < 25, 0.85, 0.25)
    llo_type = np.where(learns, np.where(formal, "formeel", "niet_formeel"), "geen")
    reason = np.where(
        learns, rng.choice(ref.LLO_REASONS, size=n_total, p=cal.LLO_REASON_SHARES), ""
    )

    # Weights: calibrated to residents 15-89 per COROP (as CBS calibrates to COROP totals),
    # with log-normal spread to mimic non-response corrections.
    weight = rng.lognormal(0.0, 0.3, n_total)
    corop = model.corop[gemeente_idx]
    corop_pop = {c: per_gemeente[model.corop == c].sum() for c in np.unique(model.corop)}
    for c in np.unique(corop):
        members = corop == c
        weight[members] *= corop_pop[c] / weight[members].sum()

    order = np.lexsort((rng.random(n_total), gemeente_idx))
    household = _households(gemeente_idx[order], rng)
    return write_csv(
        out / "ebb" / f"ebb_{quarter.cbs_code}.csv",
        {
            "respondent_id": ids(f"{quarter.cbs_code}-", np.arange(n_total), 7),
            "household_id": ids(f"{quarter.cbs_code}-H", household, 6),
            "period": [quarter.cbs_code] * n_total,
            "gemeente_code": model.codes[gemeente_idx][order],
            "age": age[order],
            "sex": rng.choice(["M", "V"], size=n_total),
            "education_level": education[order].astype(str),
            "labour_position": position[order],
            "llo_type": llo_type[order],
            "llo_reason": reason[order],
            "weight": np.round(weight[order], 3),
        },
    )


def _households(gemeente_idx: np.ndarray, rng) -> np.ndarray:
    """Group respondents (sorted by gemeente) into households of 1-4 within a gemeente.

    The EBB samples addresses and interviews everyone there, so respondents come in clusters.
    """
    sizes = rng.choice([1, 2, 3, 4], size=gemeente_idx.size, p=[0.35, 0.35, 0.15, 0.15])
    household = np.empty(gemeente_idx.size, dtype=np.int64)
    current, members, limit = -1, 0, 0
    for i, gemeente in enumerate(gemeente_idx):
        if members == limit or (i and gemeente != gemeente_idx[i - 1]):
            current, members, limit = current + 1, 0, sizes[i]
        household[i] = current
        members += 1
    return household
