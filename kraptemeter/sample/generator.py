"""Write a seeded, calibrated sample of every raw input into a raw/ folder.

Layout written (one file per source and period, CBS period codes in the name):
  ebb/ebb_2024KW02.csv                         respondents of the labour force survey
  vacancies/open_vacancies_2024KW02.csv        open vacancies at quarter end, gemeente x SBI
  vacancies/online_vacancies_gemeente_2024KW02.csv
                                               new online vacancies, gemeente of the work
                                               location x occupation x education
  registers/<register>_2024KW02.csv            benefit spells overlapping the quarter
  population/population_2024JJ00.csv           residents on 1 January by gemeente and age

Each quarter's files are drawn independently from the same steady-state model: stocks and flows
agree within a quarter, but a spell id does not follow a person from one quarter to the next.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kraptemeter.core import reference_data as ref
from kraptemeter.core.periods import Quarter
from kraptemeter.sample import calibration as cal
from kraptemeter.sample.model import RegionModel, ww_rate
from kraptemeter.sample.output import ids, integerise, write_csv
from kraptemeter.sample.survey import write_ebb
from schemas.sources import mark_sample


def write_sample(
    out: Path,
    quarters: list[Quarter],
    scale: float = 1.0,
    seed: int = 20240,
    survey_scale: float | None = None,
) -> list[Path]:
    """Write all sources for `quarters` (and population for their years); return the paths.
    Every file is listed in raw/sample.json, so the figures made from it say `sample`.

    `scale` is the fraction of real volumes for registers and vacancies (their levels shrink
    with it); `survey_scale` (default: `scale`) sets the number of EBB respondents, whose
    weights always add up to the population, so survey levels hold at any scale.
    """
    survey_scale = scale if survey_scale is None else survey_scale
    model = RegionModel.build()
    written: list[Path] = []
    for year in sorted({q.year for q in quarters}):
        rng = np.random.default_rng([seed, year])
        written.append(_write_population(out, year, model, rng))
    for quarter in quarters:
        rng = np.random.default_rng([seed, quarter.year, quarter.number])
        written.append(write_ebb(out, quarter, model, survey_scale, rng))
        ww_short = _expected_ww_short(model)
        written += _write_vacancies(out, quarter, model, ww_short, scale, rng)
        for register in cal.REGISTERS:
            written.append(_write_register(out, register, quarter, model, scale, rng))
    mark_sample(out, written)  # figures made from these files are marked `sample`
    return written


def _write_population(out: Path, year: int, model: RegionModel, rng) -> Path:
    counts = integerise(model.population(year), rng)
    n_gm, n_age = counts.shape
    return write_csv(
        out / "population" / f"population_{year}JJ00.csv",
        {
            "period": [f"{year}JJ00"] * (n_gm * n_age),
            "gemeente_code": np.repeat(model.codes, n_age),
            "age": np.tile(np.arange(n_age), n_gm),
            "population": counts.ravel(),
        },
    )


def _register_stock(register: str, model: RegionModel) -> np.ndarray:
    """Expected running stock per gemeente; regions with more unemployment have more benefits."""
    share = cal.REGISTERS[register]["stock_share"] or ww_rate()
    unemployment = np.array([cal.PROVINCE_LEVELS[p][1] for p in model.province])
    relative = unemployment / cal.PROVINCE_LEVELS[cal.TARGET_PROVINCE][1]
    if register != "ww":
        relative = np.sqrt(relative)
    return model.residents_15_74() * share * relative


def _expected_ww_short(model: RegionModel) -> np.ndarray:
    months = cal.REGISTERS["ww"]["duration_months"]
    return _register_stock("ww", model) * (1 - np.exp(-6 / months))


def _tension_targets(model: RegionModel, rng) -> dict[str, float]:
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
    open_counts = integerise(open_total[:, None] * shares, rng)
    open_path = write_csv(
        out / "vacancies" / f"open_vacancies_{quarter.cbs_code}.csv",
        {
            "period": [quarter.cbs_code] * open_counts.size,
            "gemeente_code": np.repeat(model.codes, len(sectors)),
            "sbi_section": np.tile(sectors, len(model.codes)),
            "open_vacancies": open_counts.ravel(),
        },
    )

    online_path = _write_online_vacancies(out, quarter, model, open_total, rng)
    return [open_path, online_path]


def _write_online_vacancies(out, quarter, model, open_total, rng) -> Path:
    """New online vacancies per gemeente of the work location x occupation x education.

    The flow follows each gemeente's open vacancies. Each arbeidsmarktregio keeps one mix of
    occupations and education levels (a regional labour market has its character); its
    gemeenten vary around that mix, so their splits differ without being noise.
    """
    occupations = list(ref.OCCUPATION_CLASSES)
    levels = ref.EDUCATION_LEVELS
    ams = ref.arbeidsmarktregio_codes()
    am_occupations = {am: rng.dirichlet(np.full(len(occupations), 8.0)) for am in ams}
    am_education = {
        am: rng.dirichlet(np.array(cal.EDUCATION_SHARES_OF_NEW_VACANCIES) * 60) for am in ams
    }
    occupation_shares = np.array([rng.dirichlet(am_occupations[am] * 40) for am in model.am])
    education_shares = np.array([rng.dirichlet(am_education[am] * 100) for am in model.am])
    flow = open_total * cal.NEW_VACANCY_RATIO
    counts = integerise(
        flow[:, None, None] * occupation_shares[:, :, None] * education_shares[:, None, :], rng
    )  # gemeente x occupation x education
    per_gemeente = len(occupations) * len(levels)
    return write_csv(
        out / "vacancies" / f"online_vacancies_gemeente_{quarter.cbs_code}.csv",
        {
            "period": [quarter.cbs_code] * counts.size,
            "gemeente_code": np.repeat(model.codes, per_gemeente),
            "occupation_class": np.tile(np.repeat(occupations, len(levels)), len(model.codes)),
            "education_level": np.tile(levels, len(model.codes) * len(occupations)),
            "new_vacancies": counts.ravel(),
        },
    )


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
    # Exponential durations have long tails (a mean Wajong spell runs for years): nobody's
    # spell started before they were 15.
    anchor = np.concatenate([np.full(n_run, q_end), end_day])
    start = np.maximum(start, anchor - ((age - 15) * 365).astype("timedelta64[D]"))
    prefix = register[:2].upper()
    person_ids = rng.integers(10**8, 10**9, n)
    order = np.lexsort((start, gemeente))
    return write_csv(
        out / "registers" / f"{register}_{quarter.cbs_code}.csv",
        {
            "spell_id": ids(f"{prefix}{quarter.cbs_code}", np.arange(n), 8),
            "person_id": ids("P", person_ids[order], 9),
            "gemeente_code": gemeente[order],
            "scheme": scheme[order],
            "start_date": start[order],
            "end_date": end[order],
            "age": age[order],
            "sex": rng.choice(["M", "V"], size=n),
        },
    )
