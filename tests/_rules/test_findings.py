"""Findings are typed verdicts: the confidence policy, typed values and the pre-0.3 form kept for a release."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from corengine.model.converter import unstructure
from corengine.model.findings import Finding, Quantity, decided
from corengine.testing.pytest_plugin import ScenarioError, finding_row, matcher, matches


@pytest.mark.parametrize(
    ("ok", "confidence", "strict", "status"),
    [
        (True, "L", False, "pass"),
        (False, "H", False, "fail"),
        (False, "M", False, "fail"),
        (False, None, False, "fail"),
        (False, "L", False, "advisory"),
        (False, "L", True, "fail"),
    ],
)
def test_a_shortfall_against_a_low_confidence_value_is_an_advisory_unless_strict(
    ok: bool, confidence: str | None, strict: bool, status: str
) -> None:
    assert decided(ok, confidence, strict) == status


def test_strictly_turns_only_advisories_into_failures() -> None:
    advisory = Finding(check="x", status="advisory", message="m")
    info = Finding(check="x", status="info", message="m")
    assert (advisory.strictly().status, info.strictly().status) == ("fail", "info")
    assert (advisory.passed, advisory.decisive, advisory.strictly().passed) == (None, False, False)


@pytest.mark.parametrize(
    ("quantity", "text"),
    [
        (Quantity.of(80, "%", ">="), ">= 80%"),
        (Quantity.of(Fraction(79, 2), "%"), "39.5%"),
        (Quantity.of(21, "days", "<="), "<= 21 days"),
        (Quantity(number=Fraction(2), unit="FTE", compare=">=", upper=Fraction(19), upper_compare="<="), "2 to 19 FTE"),
        (
            Quantity(number=Fraction(2), unit="FTE", compare=">=", upper=Fraction(20), upper_compare="<"),
            ">= 2 and < 20 FTE",
        ),
        (Quantity.on(dt.date(2026, 12, 31), "by"), "by 2026-12-31"),
        (Quantity.on(dt.date(2021, 12, 2), "<"), "before 2021-12-02"),
        (Quantity.names(("external", "internal"), "in"), "external or internal"),
        (Quantity.names(("D", "I", "O"), "all"), "D+I+O"),
        (Quantity(number=Fraction(600, 7), unit="%", text="60/70"), "600/7% (60/70)"),
        (Quantity.words("an auditor who did not build the system"), "an auditor who did not build the system"),
    ],
)
def test_typed_values_read_as_people_write_them(quantity: Quantity, text: str) -> None:
    assert str(quantity) == text


def test_json_carries_exact_decimal_text_and_only_the_fields_a_value_has() -> None:
    finding = Finding(
        check="c.overall_minimum",
        status="fail",
        message="m",
        required=Quantity.of(80, "%", ">="),
        measured=Quantity.of(Fraction(16914, 100), "CAD"),
        due=dt.date(2026, 12, 31),
    )
    data = unstructure(finding)
    assert data["required"] == {"number": "80", "unit": "%", "compare": ">="}
    assert data["measured"] == {"number": "169.14", "unit": "CAD"}
    assert data["due"] == "2026-12-31"


def test_the_pre_0_3_form_still_builds_a_finding_and_warns_naming_the_new_form() -> None:
    with pytest.warns(DeprecationWarning) as caught:
        old = Finding(rule="x.y", passed=False, message="m", required=">= 3", reference=("https://a",))
    assert [str(w.message) for w in caught] == [
        "Finding(rule=...) is deprecated; use Finding(check=...)",
        "Finding(passed=...) is deprecated; use Finding(status=...)",
        "Finding(reference=...) is deprecated; use Finding(sources=...)",
        "Finding(required=<str>) is deprecated; pass a corengine.Quantity "
        "(Quantity.of(80, '%', '>='), Quantity.on(date), Quantity.words(text))",
    ]
    assert (old.check, old.status, old.sources, old.required) == ("x.y", "fail", ("https://a",), Quantity(text=">= 3"))
    with pytest.warns(DeprecationWarning, match="use 'pass', 'fail' or 'info'"):
        assert Finding("x", None, "m").status == "info"
    with pytest.warns(DeprecationWarning, match="use Finding.check"):
        assert old.rule == "x.y"
    with pytest.warns(DeprecationWarning, match="use Finding.sources"):
        assert old.reference == ("https://a",)


def test_a_finding_refuses_an_unknown_status_and_keyword() -> None:
    with pytest.raises(ValueError, match="status must be one of 'pass', 'fail', 'advisory', 'info', not 'failed'"):
        Finding(check="x", status="failed", message="m")
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        Finding(check="x", status="pass", message="m", passd=True)


def test_scenario_matchers_refuse_a_misspelt_key_and_translate_legacy_keys() -> None:
    with pytest.raises(ScenarioError, match="unknown finding key 'stauts' \\(did you mean 'status'\\?\\)"):
        matcher({"check": "x", "stauts": "pass"})
    with pytest.warns(DeprecationWarning, match="scenario finding key 'rule' is deprecated; use 'check'"):
        assert matcher({"rule": "x"}) == {"check": "x"}
    with pytest.warns(DeprecationWarning, match="use 'status'"):
        assert matcher({"passed": False}) == {"status": "fail"}
    row = finding_row(Finding(check="x", status="fail", message="the m", required=Quantity.of(19, "interviews", ">=")))
    assert matches(row, {"required": ">= 19 interviews"})
    assert matches(row, {"required": ">= 19"})
    assert matches(row, {"required": {"number": "19", "compare": ">="}})
    assert not matches(row, {"required": ">= 18"})
    assert matches(row, {"message": "the"}) and not matches(row, {"message": "other"})
