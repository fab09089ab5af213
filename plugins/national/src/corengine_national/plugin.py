"""The national harmonized audit tool: registration of its base standard only (no Python rules).

The plugin registers ``data/standards/national-harmonized.yaml``. It has no jurisdiction file: the base standard's
jurisdiction is the neutral code ``CA`` (no province), and each province's plugin or overlay brings its own.
"""

from __future__ import annotations

from corengine.plugin import data_plugin

PACKAGE = data_plugin("corengine_national")
corengine_register_standards = PACKAGE.corengine_register_standards
corengine_register_jurisdictions = PACKAGE.corengine_register_jurisdictions
corengine_register_data_files = PACKAGE.corengine_register_data_files
