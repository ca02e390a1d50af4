"""One declaration per indicator: the single place its unit, meaning and good direction live.

The transforms attach units from here; the catalog view and the docs are derived from it.
`good` says which direction is good news for the region (None: neither, e.g. a population).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    id: str
    theme: str
    unit: str
    label_nl: str
    label_en: str
    definition: str
    source: str
    good: str | None  # 'up', 'down' or None
    survey_based: bool = False
    period_type: str = "quarter"


INDICATORS: tuple[Indicator, ...] = (
    # pressure (population on 1 January; annual)
    Indicator("grey_pressure", "pressure", "per 100 aged 20-64", "Grijze druk", "Grey pressure",
              "persons 65+ per 100 persons aged 20-64", "population", None, period_type="year"),
    Indicator("green_pressure", "pressure", "per 100 aged 20-64", "Groene druk", "Green pressure",
              "persons 0-19 per 100 persons aged 20-64", "population", None, period_type="year"),
    Indicator("demographic_pressure", "pressure", "per 100 aged 20-64", "Totale druk",
              "Demographic pressure", "grey + green pressure", "population", None,
              period_type="year"),
    Indicator("population", "pressure", "persons", "Bevolking op 1 januari",
              "Population on 1 January", "residents on 1 January", "population", None,
              period_type="year"),
    # labour force (EBB, weighted)
    Indicator("population_15_74", "labour_force", "persons", "Bevolking 15 tot 75 jaar",
              "Population 15-74", "sum of weights, respondents aged 15-74", "ebb", None, True),
    Indicator("labour_force", "labour_force", "persons", "Beroepsbevolking", "Labour force",
              "employed + unemployed (ILO), aged 15-74", "ebb", "up", True),
    Indicator("employed", "labour_force", "persons", "Werkzame beroepsbevolking", "Employed",
              "weighted werkzaam respondents aged 15-74", "ebb", "up", True),
    Indicator("unemployed", "labour_force", "persons", "Werkloze beroepsbevolking", "Unemployed",
              "weighted werkloos (ILO) respondents aged 15-74", "ebb", "down", True),
    Indicator("unemployment_rate", "labour_force", "%", "Werkloosheidspercentage",
              "Unemployment rate", "unemployed / labour force x 100", "ebb", "down", True),
    Indicator("net_participation", "labour_force", "%", "Netto arbeidsparticipatie",
              "Net participation", "employed / population 15-74 x 100", "ebb", "up", True),
    Indicator("gross_participation", "labour_force", "%", "Bruto arbeidsparticipatie",
              "Gross participation", "labour force / population 15-74 x 100", "ebb", "up", True),
    # lifelong learning (EBB, 25-64)
    Indicator("llo_participation_rate", "llo", "%", "Deelname leven lang ontwikkelen",
              "Lifelong-learning participation", "followed education or a course in the last "
              "four weeks, % of persons 25-64", "ebb", "up", True),
    Indicator("llo_participation_rate_employed", "llo", "%", "LLO-deelname werkenden",
              "Lifelong-learning participation of the employed", "as llo_participation_rate, "
              "employed persons 25-64", "ebb", "up", True),
    Indicator("llo_formal_rate", "llo", "%", "Formeel leren", "Formal learning",
              "formal education in the last four weeks, % of persons 25-64", "ebb", "up", True),
    Indicator("llo_non_formal_rate", "llo", "%", "Niet-formeel leren", "Non-formal learning",
              "courses, workshops, private lessons in the last four weeks, % of persons 25-64",
              "ebb", "up", True),
    # vacancies
    Indicator("open_vacancies", "vacancies", "vacancies", "Openstaande vacatures",
              "Open vacancies", "open vacancies on the last day of the quarter",
              "open_vacancies", None),
    Indicator("new_vacancies", "vacancies", "vacancies", "Nieuwe online vacatures",
              "New online vacancies", "online vacancies newly arisen in the quarter "
              "(arbeidsmarktregio and Nederland only)", "online_vacancies", None),
    # benefits (registers)
    Indicator("ww_current", "benefits", "benefits", "Lopende WW-uitkeringen", "Running WW benefits",
              "WW spells running on the last day of the quarter", "ww", "down"),
    Indicator("ww_inflow", "benefits", "benefits", "Instroom WW", "WW inflow",
              "WW spells starting in the quarter", "ww", "down"),
    Indicator("ww_outflow", "benefits", "benefits", "Uitstroom WW", "WW outflow",
              "WW spells ending in the quarter", "ww", "up"),
    Indicator("ww_short_duration", "benefits", "benefits", "WW korter dan 6 maanden",
              "WW under six months", "running WW spells that started less than six months "
              "before quarter end", "ww", "down"),
    Indicator("ww_percentage", "benefits", "%", "WW-percentage", "WW percentage",
              "running WW benefits / labour force x 100", "ww, ebb", "down"),
    Indicator("bijstand", "benefits", "benefits", "Bijstandsuitkeringen", "Social assistance",
              "running bijstand benefits (per household) at quarter end", "bijstand", "down"),
    Indicator("wajong", "benefits", "benefits", "Wajong-uitkeringen", "Wajong benefits",
              "running Wajong benefits at quarter end", "wajong", "down"),
    Indicator("wia_wao", "benefits", "benefits", "WIA- en WAO-uitkeringen", "WIA and WAO benefits",
              "running WIA (WGA, IVA) and WAO benefits at quarter end", "wia_wao", "down"),
    Indicator("job_seekers_with_job", "benefits", "persons", "Werkzoekenden met dienstverband",
              "Registered job seekers with a job", "registered at UWV at quarter end, with a job",
              "job_seekers", "down"),
    Indicator("job_seekers_without_job", "benefits", "persons",
              "Werkzoekenden zonder dienstverband", "Registered job seekers without a job",
              "registered at UWV at quarter end, without a job", "job_seekers", "down"),
    # tension
    Indicator("uwv_tension", "tension", "ratio", "Spanningsindicator (UWV)", "UWV tension",
              "open vacancies / running WW under six months; label = typering "
              "(zeer ruim < 0.25 <= ruim < 0.67 <= gemiddeld < 1.5 <= krap < 4 <= zeer krap)",
              "open_vacancies, ww", None),
    Indicator("vacancies_per_100_unemployed", "tension", "per 100 unemployed",
              "Vacatures per 100 werklozen", "Vacancies per 100 unemployed",
              "open vacancies / unemployed (EBB) x 100", "open_vacancies, ebb", None),
)

BY_ID = {indicator.id: indicator for indicator in INDICATORS}
THEMES = tuple(dict.fromkeys(indicator.theme for indicator in INDICATORS))
