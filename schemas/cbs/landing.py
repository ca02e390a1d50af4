"""`import-cbs`: land a CBS file or folder in raw/cbs/<table>/ unchanged, with a manifest."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from schemas.cbs import formats
from schemas.cbs.observations import CbsFormatError
from schemas.ingest import sha256_of

MANIFEST = "manifest.json"


@dataclass
class Landed:
    table_id: str
    name: str  # file or folder name inside raw/cbs/<table>/
    source: str
    format: str
    sha256: str
    vintage: str
    landed_at: str


def _digest(path: Path) -> str:
    if path.is_file():
        return sha256_of(path)
    files = sorted(p for p in path.rglob("*") if p.is_file())
    return json.dumps({str(p.relative_to(path)): sha256_of(p) for p in files}, sort_keys=True)


def _candidates(path: Path) -> tuple[list[Path], list[str]]:
    """(files and v4 page folders to land, what is passed over and why)."""
    if path.is_file() or formats.readers.v4_pages(path):
        return [path], []
    children = sorted(p for p in path.iterdir() if not p.name.startswith("."))
    found = [c for c in children if c.is_file() or formats.readers.v4_pages(c)]
    folders = [
        f"{c}: a folder that is not a table's OData v4 download; import it on its own"
        for c in children
        if c not in found
    ]
    return found, folders


def import_cbs(
    path: Path, raw: Path, table_id: str | None = None
) -> tuple[list[Landed], list[str]]:
    """Land every recognised file under `path`; returns what landed and what was skipped, why."""
    if table_id is not None:
        formats.check_table_id(table_id)
    if not path.exists():
        raise CbsFormatError(f"{path}: no such file or folder")
    landed = []
    candidates, skipped = _candidates(path)
    for candidate in candidates:
        try:
            fmt = formats.detect_format(candidate)
            found = table_id or formats.detect_table(candidate, fmt)
        except (CbsFormatError, ValueError) as error:
            skipped.append(str(error))
            continue
        if found is None:
            skipped.append(f"{candidate}: table not recognised; give it with --table")
            continue
        landed.append(_land(candidate, raw, formats.check_table_id(found), fmt))
    if not landed:
        raise CbsFormatError(f"{path}: nothing to import. " + " ".join(skipped))
    return landed, skipped


_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,200}$")


def _land(source: Path, raw: Path, table_id: str, fmt: str) -> Landed:
    # A file name becomes a path under raw/cbs/<table>/: nothing that could leave it.
    if not _SAFE_NAME.match(source.name) or ".." in source.name or "%" in source.name:
        raise CbsFormatError(
            f"{source}: refusing a file name with path or escape characters; rename it"
        )
    folder = raw / "cbs" / formats.check_table_id(table_id)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    if source.is_dir():
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)
    else:
        shutil.copyfile(source, target)
    entry = Landed(
        table_id=table_id,
        name=source.name,
        source=str(source),
        format=fmt,
        sha256=_digest(target),
        vintage=formats.vintage(source, fmt),
        landed_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    manifest = read_manifest(folder)
    manifest = [m for m in manifest if m["name"] != entry.name] + [asdict(entry)]
    (folder / MANIFEST).write_text(json.dumps(sorted(manifest, key=lambda m: m["name"]), indent=2))
    return entry


def read_manifest(folder: Path) -> list[dict]:
    path = folder / MANIFEST
    return json.loads(path.read_text()) if path.exists() else []


def landed_files(raw: Path) -> list[dict]:
    """Every landed entry under raw/cbs, with its path."""
    entries = []
    root = raw / "cbs"
    if not root.is_dir():
        return entries
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        for entry in read_manifest(folder):
            entries.append({**entry, "path": str(folder / entry["name"])})
    return entries
