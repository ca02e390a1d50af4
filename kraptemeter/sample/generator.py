"""Write a seeded, calibrated sample of every raw input into a raw/ folder.

Layout written (one file per source and period, CBS period codes in the name):
  ebb/ebb_2024KW02.csv                         respondents of the labour force survey
  vacancies/open_vacancies_2024KW02.csv        open vacancies at quarter end, gemeente x SBI
  vacancies/online_vacancies_2024KW02.csv      new online vacancies, AM x occupation x education
  registers/<register>_2024KW02.csv            benefit spells overlapping the quarter
  population/population_2024JJ00.csv           residents on 1 January by gemeente and age

Each quarter's files are drawn independently from the same steady-state model: stocks and flows
agree within a quarter, but a spell id does not follow a person from one quarter to the next.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from kraptemeter.core import reference_data as ref
from kraptemeter.core.periods import Quarter
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


def write_sample(
    out: Path,
    quarters: list[Quarter],
    scale: float = 1.0,
    seed: int = 20240,
    survey_scale: float | None = None,
) -> list[Path]:
    """Write all sources for `quarters` (and population for their years); return the paths.

    `scale` is the fraction of real volumes for registers and vacancies (their levels shrink
    with it); `survey_scale` (default: `scale`) sets the number of EBB respondents, whose
    weights always add up to the population, so survey levels hold at any scale.
    """
    survey_scale = scale if survey_scale is None else survey_scale
    model = _RegionModel.build()
    written: list[Path] = []
    for year in sorted({q.year for q in quarters}):
        rng = np.random.default_rng([seed, year])
        written.append(_write_population(out, year, model, rng))
    for quarter in quarters:
        rng = np.random.default_rng([seed, quarter.year, quarter.number])
        written.append(_write_ebb(out, quarter, model, survey_scale, rng))
        ww_short = _expected_ww_short(model)
        written += _write_vacancies(out, quarter, model, ww_short, scale, rng)
        for register in cal.REGISTERS:
            written.append(_write_register(out, register, quarter, model, scale, rng))
    return written


class _RegionModel:
    """Per-gemeente population by single year of age (2024 level) and the hierarchy codes."""

    def __init__(self, gemeenten, ages_by_gemeente):
        self.gemeenten = gemeenten
        self.codes = np.array([g["gemeente_code"] for g in gemeenten])
        self.province = np.array([g["provincie_code"] for g in gemeenten])
        self.corop = np.array([g["corop_code"] for g in gemeenten])
        self.am = np.array([g["arbeidsmarktregio_code"] for g in gemeenten])
        self.ages = ages_by_gemeente  # (gemeenten, 96) persons on 1 January 2024

    @classmethod
    def build(cls) -> _RegionModel:
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


def _write_csv(path: Path, columns: dict[str, Iterable]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.table(
        {name: v if isinstance(v, pa.Array) else pa.array(v) for name, v in columns.items()}
    )
    pacsv.write_csv(table, path, pacsv.WriteOptions(delimiter=";", quoting_style="needed"))
    return path


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """`prefix` + zero-padded numbers, built in Arrow (millions of ids in Python are slow)."""
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(prefix, digits, "")


def _integerise(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Round to whole persons without bias (stochastic rounding)."""
    floor = np.floor(values)
    return (floor + (rng.random(values.shape) < values - floor)).astype(np.int64)


def _write_population(out: Path, year: int, model: _RegionModel, rng) -> Path:
    counts = _integerise(model.population(year), rng)
    n_gm, n_age = counts.shape
    return _write_csv(
        out / "population" / f"population_{year}JJ00.csv",
        {
            "period": [f"{year}JJ00"] * (n_gm * n_age),
            "gemeente_code": np.repeat(model.codes, n_age),
            "age": np.tile(np.arange(n_age), n_gm),
            "population": counts.ravel(),
        },
    )


def _band_value(bands, ages: np.ndarray, default: float = 0.0) -> np.ndarray:
    result = np.full(ages.shape, default, dtype=float)
    for low, high, value in bands:
        result[(ages >= low) & (ages <= high)] = value
    return result


def _lookup(mapping: dict, keys: np.ndarray) -> np.ndarray:
    return np.array([mapping[key] for key in keys])


def _age_norms(model: _RegionModel, year: int) -> tuple[dict, dict]:
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


def _write_ebb(out: Path, quarter: Quarter, model: _RegionModel, scale: float, rng) -> Path:
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
    return _write_csv(
        out / "ebb" / f"ebb_{quarter.cbs_code}.csv",
        {
            "respondent_id": _ids(f"{quarter.cbs_code}-", np.arange(n_total), 7),
            "household_id": _ids(f"{quarter.cbs_code}-H", household, 6),
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


def _ww_rate() -> float:
    model = _RegionModel.build()
    target = model.province == cal.TARGET_PROVINCE
    return cal.TARGET_WW_RUNNING / model.residents_15_74()[target].sum()


def _register_stock(register: str, model: _RegionModel) -> np.ndarray:
    """Expected running stock per gemeente; regions with more unemployment have more benefits."""
    share = cal.REGISTERS[register]["stock_share"] or _ww_rate()
    unemployment = np.array([cal.PROVINCE_LEVELS[p][1] for p in model.province])
    relative = unemployment / cal.PROVINCE_LEVELS[cal.TARGET_PROVINCE][1]
    if register != "ww":
        relative = np.sqrt(relative)
    return model.residents_15_74() * share * relative


def _expected_ww_short(model: _RegionModel) -> np.ndarray:
    months = cal.REGISTERS["ww"]["duration_months"]
    return _register_stock("ww", model) * (1 - np.exp(-6 / months))


def _tension_targets(model: _RegionModel, rng) -> dict[str, float]:
    """A target UWV tension per arbeidsmarktregio spanning every class, zeer ruim to zeer krap.

    The regions that hold Utrecht gemeenten take the tight end (Utrecht is pinned to a high
    vacancy level); the rest are shuffled so tight and loose regions sit all over the country.
    """
    ams = ref.arbeidsmarktregio_codes()
    targets = list(np.geomspace(9.0, 0.12, len(ams)))
    utrecht = sorted(set(model.am[model.province == cal.TARGET_PROVINCE]))
    others = [am for am in ams if am not in utrecht]
    rng.shuffle(others)
    return dict(zip(utrecht + others, targets, strict=True))


def _write_vacancies(out, quarter, model, ww_short, scale, rng) -> list[Path]:
    targets = _tension_targets(model, np.random.default_rng(7))  # fixed: regions keep character
    seasonal = 1 + 0.04 * np.sin(quarter.number * np.pi / 2)
    open_total = ww_short * np.array([targets[a] for a in model.am]) * seasonal
    utrecht = model.province == cal.TARGET_PROVINCE
    open_total[utrecht] *= cal.TARGET_OPEN_VACANCIES / open_total[utrecht].sum()
    open_total *= scale * rng.lognormal(0, 0.05, open_total.size)

    sectors = list(cal.SECTOR_SHARES)
    shares = rng.dirichlet(np.array(list(cal.SECTOR_SHARES.values())) * 200, size=len(model.codes))
    open_counts = _integerise(open_total[:, None] * shares, rng)
    open_path = _write_csv(
        out / "vacancies" / f"open_vacancies_{quarter.cbs_code}.csv",
        {
            "period": [quarter.cbs_code] * open_counts.size,
            "gemeente_code": np.repeat(model.codes, len(sectors)),
            "sbi_section": np.tile(sectors, len(model.codes)),
            "open_vacancies": open_counts.ravel(),
        },
    )

    ams = ref.arbeidsmarktregio_codes()
    occupations = list(ref.OCCUPATION_CLASSES)
    rows = {
        "period": [],
        "arbeidsmarktregio_code": [],
        "occupation_class": [],
        "education_level": [],
        "new_vacancies": [],
    }
    for am in ams:
        flow = open_total[model.am == am].sum() * cal.NEW_VACANCY_RATIO
        occupation_shares = rng.dirichlet(np.full(len(occupations), 8.0))
        education_shares = rng.dirichlet(np.array(cal.EDUCATION_SHARES_OF_NEW_VACANCIES) * 60)
        counts = _integerise(flow * np.outer(occupation_shares, education_shares), rng)
        for i, occupation in enumerate(occupations):
            for j, education in enumerate(ref.EDUCATION_LEVELS):
                rows["period"].append(quarter.cbs_code)
                rows["arbeidsmarktregio_code"].append(am)
                rows["occupation_class"].append(occupation)
                rows["education_level"].append(education)
                rows["new_vacancies"].append(int(counts[i, j]))
    online_path = _write_csv(out / "vacancies" / f"online_vacancies_{quarter.cbs_code}.csv", rows)
    return [open_path, online_path]


def _write_register(out, register, quarter, model, scale, rng) -> Path:
    """Spells overlapping the quarter: those running at quarter end and those that ended in it."""
    months = cal.REGISTERS[register]["duration_months"]
    stock = _register_stock(register, model) * scale
    running = rng.poisson(stock)
    ended = rng.poisson(stock * 3 / months)
    n_run, n_end = int(running.sum()), int(ended.sum())
    gemeente = np.concatenate([np.repeat(model.codes, running), np.repeat(model.codes, ended)])

    q_start = np.datetime64(quarter.start.isoformat())
    q_end = np.datetime64(quarter.end.isoformat())
    days_in_quarter = int((q_end - q_start).astype(int)) + 1
    mean_days = months * 30.44
    # Steady state: the elapsed duration of a running spell is exponential with the mean duration.
    elapsed_running = rng.exponential(mean_days, n_run).astype(np.int64)
    start_running = q_end - elapsed_running
    end_day = q_start + rng.integers(0, days_in_quarter, n_end)
    elapsed_ended = 1 + rng.exponential(mean_days, n_end).astype(np.int64)
    start = np.concatenate([start_running, end_day - elapsed_ended])
    end = np.concatenate([np.full(n_run, np.datetime64("NaT"), dtype="datetime64[D]"), end_day])

    n = n_run + n_end
    low_age = 18 if register != "job_seekers" else 15
    age = rng.integers(low_age, 67, n)
    schemes, weights = cal.REGISTER_SCHEMES[register]
    scheme = rng.choice(schemes, size=n, p=weights)
    if register == "bijstand":
        age = np.where(scheme == "bijstand_vanaf_aow", rng.integers(67, 90, n), age)
    prefix = register[:2].upper()
    person_ids = rng.integers(10**8, 10**9, n)
    order = np.lexsort((start, gemeente))
    return _write_csv(
        out / "registers" / f"{register}_{quarter.cbs_code}.csv",
        {
            "spell_id": _ids(f"{prefix}{quarter.cbs_code}", np.arange(n), 8),
            "person_id": _ids("P", person_ids[order], 9),
            "gemeente_code": gemeente[order],
            "scheme": scheme[order],
            "start_date": start[order],
            "end_date": end[order],
            "age": age[order],
            "sex": rng.choice(["M", "V"], size=n),
        },
    )
