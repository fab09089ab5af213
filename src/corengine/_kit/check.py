"""``corengine plugin check``: lint a plugin's standards eagerly, reporting every problem with file and line.

Each standard is resolved (its ``extends`` applied), so every load error surfaces now rather than when an audit
is scored: unknown scoring methods, evidence kinds and themes, rule values without a source or a confidence, and
any other error in the file, each naming the standard's own file and line. Loading stops at the first class of
problem; a standard that does not load is checked again piece by piece, every check run on what of it could be
read, so that one run reports every problem of every class (docs/plugins.md, "Checking a plugin"). Then the
conventions the bundled plugins keep, which ``corengine readiness``, ``crosswalk`` and ``map`` rely on
(docs/plugins.md, "Conventions of the bundled plugins"):

- every question declares its expected evidence (``expects``), with an expectation for each verification
  method it names (D: a ``kind`` of document or record; I: an ``interview``; O: an ``observe``);
- every element names a theme (or each of its questions does);
- sampling tables have no gaps or overlaps between rows, and only the last row is open-ended;
- an overlay (``extends``) does not silently replace what it might mean to extend: an element with an id the
  base has (replaced whole, questions and all), a rule version with a start the base has that leaves out values
  the base's version sets (the version is replaced whole, so they are dropped), a ``sampling`` section where the
  base has one (every table replaced).

Then the plugin's data files (``corengine_register_data_files``: its jurisdiction files and the files it declares
with the class each is read into), each read as the plugin reads it (:func:`~corengine.plugin.load_file`), every
problem with file, line and path; a plugin whose jurisdictions hook stops at a bad file is reported the same way.
Warnings do not make the report unclean: an overlay whose inherited questions name none of its programs (no audit
of it answers them), and a placeholder source (an ``example.org`` address, as ``corengine plugin new`` writes) in
a standard or data file.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from corengine._host.engine import FILE_PLUGIN, Engine
from corengine._host.manager import DISABLE_ENV
from corengine._io.loading import LineMap, PathKey, located, parse, parse_checked, read_text
from corengine._rules.scoring import scoring_problems
from corengine._rules.standards import STANDARD_SUFFIXES, apply_overrides, load_standard, overlay, renamed_programs
from corengine.errors import InputError, PluginError, Problem, UnknownStandardError
from corengine.hookspecs import hookimpl
from corengine.model import RuleVersion, SampleTableVersion, Standard, StandardSource
from corengine.model.converter import BROKEN, Partial, load_file, structure, structure_partial
from corengine.model.data_files import DataFile
from corengine.model.evidence_kinds import standard_problems as evidence_problems

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
    warnings: tuple[Problem, ...] = ()
    """What may be meant but is probably not (a placeholder source, inherited questions dropped), by file and
    line; they do not make the report unclean."""
    data_files: tuple[str, ...] = ()
    """The plugins' data files checked (jurisdiction files and declared files), sorted."""

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
    engine, unloaded = _installed(env)
    return check_engine(engine, target, env, unloaded)


def _installed(env: dict[str, str]) -> tuple[Engine, dict[str, list[Problem]]]:
    """An Engine of the installed plugins, and the problems of each plugin left out of it: one whose module stops
    at an error in its data while it loads (a plugin reading its jurisdiction when imported), so that its
    problems are reported rather than stopping the check."""
    unloaded: dict[str, list[Problem]] = {}
    while True:
        try:
            return Engine(environ=env), unloaded
        except PluginError as exc:
            cause = exc.__cause__
            if exc.plugin is None or exc.plugin in unloaded or not isinstance(cause, InputError):
                raise
            unloaded[exc.plugin] = list(cause.problems)
            env = {**env, DISABLE_ENV: ",".join(n for n in (env.get(DISABLE_ENV, ""), exc.plugin) if n.strip())}


def check_engine(
    engine: Engine,
    target: str | None,
    environ: dict[str, str] | None = None,
    unloaded: Mapping[str, list[Problem]] | None = None,
) -> CheckReport:
    """:func:`check` with the plugins of ``engine`` (for a program or a test that registers plugins by hand), and
    the problems of plugins that could not be loaded (``unloaded``, by name: reported with the rest).

    A path that no plugin of ``engine`` provides is checked as standard files alone: the data files of a plugin
    are known only to its code, so an uninstalled plugin's are not checked (install it, and check it by name).

    :raises InputError: when ``target`` is neither a plugin of ``engine`` nor an existing path.
    """
    env = dict(os.environ) if environ is None else environ
    failed = dict(unloaded or {})
    if failed:  # an Engine built below leaves them out too
        env = {**env, DISABLE_ENV: ",".join(n for n in (env.get(DISABLE_ENV, ""), *failed) if n.strip())}
    sources = engine.sources()
    plugins = {info.name for info in engine.plugins()}
    declared = engine.data_files()
    owners: set[str]
    problems: list[Problem] = []
    if target is None:
        chosen = dict(sources)
        data = declared
        owners = plugins
        problems += [item for found in failed.values() for item in found]
    elif target in plugins or target in failed:
        chosen = {i: s for i, s in sources.items() if s.plugin == target}
        data = [(plugin, item) for plugin, item in declared if plugin == target]
        owners = {target}
        problems += failed.get(target, [])
    elif Path(target).exists():
        where = Path(target).resolve()
        problems += [p for found in failed.values() for p in found if p.file and _within(Path(p.file), where)]
        data = [(plugin, item) for plugin, item in declared if _within(item.path, where)]
        if where.is_file() and data:  # one data file
            chosen, owners = {}, set()
        else:
            files = [f.resolve() for f in standard_files(Path(target))]
            inside = {i: s for i, s in sources.items() if s.path.resolve() in set(files)}
            if inside:
                chosen = inside
            else:
                given = [_File(f) for f in files]
                engine = Engine(plugins=given, environ=env)
                sources = engine.sources()
                names = {g.name for g in given}
                chosen = {i: s for i, s in sources.items() if s.plugin in names}
            owners = {s.plugin for s in inside.values()} | {plugin for plugin, _ in data}
    else:
        known = ", ".join(sorted(plugins | set(failed))) or "none"
        raise InputError([f"{target}: neither an installed plugin nor a file or folder (installed plugins: {known})"])
    warnings: list[Problem] = []
    for ident in sorted(chosen):
        problems.extend(standard_problems(engine, chosen[ident]))
        warnings.extend(standard_warnings(engine, chosen[ident]))
    paths = sorted({item.path: item for _, item in data}.values(), key=lambda item: str(item.path))
    for item in paths:
        problems.extend(data_file_problems(item))
        warnings.extend(placeholders(item.path))
    if owners:
        for plugin, exc in engine.hooks.jurisdiction_errors():
            if plugin in owners:  # a plugin that does not declare its jurisdiction files, or builds them in code
                problems.extend(exc.problems)
    return CheckReport(
        target or "every installed plugin",
        tuple(sorted(chosen)),
        tuple(_by_line(_unique(problems))),
        tuple(_by_line(_unique(warnings))),
        tuple(str(item.path) for item in paths),
    )


def _within(path: Path, where: Path) -> bool:
    """Whether ``path`` is the file ``where`` or lies in the folder ``where``."""
    found = path.resolve()
    return found == where or where in found.parents


def data_file_problems(item: DataFile) -> list[Problem]:
    """Every problem of one data file, read into its class as the plugin reads it (file, line and path each)."""
    try:
        load_file(item.path, item.cls)
    except InputError as exc:
        return list(exc.problems)
    return []


PLACEHOLDER = re.compile(r"https?://(?:[A-Za-z0-9-]+\.)*example\.org(?![A-Za-z0-9.-])[^\s\]\[)(<>{}'\",]*")
"""An address at ``example.org``: the scaffold's placeholder for a public source."""


def placeholders(path: Path) -> list[Problem]:
    """A warning for each ``example.org`` address in the values of one file (a file that cannot be read or
    parsed has none: its problems are reported as such)."""
    try:
        text, name = read_text(path)
        data, lines = parse(text, name)
    except InputError:
        return []
    return [
        located(name, lines, at, f"{url}: a placeholder source from the scaffold; cite the public page")
        for at, value in _strings(data, ())
        for url in PLACEHOLDER.findall(value)
    ]


def _strings(data: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    """Every text value in parsed data, with its path, in document order."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


def standard_warnings(engine: Engine, source: StandardSource) -> list[Problem]:
    """The warnings of one standard file, by line: its placeholder sources, and (when it and its base load) the
    questions it inherits that none of its programs answers (:func:`dropped`)."""
    found = placeholders(source.path)
    try:
        own = load_standard(source)
        base = engine.resolve(own.extends).standard if own.extends else None
    except (InputError, UnknownStandardError):
        base = None
    if base is not None:
        text, name = read_text(source.path)
        _, lines = parse(text, name)
        found += [located(name, lines, path, message) for path, message in dropped(own, base)]
    return _by_line(found)


def dropped(standard: Standard, base: Standard) -> Iterator[tuple[PathKey, str]]:
    """Where an overlay inherits questions that none of its programs answers: a question with ``programs`` is
    answered only in those (scoring marks it "not answered in the P program"), and an overlay's programs are its
    own, so an inherited question whose programs are all outside them is left out of every audit of it."""
    replaced = {e.id for e in standard.elements}
    base = renamed_programs(base, standard.program_names)
    inherited = [q for e in base.elements if e.id not in replaced for q in e.questions]
    programs = set(standard.programs)
    lost = [q for q in inherited if q.programs and not programs.intersection(q.programs)]
    if lost:
        theirs = ", ".join(dict.fromkeys(p for q in lost for p in q.programs))
        yield (
            ("extends",),
            (
                f"{len(lost)} of {len(inherited)} questions inherited from {base.id} are answered only in programs "
                f"this standard does not have ({theirs}), so no audit of it answers them (its programs: "
                f"{', '.join(standard.programs)}); add those programs to programs, map yours onto them with "
                "program_names, or restate the elements with each question's programs"
            ),
        )


def _unique(problems: Iterable[Problem]) -> Iterator[Problem]:
    seen: set[str] = set()
    for item in problems:
        if str(item) not in seen:
            seen.add(str(item))
            yield item


def standard_problems(engine: Engine, source: StandardSource) -> list[Problem]:
    """Every problem with one standard file, by file then line: its load errors (resolved with its bases), then
    the conventions.

    A standard that resolves is checked as it loads. One that does not is checked again piece by piece
    (:func:`_collect`), so that one run reports every problem of every class: what the model refuses, unknown
    evidence kinds, unknown scoring methods, overrides without a target, the conventions and the replacements,
    each check run on whatever did structure."""
    try:
        engine.resolve(source.id)
    except InputError as exc:
        found = _collect(engine, source, (), everything=True).problems
        reported = {(p.file, p.path, p.message) for p in found}
        # never less than loading reports: anything it names that the piecewise check did not is kept
        return _by_line([*found, *(p for p in exc.problems if (p.file, p.path, p.message) not in reported)])
    own = load_standard(source)
    file = str(source.path)
    text, name = read_text(source.path)
    _, lines = parse(text, name)
    found = [located(file, lines, path, message) for path, message in conventions(own)]
    if own.extends:
        base = engine.resolve(own.extends).standard
        found += [located(file, lines, path, message) for path, message in replacements(own, base)]
    return _by_line(found)


def _by_line(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` by file, then line (a problem of the whole file first); in the order found on one line."""
    return sorted(problems, key=lambda p: (p.file, p.line or 0))


_Chain = tuple[tuple[str, Path, LineMap], ...]
"""The standards being checked through ``extends`` (id, file and line map), from the one checked first."""


@frozen
class _Collected:
    """What :func:`_collect` found in one standard file."""

    problems: list[Problem]
    """Its problems, and those of the bases it extends that do not resolve."""
    merged: Standard | None
    """The file with its bases applied, as far as they could be read; None when a base is missing or cannot be
    read at all, or the standards extend each other in a loop."""
    damaged: frozenset[str]
    """The top-level sections, of the file or of a base, in which something could not be read."""


def _collect(engine: Engine, source: StandardSource, chain: _Chain, everything: bool) -> _Collected:
    """Every problem of one standard file that does not resolve, each check run on what could be structured.

    The file is structured field by field (every problem the model finds, worded as loading words it); what did
    not structure is left out (:class:`_Salvage`) and the checks run on the rest: evidence kinds, scoring
    methods, overrides, and with ``everything`` the conventions and replacements. A check's finding that could
    come only from what was left out is not reported (:func:`_spoilt`). A base that does not resolve is checked
    the same way (its load errors, under its own file), and what could be read of it stands in for it; a check
    that needs a section of the base that could not be read (its evidence kinds, its rules) is skipped."""
    file = str(source.path)
    broken = _Collected([], None, frozenset())
    try:
        text, name = read_text(source.path)
        data, lines, early = parse_checked(text, name)
    except InputError as exc:
        return attrs.evolve(broken, problems=list(exc.problems))
    if not isinstance(data, dict):
        try:
            structure(data, Standard, name, lines)  # raises: the top level is not a mapping
        except InputError as exc:
            return attrs.evolve(broken, problems=[*(p for _, p in early), *exc.problems])
    skipped = [path for path, _ in early if path is not None]
    result, issues = structure_partial(data, Standard)
    problems = [p for _, p in early]
    damaged = list(skipped)
    for path, message, hint in issues:
        if any(_under(path, early_path) for early_path in skipped):
            continue  # a value the reader refused: reported once, above
        problems.append(located(name, lines, path, message, hint))
        damaged.append(path)
        meant = _MEANT.fullmatch(hint or "")
        if meant is not None:  # a misspelt key: the field it was meant for is as good as unreadable
            damaged.append((*path[:-1], meant.group(1)))
    fill = {"id": source.id, "title": "-", "version": "-", "jurisdiction": "-", "programs": ("-",)}
    salvage = _Salvage()
    own = result if isinstance(result, Standard) else salvage.instance(result, (), fill)
    if not isinstance(own, Standard):
        return attrs.evolve(broken, problems=problems)
    ident = source.id if ("id",) in salvage.lost else own.id
    if ("id",) not in salvage.lost and source.plugin != FILE_PLUGIN and own.id != source.id:
        problems.append(located(name, lines, ("id",), f"must match the file name {source.id!r}, not {own.id!r}"))
    if any(ident == i or source.path == p for i, p, _ in chain):
        ids = " -> ".join([i for i, _, _ in chain] + [ident])
        _, first, first_lines = chain[0]
        loop = located(str(first), first_lines, ("extends",), f"standards extend each other in a loop: {ids}")
        return attrs.evolve(broken, problems=[loop])
    sections = {str(path[0]) for path in [*damaged, *salvage.lost] if path}
    base: Standard | None = None
    unread: frozenset[str] = frozenset()  # the base's sections that could not be read
    readable = ("extends",) not in [*salvage.lost, *damaged]  # else the file's base is unknown
    if own.extends and readable:
        try:
            base = engine.resolve(own.extends).standard
        except UnknownStandardError as exc:
            problems.append(located(name, lines, ("extends",), str(exc)))
            readable = False
        except InputError:
            under = engine.sources()[own.extends]
            below = _collect(engine, under, (*chain, (ident, source.path, lines)), everything=False)
            problems += below.problems
            base, readable, unread = below.merged, below.merged is not None, below.damaged
    found: list[tuple[str, PathKey, str]] = []
    merged: Standard | None = None
    if readable:
        if "evidence_kinds" not in unread:
            inherited = base.evidence_kinds if base is not None else ()
            found += [("evidence", path, message) for path, message in evidence_problems(own, inherited)]
        merged, changes = _overridden(own, base, file)
        for path, message in changes:
            at = salvage.original(path)
            if "rules" not in unread and not _spoilt("overrides", at, damaged, salvage.lost):
                problems.append(located(name, lines, at, message))
    found += [("scoring", path, message) for path, message in scoring_problems(own, engine.methods())]
    if everything:
        found += [("conventions", path, message) for path, message in conventions(own)]
        if base is not None:
            found += [("replacements", path, message) for path, message in replacements(own, base)]
    for check_name, path, message in found:
        at = salvage.original(path)
        if not _spoilt(check_name, at, damaged, salvage.lost):
            problems.append(located(name, lines, at, message))
    return _Collected(problems, merged, frozenset(sections) | unread)


_MEANT = re.compile(r"did you mean '([A-Za-z_][A-Za-z0-9_]*)'\?")
"""The hint of an unknown key that is close to a field's name (the field it was meant for)."""


def _overridden(standard: Standard, base: Standard | None, file: str) -> tuple[Standard, list[tuple[PathKey, str]]]:
    """``standard`` on ``base`` with its overrides applied, and each override without a rule or a rule version to
    change (its path, and the message resolving gives). Resolving stops at the first; here they are applied one
    at a time, so one without a target does not hide the next."""
    merged = standard if base is None else overlay(base, standard)
    found: list[tuple[PathKey, str]] = []
    for index, change in enumerate(standard.overrides):
        try:
            merged = apply_overrides(merged, attrs.evolve(standard, overrides=(change,)), file)
        except InputError as exc:
            found += [(("overrides", index, item.path.rpartition(".")[2]), item.message) for item in exc.problems]
        except ValueError:  # a value the rule version refuses: loading does not catch it either (not reported here)
            continue
    return merged, found


def _under(path: PathKey, prefix: PathKey) -> bool:
    return path[: len(prefix)] == prefix


def _spoilt(check_name: str, path: PathKey, damaged: list[PathKey], lost: list[PathKey]) -> bool:
    """Whether a check's finding at ``path`` may come only from what did not structure: it lies in a value that
    was left out or replaced by its default (``lost``), or what it judges has a problem of its own (``damaged``,
    already reported): an element's themes, a question's expectations and methods, a sampling table whose rows
    lost one, the file's own evidence kinds for the kinds it uses, the whole question for a method's params, a
    rule version for what it drops, the rules for an override's target."""
    if any(_under(path, prefix) for prefix in lost):
        return True

    def within(*prefixes: PathKey) -> bool:
        return any(_under(d, prefix) for d in damaged for prefix in prefixes)

    if check_name == "conventions" and path[0] == "elements":
        if path[2] == "themes":
            return any(d[:2] == path[:2] and "themes" in d[2:] for d in damaged)
        return within((*path[:4], "expects"), (*path[:4], "methods"))
    if check_name == "conventions":  # a sampling table version
        return within(path[:3])
    if check_name == "evidence" and path[0] == "elements":
        return within(("evidence_kinds",), path[:-1])
    if check_name == "scoring":
        return within(path if path[5] == "method" else path[:4])
    if check_name == "replacements" and path[0] == "rules":
        return within(path[:4])
    if check_name == "overrides":
        return within(("rules",), path[:2])
    return False


_LOST: Any = object()
"""What :class:`_Salvage` makes of a value it cannot use."""


class _Salvage:
    """Model objects built from what did structure of a standard that did not (a :class:`Partial`), for the
    checks that can still run: an item of a list that did not structure is left out, a field that did not is
    given its default (or the object is left out, when the field has none), a list whose items repeat an id
    keeps the first. Only values that structured and passed their own validators are used: nothing is made up
    beyond ``fill`` for the top level's fields that no check reads."""

    def __init__(self) -> None:
        self.kept: dict[PathKey, list[int]] = {}
        """For each list that lost items (by its path in the file), the index in the file of each item kept."""
        self.lost: list[PathKey] = []
        """Paths in the file of the values left out or replaced by their defaults."""

    def original(self, path: PathKey) -> PathKey:
        """The path in the file of ``path`` in the salvaged standard (list items left out shift the indices)."""
        out: list[str | int] = []
        for part in path:
            kept = self.kept.get(tuple(out))
            out.append(kept[part] if kept is not None and isinstance(part, int) else part)
        return tuple(out)

    def instance(self, partial: Any, path: PathKey, fill: dict[str, Any] | None = None) -> Any:
        """The object of a :class:`Partial`, or :data:`_LOST`."""
        if not isinstance(partial, Partial):
            return _LOST
        fields = {a.name: a for a in attrs.fields(partial.cls)}
        values = dict(partial.values)
        for name, bad in partial.failed.items():
            value = self.field(bad, (*path, name))
            if value is _LOST:
                self.lost.append((*path, name))
                default = fields[name].default
                if default is not attrs.NOTHING:
                    value = _default(fields[name])
                elif fill is not None and name in fill:
                    value = fill[name]
                else:
                    return _LOST
            values[name] = value
        try:
            return partial.cls(**{fields[n].alias: v for n, v in values.items()})
        except Exception:  # a check across fields (the class's own) refuses what is left
            return _LOST

    def field(self, bad: Any, path: PathKey) -> Any:
        """A field's value that did not structure as a whole: its usable part, or :data:`_LOST`."""
        if isinstance(bad, Partial):
            return self.instance(bad, path)
        if isinstance(bad, list):  # a list with items that did not structure
            return self.items(bad, path)
        if isinstance(bad, tuple) and bad and all(attrs.has(type(item)) for item in bad):
            return self.distinct(list(bad), list(range(len(bad))), path)  # only the list's own check failed
        return _LOST  # not structured at all, or refused by its validator

    def items(self, bad: list[Any], path: PathKey) -> Any:
        kept: list[Any] = []
        where: list[int] = []
        for index, item in enumerate(bad):
            if isinstance(item, Partial):
                item = self.instance(item, (*path, index))
            elif isinstance(item, list):
                item = self.items(item, (*path, index))
            elif item is BROKEN:
                item = _LOST
            if item is _LOST:
                self.lost.append((*path, index))
            else:
                kept.append(item)
                where.append(index)
        return self.distinct(kept, where, path)

    def distinct(self, items: list[Any], where: list[int], path: PathKey) -> tuple[Any, ...]:
        """``items`` (at indices ``where`` in the file) without a second item with an id already seen."""
        seen: set[Any] = set()
        kept: list[Any] = []
        at: list[int] = []
        for item, index in zip(items, where, strict=True):
            ident = getattr(item, "id", None)
            if ident is not None and ident in seen:
                self.lost.append((*path, index))
                continue
            seen.add(ident)
            kept.append(item)
            at.append(index)
        if at != list(range(len(at))):
            self.kept[path] = at
        return tuple(kept)


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


__all__ = [
    "CheckReport",
    "check",
    "check_engine",
    "conventions",
    "data_file_problems",
    "dropped",
    "placeholders",
    "replacements",
    "standard_files",
    "standard_problems",
    "standard_warnings",
]
