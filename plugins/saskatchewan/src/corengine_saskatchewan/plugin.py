"""Saskatchewan: registration of its data only (no Python rules).

The plugin registers ``data/sk.yaml`` (the jurisdiction: partners, SECOR and COR sizing, counting, reciprocity)
and ``data/standards/*.yaml`` (the SCSA and HCSAS standards, each extending ``national-harmonized``).
"""

from __future__ import annotations

from corengine.plugin import data_plugin

PACKAGE = data_plugin("corengine_saskatchewan", jurisdictions=["sk.yaml"])
corengine_register_standards = PACKAGE.corengine_register_standards
corengine_register_jurisdictions = PACKAGE.corengine_register_jurisdictions
corengine_register_data_files = PACKAGE.corengine_register_data_files
