"""Packaging: the wheel builds without a warning, and `make` checks the Python it is given
before it installs anything."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kraptemeter", "schemas", "transforms", "flows")


def test_the_wheel_builds_without_a_warning(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, project / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-w", str(tmp_path / "dist")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    output = build.stdout + build.stderr
    assert not [line for line in output.splitlines() if "warn" in line.lower()], output
    (wheel,) = (tmp_path / "dist").glob("kraptemeter-*.whl")
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "transforms/sql/marts/indicators.sql" in names  # data files go along
    assert "kraptemeter/core/reference/regions_2015.csv" in names


def test_make_names_the_python_it_needs_before_installing_anything(tmp_path):
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    fake = tmp_path / "python3"
    fake.write_text(
        '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "Python 3.12.3"; exit 0; fi\nexit 1\n'
    )
    fake.chmod(0o755)
    make = subprocess.run(
        ["make", "install", f"PYTHON={fake}"], cwd=tmp_path, capture_output=True, text=True
    )
    assert make.returncode != 0
    assert "needs Python 3.11" in make.stderr and "Python 3.12.3" in make.stderr
    assert not (tmp_path / ".venv").exists()  # nothing was installed


def test_the_makefile_and_pyproject_agree_on_the_python():
    needs = re.search(r"^NEEDS_PYTHON := (\S+)$", (ROOT / "Makefile").read_text(), re.M)[1]
    bound = re.search(r'requires-python = "(.*)"', (ROOT / "pyproject.toml").read_text())[1]
    major, minor = map(int, needs.split("."))
    assert bound == f">={needs},<{major}.{minor + 1}"
