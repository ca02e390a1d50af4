"""`kraptemeter report`: one region's key-figure sheet (the site's sheet, tests/test_site.py,
opens it in a browser)."""

from __future__ import annotations

import re

import pytest

from kraptemeter.cli import main
from kraptemeter.warehouse import catalog


@pytest.mark.parametrize("region", ["PV26'; drop table x; --", "../etc", "PV99"])
def test_report_refuses_unknown_or_hostile_regions(sample_warehouse, tmp_path, region, capsys):
    _, warehouse = sample_warehouse
    code = main(
        [
            "report",
            "--region",
            region,
            "--quarter",
            "2024Q2",
            "--out",
            str(tmp_path / "r.html"),
            "--warehouse",
            str(warehouse),
        ]
    )
    assert code == 2 and "kraptemeter:" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_report_takes_codes_and_quarters_in_any_case(sample_warehouse, tmp_path):
    _, warehouse = sample_warehouse
    out = tmp_path / "r.html"
    argv = ["report", "--region", "pv26", "--quarter", "2024q2", "--out", str(out)]
    assert main([*argv, "--warehouse", str(warehouse)]) == 0
    assert "Utrecht" in out.read_text(encoding="utf-8")


def test_arrows_only_for_significant_changes(sample_warehouse, tmp_path):
    _, warehouse = sample_warehouse
    out = tmp_path / "r.html"
    argv = ["report", "--region", "GM0344", "--quarter", "2024Q2", "--out", str(out)]
    assert main([*argv, "--warehouse", str(warehouse)]) == 0
    con = catalog.connect(warehouse)
    flags = con.execute(
        "select change_significant_prev_quarter, direction_prev_quarter, "
        "change_significant_prev_year, direction_prev_year from key_figures "
        "where region_code = 'GM0344' and period = '2024Q2'"
    ).fetchall()
    con.close()
    changes = [(s, d) for sq, dq, sy, dy in flags for s, d in ((sq, dq), (sy, dy))]
    page = out.read_text(encoding="utf-8")
    table = page[page.index('<table id="headline">') : page.index("</table>")]
    calm = sum(1 for significant, _ in changes if significant is False)
    assert calm > 0  # a gemeente's survey figures move within their margin
    assert len(re.findall(r'class="change[^"]*">≈', table)) == calm
    arrows = sum(1 for significant, d in changes if significant and d in ("up", "down"))
    assert table.count("▲") + table.count("▼") == arrows


def test_the_sheet_is_in_dutch_with_nederland_sources_and_the_recommended_figure(
    sample_warehouse, tmp_path
):
    _, warehouse = sample_warehouse
    out = tmp_path / "r.html"
    argv = ["report", "--region", "GM0344", "--quarter", "2024Q2", "--out", str(out)]
    assert main([*argv, "--warehouse", str(warehouse)]) == 0
    page = out.read_text(encoding="utf-8")
    table = page[page.index('<table id="headline">') : page.index("</table>")]
    con = catalog.connect(warehouse)
    employed = con.execute(
        "select value from indicators where region_code = 'GM0344' and period = '2024Q2' "
        "and indicator = 'employed' and recommended"
    ).fetchall()
    national = con.execute(
        "select value from indicators where region_code = 'NL01' and period = '2024Q2' "
        "and indicator = 'employed' and period_type = 'quarter'"
    ).fetchall()
    con.close()
    # the recommended figure (the rolling estimate where there are four quarters: test_survey)
    assert f'data-indicator="employed" data-value="{employed[0][0]!r}"' in table
    assert f"{national[0][0]:,.0f}".replace(",", ".") in table  # Nederland beside it
    assert "personen" in table and "uitkeringen" in table and "persons" not in table
    assert "t.o.v. een jaar eerder" in table and "Nederland" in table
