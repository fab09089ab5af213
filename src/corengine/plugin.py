"""The public plugin API: everything a province or partner plugin may import, from one module.

A plugin writes ``from corengine.plugin import ...`` and nothing else from the core; every name below is kept
stable (a name that changes keeps working for a release with a ``DeprecationWarning`` saying
"X is deprecated; use Y"). The modules these names come from are the core's own and may change shape;
this module is the contract. ``docs/plugin-tutorial.md`` describes every name with its fields.

The names, by what a plugin does with them:

- **Hooks and errors**: :data:`hookimpl` marks hook implementations (the specs are in
  :mod:`corengine.hookspecs`); raise :class:`InputError` (a :class:`CorengineError`) for a problem in the
  user's input, so it reaches the user unchanged rather than as a plugin failure.
- **Registration**: :func:`data_plugin` registers a package's standard files and jurisdiction data and declares
  its other data files (:class:`DataFile`, for ``corengine plugin check``); :func:`load_file` reads any other
  data file of the plugin into an attrs class.
- **Records** (the model a plugin receives and returns): standards (:class:`Standard`, :class:`Element`,
  :class:`Question`, :class:`Rule`, :class:`RuleVersion`, ...), audits (:class:`Audit`, :class:`Response`,
  ...), scores, :class:`Outcome`, :class:`SamplePlan`, :class:`Jurisdiction` and its parts,
  :class:`ScoringMethod`, :class:`ResolvedStandard`, and :class:`AuditExtension` (a plugin's own audit fields,
  read back with :func:`extension`).
- **Findings**: :class:`Finding`, :class:`Quantity`, :data:`Status` and :func:`decided` (the confidence policy).
- **Rules**: :func:`in_force` (the one dated-value selector), :func:`add_months`, :func:`rule_for`,
  :func:`decide` (the core's default decision), :func:`program_of`, :func:`check_eligibility`,
  :func:`answer_eligibility`, :func:`version_in_force`, :func:`round_to`.
- **A plugin's own records**: :class:`Record`, the base of a record declared ``@frozen(repr=False, eq=False)``,
  whose ``repr``, ``==`` and ``hash`` are attrs' own without compiling them per class at start-up.
- **Validators** for a plugin's own data classes: :func:`one_of`, :func:`non_negative`, ... raising
  :class:`FieldError`.
- **Command line**: click types (:data:`AMOUNT`, :data:`NON_NEGATIVE`, :data:`COUNT`, :class:`ExactNumber`),
  text layout (:class:`Layout`, :func:`wrap`, :func:`fit_all`, :func:`table`, ...), rendering
  (:func:`reason_lines`, :func:`finding_json`, :func:`dumps`) and safe output (:func:`write_atomically`,
  :func:`check_output`, :func:`write_stdout`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corengine._util.lazy import lazy_names

if TYPE_CHECKING:
    from corengine._cli.params import AMOUNT, COUNT, NON_NEGATIVE, ExactNumber, format_option
    from corengine._host.data_plugin import DataPlugin, data_plugin
    from corengine._host.lazy_command import LazyCommand, lazy_command
    from corengine._io.output import check_output, write_atomically, write_stdout
    from corengine._rules.audit_checks import program_of
    from corengine._rules.eligibility import answer as answer_eligibility
    from corengine._rules.eligibility import check as check_eligibility
    from corengine._rules.eligibility import version_in_force
    from corengine._rules.money import cents, exact_decimal, money
    from corengine._rules.outcome import EXACT, decide, rule_for
    from corengine._rules.scoring import Problem as AuditProblem
    from corengine._rules.scoring import ScoringMethod, format_percent, format_percent_against, params_of, round_to
    from corengine._util.dates import add_months, in_force, month_end
    from corengine._util.records import Record
    from corengine._util.textlayout import Layout, ellipsize, escape, fit, fit_all, table, wrap
    from corengine._views.render import dumps, finding_json, reason_lines
    from corengine.errors import CorengineError, InputError
    from corengine.hookspecs import hookimpl
    from corengine.model import (
        AUDIT_TYPES,
        CONFIDENCE,
        METHODS,
        Audit,
        AuditHistory,
        Auditor,
        AuditScore,
        CertificateRule,
        CountingRule,
        Element,
        ElementScore,
        EligibilityRequest,
        EligibilityVersion,
        Employer,
        Equivalency,
        EvidenceKind,
        Expectation,
        FailOption,
        Jurisdiction,
        MoneyRounding,
        Note,
        Outcome,
        Partner,
        Question,
        QuestionScore,
        ResolvedStandard,
        Response,
        Rounding,
        Rule,
        RuleVersion,
        SamplePlan,
        SampleRow,
        SampleTableVersion,
        Sampling,
        Scoring,
        SizeBand,
        Standard,
        Tally,
    )
    from corengine.model.converter import load_file, structure, unstructure
    from corengine.model.data_files import DataFile
    from corengine.model.extensions import AuditExtension, extension
    from corengine.model.findings import Finding, Quantity, Status, decided, number_text, status_of
    from corengine.model.lifecycle import (
        AuditFact,
        AuditorCurrency,
        AuditorCurrencyRule,
        IncentiveQuestion,
        IncentiveRule,
        Incentives,
    )
    from corengine.model.themes import ROLES, THEMES
    from corengine.model.validators import (
        FieldError,
        calendar_year,
        day_span,
        month_span,
        non_empty,
        non_negative,
        one_of,
        percent_range,
        positive,
        unique_ids,
    )

_HOMES: dict[str, tuple[str, str]] = {
    "Incentives": ("corengine.model.lifecycle", "Incentives"),
    "IncentiveRule": ("corengine.model.lifecycle", "IncentiveRule"),
    "IncentiveQuestion": ("corengine.model.lifecycle", "IncentiveQuestion"),
    "AuditorCurrencyRule": ("corengine.model.lifecycle", "AuditorCurrencyRule"),
    "AuditorCurrency": ("corengine.model.lifecycle", "AuditorCurrency"),
    "AuditFact": ("corengine.model.lifecycle", "AuditFact"),
    "AMOUNT": ("corengine._cli.params", "AMOUNT"),
    "AUDIT_TYPES": ("corengine.model.vocabulary", "AUDIT_TYPES"),
    "Audit": ("corengine.model.audit", "Audit"),
    "AuditExtension": ("corengine.model.extensions", "AuditExtension"),
    "AuditHistory": ("corengine.model.audit", "AuditHistory"),
    "AuditProblem": ("corengine._rules.scoring", "Problem"),
    "AuditScore": ("corengine.model.results", "AuditScore"),
    "Auditor": ("corengine.model.audit", "Auditor"),
    "CONFIDENCE": ("corengine.model.vocabulary", "CONFIDENCE"),
    "COUNT": ("corengine._cli.params", "COUNT"),
    "CertificateRule": ("corengine.model.standard", "CertificateRule"),
    "CorengineError": ("corengine.errors", "CorengineError"),
    "CountingRule": ("corengine.model.jurisdiction", "CountingRule"),
    "DataFile": ("corengine.model.data_files", "DataFile"),
    "DataPlugin": ("corengine._host.data_plugin", "DataPlugin"),
    "EXACT": ("corengine._rules.outcome", "EXACT"),
    "Element": ("corengine.model.standard", "Element"),
    "ElementScore": ("corengine.model.results", "ElementScore"),
    "EligibilityRequest": ("corengine.model.jurisdiction", "EligibilityRequest"),
    "EligibilityVersion": ("corengine.model.jurisdiction", "EligibilityVersion"),
    "Employer": ("corengine.model.audit", "Employer"),
    "Equivalency": ("corengine.model.jurisdiction", "Equivalency"),
    "EvidenceKind": ("corengine.model.evidence", "EvidenceKind"),
    "ExactNumber": ("corengine._cli.params", "ExactNumber"),
    "Expectation": ("corengine.model.evidence", "Expectation"),
    "FailOption": ("corengine.model.standard", "FailOption"),
    "FieldError": ("corengine.model.validators", "FieldError"),
    "Finding": ("corengine.model.findings", "Finding"),
    "InputError": ("corengine.errors", "InputError"),
    "Jurisdiction": ("corengine.model.jurisdiction", "Jurisdiction"),
    "Layout": ("corengine._util.textlayout", "Layout"),
    "METHODS": ("corengine.model.vocabulary", "METHODS"),
    "MoneyRounding": ("corengine.model.standard", "MoneyRounding"),
    "NON_NEGATIVE": ("corengine._cli.params", "NON_NEGATIVE"),
    "Note": ("corengine.model.jurisdiction", "Note"),
    "Outcome": ("corengine.model.results", "Outcome"),
    "Partner": ("corengine.model.jurisdiction", "Partner"),
    "Quantity": ("corengine.model.findings", "Quantity"),
    "Question": ("corengine.model.standard", "Question"),
    "QuestionScore": ("corengine.model.results", "QuestionScore"),
    "ROLES": ("corengine.model.themes", "ROLES"),
    "ResolvedStandard": ("corengine.model.standard", "ResolvedStandard"),
    "Response": ("corengine.model.audit", "Response"),
    "Rounding": ("corengine.model.standard", "Rounding"),
    "Rule": ("corengine.model.standard", "Rule"),
    "RuleVersion": ("corengine.model.standard", "RuleVersion"),
    "SamplePlan": ("corengine.model.results", "SamplePlan"),
    "SampleRow": ("corengine.model.standard", "SampleRow"),
    "SampleTableVersion": ("corengine.model.standard", "SampleTableVersion"),
    "Sampling": ("corengine.model.standard", "Sampling"),
    "Scoring": ("corengine.model.standard", "Scoring"),
    "ScoringMethod": ("corengine._rules.scoring", "ScoringMethod"),
    "Record": ("corengine._util.records", "Record"),
    "SizeBand": ("corengine.model.jurisdiction", "SizeBand"),
    "Standard": ("corengine.model.standard", "Standard"),
    "Status": ("corengine.model.findings", "Status"),
    "THEMES": ("corengine.model.themes", "THEMES"),
    "Tally": ("corengine.model.audit", "Tally"),
    "add_months": ("corengine._util.dates", "add_months"),
    "answer_eligibility": ("corengine._rules.eligibility", "answer"),
    "calendar_year": ("corengine.model.validators", "calendar_year"),
    "cents": ("corengine._rules.money", "cents"),
    "check_eligibility": ("corengine._rules.eligibility", "check"),
    "check_output": ("corengine._io.output", "check_output"),
    "data_plugin": ("corengine._host.data_plugin", "data_plugin"),
    "day_span": ("corengine.model.validators", "day_span"),
    "decide": ("corengine._rules.outcome", "decide"),
    "decided": ("corengine.model.findings", "decided"),
    "dumps": ("corengine._views.render", "dumps"),
    "ellipsize": ("corengine._util.textlayout", "ellipsize"),
    "escape": ("corengine._util.textlayout", "escape"),
    "exact_decimal": ("corengine._rules.money", "exact_decimal"),
    "extension": ("corengine.model.extensions", "extension"),
    "finding_json": ("corengine._views.render", "finding_json"),
    "fit": ("corengine._util.textlayout", "fit"),
    "fit_all": ("corengine._util.textlayout", "fit_all"),
    "format_option": ("corengine._cli.params", "format_option"),
    "format_percent": ("corengine._rules.scoring", "format_percent"),
    "format_percent_against": ("corengine._rules.scoring", "format_percent_against"),
    "hookimpl": ("corengine.hookspecs", "hookimpl"),
    "lazy_command": ("corengine._host.lazy_command", "lazy_command"),
    "LazyCommand": ("corengine._host.lazy_command", "LazyCommand"),
    "in_force": ("corengine._util.dates", "in_force"),
    "load_file": ("corengine.model.converter", "load_file"),
    "money": ("corengine._rules.money", "money"),
    "month_end": ("corengine._util.dates", "month_end"),
    "month_span": ("corengine.model.validators", "month_span"),
    "non_empty": ("corengine.model.validators", "non_empty"),
    "non_negative": ("corengine.model.validators", "non_negative"),
    "number_text": ("corengine.model.findings", "number_text"),
    "one_of": ("corengine.model.validators", "one_of"),
    "params_of": ("corengine._rules.scoring", "params_of"),
    "percent_range": ("corengine.model.validators", "percent_range"),
    "positive": ("corengine.model.validators", "positive"),
    "program_of": ("corengine._rules.audit_checks", "program_of"),
    "reason_lines": ("corengine._views.render", "reason_lines"),
    "round_to": ("corengine._rules.scoring", "round_to"),
    "rule_for": ("corengine._rules.outcome", "rule_for"),
    "status_of": ("corengine.model.findings", "status_of"),
    "structure": ("corengine.model.converter", "structure"),
    "table": ("corengine._util.textlayout", "table"),
    "unique_ids": ("corengine.model.validators", "unique_ids"),
    "unstructure": ("corengine.model.converter", "unstructure"),
    "version_in_force": ("corengine._rules.eligibility", "version_in_force"),
    "wrap": ("corengine._util.textlayout", "wrap"),
    "write_atomically": ("corengine._io.output", "write_atomically"),
    "write_stdout": ("corengine._io.output", "write_stdout"),
}
"""Each public name: the module that defines it and its name there, imported on first use (PEP 562)."""


_OLD: dict[str, tuple[str, str]] = {"STANDARDS_FOLDER": ("corengine._host.data_plugin", "STANDARDS_FOLDER")}
"""Names still loaded that are not part of the API (a module constant before the names were loaded lazily)."""

__getattr__, __dir__ = lazy_names(__name__, {**_HOMES, **_OLD}, globals())


__all__ = [
    "AMOUNT",
    "AUDIT_TYPES",
    "CONFIDENCE",
    "COUNT",
    "EXACT",
    "METHODS",
    "NON_NEGATIVE",
    "ROLES",
    "THEMES",
    "Audit",
    "AuditExtension",
    "AuditFact",
    "AuditHistory",
    "AuditProblem",
    "AuditScore",
    "Auditor",
    "AuditorCurrency",
    "AuditorCurrencyRule",
    "CertificateRule",
    "CorengineError",
    "CountingRule",
    "DataFile",
    "DataPlugin",
    "Element",
    "ElementScore",
    "EligibilityRequest",
    "EligibilityVersion",
    "Employer",
    "Equivalency",
    "EvidenceKind",
    "ExactNumber",
    "Expectation",
    "FailOption",
    "FieldError",
    "Finding",
    "IncentiveQuestion",
    "IncentiveRule",
    "Incentives",
    "InputError",
    "Jurisdiction",
    "Layout",
    "LazyCommand",
    "MoneyRounding",
    "Note",
    "Outcome",
    "Partner",
    "Quantity",
    "Question",
    "QuestionScore",
    "Record",
    "ResolvedStandard",
    "Response",
    "Rounding",
    "Rule",
    "RuleVersion",
    "SamplePlan",
    "SampleRow",
    "SampleTableVersion",
    "Sampling",
    "Scoring",
    "ScoringMethod",
    "SizeBand",
    "Standard",
    "Status",
    "Tally",
    "add_months",
    "answer_eligibility",
    "calendar_year",
    "cents",
    "check_eligibility",
    "check_output",
    "data_plugin",
    "day_span",
    "decide",
    "decided",
    "dumps",
    "ellipsize",
    "escape",
    "exact_decimal",
    "extension",
    "finding_json",
    "fit",
    "fit_all",
    "format_option",
    "format_percent",
    "format_percent_against",
    "hookimpl",
    "in_force",
    "lazy_command",
    "load_file",
    "money",
    "month_end",
    "month_span",
    "non_empty",
    "non_negative",
    "number_text",
    "one_of",
    "params_of",
    "percent_range",
    "positive",
    "program_of",
    "reason_lines",
    "round_to",
    "rule_for",
    "status_of",
    "structure",
    "table",
    "unique_ids",
    "unstructure",
    "version_in_force",
    "wrap",
    "write_atomically",
    "write_stdout",
]
