"""The outcome records the rule version it applied, and every consumer reads it from there."""

from __future__ import annotations

import datetime as dt

import attrs

from corengine._rules.outcome import applied_rule
from tests.helpers import EXAMPLES, bundled_engine


def test_the_outcome_records_the_rule_version_it_applied() -> None:
    engine = bundled_engine()
    result = engine.score(engine.load_audit(EXAMPLES / "alberta-acsa-cor-certification-pass.yaml"))
    outcome = result.outcome
    assert (outcome.rule, outcome.rule_version) == ("certification", dt.date(2023, 1, 1))  # audited 2024-10-18
    rule, version = applied_rule(result)  # type: ignore[misc]
    assert (rule.id, version.start) == (outcome.rule, outcome.rule_version)


def test_a_consumer_follows_the_recorded_version_not_the_audit_date() -> None:
    engine = bundled_engine()
    result = engine.score(engine.load_audit(EXAMPLES / "alberta-acsa-cor-certification-pass.yaml"))
    rule = next(r for r in result.standard.standard.rules if r.id == result.outcome.rule)
    first = rule.versions[0]
    recorded = attrs.evolve(result, outcome=attrs.evolve(result.outcome, rule_version=first.start))
    assert applied_rule(recorded) == (rule, first)


def test_an_outcome_that_records_no_version_falls_back_to_the_rule_in_force() -> None:
    engine = bundled_engine()
    result = engine.score(engine.load_audit(EXAMPLES / "ontario-internal-pass.yaml"))
    expected = applied_rule(result)
    bare = attrs.evolve(result, outcome=attrs.evolve(result.outcome, rule_version=None))
    assert expected is not None and applied_rule(bare) == expected
