"""The closed vocabularies of the model: verification methods, confidence, auditor kinds, certifications,
audit types, and the exact sum every total uses."""

from __future__ import annotations

from corengine.model.findings import Finding as Finding
from corengine.model.findings import Quantity as Quantity
from corengine.model.validators import FieldError as FieldError

METHODS = ("D", "I", "O")
"""Verification methods: documentation, interviews, observation."""

CONFIDENCE = ("H", "M", "L")
"""How well a rule value is sourced: government page or two partners (H), one partner (M), a blog or old page (L)."""

AUDITOR_KINDS = ("external", "internal", "candidate", "self-assessor")
"""Who conducted the audit; rules say which kinds may conduct which audit types."""

CERTIFICATIONS = ("ISO45001", "CSA-Z45001", "CSA-Z1000")
"""Outside occupational health and safety management-system certifications an employer may hold: ISO 45001
(2018), CSA Z45001 (2019) and CSA Z1000 (2014)."""

EQUIVALENCY_TREATMENTS = ("route", "information", "not-accepted")
RECIPROCITY_TREATMENTS = ("letter", "documents", "not-accepted", "home-only", "information")
"""What a jurisdiction makes of a COR earned in another: ``letter`` (an equivalency letter it issues, e.g. Yukon's
COREL), ``documents`` (what the employer must file, e.g. New Brunswick's application and section 14 supplement),
``not-accepted`` (it does not take that certificate or route), ``home-only`` (an outbound rule: the certificate is
recognised only at home, e.g. Manitoba's SECOR), ``information`` (a statement that decides nothing)."""
"""What a province makes of an outside certification: a ``route`` to its certificate, ``information`` only, or
``not-accepted`` in place of its audits."""

AUDIT_TYPES = (
    "certification",
    "recertification",
    "maintenance",
    "internal",
    "external",
    "self-assessment",
    "administrative",
    "limited-scope",
    "action-plan",
)
"""Audit types the core knows; a standard may declare more in ``audit_types``."""

IN_LIEU_OF_MAINTENANCE = ("action-plan",)
"""Audit types that stand in for a maintenance audit when they pass (a partner's action plan)."""

CORE_PLUGIN = "corengine.defaults"
"""The name the core's own plugin is registered under (its findings name the standard's plugin instead)."""
