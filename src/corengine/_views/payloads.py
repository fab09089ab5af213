"""The JSON documents of the commands whose data is not a model of its own: ``plugins``, ``standards``,
``validate`` and ``verify``, built by pure functions over an :class:`~corengine._host.engine.Engine`.

``plugin check``'s document is here too.

The CLI prints them with ``--format json`` and ``corengine serve`` returns them, so both say the same bytes for
the same input (the other commands' documents come from :mod:`corengine._views.render`, :mod:`corengine._views.explain`,
:mod:`corengine._rules.action_plan` and :mod:`corengine._cli.mapping`). Also the request records of the employer questions
(:class:`SampleRequest`; eligibility uses :class:`~corengine.model.EligibilityRequest`) and the reading of a date
given as text, shared by the CLI's options and the service's query parameters.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from attrs import field, frozen

from corengine._host.engine import Engine
from corengine._rules.reciprocity import ReciprocityAnswer, plan
from corengine.errors import InputError, Problem, UnknownStandardError
from corengine.model import Standard
from corengine.model.converter import unstructure
from corengine.model.validators import non_negative
from corengine.model.validators import parse_day as parse_day


@frozen(kw_only=True)
class PluginLine:
    """A registered plugin, as ``corengine plugins --format json`` lists it."""

    name: str
    """The plugin's name."""
    version: str
    """Its distribution's version."""
    distribution: str
    """The distribution that installed it."""
    hooks: tuple[str, ...]
    """The hooks it implements."""
    standards: tuple[str, ...]
    """The standards it provides, by id."""


@frozen(kw_only=True)
class StandardLine:
    """One installed standard, as ``corengine standards --format json`` lists it."""

    id: str
    """The standard's id."""
    title: str
    """Its title."""
    province: str
    """The jurisdiction's code."""
    partner: str | None
    """The certifying partner's code, where the standard is one partner's."""
    program: tuple[str, ...]
    """The programs it audits."""
    version: str
    """The document's version."""
    extends: str | None
    """The standard it extends, if any."""
    reference_document: bool
    """Whether the wording is the project's own reference text, not the partner's official document."""


def plugins_data(engine: Engine) -> list[dict[str, Any]]:
    """``corengine plugins --format json``: each plugin's name, version, distribution, hooks and standards."""
    by_plugin: dict[str, list[str]] = {}
    for ident, source in sorted(engine.sources().items()):
        by_plugin.setdefault(source.plugin, []).append(ident)
    lines = [
        PluginLine(
            name=i.name,
            version=i.version,
            distribution=i.distribution,
            hooks=tuple(i.hooks),
            standards=tuple(by_plugin.get(i.name, [])),
        )
        for i in engine.plugins()
    ]
    return [unstructure(line) for line in lines]


def standard_line(standard: Standard) -> StandardLine:
    """One standard as ``corengine standards --format json`` lists it."""
    return StandardLine(
        id=standard.id,
        title=standard.title,
        province=standard.jurisdiction,
        partner=standard.partner,
        program=standard.programs,
        version=standard.version,
        extends=standard.extends,
        reference_document=standard.reference_document,
    )


def standards_data(engine: Engine, province: str | None = None) -> list[dict[str, Any]]:
    """``corengine standards --format json``: every standard known, by id, only ``province``'s when given."""
    lines = [standard_line(engine.standard(ident)) for ident in sorted(engine.sources())]
    if province:
        lines = [s for s in lines if s.province.upper() == province.upper()]
    return [unstructure(line) for line in lines]


def partners_data(engine: Engine, province: str | None = None) -> list[dict[str, Any]]:
    """``corengine partners --format json``: each certifying partner by province code, only ``province``'s when
    given; the partner's fields follow ``province`` and ``plugin`` at the same level."""
    items = []
    for code, (plugin, jurisdiction) in sorted(engine.jurisdictions().items()):
        if not province or code == province.upper():
            items += [{"province": code, "plugin": plugin, **unstructure(p)} for p in jurisdiction.partners]
    return items


def reciprocity_data(
    engine: Engine, home: str, to: str, on: dt.date, program: str | None = None, partner: str | None = None
) -> ReciprocityAnswer:
    """``corengine reciprocity`` (and ``GET /v1/reciprocity``): the answer, with the destination's installed
    standards (the crosswalk's targets). An unknown code is an :class:`UnknownStandardError`."""
    jurisdictions = engine.jurisdictions()
    for code in (home, to):
        if code.upper() not in jurisdictions:
            known = ", ".join(sorted(jurisdictions)) or "none"
            raise UnknownStandardError(f"no installed plugin covers {code!r} (covered: {known})")
    answer = plan(jurisdictions, home, to, on, program, partner)
    standards = sorted(i for i in engine.sources() if engine.standard(i).jurisdiction == answer.to)
    return attrs.evolve(answer, standards=tuple(standards))


@frozen(kw_only=True)
class ProblemDocument:
    """An RFC 9457 problem document (``application/problem+json``) with the structured input problems; members
    left at their defaults are not written."""

    __corengine_omit_defaults__ = True

    type: str
    """The kind of problem, a URI."""
    title: str
    """The kind of problem, for people."""
    status: int
    """The HTTP status."""
    detail: str
    """What happened to this request."""
    instance: str
    """The request path."""
    problems: tuple[Problem, ...] = ()
    """Each problem with the input: file, line or cell, path, message."""
    truncated: int | None = None
    """How many more problems were found and left out (with ``problems``)."""
    installed: tuple[str, ...] | None = None
    """With 404 for a standard: the installed standard ids."""


@frozen
class ValidationDocument:
    """``corengine validate --format json``: whether the audit is valid, with its problems."""

    file: str
    """The file checked, as named (``<stdin>`` for standard input; an upload's bare name)."""
    valid: bool
    """Whether the audit has no problem."""
    problems: tuple[Problem, ...]
    """Every problem found, at most 200 (``corengine.errors.MAX_PROBLEMS``)."""
    truncated: int
    """How many more problems were found and left out."""


@frozen
class VerificationDocument:
    """What ``POST /v1/verify`` answers: whether a recorded explanation matches its recomputation."""

    verified: bool
    """Whether every field agrees."""
    differences: tuple[str, ...]
    """Every difference, one line each (``corengine verify`` prints the same lines); empty when verified."""


@frozen
class PluginCheckDocument:
    """``corengine plugin check --format json``: what was checked and every problem and warning found."""

    target: str
    """The plugin name or path checked (``every installed plugin`` when none was named)."""
    standards: tuple[str, ...]
    """The standard ids checked, sorted."""
    data_files: tuple[str, ...]
    """The plugins' data files checked (jurisdiction files and declared files), sorted."""
    clean: bool
    """Whether no problem was found (warnings alone leave it clean)."""
    problems: tuple[Problem, ...]
    """Every problem, by file and line."""
    warnings: tuple[Problem, ...]
    """What may be meant but is probably not (a placeholder source, inherited questions dropped)."""


def validation_data(file: str, invalid: InputError | None) -> dict[str, Any]:
    """``corengine validate --format json``: the file, whether it is valid, its problems (at most
    :data:`~corengine.errors.MAX_PROBLEMS`) and how many more were left out, as the converter writes a
    :class:`ValidationDocument`."""
    document = ValidationDocument(
        file=file,
        valid=invalid is None,
        problems=invalid.problems if invalid else (),
        truncated=invalid.truncated if invalid else 0,
    )
    data: dict[str, Any] = unstructure(document)
    return data


def verification_data(differences: list[str]) -> dict[str, Any]:
    """What ``POST /v1/verify`` answers: whether the recorded explanation matches its recomputation, and every
    difference (``corengine verify`` prints the same lines as text), as the converter writes a
    :class:`VerificationDocument`."""
    data: dict[str, Any] = unstructure(VerificationDocument(verified=not differences, differences=tuple(differences)))
    return data


@frozen(kw_only=True)
class SampleRequest:
    """What ``POST /v1/sample`` asks, as ``corengine sample`` takes it in options."""

    standard: str
    """Standard id (see ``GET /v1/standards``)."""
    workers: int = field(validator=non_negative)
    """Workers, management included."""
    sites: int | None = field(default=None, validator=non_negative)
    """Work sites."""
    on: dt.date | None = None
    """Audit date (default today)."""
    program: str | None = None
    """Program audited (e.g. Large, Small), where tables differ by program."""
