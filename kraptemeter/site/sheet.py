"""One region's key-figure sheet of one quarter, as the values its template shows."""

from __future__ import annotations

from kraptemeter.core import reference_data as ref
from kraptemeter.site import charts, dutch
from kraptemeter.site.data import TREND_INDICATORS, QuarterData, arbeidsmarktregios
from transforms.indicators import BY_ID, HEADLINE

# An arrow only for a change worth one (the mart's change_significant_*: beyond the survey
# margin, or a register change of a shown decimal and 1%); otherwise "≈".
ARROWS = {"up": "▲", "down": "▼", "equal": "=", "not_significant": "≈"}
LABOUR_POSITIONS = {"werkzaam": "werkzaam", "werkloos": "werkloos",
                    "niet_beroepsbevolking": "niet-beroepsbevolking"}  # fmt: skip


def change(value, significant, direction, indicator) -> dict:
    """A change with an arrow only when significant, else ≈; good or bad by the indicator's
    declared good direction. Where the marts cannot judge it (`change_significant` NULL: a
    CBS table's figure, published without an interval) neither arrow nor colour: an arrow
    would claim a significance nobody established."""
    if value is None:
        return {"arrow": "", "text": "–", "tone": ""}
    if significant is None:
        return {"arrow": "", "text": dutch.number(value, indicator.decimals), "tone": ""}
    kind = "not_significant" if significant is False else direction or ""
    good = (kind == indicator.good) if indicator.good and kind in ("up", "down") else None
    tone = "" if good is None else ("good" if good else "bad")
    return {"arrow": ARROWS.get(kind, ""), "text": dutch.number(value, indicator.decimals),
            "tone": tone}  # fmt: skip


def _absent(indicator) -> dict:
    """A headline figure the marts have no row for (a count whose estimate was never made,
    new vacancies where none were delivered): shown as "–" with a footnote like a suppressed
    one, so every sheet has the same rows and none quietly drops a figure."""
    return {"indicator": indicator.id, "value": None, "unit": indicator.unit, "label": None,
            "status": dutch.ABSENT, "change_prev_quarter": None,
            "change_significant_prev_quarter": None, "direction_prev_quarter": None,
            "change_prev_year": None, "change_significant_prev_year": None,
            "direction_prev_year": None, "value_period": None, "value_period_type": None,
            "national": None, "source": None}  # fmt: skip


def headline(rows: list[dict]) -> tuple[list[dict], list[str]]:
    """The headline rows, every headline indicator in its declared order, and the footnotes
    they point to (why a figure is not shown)."""
    found = {row["indicator"]: row for row in rows}
    rows = [found.get(indicator.id) or _absent(indicator) for indicator in HEADLINE]
    shown, notes = [], []
    for row in rows:
        indicator = BY_ID[row["indicator"]]
        note = None
        if row["value"] is None:
            reason = dutch.why_not_shown(row["status"])
            if reason not in notes:
                notes.append(reason)
            note = notes.index(reason) + 1
        shown.append({
            "indicator": indicator.id,
            "name": indicator.label_nl,
            "value": row["value"],
            "text": dutch.number(row["value"], indicator.decimals),
            "label": row["label"],
            "note": note,
            "unit": dutch.unit(row["unit"]),
            "period": dutch.period(row["value_period"], row["value_period_type"]),
            "quarter": change(row["change_prev_quarter"], row["change_significant_prev_quarter"],
                              row["direction_prev_quarter"], indicator),
            "year": change(row["change_prev_year"], row["change_significant_prev_year"],
                           row["direction_prev_year"], indicator),
            "national": dutch.number(row["national"], indicator.decimals),
            "source": dutch.source(row["source"]),
        })  # fmt: skip
    return shown, notes


def trend_lines(data: QuarterData, code: str) -> list[charts.Line]:
    rows = data.trend.get(code, [])
    return [
        charts.line(
            BY_ID[indicator].label_nl,
            data.trend_quarters,
            {r["period"]: r["value"] for r in rows if r["indicator"] == indicator},
            BY_ID[indicator].decimals,
        )
        for indicator in TREND_INDICATORS
    ]


def _values(rows: list[dict], indicator: str, breakdown: str) -> dict[str, float | None]:
    return {r["category"]: r["value"] for r in rows
            if r["indicator"] == indicator and r["breakdown"] == breakdown}  # fmt: skip


def llo_bars(own: list[dict], national: list[dict]) -> list[charts.Bars]:
    panels = (
        ("llo_participation_rate_employed", "education_level", "Werkenden naar opleidingsniveau",
         [(c, c) for c in ref.EDUCATION_LEVELS]),
        ("llo_participation_rate", "labour_position", "Naar arbeidspositie",
         list(LABOUR_POSITIONS.items())),
    )  # fmt: skip
    decimals = BY_ID["llo_participation_rate"].decimals
    return [
        charts.bars(
            title,
            categories,
            _values(own, indicator, breakdown),
            _values(national, indicator, breakdown),
            decimals,
        )  # fmt: skip
        for indicator, breakdown, title, categories in panels
    ]


def top_five(rows: list[dict], indicator: str, breakdown: str, names: dict[str, str]) -> list:
    ranked = sorted((r for r in rows if r["indicator"] == indicator
                     and r["breakdown"] == breakdown and r["rank"] is not None),
                    key=lambda r: r["rank"])  # fmt: skip
    return [{"rank": r["rank"], "name": names.get(r["category"], r["category"]),
             "text": dutch.number(r["value"], 0)} for r in ranked[:5]]  # fmt: skip


def education_split(data: QuarterData, code: str) -> tuple[list[dict], bool]:
    """The education split of new vacancies for the region itself and Nederland; where the
    region has none (deliveries per arbeidsmarktregio), that of the arbeidsmarktregio's it
    lies in, marked as such."""
    own = [r for r in data.breakdowns.get(code, []) if r["indicator"] == "new_vacancies_share"]
    shown = [code] if own or code == "NL01" else arbeidsmarktregios(data.regions, code)
    rows = []
    for shown_code in [*shown, "NL01"] if code != "NL01" else ["NL01"]:
        values = _values(data.breakdowns.get(shown_code, []), "new_vacancies_share",
                         "education_level")  # fmt: skip
        rows += [{"region": data.regions[shown_code].name, "code": shown_code,
                  "category": level, "text": dutch.number(values.get(level), 1)}
                 for level in ref.EDUCATION_LEVELS if level in values]  # fmt: skip
    return rows, not own and code != "NL01"


def tension(data: QuarterData, code: str) -> list[dict]:
    """The arbeidsmarktregio's of the region's province(s) (all of them for Nederland) ranked
    by tension; those the region lies in are marked."""
    region = data.regions[code]
    provinces = set(region.provincies) if code != "NL01" else None
    # marked only for a region inside an arbeidsmarktregio: a province's are all its own
    small = region.level in ("gemeente", "corop", "arbeidsmarktregio")
    own = set(arbeidsmarktregios(data.regions, code)) if small else set()
    rows = []
    for row in data.tension:
        am = data.regions.get(row["region_code"])
        if am is None or (provinces is not None and not provinces & set(am.provincies)):
            continue
        rows.append({"rank": len(rows) + 1, "code": am.code, "name": am.name,
                     "text": dutch.number(row["value"], BY_ID["uwv_tension"].decimals),
                     "label": row["label"] or "", "own": am.code in own})  # fmt: skip
    return rows


def context(data: QuarterData, code: str) -> dict:
    """Everything the sheet template needs for one region."""
    region = data.regions[code]
    own = data.breakdowns.get(code, [])
    national = data.breakdowns.get("NL01", [])
    rows, notes = headline(data.headline.get(code, []))
    education, borrowed = education_split(data, code)
    ranked = tension(data, code)
    shown_tension = {r["code"] for r in ranked}
    sources = [r["source"] for r in data.headline.get(code, [])]
    sources += [r["source"] for r in data.trend.get(code, [])]
    sources += [r["source"] for r in own + national]
    sources += [r["source"] for r in data.tension if r["region_code"] in shown_tension]
    return {
        "region": region,
        "level": dutch.LEVELS.get(region.level, region.level),
        "quarter": data.quarter,
        "headline": rows,
        "notes": notes,
        "trend": trend_lines(data, code),
        "llo": llo_bars(own, national),
        "sectors": top_five(own, "open_vacancies", "sbi_section", ref.SBI_SECTIONS),
        "occupations": top_five(
            own, "new_vacancies", "occupation_class", ref.OCCUPATION_CLASSES
        ),  # fmt: skip
        "education": education,
        "education_borrowed": borrowed,
        "tension": ranked,
        "sample": "sample" in sources,
        # with CBS tables landed a sheet mixes real and sample figures: the banner then must
        # not call every figure sample, but say which ones are (the Bron column)
        "mixed": any(s and s != "sample" for s in sources),
    }
