"""Certification cycles as data: the audits each year requires, deadlines "in month N" and "before month N",
and the confidence policy. The standard (``tests/data/standards/test-cycle.yaml``) is test data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from corengine import Engine
from corengine._cli.main import cli
from corengine._rules.cycle import check_cycle, deadline_of
from corengine.errors import InputError
from corengine.model import CertificationCycle, CycleAudit, CycleYear, Result
from corengine.model.converter import structure
from tests.helpers import DATA, EXAMPLES, StandardsPlugin, headline

CYCLE_STANDARD = DATA / "standards" / "test-cycle.yaml"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(plugins=[StandardsPlugin(CYCLE_STANDARD)], load_entrypoints=False, environ={})


def scored(engine: Engine, date: str, audit_type: str, kind: str, points: int = 10) -> Result:
    data = {
        "standard": "test-cycle",
        "audit_type": audit_type,
        "audit_date": date,
        "employer": {"name": "Test Co"},
        "auditor": {"name": "A. Auditor", "kind": kind},
        "responses": {"1.1": {"points": points}},
    }
    return engine.score(engine.audit_from_data(data))


def year_two(engine: Engine, independent: str = "2026-02-28", points: int = 10) -> list[Result]:
    """The certification of 15 March 2024, then year 2's three audits."""
    return [
        scored(engine, "2024-03-15", "certification", "external"),
        scored(engine, "2025-06-02", "self-assessment", "self-assessor"),
        scored(engine, "2025-09-01", "maintenance", "internal"),
        scored(engine, independent, "maintenance", "external", points),
    ]


def states(results: list[Result], on: str, strict: bool = False) -> list[tuple[str, str, str, str]]:
    cycle = check_cycle(results, dt.date.fromisoformat(on), strict)
    by_subject = {f.subject: f.status for f in cycle.findings}
    return [(d.subject, d.due.isoformat(), d.state, by_subject[d.subject]) for d in cycle.deadlines]


def test_a_year_needs_every_audit_it_lists_each_passed(engine: Engine) -> None:
    results = year_two(engine)
    assert states(results, "2026-03-15") == [
        ("self-audit", "2026-02-28", "met", "pass"),
        ("partner's audit", "2026-02-28", "met", "pass"),
        ("independent audit", "2026-02-28", "met", "pass"),
        ("maintenance", "2027-03-31", "upcoming", "info"),
    ]
    assert check_cycle(results, dt.date(2026, 3, 15)).complete is True
    without_partner = [r for r in results if r.audit.auditor.kind != "internal"]
    assert states(without_partner, "2026-03-15")[1] == ("partner's audit", "2026-02-28", "missed", "fail")
    assert check_cycle(without_partner, dt.date(2026, 3, 15)).complete is False


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (  # after the self-audit only: the two maintenance audits of 2025-09-01 and 2026-02-28 have not happened
            "2025-07-01",
            [
                ("self-audit", "2026-02-28", "met", "pass"),
                ("partner's audit", "2026-02-28", "due", "info"),
                ("independent audit", "2026-02-28", "due", "info"),
                ("maintenance", "2027-03-31", "upcoming", "info"),
            ],
        ),
        (  # after the partner's audit, before the independent one
            "2025-10-01",
            [
                ("self-audit", "2026-02-28", "met", "pass"),
                ("partner's audit", "2026-02-28", "met", "pass"),
                ("independent audit", "2026-02-28", "due", "info"),
                ("maintenance", "2027-03-31", "upcoming", "info"),
            ],
        ),
        (  # the day of the last audit: it has happened
            "2026-02-28",
            [
                ("self-audit", "2026-02-28", "met", "pass"),
                ("partner's audit", "2026-02-28", "met", "pass"),
                ("independent audit", "2026-02-28", "met", "pass"),
                ("maintenance", "2027-03-31", "upcoming", "info"),
            ],
        ),
        (  # long after: year 3's maintenance was never done
            "2027-04-01",
            [
                ("self-audit", "2026-02-28", "met", "pass"),
                ("partner's audit", "2026-02-28", "met", "pass"),
                ("independent audit", "2026-02-28", "met", "pass"),
                ("maintenance", "2027-03-31", "missed", "advisory"),
            ],
        ),
    ],
)
def test_an_audit_after_the_date_asked_about_has_not_happened_yet(
    engine: Engine, on: str, expected: list[tuple[str, str, str, str]]
) -> None:
    assert states(year_two(engine), on) == expected


def test_the_audits_after_the_date_are_counted_out_in_the_certificate_finding(engine: Engine) -> None:
    cycle = check_cycle(year_two(engine), dt.date(2025, 7, 1))
    assert (cycle.certificate, cycle.complete, cycle.findings[0].message) == (
        "Test COR (3 years)",
        True,
        "Test COR (3 years) from the certification audit of 2024-03-15, valid until 2027-05-15; 2 audit(s) in the "
        "cycle; 2 audit(s) dated after 2025-07-01 not counted (not done yet on that date)",
    )


def test_before_the_certifying_audit_no_cycle_is_open(engine: Engine) -> None:
    cycle = check_cycle(year_two(engine), dt.date(2024, 3, 14))
    assert (cycle.certificate, cycle.valid_until, cycle.complete, cycle.deadlines) == (None, None, False, ())
    assert [(f.check, f.status, f.message) for f in cycle.findings] == [
        (
            "cycle.certificate",
            "fail",
            "none of the audits done by 2024-03-14 granted a certificate, so no cycle is open on that date; "
            "4 audit(s) dated after 2024-03-14 not counted (not done yet on that date)",
        )
    ]
    assert check_cycle(year_two(engine), dt.date(2024, 3, 15)).certificate == "Test COR (3 years)"


@pytest.mark.parametrize(
    ("on", "code", "head"),
    [
        ("2025-01-01", 1, "No cycle open"),  # the certification audit of 2025-10-17 has not happened yet
        ("2025-10-16", 1, "No cycle open"),
        ("2025-10-17", 0, "Cycle on track on 2025-10-17: 2 met, 1 due, 2 upcoming"),
        ("2027-06-01", 1, "Cancelled on 2027-06-01: Large COR (3 years) (maintenance by 2026-12-31 missed): 1 missed"),
    ],
)
def test_the_cycle_command_counts_no_audit_after_on(on: str, code: int, head: str) -> None:
    example = EXAMPLES / "bc-large-certification.yaml"
    result = CliRunner().invoke(cli, ["cycle", str(example), "--on", on, "--check"])
    assert (result.exit_code, headline(result.output)) == (code, head), result.output


def test_an_audit_by_the_wrong_kind_of_auditor_does_not_count(engine: Engine) -> None:
    results = year_two(engine)
    results[2] = scored(engine, "2025-09-01", "maintenance", "candidate")
    assert states(results, "2026-03-15")[1] == ("partner's audit", "2026-02-28", "missed", "fail")


def test_a_failed_audit_fails_its_requirement(engine: Engine) -> None:
    results = year_two(engine, points=0)
    cycle = check_cycle(results, dt.date(2026, 3, 15))
    finding = next(f for f in cycle.findings if f.subject == "independent audit")
    assert (finding.status, finding.message) == (
        "fail",
        "the independent audit of 2026-02-28 failed: the certificate is cancelled",
    )


def test_before_month_n_ends_on_the_last_day_of_the_month_before(engine: Engine) -> None:
    on_time = states(year_two(engine, "2026-02-28"), "2026-03-15")[2]
    late = states(year_two(engine, "2026-03-01"), "2026-03-15")[2]
    assert (on_time, late) == (
        ("independent audit", "2026-02-28", "met", "pass"),
        ("independent audit", "2026-02-28", "missed", "fail"),
    )
    missed = check_cycle(year_two(engine, "2026-03-01"), dt.date(2026, 3, 15)).findings[3]
    assert (missed.message, missed.confidence, missed.reading, missed.sources) == (
        "no independent audit by 2026-02-28: a missed independent audit cancels the certificate",
        "M",
        "year 2 of the cycle: due before month 24 after the certifying audit, so by 2026-02-28",
        ("https://example.org/test-cycle",),
    )


def test_in_month_n_allows_the_whole_month_and_an_l_deadline_is_only_an_advisory(engine: Engine) -> None:
    base = year_two(engine)
    last_day = [*base, scored(engine, "2027-03-31", "maintenance", "internal")]
    next_day = [*base, scored(engine, "2027-04-01", "maintenance", "internal")]
    assert states(last_day, "2027-04-02")[3] == ("maintenance", "2027-03-31", "met", "pass")
    assert states(next_day, "2027-04-02")[3] == ("maintenance", "2027-03-31", "missed", "advisory")
    assert check_cycle(next_day, dt.date(2027, 4, 2)).complete is True
    assert states(next_day, "2027-04-02", strict=True)[3] == ("maintenance", "2027-03-31", "missed", "fail")
    assert check_cycle(next_day, dt.date(2027, 4, 2), strict=True).complete is False


def test_the_cycle_command_makes_l_deadlines_decisive_with_strict(engine: Engine, tmp_path: Path) -> None:
    import yaml

    paths = []
    for date, audit_type, kind in (
        ("2024-03-15", "certification", "external"),
        ("2025-06-02", "self-assessment", "self-assessor"),
        ("2025-09-01", "maintenance", "internal"),
        ("2026-02-28", "maintenance", "external"),
    ):
        path = tmp_path / f"{date}.yaml"
        data = {
            "standard": "test-cycle",
            "audit_type": audit_type,
            "audit_date": date,
            "employer": {"name": "Test Co"},
            "auditor": {"name": "A. Auditor", "kind": kind},
            "responses": {"1.1": {"points": 10}},
        }
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        paths.append(str(path))
    args = ["cycle", "--standard-file", str(CYCLE_STANDARD), *paths, "--on", "2027-04-02", "--check"]
    lenient = CliRunner().invoke(cli, args, env={"CORENGINE_DISABLE_PLUGINS": "alberta,ontario,bc"})
    strict = CliRunner().invoke(cli, [*args, "--strict"], env={"CORENGINE_DISABLE_PLUGINS": "alberta,ontario,bc"})
    assert (lenient.exit_code, strict.exit_code) == (0, 1), lenient.output + strict.output
    assert lenient.output.splitlines()[0] == "Cycle on track on 2027-04-02: 3 met, 1 missed"
    assert headline(strict.output) == (
        "Cancelled on 2027-04-02: Test COR (3 years) (maintenance by 2027-03-31 missed): 3 met, 1 missed"
    )


@pytest.mark.parametrize(
    ("counted_from", "year", "expected"),
    [
        ("audit", CycleYear(2, (CycleAudit(("maintenance",)),), in_month=24), ("2026-03-31", "2025-04-01")),
        ("audit", CycleYear(2, (CycleAudit(("maintenance",)),), before_month=24), ("2026-02-28", "2025-03-01")),
        ("audit", CycleYear(1, (CycleAudit(("certification",)),), in_month=0), ("2024-03-31", "2023-04-01")),
        ("calendar-year", CycleYear(2, (CycleAudit(("maintenance",)),), in_month=12), ("2025-12-31", "2025-01-01")),
        ("calendar-year", CycleYear(3, (CycleAudit(("maintenance",)),), before_month=7), ("2026-06-30", "2026-01-01")),
    ],
)
def test_deadlines_by_how_the_cycle_counts(counted_from: str, year: CycleYear, expected: tuple[str, str]) -> None:
    cycle = CertificationCycle((year,), counted_from)
    due, opens = deadline_of(cycle, year, dt.date(2024, 3, 15))
    assert (due.isoformat(), opens.isoformat()) == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"years": [{"year": 2, "audits": [{"audit_types": ["maintenance"]}], "in_month": 12, "before_month": 12}]},
            "c.yaml: years[0].in_month: give either in_month or before_month, not both or neither",
        ),
        (
            {
                "counted_from": "calendar-year",
                "years": [{"year": 2, "audits": [{"audit_types": ["x"]}], "in_month": 13}],
            },
            "c.yaml: years: year 2: a calendar year's months run from 1 to 12 (before_month from 2), not 13",
        ),
        (
            {"years": [{"year": 2, "audits": [{"audit_types": ["x"], "auditors": ["partner"]}], "in_month": 12}]},
            "c.yaml: years[0].audits[0].auditors: must be one of external, internal, candidate, self-assessor, "
            "not 'partner'",
        ),
    ],
)
def test_bad_cycle_data_is_reported_by_path(data: dict[str, object], message: str) -> None:
    with pytest.raises(InputError) as caught:
        structure(data, CertificationCycle, "c.yaml")
    assert [str(p) for p in caught.value.problems] == [message]
