"""The plugin contract: every hook a province or partner plugin may implement.

Hooks are grouped by lifecycle: registration (data a plugin contributes, 1:N, flattened by the core,
duplicates rejected naming both plugins), then the audit (validation, outcome), then employer questions
(eligibility, sampling), then the CLI. Call them with keyword arguments; an implementation may accept
a subset of the arguments, so specs can gain arguments later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from corengine._rules.scoring import Problem, ScoringMethod
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
    from corengine.model.data_files import DataFile
    from corengine.model.extensions import AuditExtension
    from corengine.model.lifecycle import IncentiveQuestion

PROJECT = "corengine"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# --------------------------------------------------------------------------- registration


@hookspec
def corengine_register_standards() -> list[Path]:
    """Register audit-document data files (YAML or JSON) this plugin provides.

    Each file's name without suffix is the standard's id; the file is read only when the standard is used.

    :returns: paths to standard files.
    """
    raise AssertionError("spec")  # pragma: no cover


@hookspec
def corengine_register_scoring_methods() -> list[ScoringMethod]:
    """Register scoring methods questions can name in ``scoring.method``.

    :returns: methods; a name registered twice is an error naming both plugins.
    """
    raise AssertionError("spec")  # pragma: no cover


@hookspec
def corengine_register_jurisdictions() -> list[Jurisdiction]:
    """Register provinces this plugin covers: partners, program sizing and the baseline standard.

    :returns: jurisdictions; a code registered twice is an error naming both plugins.
    """
    raise AssertionError("spec")  # pragma: no cover


@hookspec
def corengine_register_audit_extensions() -> list[AuditExtension]:
    """Register fields this plugin adds to audits, under ``extensions: {NAME: {...}}``.

    :returns: extensions (a name and an attrs class each); a name registered twice is an error naming both plugins.
    """
    raise AssertionError("spec")  # pragma: no cover


@hookspec
def corengine_register_data_files() -> list[DataFile]:
    """Declare this plugin's data files with the attrs class each is read into (its jurisdiction files and its own
    data, such as a refund table), so ``corengine plugin check`` reads every one of them as the plugin does.

    Optional: nothing else calls it; a file not declared is read only when a command needs it.
    :class:`~corengine.plugin.DataPlugin` implements it for its jurisdiction files and the files declared with
    ``data_plugin(..., files={NAME: CLASS})`` or :meth:`~corengine.plugin.DataPlugin.declare`.

    :returns: data files (a path and an attrs class each).
    """
    raise AssertionError("spec")  # pragma: no cover


# --------------------------------------------------------------------------- the audit


@hookspec
def corengine_validate_audit(standard: Standard, audit: Audit) -> list[Problem]:
    """Check an audit against rules the standard's data cannot express.

    :param standard: the resolved standard the audit names.
    :param audit: the structurally valid audit.
    :returns: (path inside the audit, message) pairs; empty when nothing is wrong.
    """
    raise AssertionError("spec")  # pragma: no cover


@hookspec(firstresult=True)
def corengine_adjust_score(
    resolved: ResolvedStandard, audit: Audit, score: AuditScore, strict: bool, rules_on: dt.date
) -> AuditScore | None:
    """Adjust the score before the outcome is decided, where a standard's ``score_rules`` data cannot say it.

    Every command reads the adjusted score (the table, plan, report, batch and impact), so a change here never
    contradicts the outcome. Set ``counted=False`` on an element or question to leave it out of the totals
    (:func:`attrs.evolve`); ``AuditScore`` recomputes its totals. Stops at the first non-None result.

    :param resolved: the standard with overlays applied.
    :param audit: the validated audit.
    :param score: the score after the standard's score rules.
    :param strict: whether advisories count as failures.
    :param rules_on: the date whose rules decide: the audit date, or ``--rules-on``.
    :returns: the adjusted score, or None to leave it.
    """
    raise AssertionError("spec")  # pragma: no cover


@hookspec(firstresult=True)
def corengine_decide_outcome(
    resolved: ResolvedStandard, audit: Audit, score: AuditScore, strict: bool, rules_on: dt.date
) -> Outcome | None:
    """Decide pass or fail and the certificate for an audit of a standard this plugin owns.

    The core's default decides from the standard's dated rules; implement this only where data cannot say it,
    and return None for standards that are not yours. Stops at the first non-None result.

    :param resolved: the standard with overlays applied and each rule version's plugin.
    :param audit: the validated audit.
    :param score: its score.
    :param strict: make advisories (shortfalls against values of confidence L) failures; an implementation that
        does not take it still gets every advisory turned into a failure by the core.
    :param rules_on: the date whose rules decide: the audit date, or ``--rules-on`` (``impact``); a plugin's
        dated data is chosen by it. An implementation may leave it out of its parameters.
    :returns: the outcome, or None to let the next plugin decide.
    """
    raise AssertionError("spec")  # pragma: no cover


@hookspec
def corengine_review_outcome(
    resolved: ResolvedStandard, audit: Audit, outcome: Outcome, strict: bool, rules_on: dt.date
) -> list[Finding]:
    """Add findings to a decided outcome (deadlines, eligibility of the auditor, what is due next).

    A finding with status ``fail`` fails the audit; ``advisory`` does not (unless ``strict``).

    :param resolved: the standard with overlays applied.
    :param audit: the validated audit.
    :param outcome: the outcome decided so far.
    :param strict: whether advisories count as failures (the core applies it to returned findings too).
    :param rules_on: the date whose rules decide: the audit date, or ``--rules-on``.
    :returns: extra findings; empty when there is nothing to add.
    """
    raise AssertionError("spec")  # pragma: no cover


# --------------------------------------------------------------------------- employer questions


@hookspec
def corengine_check_eligibility(
    request: EligibilityRequest, jurisdiction: Jurisdiction, standard_lookup: Callable[[str], Standard]
) -> list[Finding]:
    """Answer which program an employer qualifies for and whether an audit may start.

    The core's default answers from the jurisdiction's data; plugins add findings data cannot express.

    :param request: the employer's size, records and date.
    :param jurisdiction: the province asked about.
    :param standard_lookup: loads a resolved standard by id (for rules such as months of records).
    :returns: findings; empty when this plugin has nothing to say about this jurisdiction.
    """
    raise AssertionError("spec")  # pragma: no cover


@hookspec
def corengine_incentive_eligibility(question: IncentiveQuestion) -> list[Finding]:
    """Say whether an employer is eligible on a date for an incentive this plugin computes, from what the
    registry records (``corengine registry status``).

    For incentives whose conditions need code (Manitoba's Prevention Rebate); one that data can state is a file
    read into :class:`~corengine.plugin.Incentives` instead.

    :param question: the employer's status, certificate and stored audits on the date.
    :returns: one finding per incentive: ``pass`` eligible, ``fail`` not eligible, ``advisory`` cannot tell (its
        message names each missing fact); its ``check`` is the incentive's id.
    """
    raise AssertionError("spec")  # pragma: no cover


@hookspec(firstresult=True)
def corengine_plan_sample(
    standard: Standard, workers: int, sites: int | None, on: dt.date, program: str | None
) -> SamplePlan | None:
    """Compute the minimum interviews, sites and questionnaires for an audit of ``standard``.

    The core's default reads the standard's sampling tables. Stops at the first non-None result.

    :param standard: the resolved standard.
    :param workers: workers counted by the partner's rule.
    :param sites: work sites, if known.
    :param on: the audit date.
    :param program: the program audited (None: not known), for tables that bind only one program.
    :returns: the plan, or None when this plugin does not plan for this standard.
    """
    raise AssertionError("spec")  # pragma: no cover


# --------------------------------------------------------------------------- command line


@hookspec
def corengine_register_commands() -> list[click.Command]:
    """Add commands to the ``corengine`` CLI (e.g. a province's refund estimate).

    :returns: click commands; a name taken by the core or another plugin is an error naming both.
    """
    raise AssertionError("spec")  # pragma: no cover
