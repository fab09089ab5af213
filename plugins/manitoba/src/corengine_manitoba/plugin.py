"""Manitoba: registration of its data only (no Python rules).

The plugin registers ``data/mb.yaml`` (the jurisdiction: partners, SECOR sizing, reciprocity, the Prevention
Rebate's conditions as notes) and ``data/standards/*.yaml`` (the CSAM and MHCA standards, each extending
``national-harmonized``).
"""

from __future__ import annotations

from corengine.plugin import data_plugin

PACKAGE = data_plugin("corengine_manitoba", jurisdictions=["mb.yaml"])
corengine_register_standards = PACKAGE.corengine_register_standards
corengine_register_jurisdictions = PACKAGE.corengine_register_jurisdictions
corengine_register_data_files = PACKAGE.corengine_register_data_files
