"""Models: serialise then load gives the same object, for generated and for shipped data."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corengine._io.loading import dump_yaml, parse
from corengine.model import (
    AUDITOR_KINDS,
    METHODS,
    Audit,
    Auditor,
    Employer,
    Jurisdiction,
    Response,
    Standard,
    Tally,
)
from corengine.model.converter import load_file, structure, unstructure
from tests.helpers import DATA, ROOT, TEST_STANDARD

# PyYAML's emitter folds C0/C1 controls and line separators, so generated text leaves them out.
characters = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))
text = st.text(alphabet=characters, min_size=1, max_size=12).filter(lambda s: s.strip() != "")
fractions = st.fractions(min_value=0, max_value=100, max_denominator=8)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
tally = st.integers(min_value=0, max_value=50).flatmap(lambda t: st.builds(Tally, st.integers(0, t), st.just(t)))
responses = st.one_of(
    st.builds(Response, points=fractions, note=st.text(alphabet=characters, max_size=5)),
    st.builds(Response, interviews=tally, observations=st.none() | tally),
    st.builds(Response, na=text),
)
audits = st.builds(
    Audit,
    standard=text,
    audit_type=st.sampled_from(["certification", "maintenance"]),
    audit_date=dates,
    employer=st.builds(Employer, name=text, workers=st.none() | st.integers(0, 10_000), fte=st.none() | fractions),
    auditor=st.builds(Auditor, name=text, kind=st.sampled_from(AUDITOR_KINDS)),
    methods_used=st.lists(st.sampled_from(METHODS), unique=True).map(tuple),
    responses=st.dictionaries(text, responses, max_size=5),
)


@given(audits)
def test_an_audit_survives_serialise_then_load(audit: Audit) -> None:
    data = json.loads(json.dumps(unstructure(audit)))
    assert structure(data, Audit, "<test>") == audit


@given(audits)
def test_an_audit_survives_a_round_trip_through_yaml_text(audit: Audit) -> None:
    dumped = dump_yaml(unstructure(audit))
    data, _ = parse(dumped, "<test>.yaml")
    assert structure(data, Audit, "<test>") == audit


STANDARD_FILES = sorted([TEST_STANDARD, *ROOT.glob("plugins/*/src/*/data/standards/*.yaml")])


@pytest.mark.parametrize("path", STANDARD_FILES, ids=[p.name for p in STANDARD_FILES])
def test_every_shipped_standard_survives_a_round_trip(path: Path) -> None:
    standard = load_file(path, Standard)
    assert structure(json.loads(json.dumps(unstructure(standard))), Standard, "<test>") == standard


def test_a_jurisdiction_survives_a_round_trip() -> None:
    jurisdiction = load_file(DATA / "jurisdiction-zz.yaml", Jurisdiction)
    assert structure(unstructure(jurisdiction), Jurisdiction, "<test>") == jurisdiction


def test_numbers_are_exact_fractions_never_floats() -> None:
    data: dict[str, Any] = {
        "standard": "s",
        "audit_type": "certification",
        "audit_date": "2024-01-01",
        "employer": {"name": "E", "fte": "19.99"},
        "auditor": {"name": "A", "kind": "external"},
        "responses": {"1": {"points": 0.1}, "2": {"points": "7/10"}},
    }
    audit = structure(data, Audit, "<test>")
    assert audit.employer.fte == Fraction(1999, 100)
    assert audit.responses["1"].points == Fraction(1, 10)
    assert audit.responses["2"].points == Fraction(7, 10)
    assert unstructure(audit)["responses"]["2"]["points"] == "7/10"


def test_question_ids_are_read_as_written_not_as_numbers() -> None:
    data, lines = parse("responses:\n  1.10: {points: 1}\n  1.1: {points: 2}\n", "<t>.yaml")
    assert list(data["responses"]) == ["1.10", "1.1"]
    assert lines[("responses", "1.10", "points")] == 2


def test_month_lengths_are_the_calendar_modules() -> None:
    import calendar

    from corengine._util.dates import add_months, month_end

    for year in (*range(1896, 2205), 9999):
        for month in range(1, 13):
            last = calendar.monthrange(year, month)[1]
            assert month_end(dt.date(year, month, 1)) == dt.date(year, month, last)
            if year < 9999:
                assert add_months(dt.date(year, 1, 31), month - 1) == dt.date(year, month, last)
