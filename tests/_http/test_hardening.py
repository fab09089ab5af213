"""The service's hardening with the hostile input made at run time: a Host it does not answer to (DNS
rebinding), a plugin whose exception text carries a secret, a time limit that is not a number, an IPv6 address."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from corengine import Engine, hookimpl
from corengine._cli.serve import served_url
from corengine._http.app import create_app
from corengine._http.middleware import host_name
from tests.helpers import StandardsPlugin, basic_audit, invoke


def test_a_host_the_service_does_not_answer_to_is_400_with_a_problem_document() -> None:
    app = create_app(
        Engine(plugins=[StandardsPlugin()], load_entrypoints=False, environ={}), allowed_hosts=("127.0.0.1",)
    )
    rebound = f"{secrets.token_hex(6)}.attacker.example"
    with TestClient(app, base_url=f"http://{rebound}") as client:
        answer = client.get("/v1/standards")
        assert answer.status_code == 400
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.json()["type"].endswith("host-not-allowed")
        assert answer.json()["detail"] == (
            "this service answers only to 127.0.0.1, ::1, localhost (start it with --allowed-host NAME for another "
            "name)"
        )
    for name in ("localhost:8000", "127.0.0.1", "[::1]:8000"):
        with TestClient(app, base_url=f"http://{name}") as client:
            assert client.get("/v1/standards").status_code == 200, name
    with TestClient(create_app(Engine(plugins=[StandardsPlugin()], load_entrypoints=False, environ={}),
                               allowed_hosts=("*",)), base_url=f"http://{rebound}") as client:  # fmt: skip
        assert client.get("/v1/standards").status_code == 200


def test_host_names_are_compared_without_port_or_case() -> None:
    assert [host_name(h) for h in ("[::1]:8000", "Example.ORG:80", "::1", "localhost")] == [
        "::1",
        "example.org",
        "::1",
        "localhost",
    ]


def test_a_plugin_failure_names_the_plugin_and_hook_never_the_exception_text(tmp_path: Path) -> None:
    secret = f"postgresql://corengine:{secrets.token_hex(8)}@db.internal/registry"

    class Leaky:
        name = "leaky"

        @hookimpl
        def corengine_review_outcome(self) -> list[object]:
            raise RuntimeError(f"cannot connect to {secret}")

    engine = Engine(plugins=[StandardsPlugin(), Leaky()], load_entrypoints=False, environ={})
    with TestClient(create_app(engine)) as client:
        answer = client.post("/v1/score", json=basic_audit())
    assert answer.status_code == 500
    assert secret not in answer.text
    assert answer.json()["detail"] == (
        "plugin 'leaky' failed in hook corengine_review_outcome; the error was logged on the server"
    )


def test_a_time_limit_that_is_not_a_finite_number_is_refused_at_start() -> None:
    for value in ("nan", "inf"):
        code, _, err = invoke("serve", "--time-limit", value)
        assert code == 2 and "Invalid value for '--time-limit'" in err, value


def test_an_ipv6_address_is_written_in_brackets() -> None:
    assert served_url("::1", 8000) == "http://[::1]:8000/"
    assert served_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"


def test_a_top_level_list_or_too_wide_a_file_is_422_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from corengine._io import loading

    composed: list[int] = []
    real = loading.yaml.compose
    monkeypatch.setattr(loading.yaml, "compose", lambda text, **k: composed.append(len(text)) or real(text, **k))
    numbers = ("[" + ", ".join(["7"] * 1_000_000) + "]\n").encode()
    with TestClient(create_app(Engine())) as client:
        listed = client.post("/v1/score", files={"audit": ("audit.yaml", numbers)})
        wide = client.post("/v1/score", files={"audit": ("audit.json", b'{"a": [' + b"0," * 100_000 + b"0]}")})
    assert listed.status_code == 422
    assert [p["message"] for p in listed.json()["problems"]] == ["expected a mapping at the top level, got a list"]
    assert [size for size in composed if size >= len(numbers)] == []  # neither the load nor the 400 check built it
    assert wide.status_code == 422
    assert [(p["line"], p["path"], p["message"]) for p in wide.json()["problems"]] == [
        (1, "a", "a list of more than 100000 entries (at most 100000 are read)")
    ]
