from datetime import date

import pytest

from kraptemeter.core.periods import PeriodError, Quarter, parse_quarter_span


def test_both_spellings_parse_to_the_same_quarter():
    assert Quarter.parse("2024Q2") == Quarter.parse("2024KW02") == Quarter(2024, 2)
    assert Quarter(2024, 2).cbs_code == "2024KW02"
    assert Quarter(2024, 2).label == "2024Q2"


def test_quarter_bounds_and_neighbours():
    q = Quarter(2024, 1)
    assert (q.start, q.end) == (date(2024, 1, 1), date(2024, 3, 31))
    assert q.previous() == Quarter(2023, 4)
    assert q.year_earlier() == Quarter(2023, 1)
    assert Quarter(2023, 4).next() == q
    assert Quarter(2024, 4).end == date(2024, 12, 31)


def test_preceding_quarters_and_comparison_periods():
    q = Quarter(2024, 2)
    assert [p.label for p in q.preceding(3)] == ["2023Q3", "2023Q4", "2024Q1"]
    assert q.comparison_periods() == ["2024Q1", "2023Q2", "2023"]


def test_span_is_inclusive():
    assert [q.label for q in parse_quarter_span("2023Q3..2024Q2")] == [
        "2023Q3",
        "2023Q4",
        "2024Q1",
        "2024Q2",
    ]


@pytest.mark.parametrize(
    "text", ["2024Q5", "2024Q0", "2024-Q2", "2024KW2", "2024Q2'; drop table x; --", "../2024Q2", ""]
)
def test_anything_else_is_refused(text):
    with pytest.raises(PeriodError):
        Quarter.parse(text)


@pytest.mark.parametrize("text", ["2024q2", "2024Q2", " 2024kw02 ", "2024KW02"])
def test_a_quarter_is_read_in_any_case(text):
    assert Quarter.parse(text) == Quarter(2024, 2)
