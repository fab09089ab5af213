"""A standard as a published document: its elements, questions, points, methods and the rules in force on a day
(``corengine show --format json`` and ``GET /v1/standards/{id}``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from attrs import frozen

from corengine._host.engine import Engine
from corengine._rules.scoring import answer_form
from corengine.model import ResolvedStandard, RuleVersion
from corengine.model.converter import unstructure
from corengine.model.extensions import extension_fields


@frozen
class RuleInForce:
    """A rule and its version in force on the day asked about."""

    id: str
    title: str
    audit_types: tuple[str, ...]
    programs: tuple[str, ...]
    plugin: str
    """The plugin that supplied the version."""
    version: RuleVersion


@frozen
class RulesInForce:
    """The rules in force on a day."""

    on: str
    rules: tuple[RuleInForce, ...]


@frozen
class AuditExtensionField:
    """A field an audit may give under ``extensions``."""

    key: str
    """``extensions.NAME.FIELD``."""
    kind: str
    choices: tuple[str, ...]
    required: bool
    help: str


@frozen
class StandardInForceExtras:
    """What ``show --format json`` adds to the resolved standard's own fields."""

    answer_forms: dict[str, str]
    """Each question's answer form, by question id."""
    rules_in_force: RulesInForce
    audit_extensions: tuple[AuditExtensionField, ...]


def show_data(engine: Engine, resolved: ResolvedStandard, day: dt.date) -> dict[str, Any]:
    """``corengine show STANDARD --format json`` (and ``GET /v1/standards/{id}``): the resolved standard's fields,
    then :class:`StandardInForceExtras`: each question's answer form, the rules in force on ``day`` and the fields
    an audit may give under ``extensions`` (every registered audit extension's, as ``extensions.NAME.FIELD`` with
    its kind and what to write)."""
    methods = engine.methods()
    extensions = engine.audit_extensions()
    extras = StandardInForceExtras(
        answer_forms={q.id: answer_form(q, methods) for _, q in resolved.standard.questions()},
        rules_in_force=RulesInForce(
            day.isoformat(),
            tuple(
                RuleInForce(r.id, r.title, r.audit_types, r.programs, resolved.plugin_for(r.id, v.start.isoformat()), v)
                for r in resolved.standard.rules
                if (v := r.in_force(day)) is not None
            ),
        ),
        audit_extensions=tuple(
            AuditExtensionField(item.key, item.kind, item.choices, item.required, item.help)
            for name in sorted(extensions)
            for item in extension_fields(extensions[name])
        ),
    )
    result: dict[str, Any] = {**unstructure(resolved.standard), **unstructure(extras)}
    return result
