"""The confidence policy on Ontario's data: a shortfall against a value of confidence L (the assumed COR 2020 gate:
100% legislated, 65% per element, 80% overall) is an advisory and never fails an audit by itself; ``strict``
makes exactly those shortfalls failures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corengine_ontario.plugin as ontario
from corengine import Engine
from corengine._io.loading import parse, read_text
from corengine.testing.pytest_plugin import deep_merge

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(plugins=[ontario], load_entrypoints=False)


def _example(name: str) -> dict[str, Any]:
    text, source = read_text(EXAMPLES / name)
    data, _ = parse(text, source)
    assert isinstance(data, dict)
    return data


BASE = _example("ontario-internal-pass.yaml")
QUESTIONS = sorted(BASE["responses"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    points=st.dictionaries(st.sampled_from(QUESTIONS), st.sampled_from([0, 1])),
    workers=st.integers(min_value=1, max_value=60),
)
def test_a_shortfall_on_the_low_confidence_gate_never_fails_without_strict(
    engine: Engine, points: dict[str, int], workers: int
) -> None:
    data = deep_merge(
        BASE, {"employer": {"workers": workers}, "responses": {q: {"points": p} for q, p in points.items()}}
    )
    lenient = engine.score(engine.audit_from_data(data))
    assert lenient.outcome.passed, [f.message for f in lenient.outcome.reasons if f.status == "fail"]
    assert not [f for f in lenient.outcome.reasons if f.confidence == "L" and f.status == "fail"]
    assert all(f.confidence == "L" for f in lenient.outcome.advisories)
    strict = engine.score(engine.audit_from_data(data), strict=True)
    assert strict.outcome.passed == (not lenient.outcome.advisories)
