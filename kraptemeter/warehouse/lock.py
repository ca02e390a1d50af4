"""One writer per warehouse: an advisory lock (flock) on <work folder>/.lock (the work folder
belongs to one warehouse; the lock is private, never published).

The kernel releases a flock when its process dies, however it dies, so a lock left by a
killed run never blocks the next one. The file records who holds it, for the message.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from kraptemeter.core.errors import InputError
from kraptemeter.warehouse.layout import WorkFolder, default_work


class WarehouseBusy(InputError):
    """Another run is writing this warehouse."""


@contextlib.contextmanager
def warehouse_lock(warehouse: Path, wait_seconds: float = 0.0, work: Path | None = None):
    """The warehouse's lock, in its work folder (default `<warehouse>.work`)."""
    folder = WorkFolder(default_work(warehouse) if work is None else work)
    folder.root.mkdir(parents=True, exist_ok=True)
    path = folder.lock_file
    handle = path.open("a+")
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise WarehouseBusy(
                        f"{warehouse}: another run is writing this warehouse ({holder}); "
                        "wait for it to finish, or pass --wait SECONDS"
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {"pid": os.getpid(), "since": datetime.now(UTC).isoformat(timespec="seconds")}
            )
        )
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock
