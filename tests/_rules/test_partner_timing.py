"""Each certifying partner's own maintenance and recertification timing, as dated plugin data
(``partner_cycles`` in ab-pir.yaml and bc-bccsa-cor.yaml), and the lapse of a certificate past its last valid day.

Sources, as the data cites them:
- ESC: "The timing for annual maintenance audits is based on the month of the expiry date" and "1 Year COR: The
  month of the expiry date is used to determine the timing to complete a recertification audit" (H)
  https://www.energysafetycanada.com/COR/CORSECOR/Maintaining-A-COR
- ACSA: complete the maintenance audit by your certificate date (M) https://www.youracsa.ca/cor-secor/cor-action-plans/
- AMHSA: a maintenance audit in each of the next 2 calendar years, submitted by 1 December (M)
  https://www.amhsa.net/cor-auditing/about-pir-cor/certificate-of-recognition/
- AMTA SECOR: within the calendar year (M) https://amta.ca/secor; ASC SECOR: on or before the anniversary (M)
  https://www.safetycouncil.ab.ca/secor-holders
- SafetyDriven: at least 6 months between audits (M)
  https://www.safetydriven.ca/2017/04/07/the-audit-cycle-keeping-your-cor/ ; BCFSC: may slip to 31 December in
  maintenance years (M); WorkSafeBC: on-site work before the end of each calendar year (H)
  https://www.worksafebc.com/en/health-safety/create-manage/certificate-recognition/quality-assurance

AMHSA, AMTA, ASC, SafetyDriven and BCFSC documents are not bundled: each test writes a document that extends a
bundled one and names that partner (the certificate's partner selects its timing).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import corengine_alberta.plugin as alberta
import corengine_bc.plugin as bc
from corengine import Engine
from corengine._cli.main import cli
from corengine._rules.cycle import Cycle, check_cycle
from corengine._rules.standing import standing
from corengine.model import Result
from tests.helpers import EXAMPLES, StandardsPlugin, headline

PARTNERS = {
    # id: (extends, partner, programs)
    "ab-amhsa-test": ("ab-esc-cor", "AMHSA", "[COR]"),
    "ab-ccsa-test": ("ab-esc-cor", "CCSA", "[COR]"),
    "ab-amta-secor-test": ("ab-acsa-secor", "AMTA", "[SECOR]"),
    "ab-asc-secor-test": ("ab-acsa-secor", "ASC", "[SECOR]"),
    "bc-safetydriven-test": ("bc-bccsa-cor", "SafetyDriven", "[Large, Small]"),
    "bc-bcfsc-test": ("bc-bccsa-cor", "BCFSC", "[Large, Small]"),
}


@pytest.fixture(scope="module")
def standards(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("partners")
    paths = []
    for name, (base, partner, programs) in PARTNERS.items():
        path = folder / f"{name}.yaml"
        path.write_text(
            f"id: {name}\ntitle: {partner} test document\nversion: '1'\njurisdiction: AB\nprograms: {programs}\n"
            f"partner: {partner}\nextends: {base}\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def engine(standards: list[Path]) -> Engine:
    return Engine(plugins=[alberta, bc, StandardsPlugin(*standards)], load_entrypoints=False, environ={})


def audit(engine: Engine, example: str, **changes: Any) -> Result:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8"))
    for key in ("start_date", "report_date", "notice_date", "standard_version"):
        data.pop(key, None)
    employer = changes.pop("employer", None)
    if employer:
        data["employer"] = {**data["employer"], **employer}
    data.update(changes)
    return engine.score(engine.audit_from_data(data))


def esc(engine: Engine, standard: str = "ab-esc-cor", **changes: Any) -> Result:
    """ESC's recertification example: 14 March 2025, a COR (3 years) (38 workers, 36 months of records)."""
    return audit(engine, "alberta-esc-cor-recertification.yaml", standard=standard, **changes)


def maintenance(
    engine: Engine, standard: str, date: str, example: str = "alberta-esc-cor-recertification.yaml"
) -> Result:
    result = audit(engine, example, standard=standard, audit_type="maintenance", audit_date=date)
    assert result.outcome.passed, result.outcome.reasons
    return result


def deadlines(cycle: Cycle) -> list[tuple[str, str, str]]:
    return [(d.check, d.due.isoformat(), d.state) for d in cycle.deadlines]


def test_an_amhsa_maintenance_audit_in_november_for_a_march_certificate_is_done(engine: Engine) -> None:
    certificate = esc(engine, "ab-amhsa-test")
    november = maintenance(engine, "ab-amhsa-test", "2026-11-20")
    cycle = check_cycle([certificate, november], dt.date(2027, 1, 10))
    assert deadlines(cycle) == [
        ("cycle.maintenance", "2026-12-01", "met"),
        ("cycle.maintenance", "2027-12-01", "due"),
    ]
    assert (cycle.state, cycle.complete, cycle.valid_until, standing(cycle).state) == (
        "current",
        True,
        dt.date(2028, 3, 14),
        "maintenance due",
    )
    assert cycle.findings[0].reading.startswith("maintenance and recertification timing: AMHSA's own (from 2000-01-01")
    met = cycle.findings[1]
    assert (met.message, met.confidence, met.sources) == (
        "maintenance audit due by 2026-12-01 was passed on 2026-11-20",
        "M",
        ("https://www.amhsa.net/cor-auditing/about-pir-cor/certificate-of-recognition/",),
    )
    assert (
        met.reading
        == "AMHSA's timing: year 2 of the cycle: due in month 12 up to day 1 of the calendar year, so by 2026-12-01"
    )


def test_the_same_audits_under_esc_timing_miss_the_march_deadline_and_cancel(engine: Engine) -> None:
    certificate = esc(engine)
    november = maintenance(engine, "ab-esc-cor", "2026-11-20")
    cycle = check_cycle([certificate, november], dt.date(2027, 1, 10))
    assert deadlines(cycle) == [("cycle.maintenance", "2026-03-31", "missed")]
    assert (cycle.state, cycle.valid_until, cycle.ended, standing(cycle).state) == (
        "cancelled",
        None,
        dt.date(2026, 3, 31),
        "cancelled",
    )
    assert cycle.findings[1].confidence == "H"
    assert cycle.findings[1].sources == ("https://www.energysafetycanada.com/COR/CORSECOR/Maintaining-A-COR",)
    assert [f.message for f in cycle.findings if f.check == "cycle.not_counted"] == [
        "the maintenance audit of 2026-11-20 came after the COR (3 years) was cancelled (deadline 2026-03-31): it "
        "does not restore it"
    ]


def test_a_partner_with_no_timing_keeps_the_provincial_rule_and_says_so(engine: Engine) -> None:
    cycle = check_cycle([esc(engine, "ab-ccsa-test")], dt.date(2025, 6, 1))
    assert deadlines(cycle) == [
        ("cycle.maintenance", "2026-03-31", "due"),
        ("cycle.maintenance", "2027-03-31", "upcoming"),
    ]
    assert cycle.findings[0].reading == (
        "no maintenance timing of CCSA is encoded for the COR (3 years): the provincial rule is used"
    )


def test_acsa_times_maintenance_by_the_certificate_date(engine: Engine) -> None:
    certificate = audit(engine, "alberta-acsa-cor-certification-pass.yaml")  # 2024-10-18
    on_the_day = maintenance(engine, "ab-acsa-cor", "2025-10-18", "alberta-acsa-cor-certification-pass.yaml")
    cycle = check_cycle([certificate, on_the_day], dt.date(2025, 10, 20))
    assert deadlines(cycle) == [
        ("cycle.maintenance", "2025-10-18", "met"),
        ("cycle.maintenance", "2026-10-18", "due"),
    ]
    late = maintenance(engine, "ab-acsa-cor", "2025-10-20", "alberta-acsa-cor-certification-pass.yaml")
    assert deadlines(check_cycle([certificate, late], dt.date(2025, 10, 20)))[0] == (
        "cycle.maintenance",
        "2025-10-18",
        "missed",
    )


@pytest.mark.parametrize(
    ("standard", "expected"),
    [
        (
            "ab-amta-secor-test",
            [("cycle.maintenance", "2025-12-31", "upcoming"), ("cycle.maintenance", "2026-12-31", "upcoming")],
        ),
        (
            "ab-asc-secor-test",
            [("cycle.maintenance", "2025-03-15", "due"), ("cycle.maintenance", "2026-03-15", "upcoming")],
        ),
    ],
)
def test_secor_timing_of_amta_and_asc(engine: Engine, standard: str, expected: list[tuple[str, str, str]]) -> None:
    certificate = audit(engine, "alberta-acsa-secor.yaml", standard=standard)  # 2024-03-15
    assert certificate.outcome.certificate == "SECOR (3 years)"
    assert deadlines(check_cycle([certificate], dt.date(2024, 4, 1))) == expected


def bc_audit(engine: Engine, standard: str, **changes: Any) -> Result:
    return audit(engine, "bc-large-certification.yaml", standard=standard, **changes)  # 2025-10-17


def test_safetydriven_needs_six_months_between_audits(engine: Engine) -> None:
    certificate = bc_audit(engine, "bc-safetydriven-test")
    too_soon = bc_audit(engine, "bc-safetydriven-test", audit_type="maintenance", audit_date="2026-03-20")
    assert too_soon.outcome.passed
    cycle = check_cycle([certificate, too_soon], dt.date(2026, 6, 1))
    assert deadlines(cycle)[:2] == [
        ("cycle.maintenance", "2026-12-31", "due"),
        ("cycle.maintenance", "2027-12-31", "upcoming"),
    ]
    assert [f.message for f in cycle.findings if f.check == "cycle.not_counted"] == [
        "the maintenance audit of 2026-03-20 came too soon after the audit of 2025-10-17: it counts for no year of "
        "the cycle"
    ]
    later = bc_audit(engine, "bc-safetydriven-test", audit_type="maintenance", audit_date="2026-04-17")
    assert deadlines(check_cycle([certificate, later], dt.date(2026, 6, 1)))[0] == (
        "cycle.maintenance",
        "2026-12-31",
        "met",
    )


def test_bcfsc_and_worksafebc_time_maintenance_by_the_calendar_year(engine: Engine) -> None:
    for standard, reading in (
        ("bc-bcfsc-test", "maintenance and recertification timing: BCFSC's own"),
        ("bc-bccsa-cor", "no maintenance timing of BCCSA is encoded for the Large COR (3 years)"),
    ):
        cycle = check_cycle([bc_audit(engine, standard)], dt.date(2026, 1, 5))
        assert deadlines(cycle)[:2] == [
            ("cycle.maintenance", "2026-12-31", "due"),
            ("cycle.maintenance", "2027-12-31", "upcoming"),
        ]
        assert cycle.findings[0].reading.startswith(reading)


def one_year(engine: Engine, standard: str = "ab-esc-cor") -> Result:
    result = esc(engine, standard, employer={"records_months": 6})
    assert result.outcome.certificate == "COR (1 year)"
    return result


def test_an_esc_one_year_cor_is_renewed_by_the_end_of_its_expiry_month(engine: Engine) -> None:
    certificate = one_year(engine)  # 2025-03-14: valid until 2026-03-14
    cycle = check_cycle([certificate], dt.date(2026, 3, 20))
    assert (cycle.state, cycle.valid_until, cycle.renew_by, standing(cycle).state, standing(cycle).by) == (
        "current",
        dt.date(2026, 3, 14),
        dt.date(2026, 3, 31),
        "renewal due",
        dt.date(2026, 3, 31),
    )
    assert cycle.findings[-1].message == (
        "recertification audit due by 2026-03-31 (the month of the expiry date 2026-03-14 sets its timing): the "
        "COR (1 year) is valid until 2026-03-14"
    )
    lapsed = check_cycle([certificate], dt.date(2026, 4, 1))
    assert (lapsed.state, lapsed.valid_until, lapsed.ended, lapsed.complete) == (
        "lapsed",
        None,
        dt.date(2026, 3, 14),
        False,
    )
    # Another partner's 1-year COR is due by its last valid day.
    other = check_cycle([one_year(engine, "ab-ccsa-test")], dt.date(2026, 3, 20))
    assert (other.state, other.ended) == ("lapsed", dt.date(2026, 3, 14))


def test_a_one_year_cor_followed_by_a_maintenance_audit_is_not_complete(engine: Engine) -> None:
    certificate = one_year(engine)
    audit_after = maintenance(engine, "ab-esc-cor", "2026-02-10")
    during = check_cycle([certificate, audit_after], dt.date(2026, 2, 20))
    assert [f.message for f in during.findings if f.check == "cycle.not_counted"] == [
        "the maintenance audit of 2026-02-10 does not maintain or renew the COR (1 year): it has no maintenance "
        "year; a recertification audit is due by 2026-03-31"
    ]
    after = check_cycle([certificate, audit_after], dt.date(2026, 5, 1))
    assert (after.state, after.complete, standing(after).state) == ("lapsed", False, "lapsed")


def test_a_cor_a_month_past_expiry_is_lapsed_and_a_later_maintenance_audit_does_not_renew_it(engine: Engine) -> None:
    certificate = esc(engine, "ab-amhsa-test")
    audits = [
        certificate,
        maintenance(engine, "ab-amhsa-test", "2026-11-20"),
        maintenance(engine, "ab-amhsa-test", "2027-11-20"),
        maintenance(engine, "ab-amhsa-test", "2028-03-20"),
    ]
    cycle = check_cycle(audits, dt.date(2028, 4, 14))
    assert (cycle.state, cycle.valid_until, cycle.ended, cycle.complete) == (
        "lapsed",
        None,
        dt.date(2028, 3, 14),
        False,
    )
    lapse = next(f for f in cycle.findings if f.check == "cycle.recertification")
    assert (lapse.status, lapse.message) == (
        "fail",
        "no recertification audit by 2028-03-14: the COR (3 years) lapsed (valid until 2028-03-14); a maintenance "
        "audit or an action plan never renews an expired certificate",
    )
    assert [f.message for f in cycle.findings if f.check == "cycle.not_counted"] == [
        "the maintenance audit of 2028-03-20 came after the COR (3 years) ended (valid until 2028-03-14): a "
        "maintenance audit or an action plan never renews an expired certificate"
    ]
    assert standing(cycle).state == "lapsed"


def test_the_cycle_command_says_lapsed_in_its_headline_json_and_exit(tmp_path: Path) -> None:
    data = yaml.safe_load((EXAMPLES / "alberta-esc-cor-recertification.yaml").read_text(encoding="utf-8"))
    data["employer"]["records_months"] = 6  # a COR (1 year), valid until 2026-03-14
    path = tmp_path / "one-year.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    args = ["cycle", str(path), "--on", "2026-05-01"]
    text = CliRunner().invoke(cli, [*args, "--check"])
    assert text.exit_code == 1
    assert headline(text.output) == "Lapsed on 2026-05-01: the COR (1 year) was valid until 2026-03-14, not renewed"
    document = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).output)
    assert (document["state"], document["valid_until"], document["ended"], document["complete"]) == (
        "lapsed",
        None,
        "2026-03-14",
        False,
    )
    current = json.loads(CliRunner().invoke(cli, ["cycle", str(path), "--on", "2026-03-20", "--format", "json"]).output)
    assert (current["state"], current["valid_until"], current["renew_by"]) == ("current", "2026-03-14", "2026-03-31")
