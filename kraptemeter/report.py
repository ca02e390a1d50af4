"""`kraptemeter report`: the regional key-figure sheet as one self-contained HTML page.

Every number comes from the marts (through the catalog); charts are drawn by matplotlib and
embedded as SVG, so the page needs no network and no JavaScript.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import duckdb
import matplotlib

matplotlib.use("Agg")  # no display on a server
import matplotlib.pyplot as plt  # noqa: E402

from kraptemeter.core.errors import InputError  # noqa: E402
from kraptemeter.core.periods import Quarter  # noqa: E402
from kraptemeter.warehouse import catalog  # noqa: E402
from transforms.indicators import BY_ID  # noqa: E402

REGION = re.compile(r"^(NL01|PV\d{2}|CR\d{2}|AM\d{2}|GM\d{4})$")
TREND_INDICATORS = ("employed", "unemployment_rate", "open_vacancies", "ww_current")
# An arrow only for a change worth one (the mart's change_significant_*: beyond the survey
# margin, or a register change of a shown decimal and 1%); otherwise "≈".
ARROWS = {"up": "▲", "down": "▼", "equal": "=", "not_significant": "≈"}
matplotlib.rcParams["svg.hashsalt"] = "kraptemeter"  # stable element ids in the SVG


def number(value: float | None, unit: str) -> str:
    """Dutch notation: 916.000 persons, 3,7 %, ratios with two decimals."""
    if value is None:
        return "–"
    if unit in ("%",) or unit.startswith("per 100"):
        text = f"{value:,.1f}"
    elif unit == "ratio":
        text = f"{value:,.2f}"
    else:
        text = f"{value:,.0f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _fetch(con, query: str, params: list) -> list[tuple]:
    try:
        return con.execute(query, params).fetchall()
    except (duckdb.BinderException, duckdb.CatalogException) as error:
        # a warehouse published by an older version lacks a column or table the sheet reads
        first = str(error).splitlines()[0]
        raise InputError(
            f"the warehouse's marts are older than this report ({first}); run "
            "`kraptemeter run` on it first (a changed version redoes every quarter)"
        ) from None


def build_report(warehouse: Path, region: str, quarter: Quarter) -> str:
    if not REGION.match(region or ""):
        raise InputError(f"not a region code: {region!r} (e.g. PV26, AM13, GM0344, NL01)")
    con = catalog.connect(warehouse)
    try:
        known = _fetch(
            con, "select region_name, region_level from regions where region_code = ?", [region]
        )
        if not known:
            raise InputError(f"{region}: no such region in the warehouse's classification")
        region_name, level = known[0]
        headline = _fetch(
            con,
            """
            select k.indicator, k.value, k.unit, k.label, k.status,
                   k.change_prev_quarter, k.change_significant_prev_quarter,
                   k.direction_prev_quarter, k.change_prev_year,
                   k.change_significant_prev_year, k.direction_prev_year,
                   k.value_period, k.value_period_type, k.source, n.value, n.value_period_type
            from key_figures k
            left join key_figures n
                on n.region_code = 'NL01' and n.period = k.period and n.indicator = k.indicator
            where k.region_code = ? and k.period = ? order by k.position""",
            [region, quarter.label],
        )
        if not headline:
            raise InputError(f"{region} {quarter}: no key figures in the warehouse; run it first")
        quarters = [*quarter.preceding(7), quarter]
        trend = _fetch(
            con,
            f"""
            select indicator, period, value from indicator_candidates
            where region_code = ? and period_type = 'quarter' and source not like 'cbs:%'
              and indicator in ({", ".join("?" * len(TREND_INDICATORS))})
              and period in ({", ".join("?" * len(quarters))})
            order by indicator, period""",
            [region, *TREND_INDICATORS, *[q.label for q in quarters]],
        )
        llo = _fetch(
            con,
            """
            select region_code, breakdown, category, value from indicator_breakdowns
            where region_code in (?, 'NL01') and period = ? and period_type = 'quarter'
              and ((indicator = 'llo_participation_rate_employed' and breakdown = 'education_level')
                or (indicator = 'llo_participation_rate' and breakdown = 'labour_position'))""",
            [region, quarter.label],
        )
        ranked = _fetch(
            con,
            """
            select r.region_code, r.region_name, i.value, i.label
            from regions r join indicators i using (region_code)
            where r.region_level = 'arbeidsmarktregio' and list_contains(r.provincie_codes, ?)
              and i.indicator = 'uwv_tension' and i.period = ? and i.period_type = 'quarter'
            order by i.value desc""",
            [region if level == "provincie" else "", quarter.label],
        )
        education = _fetch(
            con,
            """
            select b.region_code, r.region_name, b.category, b.value
            from indicator_breakdowns b join regions r using (region_code)
            where b.indicator = 'new_vacancies_share' and b.period = ?
              and b.period_type = 'quarter'
              and b.region_code in (select region_code from regions
                                    where region_level = 'arbeidsmarktregio'
                                      and list_contains(provincie_codes, ?)
                                    union select ? union select 'NL01')
            order by b.region_code = 'NL01', b.region_code, b.category""",
            [quarter.label, region if level == "provincie" else "", region],
        )
        # every table the page reads carries `source`: any sample figure marks the page
        sample = _fetch(
            con,
            f"""
            select count(*) from (
                select source from key_figures where region_code = ? and period = ?
                union all select source from indicator_candidates
                where region_code = ? and period_type = 'quarter' and source not like 'cbs:%'
                  and period in ({", ".join("?" * len(quarters))})
                union all select source from indicator_breakdowns
                where period = ? and (region_code in (?, 'NL01') or region_level =
                'arbeidsmarktregio')
                union all select source from indicators
                where indicator = 'uwv_tension' and period = ? and region_level =
                'arbeidsmarktregio'
            ) where source = 'sample'""",
            [
                region,
                quarter.label,
                region,
                *[q.label for q in quarters],
                quarter.label,
                region,
                quarter.label,
            ],
        )[0][0]
    finally:
        con.close()
    page = _page(region, region_name, quarter, headline, trend, llo, ranked, education)
    return _mark_sample(page) if sample else page


SAMPLE_BANNER = (
    '<p id="sample" class="sample">Voorbeelddata: deze cijfers zijn berekend uit de '
    "meegeleverde voorbeelddata (kraptemeter sample), niet uit echte leveringen.</p>"
)


def _mark_sample(page: str) -> str:
    """A visible `voorbeelddata` marking: in the title, under the heading, on every table."""
    page = page.replace("<title>", "<title>[Voorbeelddata] ", 1)
    page = page.replace("</h1>", " — voorbeelddata</h1>\n" + SAMPLE_BANNER, 1)
    return page.replace(
        "</style>",
        ".sample{background:#fff3cd;border:1px solid #c9a227;padding:.5em .8em;font-weight:600}"
        "</style>",
        1,
    )


# The units as a Dutch reader says them.
UNITS_NL = {
    "persons": "personen",
    "benefits": "uitkeringen",
    "vacancies": "vacatures",
    "aantal": "aantal",
    "%": "%",
    "ratio": "verhouding",
    "per 100 unemployed": "per 100 werklozen",
    "per 100 aged 20-64": "per 100 van 20–64 jaar",
    "per 1 000 aged 15-74": "per 1 000 van 15–74 jaar",
}
# Why a figure is not shown, for the footnotes.
STATUS_NL = {
    "suppressed_few_respondents": "te weinig respondenten voor publicatie",
    "suppressed": "niet gepubliceerd (onbetrouwbaar of geheim)",
}


def _period_nl(period: str | None, period_type: str | None) -> str:
    if period_type == "rolling_4q" and period:
        return f"vier kwartalen t/m {period}"
    if period_type == "year" and period:
        return f"1 januari {period}"
    return period or ""


def _source_nl(source: str | None) -> str:
    if not source:
        return ""
    if source.startswith("cbs:"):
        return f"CBS {source[4:]}"
    if source == "sample":
        return "voorbeelddata"
    return "CBS/UWV-leveringen"


def _change(change, significant, direction, meta, unit) -> str:
    """A change with an arrow only when it is significant, else ≈; green or red by the
    indicator's declared good direction."""
    if change is None:
        return '<td class="change">–</td>'
    kind = "not_significant" if significant is False else direction or ""
    good = (kind == meta.good) if meta.good and kind in ("up", "down") else None
    tone = "" if good is None else (" good" if good else " bad")
    return f'<td class="change{tone}">{ARROWS.get(kind, "")} {number(change, unit)}</td>'


def _headline_rows(headline) -> tuple[str, list[str]]:
    """The table rows, and the footnotes they point to (why a figure is not shown)."""
    rows, notes = [], []
    for (
        indicator, value, unit, label, status,
        change_q, significant_q, direction_q, change_y, significant_y, direction_y,
        period, period_type, source, national, _,
    ) in headline:  # fmt: skip
        meta = BY_ID[indicator]
        shown = number(value, unit) + (f" ({html.escape(label)})" if label else "")
        if value is None:
            reason = STATUS_NL.get(status or "", status or "geen gegevens")
            if reason not in notes:
                notes.append(reason)
            shown += f"<sup>{notes.index(reason) + 1}</sup>"
        rows.append(
            f"<tr><th>{html.escape(meta.label_nl)}</th>"
            f'<td class="value" data-indicator="{indicator}" data-value="{value!r}">'
            f'{shown}</td><td class="unit">{html.escape(UNITS_NL.get(unit, unit))}</td>'
            f'<td class="period">{html.escape(_period_nl(period, period_type))}</td>'
            f"{_change(change_q, significant_q, direction_q, meta, unit)}"
            f"{_change(change_y, significant_y, direction_y, meta, unit)}"
            f'<td class="national">{number(national, unit)}</td>'
            f'<td class="source">{html.escape(_source_nl(source))}</td></tr>'
        )
    return "\n".join(rows), notes


def _trend_chart(trend, quarters_seen) -> str:
    figure, axes = plt.subplots(1, len(TREND_INDICATORS), figsize=(13, 2.6))
    for ax, indicator in zip(axes, TREND_INDICATORS, strict=True):
        points = [(p, v) for i, p, v in trend if i == indicator]
        ax.plot([p for p, _ in points], [v for _, v in points], marker="o", color="#1f5c99")
        ax.set_title(BY_ID[indicator].label_nl, fontsize=10)
        ax.tick_params(axis="x", labelrotation=45, labelsize=7)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(alpha=0.3)
    return _svg(figure)


def _llo_chart(llo, region) -> str:
    figure, axes = plt.subplots(1, 2, figsize=(11, 3))
    for ax, breakdown, title in (
        (axes[0], "education_level", "Werkenden naar opleidingsniveau"),
        (axes[1], "labour_position", "Naar arbeidspositie"),
    ):
        categories = sorted({c for _, b, c, _ in llo if b == breakdown})
        for offset, code, name in ((-0.2, region, region), (0.2, "NL01", "Nederland")):
            values = {c: v for r, b, c, v in llo if r == code and b == breakdown}
            ax.bar(
                [i + offset for i in range(len(categories))],
                [values.get(c) or 0 for c in categories],
                width=0.4,
                label=name,
            )
        ax.set_xticks(range(len(categories)), categories, fontsize=8)
        ax.set_title(title, fontsize=10)
        ax.set_ylabel("% leert", fontsize=8)
        ax.legend(fontsize=8)
    return _svg(figure)


def _page(region, region_name, quarter, headline, trend, llo, ranked, education) -> str:
    ranked_rows = "\n".join(
        f"<tr><td>{i}</td><td>{html.escape(name)} ({code})</td>"
        f"<td>{number(value, 'ratio')}</td><td>{html.escape(label or '')}</td></tr>"
        for i, (code, name, value, label) in enumerate(ranked, start=1)
    )
    education_rows = "\n".join(
        f"<tr><td>{html.escape(name)}</td><td>{html.escape(category)}</td>"
        f"<td>{number(value, '%')} %</td></tr>"
        for code, name, category, value in education
    )
    rows, notes = _headline_rows(headline)
    sample = any(row[13] == "sample" for row in headline)
    footnotes = "".join(f"<li>{html.escape(note)}</li>" for note in notes)
    css = (
        "body{font-family:system-ui,sans-serif;margin:2em;color:#1c2733}"
        "table{border-collapse:collapse;margin-bottom:1.5em}"
        "th,td{padding:.3em .8em;border-bottom:1px solid #dde3ea;text-align:left}"
        ".value{font-weight:600;text-align:right}.status{font-weight:400;color:#667}.good{color:#1a7f37}.bad{color:#b42318}"
        "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.5em}"
        ".sample{background:#fff3cd;border:2px solid #b7791f;padding:.5em 1em;font-weight:600}"
        ".legend,.colophon,ol.notes{font-size:.85em;color:#445}"
        "@page{size:A4;margin:12mm}@media print{body{margin:0;font-size:9pt}"
        "svg{max-width:100%;height:auto}h2{break-after:avoid}table{break-inside:avoid}}"
    )
    banner = (
        '<p class="sample">VOORBEELDDATA — deze cijfers komen uit de meegeleverde, '
        "gegenereerde voorbeelddata en beschrijven geen werkelijke arbeidsmarkt.</p>"
        if sample
        else ""
    )
    return f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8">
<title>Kerncijfers arbeidsmarkt {html.escape(region_name)} {quarter.label}</title>
<style>{css}</style></head>
<body>
<h1>Kerncijfers arbeidsmarkt — {html.escape(region_name)} ({region}) — {quarter.label}</h1>
{banner}
<p>Peildatum: {quarter.label} (t/m {quarter.end.strftime("%d-%m-%Y")}).</p>
<table id="headline"><tr><th>Indicator</th><th>Waarde</th><th>Eenheid</th><th>Periode</th>
<th>t.o.v. vorig kwartaal</th><th>t.o.v. een jaar eerder</th><th>Nederland</th><th>Bron</th></tr>
{rows}
</table>
<ol class="notes">{footnotes}</ol>
<p class="legend">▲ ▼ een betekenisvolle stijging of daling (enquêtecijfers: buiten de
95%-onzekerheidsmarge van beide schattingen; registercijfers: minstens één getoonde decimaal
en 1%); ≈ binnen die marge; groen is gunstig, rood ongunstig. Enquêtecijfers van gemeenten,
COROP-gebieden en arbeidsmarktregio's zijn schattingen over de vier kwartalen t/m het
peilkwartaal (zie Periode), zoals CBS ze voor kleine gebieden publiceert. – : geen cijfer
(zie de voetnoten).</p>
<h2>Laatste acht kwartalen</h2>
{_trend_chart(trend, None)}
<h2>Leven lang ontwikkelen (25-64 jaar), vergeleken met Nederland</h2>
{_llo_chart(llo, region)}
<h2>Nieuwe vacatures naar opleidingsniveau</h2>
<table id="education"><tr><th>Regio</th><th>Opleidingsniveau</th><th>Aandeel</th></tr>
{education_rows}
</table>
<h2>Arbeidsmarktregio's in de provincie naar spanning</h2>
<table id="tension"><tr><th>#</th><th>Arbeidsmarktregio</th><th>Spanning</th><th>Typering</th></tr>
{ranked_rows}
</table>
<p class="colophon">Samengesteld door kraptemeter uit de marts van dit warehouse. Bronnen per
cijfer in de kolom Bron: CBS-tabellen (StatLine) en de enquête- en registerleveringen van
CBS/UWV{"; voorbeelddata zijn gegenereerd" if sample else ""}.</p>
</body></html>
"""
