"""The core's own plugin: built-in scoring methods and the data-driven defaults every province gets.

Registered first under the name ``corengine.defaults``; the decision hooks run last (``trylast``) so a
province plugin that implements them for its own standards is asked first. Each Engine registers its own
:class:`Defaults`, which decides with that Engine's :class:`~corengine._rules.reuse.Reuse`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

from corengine.model.vocabulary import CORE_PLUGIN

if TYPE_CHECKING:
    from corengine._rules.reuse import Reuse
    from corengine._rules.scoring import ScoringMethod
    from corengine.model import (
        Audit,
        AuditScore,
        EligibilityRequest,
        Finding,
        Jurisdiction,
        Outcome,
        ResolvedStandard,
        SamplePlan,
        Standard,
    )

hookimpl = pluggy.HookimplMarker("corengine")
NAME = CORE_PLUGIN


class Defaults:
    """The core's plugin for one Engine: its hooks decide with that Engine's tables."""

    def __init__(self, reuse: Reuse | None = None) -> None:
        if reuse is None:
            from corengine._rules.reuse import Reuse

            reuse = Reuse()
        self.reuse = reuse

    @hookimpl
    def corengine_register_scoring_methods(self) -> list[ScoringMethod]:
        from corengine._rules.scoring import BUILTIN_METHODS

        return list(BUILTIN_METHODS)

    @hookimpl(trylast=True)
    def corengine_decide_outcome(
        self, resolved: ResolvedStandard, audit: Audit, score: AuditScore, strict: bool
    ) -> Outcome:
        from corengine._rules import outcome

        return outcome.decide(resolved, audit, score, strict, self.reuse)

    @hookimpl
    def corengine_check_eligibility(
        self, request: EligibilityRequest, jurisdiction: Jurisdiction, standard_lookup: Callable[[str], Standard]
    ) -> list[Finding]:
        from corengine._rules import eligibility

        return eligibility.check(request, jurisdiction, standard_lookup, NAME)

    @hookimpl(trylast=True)
    def corengine_plan_sample(
        self, standard: Standard, workers: int, sites: int | None, on: dt.date, program: str | None
    ) -> SamplePlan | None:
        from corengine._rules import sampling

        return sampling.plan(standard, workers, sites, on, NAME, program)
