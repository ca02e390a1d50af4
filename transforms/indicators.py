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
    origin: str = "pipeline"  # computed from raw extracts, or 'cbs' (only from CBS tables)

    @property
    def numerator(self) -> str | None:
        return RATIOS.get(self.id, (None, None))[0]

    @property
    def denominator(self) -> str | None:
        return RATIOS.get(self.id, (None, None))[1]

    @property
    def regions(self) -> str:
        if self.origin == "cbs":
            return "as published by CBS (mostly Nederland or provincie)"
        if self.source == "online_vacancies":
            return "land, arbeidsmarktregio"
        return "land, provincie, corop, arbeidsmarktregio, gemeente"

    @property
    def periods(self) -> str:
        if self.survey_based:
            return "quarter; rolling_4q (four quarters ending with the quarter)"
        return self.period_type

    @property
    def grain(self) -> str:
        return f"region x {self.period_type}"


INDICATORS: tuple[Indicator, ...] = (
    # pressure (population on 1 January; annual)
    Indicator(
        "grey_pressure",
        "pressure",
        "per 100 aged 20-64",
        "Grijze druk",
        "Grey pressure",
        "persons 65+ per 100 persons aged 20-64",
        "population",
        None,
        period_type="year",
    ),
    Indicator(
        "green_pressure",
        "pressure",
        "per 100 aged 20-64",
        "Groene druk",
        "Green pressure",
        "persons 0-19 per 100 persons aged 20-64",
        "population",
        None,
        period_type="year",
    ),
    Indicator(
        "demographic_pressure",
        "pressure",
        "per 100 aged 20-64",
        "Totale druk",
        "Demographic pressure",
        "grey + green pressure",
        "population",
        None,
        period_type="year",
    ),
    Indicator(
        "population",
        "pressure",
        "persons",
        "Bevolking op 1 januari",
        "Population on 1 January",
        "residents on 1 January",
        "population",
        None,
        period_type="year",
    ),
    # labour force (EBB, weighted)
    Indicator(
        "population_15_74",
        "labour_force",
        "persons",
        "Bevolking 15 tot 75 jaar",
        "Population 15-74",
        "sum of weights, respondents aged 15-74",
        "ebb",
        None,
        True,
    ),
    Indicator(
        "labour_force",
        "labour_force",
        "persons",
        "Beroepsbevolking",
        "Labour force",
        "employed + unemployed (ILO), aged 15-74",
        "ebb",
        "up",
        True,
    ),
    Indicator(
        "employed",
        "labour_force",
        "persons",
        "Werkzame beroepsbevolking",
        "Employed",
        "weighted werkzaam respondents aged 15-74",
        "ebb",
        "up",
        True,
    ),
    Indicator(
        "unemployed",
        "labour_force",
        "persons",
        "Werkloze beroepsbevolking",
        "Unemployed",
        "weighted werkloos (ILO) respondents aged 15-74",
        "ebb",
        "down",
        True,
    ),
    Indicator(
        "unemployment_rate",
        "labour_force",
        "%",
        "Werkloosheidspercentage",
        "Unemployment rate",
        "unemployed / labour force x 100",
        "ebb",
        "down",
        True,
    ),
    Indicator(
        "net_participation",
        "labour_force",
        "%",
        "Netto arbeidsparticipatie",
        "Net participation",
        "employed / population 15-74 x 100",
        "ebb",
        "up",
        True,
    ),
    Indicator(
        "gross_participation",
        "labour_force",
        "%",
        "Bruto arbeidsparticipatie",
        "Gross participation",
        "labour force / population 15-74 x 100",
        "ebb",
        "up",
        True,
    ),
    # lifelong learning (EBB, 25-64)
    Indicator(
        "llo_participation_rate",
        "llo",
        "%",
        "Deelname leven lang ontwikkelen",
        "Lifelong-learning participation",
        "followed education or a course in the last four weeks, % of persons 25-64",
        "ebb",
        "up",
        True,
    ),
    Indicator(
        "llo_participation_rate_employed",
        "llo",
        "%",
        "LLO-deelname werkenden",
        "Lifelong-learning participation of the employed",
        "as llo_participation_rate, employed persons 25-64",
        "ebb",
        "up",
        True,
    ),
    Indicator(
        "llo_formal_rate",
        "llo",
        "%",
        "Formeel leren",
        "Formal learning",
        "formal education in the last four weeks, % of persons 25-64",
        "ebb",
        "up",
        True,
    ),
    Indicator(
        "llo_non_formal_rate",
        "llo",
        "%",
        "Niet-formeel leren",
        "Non-formal learning",
        "courses, workshops, private lessons in the last four weeks, % of persons 25-64",
        "ebb",
        "up",
        True,
    ),
    # vacancies
    Indicator(
        "open_vacancies",
        "vacancies",
        "vacancies",
        "Openstaande vacatures",
        "Open vacancies",
        "open vacancies on the last day of the quarter",
        "open_vacancies",
        None,
    ),
    Indicator(
        "new_vacancies",
        "vacancies",
        "vacancies",
        "Nieuwe online vacatures",
        "New online vacancies",
        "online vacancies newly arisen in the quarter (arbeidsmarktregio and Nederland only)",
        "online_vacancies",
        None,
    ),
    # benefits (registers)
    Indicator(
        "ww_current",
        "benefits",
        "benefits",
        "Lopende WW-uitkeringen",
        "Running WW benefits",
        "WW spells running on the last day of the quarter",
        "ww",
        "down",
    ),
    Indicator(
        "ww_inflow",
        "benefits",
        "benefits",
        "Instroom WW",
        "WW inflow",
        "WW spells starting in the quarter",
        "ww",
        "down",
    ),
    Indicator(
        "ww_outflow",
        "benefits",
        "benefits",
        "Uitstroom WW",
        "WW outflow",
        "WW spells ending in the quarter",
        "ww",
        "up",
    ),
    Indicator(
        "ww_short_duration",
        "benefits",
        "benefits",
        "WW korter dan 6 maanden",
        "WW under six months",
        "running WW spells that started less than six months before quarter end",
        "ww",
        "down",
    ),
    Indicator(
        "ww_percentage",
        "benefits",
        "%",
        "WW-percentage",
        "WW percentage",
        "running WW benefits / labour force x 100",
        "ww, ebb",
        "down",
    ),
    Indicator(
        "bijstand",
        "benefits",
        "benefits",
        "Bijstandsuitkeringen",
        "Social assistance",
        "running bijstand benefits (per household) at quarter end",
        "bijstand",
        "down",
    ),
    Indicator(
        "wajong",
        "benefits",
        "benefits",
        "Wajong-uitkeringen",
        "Wajong benefits",
        "running Wajong benefits at quarter end",
        "wajong",
        "down",
    ),
    Indicator(
        "wia_wao",
        "benefits",
        "benefits",
        "WIA- en WAO-uitkeringen",
        "WIA and WAO benefits",
        "running WIA (WGA, IVA) and WAO benefits at quarter end",
        "wia_wao",
        "down",
    ),
    Indicator(
        "job_seekers_with_job",
        "benefits",
        "persons",
        "Werkzoekenden met dienstverband",
        "Registered job seekers with a job",
        "registered at UWV at quarter end, with a job",
        "job_seekers",
        "down",
    ),
    Indicator(
        "job_seekers_without_job",
        "benefits",
        "persons",
        "Werkzoekenden zonder dienstverband",
        "Registered job seekers without a job",
        "registered at UWV at quarter end, without a job",
        "job_seekers",
        "down",
    ),
    # tension
    Indicator(
        "uwv_tension",
        "tension",
        "ratio",
        "Spanningsindicator (UWV)",
        "UWV tension",
        "open vacancies / running WW under six months; label = typering "
        "(zeer ruim < 0.25 <= ruim < 0.67 <= gemiddeld < 1.5 <= krap < 4 <= zeer krap)",
        "open_vacancies, ww",
        None,
    ),
    Indicator(
        "vacancies_per_100_unemployed",
        "tension",
        "per 100 unemployed",
        "Vacatures per 100 werklozen",
        "Vacancies per 100 unemployed",
        "open vacancies / unemployed (EBB) x 100",
        "open_vacancies, ebb",
        None,
    ),
)


# Ratios: (numerator, denominator) of their definition, both summed over the region first.
RATIOS = {
    "grey_pressure": ("persons aged 65+", "persons aged 20-64"),
    "green_pressure": ("persons aged 0-19", "persons aged 20-64"),
    "demographic_pressure": ("persons aged 0-19 and 65+", "persons aged 20-64"),
    "unemployment_rate": ("unemployed", "labour_force"),
    "net_participation": ("employed", "population_15_74"),
    "gross_participation": ("labour_force", "population_15_74"),
    "llo_participation_rate": ("persons 25-64 who learned", "persons 25-64"),
    "llo_participation_rate_employed": ("employed 25-64 who learned", "employed 25-64"),
    "llo_formal_rate": ("persons 25-64 in formal education", "persons 25-64"),
    "llo_non_formal_rate": ("persons 25-64 in non-formal learning", "persons 25-64"),
    "ww_percentage": ("ww_current", "labour_force"),
    "uwv_tension": ("open_vacancies", "ww_short_duration"),
    "vacancies_per_100_unemployed": ("open_vacancies", "unemployed"),
}

_SEASONALLY_ADJUSTED = [
    i
    for i in INDICATORS
    if i.id
    in (
        "labour_force",
        "employed",
        "unemployed",
        "unemployment_rate",
        "net_participation",
        "gross_participation",
        "ww_current",
    )
]
_CBS_ONLY = tuple(
    Indicator(
        f"{i.id}_sa",
        i.theme,
        i.unit,
        f"{i.label_nl}, seizoengecorrigeerd",
        f"{i.label_en}, seasonally adjusted",
        f"{i.definition}; seasonally adjusted by CBS",
        "cbs:85224NED, cbs:80590ned, cbs:37789ksz",
        i.good,
        i.survey_based,
        "quarter",
        "cbs",
    )
    for i in _SEASONALLY_ADJUSTED
) + tuple(
    Indicator(
        f"{name}_recipients",
        "benefits",
        "aantal",
        f"Uitkeringsontvangers {label}",
        f"{label} recipients",
        f"persons receiving a {label} benefit (CBS 70072ned, rounded to "
        "tens; persons, not benefits)",
        "cbs:70072ned",
        "down",
        False,
        "year",
        "cbs",
    )
    for name, label in (
        ("ww", "WW"),
        ("bijstand", "bijstand"),
        ("wajong", "Wajong"),
        ("wia_wao", "WIA/WAO"),
    )
)
INDICATORS = INDICATORS + _CBS_ONLY
BY_ID = {indicator.id: indicator for indicator in INDICATORS}
THEMES = tuple(dict.fromkeys(indicator.theme for indicator in INDICATORS))
PIPELINE = tuple(i for i in INDICATORS if i.origin == "pipeline")


def render_markdown() -> str:
    """docs/indicators.md, generated from this catalog (`make docs`; CI checks it is current)."""
    lines = [
        "# Indicators",
        "",
        "Generated from `transforms/indicators.py` by `make docs`; do not edit by hand.",
        "In the warehouse the same list is the `catalog` view.",
        "",
    ]
    for theme in THEMES:
        lines += [f"## {theme}", ""]
        for i in (i for i in INDICATORS if i.theme == theme):
            good = {"up": "higher is better", "down": "lower is better"}.get(i.good, "neither")
            kind = (
                "survey estimate (EBB), with 95% interval"
                if i.survey_based
                else "count or ratio of counts"
            )
            lines += [
                f"### `{i.id}` — {i.label_en} / {i.label_nl}",
                "",
                f"- Definition: {i.definition}",
                f"- Unit: {i.unit}",
            ]
            if i.numerator:
                lines.append(f"- Formula: {i.numerator} / {i.denominator}")
            lines += [
                f"- Source: {i.source}",
                f"- Grain: {i.grain}; regions: {i.regions}; periods: {i.periods}",
                f"- Kind: {kind}",
                f"- Direction: {good}",
                "",
            ]
    return "\n".join(lines)
