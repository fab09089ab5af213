"""An action plan in lieu of a maintenance audit keeps the certificate's cycle when it passes; one that fails
the partner's conditions leaves the maintenance audit due (ACSA: "you are required to complete the COR
internal maintenance audit", https://www.youracsa.ca/cor-secor/cor-action-plans/)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

import corengine_alberta.plugin as alberta
from corengine import Engine
from corengine._rules.cycle import check_cycle

EXAMPLE = Path(__file__).parents[3] / "examples" / "alberta-acsa-cor-certification-pass.yaml"


def engine() -> Engine:
    return Engine(plugins=[alberta], load_entrypoints=False, environ={})


def action_plan(date: str, full_cycles: int) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    day = dt.date.fromisoformat(date)
    data.update(
        audit_type="action-plan",
        audit_date=day,
        start_date=day - dt.timedelta(days=10),
        report_date=day + dt.timedelta(days=10),
        history={"good_standing": True, "full_cycles_completed": full_cycles, "previous_year_action_plan": False},
    )
    return data


def test_a_passed_action_plan_meets_the_maintenance_deadline_and_a_failed_one_does_not() -> None:
    e = engine()
    # 2024-10-18: COR (3 years); ACSA times maintenance by the certificate date, so due by 2025-10-18, 2026-10-18
    certification = e.score(e.load_audit(str(EXAMPLE)))
    passed = e.score(e.audit_from_data(action_plan("2025-10-10", 1)))
    failed = e.score(e.audit_from_data(action_plan("2026-10-10", 0)))
    assert (passed.outcome.passed, failed.outcome.passed) == (True, False)
    cycle = check_cycle([certification, passed, failed], on=dt.date(2026, 11, 15))
    assert [(d.due, d.state) for d in cycle.deadlines if d.check == "cycle.maintenance"] == [
        (dt.date(2025, 10, 18), "met"),
        (dt.date(2026, 10, 18), "missed"),
    ]
    met = next(f for f in cycle.findings if f.check == "cycle.maintenance" and f.status == "pass")
    assert met.message.endswith("(an action plan in lieu of the maintenance audit)")
