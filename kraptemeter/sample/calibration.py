"""Levels the sample generator is calibrated to (issue #2; 2023-2024 orders of magnitude).

Provincie Utrecht is pinned to the issue's targets (about 916 000 employed, 3.7% unemployed,
net participation 75%, 62 730 open vacancies, 14 000 running WW benefits, LLO of employed 25-64
near 30%); the other provinces get plausible, different levels so regions can be compared.
916 000 employed at 75% implies ~1.22 million residents aged 15-75 in Utrecht, which is more
than CBS counts; the generator scales Utrecht's 2015 population up to that level on purpose.
"""

TARGET_PROVINCE = "PV26"
TARGET_EMPLOYED = 916_000
TARGET_OPEN_VACANCIES = 62_730
TARGET_WW_RUNNING = 14_000

# provincie -> (net participation %, unemployment rate %, LLO % of employed 25-64)
PROVINCE_LEVELS = {
    "PV20": (70.5, 4.4, 27.0),
    "PV21": (72.5, 3.3, 24.0),
    "PV22": (70.0, 3.4, 24.5),
    "PV23": (73.5, 3.2, 26.0),
    "PV24": (73.0, 4.0, 25.0),
    "PV25": (73.5, 3.3, 27.0),
    "PV26": (75.0, 3.7, 30.0),
    "PV27": (74.5, 3.8, 29.0),
    "PV28": (73.0, 4.0, 27.0),
    "PV29": (71.5, 2.9, 23.5),
    "PV30": (74.0, 3.3, 26.0),
    "PV31": (70.0, 3.6, 24.0),
}

POPULATION_GROWTH_2015_2024 = 1.065  # CBS: 16.90 million (2015) -> 17.94 million (2024)
POPULATION_GROWTH_PER_YEAR = 0.007

# Employment propensity by age band relative to the 15-74 average, and the unemployment
# rate's relative level by age band (youth unemployment is about twice the average).
EMPLOYMENT_BY_AGE = [(15, 24, 0.85), (25, 44, 1.18), (45, 64, 1.10), (65, 74, 0.22), (75, 89, 0.03)]
UNEMPLOYMENT_BY_AGE = [(15, 24, 2.1), (25, 44, 0.85), (45, 64, 0.8), (65, 74, 0.6)]

EDUCATION_MIX = {  # (laag, middelbaar, hoog) by age band
    (15, 24): (0.45, 0.40, 0.15),
    (25, 64): (0.20, 0.38, 0.42),
    (65, 89): (0.35, 0.40, 0.25),
}
LLO_EDUCATION_FACTOR = {"laag": 0.55, "middelbaar": 0.92, "hoog": 1.18}
LLO_POSITION_FACTOR = {"werkzaam": 1.0, "werkloos": 1.1, "niet_beroepsbevolking": 0.55}
LLO_REASON_SHARES = (0.644, 0.165, 0.191)

# Benefit registers: running stock as a share of residents 15-74 (NL average) and mean spell
# duration in months. Stock-flow steady state: outflow per quarter ~ stock * 3 / duration.
REGISTERS = {
    "ww": {"stock_share": None, "duration_months": 9.0},  # pinned to TARGET_WW_RUNNING
    "bijstand": {"stock_share": 0.026, "duration_months": 40.0},
    "wajong": {"stock_share": 0.019, "duration_months": 240.0},
    "wia_wao": {"stock_share": 0.046, "duration_months": 120.0},
    "job_seekers": {"stock_share": 0.036, "duration_months": 10.0},
}
REGISTER_SCHEMES = {
    "ww": (("WW",), (1.0,)),
    "bijstand": (("bijstand_tot_aow", "bijstand_vanaf_aow"), (0.88, 0.12)),
    "wajong": (("Wajong",), (1.0,)),
    "wia_wao": (("WGA", "IVA", "WAO"), (0.55, 0.18, 0.27)),
    "job_seekers": (("zonder_dienstverband", "met_dienstverband"), (0.72, 0.28)),
}

EBB_RESPONDENTS_PER_QUARTER = 60_000  # at --scale 1; about the persons the real EBB interviews
NEW_VACANCY_RATIO = 0.9  # newly arisen online vacancies per quarter / open vacancies at end

SECTOR_SHARES = {
    "A": 0.015,
    "B": 0.002,
    "C": 0.09,
    "D": 0.006,
    "E": 0.006,
    "F": 0.06,
    "G": 0.16,
    "H": 0.05,
    "I": 0.08,
    "J": 0.07,
    "K": 0.03,
    "L": 0.01,
    "M": 0.09,
    "N": 0.08,
    "O": 0.04,
    "P": 0.05,
    "Q": 0.14,
    "R": 0.02,
    "S": 0.02,
}
EDUCATION_SHARES_OF_NEW_VACANCIES = (0.32, 0.42, 0.26)
