"""Newfoundland and Labrador: registration of its jurisdiction file and its standard (NLCSA COR on the national
base); no Python rules.

The plugin registers ``data/nl.yaml`` (NLCSA, the notes) and ``data/standards/nl-nlcsa-cor.yaml`` (extends
``national-harmonized`` from ``corengine-national``), and ``data/auditors.yaml`` (NLCSA's certified internal
auditors) and ``data/incentives.yaml`` (the PRIME refund's condition), both read by the registry.
"""

from __future__ import annotations

from corengine.plugin import data_plugin

PACKAGE = data_plugin(
    "corengine_newfoundland",
    jurisdictions=["nl.yaml"],
    files={
        "auditors.yaml": "corengine.model.lifecycle:AuditorCurrency",
        "incentives.yaml": "corengine.model.lifecycle:Incentives",
    },
)
corengine_register_standards = PACKAGE.corengine_register_standards
corengine_register_jurisdictions = PACKAGE.corengine_register_jurisdictions
corengine_register_data_files = PACKAGE.corengine_register_data_files
