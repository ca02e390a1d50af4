"""The house's structure and its re-run keys: imports only point down, an edit to any code or
reference file that shapes a figure redoes the quarter, and new CBS readers restage CBS tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kraptemeter import fingerprint, steps
from kraptemeter.core.periods import Quarter, parse_quarter_span
from kraptemeter.core.settings import Settings
from kraptemeter.run import run_quarters
from kraptemeter.sample import write_sample
from schemas.cbs.landing import import_cbs
from tests.conftest import REALDATA, skipped_runs

ROOT = Path(__file__).resolve().parents[1]
# From the ground floor up: a module may import its own floor or the ones below it.
FLOORS = [
    ("kraptemeter.core", "kraptemeter"),
    ("schemas",),
    ("transforms",),
    ("kraptemeter.warehouse",),
    ("kraptemeter.steps", "kraptemeter.fingerprint", "kraptemeter.summary"),
    ("kraptemeter.run",),
    ("flows",),
    ("kraptemeter.site",),
    ("kraptemeter.cli", "kraptemeter.arguments", "kraptemeter.report", "kraptemeter.sample"),
]
PACKAGES = ("kraptemeter", "schemas", "transforms", "flows")


def floor_of(module: str) -> int:
    best, floor = -1, None
    for index, prefixes in enumerate(FLOORS):
        for prefix in prefixes:
            matches = module == prefix or module.startswith(prefix + ".")
            if matches and len(prefix) > best:
                best, floor = len(prefix), index
    assert floor is not None, f"{module} is on no floor of the house"
    return floor


def project_imports() -> dict[str, set[str]]:
    """Module -> the project modules it imports (at any depth of its code, relative ones too)."""
    graph = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            module = ".".join(parts)
            graph[module] = set(fingerprint.project_imports_of(ROOT, module, path))
    return graph


def test_every_import_points_down_the_house_and_none_goes_round():
    graph = project_imports()
    upward = [
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if floor_of(target) > floor_of(module)
    ]
    assert upward == []
    # no cycle, also within a floor (the package face `kraptemeter` carries only a version)
    done, visiting = set(), []

    def visit(module: str) -> None:
        if module in visiting:
            raise AssertionError("import cycle: " + " -> ".join(visiting + [module]))
        if module in done:
            return
        visiting.append(module)
        for target in graph.get(module, ()):
            if target != module and target in graph:
                visit(target)
        visiting.pop()
        done.add(module)

    for module in graph:
        visit(module)


def test_only_the_flow_and_the_cli_call_the_run_loop():
    callers = {m for m, targets in project_imports().items() if "kraptemeter.run" in targets}
    assert callers <= {"flows.quarterly", "kraptemeter.cli"}


@pytest.fixture
def figure_code(tmp_path, monkeypatch) -> Path:
    """A copy of the product's packages, for the test to edit."""
    copy = tmp_path / "code"
    for package in fingerprint.PACKAGES:
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(ROOT / package, copy / package, ignore=ignore)
    monkeypatch.setattr(fingerprint, "ROOT", copy)
    return copy


@pytest.mark.parametrize(
    "edited",
    [
        "kraptemeter/core/periods.py",
        "kraptemeter/core/reference_data.py",
        "kraptemeter/core/reference/gemeente_changes.csv",
        "kraptemeter/core/settings.py",
        "kraptemeter/steps.py",
        "kraptemeter/warehouse/layout.py",
        "schemas/ingest.py",
        "schemas/cbs/readers.py",
        "transforms/indicators/benefits.py",
        "transforms/sql/intermediate/derived.sql",
        "kraptemeter/run.py",
    ],
)
def test_the_code_fingerprint_covers_every_file_that_shapes_a_figure(figure_code, edited):
    before = fingerprint.code_fingerprint()
    assert (figure_code / edited).is_file()
    with (figure_code / edited).open("a") as handle:
        handle.write("\n")
    assert fingerprint.code_fingerprint() != before


def test_a_new_model_file_is_covered_without_listing_it(figure_code):
    before = fingerprint.code_fingerprint()
    (figure_code / "transforms/sql/intermediate/new_model.sql").write_text("select 1 as one\n")
    assert fingerprint.code_fingerprint() != before


@pytest.mark.parametrize(
    "edited",
    ["kraptemeter/cli.py", "kraptemeter/report.py", "flows/quarterly.py", "schemas/cbs/fetch.py"],
)
def test_code_above_the_run_loop_does_not_redo_quarters(figure_code, edited):
    before = fingerprint.code_fingerprint()
    with (figure_code / edited).open("a") as handle:
        handle.write("\n")
    assert fingerprint.code_fingerprint() == before


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("house") / "raw"
    write_sample(folder, parse_quarter_span("2024Q1..2024Q1"), scale=0.01)
    return folder


def test_editing_a_reference_file_or_a_core_module_redoes_the_quarter(raw, tmp_path, figure_code):
    settings, q1 = Settings(raw, tmp_path / "warehouse"), Quarter(2024, 1)
    run_quarters(settings, [q1])
    run_quarters(settings, [q1])
    (figure_code / "kraptemeter/core/reference/regions_2015.csv").write_text("edited\n")
    run_quarters(settings, [q1])
    run_quarters(settings, [q1])
    with (figure_code / "kraptemeter/core/periods.py").open("a") as handle:
        handle.write("# edited\n")
    run_quarters(settings, [q1])
    assert skipped_runs(settings) == [[], ["2024Q1"], [], ["2024Q1"], []]


@pytest.mark.skipif(not REALDATA.is_dir(), reason="needs ../shared/realdata")
def test_new_cbs_readers_restage_the_landed_tables(tmp_path, monkeypatch):
    settings = Settings(tmp_path / "raw", tmp_path / "warehouse")
    import_cbs(REALDATA / "checkdecijfers_fixtures" / "85224NED", settings.raw, None)
    observations, _ = steps.stage_cbs_tables(settings)
    staged = observations.stat().st_mtime_ns
    assert steps.stage_cbs_tables(settings)[0].stat().st_mtime_ns == staged  # unchanged: kept
    monkeypatch.setattr(steps, "reader_version", lambda: "readers of a newer release")
    assert steps.stage_cbs_tables(settings)[0].stat().st_mtime_ns != staged  # read again


@pytest.mark.parametrize(
    "flag, value, words",
    [
        ("--max-reject-share", "1.5", "max reject share must lie between 0 and 1"),
        ("--min-respondents", "0", "min respondents must be at least 1"),
        ("--total-rounding", "-1000", "total rounding must be at least 1"),
    ],
)
def test_settings_are_checked_where_they_enter(flag, value, words, tmp_path, capsys):
    from kraptemeter.cli import main

    argv = ["run", "--no-prefect", "--raw", str(tmp_path), "--warehouse", str(tmp_path / "w")]
    assert main([*argv, flag, value]) == 2
    assert words in capsys.readouterr().err
    assert not (tmp_path / "w").exists()  # refused before anything was written
