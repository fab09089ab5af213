"""``corengine serve --db``: the registry's read endpoints answer exactly the CLI's JSON documents, storing an
audit needs the bearer token, letters verify against ``--letter-key``, the routes exist only when configured, and
the OpenAPI document describes them from the same classes. A real SQLite file, the app through TestClient."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import httpx2
import jsonschema
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from corengine import Engine
from corengine._cli.main import cli
from corengine._http.app import create_app
from corengine._http.openapi import unhoist
from corengine._http.registry_routes import RegistrySettings, schemas
from corengine._io import signing
from corengine._views.registry import StatusDocument
from corengine._views.schema import model_schema
from tests.helpers import EXAMPLES

ONTARIO = [EXAMPLES / "ontario-internal-pass.yaml", EXAMPLES / "ontario-external-pass.yaml"]
ALBERTA = EXAMPLES / "alberta-esc-cor-recertification.yaml"
TOKEN = {"authorization": "Bearer s3cret"}


def cli_run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, str, Path]:
    """A registry file with the Ontario and Alberta audits, a key pair and a letter signed with it."""
    folder = tmp_path_factory.mktemp("served")
    db = str(folder / "r.sqlite3")
    cli_run("registry", "init", "--db", db)
    cli_run("registry", "add", "--db", db, *map(str, ONTARIO), str(ALBERTA))
    private, public, _ = signing.generate(folder / "keys")
    letter = folder / "letter.json"
    cli_run(
        "registry", "letter", "WSIB 1234567", "--on", "2025-12-15", "--key", str(private), "--db", db, "-o", str(letter)
    )
    return db, str(private), str(public), letter


@pytest.fixture(scope="module")
def client(registry: tuple[str, str, str, Path]) -> TestClient:
    db, _, public, _ = registry
    return TestClient(create_app(Engine(), registry=RegistrySettings(db, public)))


@pytest.mark.parametrize("on", ["2025-06-01", "2026-02-15", "2028-02-01"])
def test_status_is_the_cli_document(client: TestClient, registry: tuple[str, str, str, Path], on: str) -> None:
    answer = client.get("/v1/registry/employers/WSIB%201234567/status", params={"on": on})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    expected = cli_run("registry", "status", "WSIB 1234567", "--on", on, "--db", registry[0], "--format", "json")
    assert answer.text == expected


def test_an_employer_known_by_its_name_and_a_key_with_a_slash(
    client: TestClient, registry: tuple[str, str, str, Path]
) -> None:
    name = "Foothills Well Servicing Inc. (fictional)"
    answer = client.get(f"/v1/registry/employers/{name}/status", params={"on": "2025-12-01"})
    expected = cli_run("registry", "status", name, "--on", "2025-12-01", "--db", registry[0], "--format", "json")
    assert answer.text == expected
    missing = client.get("/v1/registry/employers/WSIB%2F0000/status")
    assert (missing.status_code, missing.json()["detail"]) == (
        404,
        "no employer 'WSIB/0000' in the registry (give its key, WCB account or name)",
    )
    assert missing.headers["content-type"] == "application/problem+json"


def test_due_is_the_cli_document(client: TestClient, registry: tuple[str, str, str, Path]) -> None:
    answer = client.get("/v1/registry/due", params={"on": "2025-12-01", "within": "120d"})
    args = ("registry", "due", "--on", "2025-12-01", "--within", "120d", "--db", registry[0], "--format", "json")
    assert answer.status_code == 200 and answer.text == cli_run(*args)
    assert len(answer.json()["items"]) == 2
    bad = client.get("/v1/registry/due", params={"within": "soon"})
    assert (bad.status_code, bad.json()["detail"]) == (
        400,
        "within: expected a period such as 60d, 8w or 2m, not 'soon'",
    )
    assert client.get("/v1/registry/due", params={"on": "someday"}).status_code == 400
    assert client.get("/v1/registry/due", params={"what": "x"}).status_code == 400


def test_a_letter_verifies_and_a_changed_byte_does_not(
    client: TestClient, registry: tuple[str, str, str, Path]
) -> None:
    letter = registry[3]
    data = letter.read_bytes()
    answer = client.post("/v1/letters/verify", content=data, headers={"content-type": "application/json"})
    assert answer.status_code == 200
    expected = cli_run("letter", "verify", str(letter), "--key", registry[2])
    found = answer.json()
    assert (
        found["valid"] is True
        and expected == f"valid: {found['reason']}; signed by fingerprint {found['fingerprint']}\n"
    )
    form = client.post("/v1/letters/verify", files={"letter": ("letter.json", data, "application/json")})
    assert form.json() == found
    at = data.index(b'"status":"') + len(b'"status":"')
    tampered = data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]
    refused = client.post("/v1/letters/verify", content=tampered, headers={"content-type": "application/json"})
    assert refused.status_code == 200 and refused.json()["valid"] is False
    assert (
        refused.json()["reason"] == "the signature does not match the letter (the letter or its signature was changed)"
    )
    broken = client.post("/v1/letters/verify", content=b"{", headers={"content-type": "application/json"})
    assert broken.status_code == 400
    assert (
        broken.json()["detail"]
        == "letter.json: not a signed letter (not JSON: Expecting property name enclosed in double quotes at line 1, column 2)"
    )


def test_storing_an_audit_needs_the_token(registry: tuple[str, str, str, Path], tmp_path: Path) -> None:
    db = str(tmp_path / "w.sqlite3")
    cli_run("registry", "init", "--db", db)
    body = ONTARIO[1].read_bytes()
    yaml_body = {"content-type": "application/yaml"}
    without = TestClient(create_app(Engine(), registry=RegistrySettings(db)))
    refused = without.post("/v1/registry/audits", content=body, headers=yaml_body)
    assert (refused.status_code, refused.json()["type"]) == (
        403,
        "/problems/writes-need-a-token",
    )
    guarded = TestClient(create_app(Engine(), token="s3cret", registry=RegistrySettings(db)))
    assert guarded.post("/v1/registry/audits", content=body, headers=yaml_body).status_code == 401
    added = guarded.post("/v1/registry/audits", content=body, headers={**yaml_body, **TOKEN})
    assert added.status_code == 200
    assert added.json() == {
        "outcome": "added",
        "sha256": hashlib.sha256(body).hexdigest(),
        "source": "audit.yaml",
        "employer": {
            "key": "WSIB 1234567",
            "name": "Lakeshore Paving Ltd.",
            "wcb_account": "WSIB 1234567",
            "industry_code": added.json()["employer"]["industry_code"],
        },
        "audit_type": "external",
        "audit_date": "2025-01-24",
        "passed": True,
        "certificate": "COR (3 years)",
        "valid_until": "2028-01-24",
    }
    again = guarded.post("/v1/registry/audits", files={"audit": ("x.yaml", body)}, headers=TOKEN)
    assert (again.status_code, again.json()["outcome"]) == (200, "already")
    bad = guarded.post("/v1/registry/audits", content=b"audit_type: [", headers={**yaml_body, **TOKEN})
    assert bad.status_code == 400
    exported = cli_run("registry", "export", "--db", db).splitlines()
    assert len(exported) == 1 and json.loads(exported[0])["digest"] == added.json()["sha256"]
    status = guarded.get("/v1/registry/employers/WSIB 1234567/status", params={"on": "2025-06-01"}, headers=TOKEN)
    assert status.text == cli_run(
        "registry", "status", "WSIB 1234567", "--on", "2025-06-01", "--db", db, "--format", "json"
    )


def test_without_db_or_key_the_routes_do_not_exist(registry: tuple[str, str, str, Path]) -> None:
    plain = TestClient(create_app(Engine()))
    for path in ("/v1/registry/due", "/v1/registry/employers/WSIB%201234567/status"):
        assert plain.get(path).status_code == 404
    assert plain.post("/v1/registry/audits", content=b"x").status_code == 404
    assert (
        plain.post("/v1/letters/verify", content=b"{}", headers={"content-type": "application/json"}).status_code == 404
    )
    described = plain.get("/openapi.json").json()
    assert not [p for p in described["paths"] if "registry" in p or "letters" in p]
    only_db = TestClient(create_app(Engine(), registry=RegistrySettings(registry[0])))
    assert only_db.get("/v1/registry/due").status_code == 200
    assert (
        only_db.post("/v1/letters/verify", content=b"{}", headers={"content-type": "application/json"}).status_code
        == 404
    )


def test_the_openapi_document_describes_the_registry_from_the_classes(client: TestClient) -> None:
    described = client.get("/openapi.json").json()
    assert {
        "/v1/registry/employers/{key}/status",
        "/v1/registry/due",
        "/v1/registry/audits",
        "/v1/letters/verify",
    } <= set(described["paths"])
    components = described["components"]["schemas"]
    generated = model_schema(StatusDocument, "registry-status", "corengine registry status")
    assert unhoist("RegistryStatus", components, generated["$id"], generated["$schema"]) == generated
    assert set(schemas()) <= set(components)
    answer = client.get("/v1/registry/employers/WSIB 1234567/status", params={"on": "2025-06-01"}).json()
    jsonschema.validate(answer, generated)
    operation = described["paths"]["/v1/registry/audits"]["post"]
    assert operation["responses"]["403"]["description"] == "Writes need a service started with a bearer token"


def test_serve_refuses_a_database_that_is_not_a_registry(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.sqlite3")])
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"error: {tmp_path / 'none.sqlite3'}: no registry here; create it with `corengine registry init`\n"
    )


def test_a_real_service_with_two_workers_serves_the_registry(
    registry: tuple[str, str, str, Path], tmp_path: Path
) -> None:
    from tests._http.test_serve import _serve

    db, _, public, letter = registry
    process, base, log = _serve(tmp_path, "--db", db, "--letter-key", public, "--workers", "2")
    try:
        for _ in range(4):  # answered by either worker: each opened the registry itself
            answer = httpx2.get(f"{base}/v1/registry/employers/WSIB%201234567/status?on=2025-06-01", timeout=30)
            assert answer.text == cli_run(
                "registry", "status", "WSIB 1234567", "--on", "2025-06-01", "--db", db, "--format", "json"
            )
        checked = httpx2.post(
            f"{base}/v1/letters/verify",
            content=letter.read_bytes(),
            headers={"content-type": "application/json"},
            timeout=30,
        )
        assert checked.json()["valid"] is True
        body = ONTARIO[0].read_bytes()
        refused = httpx2.post(
            f"{base}/v1/registry/audits", content=body, headers={"content-type": "application/yaml"}, timeout=30
        )
        assert refused.status_code == 403  # no --token-file: no writes
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "Traceback" not in log.read_text(encoding="utf-8")
