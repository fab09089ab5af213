"""BC's data files (:data:`PACKAGE`): the standard in ``data/standards/``, the province in ``data/bc.yaml``, the
program rules in ``data/program.yaml``, BCCSA's auditor currency in ``data/auditors.yaml`` and the COR incentive's
conditions the registry judges in ``data/incentives.yaml``, declared without importing the classes that read them."""

from __future__ import annotations

from corengine.plugin import data_plugin

PACKAGE = data_plugin(
    "corengine_bc",
    jurisdictions=["bc.yaml"],
    files={
        "program.yaml": "corengine_bc.program:Program",
        "auditors.yaml": "corengine.model.lifecycle:AuditorCurrency",
        "incentives.yaml": "corengine.model.lifecycle:Incentives",
    },
)
