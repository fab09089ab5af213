"""The Northwest Territories and Nunavut: registration of their jurisdiction files and standards (no Python rules).

The Northern Safety Association (NSA) is the one authority for both territories, so one distribution registers
two jurisdiction files (``data/nt.yaml``, ``data/nu.yaml``) and, since a standard belongs to one jurisdiction,
two standards: ``nt-nsa-cor`` (the national harmonized tool with NSA's rules) and ``nu-nsa-cor``, which extends
it and changes only the jurisdiction, so both territories share one set of rules.
"""

from __future__ import annotations

from corengine.plugin import data_plugin

PACKAGE = data_plugin("corengine_northern", jurisdictions=["nt.yaml", "nu.yaml"])
corengine_register_standards = PACKAGE.corengine_register_standards
corengine_register_jurisdictions = PACKAGE.corengine_register_jurisdictions
corengine_register_data_files = PACKAGE.corengine_register_data_files
