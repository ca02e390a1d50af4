"""Remembered sha256 of raw input files, so a run with nothing new does not read every file.

A file's sha256 is remembered with its device, inode, size, modification and change times
(as git's index does). Any write to the file, a copy over it or a rename onto its name
changes at least one of them (the change time cannot be set back from user space), so a
remembered hash is only used for the very bytes it was taken from. A hash taken within two
seconds of the file's last change is not remembered (a write in the same clock tick could
leave the times as they were). A missing or damaged record means every file is read again.
Published marts are never looked up here: a skip reads them in full (a damaged file is
republished, never served).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from kraptemeter.warehouse.layout import WorkFolder
from schemas.ingest import sha256_of

SETTLED_SECONDS = 2.0


class FileHashes:
    """sha256 of files by path, remembered in the private work folder between runs."""

    def __init__(self, work: WorkFolder) -> None:
        self.path = work.input_hashes
        self.changed = False
        try:
            known = json.loads(self.path.read_text(encoding="utf-8"))
            self.known = {
                str(k): (list(v[0]), str(v[1])) for k, v in known.items() if len(v[0]) == 5
            }
        except (OSError, ValueError, TypeError, AttributeError, IndexError, KeyError):
            self.known = {}

    def sha256(self, path: Path) -> str:
        stat = os.stat(path)
        key = str(Path(path).absolute())
        identity = [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]
        remembered = self.known.get(key)
        if remembered is not None and remembered[0] == identity:
            return remembered[1]
        digest = sha256_of(path)
        if time.time_ns() - stat.st_ctime_ns > SETTLED_SECONDS * 1e9:
            self.known[key] = (identity, digest)
            self.changed = True
        return digest

    def save(self) -> None:
        """Write the record atomically (the run holds the warehouse lock); files that are
        gone are forgotten."""
        if not self.changed:
            return
        known = {k: v for k, v in self.known.items() if os.path.lexists(k)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        building = self.path.with_name(f".{self.path.name}.building")
        building.write_text(json.dumps(known, sort_keys=True), encoding="utf-8")
        building.replace(self.path)
        self.changed = False
