"""The example queries in the README run on a real warehouse and answer what they promise."""

from __future__ import annotations

import re
from pathlib import Path

from kraptemeter.warehouse import catalog
from tests.conftest import SAMPLE_QUARTERS

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_queries() -> list[str]:
    section = README.read_text().split("### Example queries", 1)[1].split("\nViews ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def test_there_are_six(sample_warehouse):
    assert len(readme_queries()) == 6
    assert SAMPLE_QUARTERS.endswith("2024Q2")  # the queries ask for 2024Q2


def test_each_query_answers(sample_warehouse):
    _, warehouse = sample_warehouse
    con = catalog.connect(warehouse)
    tightest, llo, unemployment, ww, grey, coverage = (
        con.execute(query).fetchall() for query in readme_queries()
    )
    assert len(tightest) == 5 and tightest[0][3] == "zeer krap"
    assert [t[2] for t in tightest] == sorted((t[2] for t in tightest), reverse=True)
    assert {row[1] for row in llo} == {"laag", "middelbaar", "hoog"}
    assert len({row[0] for row in llo}) == 3  # three quarters in the sample
    assert len(unemployment) == 12
    assert [row[0] for row in ww] == ["2023Q4", "2024Q1", "2024Q2"]
    assert all(inflow > 0 and current > 0 for _, inflow, _, current, _ in ww)
    assert len(grey) == 5 and all(0 < value < 100 for _, value in grey)
    # the sample delivers new vacancies per gemeente: every level, every region of it
    assert coverage == [
        ("2024Q2", "land", 1),
        ("2024Q2", "provincie", 12),
        ("2024Q2", "arbeidsmarktregio", 35),
        ("2024Q2", "corop", 40),
        ("2024Q2", "gemeente", 393),
    ]
