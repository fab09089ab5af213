"""SAFE Work Manitoba's Prevention Rebate estimate: the greater of 15% of the premium or $3,000, capped at 75%.

The rates and the six conditions are dated data (``data/rebate.yaml``, read by :mod:`.rules`). Money is exact
(fractions from the decimal text given); the rebate is rounded to the cent the way the data says (half up: the
source is silent), and amounts along the way are shown rounded half up. Every number in the answer is a
:class:`~corengine.model.Finding` traced to the data's source, and so is each condition: met (its flag given),
not met (its opposite flag given) or not stated (an advisory naming the flag), never assumed. The answer is an
estimate; SAFE Work Manitoba decides.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

import click
from attrs import frozen

from corengine.plugin import (
    AMOUNT,
    Finding,
    IncentiveQuestion,
    Layout,
    Quantity,
    Status,
    cents,
    fit_all,
    format_option,
    money,
    reason_lines,
    unstructure,
)
from corengine.plugin import (
    exact_decimal as plain,
)

from .rules import Condition, RebateVersion, rebate_rules

PLUGIN = "manitoba"
CENT = Fraction(1, 100)
DECIDES = "estimate; SAFE Work Manitoba decides"
"""What every answer says of itself."""
MET, NOT_MET, NOT_STATED = "met", "not met", "not stated"


@frozen
class Estimate:
    """The rebate for one premium, with every reason."""

    premium: Fraction
    """The employer's WCB premium (dollars)."""
    version: RebateVersion
    """The rules applied."""
    share: Fraction
    """``percent`` of the premium, exact."""
    cap: Fraction
    """``cap_percent`` of the premium, exact."""
    computed: Fraction
    """The greater of the share and the minimum, capped: the rebate if every condition holds, exact."""
    rebate: Fraction
    """The rebate (0 when a condition is not met), exact."""
    payable: Decimal
    """The rebate, rounded to the cent as the data says."""
    conditions: tuple[tuple[str, str], ...]
    """Each condition's id and whether it is met, not met or not stated."""
    findings: tuple[Finding, ...]
    """Every step and condition, with its source."""

    @property
    def eligible(self) -> bool | None:
        """True when every condition is met, False when one is not, None when none fails but one is not stated."""
        states = {state for _, state in self.conditions}
        return False if NOT_MET in states else None if NOT_STATED in states else True


def _condition_finding(condition: Condition, stated: bool | None) -> tuple[str, Status, str]:
    if stated is True:
        return MET, "pass", f"met: {condition.text} (--{condition.id})"
    if stated is False:
        return NOT_MET, "fail", f"not met: {condition.text} (--{condition.unmet}): no rebate"
    return (
        NOT_STATED,
        "advisory",
        f"not stated: --{condition.id} to confirm {condition.text} (--{condition.unmet} if not)",
    )


def estimate(premium: Fraction, stated: dict[str, bool] | None = None, on: dt.date | None = None) -> Estimate:
    """The rebate on ``premium`` under the rules in force ``on`` (default today); ``stated`` maps a condition's
    id to whether it is met (a condition absent is not stated). Raises :class:`ValueError` on a bad input and
    :class:`LookupError` when no rules are in force."""
    if premium < 0:
        raise ValueError("the premium must be >= 0")
    version = rebate_rules().version_on(on or dt.date.today())
    stated = dict(stated or {})
    known = [c.id for c in version.conditions]
    unknown = [key for key in stated if key not in known]
    if unknown:
        raise ValueError(f"unknown condition(s) {', '.join(unknown)} (known: {', '.join(known)})")
    findings: list[Finding] = []

    def add(check: str, status: Status, message: str, **kw: Any) -> None:
        kw.setdefault("confidence", version.confidence)
        findings.append(
            Finding(
                check=f"mb-rebate.{check}",
                status=status,
                message=message,
                plugin=PLUGIN,
                rule_version=version.start,
                sources=version.reference,
                **kw,
            )
        )

    share = premium * version.percent / 100
    add(
        "percent",
        "info",
        f"{plain(version.percent)}% of the premium {money(premium)} = {money(share)}",
        required=Quantity.of(version.percent, "%"),
        measured=Quantity.of(share, "CAD"),
    )
    greater = max(share, version.minimum)
    add(
        "minimum",
        "info",
        f"the greater of that and the {money(version.minimum)} minimum: {money(greater)}"
        + (" (the minimum applies)" if version.minimum > share else ""),
        required=Quantity.of(version.minimum, "CAD"),
        measured=Quantity.of(greater, "CAD"),
    )
    cap = premium * version.cap_percent / 100
    computed = min(greater, cap)
    add(
        "cap",
        "info",
        f"capped at {plain(version.cap_percent)}% of the premium, {money(cap)}: {money(computed)}"
        + (" (the cap applies)" if cap < greater else ""),
        required=Quantity.of(cap, "CAD"),
        measured=Quantity.of(computed, "CAD"),
    )
    states = []
    for condition in version.conditions:
        state, mark, said = _condition_finding(condition, stated.get(condition.id))
        states.append((condition.id, state))
        add("condition", mark, said, subject=condition.id)
    unmet = sum(state == NOT_MET for _, state in states)
    unstated = sum(state == NOT_STATED for _, state in states)
    exact = Fraction(0) if unmet else computed
    payable = cents(exact, version.rounding.mode)
    add(
        "rounding",
        "info",
        version.rounding.note or f"rounded {version.rounding.mode.replace('_', ' ')} to the cent",
        required=Quantity.words(version.rounding.mode),
        measured=Quantity(number=Fraction(payable), unit="CAD", text=f"exact {plain(exact)}"),
        confidence=version.rounding.confidence,
    )
    if unmet:
        status: Status = "fail"
        message = (
            f"rebate $0.00: {unmet} condition(s) not met "
            f"(if every condition were met: ${cents(computed, version.rounding.mode):,.2f}); {DECIDES}"
        )
    elif unstated:
        status, message = (
            "advisory",
            f"rebate ${payable:,.2f} if the {unstated} condition(s) not stated hold; {DECIDES}",
        )
    else:
        status, message = "pass", f"rebate ${payable:,.2f}, every condition met; {DECIDES}"
    add("rebate", status, message, measured=Quantity.of(Fraction(payable), "CAD"))
    return Estimate(premium, version, share, cap, computed, exact, payable, tuple(states), tuple(findings))


def registry_eligibility(question: IncentiveQuestion) -> list[Finding]:
    """The Prevention Rebate's eligibility from what the registry records (``corengine registry status``): the
    six conditions judged as :func:`estimate` judges them, the registry stating the one it records (a
    maintenance or recertification audit stored since the certificate was granted); the others are not
    stated, so a current certificate gives "cannot tell", naming them. Nothing when no rules are in force."""
    try:
        version = rebate_rules().version_on(question.on)
    except LookupError:
        return []

    def answer(status: Status, message: str) -> Finding:
        return Finding(
            check="mb-rebate",
            status=status,
            message=message,
            subject="Prevention Rebate",
            plugin=PLUGIN,
            rule_version=version.start,
            sources=version.reference,
            confidence=version.confidence,
        )

    if "MB" not in question.jurisdictions:
        return [answer("fail", f"no certificate in force on {question.on} from a partner of MB")]
    if not question.current:
        return [
            answer(
                "fail",
                f"the certificate is not in good standing on {question.on} ({question.status}); the rebate is for a "
                "COR or SAFE Work Certified employer",
            )
        ]
    granted = question.granted
    submitted = granted is not None and any(
        a.audit_type in ("maintenance", "recertification") and granted <= a.audit_date for a in question.audits
    )
    result = estimate(Fraction(0), {"audit-submitted": True} if submitted else {}, question.on)
    states = dict(result.conditions)
    missing = [f"{c.text} (--{c.id})" for c in version.conditions if states[c.id] == NOT_STATED]
    if not missing:  # pragma: no cover - the registry states one condition of six
        return [answer("pass", f"current on {question.on} ({question.status}); every condition met")]
    return [
        answer(
            "advisory",
            f"current on {question.on} ({question.status}); the registry does not record: " + "; ".join(missing),
        )
    ]


# --------------------------------------------------------------------------- command line


@frozen(kw_only=True)
class RebateDocument:
    """``corengine mb-rebate --format json``: the estimate's figures as exact text, each condition's state, and
    every finding."""

    format: str = "corengine-manitoba.rebate/1"
    rules_from: str
    premium: str
    share: str
    minimum: str
    cap: str
    computed: str
    eligible: bool | None
    conditions: dict[str, str]
    rebate: str
    rebate_exact: str
    note: str = DECIDES
    findings: tuple[Finding, ...]

    @classmethod
    def of(cls, result: Estimate) -> RebateDocument:
        return cls(
            rules_from=result.version.start.isoformat(),
            premium=str(cents(result.premium)),
            share=str(cents(result.share)),
            minimum=str(cents(result.version.minimum)),
            cap=str(cents(result.cap)),
            computed=str(cents(result.computed, result.version.rounding.mode)),
            eligible=result.eligible,
            conditions=dict(result.conditions),
            rebate=str(result.payable),
            rebate_exact=plain(result.rebate),
            findings=result.findings,
        )


def as_json(result: Estimate) -> dict[str, Any]:
    """The JSON answer (:class:`RebateDocument` through the core's converter)."""
    data: dict[str, Any] = unstructure(RebateDocument.of(result))
    return data


def as_text(result: Estimate, layout: Layout | None = None) -> str:
    """The text answer: the headline numbers, then every reason."""
    layout = layout or Layout.detect()
    counts = {state: sum(s == state for _, s in result.conditions) for state in (MET, NOT_MET, NOT_STATED)}
    suffix = {True: "", False: " (a condition is not met)", None: " (if the conditions not stated hold)"}
    lines = [
        f"Manitoba Prevention Rebate estimate (rules from {result.version.start})",
        f"  premium:     {money(result.premium)}",
        f"  rebate:      ${result.payable:,.2f}" + suffix[result.eligible],
        "  conditions:  " + ", ".join(f"{n} {state}" for state, n in counts.items()),
        f"  note:        {DECIDES}",
        "Reasons:",
    ]
    return "\n".join([*fit_all(lines, layout.width), *reason_lines(result.findings, layout)]) + "\n"


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD that exists, not {value!r}") from None


def make_command() -> click.Command:
    """The ``corengine mb-rebate`` command, one flag pair per condition of the latest rules (built on demand, so
    the data is read only when the command list is needed)."""
    conditions = max(rebate_rules().rebate, key=lambda v: v.start).conditions

    def run(premium: Fraction, on: dt.date | None, fmt: str, **flags: bool | None) -> None:
        """Estimate SAFE Work Manitoba's Prevention Rebate: the greater of 15% of the premium or $3,000, capped
        at 75% of the premium, when all six conditions hold (each stated met, not met, or not stated)."""
        stated = {c.id: given for c in conditions if (given := flags[_name(c)]) is not None}
        try:
            result = estimate(premium, stated, on)
        except (ValueError, LookupError) as exc:
            raise click.UsageError(str(exc)) from None
        if fmt == "json":
            click.echo(json.dumps(as_json(result), indent=2, ensure_ascii=False) + "\n", nl=False)
        else:
            click.echo(as_text(result), nl=False)

    command = click.command(name="mb-rebate")(run)
    command.params = [
        click.Option(
            ["--premium"],
            required=True,
            type=AMOUNT,
            help="The employer's WCB premium, in dollars (e.g. 50000, 50,000 or $50,000.00).",
        ),
        click.Option(
            ["--on"],
            metavar="DATE",
            callback=_day,
            help="Use the rules in force on this date (YYYY-MM-DD; default today).",
        ),
        *(
            click.Option(
                [f"--{c.id}/--{c.unmet}", _name(c)],
                default=None,
                help=f"Condition met / not met: {c.text} (default: not stated).",
            )
            for c in conditions
        ),
    ]
    return format_option("text", "json")(command)


def _name(condition: Condition) -> str:
    return condition.id.replace("-", "_")
