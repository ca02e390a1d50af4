"""The optimistic clean pass (a strict typed read) accepts exactly what the exact pass accepts.

Every bad-input case of the corpus, hand-made files for each gap of the typed reader, and the
sample are validated twice: as the pipeline does (the optimistic pass, falling back to the
exact pass) and by the exact pass alone. The accepted rows and their values must be the same;
wherever the exact pass quarantines a row, the optimistic pass must have fallen back.
"""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest

from kraptemeter.core import reference_data as ref
from kraptemeter.core.db import connect, file_literal
from kraptemeter.core.errors import InputError
from kraptemeter.core.periods import Quarter
from kraptemeter.sample import write_sample
from schemas import SOURCES, proven_batches, typed_read
from schemas import validate as validation
from schemas.common import quarter_variables
from schemas.ingest import ingest_csv

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = json.loads((CORPUS / "cases.json").read_text())
Q2 = Quarter(2024, 2)
OLD_CODE = sorted(ref.herindeling_crosswalk())[0]  # a dissolved gemeente, recoded on read

WW_HEADER = "spell_id;person_id;gemeente_code;scheme;start_date;end_date;age;sex"
WW_ROW = '"s{i}";"P1";"GM0344";"WW";2024-01-15;{end};{age};"M"'
EBB_HEADER = (
    "respondent_id;household_id;period;gemeente_code;age;sex;education_level;"
    "labour_position;llo_type;llo_reason;weight"
)
EBB_ROW = '"r{i}";{household};"2024KW02";"GM0344";40;"V";"hoog";"werkzaam";"geen";;{weight}'


def ww(*lines: str) -> bytes:
    """A ww delivery: two good rows, then the given lines."""
    good = [WW_ROW.format(i=i, end="", age=40) for i in range(2)]
    return ("\n".join([WW_HEADER, *good, *lines]) + "\n").encode()


def ebb(*lines: str) -> bytes:
    good = [EBB_ROW.format(i=i, household='"h1"', weight="1500.5") for i in range(2)]
    return ("\n".join([EBB_HEADER, *good, *lines]) + "\n").encode()


# Each gap of the typed reader (and what it shares with the text pass), one delivery each.
CRAFTED = {
    "age_tab_before": ("ww", ww(WW_ROW.format(i=9, end="", age="\t41"))),
    "age_tab_after": ("ww", ww(WW_ROW.format(i=9, end="", age="41\t"))),
    "date_tab": ("ww", ww(WW_ROW.format(i=9, end="\t2024-05-01", age=41))),
    "age_hex": ("ww", ww(WW_ROW.format(i=9, end="", age="0x29"))),
    "age_hex_upper": ("ww", ww(WW_ROW.format(i=9, end="", age="0X29"))),
    "age_plus_sign": ("ww", ww(WW_ROW.format(i=9, end="", age="+41"))),
    "age_leading_zero": ("ww", ww(WW_ROW.format(i=9, end="", age="041"))),
    "age_padded": ("ww", ww(WW_ROW.format(i=9, end="", age="  41 "))),
    "age_quoted": ("ww", ww(WW_ROW.format(i=9, end="", age='"41"'))),
    "age_quoted_padded": ("ww", ww(WW_ROW.format(i=9, end="", age='" 41 "'))),
    "age_nbsp": ("ww", ww(WW_ROW.format(i=9, end="", age="41\u00a0"))),
    "age_blank": ("ww", ww(WW_ROW.format(i=9, end="", age="  "))),
    "age_quote_then_digit": ("ww", ww(WW_ROW.format(i=9, end="", age='"4"1'))),
    "end_quoted_empty": ("ww", ww(WW_ROW.format(i=9, end='""', age=41))),
    "end_spaces_only": ("ww", ww(WW_ROW.format(i=9, end="   ", age=41))),
    "end_padded": ("ww", ww(WW_ROW.format(i=9, end=" 2024-05-01 ", age=41))),
    "end_quoted": ("ww", ww(WW_ROW.format(i=9, end='"2024-05-01"', age=41))),
    "end_year_zero": ("ww", ww(WW_ROW.format(i=9, end="0000-01-01", age=41))),
    "end_single_digits": ("ww", ww(WW_ROW.format(i=9, end="2024-5-1", age=41))),
    "text_after_closing_quote": ("ww", ww('"s9"x;"P1";"GM0344";"WW";2024-01-15;;41;"M"')),
    "space_before_opening_quote": ("ww", ww(' "s9";"P1";"GM0344";"WW";2024-01-15;;41;"M"')),
    "space_after_closing_quote": ("ww", ww('"s9" ;"P1";"GM0344";"WW";2024-01-15;;41;"M"')),
    "delimiter_then_quote_inside": ("ww", ww('"s;"9";"P1";"GM0344";"WW";2024-01-15;;41;"M"')),
    "doubled_quote_inside": ("ww", ww('"s""9";"P1";"GM0344";"WW";2024-01-15;;41;"M"')),
    "unquoted_fields": ("ww", ww("s9;P1;GM0344;WW;2024-01-15;;41;M")),
    "padded_codes": ("ww", ww('"s9";"P1";" GM0344 ";" WW";2024-01-15;;41;"M "')),
    "old_gemeente_code": ("ww", ww(f'"s9";"P1";"{OLD_CODE}";"WW";2024-01-15;;41;"M"')),
    "blank_line_inside": ("ww", ww("", WW_ROW.format(i=9, end="", age=41))),
    "trailing_delimiter": ("ww", ww(WW_ROW.format(i=9, end="", age=41) + ";")),
    "crlf": ("ww", ww(WW_ROW.format(i=9, end="", age=41)).replace(b"\n", b"\r\n")),
    "bom_crlf": ("ww", b"\xef\xbb\xbf" + ww().replace(b"\n", b"\r\n")),
    "weight_nan": ("ebb", ebb(EBB_ROW.format(i=9, household='"h1"', weight="nan"))),
    "weight_inf": ("ebb", ebb(EBB_ROW.format(i=9, household='"h1"', weight="inf"))),
    "weight_plus_sign": ("ebb", ebb(EBB_ROW.format(i=9, household='"h1"', weight="+1500"))),
    "weight_exponent": ("ebb", ebb(EBB_ROW.format(i=9, household='"h1"', weight="1.5e3"))),
    "weight_dot_first": ("ebb", ebb(EBB_ROW.format(i=9, household='"h1"', weight=".5e4"))),
    "weight_tab": ("ebb", ebb(EBB_ROW.format(i=9, household='"h1"', weight="1500\t"))),
    "household_empty_vs_null": ("ebb", ebb(EBB_ROW.format(i=9, household='""', weight=2e3))),
    "household_spaces": ("ebb", ebb(EBB_ROW.format(i=9, household='"  "', weight=2e3))),
    "household_na_is_text": ("ebb", ebb(EBB_ROW.format(i=9, household="NA", weight=2e3))),
    # Text the batches cannot prove: read again with trim, or a shape that breaks a rule.
    "ids_padded": ("ww", ww('" s9";"P1 ";"GM0344";"WW";2024-01-15;;41;"M"')),
    "id_inner_space": ("ww", ww('"s 9";"P1";"GM0344";"WW";2024-01-15;;41;"M"')),
    "id_41_characters": ("ww", ww(f'"{"s" * 41}";"P1";"GM0344";"WW";2024-01-15;;41;"M"')),
    "id_non_ascii": ("ww", ww('"s\u00e99";"P1";"GM0344";"WW";2024-01-15;;41;"M"')),
    "id_nbsp_end": ("ww", ww('"s9\u00a0";"P1";"GM0344";"WW";2024-01-15;;41;"M"')),
    "id_empty": ("ww", ww('"";"P1";"GM0344";"WW";2024-01-15;;41;"M"')),
    "household_quoted_newline": (
        "ebb",
        ebb(EBB_ROW.format(i=9, household='"h\n1"', weight=2e3)),
    ),
}


def both_passes(path: Path, source: str, root: Path, monkeypatch) -> dict:
    """Validate the delivery as the pipeline does and by the exact pass alone; a source
    staged as a summary (the registers) is validated both ways twice more, staged as that
    summary, the fused clean pass counting it."""
    summary = SOURCES[source].staged_as
    outcome = _both_ways(path, source, root / "rows", monkeypatch, None)
    if summary is not None:
        outcome["summarised"] = _both_ways(path, source, root / summary, monkeypatch, summary)
    return outcome


def _both_ways(path: Path, source: str, root: Path, monkeypatch, summary: str | None) -> dict:
    schema = SOURCES[source].schema_for(Q2)
    ingested = ingest_csv(path, list(schema.columns))
    period = SOURCES[source].period_label(Q2)
    columns = "*" if summary else ", ".join(f'"{c}"' for c in schema.columns)
    clean_pass, verdicts, result = validation._clean_pass, [], {}
    for way in ("pipeline", "exact"):
        with monkeypatch.context() as patched:
            if way == "exact":
                patched.setattr(validation, "_clean_pass", lambda *a: False)
            else:
                patched.setattr(
                    validation,
                    "_clean_pass",
                    lambda *a: verdicts.append(clean_pass(*a)) or verdicts[-1],
                )
            con = connect()
            try:
                validated = validation.validate(
                    con,
                    schema,
                    ingested,
                    period,
                    quarter_variables(Q2),
                    root / way / "accepted" / "rows.parquet",
                    root / way / "quarantine" / "rows.parquet",
                    1.0,
                    summary,
                )
                rows = con.execute(
                    f"select {columns} from read_parquet("
                    f"'{file_literal(validated.accepted_path)}') order by all"
                ).fetchall()
            finally:
                con.close()
        result[way] = (rows, validated.rows_quarantined, validated.rows_accepted)
    return {"optimistic_accepted": verdicts == [True], **result}


def assert_same(outcome: dict) -> None:
    assert outcome["pipeline"] == outcome["exact"]  # same rows, same values, same counts
    if outcome["exact"][1]:
        assert not outcome["optimistic_accepted"]  # a quarantined row means the exact pass
    if "summarised" in outcome:
        summarised = outcome["summarised"]
        # the summary is the same whichever pass counted it, and counts the accepted rows
        assert summarised["pipeline"] == summarised["exact"]
        assert summarised["exact"][1:] == outcome["exact"][1:]
        # the fused clean pass doubts exactly what the clean pass that writes rows doubts
        assert summarised["optimistic_accepted"] == outcome["optimistic_accepted"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_corpus_is_accepted_alike_by_both_passes(case, tmp_path, monkeypatch):
    path = tmp_path / "delivery.csv"
    content = (CORPUS / case["file"]).read_bytes().replace(b"@@10MB@@", b"8" * (10 << 20))
    path.write_bytes(content)
    try:
        outcome = both_passes(path, case["source"], tmp_path, monkeypatch)
    except InputError:  # stopped at ingest: no pass ever sees it
        assert case["expect"] == "stop"
        return
    assert_same(outcome)
    if case["expect"] == "ok":
        assert outcome["optimistic_accepted"], "a clean delivery took the slow way"


# Deliveries the exact pass accepts whole but the typed reader doubts: correct, only slower.
FALLS_BACK_THOUGH_CLEAN = {
    "age_plus_sign",  # pyarrow refuses a plus sign on an integer
    "age_nbsp",  # DuckDB's trim removes a no-break space, pyarrow does not
    "end_spaces_only",  # blank to the text pass, not a date to pyarrow
    "space_after_closing_quote",  # a quote beside a value byte: the quote guard
    "space_before_opening_quote",
    "trailing_delimiter",  # DuckDB drops the empty last field, pyarrow counts a column more
}


@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_each_gap_of_the_typed_reader_is_closed(name, tmp_path, monkeypatch):
    source, content = CRAFTED[name]
    path = tmp_path / "delivery.csv"
    path.write_bytes(content)
    outcome = both_passes(path, source, tmp_path, monkeypatch)
    assert_same(outcome)
    assert outcome["exact"][0], "the good rows are accepted"
    clean = outcome["exact"][1] == 0 and name not in FALLS_BACK_THOUGH_CLEAN
    assert outcome["optimistic_accepted"] == clean


def test_the_sample_is_accepted_alike_by_both_passes(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    write_sample(raw, [Q2], scale=0.002)
    for name, source in SOURCES.items():
        path = source.file_for(raw, Q2)
        if name == "online_vacancies" and not path.exists():
            continue  # the sample delivers online vacancies per gemeente, the other grain
        outcome = both_passes(path, name, tmp_path / name, monkeypatch)
        assert_same(outcome)
        assert outcome["optimistic_accepted"], name  # the sample is clean: no fallback
        assert outcome["exact"][0] and outcome["exact"][1] == 0


def test_text_padded_in_a_late_batch_is_read_again_with_trim(tmp_path, monkeypatch):
    """The batches prove the text unpadded as they stream: padding found after the query has
    read other batches still sends the file through the read with trim, not past it."""
    monkeypatch.setattr(typed_read, "BLOCK", 256)  # dozens of batches
    rows = [WW_ROW.format(i=i, end="", age=40) for i in range(2, 60)]
    path = tmp_path / "delivery.csv"
    path.write_bytes(ww(*rows, '"s99";" P9";"GM0344";"WW";2024-01-15;;41;"M"'))
    outcome = both_passes(path, "ww", tmp_path, monkeypatch)
    assert_same(outcome)
    assert outcome["optimistic_accepted"] and outcome["exact"][1] == 0


@pytest.mark.parametrize("pattern", ["\t", "0x", '4"1', '"s""9"'])
def test_the_byte_scan_sees_a_pattern_across_a_block_boundary(pattern, tmp_path, monkeypatch):
    body = ww(WW_ROW.format(i=9, end="", age=41)) * 20  # more than a page: pages are let go
    doubtful = body.replace(b";41;", f";{pattern};".encode(), 1)
    (tmp_path / "doubtful.csv").write_bytes(doubtful)
    (tmp_path / "clean.csv").write_bytes(body)
    for block in range(1, len(WW_HEADER) * 3):
        monkeypatch.setattr(typed_read, "BLOCK", block)
        assert typed_read.doubtful_bytes(tmp_path / "doubtful.csv"), block
        assert not typed_read.doubtful_bytes(tmp_path / "clean.csv"), block


def test_an_id_pattern_is_a_shape_the_batches_check():
    shape = proven_batches.shape_of(r"^[A-Za-z0-9_-]{1,40}$")
    allowed = {chr(b) for b in range(256) if shape.allowed[b]}
    assert allowed == set(string.ascii_letters + string.digits + "_-")
    assert (shape.least, shape.most) == (1, 40)
    ids = SOURCES["ww"].schema_for(Q2)
    assert sorted(proven_batches.provable_shapes(ids)) == ["person_id", "spell_id"]
    for pattern in (r"^GM[0-9]{4}$", r"^[^a]{1,2}$", r"^[\w]{1,2}$", r"^[a-z]+$", r"[a]{1,2}"):
        assert proven_batches.shape_of(pattern) is None, pattern
