"""Write the bad-input corpus: one file per case, and cases.json with what a user must see.

Run from the repository root: `.venv/bin/python tests/bad_inputs/make_corpus.py`. The files
are committed; this script documents how each was made. Every case is a 2024Q2 delivery of
one source. `expect` is "quarantine" (the run goes on; the offending rows are kept in
quarantine with `reason`), "stop" (the run stops with a message containing `message`,
naming the file) or "ok" (nothing is wrong: the variation is allowed).
"""

import json
from pathlib import Path

HERE = Path(__file__).parent
FILES = HERE / "files"

EBB_HEADER = (
    "respondent_id;household_id;period;gemeente_code;age;sex;education_level;"
    "labour_position;llo_type;llo_reason;weight"
)
EBB_OK = [
    "r1;h1;2024KW02;GM0344;30;M;hoog;werkzaam;niet_formeel;huidig_werk;812.5",
    "r2;h1;2024KW02;GM0344;33;V;middelbaar;werkloos;geen;;790",
    "r3;h2;2024KW02;GM0363;51;V;laag;niet_beroepsbevolking;geen;;1034.25",
]
WW_HEADER = "spell_id;person_id;gemeente_code;scheme;start_date;end_date;age;sex"
WW_OK = [
    "s1;p1;GM0344;WW;2024-01-15;;40;M",
    "s2;p2;GM0344;WW;2023-11-01;2024-05-03;52;V",
    "s3;p3;GM0363;WW;2024-04-02;;29;M",
]
OPEN_HEADER = "period;gemeente_code;sbi_section;open_vacancies"
OPEN_OK = ["2024KW02;GM0344;G;120", "2024KW02;GM0344;Q;80", "2024KW02;GM0363;J;45"]
POP_HEADER = "period;gemeente_code;age;population"
POP_OK = ["2024JJ00;GM0344;30;5120", "2024JJ00;GM0344;31;5033", "2024JJ00;GM0363;70;4100"]
ONLINE_HEADER = "period;arbeidsmarktregio_code;occupation_class;education_level;new_vacancies"
ONLINE_OK = ["2024KW02;AM13;ict;hoog;310", "2024KW02;AM13;zorg_welzijn;middelbaar;220"]
JS_HEADER = WW_HEADER
JS_OK = ["j1;p1;GM0344;zonder_dienstverband;2024-01-15;;40;M"]


TEN_MB = "@@10MB@@"


def text(header, rows, eol="\n"):
    return (eol.join([header, *rows]) + eol).encode("utf-8")


def ebb(bad_row):
    return text(EBB_HEADER, [*EBB_OK, bad_row])


def ww(bad_row):
    return text(WW_HEADER, [*WW_OK, bad_row])


CASES = [
    # name, source, content, expect, reason or message
    (
        "ebb_latin1_value",
        "ebb",
        text(EBB_HEADER, EBB_OK)
        + "r9;h9;2024KW02;GM0344;44;M;hoog;werkzaam;geen;;812,5 caf\xe9\n".encode("latin-1"),
        "stop",
        "line 5: not UTF-8",
    ),
    (
        "ebb_latin1_header",
        "ebb",
        "respondent_id;h\xe9\n".encode("latin-1"),
        "stop",
        "header is not UTF-8",
    ),
    (
        "ebb_comma_delimiter",
        "ebb",
        text(EBB_HEADER.replace(";", ","), [r.replace(";", ",") for r in EBB_OK]),
        "stop",
        "is ';' the delimiter?",
    ),
    (
        "ebb_tab_delimiter",
        "ebb",
        text(EBB_HEADER.replace(";", "\t"), [r.replace(";", "\t") for r in EBB_OK]),
        "stop",
        "is ';' the delimiter?",
    ),
    ("ebb_with_bom", "ebb", b"\xef\xbb\xbf" + text(EBB_HEADER, EBB_OK), "ok", None),
    ("ebb_without_bom", "ebb", text(EBB_HEADER, EBB_OK), "ok", None),
    ("ebb_crlf", "ebb", text(EBB_HEADER, EBB_OK, "\r\n"), "ok", None),
    (
        "ebb_quoted_fields",
        "ebb",
        text(
            EBB_HEADER,
            ['"r1";"h1";"2024KW02";"GM0344";"30";"M";"hoog";"werkzaam";"geen";"";"812.5"'],
        ),
        "ok",
        None,
    ),
    (
        "ebb_padded_codes",
        "ebb",
        text(EBB_HEADER, ["r1;h1;2024KW02;GM0344    ;30;M;hoog;werkzaam;geen;;   812.5"]),
        "ok",
        None,
    ),
    ("ebb_truncated", "ebb", text(EBB_HEADER, EBB_OK)[:-20], "quarantine", "csv: MISSING COLUMNS"),
    ("ebb_empty_file", "ebb", b"", "stop", "file is empty"),
    ("ebb_header_only", "ebb", text(EBB_HEADER, []), "stop", "header only, no data rows"),
    (
        "ebb_missing_column",
        "ebb",
        text(EBB_HEADER.replace(";weight", ""), [r.rsplit(";", 1)[0] for r in EBB_OK]),
        "stop",
        "missing column(s) weight",
    ),
    (
        "ebb_extra_column",
        "ebb",
        text(EBB_HEADER + ";remark", [r + ";x" for r in EBB_OK]),
        "stop",
        "unexpected column(s) remark",
    ),
    (
        "ebb_renamed_column",
        "ebb",
        text(EBB_HEADER.replace("weight", "ophoogfactor"), EBB_OK),
        "stop",
        "missing column(s) weight; unexpected column(s) ophoogfactor",
    ),
    (
        "ebb_duplicate_header",
        "ebb",
        text(EBB_HEADER + ";weight", [r + ";1" for r in EBB_OK]),
        "stop",
        "duplicate column names",
    ),
    ("ebb_duplicate_key", "ebb", ebb(EBB_OK[0]), "quarantine", "duplicate key (respondent_id)"),
    (
        "ebb_unknown_gemeente",
        "ebb",
        ebb("r9;h9;2024KW02;GM9999;44;M;hoog;werkzaam;geen;;800"),
        "quarantine",
        "gemeente_code: unknown gemeente code",
    ),
    (
        "ebb_lowercase_gemeente",
        "ebb",
        ebb("r9;h9;2024KW02;gm0344;44;M;hoog;werkzaam;geen;;800"),
        "quarantine",
        "gemeente_code: unknown gemeente code",
    ),
    (
        "ebb_missing_gemeente",
        "ebb",
        ebb("r9;h9;2024KW02;;44;M;hoog;werkzaam;geen;;800"),
        "quarantine",
        "gemeente_code: missing value",
    ),
    (
        "ebb_other_quarter_in_file",
        "ebb",
        ebb("r9;h9;2024KW01;GM0344;44;M;hoog;werkzaam;geen;;800"),
        "quarantine",
        "period: period differs from the file's period 2024KW02",
    ),
    (
        "ebb_negative_weight",
        "ebb",
        ebb("r9;h9;2024KW02;GM0344;44;M;hoog;werkzaam;geen;;-800"),
        "quarantine",
        "weight: a respondent stands for at least one person",
    ),
    (
        "ebb_zero_weight",
        "ebb",
        ebb("r9;h9;2024KW02;GM0344;44;M;hoog;werkzaam;geen;;0"),
        "quarantine",
        "weight: a respondent stands for at least one person",
    ),
    (
        "ebb_weight_in_thousands",
        "ebb",
        ebb("r9;h9;2024KW02;GM0344;44;M;hoog;werkzaam;geen;;0.8125"),
        "quarantine",
        "weight: a respondent stands for at least one person",
    ),
    (
        "ebb_nan_weight",
        "ebb",
        ebb("r9;h9;2024KW02;GM0344;44;M;hoog;werkzaam;geen;;NaN"),
        "quarantine",
        "weight: not a valid double",
    ),
    (
        "ebb_inf_weight",
        "ebb",
        ebb("r9;h9;2024KW02;GM0344;44;M;hoog;werkzaam;geen;;inf"),
        "quarantine",
        "weight: not a valid double",
    ),
    (
        "ebb_comma_decimal_weight",
        "ebb",
        ebb("r9;h9;2024KW02;GM0344;44;M;hoog;werkzaam;geen;;812,5"),
        "quarantine",
        "weight: not a valid double",
    ),
    (
        "ebb_text_age",
        "ebb",
        ebb("r9;h9;2024KW02;GM0344;veertig;M;hoog;werkzaam;geen;;800"),
        "quarantine",
        "age: not a valid bigint",
    ),
    (
        "ebb_age_out_of_range",
        "ebb",
        ebb("r9;h9;2024KW02;GM0344;150;M;hoog;werkzaam;geen;;800"),
        "quarantine",
        "age: in_range(15, 110)",
    ),
    (
        "ebb_werkloos_aged_80",
        "ebb",
        ebb("r9;h9;2024KW02;GM0344;80;M;hoog;werkloos;geen;;800"),
        "quarantine",
        "werkloos_aged_15_74",
    ),
    (
        "ebb_reason_without_learning",
        "ebb",
        ebb("r9;h9;2024KW02;GM0344;44;M;hoog;werkzaam;geen;huidig_werk;800"),
        "quarantine",
        "llo_reason_only_when_learning",
    ),
    (
        "ebb_unknown_sex",
        "ebb",
        ebb("r9;h9;2024KW02;GM0344;44;X;hoog;werkzaam;geen;;800"),
        "quarantine",
        "sex: isin",
    ),
    (
        "ebb_unknown_education",
        "ebb",
        ebb("r9;h9;2024KW02;GM0344;44;M;universitair;werkzaam;geen;;800"),
        "quarantine",
        "education_level: isin",
    ),
    (
        "ebb_too_many_fields",
        "ebb",
        ebb("r9;h9;2024KW02;GM0344;44;M;hoog;werkzaam;geen;;800;1"),
        "quarantine",
        "csv: TOO MANY COLUMNS",
    ),
    # stored with a placeholder the test expands to 10 MB, to keep the repository small
    (
        "ebb_10mb_field",
        "ebb",
        ebb("r9;h9;2024KW02;GM0344;44;M;hoog;werkzaam;geen;;" + TEN_MB),
        "quarantine",
        "csv: LINE SIZE OVER MAXIMUM",
    ),
    (
        "ebb_is_really_a_register",
        "ebb",
        text(WW_HEADER, WW_OK),
        "stop",
        "missing column(s) respondent_id",
    ),
    ("ebb_binary_garbage", "ebb", bytes(range(256)) * 4, "stop", "missing column(s) respondent_id"),
    (
        "ebb_image_named_csv",
        "ebb",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
        "stop",
        "header is not UTF-8",
    ),
    (
        "ww_end_before_start",
        "ww",
        ww("s9;p9;GM0344;WW;2024-05-01;2024-04-01;40;M"),
        "quarantine",
        "end_not_before_start",
    ),
    (
        "ww_31_february",
        "ww",
        ww("s9;p9;GM0344;WW;2024-02-31;;40;M"),
        "quarantine",
        "start_date: not a valid date",
    ),
    (
        "ww_dutch_date_format",
        "ww",
        ww("s9;p9;GM0344;WW;31-01-2024;;40;M"),
        "quarantine",
        "start_date: not a valid date",
    ),
    (
        "ww_spell_after_the_quarter",
        "ww",
        ww("s9;p9;GM0344;WW;2024-08-01;;40;M"),
        "quarantine",
        "spell_overlaps_quarter",
    ),
    (
        "ww_spell_in_the_future",
        "ww",
        ww("s9;p9;GM0344;WW;2031-01-01;;40;M"),
        "quarantine",
        "spell_overlaps_quarter",
    ),
    (
        "ww_wrong_scheme",
        "ww",
        ww("s9;p9;GM0344;Bijstand;2024-01-15;;40;M"),
        "quarantine",
        "scheme: isin",
    ),
    (
        "ww_path_in_id",
        "ww",
        ww("../../x;p9;GM0344;WW;2024-01-15;;40;M"),
        "quarantine",
        "spell_id: str_matches",
    ),
    ("ww_duplicate_spell", "ww", ww(WW_OK[0]), "quarantine", "duplicate key (spell_id)"),
    (
        "open_vacancies_in_thousands",
        "open_vacancies",
        text(OPEN_HEADER, [*OPEN_OK, "2024KW02;GM0363;Q;62.7"]),
        "quarantine",
        "open_vacancies: not a valid bigint",
    ),
    (
        "open_vacancies_thousands_separator",
        "open_vacancies",
        text(OPEN_HEADER, [*OPEN_OK, "2024KW02;GM0363;Q;1.234"]),
        "quarantine",
        "open_vacancies: not a valid bigint",
    ),
    (
        "open_vacancies_unknown_sector",
        "open_vacancies",
        text(OPEN_HEADER, [*OPEN_OK, "2024KW02;GM0363;Z;5"]),
        "quarantine",
        "sbi_section: isin",
    ),
    (
        "open_vacancies_negative",
        "open_vacancies",
        text(OPEN_HEADER, [*OPEN_OK, "2024KW02;GM0363;Q;-5"]),
        "quarantine",
        "open_vacancies: greater_than_or_equal_to(0)",
    ),
    (
        "population_thousands_separator",
        "population",
        text(POP_HEADER, [*POP_OK, "2024JJ00;GM0363;71;4,120"]),
        "quarantine",
        "population: not a valid bigint",
    ),
    (
        "population_duplicate_age",
        "population",
        text(POP_HEADER, [*POP_OK, POP_OK[0]]),
        "quarantine",
        "duplicate key (gemeente_code, age)",
    ),
    (
        "population_other_year",
        "population",
        text(POP_HEADER, [*POP_OK, "2023JJ00;GM0363;72;4000"]),
        "quarantine",
        "period: period differs from the file's period 2024JJ00",
    ),
    (
        "online_vacancies_unknown_am",
        "online_vacancies",
        text(ONLINE_HEADER, [*ONLINE_OK, "2024KW02;AM99;ict;hoog;5"]),
        "quarantine",
        "arbeidsmarktregio_code: unknown arbeidsmarktregio",
    ),
    (
        "job_seekers_wrong_scheme",
        "job_seekers",
        text(JS_HEADER, [*JS_OK, "j2;p2;GM0344;met_baan;2024-01-15;;40;M"]),
        "quarantine",
        "scheme: isin",
    ),
]


def main() -> None:
    FILES.mkdir(exist_ok=True)
    cases = []
    for name, source, content, expect, detail in CASES:
        (FILES / f"{name}.csv").write_bytes(content)
        cases.append(
            {
                "name": name,
                "source": source,
                "file": f"files/{name}.csv",
                "expect": expect,
                "detail": detail,
            }
        )
    (HERE / "cases.json").write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(cases)} cases written to {HERE}")


if __name__ == "__main__":
    main()
