"""Bad input is quarantined with its reason, counted, and stops the run past a share."""

from __future__ import annotations

import csv

import duckdb
import pandas as pd
import pytest

from kraptemeter.core.errors import InputError, TooManyRejected
from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import Settings
from kraptemeter.run import LocalSteps, run_quarters
from kraptemeter.warehouse.layout import WorkFolder
from schemas import SOURCES
from tests.conftest import write_raw

Q2 = Quarter(2024, 2)


def spell(sid, start="2024-01-15", end="", gemeente="GM0344", age="40", scheme="WW"):
    return {
        "spell_id": sid,
        "person_id": "P1",
        "gemeente_code": gemeente,
        "scheme": scheme,
        "start_date": start,
        "end_date": end,
        "age": age,
        "sex": "M",
    }


BAD_WW = [
    spell("ok1"),
    spell("ok2", "2024-04-01", "2024-05-01"),
    spell("end_before_start", "2024-05-01", "2024-04-01"),
    spell("feb31", "2024-02-31"),
    spell("unknown_gm", gemeente="GM9999"),
    spell("text_age", age="veertig"),
    spell("decimal_age", age="40.5"),
    spell("after_quarter", "2024-07-01"),
    spell("dup"),
    spell("dup"),
    spell("wrong_scheme", scheme="Bijstand"),
]


def quarantined(settings: Settings, source: str, period: str) -> dict[str, list[str]]:
    path = WorkFolder(settings.work).quarantined_rows(source, period, "*")  # one delivery
    rows = duckdb.sql(f"select spell_id, _rules, _line from '{path}'").fetchall()
    return {spell_id: (rules, line) for spell_id, rules, line in rows}


def test_every_bad_row_is_kept_with_the_rule_it_broke(settings):
    write_raw(settings.raw, "ww", Q2, BAD_WW)
    _, reports = LocalSteps().stage(Settings(settings.raw, settings.warehouse, 1.0), Q2)
    (report,) = reports
    assert report.rows_read == 11
    assert report.rows_accepted == 2
    assert report.rows_read == report.rows_accepted + report.rows_quarantined

    bad = quarantined(settings, "ww", "2024Q2")
    assert bad["end_before_start"][0] == ["end_not_before_start"]
    assert bad["feb31"][0] == ["start_date: not a valid date"]
    assert bad["unknown_gm"][0] == ["gemeente_code: unknown gemeente code"]
    assert bad["text_age"][0] == ["age: not a valid bigint"]
    assert bad["decimal_age"][0] == ["age: not a valid bigint"]
    assert bad["after_quarter"][0] == ["spell_overlaps_quarter"]
    assert bad["wrong_scheme"][0] == ["scheme: isin(['WW'])"]
    assert bad["dup"][0] == ["duplicate key (spell_id)"]
    # line numbers count the header as line 1
    assert bad["end_before_start"][1] == 4


def test_run_stops_when_too_many_rows_fail_and_names_file_rules_and_lines(settings):
    write_raw(settings.raw, "ww", Q2, BAD_WW)
    with pytest.raises(TooManyRejected) as error:
        run_quarters(Settings(settings.raw, settings.warehouse, 0.05), [Q2])
    message = str(error.value)
    assert "ww_2024KW02.csv" in message
    assert "9 of 11 rows" in message
    assert "spell_overlaps_quarter (1)" in message
    assert "line 4: end_not_before_start" in message
    # nothing was published for the quarter, and the failure is on record
    assert not (settings.warehouse / "marts").exists()
    runs = list((settings.warehouse / "runs").glob("*.json"))
    assert len(runs) == 1 and '"outcome": "failed"' in runs[0].read_text()


def test_lines_the_csv_reader_cannot_split_are_quarantined_too(settings):
    path = write_raw(settings.raw, "ww", Q2, [spell("a"), spell("b")])
    with path.open("a", encoding="utf-8") as handle:
        handle.write('"c";"P1";"GM0344";"WW";2024-01-15;;40;"M";"surplus"\n')
    _, (report,) = LocalSteps().stage(Settings(settings.raw, settings.warehouse, 1.0), Q2)
    assert (report.rows_read, report.rows_accepted, report.rows_quarantined) == (3, 2, 1)
    path = WorkFolder(settings.work).quarantined_rows("ww", "2024Q2", report.sha256)
    line, rules = duckdb.sql(f"select _line, _rules from '{path}'").fetchall()[0]
    assert line == 4 and rules[0].startswith("csv: TOO MANY COLUMNS")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "spell_id;person_id;gemeente_code;scheme;start_date;end_date;age",
            "missing column(s) sex",
        ),
        ("spell_id,person_id,gemeente_code,scheme,start_date,end_date,age,sex", "delimiter"),
        (
            "spell_id;person_id;gemeente;scheme;start_date;end_date;age;sex",
            "unexpected column(s) gemeente",
        ),
    ],
)
def test_a_wrong_header_stops_with_file_and_line(settings, header, expected):
    path = SOURCES["ww"].file_for(settings.raw, Q2)
    path.parent.mkdir(parents=True)
    path.write_text(header + "\n")
    with pytest.raises(InputError) as error:
        run_quarters(settings, [Q2])
    assert str(path) in str(error.value) and "line 1" in str(error.value)
    assert expected in str(error.value)


def test_duckdb_engine_finds_the_same_bad_rows_as_pandera_on_pandas(settings):
    """The one schema, enforced by two engines: compiled SQL here, pandera's pandas backend."""
    rows = [r for r in BAD_WW if r["spell_id"] not in ("feb31", "text_age", "decimal_age")]
    write_raw(settings.raw, "ww", Q2, rows)
    LocalSteps().stage(Settings(settings.raw, settings.warehouse, 1.0), Q2)
    by_sql = set(quarantined(settings, "ww", "2024Q2"))

    frame = pd.read_csv(SOURCES["ww"].file_for(settings.raw, Q2), sep=";", dtype=str)
    frame["age"] = frame["age"].astype("int64")
    for column in ("start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    schema = SOURCES["ww"].schema_for(Q2)
    with pytest.raises(Exception) as error:
        schema.validate(frame, lazy=True)
    failure_index = error.value.failure_cases["index"].dropna().astype(int)
    by_pandera = set(frame.loc[sorted(set(failure_index)), "spell_id"])
    assert (
        by_sql
        == by_pandera
        == {
            "end_before_start",
            "unknown_gm",
            "after_quarter",
            "dup",
            "wrong_scheme",
        }
    )


def _accepted_rows(settings: Settings, report) -> list[tuple]:
    """What the delivery is staged as: its accepted rows, or their summary (the registers'
    spell counts)."""
    source = SOURCES[report.source]
    path = WorkFolder(settings.work).staged(
        report.source, report.period, report.sha256, source.staged_as
    )
    schema = source.schema_for(Q2)
    columns = "*" if source.staged_as else ", ".join(f'"{c}"' for c in schema.columns)
    return duckdb.sql(f"select {columns} from '{path}' order by all").fetchall()


def test_the_clean_pass_accepts_what_the_exact_pass_accepts(tmp_path, monkeypatch):
    """Clean deliveries skip line numbering; the typed rows must not depend on that."""
    from kraptemeter.sample import write_sample
    from schemas import validate as validation

    raw = tmp_path / "raw"
    write_sample(raw, [Q2], scale=0.002)
    exact_calls = []
    exact_pass = validation._exact_pass
    monkeypatch.setattr(
        validation, "_exact_pass", lambda *a: exact_calls.append(a[1].name) or exact_pass(*a)
    )
    fast = Settings(raw, tmp_path / "fast")
    _, reports = LocalSteps().stage(fast, Q2)
    assert exact_calls == []  # the sample is clean: every source took the clean pass
    assert all(r.rows_quarantined == 0 for r in reports)

    monkeypatch.setattr(validation, "_clean_pass", lambda *a: False)
    exact = Settings(raw, tmp_path / "exact")
    LocalSteps().stage(exact, Q2)
    assert sorted(exact_calls) == sorted(r.source for r in reports)
    for report in reports:
        assert _accepted_rows(fast, report) == _accepted_rows(exact, report)


def test_one_bad_row_sends_the_file_to_the_exact_pass(settings):
    rows = [spell(f"s{i}") for i in range(50)] + [spell("s7")]  # a duplicate key only
    write_raw(settings.raw, "ww", Q2, rows)
    _, (report,) = LocalSteps().stage(Settings(settings.raw, settings.warehouse, 1.0), Q2)
    assert (report.rows_read, report.rows_accepted, report.rows_quarantined) == (51, 49, 2)
    bad = quarantined(settings, "ww", "2024Q2")
    assert bad["s7"][0] == ["duplicate key (spell_id)"]


def test_a_delivery_with_its_columns_in_another_order_is_read_by_name(tmp_path):
    """Same header names, another order (e.g. spell_id before person_id): the same rows."""
    from kraptemeter.sample import write_sample

    write_sample(tmp_path / "raw", [Q2], scale=0.002)
    reordered = Settings(tmp_path / "reordered", tmp_path / "wh_reordered")
    for path in (tmp_path / "raw").rglob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, delimiter=";"))
        target = reordered.raw / path.relative_to(tmp_path / "raw")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter=";", lineterminator="\n").writerows(
                [row[::-1] for row in rows]  # every column, header included, reversed
            )
    original = Settings(tmp_path / "raw", tmp_path / "wh_original")
    _, reports = LocalSteps().stage(original, Q2)
    _, reordered_reports = LocalSteps().stage(reordered, Q2)
    assert [r.rows_quarantined for r in reordered_reports] == [0] * len(reports)
    for report, other in zip(reports, reordered_reports, strict=True):
        assert _accepted_rows(original, report) == _accepted_rows(reordered, other)


@pytest.mark.parametrize(
    "source, row, reason",
    [
        (
            "ebb",
            {
                "respondent_id": "r1",
                "period": "2024KW02",
                "gemeente_code": "GM0344",
                "age": 40,
                "sex": "V",
                "education_level": "hoog",
                "labour_position": "werkzaam",
                "llo_type": "geen",
                "weight": 1_500_000,
            },
            "weight: a respondent stands for more people than any gemeente has",
        ),
        (
            "population",
            {"period": "2024JJ00", "gemeente_code": "GM0344", "age": 30, "population": 2_000_000},
            "population: more people than any gemeente has",
        ),
        (
            "open_vacancies",
            {
                "period": "2024KW02",
                "gemeente_code": "GM0344",
                "sbi_section": "G",
                "open_vacancies": 99_000_000,
            },
            "open_vacancies: more vacancies than any gemeente has people",
        ),
        (
            "open_vacancies",  # beyond a 64-bit integer: a quarantined value, not a crash
            {
                "period": "2024KW02",
                "gemeente_code": "GM0344",
                "sbi_section": "Q",
                "open_vacancies": 10**30,
            },
            "open_vacancies: not a valid bigint",
        ),
    ],
)
def test_implausible_magnitudes_are_quarantined_with_their_reason(settings, source, row, reason):
    write_raw(settings.raw, source, Q2, [row])
    lenient = Settings(settings.raw, settings.warehouse, 1.0)
    _, (report,) = LocalSteps().stage(lenient, Q2)
    assert (report.rows_accepted, report.rows_quarantined) == (0, 1)
    path = WorkFolder(settings.work).quarantined_rows(source, report.period, report.sha256)
    (rules,) = duckdb.sql(f"select _rules from '{path}'").fetchall()[0]
    assert reason in rules
