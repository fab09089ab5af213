"""The audit's certificate history (the facts action plans depend on) and the equivalency answer: structure,
validation and the core's generic parts (the provinces' values are plugin data, tested in the plugins)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from corengine import Engine, hookimpl
from corengine.errors import InputError
from corengine.model import AuditHistory, EligibilityRequest, Equivalency, FieldError, Jurisdiction
from corengine.model.converter import structure
from tests.helpers import StandardsPlugin, basic_audit, make_engine, run


def test_history_structures_into_a_typed_record() -> None:
    data = basic_audit() | {
        "history": {"last_recertification_percent": "85.5", "full_cycles_completed": 2, "good_standing": True}
    }
    audit = make_engine().audit_from_data(data).audit
    assert audit.history == AuditHistory(
        good_standing=True, last_recertification_percent=Fraction(171, 2), full_cycles_completed=2
    )


def test_an_audit_without_history_has_none() -> None:
    assert make_engine().audit_from_data(basic_audit()).audit.history is None


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ({"last_recertification_percent": 101}, "history.last_recertification_percent: must be a percentage"),
        ({"full_cycles_completed": -1}, "history.full_cycles_completed: must be >= 0"),
        ({"certification_instrument_year": 23}, "history.certification_instrument_year: must be a year"),
        ({"good_standing": "yes"}, "history.good_standing"),
        ({"good_standin": True}, "did you mean 'good_standing'?"),
        (
            {"previous_year_action_plan": False, "previous_action_plan_percent": 85},
            "history.previous_action_plan_percent: gives last year's action plan score",
        ),
    ],
)
def test_bad_history_values_are_refused_with_their_path(history: dict[str, object], message: str) -> None:
    with pytest.raises(InputError) as caught:
        make_engine().audit_from_data(basic_audit() | {"history": history})
    assert message in str(caught.value)


def test_eligibility_certifications_are_checked_against_the_known_list() -> None:
    request = structure({"province": "AB", "certifications": ["ISO45001", "CSA-Z1000"]}, EligibilityRequest, "x")
    assert request.certifications == ("ISO45001", "CSA-Z1000")
    with pytest.raises(InputError, match="certifications: must be one of ISO45001, CSA-Z45001, CSA-Z1000"):
        structure({"province": "AB", "certifications": ["ISO9001"]}, EligibilityRequest, "x")


def test_an_equivalency_statement_needs_known_certifications_and_a_treatment() -> None:
    with pytest.raises(FieldError, match="must be one of route, information, not-accepted") as caught:
        Equivalency(("ISO45001",), "maybe", "text", ("https://example.org",), "H")
    assert caught.value.field == "treatment"
    with pytest.raises(FieldError, match="must be one of ISO45001") as caught:
        Equivalency(("OHSAS18001",), "route", "text", ("https://example.org",), "H")
    assert caught.value.field == "certifications"


class Province:
    name = "yy"

    def __init__(self, jurisdiction: Jurisdiction) -> None:
        self.jurisdiction = jurisdiction

    @hookimpl
    def corengine_register_jurisdictions(self) -> list[Jurisdiction]:
        return [self.jurisdiction]


def engine_with(*equivalency: Equivalency) -> Engine:
    province = Province(Jurisdiction(code="YY", name="Test", equivalency=equivalency))
    return Engine(plugins=[StandardsPlugin(), province], load_entrypoints=False, environ={})


def test_each_statement_names_the_certifications_held_that_it_covers() -> None:
    route = Equivalency(
        ("ISO45001", "CSA-Z45001"), "route", "a route to COR", ("https://example.org/route",), "H", program="COR"
    )
    later = Equivalency(
        ("CSA-Z1000",), "information", "later", ("https://example.org",), "M", start=dt.date(2030, 1, 1)
    )
    request = EligibilityRequest("yy", certifications=("CSA-Z45001", "CSA-Z1000"), on=dt.date(2025, 1, 1))
    found = engine_with(route, later).eligibility(request)
    assert [(f.check, f.status, str(f.measured), f.subject, f.plugin) for f in found] == [
        ("eligibility.equivalency.route", "info", "CSA-Z45001", "COR", "yy"),
        ("eligibility.equivalency.unknown", "info", "CSA-Z1000", "", "yy"),
    ]
    assert found[0].message == "CSA-Z45001: a route to COR"
    assert str(found[0].required) == "ISO45001 or CSA-Z45001"
    assert found[1].message.startswith("CSA-Z1000: YY's data says nothing about this certification")


def test_no_certification_gives_no_equivalency_finding() -> None:
    route = Equivalency(("ISO45001",), "route", "a route", ("https://example.org",), "H")
    found = engine_with(route).eligibility(EligibilityRequest("yy", employees=5))
    assert not [f for f in found if f.check.startswith("eligibility.equivalency")]


def test_the_cli_repeats_certification_and_refuses_an_unknown_one() -> None:
    bad = run("eligibility", "--province", "AB", "--certification", "ISO9001")
    assert bad.exit_code == 2
    assert "ISO9001" in bad.stderr
