"""Public: the records of corengine, frozen attrs classes that everything reads and writes.

``from corengine.model import Audit, Standard, Outcome`` works for every record; the submodules hold them by
domain: :mod:`~corengine.model.vocabulary`, :mod:`~corengine.model.standard`, :mod:`~corengine.model.audit`,
:mod:`~corengine.model.results`, :mod:`~corengine.model.jurisdiction`, :mod:`~corengine.model.evidence`, beside
:mod:`~corengine.model.findings`, :mod:`~corengine.model.validators`, :mod:`~corengine.model.extensions`,
:mod:`~corengine.model.evidence_kinds` and the converter (:mod:`~corengine.model.converter`).
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corengine.model.audit import Audit, AuditHistory, Auditor, Employer, LoadedAudit, Response, Tally
    from corengine.model.evidence import FORMS, EvidenceIndex, EvidenceKind, Expectation, ManualSection, RecordSet
    from corengine.model.findings import Finding, Quantity
    from corengine.model.jurisdiction import (
        CountingRule,
        EligibilityRequest,
        EligibilityVersion,
        Equivalency,
        Jurisdiction,
        Note,
        Partner,
        Reciprocity,
        RecordsMinimum,
        SizeBand,
    )
    from corengine.model.results import AuditScore, ElementScore, Outcome, QuestionScore, Result, SamplePlan
    from corengine.model.standard import (
        CYCLE_COUNTS,
        OVERRIDE_FIXED,
        PREREQUISITE_KINDS,
        RECERTIFY_BY,
        ROUNDING_MODES,
        SCORE_TREATMENTS,
        CertificateRule,
        CertificationCycle,
        CycleAudit,
        CycleYear,
        Element,
        FailOption,
        MoneyRounding,
        PartnerCycle,
        Prerequisite,
        Question,
        ReferenceTable,
        ResolvedStandard,
        Rounding,
        Rule,
        RuleOverride,
        RuleVersion,
        SampleRow,
        SampleTableVersion,
        Sampling,
        ScoreRule,
        Scoring,
        Standard,
        StandardSource,
        ValueSource,
        exact_sum,
    )
    from corengine.model.validators import FieldError
    from corengine.model.vocabulary import (
        AUDIT_TYPES,
        AUDITOR_KINDS,
        CERTIFICATIONS,
        CONFIDENCE,
        EQUIVALENCY_TREATMENTS,
        IN_LIEU_OF_MAINTENANCE,
        METHODS,
    )

_HOMES: dict[str, tuple[str, str]] = {
    "AUDITOR_KINDS": ("corengine.model.vocabulary", "AUDITOR_KINDS"),
    "AUDIT_TYPES": ("corengine.model.vocabulary", "AUDIT_TYPES"),
    "Audit": ("corengine.model.audit", "Audit"),
    "AuditHistory": ("corengine.model.audit", "AuditHistory"),
    "AuditScore": ("corengine.model.results", "AuditScore"),
    "Auditor": ("corengine.model.audit", "Auditor"),
    "CERTIFICATIONS": ("corengine.model.vocabulary", "CERTIFICATIONS"),
    "CONFIDENCE": ("corengine.model.vocabulary", "CONFIDENCE"),
    "CYCLE_COUNTS": ("corengine.model.standard", "CYCLE_COUNTS"),
    "CertificateRule": ("corengine.model.standard", "CertificateRule"),
    "CertificationCycle": ("corengine.model.standard", "CertificationCycle"),
    "CountingRule": ("corengine.model.jurisdiction", "CountingRule"),
    "CycleAudit": ("corengine.model.standard", "CycleAudit"),
    "CycleYear": ("corengine.model.standard", "CycleYear"),
    "EQUIVALENCY_TREATMENTS": ("corengine.model.vocabulary", "EQUIVALENCY_TREATMENTS"),
    "Element": ("corengine.model.standard", "Element"),
    "ElementScore": ("corengine.model.results", "ElementScore"),
    "EligibilityRequest": ("corengine.model.jurisdiction", "EligibilityRequest"),
    "EligibilityVersion": ("corengine.model.jurisdiction", "EligibilityVersion"),
    "Employer": ("corengine.model.audit", "Employer"),
    "Equivalency": ("corengine.model.jurisdiction", "Equivalency"),
    "EvidenceIndex": ("corengine.model.evidence", "EvidenceIndex"),
    "EvidenceKind": ("corengine.model.evidence", "EvidenceKind"),
    "Expectation": ("corengine.model.evidence", "Expectation"),
    "FORMS": ("corengine.model.evidence", "FORMS"),
    "FailOption": ("corengine.model.standard", "FailOption"),
    "FieldError": ("corengine.model.validators", "FieldError"),
    "Finding": ("corengine.model.findings", "Finding"),
    "IN_LIEU_OF_MAINTENANCE": ("corengine.model.vocabulary", "IN_LIEU_OF_MAINTENANCE"),
    "Jurisdiction": ("corengine.model.jurisdiction", "Jurisdiction"),
    "LoadedAudit": ("corengine.model.audit", "LoadedAudit"),
    "METHODS": ("corengine.model.vocabulary", "METHODS"),
    "ManualSection": ("corengine.model.evidence", "ManualSection"),
    "MoneyRounding": ("corengine.model.standard", "MoneyRounding"),
    "Note": ("corengine.model.jurisdiction", "Note"),
    "OVERRIDE_FIXED": ("corengine.model.standard", "OVERRIDE_FIXED"),
    "Outcome": ("corengine.model.results", "Outcome"),
    "PREREQUISITE_KINDS": ("corengine.model.standard", "PREREQUISITE_KINDS"),
    "RECERTIFY_BY": ("corengine.model.standard", "RECERTIFY_BY"),
    "Partner": ("corengine.model.jurisdiction", "Partner"),
    "PartnerCycle": ("corengine.model.standard", "PartnerCycle"),
    "Prerequisite": ("corengine.model.standard", "Prerequisite"),
    "Quantity": ("corengine.model.findings", "Quantity"),
    "Question": ("corengine.model.standard", "Question"),
    "QuestionScore": ("corengine.model.results", "QuestionScore"),
    "ROUNDING_MODES": ("corengine.model.standard", "ROUNDING_MODES"),
    "Reciprocity": ("corengine.model.jurisdiction", "Reciprocity"),
    "RecordSet": ("corengine.model.evidence", "RecordSet"),
    "RecordsMinimum": ("corengine.model.jurisdiction", "RecordsMinimum"),
    "ReferenceTable": ("corengine.model.standard", "ReferenceTable"),
    "ResolvedStandard": ("corengine.model.standard", "ResolvedStandard"),
    "Response": ("corengine.model.audit", "Response"),
    "Result": ("corengine.model.results", "Result"),
    "Rounding": ("corengine.model.standard", "Rounding"),
    "Rule": ("corengine.model.standard", "Rule"),
    "RuleOverride": ("corengine.model.standard", "RuleOverride"),
    "RuleVersion": ("corengine.model.standard", "RuleVersion"),
    "SCORE_TREATMENTS": ("corengine.model.standard", "SCORE_TREATMENTS"),
    "SamplePlan": ("corengine.model.results", "SamplePlan"),
    "SampleRow": ("corengine.model.standard", "SampleRow"),
    "SampleTableVersion": ("corengine.model.standard", "SampleTableVersion"),
    "Sampling": ("corengine.model.standard", "Sampling"),
    "ScoreRule": ("corengine.model.standard", "ScoreRule"),
    "Scoring": ("corengine.model.standard", "Scoring"),
    "SizeBand": ("corengine.model.jurisdiction", "SizeBand"),
    "Standard": ("corengine.model.standard", "Standard"),
    "StandardSource": ("corengine.model.standard", "StandardSource"),
    "Tally": ("corengine.model.audit", "Tally"),
    "ValueSource": ("corengine.model.standard", "ValueSource"),
    "exact_sum": ("corengine.model.standard", "exact_sum"),
}
"""Each public name: the module that defines it and its name there, imported on first use (PEP 562)."""


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _HOMES[name]
    except KeyError:
        if name.startswith("_"):
            raise AttributeError(f"module 'corengine.model' has no attribute {name!r}") from None
        try:  # a submodule not imported yet (``corengine.model.converter``)
            return importlib.import_module(f"corengine.model.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"corengine.model.{name}":
                raise
            raise AttributeError(f"module 'corengine.model' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


__all__ = [
    "AUDITOR_KINDS",
    "AUDIT_TYPES",
    "CERTIFICATIONS",
    "CONFIDENCE",
    "CYCLE_COUNTS",
    "EQUIVALENCY_TREATMENTS",
    "FORMS",
    "IN_LIEU_OF_MAINTENANCE",
    "METHODS",
    "OVERRIDE_FIXED",
    "PREREQUISITE_KINDS",
    "RECERTIFY_BY",
    "ROUNDING_MODES",
    "SCORE_TREATMENTS",
    "Audit",
    "AuditHistory",
    "AuditScore",
    "Auditor",
    "CertificateRule",
    "CertificationCycle",
    "CountingRule",
    "CycleAudit",
    "CycleYear",
    "Element",
    "ElementScore",
    "EligibilityRequest",
    "EligibilityVersion",
    "Employer",
    "Equivalency",
    "EvidenceIndex",
    "EvidenceKind",
    "Expectation",
    "FailOption",
    "FieldError",
    "Finding",
    "Jurisdiction",
    "LoadedAudit",
    "ManualSection",
    "MoneyRounding",
    "Note",
    "Outcome",
    "Partner",
    "PartnerCycle",
    "Prerequisite",
    "Quantity",
    "Question",
    "QuestionScore",
    "Reciprocity",
    "RecordSet",
    "RecordsMinimum",
    "ReferenceTable",
    "ResolvedStandard",
    "Response",
    "Result",
    "Rounding",
    "Rule",
    "RuleOverride",
    "RuleVersion",
    "SamplePlan",
    "SampleRow",
    "SampleTableVersion",
    "Sampling",
    "ScoreRule",
    "Scoring",
    "SizeBand",
    "Standard",
    "StandardSource",
    "Tally",
    "ValueSource",
    "exact_sum",
]
