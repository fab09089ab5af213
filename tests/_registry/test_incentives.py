"""Incentive eligibility on a date, from the employer's status in the registry: NL's PRIME (good standing on 31
December), Manitoba's Prevention Rebate (the plugin's own six conditions, through
``corengine_incentive_eligibility``), Alberta's PIR refund and BC's COR incentive as far as their data state."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import corengine_manitoba.plugin
import corengine_newfoundland.plugin
from corengine._cli.main import cli
from corengine._host.engine import Engine
from corengine._registry.lifecycle import incentives
from corengine.model.lifecycle import AuditFact, IncentiveQuestion, IncentiveRule
from corengine.model.validators import FieldError
from tests.helpers import BUNDLED_PLUGINS, EXAMPLES

PRIME = "https://nlcsa.com/cor/faq/"
REBATE = "https://www.safemanitoba.com/safe-work-certified/Pages/Prevention-Rebate.aspx"


def _engine() -> Engine:
    plugins = [*BUNDLED_PLUGINS, corengine_newfoundland.plugin, corengine_manitoba.plugin]
    return Engine(plugins=plugins, load_entrypoints=False, environ={})


def _question(
    on: dt.date, jurisdictions: tuple[str, ...], status: str = "good standing", **kw: object
) -> IncentiveQuestion:
    values: dict[str, object] = {
        "employer": "E 1",
        "on": on,
        "jurisdictions": jurisdictions,
        "status": status,
        "current": status in ("good standing", "maintenance due", "renewal due"),
        "certificate": "COR (3 years)",
        "granted": dt.date(2024, 3, 1),
        "valid_until": dt.date(2027, 3, 1),
        "audits": (AuditFact("certification", dt.date(2024, 3, 1), True, "COR (3 years)"),),
    }
    values.update(kw)
    return IncentiveQuestion(**values)  # type: ignore[arg-type]


def _by_id(views: list, wanted: str):  # type: ignore[no-untyped-def]
    (found,) = [view for view in views if view.id == wanted]
    return found


def test_nl_prime_is_judged_on_the_last_31_december_on_or_before_the_date() -> None:
    asked: list[dt.date] = []

    def standing_on(day: dt.date) -> tuple[str, bool]:
        asked.append(day)
        return ("cancelled", False) if day == dt.date(2024, 12, 31) else ("good standing", True)

    views = incentives(_engine(), _question(dt.date(2025, 6, 1), ("NL",)), standing_on)
    prime = _by_id(views, "nl-prime")
    assert (prime.state, prime.judged_on, prime.message, prime.sources, prime.confidence, prime.plugin) == (
        "not eligible",
        dt.date(2024, 12, 31),
        "the certificate is not in good standing on 2024-12-31 (cancelled)",
        (PRIME,),
        "H",
        "newfoundland",
    )
    assert prime.rule == "The PRIME refund needs the employer's COR to be in good standing on 31 December."
    on_the_day = _by_id(incentives(_engine(), _question(dt.date(2025, 12, 31), ("NL",)), standing_on), "nl-prime")
    assert (on_the_day.state, on_the_day.judged_on, on_the_day.message) == (
        "eligible",
        dt.date(2025, 12, 31),
        "current on 2025-12-31 (good standing)",
    )
    assert asked == [dt.date(2024, 12, 31)]  # the date asked about is the question's own standing
    elsewhere = _by_id(incentives(_engine(), _question(dt.date(2025, 12, 31), ("AB",)), standing_on), "nl-prime")
    assert (elsewhere.state, elsewhere.applies, elsewhere.message) == (
        "not eligible",
        False,
        "no certificate in force on 2025-12-31 from a partner of NL",
    )


def test_the_manitoba_rebate_reuses_the_plugins_six_conditions() -> None:
    def never(day: dt.date) -> tuple[str, bool]:
        raise AssertionError(day)

    rebate = _by_id(incentives(_engine(), _question(dt.date(2025, 6, 1), ("MB",)), never), "mb-rebate")
    assert (rebate.state, rebate.plugin, rebate.jurisdiction, rebate.applies, rebate.sources) == (
        "cannot tell",
        "manitoba",
        "MB",
        True,
        (REBATE,),
    )
    assert rebate.message == (
        "current on 2025-06-01 (good standing); the registry does not record: the employer is not under review "
        "(--not-under-review); a maintenance or recertification audit has been submitted (--audit-submitted); the "
        "12-month eligibility period from the anniversary is complete (--period-complete); no administrative "
        "penalties or convictions (--no-penalties); an active WCB account (--active-account); payroll reported "
        "(--payroll-reported)"
    )
    maintained = _question(
        dt.date(2025, 6, 1),
        ("MB",),
        audits=(
            AuditFact("certification", dt.date(2024, 3, 1), True, "COR (3 years)"),
            AuditFact("maintenance", dt.date(2025, 2, 1), True, None),
        ),
    )
    stated = _by_id(incentives(_engine(), maintained, never), "mb-rebate")
    assert "--audit-submitted" not in stated.message and stated.state == "cannot tell"
    lapsed = _by_id(incentives(_engine(), _question(dt.date(2027, 6, 1), ("MB",), "lapsed"), never), "mb-rebate")
    assert (lapsed.state, lapsed.message) == (
        "not eligible",
        "the certificate is not in good standing on 2027-06-01 (lapsed); the rebate is for a COR or SAFE Work "
        "Certified employer",
    )


def test_status_lists_alberta_pir_and_bc_as_cannot_tell_naming_the_missing_fact(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    runner = CliRunner()
    runner.invoke(cli, ["registry", "init", "--db", db])
    files = [EXAMPLES / "alberta-esc-cor-recertification.yaml", EXAMPLES / "bc-small-certification.yaml"]
    assert runner.invoke(cli, ["registry", "add", "--db", db, *map(str, files)]).exit_code == 0

    def listed(employer: str, on: str) -> dict[str, tuple[str, bool]]:
        args = ["registry", "status", employer, "--on", on, "--db", db, "--format", "json"]
        data = json.loads(runner.invoke(cli, args).output)
        return {i["id"]: (i["state"], i["applies"]) for i in data["incentives"]}

    alberta = listed("Foothills Well Servicing Inc. (fictional)", "2025-06-05")
    assert alberta["ab-pir-refund"] == ("cannot tell", True)
    assert alberta["bc-cor-incentive"] == ("not eligible", False)
    assert listed("Harbour Renovations Inc.", "2026-01-05")["bc-cor-incentive"] == ("cannot tell", True)
    assert listed("Harbour Renovations Inc.", "2025-01-05")["bc-cor-incentive"] == ("not eligible", False)
    text = runner.invoke(
        cli, ["registry", "status", "Foothills Well Servicing Inc. (fictional)", "--on", "2025-06-05", "--db", db]
    ).output
    assert text.splitlines()[-1] == (
        "  incentive Partnerships in Injury Reduction (PIR) refund (ab-pir-refund) on 2025-06-05: cannot tell: current "
        "on 2025-06-05 (maintenance due); the registry does not record: the employer's PIR registration with "
        "WCB-Alberta (AMHSA also asks for the WCB Return-to-Work seminar) [H: "
        "https://continuingcaresafety.ca/pir-cor-audits/partnerships-in-injury-reduction, http://mhsa.ab.ca/cor-benefits]"
    )


@pytest.mark.parametrize("day", ["13-01", "02-29", "12/31"])
def test_an_incentive_day_of_the_year_must_be_one_every_year_has(day: str) -> None:
    with pytest.raises(FieldError, match=r"expected a day every year has, as MM-DD \(12-31\), not "):
        IncentiveRule(
            id="x", name="X", jurisdiction="NL", start=dt.date(2020, 1, 1), text="t", reference=("u",),
            confidence="H", standing_on=day,
        )  # fmt: skip
