"""BC's data files (:data:`PACKAGE`): the standard in ``data/standards/``, the province in ``data/bc.yaml``, the
program rules in ``data/program.yaml``, declared without importing the classes that read them."""

from __future__ import annotations

from corengine.plugin import data_plugin

PACKAGE = data_plugin("corengine_bc", jurisdictions=["bc.yaml"], files={"program.yaml": "corengine_bc.program:Program"})
