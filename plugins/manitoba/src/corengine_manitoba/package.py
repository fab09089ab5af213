"""Manitoba's data files (:data:`PACKAGE`), declared without importing the classes that read them."""

from __future__ import annotations

from corengine.plugin import data_plugin

PACKAGE = data_plugin(
    "corengine_manitoba", jurisdictions=["mb.yaml"], files={"rebate.yaml": "corengine_manitoba.rules:RebateRules"}
)
