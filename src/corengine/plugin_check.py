"""``corengine plugin check``: lint a plugin's standards eagerly, reporting every problem with file and line.

Each standard is resolved (its ``extends`` applied), so every load error surfaces now rather than when an audit
is scored: unknown scoring methods, evidence kinds and themes, rule values without a source or a confidence, and
any other error in the file, each naming the standard's own file and line. Then the conventions the bundled
plugins keep, which ``corengine readiness``, ``crosswalk`` and ``map`` rely on (docs/plugins.md,
"Conventions of the bundled plugins"):

- every question declares its expected evidence (``expects``), with an expectation for each verification
  method it names (D: a ``kind`` of document or record; I: an ``interview``; O: an ``observe``);
- every element names a theme (or each of its questions does);
- sampling tables have no gaps or overlaps between rows, and only the last row is open-ended;
- an overlay (``extends``) does not silently replace what it might mean to extend: an element with an id the
  base has (replaced whole, questions and all), a rule version with a start the base has that leaves out values
  the base's version sets (the version is replaced whole, so they are dropped), a ``sampling`` section where the
  base has one (every table replaced).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from .engine import Engine
from .errors import InputError, Problem
from .hookspecs import hookimpl
from .loading import PathKey, located, parse, read_text
from .model import RuleVersion, SampleTableVersion, Standard
from .standards import STANDARD_SUFFIXES, StandardSource, load_standard

GUIDE = "docs/plugins.md"


@frozen
class CheckReport:
    """What ``corengine plugin check`` found."""

    target: str
    """The plugin name or path checked."""
    standards: tuple[str, ...]
    """The standard ids checked, sorted."""
    problems: tuple[Problem, ...]
    """Every problem, by file and line (empty: clean)."""

    @property
    def clean(self) -> bool:
        return not self.problems


class _File:
    """Registers a standard file that no installed plugin provides (``plugin check PATH``), under the file's own
    name, so that two files claiming one standard id are named in the error."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = str(path)

    @hookimpl
    def corengine_register_standards(self) -> list[Path]:
        return [self.path]


def standard_files(path: Path) -> list[Path]:
    """The standard files at ``path``: the file itself, or every ``standards/*.yaml|yml|json`` under a folder (a
    plugin package), or else the folder's own ``*.yaml|yml|json`` files (a folder of standards).

    :raises InputError: when ``path`` is neither a regular file nor a folder (a FIFO, a device), a folder holds no
        standard file, or a folder cannot be read.
    """
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InputError([f"{path}: not a regular file or a folder; give a standard file or a plugin's folder"])
    try:
        found = sorted(
            p for p in path.rglob("*") if p.is_file() and p.suffix in STANDARD_SUFFIXES and p.parent.name == "standards"
        )
        found = found or sorted(p for p in path.iterdir() if p.is_file() and p.suffix in STANDARD_SUFFIXES)
    except OSError as exc:
        raise InputError([f"{exc.filename or path}: cannot read the folder: {exc.strerror or exc}"]) from None
    if not found:
        suffixes = "|".join(s.lstrip(".") for s in STANDARD_SUFFIXES)
        raise InputError(
            [f"{path}: no standard file here (looked for standards/*.{suffixes} below it, then *.{suffixes} in it)"]
        )
    return found


def check(target: str | None, environ: dict[str, str] | None = None) -> CheckReport:
    """Check the standards of the installed plugin named ``target``, of the plugin package or standard file at the
    path ``target``, or of every installed plugin (``target`` None).

    :raises InputError: when ``target`` is neither an installed plugin nor an existing path.
    """
    env = dict(os.environ) if environ is None else environ
    if target is not None and not target.strip():
        raise InputError(["the plugin name or path is empty; give a plugin's name, a folder or a standard file"])
    engine = Engine(environ=env)
    sources = engine.sources()
    plugins = {info.name for info in engine.plugins()}
    if target is None:
        chosen = dict(sources)
    elif target in plugins:
        chosen = {i: s for i, s in sources.items() if s.plugin == target}
    elif Path(target).exists():
        files = [f.resolve() for f in standard_files(Path(target))]
        inside = {i: s for i, s in sources.items() if s.path.resolve() in {f.resolve() for f in files}}
        if inside:
            chosen = inside
        else:
            given = [_File(f) for f in files]
            engine = Engine(plugins=given, environ=env)
            sources = engine.sources()
            names = {g.name for g in given}
            chosen = {i: s for i, s in sources.items() if s.plugin in names}
    else:
        known = ", ".join(sorted(plugins)) or "none"
        raise InputError([f"{target}: neither an installed plugin nor a file or folder (installed plugins: {known})"])
    problems: list[Problem] = []
    for ident in sorted(chosen):
        problems.extend(standard_problems(engine, chosen[ident]))
    return CheckReport(target or "every installed plugin", tuple(sorted(chosen)), tuple(_unique(problems)))


def _unique(problems: Iterable[Problem]) -> Iterator[Problem]:
    seen: set[str] = set()
    for item in problems:
        if str(item) not in seen:
            seen.add(str(item))
            yield item


def standard_problems(engine: Engine, source: StandardSource) -> list[Problem]:
    """Every problem with one standard file: its load errors (resolved with its bases), then the conventions."""
    try:
        engine.resolve(source.id)
    except InputError as exc:
        return list(exc.problems)
    own = load_standard(source)
    file = str(source.path)
    text, name = read_text(source.path)
    _, lines = parse(text, name)
    found = [located(file, lines, path, message) for path, message in conventions(own)]
    if own.extends:
        base = engine.resolve(own.extends).standard
        found += [located(file, lines, path, message) for path, message in replacements(own, base)]
    return found


EXPECTATION = {
    "D": ("kind", "document or record kind"),
    "I": ("interview", "interview"),
    "O": ("observe", "observation"),
}
"""Per verification method, the expectation field that answers it and its name in messages."""


def conventions(standard: Standard) -> Iterator[tuple[PathKey, str]]:
    """Where one standard file breaks the data conventions (its own elements and tables, not its bases')."""
    for e, element in enumerate(standard.elements):
        if not element.themes and any(not q.themes for q in element.questions):
            yield (
                ("elements", e, "themes"),
                (
                    f"element {element.id} names no theme (give the element, or each question, themes; {GUIDE}, "
                    '"Data: expected evidence")'
                ),
            )
        for q, question in enumerate(element.questions):
            path: PathKey = ("elements", e, "questions", q)
            if not question.expects:
                yield (
                    (*path, "expects"),
                    (
                        f'question {question.id} declares no expected evidence (expects; {GUIDE}, "Data: expected evidence")'
                    ),
                )
                continue
            for method in question.methods:
                key, what = EXPECTATION[method]
                if not any(getattr(x, key) for x in question.expects):
                    yield (
                        (*path, "expects"),
                        (f"question {question.id} is verified by {method} but expects no {what} ({key}: ...)"),
                    )
    if standard.sampling is not None:
        for table in ("interviews", "sites"):
            for v, version in enumerate(getattr(standard.sampling, table)):
                yield from _gaps(version, ("sampling", table, v))


def _gaps(version: SampleTableVersion, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    """Gaps, overlaps and open rows before the last in one sampling table version."""
    tables = [(path, version.rows)]
    if version.reference_table is not None:
        tables.append(((*path, "reference_table"), version.reference_table.rows))
    for where, rows in tables:
        order = sorted(range(len(rows)), key=lambda i: rows[i].min)
        for before, after in itertools.pairwise(order):
            first, second = rows[before], rows[after]
            at: PathKey = (*where, "rows", after)
            if first.max is None:
                yield at, f"row {first.min}- is open-ended but row {_span(second.min, second.max)} follows it"
            elif second.min > first.max + 1:
                missing = _span(first.max + 1, second.min - 1)
                yield (
                    at,
                    f"gap: no row for {missing} (between rows {_span(first.min, first.max)} and {_span(second.min, second.max)})",
                )
            elif second.min <= first.max:
                yield (
                    at,
                    f"overlap: rows {_span(first.min, first.max)} and {_span(second.min, second.max)} both cover {second.min}",
                )


def _default(field: attrs.Attribute[Any]) -> Any:
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return default.factory()
    return default


def _dropped(base: RuleVersion, overlay: RuleVersion) -> list[str]:
    """The fields ``base`` sets that ``overlay`` (a version with the same start) leaves at their defaults."""
    return [
        field.name
        for field in attrs.fields(RuleVersion)
        if field.default is not attrs.NOTHING
        and getattr(base, field.name) != _default(field)
        and getattr(overlay, field.name) == _default(field)
    ]


def _span(low: int, high: int | None) -> str:
    if high is None:
        return f"{low}-"
    return str(low) if low == high else f"{low}-{high}"


def replacements(standard: Standard, base: Standard) -> Iterator[tuple[PathKey, str]]:
    """Where an overlay replaces part of its base whole rather than extending it."""
    elements = {e.id for e in base.elements}
    for e, element in enumerate(standard.elements):
        if element.id in elements:
            yield (
                ("elements", e, "id"),
                (
                    f"element {element.id} replaces {base.id}'s element {element.id} whole (its questions are not merged): "
                    "restate every question, or give the element a new id"
                ),
            )
    rules = {r.id: {v.start: v for v in r.versions} for r in base.rules}
    for r, rule in enumerate(standard.rules):
        for v, version in enumerate(rule.versions):
            replaced = rules.get(rule.id, {}).get(version.start)
            dropped = [] if replaced is None else _dropped(replaced, version)
            if dropped:
                yield (
                    ("rules", r, "versions", v, "start"),
                    (
                        f"rule {rule.id}'s version of {version.start} replaces {base.id}'s version of that date whole, "
                        f"dropping its {', '.join(dropped)}: restate them, or change single values with overrides: "
                        f'({GUIDE}, "Overriding single values")'
                    ),
                )
    if standard.sampling is not None and base.sampling is not None:
        yield (
            ("sampling",),
            (
                f"sampling replaces {base.id}'s whole sampling section (every table, interviews and sites): "
                "restate every table, or leave sampling out to keep the base's"
            ),
        )


__all__ = ["CheckReport", "check", "conventions", "replacements", "standard_files", "standard_problems"]
