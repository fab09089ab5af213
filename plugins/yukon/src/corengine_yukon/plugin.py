"""Yukon: registration of its jurisdiction file and its standard only (no Python rules).

The plugin registers ``data/yukon.yaml`` (the jurisdiction YT: NSNY, COR/SECOR/OCOP by size, COREL reciprocity)
and ``data/standards/yt-nsny-cor.yaml`` (the national harmonized tool with the Yukon supplement as element 15).
Everything it decides is data: size bands, the pre-audit checklist, element 14 not counted in 2025, COREL.
"""

from __future__ import annotations

from corengine.plugin import data_plugin

PACKAGE = data_plugin("corengine_yukon", jurisdictions=["yukon.yaml"])
corengine_register_standards = PACKAGE.corengine_register_standards
corengine_register_jurisdictions = PACKAGE.corengine_register_jurisdictions
corengine_register_data_files = PACKAGE.corengine_register_data_files
