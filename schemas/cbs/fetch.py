"""`kraptemeter fetch-cbs`: download a table from the CBS OData v4 API and land it like import-cbs.

Follows `@odata.nextLink` paging, retries transient faults (connection errors, HTTP 5xx and
429) with exponential backoff, and stops with a message naming the URL on anything else.
"""

from __future__ import annotations

import json
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from kraptemeter.core.errors import InputError
from kraptemeter.core.settings import CBS_API_URL, FETCH_BACKOFF_SECONDS, FETCH_RETRIES
from schemas.cbs import formats
from schemas.cbs.landing import Landed, _land


def get_json(url: str, retries: int = FETCH_RETRIES, backoff: float | None = None) -> dict:
    backoff = FETCH_BACKOFF_SECONDS if backoff is None else backoff
    for attempt in range(retries + 1):
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            transient = error.code >= 500 or error.code == 429
            if not transient or attempt == retries:
                raise InputError(f"CBS answered {error.code} {error.reason} for {url}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            if attempt == retries:
                reason = getattr(error, "reason", error)
                raise InputError(
                    f"cannot reach {urllib.parse.urlsplit(url).netloc} for {url}: {reason} "
                    "(offline? try again later, or land a downloaded file with import-cbs)"
                ) from None
        time.sleep(backoff * 2**attempt)
    raise AssertionError("unreachable")


def fetch_cbs(
    table_id: str, raw: Path, filter_: str | None = None, base_url: str = CBS_API_URL
) -> Landed:
    formats.check_table_id(table_id)
    base = f"{base_url.rstrip('/')}/{table_id}"
    captured = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = raw / "cbs" / "_downloads" / f"{table_id}_{captured}"
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in (
        ("properties", "Properties"),
        ("measure-codes", "MeasureCodes"),
        ("dimensions", "Dimensions"),
    ):
        (folder / f"{name}.json").write_text(json.dumps(get_json(f"{base}/{path}"), indent=1))
    query = "?$filter=" + urllib.parse.quote(filter_) if filter_ else ""
    url, pages = f"{base}/Observations{query}", []
    while url:
        page = get_json(url)
        pages.append(f"observations-page-{len(pages) + 1}.json")
        (folder / pages[-1]).write_text(json.dumps(page, indent=1))
        url = page.get("@odata.nextLink")
    (folder / "index.json").write_text(
        json.dumps(
            {
                "tableId": table_id,
                "capturedAt": datetime.now(UTC).isoformat(),
                "source": base,
                "sliceFilter": filter_,
                "observationPages": pages,
            },
            indent=1,
        )
    )
    try:
        return _land(folder, raw, table_id, formats.V4)
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
