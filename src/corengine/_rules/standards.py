"""Standards as plugins ship them: found by file name, loaded on demand, overlays resolved.

A partner document ``extends`` a provincial baseline: its elements replace or add to the baseline's, and
its rule versions merge into the baseline's rules by start date. Provenance is kept per rule version, so
every finding can name the plugin whose data decided it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import attrs

from corengine._io.loading import LineMap, PathKey, located, parse, read_text
from corengine._rules.scoring import ScoringMethod, scoring_problems
from corengine.errors import InputError, Problem, UnknownStandardError, problem
from corengine.model import ResolvedStandard, Rule, Standard, StandardSource, ValueSource
from corengine.model.converter import load_file, unstructure
from corengine.model.evidence_kinds import check_standard
from corengine.model.validators import FieldError

STANDARD_SUFFIXES = (".yaml", ".yml", ".json")


def source_from_path(path: Path, plugin: str) -> StandardSource:
    """A source whose id is the file's stem; :func:`load_standard` checks the file agrees."""
    return StandardSource(path.stem, path, plugin)


def load_standard(source: StandardSource) -> Standard:
    """Load and check one standard file (without resolving ``extends``)."""
    standard = load_file(source.path, Standard)
    if source.plugin != "<file>" and standard.id != source.id:
        raise InputError(
            [problem(str(source.path), "id", f"must match the file name {source.id!r}, not {standard.id!r}")]
        )
    return standard


def check_scoring(standard: Standard, source: str, methods: Mapping[str, ScoringMethod]) -> None:
    """Raise :class:`InputError` naming the standard's file, line and path for every question whose scoring
    method is not registered or whose params the method rejects (the file is parsed again for line numbers only
    when there is a problem)."""
    found = scoring_problems(standard, methods)
    if not found:
        return
    lines: LineMap = {}
    try:
        text, name = read_text(source)
        _, lines = parse(text, name)
    except InputError:  # pragma: no cover - the file was just loaded
        pass
    raise InputError([located(source, lines, path, message) for path, message in found])


def _merge_rule(base: Rule, overlay: Rule) -> Rule:
    versions = {v.start: v for v in base.versions}
    versions.update({v.start: v for v in overlay.versions})
    return attrs.evolve(overlay, versions=tuple(versions[k] for k in sorted(versions)))


def renamed_programs(base: Standard, names: Mapping[str, str]) -> Standard:
    """``base`` with each program list that names a base program also naming every program ``names`` maps onto
    it (``{Standard: COR}``: a question for COR is also for Standard)."""
    if not names:
        return base

    def more(programs: tuple[str, ...]) -> tuple[str, ...]:
        return programs + tuple(mine for mine, theirs in names.items() if theirs in programs and mine not in programs)

    elements = tuple(
        attrs.evolve(e, questions=tuple(attrs.evolve(q, programs=more(q.programs)) for q in e.questions))
        for e in base.elements
    )
    rules = tuple(attrs.evolve(r, programs=more(r.programs)) for r in base.rules)
    sampling = base.sampling
    if sampling is not None:
        sampling = attrs.evolve(
            sampling,
            interviews=tuple(attrs.evolve(v, programs=more(v.programs)) for v in sampling.interviews),
            sites=tuple(attrs.evolve(v, programs=more(v.programs)) for v in sampling.sites),
        )
    score_rules = tuple(attrs.evolve(r, programs=more(r.programs)) for r in base.score_rules)
    return attrs.evolve(base, elements=elements, rules=rules, sampling=sampling, score_rules=score_rules)


def check_program_names(base: Standard, child: Standard, source: str) -> None:
    """Each of ``child``'s ``program_names`` maps one of its own programs onto one of the base's."""
    found: list[tuple[PathKey, str]] = [
        (("program_names", mine), f"{mine!r} is not one of this standard's programs ({', '.join(child.programs)})")
        for mine in child.program_names
        if mine not in child.programs
    ]
    found += [
        (("program_names", mine), f"{theirs!r} is not a program of {base.id} ({', '.join(base.programs)})")
        for mine, theirs in child.program_names.items()
        if theirs not in base.programs
    ]
    if found:
        raise InputError(at_lines(source, found))


def at_lines(source: str, found: list[tuple[PathKey, str]]) -> list[Problem]:
    """``found`` (path, message) as problems with the lines of the file ``source`` (read again: only on error)."""
    try:
        text, name = read_text(Path(source))
        _, lines = parse(text, name)
    except (OSError, InputError):
        lines = {}
    return [located(source, lines, path, message) for path, message in found]


def overlay(base: Standard, child: Standard) -> Standard:
    """Apply ``child`` on ``base``: same-id elements replaced in place, rules merged by version start; the base's
    programs first renamed by ``child.program_names`` (:func:`renamed_programs`)."""
    base = renamed_programs(base, child.program_names)
    elements = {e.id: e for e in base.elements}
    order = [e.id for e in base.elements]
    for element in child.elements:
        if element.id not in elements:
            order.append(element.id)
        elements[element.id] = element
    rules = {r.id: r for r in base.rules}
    rule_order = [r.id for r in base.rules]
    for rule in child.rules:
        if rule.id in rules:
            rules[rule.id] = _merge_rule(rules[rule.id], rule)
        else:
            rule_order.append(rule.id)
            rules[rule.id] = rule
    return attrs.evolve(
        child,
        elements=tuple(elements[i] for i in order),
        rules=tuple(rules[i] for i in rule_order),
        sampling=child.sampling if child.sampling is not None else base.sampling,
        audit_types=tuple(dict.fromkeys(base.audit_types + child.audit_types)),
        reference=child.reference or base.reference,
        evidence_kinds=base.evidence_kinds + child.evidence_kinds,
        expects_note=child.expects_note or base.expects_note,
        score_rules=base.score_rules + child.score_rules,
        prerequisites=tuple({p.id: p for p in base.prerequisites + child.prerequisites}.values()),
        partner_cycles=base.partner_cycles + child.partner_cycles,
    )


def apply_overrides(merged: Standard, standard: Standard, source: str) -> Standard:
    """Apply ``standard``'s overrides to the rules it inherited (already merged into ``merged``): each changed
    value records the override's source and confidence (:class:`~corengine.model.ValueSource`); the version's
    own source and confidence stay those of every other value."""
    rules = {r.id: r for r in merged.rules}
    for index, change in enumerate(standard.overrides):
        where = f"overrides[{index}]"
        rule = rules.get(change.rule)
        if rule is None:
            raise InputError(
                [
                    problem(
                        source,
                        f"{where}.rule",
                        f"no rule {change.rule!r} to override (rules: {', '.join(rules) or 'none'})",
                    )
                ]
            )
        versions = {v.start: v for v in rule.versions}
        version = versions.get(change.start)
        if version is None:
            starts = ", ".join(str(v.start) for v in rule.versions)
            raise InputError(
                [
                    problem(
                        source,
                        f"{where}.start",
                        f"rule {rule.id!r} has no version starting {change.start} (versions start: {starts})",
                    )
                ]
            )
        values = change.structured()
        shown = ", ".join(f"{key} {unstructure(getattr(version, key))} -> {unstructure(values[key])}" for key in values)
        note = f"{version.note} Overridden by {standard.id}: {shown}." + (f" {change.note}" if change.note else "")
        try:
            sources = tuple(ValueSource(key, change.reference, change.confidence, standard.id) for key in values)
            versions[change.start] = attrs.evolve(
                version, **values, value_sources=version.value_sources + sources, note=note.strip()
            )
        except FieldError as exc:  # a value the rule version's own validators refuse (an overall minimum of 150)
            raise InputError([problem(source, f"{where}.values.{exc.field}", str(exc))]) from None
        rules[rule.id] = attrs.evolve(rule, versions=tuple(versions[k] for k in sorted(versions)))
    return attrs.evolve(merged, rules=tuple(rules[r.id] for r in merged.rules))


def check_score_rules(merged: Standard, standard: Standard, source: str) -> None:
    """Every element and question ``standard``'s score rules name exists in the merged standard."""
    elements = {e.id for e in merged.elements}
    questions = {q.id for _, q in merged.questions()}
    found: list[tuple[PathKey, str]] = []
    for index, rule in enumerate(standard.score_rules):
        for kind, ids, known in (("elements", rule.elements, elements), ("questions", rule.questions, questions)):
            for n, ident in enumerate(ids):
                if ident not in known:
                    message = f"no {kind[:-1]} {ident!r} in {merged.id} (the rule must name one the standard has)"
                    found.append((("score_rules", index, kind, n), message))
    if found:
        raise InputError(at_lines(source, found))


def resolve(
    source: StandardSource,
    lookup: Callable[[str], StandardSource],
    load: Callable[[StandardSource], Standard] = load_standard,
    methods: Mapping[str, ScoringMethod] | None = None,
) -> ResolvedStandard:
    """Load ``source`` and every standard it extends, base first, and merge them.

    With ``methods`` (the registered scoring methods), each file's questions are checked against them: an unknown
    method or params its method rejects is an :class:`InputError` naming that file's line."""
    chain: list[tuple[Standard, StandardSource]] = []
    current: StandardSource | None = source
    while current is not None:
        standard = load(current)
        if any(s.id == standard.id for s, _ in chain):
            ids = " -> ".join([s.id for s, _ in chain] + [standard.id])
            raise InputError([problem(str(source.path), "extends", f"standards extend each other in a loop: {ids}")])
        chain.append((standard, current))
        try:
            current = lookup(standard.extends) if standard.extends else None
        except UnknownStandardError as exc:
            raise InputError([problem(str(chain[-1][1].path), "extends", str(exc))]) from None
    merged: Standard | None = None
    provenance: dict[tuple[str, str], str] = {}
    for standard, origin in reversed(chain):
        check_standard(standard, str(origin.path), merged.evidence_kinds if merged is not None else ())
        if methods is not None:
            check_scoring(standard, str(origin.path), methods)
        for rule in standard.rules:
            for version in rule.versions:
                provenance[(rule.id, version.start.isoformat())] = origin.plugin
        if merged is not None:
            check_program_names(merged, standard, str(origin.path))
        merged = standard if merged is None else overlay(merged, standard)
        check_score_rules(merged, standard, str(origin.path))
        if standard.overrides:
            merged = apply_overrides(merged, standard, str(origin.path))
            for change in standard.overrides:
                provenance[(change.rule, change.start.isoformat())] = origin.plugin
    assert merged is not None
    return ResolvedStandard(merged, source, provenance, tuple(s.id for s, _ in chain))
