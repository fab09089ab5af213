"""The JSON Schemas in schemas/ are generated from the models and must stay in sync with them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from corengine._views.schema import all_schemas, render_schema
from tests.helpers import EXAMPLES, ROOT


@pytest.mark.parametrize("name", sorted(all_schemas()))
def test_checked_in_schema_is_current(name: str) -> None:
    path = ROOT / "schemas" / name
    assert path.read_text(encoding="utf-8") == render_schema(all_schemas()[name]), (
        f"schemas/{name} is out of date: run `make schemas`"
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


STANDARDS = sorted(ROOT.glob("plugins/*/src/*/data/standards/*.yaml"))
EXAMPLE_FILES = sorted((EXAMPLES).glob("*.yaml"))
EVIDENCE_INDEXES = sorted(ROOT.glob("examples/evidence/*.yaml"))


@pytest.mark.parametrize("path", STANDARDS, ids=[p.name for p in STANDARDS])
def test_shipped_standards_match_the_standard_schema(path: Path) -> None:
    jsonschema.validate(_plain(yaml.safe_load(path.read_text())), all_schemas()["standard.schema.json"])


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])
def test_examples_match_the_audit_schema(path: Path) -> None:
    jsonschema.validate(_plain(yaml.safe_load(path.read_text())), all_schemas()["audit.schema.json"])


@pytest.mark.parametrize("path", EVIDENCE_INDEXES, ids=[p.name for p in EVIDENCE_INDEXES])
def test_evidence_indexes_match_their_schema(path: Path) -> None:
    jsonschema.validate(_plain(yaml.safe_load(path.read_text())), all_schemas()["evidence-index.schema.json"])


def test_the_schema_rejects_a_typo_as_the_loader_does() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"standard": "x", "audit_typ": "y"}, all_schemas()["audit.schema.json"])


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_score_json_of_every_example_validates_against_the_generated_result_schema(example: Path, strict: bool) -> None:
    import json

    from click.testing import CliRunner

    from corengine._cli.main import cli

    args = ["score", str(example), "--format", "json"] + (["--strict"] if strict else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    jsonschema.validate(data, all_schemas()["result.schema.json"])
    assert (data["format"], data["schema_version"], data["outcome"]["strict"]) == ("corengine.result/2", "2.0", strict)
    for finding in data["outcome"]["reasons"]:
        assert {"check", "status", "subject", "required", "measured", "due", "confidence", "sources"} <= set(finding)
        assert finding["status"] in ("pass", "fail", "advisory", "info")
        for key in ("required", "measured"):
            assert finding[key] is None or isinstance(finding[key], dict), (finding["check"], finding[key])
    decisive = [f for f in data["outcome"]["reasons"] if f["status"] in ("pass", "fail")]
    assert all(f["required"] is not None for f in decisive if f["check"].endswith("_minimum")), decisive


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_plan_json_of_every_example_validates_against_the_generated_plan_schema(example: Path, strict: bool) -> None:
    import json

    from click.testing import CliRunner

    from corengine._cli.main import cli

    args = ["plan", str(example), "--format", "json"] + (["--strict"] if strict else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    jsonschema.validate(data, all_schemas()["plan.schema.json"])
    assert list(data) == ["rule", "actions", "path_to_pass"]


def test_the_plan_json_is_the_converter_over_the_plan_document() -> None:
    """No hand-built dict: ``plan_data`` is exactly ``unstructure`` of the attrs document the schema is generated
    from, and the schema refuses a key the document does not have."""
    from corengine import Engine
    from corengine._rules.action_plan import build_plan
    from corengine._views.plan import PlanDocument, plan_data, plan_document
    from corengine.model.converter import unstructure

    engine = Engine()
    plan = build_plan(engine.score(engine.load_audit(EXAMPLES / "ontario-internal-fail.yaml")))
    document = plan_document(plan)
    assert isinstance(document, PlanDocument)
    assert plan_data(plan) == unstructure(document)
    schema = all_schemas()["plan.schema.json"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**plan_data(plan), "extra": 1}, schema)
    action = {**plan_data(plan)["actions"][0], "reasons": ["because"]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**plan_data(plan), "actions": [action]}, schema)
