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
# the same figures per gemeente of the work location (rolls up to every region level)
ONLINE_GM_HEADER = "period;gemeente_code;occupation_class;education_level;new_vacancies"
ONLINE_GM_OK = [
    "2024KW02;GM0344;ict;hoog;250",
    "2024KW02;GM0355;ict;hoog;60",
    "2024KW02;GM0344;zorg_welzijn;middelbaar;220",
]
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
        "online_vacancies_gemeente_unknown_gemeente",
        "online_vacancies_gemeente",
        text(ONLINE_GM_HEADER, [*ONLINE_GM_OK, "2024KW02;GM9999;ict;hoog;5"]),
        "quarantine",
        "gemeente_code: unknown gemeente code",
    ),
    (
        # an arbeidsmarktregio code in a delivery per gemeente is no gemeente
        "online_vacancies_gemeente_am_code_as_gemeente",
        "online_vacancies_gemeente",
        text(ONLINE_GM_HEADER, [*ONLINE_GM_OK, "2024KW02;AM13;ict;middelbaar;5"]),
        "quarantine",
        "gemeente_code: unknown gemeente code",
    ),
    (
        "online_vacancies_gemeente_duplicate_key",
        "online_vacancies_gemeente",
        text(ONLINE_GM_HEADER, [*ONLINE_GM_OK, ONLINE_GM_OK[0].replace(";250", ";7")]),
        "quarantine",
        "duplicate key (gemeente_code, occupation_class, education_level)",
    ),
    (
        "online_vacancies_gemeente_negative",
        "online_vacancies_gemeente",
        text(ONLINE_GM_HEADER, [*ONLINE_GM_OK, "2024KW02;GM0363;ict;laag;-3"]),
        "quarantine",
        "new_vacancies: greater_than_or_equal_to(0)",
    ),
    (
        "online_vacancies_gemeente_unknown_occupation",
        "online_vacancies_gemeente",
        text(ONLINE_GM_HEADER, [*ONLINE_GM_OK, "2024KW02;GM0363;astronaut;hoog;1"]),
        "quarantine",
        "occupation_class: isin",
    ),
    (
        "online_vacancies_gemeente_other_quarter",
        "online_vacancies_gemeente",
        text(ONLINE_GM_HEADER, [*ONLINE_GM_OK, "2024KW01;GM0363;ict;hoog;4"]),
        "quarantine",
        "period: period differs from the file's period 2024KW02",
    ),
    (
        "job_seekers_wrong_scheme",
        "job_seekers",
        text(JS_HEADER, [*JS_OK, "j2;p2;GM0344;met_baan;2024-01-15;;40;M"]),
        "quarantine",
        "scheme: isin",
    ),
]


def reorder(header: str, rows: list[str], order: list[int]) -> tuple[str, list[str]]:
    """The same delivery with its columns in another order, header and values alike."""
    pick = lambda line: ";".join(line.split(";")[i] for i in order)  # noqa: E731
    return pick(header), [pick(row) for row in rows]


EBB_BAD = "r4;h3;2024KW02;GM9999;30;M;hoog;werkzaam;niet_formeel;huidig_werk;20"
WW_REORDERED = reorder(WW_HEADER, WW_OK, [7, 6, 5, 4, 3, 2, 1, 0])
EBB_REVERSED = reorder(EBB_HEADER, EBB_OK, list(range(10, -1, -1)))

# New online vacancies come per arbeidsmarktregio or per gemeente of the work location; the
# file name says which (schemas/sources.py). A quarter with both is refused, naming both.
ONLINE_GRAINS = [
    ("online_vacancies_ok", "online_vacancies", text(ONLINE_HEADER, ONLINE_OK), "ok", None, {}),
    (
        "online_vacancies_gemeente_ok",
        "online_vacancies_gemeente",
        text(ONLINE_GM_HEADER, ONLINE_GM_OK),
        "ok",
        None,
        {},
    ),
    (
        # a code dissolved before 2015 (GM0001 Adorp, 1990) counts for its successor GM0053
        "online_vacancies_gemeente_dissolved_code",
        "online_vacancies_gemeente",
        text(ONLINE_GM_HEADER, ["2024KW02;GM0001;agrarisch;laag;2", *ONLINE_GM_OK]),
        "ok",
        None,
        {"values": {"gemeente_code": ["GM0053", "GM0344", "GM0355", "GM0344"]}},
    ),
    (
        "online_vacancies_both_grains",
        "online_vacancies_gemeente",
        text(ONLINE_GM_HEADER, ONLINE_GM_OK),
        "stop",
        "delivered both per gemeente and per arbeidsmarktregio",
        {"also": {"online_vacancies_2024KW02.csv": "online_vacancies_ok"}},
    ),
    (
        # a revision of the other grain is a delivery of it all the same
        "online_vacancies_both_grains_one_revised",
        "online_vacancies_gemeente",
        text(ONLINE_GM_HEADER, ONLINE_GM_OK),
        "stop",
        "online_vacancies_2024KW02_v2.csv",
        {"also": {"online_vacancies_2024KW02_v2.csv": "online_vacancies_ok"}},
    ),
    (
        # per-gemeente rows under the per-arbeidsmarktregio name: the header is wrong for it,
        # and the message says what a delivery per gemeente is called
        "online_vacancies_per_gemeente_under_the_am_name",
        "online_vacancies",
        text(ONLINE_GM_HEADER, ONLINE_GM_OK),
        "stop",
        "unexpected column(s) gemeente_code. Expected columns: period, arbeidsmarktregio_code, "
        "occupation_class, education_level, new_vacancies; a delivery per gemeente of the "
        "work location (gemeente_code) is named online_vacancies_gemeente_<period>.csv",
        {},
    ),
    (
        "online_vacancies_per_am_under_the_gemeente_name",
        "online_vacancies_gemeente",
        text(ONLINE_HEADER, ONLINE_OK),
        "stop",
        "a delivery per arbeidsmarktregio (arbeidsmarktregio_code) is named "
        "online_vacancies_<period>.csv",
        {},
    ),
]

# Found by attacking the pipeline (the trust issue). A sixth element adds to the case:
# `same_as` (an ok case whose accepted rows these must equal, value for value), `values`
# (expected accepted values of one column, in file order), `lines` (the file lines of the
# quarantined rows, counted by hand), `file_name` (the delivery's name), `also` (more
# deliveries of the same folder: name -> case file), `setup` (`dangling`: the name is a link to
# nothing; `directory`: the name is a folder; `glob`: raw/ is named `raw[1]` and a sibling
# `raw1` holds the case `sibling`).
ATTACKS = [
    ("ww_ok", "ww", text(WW_HEADER, WW_OK), "ok", None, {}),
    ("ww_crlf", "ww", text(WW_HEADER, WW_OK, "\r\n"), "ok", None, {"same_as": "ww_ok"}),
    (
        "ebb_no_final_newline",
        "ebb",
        "\n".join([EBB_HEADER, *EBB_OK]).encode(),
        "ok",
        None,
        {"same_as": "ebb_without_bom"},
    ),
    (
        "ebb_bom_and_crlf",
        "ebb",
        b"\xef\xbb\xbf" + text(EBB_HEADER, EBB_OK, "\r\n"),
        "ok",
        None,
        {"same_as": "ebb_without_bom"},
    ),
    (
        "ebb_mixed_line_endings",
        "ebb",
        (EBB_HEADER + "\r\n" + EBB_OK[0] + "\n" + EBB_OK[1] + "\r\n" + EBB_OK[2] + "\n").encode(),
        "stop",
        "line 2: line endings are mixed",
        {},
    ),
    (
        "ebb_lone_cr",
        "ebb",
        text(EBB_HEADER, EBB_OK, "\r"),
        "stop",
        "line 1: the line ends with a lone CR",
        {},
    ),
    (
        "ebb_lone_cr_in_a_row",
        "ebb",
        (EBB_HEADER + "\n" + EBB_OK[0] + "\r" + EBB_OK[1] + "\n" + EBB_OK[2] + "\n").encode(),
        "stop",
        "line 2: the line ends with a lone CR",
        {},
    ),
    ("ww_columns_reordered", "ww", text(*WW_REORDERED), "ok", None, {"same_as": "ww_ok"}),
    (
        "ebb_columns_reversed",
        "ebb",
        text(*EBB_REVERSED),
        "ok",
        None,
        {"same_as": "ebb_without_bom"},
    ),
    (
        # the header names the first column person_id: it is, whatever the usual order says
        "ww_ids_swapped_in_the_header",
        "ww",
        text("person_id;spell_id;gemeente_code;scheme;start_date;end_date;age;sex", WW_OK),
        "ok",
        None,
        {"values": {"spell_id": ["p1", "p2", "p3"], "person_id": ["s1", "s2", "s3"]}},
    ),
    ("ebb_bom_only", "ebb", b"\xef\xbb\xbf", "stop", "file is empty", {}),
    ("ebb_newline_only", "ebb", b"\n", "stop", "file is empty", {}),
    ("ebb_crlf_newlines_only", "ebb", b"\r\n\r\n\r\n", "stop", "file is empty", {}),
    (
        "ebb_blank_first_line",
        "ebb",
        b"\n" + text(EBB_HEADER, EBB_OK),
        "stop",
        "line 1: the line is blank; the header must be the first line",
        {},
    ),
    (
        "ebb_header_over_64kib",
        "ebb",
        text(EBB_HEADER + ";" + "x" * 70_000, [row + ";1" for row in EBB_OK]),
        "stop",
        "line 1 (header): longer than 64 KiB",
        {},
    ),
    (
        "ebb_trailing_semicolon_in_header",
        "ebb",
        text(EBB_HEADER + ";", [row + ";" for row in EBB_OK]),
        "stop",
        "unexpected column(s) (unnamed: a ';' too many?)",
        {},
    ),
    (
        "ebb_uppercase_header",
        "ebb",
        text(EBB_HEADER.upper(), EBB_OK),
        "stop",
        "missing column(s) respondent_id",
        {},
    ),
    (
        "ebb_utf16",
        "ebb",
        "\n".join([EBB_HEADER, *EBB_OK]).encode("utf-16"),
        "stop",
        "header is not UTF-8",
        {},
    ),
    (
        "ebb_weight_above_a_million",
        "ebb",
        ebb("r4;h3;2024KW02;GM0344;30;M;hoog;werkzaam;geen;;2000000"),
        "quarantine",
        "weight: a respondent stands for more people than any gemeente has",
        {"lines": [5]},
    ),
    (
        "ebb_weight_1e400",
        "ebb",
        ebb("r4;h3;2024KW02;GM0344;30;M;hoog;werkzaam;geen;;1e400"),
        "quarantine",
        "weight: a respondent stands for more people than any gemeente has",
        {},
    ),
    (
        "ebb_weight_1e-400",
        "ebb",
        ebb("r4;h3;2024KW02;GM0344;30;M;hoog;werkzaam;geen;;1e-400"),
        "quarantine",
        "weight: a respondent stands for at least one person",
        {},
    ),
    (
        "population_cell_above_a_million",
        "population",
        text(POP_HEADER, [*POP_OK, "2024JJ00;GM0363;30;2000000"]),
        "quarantine",
        "population: more people than any gemeente has",
        {},
    ),
    (
        "open_vacancies_above_a_million",
        "open_vacancies",
        text(OPEN_HEADER, [*OPEN_OK, "2024KW02;GM0363;G;2000000"]),
        "quarantine",
        "open_vacancies: more vacancies than any gemeente has people",
        {},
    ),
    (
        "ww_start_in_the_year_1",
        "ww",
        ww("s4;p4;GM0344;WW;0001-01-01;;40;M"),
        "quarantine",
        "start_after_age_14",
        {},
    ),
    (
        "wajong_start_in_1849",
        "wajong",
        text(
            WW_HEADER,
            ["w1;p1;GM0344;Wajong;2004-03-01;;40;M", "w2;p2;GM0344;Wajong;1849-07-01;;40;V"],
        ),
        "quarantine",
        "start_after_age_14",
        {"lines": [3]},
    ),
    (
        "ebb_age_2_to_the_63",
        "ebb",
        ebb("r4;h3;2024KW02;GM0344;9223372036854775808;M;hoog;werkzaam;geen;;20"),
        "quarantine",
        "age: not a valid bigint",
        {},
    ),
    (
        # the largest bigint is a valid value out of range: no rule may overflow on it
        "ww_age_largest_bigint",
        "ww",
        ww("s4;p4;GM0344;WW;2024-01-01;;9223372036854775807;M"),
        "quarantine",
        "age: in_range(0, 110)",
        {},
    ),
    (
        "population_twenty_digits",
        "population",
        text(POP_HEADER, [*POP_OK, "2024JJ00;GM0363;30;99999999999999999999"]),
        "quarantine",
        "population: not a valid bigint",
        {},
    ),
    (
        "open_vacancies_below_smallest_bigint",
        "open_vacancies",
        text(OPEN_HEADER, [*OPEN_OK, "2024KW02;GM0363;G;-9223372036854775809"]),
        "quarantine",
        "open_vacancies: not a valid bigint",
        {},
    ),
    (
        "ww_end_in_year_99999",
        "ww",
        ww("s4;p4;GM0344;WW;2024-01-01;99999-12-31;40;M"),
        "quarantine",
        "end_date: not a valid date",
        {},
    ),
    (
        "ebb_revision_v0",
        "ebb",
        text(EBB_HEADER, EBB_OK),
        "stop",
        "revision label 'v0' has no defined order",
        {"file_name": "ebb_2024KW02_v0.csv"},
    ),
    (
        "ebb_revision_v02",
        "ebb",
        text(EBB_HEADER, EBB_OK),
        "stop",
        "revision label 'v02' has no defined order",
        {"file_name": "ebb_2024KW02_v02.csv"},
    ),
    (
        "ebb_revision_final",
        "ebb",
        text(EBB_HEADER, EBB_OK),
        "stop",
        "revision label 'final' has no defined order",
        {"file_name": "ebb_2024KW02_final.csv"},
    ),
    (
        "ebb_revision_30_february",
        "ebb",
        text(EBB_HEADER, EBB_OK),
        "stop",
        "revision label '2024-02-30' has no defined order",
        {"file_name": "ebb_2024KW02_2024-02-30.csv"},
    ),
    (
        "ebb_revisions_dates_and_versions",
        "ebb",
        text(EBB_HEADER, EBB_OK),
        "stop",
        "mix dates and versions",
        {
            "file_name": "ebb_2024KW02_v2.csv",
            "also": {"ebb_2024KW02_2024-08-01.csv": "ebb_without_bom"},
        },
    ),
    (
        # v10 is newer than v9 (numbers, not text: as text "v9" > "v10")
        "ebb_revision_v10_after_v9",
        "ebb",
        text(EBB_HEADER, EBB_OK),
        "ok",
        None,
        {
            "file_name": "ebb_2024KW02_v10.csv",
            "also": {"ebb_2024KW02_v9.csv": "ebb_unknown_gemeente"},
            "same_as": "ebb_without_bom",
        },
    ),
    ("ebb_dangling_link", "ebb", b"", "stop", "cannot read", {"setup": "dangling"}),
    ("ebb_folder_named_as_the_file", "ebb", b"", "stop", "Is a directory", {"setup": "directory"}),
    (
        "ebb_glob_characters_in_the_raw_folder",
        "ebb",
        text(EBB_HEADER, EBB_OK),
        "ok",
        None,
        {"setup": "glob", "sibling": "ebb_unknown_gemeente", "same_as": "ebb_without_bom"},
    ),
    (
        # lines: 1 header, 2 ok, 3-4 one record (quoted newline), 5 ok, 6 bad
        "ebb_quoted_newline_line_numbers",
        "ebb",
        text(
            EBB_HEADER,
            [
                EBB_OK[0],
                'r5;"h\n9";2024KW02;GM0344;30;M;hoog;werkzaam;geen;;20',
                EBB_OK[1],
                EBB_BAD,
            ],
        ),
        "quarantine",
        "household_id: str_matches",
        {"lines": [3, 6]},
    ),
    (
        # lines: 1 header, 2 ok, 3-4 blank, 5 ok, 6 bad, 7 blank, 8 too many fields, 9 ok
        "ebb_blank_lines_line_numbers",
        "ebb",
        text(
            EBB_HEADER,
            [
                EBB_OK[0],
                "",
                "",
                EBB_OK[1],
                EBB_BAD,
                "",
                EBB_OK[2] + ";x",
                EBB_OK[2].replace("r3", "r6"),
            ],
            "\r\n",
        ),
        "quarantine",
        "gemeente_code: unknown gemeente code",
        {"lines": [6, 8]},
    ),
    (
        "ebb_nul_byte_in_a_value",
        "ebb",
        ebb("r4;h3;2024KW02;GM0344;30;M;hoog;werkzaam;niet_formeel;huidig_\x00werk;20"),
        "quarantine",
        "llo_reason: isin",
        {},
    ),
    (
        "ebb_spreadsheet_formula_as_id",
        "ebb",
        ebb("=cmd|' /C calc'!A0;h3;2024KW02;GM0344;30;M;hoog;werkzaam;geen;;20"),
        "quarantine",
        "respondent_id: str_matches",
        {},
    ),
    (
        "ebb_zero_width_space_in_code",
        "ebb",
        ebb("r4;h3;2024KW02;GM03\u200b44;30;M;hoog;werkzaam;geen;;20"),
        "quarantine",
        "gemeente_code: unknown gemeente code",
        {},
    ),
]


def main() -> None:
    FILES.mkdir(exist_ok=True)
    cases = []
    for name, source, content, expect, detail, *extra in CASES + ATTACKS + ONLINE_GRAINS:
        (FILES / f"{name}.csv").write_bytes(content)
        cases.append(
            {
                "name": name,
                "source": source,
                "file": f"files/{name}.csv",
                "expect": expect,
                "detail": detail,
                **(extra[0] if extra else {}),
            }
        )
    (HERE / "cases.json").write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(cases)} cases written to {HERE}")


if __name__ == "__main__":
    main()
