"""Québec: registration of its jurisdiction file only (no standard, no Python rules).

The plugin registers ``data/qc.yaml``, whose note says that no COR program is known for QC.
"""

from __future__ import annotations

from corengine.plugin import data_plugin

PACKAGE = data_plugin("corengine_quebec", jurisdictions=["qc.yaml"])
corengine_register_standards = PACKAGE.corengine_register_standards
corengine_register_jurisdictions = PACKAGE.corengine_register_jurisdictions
corengine_register_data_files = PACKAGE.corengine_register_data_files
