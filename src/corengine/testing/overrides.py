"""Public: a check for plugin tests that an override changes one value only.

An overlay that restates one value of a rule version (``overrides:`` with a new source and confidence) must change
only the findings that value decides; every other finding keeps its own status, confidence and sources. A plugin's
tests call :func:`override_one_value` on an example audit and :func:`assert_only_that_value_changes` on what it
returns::

    before, after, rule = override_one_value((my_plugin,), audit_data, "overall_minimum", tmp_path)
    assert_only_that_value_changes(before, after, f"{rule}.overall_minimum")
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from corengine._host.engine import Engine
from corengine._io.loading import parse, read_text
from corengine.model.findings import Finding

OVERRIDE_SOURCE = "https://partner.example/one-value"
"""The source the restated value cites."""


def audit_data(path: Path) -> dict[str, Any]:
    """An audit file (YAML or JSON) as plain data, to change before :func:`override_one_value`."""
    text, source = read_text(path)
    data = parse(text, source, mapping=True)[0]
    assert isinstance(data, dict)
    return data


def override_one_value(
    plugins: tuple[object, ...], audit: dict[str, Any] | Path, value: str, tmp_path: Path
) -> tuple[list[Finding], list[Finding], str]:
    """The findings of ``audit`` (plain data, or an audit file read as data) and of the same audit under an overlay that restates one ``value`` of the rule
    version it is decided by (the same value, a new source at confidence M), and that rule's id."""
    if isinstance(audit, Path):
        audit = audit_data(audit)
    engine = Engine(plugins=plugins, load_entrypoints=False, environ={})
    before = engine.score(engine.audit_from_data(copy.deepcopy(audit)))
    rule_id, start = before.outcome.rule, before.outcome.rule_version
    assert rule_id is not None and start is not None
    standard = engine.resolve(audit["standard"]).standard
    rule = next(r for r in standard.rules if r.id == rule_id)
    version = next(v for v in rule.versions if v.start == start)
    overlay = tmp_path / "one-value.yaml"
    overlay.write_text(
        yaml.safe_dump(
            {
                "id": "one-value",
                "title": "One value restated",
                "version": "1",
                "jurisdiction": standard.jurisdiction,
                "partner": standard.partner,
                "programs": list(standard.programs),
                "extends": standard.id,
                "overrides": [
                    {
                        "rule": rule_id,
                        "start": start.isoformat(),
                        "values": {value: _plain(getattr(version, value))},
                        "reference": [OVERRIDE_SOURCE],
                        "confidence": "M",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    engine = Engine(plugins=plugins, load_entrypoints=False, environ={})
    engine.add_standard_file(overlay)
    changed = copy.deepcopy(audit) | {"standard": "one-value", "standard_version": "1"}
    after = engine.score(engine.audit_from_data(changed))
    return list(before.outcome.reasons), list(after.outcome.reasons), rule_id


def _plain(value: Any) -> Any:
    """``value`` as YAML can write it (an exact number as its text)."""
    return value if isinstance(value, int | str | None) else str(value)


def assert_only_that_value_changes(before: list[Finding], after: list[Finding], check: str) -> None:
    """Every finding but ``check``'s keeps its status, confidence and sources; ``check``'s cites the override at M
    and keeps its status (the value is the same). Pick a value whose check the audit passes: a shortfall against a
    value restated at M is decisive where it was an advisory at L, and the outcome then rightly changes."""
    assert [f.check for f in after] == [f.check for f in before]
    assert check in [f.check for f in after]
    for old, new in zip(before, after, strict=True):
        if new.check == check:
            assert (new.status, new.confidence, new.sources) == (old.status, "M", (OVERRIDE_SOURCE,)), new
        else:
            assert (new.status, new.confidence, new.sources) == (old.status, old.confidence, old.sources), new
