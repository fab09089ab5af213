"""Explanations carry the digest of their whole content, and ``corengine verify`` fails on any field added,
changed or duplicated and reads the recorded file strictly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from corengine._views.explain import document_digest
from tests.helpers import EXAMPLES, run, run_ok

# --------------------------------------------------------------------------- verify


@pytest.fixture(scope="module")
def explained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    example = EXAMPLES / "bc-small-certification.yaml"
    result = run("explain", str(example), "--format", "json", env={})
    assert result.exit_code == 0
    folder = tmp_path_factory.mktemp("verify")
    (folder / "result.json").write_text(result.stdout, encoding="utf-8")
    return example, result.stdout


def verify(folder: Path, example: Path, document: dict[str, Any] | str) -> Result:
    path = folder / "tampered.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document, indent=2), encoding="utf-8")
    return run("verify", str(path), str(example), env={})


def test_an_explanation_carries_the_digest_of_its_whole_content(explained: tuple[Path, str], tmp_path: Path) -> None:
    example, text = explained
    document = json.loads(text)
    assert document["digest"] == document_digest(document)
    result = verify(tmp_path, example, text)
    assert result.exit_code == 0, result.output


def test_verify_fails_on_an_added_top_level_field(explained: tuple[Path, str], tmp_path: Path) -> None:
    example, text = explained
    document = json.loads(text) | {"approved_by": None}
    result = verify(tmp_path, example, document)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == [
        "  the file was changed after it was written: its content no longer matches its digest",
        "  unexpected field 'approved_by' (recorded None)",
    ]


def test_verify_fails_on_an_added_result_field_even_when_null(explained: tuple[Path, str], tmp_path: Path) -> None:
    example, text = explained
    document = json.loads(text)
    document["result"]["outcome"]["override"] = None
    document["digest"] = document_digest(document)  # even with the digest recomputed to match
    result = verify(tmp_path, example, document)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == ["  result outcome.override: not part of a result (recorded None)"]


def test_verify_fails_on_a_changed_field(explained: tuple[Path, str], tmp_path: Path) -> None:
    example, text = explained
    document = json.loads(text)
    document["result"]["overall"]["percent"] = 99.0
    result = verify(tmp_path, example, document)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == [
        "  the file was changed after it was written: its content no longer matches its digest",
        "  result overall.percent: recorded 99.0, now 90.38",
    ]


def test_verify_refuses_a_duplicated_field(explained: tuple[Path, str], tmp_path: Path) -> None:
    example, text = explained
    duplicated = text.replace(
        '"format": "corengine.explain/1",', '"format": "corengine.explain/1",\n  "format": "x",', 1
    )
    result = verify(tmp_path, example, duplicated)
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'tampered.json'}:3: duplicate key 'format' (first given on line 2)\n"


def test_verify_reads_strictly(explained: tuple[Path, str], tmp_path: Path) -> None:
    example, text = explained
    result = verify(tmp_path, example, text.replace("90.38", "NaN", 1))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {tmp_path / 'tampered.json'}:")
    assert result.stderr.endswith(": result.overall.percent: NaN is not a number JSON allows (no infinities or NaN)\n")
    result = verify(tmp_path, example, '{"format": ' + "[" * 100 + "]" * 100 + "}")
    assert result.exit_code == 2
    assert result.stderr.endswith(": nested deeper than 64 levels\n")


@pytest.mark.parametrize("name", ["alberta-acsa-cor-certification-pass.yaml", "bc-small-certification.yaml"])
def test_the_explanation_is_an_attrs_document_its_generated_schema_describes(name: str) -> None:
    """``explain --format json`` comes from :class:`ExplainDocument` through the converter; the schema generated
    from the same class (the OpenAPI ``Explanation``) accepts it and refuses a field it does not know."""
    import jsonschema

    from corengine._views.explain import ExplainDocument
    from corengine._views.schema import model_schema

    document = json.loads(run_ok("explain", str(EXAMPLES / name), "--format", "json"))
    schema = model_schema(ExplainDocument, "explanation", "corengine explanation")
    jsonschema.validate(document, schema)
    assert list(document) == ["format", "engine", "plugins", "input", "standard", "result", "digest"]
    assert document["digest"] == document_digest(document)
    with pytest.raises(jsonschema.ValidationError, match="Additional properties"):
        jsonschema.validate({**document, "extra": 1}, schema)
