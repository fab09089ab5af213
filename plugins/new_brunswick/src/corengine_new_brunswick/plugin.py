"""New Brunswick: registration of its jurisdiction file only (no standard, no Python rules).

The plugin registers ``data/nb.yaml``: NBCSA, its equivalency route for a COR from another province as an inbound
reciprocity rule, and a note on what is not found.
"""

from __future__ import annotations

from corengine.plugin import data_plugin

PACKAGE = data_plugin("corengine_new_brunswick", jurisdictions=["nb.yaml"])
corengine_register_standards = PACKAGE.corengine_register_standards
corengine_register_jurisdictions = PACKAGE.corengine_register_jurisdictions
corengine_register_data_files = PACKAGE.corengine_register_data_files
