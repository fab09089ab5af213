"""Eligibility and sampling from a jurisdiction's and a standard's data (the core's defaults)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from corengine import Engine, hookimpl
from corengine.errors import UnknownStandardError
from corengine.model import EligibilityRequest, Jurisdiction
from corengine.model.converter import load_file
from corengine.model.findings import Quantity
from tests.helpers import DATA, StandardsPlugin, basic_audit


class ZZ:
    name = "zz"

    @hookimpl
    def corengine_register_jurisdictions(self) -> list[Jurisdiction]:
        return [load_file(DATA / "jurisdiction-zz.yaml", Jurisdiction)]


@pytest.fixture
def engine() -> Engine:
    return Engine(plugins=[StandardsPlugin(), ZZ()], load_entrypoints=False, environ={})


def programs(engine: Engine, **kwargs: object) -> list[str]:
    findings = engine.eligibility(EligibilityRequest("zz", on=dt.date(2024, 1, 1), **kwargs))  # type: ignore[arg-type]
    return [f.subject for f in findings if f.check == "eligibility.size" and f.passed]


@pytest.mark.parametrize(
    ("hours", "expected"),
    [(41600, ["Large"]), (41599, ["Small"]), (40560, ["Small"]), (0, ["Small"])],
)
def test_fte_from_payroll_hours_with_an_exclusive_bound(engine: Engine, hours: int, expected: list[str]) -> None:
    assert programs(engine, payroll_hours=hours) == expected


def test_the_fte_derivation_is_explained(engine: Engine) -> None:
    findings = engine.eligibility(EligibilityRequest("ZZ", payroll_hours=40560, on=dt.date(2024, 1, 1)))
    small = next(f for f in findings if f.subject == "Small")
    assert small.message == (
        "Small is for below 20 FTE: 40560 payroll hours / 2080 = 19.5 FTE qualifies. 19.99 FTE is Small"
    )
    assert (small.plugin, small.sources, small.confidence) == ("zz", ("https://example.org/sizes",), "H")
    assert findings[0].message == "Test province has no SECOR."


def test_records_months_are_read_from_the_baseline_certification_rule(engine: Engine) -> None:
    findings = engine.eligibility(EligibilityRequest("ZZ", fte=Fraction(25), records_months=2, on=dt.date(2024, 1, 1)))
    records = [f for f in findings if f.check == "certification.records"]
    assert [(f.passed, f.message) for f in records] == [
        (False, "Large: 2 months of records are too few for a certification audit (at least 3 needed)")
    ]
    findings = engine.eligibility(EligibilityRequest("ZZ", fte=Fraction(25), records_months=5, on=dt.date(2024, 1, 1)))
    assert [f.message for f in findings if f.check == "certification.records"] == [
        "Large: 5 months of records allow a certification audit for Certificate (1 year) (needs 3)"
    ]


def test_an_uncovered_province_is_a_clear_error(engine: Engine) -> None:
    with pytest.raises(UnknownStandardError) as info:
        engine.eligibility(EligibilityRequest("QC", employees=3))
    assert str(info.value) == "no installed plugin covers province 'QC' (covered: ZZ)"


@pytest.mark.parametrize(
    ("workers", "interviews", "confidence"),
    [(1, 1, "M"), (4, 4, "M"), (5, 4, "M"), (6, 5, "L"), (50, 19, "M"), (51, 20, "L"), (500, 60, "M"), (551, 60, "L")],
)
def test_interviews_interpolate_between_published_points(
    engine: Engine, workers: int, interviews: int, confidence: str
) -> None:
    plan = engine.sample("test-basic", workers, on=dt.date(2024, 1, 1))
    assert plan.interviews_minimum == interviews
    assert plan.reasons[0].confidence == confidence
    assert plan.questionnaires_maximum == interviews // 2


@pytest.mark.parametrize(("sites", "minimum"), [(2, 2), (3, 1), (9, 3), (30, 10), (31, None)])
def test_site_rows(engine: Engine, sites: int, minimum: int | None) -> None:
    assert engine.sample("test-basic", 10, sites, dt.date(2024, 1, 1)).sites_minimum == minimum


def test_a_standard_without_tables_has_no_sample_plan(tmp_path: Path) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text('id: plain\ntitle: Plain\nversion: "1"\njurisdiction: ZZ\nprograms: [COR]\n')
    engine = Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})
    with pytest.raises(UnknownStandardError) as info:
        engine.sample("plain", 10)
    assert str(info.value) == "plain publishes no sampling table and no plugin plans its samples"


def test_sampling_achieved_is_checked_against_the_plan(engine: Engine) -> None:

    data = basic_audit()
    data.update(interviews_conducted=15, sites_visited=1)
    result = engine.score(engine.audit_from_data(data))
    findings = {f.check: f for f in result.outcome.reasons}
    interviews = findings["sampling.interviews"]
    # The test table's row is interpolated (confidence L): a shortfall is an advisory, decisive with strict.
    assert (interviews.status, interviews.confidence, interviews.message) == (
        "advisory",
        "L",
        "interviews: 15, under the minimum of 16 for this employer",
    )
    assert (interviews.required, interviews.measured) == (
        Quantity.of(16, "interviews", ">="),
        Quantity.of(15, "interviews"),
    )
    sites = findings["sampling.sites"]
    assert (sites.status, str(sites.required), str(sites.measured)) == ("pass", ">= 1 sites", "1 sites")
    strict = engine.score(engine.audit_from_data(data), strict=True)
    assert strict.outcome.passed is False
    assert {f.check: f.status for f in strict.outcome.reasons}["sampling.interviews"] == "fail"
