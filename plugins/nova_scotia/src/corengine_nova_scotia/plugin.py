"""Nova Scotia: registration of its jurisdiction file and its standard (CSNS COR on the national base); no Python rules.

The plugin registers ``data/ns.yaml`` (Construction Safety Nova Scotia, the four size classes, the notes) and
``data/standards/ns-csns-cor.yaml`` (extends ``national-harmonized`` from ``corengine-national``).
"""

from __future__ import annotations

from corengine.plugin import data_plugin

PACKAGE = data_plugin("corengine_nova_scotia", jurisdictions=["ns.yaml"])
corengine_register_standards = PACKAGE.corengine_register_standards
corengine_register_jurisdictions = PACKAGE.corengine_register_jurisdictions
corengine_register_data_files = PACKAGE.corengine_register_data_files
