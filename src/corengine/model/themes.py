"""The closed vocabularies every standard maps to: interview roles and the common themes of the crosswalk.

Plain data with no imports, so the model's validators and the evidence mapping can both use it.
"""

from __future__ import annotations

ROLES: dict[str, str] = {
    "senior-management": "The most senior managers (owner, president, general manager).",
    "managers": "Managers below senior management.",
    "supervisors": "Supervisors, foremen and site superintendents.",
    "workers": "Workers (the self-assessor's conversations in a SECOR).",
    "new-workers": "New, young and transferred workers.",
    "committee-members": "Joint committee members or the health and safety representative.",
    "first-aiders": "Designated first aiders or attendants.",
    "contractors": "Workers of contracted employers on site.",
}
"""Roles an expectation may name for interviews (closed)."""

THEMES: dict[str, str] = {
    "policy-leadership": "Policy and leadership: policy, responsibilities, accountability, commitment.",
    "hazard-assessment": "Hazard assessment: formal and field-level hazard identification and risk rating.",
    "hazard-control": "Hazard control: safe work practices, job procedures, controls in use, violence and harassment.",
    "inspections": "Inspections: planned and pre-use inspections and their follow-up.",
    "training-orientation": "Training and orientation: orientation, training, competence, safety meetings.",
    "emergency-response": "Emergency response: plans, drills, first aid.",
    "incident-investigation": "Incident investigation: reporting, investigation, corrective action.",
    "records-statistics": "Records and statistics: record keeping, document control, statistics.",
    "committees-representatives": "Committees and representatives: joint committee or representative.",
    "contractors-procurement": "Contractors and procurement: prequalification, oversight, visitors, purchasing.",
    "legislation": "Legislation: legal requirements known, available and met; workers' rights.",
    "management-review-change": "Management review and change: system review, objectives, management of change.",
    "ppe": "PPE: personal protective equipment selected, provided, maintained and used.",
    "preventive-maintenance": "Preventive maintenance: equipment maintenance programs and records.",
    "company-rules": "Company rules: written rules and their enforcement.",
}
"""The common themes every element (and, where different, question) maps to (closed)."""
