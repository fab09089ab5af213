"""An employer's standing on a date, read from its certificate's cycle (:mod:`corengine._rules.cycle`).

Nothing here is a new rule: each state is what the cycle's own deadlines say on that date.

- ``no certificate``: no audit done by the date granted one.
- ``cancelled``: a maintenance deadline failed, or was missed where the rule says a missed one cancels the
  certificate (a finding that fails).
- ``lapsed``: the recertification deadline (the last valid day, ``valid until``, inclusive; the end of its month
  where the partner times it so) has passed and no later audit granted a new certificate.
- ``overdue``: a deadline was missed whose rule is of low confidence (L): an advisory, not a confirmed
  cancellation.
- ``maintenance due``: a deadline's window is open and it is not done yet (``by`` is its last day).
- ``renewal due``: every deadline of the cycle is met; what is due next is the recertification (``by``: the
  cycle's ``renew_by``).
- ``good standing``: the certificate is current, nothing missed, and the next deadline's window has not opened.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from attrs import frozen

from corengine._rules.cycle import Cycle, Deadline

State = Literal["good standing", "maintenance due", "renewal due", "overdue", "lapsed", "cancelled", "no certificate"]
STATES: tuple[str, ...] = (
    "good standing",
    "maintenance due",
    "renewal due",
    "overdue",
    "lapsed",
    "cancelled",
    "no certificate",
)
CURRENT = frozenset({"good standing", "maintenance due", "renewal due"})
"""The states in which the certificate is current on the date."""


@frozen
class Standing:
    """Where an employer's certificate stands on a date, and the deadline that decides it."""

    state: State
    by: dt.date | None
    """The last day of what is due next (``maintenance due``, ``renewal due``, ``good standing``), the date the
    certificate ended (``lapsed``) or the missed or failed deadline (``cancelled``, ``overdue``)."""
    message: str


def standing(cycle: Cycle) -> Standing:
    """The standing that ``cycle`` shows on its date."""
    if cycle.certificate is None or cycle.state == "none":
        return Standing("no certificate", None, cycle.findings[0].message)
    judged = list(zip(cycle.deadlines, cycle.findings[1 : 1 + len(cycle.deadlines)], strict=True))
    if cycle.state == "cancelled":
        deadline, finding = next((d, f) for d, f in judged if d.state in ("failed", "missed") and f.status == "fail")
        return Standing("cancelled", deadline.due, finding.message)
    if cycle.state == "lapsed" or cycle.valid_until is None:
        end = cycle.ended
        return Standing(
            "lapsed",
            end,
            f"the {cycle.certificate} was valid until {end}; no audit done by {cycle.on} granted a new certificate",
        )
    end = cycle.valid_until
    renew_by = cycle.renew_by or end
    for deadline, finding in judged:
        if deadline.state in ("failed", "missed"):
            return Standing("overdue", deadline.due, finding.message)
    open_now = [(d, f) for d, f in judged if d.state == "due" and _periodic(d)]
    if open_now:
        deadline, finding = min(open_now, key=lambda pair: pair[0].due)
        return Standing("maintenance due", deadline.due, finding.message)
    coming = [d for d in cycle.deadlines if d.state == "upcoming"]
    if coming:
        deadline = min(coming, key=lambda d: d.due)
        return Standing(
            "good standing",
            deadline.due,
            f"the {cycle.certificate} is current (valid until {end}); next: {deadline.subject} by {deadline.due}",
        )
    return Standing(
        "renewal due",
        renew_by,
        f"every deadline of the {cycle.certificate}'s cycle is met; a recertification audit is due by {renew_by}",
    )


def _periodic(deadline: Deadline) -> bool:
    """A deadline with its own window (a yearly audit), not the cycle's end (worksites and units to cover)."""
    return deadline.check not in ("cycle.worksites", "cycle.classification_units")
