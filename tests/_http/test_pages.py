"""The service for people: a failed request from a browser answered as a page (API clients keep problem+json),
the blank workbooks on the upload page, ``/docs`` rendered, the problem types at ``/problems``, and a 413 that
reaches the client."""

from __future__ import annotations

import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
import uvicorn
from click.testing import CliRunner
from starlette.testclient import TestClient

from corengine import Engine
from corengine._cli.main import cli
from corengine._http.app import create_app
from corengine._http.pages import wants_html
from corengine._http.problems import PROBLEM_KINDS
from tests.helpers import EXAMPLES, ROOT, free_port

PASS = EXAMPLES / "alberta-acsa-cor-certification-pass.yaml"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
"""What Firefox and Chromium send with a form they submit."""


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Engine())) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        (BROWSER, True),
        ("text/html", True),
        ("text/html;q=0.5, application/json", False),
        ("*/*", False),  # httpx, curl, urllib: a tie keeps JSON
        ("application/json", False),
        ("application/problem+json, text/html;q=0.9", False),
        ("text/*", True),
        ("text/html;q=0", False),
        ("text/html;q=oops", False),
        ("", False),
        (None, False),
    ],
)
def test_a_browser_is_told_by_its_accept_header(accept: str | None, html: bool) -> None:
    assert wants_html(accept) is html


def _hostile_audit() -> bytes:
    text = PASS.read_text(encoding="utf-8")
    assert "\naudit_type: certification\n" in text
    return text.replace("\naudit_type: certification\n", "\naudit_type: certification\n'<b>x</b>&': 1\n").encode()


def test_a_bad_upload_from_the_page_is_answered_as_a_page(client: TestClient) -> None:
    form = {"audit": ("audit.yaml", _hostile_audit())}
    answer = client.post("/v1/report?format=html", files=form, headers={"Accept": BROWSER})
    assert (answer.status_code, answer.headers["content-type"]) == (422, "text/html; charset=utf-8")
    page = answer.text
    assert '<h1 id="title">Invalid input (422)</h1>' in page
    assert "<b>x</b>" not in page
    line = next(i for i, text in enumerate(PASS.read_text().splitlines(), 2) if text == "audit_type: certification")
    assert re.search(
        rf"<tr><td>audit.yaml</td><td>line {line}, column 14</td><td><code>\[&#34;&lt;b&gt;x&lt;/b&gt;&amp;&#34;\]</code></td>"
        r"<td>unknown key \(expected one of: standard, ",
        page,
    ), page
    assert '<a id="back" href="/">Back to the upload page</a>' in page
    assert '<a href="/problems/invalid-input"><code>invalid-input</code></a>' in page
    for fetching in ("<script", "src=", "<link", "url("):
        assert fetching not in page.lower()


@pytest.mark.parametrize("accept", ["*/*", "application/json", None])
def test_an_api_client_keeps_the_problem_document(client: TestClient, accept: str | None) -> None:
    headers = {"Accept": accept} if accept else {}
    answer = client.post("/v1/score", files={"audit": ("audit.yaml", _hostile_audit())}, headers=headers)
    assert (answer.status_code, answer.headers["content-type"]) == (422, "application/problem+json")
    document = answer.json()
    assert document["type"] == "/problems/invalid-input"
    assert document["problems"][0]["path"] == '["<b>x</b>&"]'


def test_errors_before_the_handler_are_pages_for_a_browser_too(client: TestClient) -> None:
    missing = client.get("/nowhere", headers={"Accept": BROWSER})
    assert (missing.status_code, missing.headers["content-type"]) == (404, "text/html; charset=utf-8")
    assert "no endpoint at /nowhere; see /docs" in missing.text
    big = client.post("/v1/score", content=b"#" * (11 * 1024 * 1024), headers={"Accept": BROWSER})
    assert (big.status_code, big.headers["content-type"]) == (413, "text/html; charset=utf-8")
    assert "Body over the size limit (413)" in big.text
    unknown = client.get("/v1/standards/zz-none/template.xlsx", headers={"Accept": BROWSER})
    assert unknown.status_code == 404
    assert "Installed standards: <code>ab-acsa-cor</code>," in unknown.text


# --------------------------------------------------------------------------- blank workbooks


def test_the_blank_workbook_is_the_bytes_corengine_new_writes(client: TestClient, tmp_path: Path) -> None:
    target = tmp_path / "blank.xlsx"
    assert CliRunner().invoke(cli, ["new", "bc-bccsa-cor", "--program", "Small", "-o", str(target)]).exit_code == 0
    answer = client.get("/v1/standards/bc-bccsa-cor/template.xlsx", params={"program": "Small"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert answer.headers["content-disposition"] == 'attachment; filename="bc-bccsa-cor-Small.xlsx"'
    assert answer.content == target.read_bytes()
    default = tmp_path / "default.xlsx"
    assert CliRunner().invoke(cli, ["new", "ab-acsa-cor", "-o", str(default)]).exit_code == 0
    assert client.get("/v1/standards/ab-acsa-cor/template.xlsx").content == default.read_bytes()


def test_a_blank_workbook_is_refused_as_new_refuses_it(client: TestClient) -> None:
    rules_only = client.get("/v1/standards/ab-pir/template.xlsx")
    assert rules_only.status_code == 422
    assert rules_only.json()["detail"].startswith("ab-pir has no questions for program ")
    assert "use ab-acsa-cor, ab-esc-cor" in rules_only.json()["detail"]
    wrong = client.get("/v1/standards/ab-acsa-cor/template.xlsx", params={"program": "Huge"})
    assert (wrong.status_code, wrong.json()["detail"]) == (400, "program: must be one of COR, not 'Huge'")
    assert client.get("/v1/standards/zz-none/template.xlsx").json()["type"] == "/problems/unknown-standard"


def test_the_upload_page_offers_a_blank_workbook_per_standard_and_program(client: TestClient) -> None:
    page = client.get("/").text
    assert (
        '<a class="blank" href="/v1/standards/bc-bccsa-cor/template.xlsx?program=Large" download>Large (.xlsx)</a>, '
        '<a class="blank" href="/v1/standards/bc-bccsa-cor/template.xlsx?program=Small" download>Small (.xlsx)</a>'
    ) in page
    row = next(line for line in page.splitlines() if "<code>ab-pir</code>" in line)
    assert row.endswith("<td>rules only</td></tr>")
    for link in re.findall(r'href="(/v1/standards/[^"]+)"', page):
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


# --------------------------------------------------------------------------- docs and problem types


def test_docs_render_the_inline_code_of_the_descriptions(client: TestClient) -> None:
    docs = client.get("/docs").text
    assert "`" not in docs
    assert "the document the CLI prints with <code>--format json</code>" in docs
    assert "<code>corengine score AUDIT --format json</code>" in docs
    assert '<a href="/problems">/problems</a>' in docs


def test_every_problem_type_leads_to_its_description(client: TestClient) -> None:
    kinds = [kind for kind, *_ in PROBLEM_KINDS]
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "corengine" / "_http").glob("*.py"))
    used = set(re.findall(r'ServiceProblem\(\s*(?:\d+|exc\.status_code),\s*"([a-z-]+)"', source))
    assert used and used <= set(kinds), used - set(kinds)
    listing = client.get("/problems")
    assert (listing.status_code, listing.headers["content-type"]) == (200, "text/html; charset=utf-8")
    for kind in kinds:
        assert f'<tr id="{kind}">' in listing.text
        one = client.get(f"/problems/{kind}")
        assert one.status_code == 200 and f'<tr id="{kind}" class="chosen">' in one.text
    assert client.get("/problems/no-such-kind").status_code == 404
    bad = client.post("/v1/score", content=b"{oops", headers={"content-type": "application/json"}).json()
    assert client.get(bad["type"]).status_code == 200


# --------------------------------------------------------------------------- the 413 reaches the client


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """The service under uvicorn on loopback (in this process), as ``corengine serve`` runs it."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Engine()), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive()
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_a_body_over_the_limit_is_read_and_answered_413_not_reset(served: str) -> None:
    body = b"#" * (15 * 1000 * 1000)  # over the socket buffers, so a connection closed unread resets
    request = urllib.request.Request(f"{served}/v1/score", data=body, headers={"Content-Type": "application/yaml"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=60)
    assert (caught.value.code, caught.value.headers["content-type"]) == (413, "application/problem+json")
    answer = httpx2.post(f"{served}/v1/score", content=body, headers={"Content-Type": "application/yaml"}, timeout=60)
    assert answer.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: refused once counted past the limit, the rest read
        for _ in range(200):
            yield b"#" * 65536

    streamed = httpx2.post(f"{served}/v1/score", content=chunks(), headers={"Content-Type": "application/yaml"})
    assert streamed.status_code == 413
    assert httpx2.get(f"{served}/v1/plugins").status_code == 200
