"""Fingerprints: what a quarter's figures were made from, so an unchanged quarter is not redone.

The code's part is derived from the imports, not listed: every project module the run loop
reaches, followed import by import, and every data file (SQL models, reference CSVs) that
lies in the packages of those modules. A new module, model or reference file is covered the
moment the loop can reach it. Modules above the loop (CLI, report, flows) are not.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

from kraptemeter import __version__
from kraptemeter.core.periods import Quarter
from kraptemeter.core.settings import Settings
from kraptemeter.warehouse import state
from kraptemeter.warehouse.hashes import FileHashes
from kraptemeter.warehouse.layout import WorkFolder, folders
from schemas import SOURCES
from schemas.ingest import sha256_of
from schemas.sources import SAMPLE_MARKER

ROOT = Path(__file__).resolve().parents[1]
RUN_LOOP = "kraptemeter.run"
PACKAGES = ("kraptemeter", "schemas", "transforms", "flows")


def figure_files(root: Path) -> list[Path]:
    """Every file that can shape a figure: the modules the run loop reaches, and the data
    files in their packages (outside sub-packages, which count only when reached)."""
    modules, pending = set(), [RUN_LOOP]
    while pending:
        module = pending.pop()
        path = _module_file(root, module)
        if module in modules or path is None:
            continue
        modules.add(module)
        imported = project_imports_of(root, module, path)
        # importing a.b.c runs a/__init__ and a/b/__init__ too
        pending += imported + [
            ".".join(name.split(".")[:i])
            for name in imported
            for i in range(1, name.count(".") + 1)
        ]
    files = {_module_file(root, m) for m in modules}
    for folder in {f.parent for f in files if f.name == "__init__.py"}:
        files |= set(_data_files(folder))
    return sorted(files)


def code_fingerprint() -> str:
    """Hash of every figure file (names relative to the project root). Every file is read
    afresh at each call (milliseconds), so an edit is never missed; only the imports found
    in a module are remembered, for as long as its size and modification time stay."""
    digest = hashlib.sha256(__version__.encode())
    for path in figure_files(ROOT):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def quarter_fingerprint(
    settings: Settings, quarter: Quarter, code: str | None = None, hashes: FileHashes | None = None
) -> str:
    """Inputs of a quarter's marts: its files, the EBB of the rolling window, the published
    earlier indicators its changes compare with, the code and the settings. A run passes
    the code's fingerprint it took at its start and its remembered file hashes."""
    files = [SOURCES[name].file_for(settings.raw, quarter) for name in SOURCES]
    house, work = folders(settings)
    hashes = hashes or FileHashes(work)
    files += house.existing_partitions("indicators", quarter.comparison_periods())
    parts = [code or code_fingerprint(), settings.figure_rules]
    parts += [f"{path.name}:{hashes.sha256(path)}" for path in files if path.is_file()]
    # the rolling window: the EBB deliveries the three quarters before were published from
    window = [_published_delivery(work, "ebb", q) for q in quarter.preceding(3)]
    parts += [f"window {d.period}:{d.sha256}" for d in window if d is not None]
    # which deliveries are the sample's decides whether the figures say `sample`
    marker = settings.raw / SAMPLE_MARKER
    if marker.is_file():
        parts.append(f"sample marker:{sha256_of(marker)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _published_delivery(work: WorkFolder, source_name: str, quarter: Quarter):
    """The delivery a published quarter recorded for the source; None when there is none
    (the run loop, not the fingerprint, stops on a published quarter without a record)."""
    recorded = state.read(work, quarter.label)
    return recorded.deliveries.get(source_name) if recorded is not None else None


def _module_file(root: Path, module: str) -> Path | None:
    base = root.joinpath(*module.split("."))
    for path in (base / "__init__.py", base.with_suffix(".py")):
        if path.is_file():
            return path
    return None


def project_imports_of(root: Path, module: str, path: Path) -> list[str]:
    """Project modules the module's file imports, relative imports resolved (`from a import
    b` is module a.b where that is a module, else a)."""
    stat = path.stat()
    key = (str(root), module, str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _IMPORTS:
        _IMPORTS[key] = _project_imports_of(root, module, path)
    return list(_IMPORTS[key])


# Imports found per module file, by (root, module, path, size, modification time): parsing
# every module is most of a fingerprint's cost, and a run takes one per quarter.
_IMPORTS: dict[tuple, list[str]] = {}


def _project_imports_of(root: Path, module: str, path: Path) -> list[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                name = f"{base}.{alias.name}"
                found.append(name if _module_file(root, name) else base)
    return [name for name in found if name.split(".")[0] in PACKAGES]


def _data_files(package: Path) -> list[Path]:
    files = []
    for path in package.iterdir():
        if path.is_dir() and not (path / "__init__.py").exists() and path.name != "__pycache__":
            files += [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        elif path.is_file() and path.suffix not in (".py", ".pyc"):
            files.append(path)
    return files
