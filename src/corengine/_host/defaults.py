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

from corengine._rules import eligibility, outcome, sampling
from corengine._rules.reuse import Reuse
from corengine._rules.scoring import BUILTIN_METHODS, ScoringMethod
from corengine.model import (
    Audit,
    AuditScore,
    EligibilityRequest,
    Finding,
    Jurisdiction,
    Outcome,
    SamplePlan,
    Standard,
)
from corengine.model.vocabulary import CORE_PLUGIN

if TYPE_CHECKING:
    from corengine.model import ResolvedStandard

hookimpl = pluggy.HookimplMarker("corengine")
NAME = CORE_PLUGIN


class Defaults:
    """The core's plugin for one Engine: its hooks decide with that Engine's tables."""

    def __init__(self, reuse: Reuse | None = None) -> None:
        self.reuse = Reuse() if reuse is None else reuse

    @hookimpl
    def corengine_register_scoring_methods(self) -> list[ScoringMethod]:
        return list(BUILTIN_METHODS)

    @hookimpl(trylast=True)
    def corengine_decide_outcome(
        self, resolved: ResolvedStandard, audit: Audit, score: AuditScore, strict: bool
    ) -> Outcome:
        return outcome.decide(resolved, audit, score, strict, self.reuse)

    @hookimpl
    def corengine_check_eligibility(
        self, request: EligibilityRequest, jurisdiction: Jurisdiction, standard_lookup: Callable[[str], Standard]
    ) -> list[Finding]:
        return eligibility.check(request, jurisdiction, standard_lookup, NAME)

    @hookimpl(trylast=True)
    def corengine_plan_sample(
        self, standard: Standard, workers: int, sites: int | None, on: dt.date, program: str | None
    ) -> SamplePlan | None:
        return sampling.plan(standard, workers, sites, on, NAME, program)
