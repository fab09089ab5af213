"""``corengine serve``: every endpoint answers the CLI's ``--format json`` bytes for the same input; every error is
a problem document; hostile bodies leave the service serving; the limits, token and CORS hold; and a real uvicorn
process answers on loopback."""

from __future__ import annotations

import json
import logging
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx2
import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from corengine import Engine
from corengine._cli.main import cli
from corengine._http.app import create_app
from corengine._http.limits import MAX_BODY
from corengine._http.openapi import ENDPOINTS, hoist, unhoist
from corengine._io.loading import MAX_BYTES, dump_yaml
from corengine._views.schema import all_schemas
from corengine.model import Result
from tests.helpers import (
    DATA,
    EXAMPLES,
    ROOT,
    TEST_STANDARD,
    StandardsPlugin,
    blank,
    fill,
    free_port,
    make_engine,
    serving,
    yaml_data,
)

PASS = EXAMPLES / "alberta-acsa-cor-certification-pass.yaml"
STRICT_DIFFERS = EXAMPLES / "ontario-internal-fail.yaml"
INDEX = EXAMPLES / "evidence" / "alberta-evidence-partial"
YAML = {"content-type": "application/yaml"}
JSON_BODY = {"content-type": "application/json"}
PROBLEMS = "/problems/"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The service over the installed plugins, as `corengine serve` runs it."""
    with TestClient(create_app(Engine())) as test_client:
        yield test_client


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder, so the CLI names its files as the uploads name theirs (by their bare names)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli_out(*args: str, code: int = 0) -> str:
    """What the CLI prints on standard output for ``args`` (installed plugins, like the service)."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, result.output
    return result.stdout


def copy(source: Path, folder: Path, name: str | None = None) -> Path:
    target = folder / (name or source.name)
    shutil.copyfile(source, target)
    return target


def still_serving(client: TestClient) -> None:
    response = client.get("/v1/plugins")
    assert response.status_code == 200
    assert response.text == cli_out("plugins", "--format", "json")


# --------------------------------------------------------------------------- routes and description


def test_every_endpoint_of_the_description_is_served_and_documented(client: TestClient) -> None:
    described = client.get("/openapi.json").json()
    assert sorted(described["paths"]) == sorted(
        [
            "/v1/standards",
            "/v1/standards/{id}",
            "/v1/standards/{id}/template.xlsx",
            "/v1/plugins",
            "/v1/validate",
            "/v1/score",
            "/v1/explain",
            "/v1/plan",
            "/v1/report",
            "/v1/verify",
            "/v1/eligibility",
            "/v1/sample",
            "/v1/readiness",
            "/v1/crosswalk",
            "/v1/reciprocity",
        ]
    )
    assert len(ENDPOINTS) == 15
    docs = client.get("/docs")
    assert docs.status_code == 200
    for endpoint in ENDPOINTS:
        assert f'id="{endpoint.name}"' in docs.text
        assert endpoint.method.lower() in described["paths"][endpoint.path]
        wrong = "POST" if endpoint.method == "GET" else "GET"
        path = endpoint.path.replace("{id}", "ab-acsa-cor")
        assert client.request(wrong, path).status_code == 405


def generated(schemas: dict[str, Any], name: str, file: str) -> dict[str, Any]:
    """The generated schema ``file`` as the description carries it (``$defs`` lifted into components)."""
    on_disk = all_schemas()[file]
    return unhoist(name, schemas, on_disk["$id"], on_disk["$schema"])


def test_the_description_carries_the_generated_schemas_exactly(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    files = all_schemas()
    for name, file in (
        ("Audit", "audit.schema.json"),
        ("Result", "result.schema.json"),
        ("Plan", "plan.schema.json"),
        ("Standard", "standard.schema.json"),
        ("EvidenceIndex", "evidence-index.schema.json"),
    ):
        assert generated(schemas, name, file) == files[file]
    on_disk = json.loads((ROOT / "schemas" / "result.schema.json").read_text(encoding="utf-8"))
    assert generated(schemas, "Result", "result.schema.json") == on_disk
    assert "Result.Finding" in schemas and "$defs" not in schemas["Result"] and "$id" not in schemas["Result"]


def test_a_score_response_validates_against_the_described_result_schema(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    response = client.post("/v1/score", content=PASS.read_bytes(), headers=YAML)
    jsonschema.validate(response.json(), generated(schemas, "Result", "result.schema.json"))


def test_plan_validate_and_verify_responses_validate_against_their_generated_described_schemas(
    client: TestClient,
) -> None:
    """The Plan, Validation and Verification components are generated from the attrs documents the answers are
    written from (no hand-written shells), and every answer validates against them."""
    from corengine._views.payloads import ValidationDocument, VerificationDocument
    from corengine._views.schema import model_schema

    described = client.get("/openapi.json").json()["components"]["schemas"]
    plan = generated(described, "Plan", "plan.schema.json")
    for name, cls in (("Validation", ValidationDocument), ("Verification", VerificationDocument)):
        schema = model_schema(cls, name.lower(), f"corengine {name.lower()}")
        assert all(described[key] == value for key, value in hoist(name, schema).items())
        assert schema["additionalProperties"] is False
    validation = unhoist("Validation", described, "urn:validation", "https://json-schema.org/draft/2020-12/schema")
    verification = unhoist(
        "Verification", described, "urn:verification", "https://json-schema.org/draft/2020-12/schema"
    )
    for example in (PASS, STRICT_DIFFERS, EXAMPLES / "alberta-acsa-cor-certification-element-fail.yaml"):
        jsonschema.validate(client.post("/v1/plan", content=example.read_bytes(), headers=YAML).json(), plan)
    jsonschema.validate(client.post("/v1/validate", content=PASS.read_bytes(), headers=YAML).json(), validation)
    broken = PASS.read_text(encoding="utf-8").replace("audit_type: certification", "audit_typ: certification")
    invalid = client.post("/v1/validate", content=broken.encode(), headers=YAML).json()
    assert invalid["problems"]
    jsonschema.validate(invalid, validation)
    explained = client.post("/v1/explain", content=PASS.read_bytes(), headers=YAML).text
    files = {"result": ("result.json", explained.encode()), "audit": ("audit.yaml", PASS.read_bytes())}
    jsonschema.validate(client.post("/v1/verify", files=files).json(), verification)
    files["result"] = ("result.json", explained.replace('"passed": true', '"passed": false', 1).encode())
    differs = client.post("/v1/verify", files=files).json()
    assert differs["differences"]
    jsonschema.validate(differs, verification)


def test_the_docs_and_upload_pages_fetch_nothing(client: TestClient) -> None:
    for path in ("/", "/docs"):
        page = client.get(path)
        assert page.status_code == 200
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        lowered = page.text.lower()
        for fetching in ("<script", "src=", "<link", "@import", "url("):
            assert fetching not in lowered, (path, fetching)
        assert "http://" not in lowered and "https://" not in lowered.replace(
            "https://portal", ""
        )  # no address to fetch


def test_the_upload_page_is_a_plain_form_posting_the_audit_file(client: TestClient) -> None:
    page = client.get("/").text
    assert '<form id="upload" method="post" action="/v1/report?format=html" enctype="multipart/form-data">' in page
    assert '<input id="audit" name="audit" type="file" accept=".xlsx,.yaml,.yml,.json" required>' in page
    assert 'formaction="/v1/score"' in page and 'formaction="/v1/plan"' in page
    assert "<code>ab-acsa-cor</code>" in page


def test_the_upload_page_escapes_what_a_standard_says(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.yaml"
    text = TEST_STANDARD.read_text(encoding="utf-8")
    title = "title: Test standard (core tests only)\n"
    assert title in text
    text = text.replace("id: test-basic\n", "id: test-hostile\n", 1)
    hostile.write_text(text.replace(title, "title: '<script>alert(1)</script> & <b>bold</b>'\n", 1), encoding="utf-8")
    engine = make_engine()
    engine.add_standard_file(hostile)
    page = TestClient(create_app(engine)).get("/").text
    assert "<script>" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


# --------------------------------------------------------------------------- standards and plugins


def test_plugins_are_the_cli_document(client: TestClient) -> None:
    response = client.get("/v1/plugins")
    assert (response.status_code, response.headers["content-type"]) == (200, "application/json")
    assert response.text == cli_out("plugins", "--format", "json")


def test_standards_are_the_cli_document(client: TestClient) -> None:
    assert client.get("/v1/standards").text == cli_out("standards", "--format", "json")
    only = client.get("/v1/standards", params={"province": "ab"})
    assert only.text == cli_out("standards", "--province", "ab", "--format", "json")
    assert [s["id"] for s in only.json()] == ["ab-acsa-cor", "ab-acsa-secor", "ab-esc-cor", "ab-pir"]


def test_a_standard_in_force_on_a_date_is_the_cli_document(client: TestClient) -> None:
    for day in ("2021-06-01", "2024-05-01"):
        response = client.get("/v1/standards/ab-acsa-cor", params={"on": day})
        assert response.status_code == 200
        assert response.text == cli_out("show", "ab-acsa-cor", "--on", day, "--format", "json")
        assert response.json()["rules_in_force"]["on"] == day


def test_an_unknown_standard_is_404_listing_the_installed_ones(client: TestClient) -> None:
    response = client.get("/v1/standards/ab-nope")
    installed = [s["id"] for s in client.get("/v1/standards").json()]
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": PROBLEMS + "unknown-standard",
        "title": "Unknown standard",
        "status": 404,
        "detail": f"unknown standard 'ab-nope' (installed: {', '.join(installed)})",
        "instance": "/v1/standards/ab-nope",
        "installed": installed,
    }


def test_a_bad_date_or_an_unknown_parameter_is_400(client: TestClient) -> None:
    response = client.get("/v1/standards/ab-acsa-cor", params={"on": "2024-02-30"})
    assert response.status_code == 400
    assert response.json() == {
        "type": PROBLEMS + "bad-parameter",
        "title": "Bad parameter",
        "status": 400,
        "detail": "on: expected a date as YYYY-MM-DD that exists, not '2024-02-30'",
        "instance": "/v1/standards/ab-acsa-cor",
    }
    typo = client.get("/v1/standards", params={"provinse": "AB"})
    assert (typo.status_code, typo.json()["detail"]) == (400, "unknown parameter 'provinse' (parameters: province)")
    twice = client.get("/v1/standards?province=AB&province=BC")
    assert (twice.status_code, twice.json()["detail"]) == (400, "the parameter 'province' is given twice")


# --------------------------------------------------------------------------- audits


def test_score_as_yaml_json_or_an_upload_is_the_cli_document(client: TestClient, here: Path) -> None:
    copy(PASS, here, "audit.yaml")
    expected = cli_out("score", "audit.yaml", "--format", "json")
    body = PASS.read_bytes()
    as_yaml = client.post("/v1/score", content=body, headers=YAML)
    assert (as_yaml.status_code, as_yaml.headers["content-type"]) == (200, "application/json")
    assert as_yaml.text == expected
    uploaded = client.post("/v1/score", files={"audit": ("audit.yaml", body, "application/octet-stream")})
    assert uploaded.text == expected
    (here / "audit.json").write_text(json.dumps(yaml_data(PASS)), encoding="utf-8")
    as_json = client.post("/v1/score", content=(here / "audit.json").read_bytes(), headers=JSON_BODY)
    assert as_json.status_code == 200
    assert as_json.text == cli_out("score", "audit.json", "--format", "json")


def test_an_uploaded_workbook_scores_like_the_cli(client: TestClient, here: Path) -> None:
    path = blank(Engine(), here, "ab-acsa-cor", "COR", "audit.xlsx")
    fill(path, yaml_data(PASS))
    expected = cli_out("score", "audit.xlsx", "--format", "json")
    uploaded = client.post("/v1/score", files={"audit": ("audit.xlsx", path.read_bytes())})
    assert uploaded.text == expected
    raw = client.post(
        "/v1/score",
        content=path.read_bytes(),
        headers={"content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    )
    assert raw.text == expected
    assert json.loads(expected)["outcome"]["passed"] is True


def test_strict_is_the_cli_strict(client: TestClient, here: Path) -> None:
    copy(STRICT_DIFFERS, here, "audit.yaml")
    body = STRICT_DIFFERS.read_bytes()
    lenient = client.post("/v1/score", content=body, headers=YAML)
    strict = client.post("/v1/score?strict=true", content=body, headers=YAML)
    assert lenient.text == cli_out("score", "audit.yaml", "--format", "json")
    assert strict.text == cli_out("score", "audit.yaml", "--strict", "--format", "json")
    assert (lenient.json()["outcome"]["passed"], strict.json()["outcome"]["passed"]) == (True, False)
    checkbox = client.post("/v1/score", files={"audit": ("audit.yaml", body)}, data={"strict": "on"})
    assert checkbox.text == strict.text
    bad = client.post("/v1/score?strict=yes", content=body, headers=YAML)
    assert (bad.status_code, bad.json()["detail"]) == (400, "strict: expected true or false, not 'yes'")


def test_explain_and_plan_are_the_cli_documents(client: TestClient, here: Path) -> None:
    copy(PASS, here, "audit.yaml")
    body = PASS.read_bytes()
    explained = client.post("/v1/explain", content=body, headers=YAML)
    assert explained.text == cli_out("explain", "audit.yaml", "--format", "json")
    planned = client.post("/v1/plan", content=body, headers=YAML)
    assert planned.text == cli_out("plan", "audit.yaml", "--format", "json")
    assert list(planned.json()) == ["rule", "actions", "path_to_pass"]


def test_report_is_the_cli_report_in_html_or_markdown(client: TestClient, here: Path) -> None:
    copy(PASS, here, "audit.yaml")
    body = PASS.read_bytes()
    page = client.post("/v1/report", content=body, headers=YAML)
    assert (page.status_code, page.headers["content-type"]) == (200, "text/html; charset=utf-8")
    assert page.text == cli_out("report", "audit.yaml", "--format", "html")
    md = client.post("/v1/report?format=md", content=body, headers=YAML)
    assert md.headers["content-type"] == "text/markdown; charset=utf-8"
    assert md.text == cli_out("report", "audit.yaml", "--format", "md")
    other = client.post("/v1/report?format=pdf", content=body, headers=YAML)
    assert (other.status_code, other.json()["detail"]) == (400, "format: expected html or md, not 'pdf'")


def test_validate_answers_200_with_the_cli_document_valid_or_not(client: TestClient, here: Path) -> None:
    copy(PASS, here, "audit.yaml")
    valid = client.post("/v1/validate", content=PASS.read_bytes(), headers=YAML)
    assert valid.status_code == 200
    assert valid.text == cli_out("validate", "audit.yaml", "--format", "json")
    broken = PASS.read_text(encoding="utf-8").replace("audit_type: certification", "audit_typ: certification")
    (here / "audit.yaml").write_text(broken, encoding="utf-8")
    invalid = client.post("/v1/validate", content=broken.encode(), headers=YAML)
    assert invalid.status_code == 200
    assert invalid.text == cli_out("validate", "audit.yaml", "--format", "json", code=2)
    assert invalid.json()["valid"] is False


def test_verify_recomputes_an_explanation_from_its_audit(client: TestClient, here: Path) -> None:
    copy(PASS, here, "audit.yaml")
    recorded = cli_out("explain", "audit.yaml", "--format", "json")
    (here / "result.json").write_text(recorded, encoding="utf-8")
    files = {"result": ("result.json", recorded.encode()), "audit": ("audit.yaml", PASS.read_bytes())}
    same = client.post("/v1/verify", files=files)
    assert (same.status_code, same.json()) == (200, {"verified": True, "differences": []})
    tampered = recorded.replace('"passed": true', '"passed": false', 1)
    (here / "result.json").write_text(tampered, encoding="utf-8")
    printed = cli_out("verify", "result.json", "audit.yaml", code=1).splitlines()
    files["result"] = ("result.json", tampered.encode())
    differs = client.post("/v1/verify", files=files)
    assert differs.status_code == 200
    assert differs.json()["verified"] is False
    assert [f"  {line}" for line in differs.json()["differences"]] == printed[1:]
    only_one = client.post("/v1/verify", files={"audit": ("audit.yaml", PASS.read_bytes())})
    assert (only_one.status_code, only_one.json()["detail"]) == (400, "the form has no file field 'result'")
    as_body = client.post("/v1/verify", content=recorded.encode(), headers=JSON_BODY)
    assert as_body.status_code == 415


def test_crosswalk_is_the_cli_document(client: TestClient, here: Path) -> None:
    copy(PASS, here, "audit.yaml")
    response = client.post("/v1/crosswalk?to=bc-bccsa-cor", content=PASS.read_bytes(), headers=YAML)
    assert response.status_code == 200
    assert response.text == cli_out("crosswalk", "audit.yaml", "--to", "bc-bccsa-cor", "--format", "json")
    small = client.post("/v1/crosswalk?to=bc-bccsa-cor&program=Small", content=PASS.read_bytes(), headers=YAML)
    expected = cli_out("crosswalk", "audit.yaml", "--to", "bc-bccsa-cor", "--program", "Small", "--format", "json")
    assert small.text == expected
    unknown = client.post("/v1/crosswalk?to=zz-nope", content=PASS.read_bytes(), headers=YAML)
    assert (unknown.status_code, unknown.json()["title"]) == (404, "Unknown standard")
    missing = client.post("/v1/crosswalk", content=PASS.read_bytes(), headers=YAML)
    assert (missing.status_code, missing.json()["detail"]) == (400, "the parameter 'to' is required")
    bad_program = client.post("/v1/crosswalk?to=bc-bccsa-cor&program=Huge", content=PASS.read_bytes(), headers=YAML)
    assert bad_program.status_code == 422
    assert bad_program.json()["problems"][0]["message"] == (
        "program: bc-bccsa-cor has no program 'Huge' (programs: Large, Small)"
    )


# --------------------------------------------------------------------------- employer questions


def test_eligibility_is_the_cli_document(client: TestClient) -> None:
    asked = {"province": "AB", "employees": 11, "partner": "ESC", "records_months": 8, "on": "2025-01-15"}
    response = client.post("/v1/eligibility", json=asked)
    assert response.status_code == 200
    expected = cli_out(
        "eligibility", "--province", "AB", "--employees", "11", "--partner", "ESC", "--records-months", "8",
        "--on", "2025-01-15", "--format", "json",
    )  # fmt: skip
    assert response.text == expected
    by_hours = client.post(
        "/v1/eligibility", content=b"province: BC\npayroll_hours: 40560\non: 2025-01-15\n", headers=YAML
    )
    expected = cli_out(
        "eligibility", "--province", "BC", "--payroll-hours", "40560", "--on", "2025-01-15", "--format", "json"
    )
    assert by_hours.text == expected


def test_eligibility_refuses_a_bad_request_naming_the_field(client: TestClient) -> None:
    typo = client.post("/v1/eligibility", json={"province": "AB", "employes": 11})
    assert typo.status_code == 422
    assert typo.json()["problems"] == [
        {
            "file": "request.json",
            "line": 1,
            "column": 29,
            "cell": None,
            "path": "employes",
            "message": "unknown key (did you mean 'employees'? expected one of: province, employees, fte, "
            "payroll_hours, records_months, on, partner, certifications)",
            "hint": "did you mean 'employees'?",
        }
    ]
    nothing = client.post("/v1/eligibility", json={"province": "AB"})
    assert nothing.status_code == 422
    assert nothing.json()["problems"][0]["message"] == "give employees, fte, payroll_hours or certifications"
    nowhere = client.post("/v1/eligibility", json={"province": "ZZ", "employees": 3})
    assert nowhere.status_code == 404
    assert nowhere.json()["detail"].startswith("no installed plugin covers province 'ZZ' (covered: ")


def test_sample_is_the_cli_document(client: TestClient) -> None:
    asked = {"standard": "ab-acsa-cor", "workers": 120, "sites": 12, "on": "2025-01-15"}
    response = client.post("/v1/sample", json=asked)
    assert response.status_code == 200
    expected = cli_out(
        "sample", "--standard", "ab-acsa-cor", "--workers", "120", "--sites", "12", "--on", "2025-01-15",
        "--format", "json",
    )  # fmt: skip
    assert response.text == expected
    negative = client.post("/v1/sample", json={**asked, "workers": -1})
    assert negative.status_code == 422
    assert [p["path"] for p in negative.json()["problems"]] == ["workers"]
    unknown = client.post("/v1/sample", json={**asked, "standard": "zz"})
    assert (unknown.status_code, unknown.json()["type"]) == (404, PROBLEMS + "unknown-standard")
    form = client.post("/v1/sample", files={"audit": ("a.yaml", b"x")})
    assert form.status_code == 415


def test_readiness_of_an_index_in_yaml_or_a_workbook_is_the_cli_document(client: TestClient, here: Path) -> None:
    for ending in (".yaml", ".xlsx"):
        source = copy(INDEX.with_suffix(ending), here, "index" + ending)
        expected = cli_out("readiness", "ab-acsa-cor", source.name, "--format", "json")
        uploaded = client.post(
            "/v1/readiness?standard=ab-acsa-cor", files={"index": (source.name, source.read_bytes())}
        )
        assert (uploaded.status_code, uploaded.text) == (200, expected)
    body = client.post(
        "/v1/readiness?standard=ab-acsa-cor&on=2025-01-15",
        content=INDEX.with_suffix(".yaml").read_bytes(),
        headers=YAML,
    )
    assert body.text == cli_out("readiness", "ab-acsa-cor", "index.yaml", "--on", "2025-01-15", "--format", "json")
    unknown = client.post("/v1/readiness?standard=zz", content=b"employer: X\n", headers=YAML)
    assert unknown.status_code == 404
    bad = client.post("/v1/readiness?standard=ab-acsa-cor", content=b"employer: X\nmanual: 3\n", headers=YAML)
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["path"] == "manual"


# --------------------------------------------------------------------------- hostile bodies


def problems_of(name: str, code: int = 2) -> list[dict[str, Any]]:
    """The problem records ``corengine validate NAME --format json`` lists."""
    listed: list[dict[str, Any]] = json.loads(cli_out("validate", name, "--format", "json", code=code))["problems"]
    return listed


def test_bad_json_is_400_with_the_loaders_problem(client: TestClient, here: Path) -> None:
    (here / "audit.json").write_text('{"standard": "ab-acsa-cor",, }', encoding="utf-8")
    response = client.post("/v1/score", content=b'{"standard": "ab-acsa-cor",, }', headers=JSON_BODY)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": PROBLEMS + "unreadable-body",
        "title": "Unreadable body",
        "status": 400,
        "detail": "audit.json: not readable as JSON",
        "instance": "/v1/score",
        "problems": problems_of("audit.json"),
        "truncated": 0,
    }
    assert (
        response.json()["problems"][0]["message"] == "not valid JSON: Expecting property name enclosed in double quotes"
    )
    still_serving(client)


def test_a_yaml_alias_bomb_is_refused_at_once(client: TestClient, here: Path) -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [{', '.join([f'*{previous}'] * 9)}]")
    bomb = ("\n".join(lines) + "\n").encode()
    (here / "audit.yaml").write_bytes(bomb)
    started = time.perf_counter()
    response = client.post("/v1/score", content=bomb, headers=YAML)
    assert time.perf_counter() - started < 5
    assert response.status_code == 400
    assert response.json()["problems"] == problems_of("audit.yaml")
    assert response.json()["problems"][0]["message"] == "YAML anchors and aliases are not allowed; write the value out"
    still_serving(client)


def test_an_oversized_body_is_413_whether_sent_whole_or_in_a_form(client: TestClient) -> None:
    too_big = b"#" * (MAX_BODY + 1)
    expected = {
        "type": PROBLEMS + "too-large",
        "title": "Body over the size limit",
        "status": 413,
        "detail": "the body is over the limit of 5 MiB for a file",
        "instance": "/v1/score",
    }
    whole = client.post("/v1/score", content=too_big, headers=YAML)
    assert (whole.status_code, whole.json()) == (413, expected)
    form = client.post("/v1/score", files={"audit": ("audit.yaml", too_big)})
    assert (form.status_code, form.json()) == (413, expected)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the body is counted as it arrives
        for _ in range(MAX_BODY // 65536 + 2):
            yield b"#" * 65536

    streamed = client.post("/v1/score", content=chunks(), headers=YAML)
    assert (streamed.status_code, streamed.json()) == (413, expected)
    just_over = client.post("/v1/score", content=b"#" * (MAX_BYTES + 1), headers=YAML)
    assert just_over.status_code == 413
    assert just_over.json()["problems"][0]["message"] == "larger than 5 MiB; refusing to read it"
    still_serving(client)


def test_a_workbook_with_a_formula_is_422_naming_the_cell(client: TestClient, here: Path) -> None:
    path = blank(Engine(), here, "ab-acsa-cor", "COR", "audit.xlsx")
    fill(path, yaml_data(PASS))
    book = openpyxl.load_workbook(path)
    book["Responses"]["G3"] = "=2/3"
    book.save(path)
    response = client.post("/v1/score", files={"audit": ("audit.xlsx", path.read_bytes())})
    assert response.status_code == 422
    document = response.json()
    assert document["type"] == PROBLEMS + "invalid-input"
    assert document["problems"] == problems_of("audit.xlsx")
    assert document["problems"][0]["cell"] == "Responses!G3"
    assert "is a formula ('=2/3') with no saved value; type the value itself" in document["problems"][0]["message"]
    still_serving(client)


def test_an_invalid_audit_is_422_with_every_problem(client: TestClient, here: Path) -> None:
    data = yaml_data(PASS)
    data["standard"] = "zz-unknown"
    data["audit_typo"] = 1
    body = dump_yaml(data).encode()
    (here / "audit.yaml").write_bytes(body)
    response = client.post("/v1/score", content=body, headers=YAML)
    assert response.status_code == 422
    expected = problems_of("audit.yaml")
    assert response.json() == {
        "type": PROBLEMS + "invalid-input",
        "title": "Invalid input",
        "status": 422,
        "detail": f"the audit has {len(expected)} problems",
        "instance": "/v1/score",
        "problems": expected,
        "truncated": 0,
    }
    still_serving(client)


@pytest.mark.parametrize(
    ("headers", "body", "status", "detail"),
    [
        ({"content-type": "text/plain"}, b"standard: x\n", 415, "a body of type 'text/plain' cannot be read here"),
        ({}, b"standard: x\n", 415, "a body of type 'unknown' cannot be read here"),
        (YAML, b"", 400, "audit.yaml: the file is empty"),
        (YAML, b"\xff\xfe\x00bad", 400, "audit.yaml: not readable as YAML"),
        ({"content-type": "multipart/form-data; boundary=x"}, b"--x\r\nbroken", 400, "the form has no file field"),
        ({"content-type": "multipart/form-data"}, b"--x\r\n", 400, "not a readable form: "),
    ],
    ids=["text-plain", "no-type", "empty", "not-utf8", "broken-form", "no-boundary"],
)
def test_an_unreadable_or_unsupported_body_is_a_problem_document(
    client: TestClient, headers: dict[str, str], body: bytes, status: int, detail: str
) -> None:
    response = client.post("/v1/score", content=body, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"].startswith(detail)
    assert "Traceback" not in response.text
    still_serving(client)


def test_a_form_without_the_file_or_with_a_path_for_a_name(client: TestClient, here: Path) -> None:
    nothing = client.post("/v1/score", data={"strict": "true"}, files={"other": ("a.yaml", b"x")})
    assert (nothing.status_code, nothing.json()["detail"]) == (400, "unexpected file field 'other' (expected: audit)")
    copy(PASS, here, "audit.yaml")
    named = client.post("/v1/validate", files={"audit": ("../../etc/passwd/audit.yaml", PASS.read_bytes())})
    assert named.json()["file"] == "audit.yaml"  # only the last part of a name is kept, and never opened


def test_unknown_paths_and_methods_are_problem_documents(client: TestClient) -> None:
    missing = client.get("/v2/score")
    assert (missing.status_code, missing.json()["type"]) == (404, PROBLEMS + "not-found")
    wrong = client.delete("/v1/score")
    assert (wrong.status_code, wrong.json()["title"]) == (405, "Method not allowed")
    assert wrong.headers["allow"] == "POST"


# --------------------------------------------------------------------------- safe defaults


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for response in (client.get("/"), client.get("/v1/plugins"), client.get("/nope")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["content-security-policy"].startswith("default-src 'none'")
        assert "access-control-allow-origin" not in response.headers  # no CORS unless asked


def test_a_token_is_required_when_set_and_compared_whole() -> None:
    with TestClient(create_app(make_engine(), token="s3cret-token")) as guarded:
        for headers in (
            {},
            {"authorization": "Bearer wrong"},
            {"authorization": "Bearer s3cret"},
            {"authorization": "Basic s3cret-token"},
        ):
            refused = guarded.get("/v1/plugins", headers=headers)
            assert refused.status_code == 401
            assert refused.headers["www-authenticate"] == 'Bearer realm="corengine"'
            assert refused.json()["type"] == PROBLEMS + "unauthorized"
        allowed = guarded.get("/v1/plugins", headers={"authorization": "Bearer s3cret-token"})
        assert allowed.status_code == 200
        assert guarded.get("/openapi.json", headers={"authorization": "Bearer s3cret-token"}).json()["security"] == [
            {"bearer": []}
        ]


def test_cors_answers_only_the_origins_given() -> None:
    with TestClient(create_app(make_engine(), cors=("https://portal.example.com",))) as shared:
        preflight = {"origin": "https://portal.example.com", "access-control-request-method": "POST"}
        allowed = shared.options("/v1/score", headers=preflight)
        assert allowed.headers["access-control-allow-origin"] == "https://portal.example.com"
        other = shared.get("/v1/plugins", headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
    with TestClient(create_app(make_engine())) as closed:
        assert (
            "access-control-allow-origin"
            not in closed.get("/v1/plugins", headers={"origin": "https://portal.example.com"}).headers
        )


class _Slow(Engine):
    def score(self, *args: Any, **kwargs: Any) -> Result:
        time.sleep(1.5)
        return super().score(*args, **kwargs)


class _Broken(Engine):
    def score(self, *args: Any, **kwargs: Any) -> Result:
        raise RuntimeError("internal detail: /secret/path")


def _test_engine(cls: type[Engine]) -> Engine:

    return cls(plugins=[StandardsPlugin()], load_entrypoints=False, environ={})


def test_a_request_over_the_time_limit_is_503_and_the_service_goes_on() -> None:

    with TestClient(create_app(_test_engine(_Slow), time_limit=0.3)) as slow:
        started = time.perf_counter()
        response = slow.post("/v1/score", content=(DATA / "audit-basic.yaml").read_bytes(), headers=YAML)
        assert time.perf_counter() - started < 1.4
        assert response.status_code == 503
        assert response.json() == {
            "type": PROBLEMS + "time-limit",
            "title": "Over the time limit",
            "status": 503,
            "detail": "the request took longer than the limit of 0.3 seconds",
            "instance": "/v1/score",
        }
        assert slow.get("/v1/plugins").status_code == 200


def test_an_unexpected_error_is_500_without_a_traceback_and_logged(caplog: pytest.LogCaptureFixture) -> None:

    caplog.set_level(logging.INFO, logger="corengine.serve")
    with TestClient(create_app(_test_engine(_Broken))) as broken:
        response = broken.post("/v1/score", content=(DATA / "audit-basic.yaml").read_bytes(), headers=YAML)
        assert response.status_code == 500
        assert response.json() == {
            "type": PROBLEMS + "internal-error",
            "title": "Internal error",
            "status": 500,
            "detail": "an unexpected error; it was logged on the server",
            "instance": "/v1/score",
        }
        assert "secret" not in response.text and "Traceback" not in response.text
        assert broken.get("/v1/plugins").status_code == 200
    logged = [r for r in caplog.records if r.exc_info]
    assert len(logged) == 1 and "internal detail" in str(logged[0].exc_info[1])  # type: ignore[index]


def test_one_log_line_per_request_without_the_audit(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="corengine.serve")
    client.post("/v1/score", content=PASS.read_bytes(), headers=YAML)
    client.get("/v1/standards/%0Aab-fake")
    lines = [r.getMessage() for r in caplog.records if r.name == "corengine.serve"]
    assert len(lines) == 2
    method, path, status, took = lines[0].split(" ")
    assert (method, path, status) == ("POST", "/v1/score", "200") and took.endswith("ms")
    assert lines[1].startswith("GET /v1/standards/ ab-fake 404 ")  # a line break in a path is not a new line
    employer = yaml_data(PASS)["employer"]["name"]
    assert all(employer not in line for line in lines)


# --------------------------------------------------------------------------- the command and a real process


def test_the_command_refuses_a_wildcard_origin_and_an_empty_token_file(tmp_path: Path) -> None:
    star = CliRunner().invoke(cli, ["serve", "--cors", "*"])
    assert star.exit_code == 2
    assert "expected an origin such as https://portal.example.com" in star.output
    empty = tmp_path / "token"
    empty.write_text("\n", encoding="utf-8")
    refused = CliRunner().invoke(cli, ["serve", "--token-file", str(empty)])
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"error: {empty}: the token file must hold one token of printable characters without spaces\n"
    )


def test_other_commands_do_not_import_the_web_stack() -> None:
    code = (
        "import sys; from click.testing import CliRunner; from corengine._cli.main import cli; "
        f"r = CliRunner().invoke(cli, ['score', {str(PASS)!r}]); assert r.exit_code == 0, r.output; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'starlette', 'uvicorn', 'anyio', 'multipart'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout == "[]\n"


def test_a_real_uvicorn_process_serves_on_loopback(here: Path) -> None:
    with serving(here) as (_, base, log):
        bad = httpx2.post(f"{base}/v1/score", content=b"{oops", headers=JSON_BODY, timeout=30)
        assert (bad.status_code, bad.headers["content-type"]) == (400, "application/problem+json")
        scored = httpx2.post(f"{base}/v1/score", content=PASS.read_bytes(), headers=YAML, timeout=30)
        assert scored.status_code == 200
        assert "server" not in scored.headers
        copy(PASS, here, "audit.yaml")
        assert scored.text == cli_out("score", "audit.yaml", "--format", "json")
    port = base.rsplit(":", 1)[1]
    written = log.read_text(encoding="utf-8")
    assert f"corengine serving on http://127.0.0.1:{port}/" in written
    assert "POST /v1/score 400 " in written and "POST /v1/score 200 " in written
    assert "Traceback" not in written


# --------------------------------------------------------------------------- an independent, hostile client


def test_a_trailing_slash_is_404_and_never_a_redirect_built_from_the_host_header(client: TestClient) -> None:
    for path in ("/v1/plugins/", "/v1/standards/", "/v1/standards/ab-acsa-cor/"):
        response = client.get(path, headers={"host": "evil.example"}, follow_redirects=False)
        assert response.status_code == 404, path
        assert "location" not in response.headers
        assert response.json()["detail"] == f"no endpoint at {path}; see /docs"
    still_serving(client)


def test_a_refused_cors_preflight_is_a_problem_document() -> None:
    with TestClient(create_app(make_engine(), cors=("https://portal.example.com",))) as shared:
        for origin, method, refused in (
            ("https://evil.example", "POST", "origin"),
            ("https://portal.example.com.evil.example", "POST", "origin"),
            ("null", "POST", "origin"),
            ("https://portal.example.com", "DELETE", "method"),
        ):
            preflight = {"origin": origin, "access-control-request-method": method}
            response = shared.options("/v1/score", headers=preflight)
            assert response.status_code == 400
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["x-content-type-options"] == "nosniff"
            assert "access-control-allow-origin" not in response.headers or origin == "https://portal.example.com"
            assert response.json() == {
                "type": PROBLEMS + "cors-refused",
                "title": "Cross-origin request refused",
                "status": 400,
                "detail": f"the service does not allow this cross-origin request (refused: {refused})",
                "instance": "/v1/score",
            }
        allowed = shared.options(
            "/v1/score", headers={"origin": "https://portal.example.com", "access-control-request-method": "POST"}
        )
        assert (allowed.status_code, allowed.headers["access-control-allow-origin"]) == (
            200,
            "https://portal.example.com",
        )


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("a\x00b.yaml", "ab.yaml"),
        ("\x1b[31mred.yaml", "[31mred.yaml"),
        ("\u202eevil\u200b.yaml", "evil.yaml"),
        ("C:\\Users\\me\\audit.yaml", "audit.yaml"),
        ("../../etc/passwd", "passwd"),
        ("..", "audit.yaml"),
        ("\x07\x08", "audit.yaml"),
    ],
    ids=["nul", "escape", "bidi-zero-width", "windows-path", "posix-path", "dot-dot", "only-controls"],
)
def test_an_uploaded_file_name_keeps_no_path_and_no_control_character(
    client: TestClient, given: str, kept: str
) -> None:
    # by hand: an HTTP client would percent-encode the name; a hostile one sends the bytes
    form = (
        b'--B\r\nContent-Disposition: form-data; name="audit"; filename="' + given.encode() + b'"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n" + PASS.read_bytes() + b"\r\n--B--\r\n"
    )
    named = client.post("/v1/validate", content=form, headers={"content-type": "multipart/form-data; boundary=B"})
    assert named.status_code == 200
    document = named.json()
    assert document["file"] == kept
    assert all(problem["file"] == kept for problem in document["problems"])
    still_serving(client)


def test_a_body_in_another_charset_is_415_and_a_doubled_content_type_400(client: TestClient) -> None:
    body = PASS.read_bytes()
    for charset in ("utf-8", "UTF-8", '"utf-8"', "us-ascii"):
        fine = client.post("/v1/score", content=body, headers={"content-type": f"application/yaml; charset={charset}"})
        assert fine.status_code == 200, charset
    for charset in ("latin-1", "utf-16", "iso-8859-1"):
        other = client.post("/v1/score", content=body, headers={"content-type": f"application/yaml; charset={charset}"})
        assert (other.status_code, other.json()["detail"]) == (
            415,
            f"a body in the charset {charset!r} cannot be read here (send UTF-8)",
        )
    twice = client.post(
        "/v1/score", content=body, headers=[("content-type", "application/yaml"), ("content-type", "text/plain")]
    )
    assert twice.status_code == 400
    assert twice.json() == {
        "type": PROBLEMS + "bad-header",
        "title": "Bad header",
        "status": 400,
        "detail": "Content-Type is sent 2 times; send it once",
        "instance": "/v1/score",
    }
    still_serving(client)


@pytest.mark.parametrize("day", ["20240101", "2024-W01-1", "2024-001", "２０２４-01-01", "2024-01-01T00:00"])
def test_a_date_is_written_yyyy_mm_dd_and_nothing_else(client: TestClient, day: str) -> None:
    response = client.get("/v1/standards/ab-acsa-cor", params={"on": day})
    assert (response.status_code, response.json()["detail"]) == (
        400,
        f"on: expected a date as YYYY-MM-DD that exists, not {day!r}",
    )


def test_a_token_longer_than_the_limit_is_refused_not_cut(tmp_path: Path) -> None:
    from corengine._http.limits import MAX_TOKEN
    from corengine._http.server import read_token
    from corengine.errors import CorengineError

    fits = tmp_path / "fits"
    fits.write_text("t" * MAX_TOKEN + "\n", encoding="utf-8")
    assert read_token(str(fits)) == "t" * MAX_TOKEN
    long = tmp_path / "long"
    long.write_text("t" * (MAX_TOKEN + 1), encoding="utf-8")
    with pytest.raises(CorengineError, match=f"the token file holds more than {MAX_TOKEN} characters"):
        read_token(str(long))


def test_the_description_is_openapi_3_1_and_every_reference_resolves(client: TestClient) -> None:
    """Checked by openapi-spec-validator as an independent client would (the OpenAPI 3.1 schema, and every
    ``$ref`` resolved from the document's root), with and without a token, and every ``$ref`` resolved again as
    JSON Schema 2020-12 resolves it."""
    validation = pytest.importorskip("openapi_spec_validator", reason="openapi-spec-validator not installed")
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    root = "urn:corengine:openapi"
    for token in (False, True):
        described = create_app(make_engine(), token="x" if token else None)
        document = TestClient(described).get("/openapi.json", headers={"authorization": "Bearer x"}).json()
        validation.validate(document)  # raises on the first error
        for schema in document["components"]["schemas"].values():
            jsonschema.Draft202012Validator.check_schema(schema)
        registry = Registry().with_resource(root, DRAFT202012.create_resource(document)).crawl()
        references = list(_references(document, root))
        for base, reference in references:
            registry.resolver(base_uri=base).lookup(reference)  # raises when it points nowhere
        assert len(references) > 50


def _references(node: Any, base: str) -> Iterator[tuple[str, str]]:
    """Every ``$ref`` under ``node`` with the base URI it is resolved against (the nearest ``$id``)."""
    if isinstance(node, dict):
        base = urljoin(base, node["$id"]) if isinstance(node.get("$id"), str) else base
        if isinstance(node.get("$ref"), str):
            yield base, node["$ref"]
        for value in node.values():
            yield from _references(value, base)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value, base)


def _serve(folder: Path, *options: str) -> tuple[subprocess.Popen[bytes], str, Path]:
    """``corengine serve`` on a free loopback port, answering: the process, its base address and its log."""
    command = Path(sys.executable).with_name("corengine")
    port = free_port()
    log = folder / "serve.log"
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            [str(command), "serve", "--port", str(port), *options], stdout=sink, stderr=subprocess.STDOUT, cwd=folder
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, log.read_text(encoding="utf-8")
        try:
            if httpx2.get(f"{base}/v1/plugins", timeout=2).status_code == 200:
                return process, base, log
        except httpx2.TransportError:
            pass
        assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
        time.sleep(0.2)


def test_a_request_head_sent_a_byte_at_a_time_is_cut_at_the_time_limit(here: Path) -> None:
    process, base, _ = _serve(here, "--time-limit", "1")
    try:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as slow:
            started = time.monotonic()
            cut = False
            for byte in b"GET /v1/plugins HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200:
                try:
                    slow.sendall(bytes([byte]))
                except OSError:
                    cut = True
                    break
                time.sleep(0.05)
                if time.monotonic() - started > 6:
                    break
            if not cut:
                slow.settimeout(3)
                try:
                    cut = slow.recv(1) == b""
                except OSError:
                    cut = True
            assert cut and time.monotonic() - started < 6  # closed after about a second, not held open
        with socket.create_connection(("127.0.0.1", port), timeout=10) as quick:  # a whole head is not cut
            quick.sendall(b"GET /v1/plugins HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            assert quick.recv(12) == b"HTTP/1.1 200"
        assert httpx2.get(f"{base}/v1/plugins", timeout=10).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_reciprocity_over_http_is_the_cli_answer(client: TestClient) -> None:
    from tests.helpers import invoke

    answered = client.get("/v1/reciprocity", params={"from": "AB", "to": "ON", "on": "2026-03-01"})
    assert answered.status_code == 200
    code, out, _ = invoke("reciprocity", "--from", "AB", "--to", "ON", "--on", "2026-03-01", "--format", "json")
    assert code == 0 and answered.json() == json.loads(out)
    assert client.get("/v1/reciprocity", params={"from": "AB", "to": "ZZ"}).status_code == 404
    missing = client.get("/v1/reciprocity", params={"from": "AB"})
    assert missing.status_code == 400 and "the parameter 'to' is required" in missing.json()["detail"]


def test_readiness_crosswalk_and_show_answers_validate_against_their_generated_schemas(client: TestClient) -> None:
    """No hand-written schema: the Readiness, Crosswalk and StandardInForce components are generated from the attrs
    documents the answers are written from, and every answer validates against them (``from`` included)."""
    described = client.get("/openapi.json").json()["components"]["schemas"]

    def schema(name: str) -> dict[str, Any]:
        return unhoist(name, described, f"urn:{name}", "https://json-schema.org/draft/2020-12/schema")

    index = INDEX.with_suffix(".yaml")
    readiness = client.post("/v1/readiness?standard=ab-acsa-cor", files={"index": (index.name, index.read_bytes())})
    jsonschema.validate(readiness.json(), schema("Readiness"))
    walk = client.post("/v1/crosswalk?to=bc-bccsa-cor", content=PASS.read_bytes(), headers=YAML).json()
    assert any(check["from"] for q in walk["questions"] for check in q["checks"])
    jsonschema.validate(walk, schema("Crosswalk"))
    assert described["Crosswalk.CrosswalkCheck"]["required"] == ["expects", "status", "credit", "from"]
    shown = client.get("/v1/standards/bc-bccsa-cor").json()
    jsonschema.validate(shown, schema("StandardInForce"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**shown, "rules_in_force": {"on": "2025-01-01"}}, schema("StandardInForce"))
