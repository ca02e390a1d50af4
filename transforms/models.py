"""The SQL models: one registry of every model file under sql/, and the order they run in.

A model is a file `sql/[<group>/]<layer>/<name>.sql` that runs into a temp table `<name>`.
Layers, in the order the data walks: `staging` (reads inputs only), `intermediate`, `marts`
(what is published; the group `cbs` holds the models of landed CBS tables). What a model
reads is taken from its SQL (the names after `from` / `join`), so the order is derived, not
kept by hand: a new model is just a new file. Reading an unknown name, a model of a later
layer, or going round in a cycle is an error.
"""

from __future__ import annotations

import functools
import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import duckdb

from schemas import SOURCES
from transforms.indicators import PIPELINE, THEMES

LAYERS = ("staging", "intermediate", "marts")

# Relations the runners create before any model reads them (transforms/quarter.py, cbs.py and
# regions.py): the staged sources, the reference and declaration tables, the survey's input
# and its two variants (quarter._run_survey). Anything else a model reads must be a model.
INPUTS = frozenset(
    {f"stg_{name}" for name in SOURCES}
    | {"region_reference", "indicator_catalog", "published_indicators", "survey_input"}
    | {f"{m}_{v}" for m in ("survey_published", "survey_estimates") for v in ("quarter", "rolling")}
    | {"cbs_observations", "cbs_codes", "cbs_ages", "cbs_table_priority", "cbs_region_names"}
)


class ModelError(Exception):
    """The models cannot run as written: an unknown name, a cycle, an undeclared indicator."""


@dataclass(frozen=True)
class Model:
    name: str
    group: str  # '' for the quarter's models, 'cbs' for those of landed CBS tables
    layer: str
    path: str  # relative to the transforms package
    text: str
    reads: frozenset[str]

    @property
    def rank(self) -> int:
        return LAYERS.index(self.layer)


# Comments and string literals are blanked first, so neither can look like a read.
_NOISE = re.compile(r"'(?:[^']|'')*'|--[^\n]*|\{\{.*?\}\}", re.S)
_CTE = re.compile(r"(?:\bwith|,)\s*(\w+)\s+as\s*\(", re.I)
_READ = re.compile(r"\b(?:from|join|pivot|unpivot)\s+(\w+)\b(?!\s*\()", re.I)
_DISTINCT_FROM = re.compile(r"\bdistinct\s+from\b", re.I)


def reads(sql: str) -> frozenset[str]:
    """Relations the SQL reads: names after from / join / pivot that are not its own CTEs.
    Inside its own definition a CTE's name means the relation outside (`regions as (select *
    from regions)`), so a name counts as a CTE only after the CTE's closing parenthesis."""
    text = _DISTINCT_FROM.sub(" ", _NOISE.sub(" ", sql))
    ctes = [(m[1].lower(), _closing(text, m.end() - 1)) for m in _CTE.finditer(text)]
    return frozenset(
        m[1].lower()
        for m in _READ.finditer(text)
        if not any(cte == m[1].lower() and end < m.start() for cte, end in ctes)
    )


def _closing(text: str, opening: int) -> int:
    depth = 0
    for index in range(opening, len(text)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return index
    raise ModelError(f"unbalanced parentheses after: {text[opening : opening + 60]!r}")


@dataclass(frozen=True)
class Registry:
    models: dict[str, Model]
    order: tuple[str, ...]

    def upstream(self, targets: Iterable[str], built: Iterable[str] = ()) -> list[str]:
        """`targets` and every model they read, transitively, except those `built`; in order."""
        done, needed, pending = set(built), set(), list(targets)
        while pending:
            name = pending.pop()
            if name in needed or name in done:
                continue
            if name not in self.models:
                raise ModelError(f"no model named {name!r}")
            needed.add(name)
            pending += [read for read in self.models[name].reads if read in self.models]
        return [name for name in self.order if name in needed]

    def marts(self, group: str = "") -> tuple[str, ...]:
        return tuple(
            n
            for n in self.order
            if self.models[n].layer == "marts" and self.models[n].group == group
        )


def load(root: Traversable, inputs: frozenset[str] = INPUTS) -> Registry:
    """Every model below `root` (the sql/ folder), checked and ordered."""
    models: dict[str, Model] = {}
    for model in _discover(root, ()):
        if model.name in models:
            raise ModelError(
                f"two models named {model.name}: {models[model.name].path}, {model.path}"
            )
        models[model.name] = model
    for model in models.values():
        _check_reads(model, models, inputs)
    return Registry(models, _ordered(models))


def _discover(folder: Traversable, parts: tuple[str, ...]) -> Iterable[Model]:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            yield from _discover(entry, (*parts, entry.name))
        elif entry.name.endswith(".sql") and parts and parts[-1] in LAYERS:
            text = entry.read_text(encoding="utf-8")
            yield Model(
                name=entry.name.removesuffix(".sql"),
                group="/".join(parts[:-1]),
                layer=parts[-1],
                path="/".join(("sql", *parts, entry.name)),
                text=text,
                reads=reads(text),
            )


def _check_reads(model: Model, models: dict[str, Model], inputs: frozenset[str]) -> None:
    unknown = sorted(model.reads - models.keys() - inputs)
    if unknown:
        raise ModelError(f"{model.path} reads {', '.join(unknown)}: neither a model nor an input")
    later = sorted(r for r in model.reads & models.keys() if models[r].rank > model.rank)
    if later:
        raise ModelError(f"{model.path} ({model.layer}) reads {', '.join(later)} of a later layer")


def _ordered(models: dict[str, Model]) -> tuple[str, ...]:
    """Topological order of the reads; among models ready at once, earlier layer first, then
    by name (so the order never depends on the file system)."""
    waiting = {name: set(m.reads & models.keys()) for name, m in models.items()}
    ready = [(m.rank, name) for name, m in models.items() if not waiting[name]]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, name = heapq.heappop(ready)
        order.append(name)
        for other, reads_left in waiting.items():
            if name in reads_left:
                reads_left.discard(name)
                if not reads_left:
                    heapq.heappush(ready, (models[other].rank, other))
    if len(order) < len(models):
        stuck = sorted(models.keys() - set(order))
        raise ModelError(f"models that read each other in a cycle: {', '.join(stuck)}")
    return tuple(order)


@functools.cache
def registry() -> Registry:
    return load(resources.files("transforms") / "sql")


_MACRO = re.compile(r"\{\{\s*theme_indicators\('(\w+)'\)\s*\}\}")


def render(sql: str) -> str:
    """Fill `{{ theme_indicators('<theme>') }}` with the quoted ids of the theme's pipeline
    indicators, in declaration order (a PIVOT needs a literal IN list for stable columns)."""

    def quoted_ids(match: re.Match) -> str:
        theme = match[1]
        if theme not in THEMES:
            raise ModelError(f"theme_indicators('{theme}'): no such theme in the declaration")
        ids = [f"'{i.id}'" for i in PIPELINE if i.theme == theme]
        if not ids:
            raise ModelError(f"theme_indicators('{theme}'): the theme has no pipeline indicator")
        return ", ".join(ids)

    rendered = _MACRO.sub(quoted_ids, sql)
    unknown = re.search(r"\{\{.*?\}\}", rendered, re.S)
    if unknown:
        raise ModelError(f"unknown placeholder {unknown[0]}: only theme_indicators('<theme>')")
    return rendered


def model_sql(name: str) -> str:
    """The model's query, ready to run."""
    if name not in registry().models:
        raise ModelError(f"no model named {name!r}")
    return render(registry().models[name].text)


def audit(con: duckdb.DuckDBPyConnection, name: str) -> list[tuple]:
    """The rows that break the audit sql/audits/<name>.sql (none: it passes)."""
    sql = (resources.files("transforms") / "sql" / "audits" / f"{name}.sql").read_text("utf-8")
    return con.execute(sql).fetchall()


def refuse_undeclared(undeclared: Iterable[str]) -> None:
    """Stop a build whose models produce indicators the declaration lacks."""
    undeclared = sorted(undeclared)
    if undeclared:
        raise ModelError(
            f"the models produce indicator(s) not declared in transforms/indicators/: "
            f"{', '.join(undeclared)}; declare each (unit, definition, theme, ...) or drop it"
        )


def run_models(
    con: duckdb.DuckDBPyConnection, targets: Iterable[str], built: Iterable[str] = ()
) -> frozenset[str]:
    """Build `targets` and every model they read (except those already `built`), in registry
    order, each into a temp table named after it. Returns every model now built."""
    names = registry().upstream(targets, built)
    for name in names:
        con.execute(f"create or replace temp table {name} as {model_sql(name)}")
    return frozenset(built) | frozenset(names)
