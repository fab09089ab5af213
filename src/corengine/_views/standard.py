"""A standard as a published document: its elements, questions, points, methods and the rules in force on a day
(``corengine show --format json`` and ``GET /v1/standards/{id}``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from corengine._host.engine import Engine
from corengine._rules.scoring import answer_form
from corengine.model import ResolvedStandard
from corengine.model.converter import unstructure
from corengine.model.extensions import extension_fields


def show_data(engine: Engine, resolved: ResolvedStandard, day: dt.date) -> dict[str, Any]:
    """``corengine show STANDARD --format json`` (and ``GET /v1/standards/{id}``): the resolved standard, each
    question's answer form, the rules in force on ``day`` and the fields an audit may give under ``extensions``
    (every registered audit extension's, as ``extensions.NAME.FIELD`` with its kind and what to write)."""
    result: dict[str, Any] = unstructure(resolved.standard)
    methods = engine.methods()
    result["answer_forms"] = {q.id: answer_form(q, methods) for _, q in resolved.standard.questions()}
    result["rules_in_force"] = {
        "on": day.isoformat(),
        "rules": [
            {
                "id": r.id,
                "title": r.title,
                "audit_types": list(r.audit_types),
                "programs": list(r.programs),
                "plugin": resolved.plugin_for(r.id, v.start.isoformat()),
                "version": unstructure(v),
            }
            for r in resolved.standard.rules
            if (v := r.in_force(day)) is not None
        ],
    }
    extensions = engine.audit_extensions()
    result["audit_extensions"] = [
        {
            "key": item.key,
            "kind": item.kind,
            "choices": list(item.choices),
            "required": item.required,
            "help": item.help,
        }
        for name in sorted(extensions)
        for item in extension_fields(extensions[name])
    ]
    return result
