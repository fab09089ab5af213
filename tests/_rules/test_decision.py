"""The one decision path (``corengine._rules.decision``): each step after the plugins' decision, tested on its
own with hooks that record what they were given."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from corengine._rules.decision import DecisionHooks, conclude, decide_audit, sampling_achieved
from corengine.model import Audit, AuditScore, Outcome, ResolvedStandard, SamplePlan, Standard
from corengine.model.findings import Finding, Quantity
from corengine.model.vocabulary import CORE_PLUGIN
from tests.helpers import EXAMPLES, bundled_engine

ENGINE = bundled_engine()
LOADED = ENGINE.load_audit(EXAMPLES / "alberta-acsa-cor-certification-pass.yaml")
RESOLVED = ENGINE.resolve(LOADED.audit.standard)
AUDIT = LOADED.audit  # 48 workers, 6 sites; 20 interviews, 3 sites visited


def finding(check: str, status: str, **more: Any) -> Finding:
    return Finding(check=check, status=status, message=f"{check} {status}", **more)  # type: ignore[arg-type]


PASSED = Outcome(
    passed=True,
    certificate="COR",
    reasons=(finding("overall_minimum", "pass"),),
    certificate_months=36,
    valid_until=dt.date(2027, 10, 18),
    rule="certification",
    plugin="alberta",
    program="COR",
)


# --------------------------------------------------------------------------- conclude


def test_nothing_added_leaves_the_outcome_as_decided() -> None:
    assert conclude(PASSED, [], strict=False) is PASSED
    assert conclude(PASSED, [], strict=True) is PASSED  # nothing advisory to make decisive


def test_an_added_failure_withdraws_the_pass_the_certificate_and_its_dates() -> None:
    failed = conclude(PASSED, [finding("sampling.interviews", "fail")], strict=False)
    assert (failed.passed, failed.certificate, failed.certificate_months, failed.valid_until) == (
        False,
        None,
        None,
        None,
    )
    assert [f.check for f in failed.reasons] == ["overall_minimum", "sampling.interviews"]
    assert (failed.rule, failed.plugin, failed.program) == ("certification", "alberta", "COR")


def test_an_added_advisory_or_pass_keeps_the_certificate_and_its_dates() -> None:
    kept = conclude(PASSED, [finding("sampling.sites", "advisory"), finding("x", "pass")], strict=False)
    assert (kept.passed, kept.certificate, kept.certificate_months, kept.valid_until) == (
        True,
        "COR",
        36,
        dt.date(2027, 10, 18),
    )
    assert len(kept.reasons) == 3


def test_strict_makes_an_advisory_of_the_decision_a_failure_that_withdraws_the_certificate() -> None:
    decided = attrs.evolve(PASSED, reasons=(finding("interviews", "advisory"),))
    assert conclude(decided, [], strict=False) is decided
    failed = conclude(decided, [], strict=True)
    assert [f.status for f in failed.reasons] == ["fail"]
    assert (failed.passed, failed.certificate, failed.certificate_months, failed.valid_until) == (
        False,
        None,
        None,
        None,
    )


def test_a_failure_the_decision_already_had_is_not_a_new_one() -> None:
    """A plugin's outcome that kept its certificate despite a failing finding keeps it when only information is
    added: only a failure added after the decision, or made by ``strict``, withdraws it."""
    own = attrs.evolve(PASSED, reasons=(finding("plugin.check", "fail"),))
    kept = conclude(own, [finding("note", "info")], strict=False)
    assert (kept.passed, kept.certificate, kept.certificate_months) == (True, "COR", 36)


# --------------------------------------------------------------------------- sampling achieved


class Planner:
    """A ``plan_sample`` hook that records its arguments and answers a fixed plan."""

    def __init__(self, interviews: int | None = 19, sites: int | None = 3, reasons: tuple[Finding, ...] = ()) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.interviews, self.sites, self.reasons = interviews, sites, reasons

    def __call__(
        self, standard: Standard, workers: int, sites: int | None, on: dt.date, program: str | None
    ) -> SamplePlan:
        self.calls.append((standard.id, workers, sites, on, program))
        return SamplePlan(standard.id, workers, sites, self.interviews, self.sites, None, self.reasons)


def test_the_planner_is_asked_for_the_employer_the_date_and_the_program() -> None:
    planner = Planner()
    found = sampling_achieved(RESOLVED, AUDIT, False, planner)
    assert planner.calls == [("ab-acsa-cor", 48, 6, dt.date(2024, 10, 18), "COR")]
    assert [(f.check, f.status, f.message) for f in found] == [
        ("sampling.interviews", "pass", "interviews: 20, meeting the minimum of 19 for this employer"),
        ("sampling.sites", "pass", "sites visited: 3, meeting the minimum of 3 for this employer"),
    ]
    assert found[0].required == Quantity.of(19, "interviews", ">=") and found[0].measured == Quantity.of(
        20, "interviews"
    )


def test_counts_come_from_the_named_sites_when_no_number_is_given() -> None:
    audit = attrs.evolve(
        AUDIT,
        sites_visited=None,
        worksites_visited=("North", "South"),
        employer=attrs.evolve(AUDIT.employer, sites=None, worksites=("North", "South", "East", "West", "Yard")),
    )
    planner = Planner()
    found = sampling_achieved(RESOLVED, audit, False, planner)
    assert planner.calls[0][2] == 5  # five named work sites
    assert found[1].measured == Quantity.of(2, "sites")  # two named sites visited


def test_no_sites_given_or_named_asks_for_none() -> None:
    audit = attrs.evolve(AUDIT, employer=attrs.evolve(AUDIT.employer, sites=None, worksites=()))
    planner = Planner()
    sampling_achieved(RESOLVED, audit, False, planner)
    assert planner.calls[0][2] is None


NO_INTERVIEWS = ("sampling.interviews", "info")
NO_SITES = ("sampling.sites", "info")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"interviews_conducted": None, "sites_visited": None}, [NO_INTERVIEWS, NO_SITES]),
        ({"interviews_conducted": None}, [NO_INTERVIEWS, ("sampling.sites", "pass")]),  # the sites still checked
        ({"sites_visited": None}, [("sampling.interviews", "pass"), NO_SITES]),
        ({}, [("sampling.interviews", "pass"), ("sampling.sites", "pass")]),
    ],
)
def test_a_count_the_audit_does_not_report_is_an_info_finding(
    changes: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    planner = Planner()
    found = sampling_achieved(RESOLVED, attrs.evolve(AUDIT, **changes), False, planner)
    assert [(f.check, f.status) for f in found] == expected
    assert len(planner.calls) == 1


def test_a_count_not_given_says_what_was_not_checked_and_the_minimum() -> None:
    audit = attrs.evolve(AUDIT, interviews_conducted=None, sites_visited=None)
    found = sampling_achieved(RESOLVED, audit, False, Planner())
    assert [(f.message, f.required, f.measured) for f in found] == [
        (
            "interviews: not checked: no interviews_conducted given (the minimum for this employer is 19)",
            Quantity.of(19, "interviews", ">="),
            None,
        ),
        (
            "sites visited: not checked: no sites_visited or worksites_visited given (the minimum for this "
            "employer is 3)",
            Quantity.of(3, "sites", ">="),
            None,
        ),
    ]


def test_no_workers_means_no_minimum_to_look_up_and_says_so() -> None:
    audit = attrs.evolve(AUDIT, employer=attrs.evolve(AUDIT.employer, workers=None))
    planner = Planner()
    found = sampling_achieved(RESOLVED, audit, False, planner)
    assert planner.calls == []
    assert [(f.check, f.status, f.message) for f in found] == [
        ("sampling.interviews", "info", "the minimum interviews are not checked: no employer.workers given"),
        ("sampling.sites", "info", "the minimum sites to visit are not checked: no employer.workers given"),
    ]


def test_a_plan_that_sets_no_minimum_checks_nothing_and_no_plan_checks_nothing() -> None:
    assert sampling_achieved(RESOLVED, AUDIT, False, Planner(interviews=None, sites=None)) == []
    assert sampling_achieved(RESOLVED, AUDIT, False, lambda *args: None) == []


def test_without_a_basis_the_finding_names_the_standards_plugin_and_no_source() -> None:
    found = sampling_achieved(RESOLVED, AUDIT, False, Planner(interviews=25))
    short = found[0]
    assert (short.status, short.confidence, short.sources, short.reading, short.rule_version) == (
        "fail",
        None,
        (),
        "",
        None,
    )
    assert short.plugin == RESOLVED.source.plugin == "alberta"


def test_a_low_confidence_basis_gives_an_advisory_unless_strict_and_carries_its_provenance() -> None:
    basis = finding(
        "sampling.interviews",
        "info",
        confidence="L",
        sources=("https://example.org/table",),
        reading="interpolated between rows",
        plugin="some-partner",
        rule_version=dt.date(2020, 1, 1),
    )
    planner = Planner(interviews=25, reasons=(basis,))
    lenient = sampling_achieved(RESOLVED, AUDIT, False, planner)[0]
    assert (lenient.status, lenient.confidence) == ("advisory", "L")
    assert (lenient.sources, lenient.reading, lenient.plugin, lenient.rule_version) == (
        ("https://example.org/table",),
        "interpolated between rows",
        "some-partner",
        dt.date(2020, 1, 1),
    )
    assert sampling_achieved(RESOLVED, AUDIT, True, planner)[0].status == "fail"


def test_a_basis_from_the_core_names_the_standards_plugin() -> None:
    basis = finding("sampling.interviews", "info", plugin=CORE_PLUGIN)
    found = sampling_achieved(RESOLVED, AUDIT, False, Planner(reasons=(basis,)))
    assert found[0].plugin == "alberta"


# --------------------------------------------------------------------------- the whole path


def test_every_step_gets_strict_and_the_outcome_records_it() -> None:
    seen: dict[str, Any] = {}

    def decide(resolved: ResolvedStandard, audit: Audit, score: Any, strict: bool, rules_on: dt.date) -> Outcome:
        seen["decide"] = strict
        return PASSED

    def review(
        resolved: ResolvedStandard, audit: Audit, outcome: Outcome, strict: bool, rules_on: dt.date
    ) -> list[Finding]:
        seen["review"] = strict
        return [finding("review.note", "advisory")]

    low = finding("sampling.interviews", "info", confidence="L")
    hooks = DecisionHooks(decide, review, Planner(interviews=25, reasons=(low,)))
    lenient = decide_audit(RESOLVED, AUDIT, AuditScore("ab-acsa-cor", "1", "COR", ()), False, hooks)
    assert seen == {"decide": False, "review": False}
    assert (lenient.passed, lenient.strict) == (True, False)
    assert [(f.check, f.status) for f in lenient.reasons][:3] == [
        ("overall_minimum", "pass"),
        ("review.note", "advisory"),
        ("sampling.interviews", "advisory"),
    ]
    strict = decide_audit(RESOLVED, AUDIT, AuditScore("ab-acsa-cor", "1", "COR", ()), True, hooks)
    assert seen == {"decide": True, "review": True}
    assert (strict.passed, strict.certificate, strict.strict) == (False, None, True)
    assert [f.status for f in strict.reasons][:3] == ["pass", "fail", "fail"]


def test_an_audit_judged_under_the_rules_of_another_date_records_the_versions_really_applied() -> None:
    """Step ``restore``: the rules in force on 2024-10-18 applied to an audit of 2020-06-01 are pinned to the
    audit's date to be applied; the findings and the outcome name the versions' real starts."""
    earlier = attrs.evolve(
        LOADED, audit=attrs.evolve(AUDIT, audit_date=dt.date(2020, 6, 1), start_date=dt.date(2020, 5, 20))
    )
    result = ENGINE.score(earlier, rules_on=dt.date(2024, 10, 18))
    assert (result.outcome.rule, result.outcome.rule_version) == ("certification", dt.date(2023, 1, 1))
    assert {f.rule_version for f in result.outcome.reasons} == {dt.date(2000, 1, 1), dt.date(2023, 1, 1)}
    assert ENGINE.score(earlier).outcome.rule_version == dt.date(2020, 3, 17)  # its own date's rules
