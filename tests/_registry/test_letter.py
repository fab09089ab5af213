"""``corengine registry letter``: a signed Letter of Good Standing, its HTML form, and ``letter verify``."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from corengine._cli.main import cli
from corengine._io import signing
from corengine._views.letter import verify
from corengine.errors import CorengineError
from tests._registry.test_registry import ONTARIO, init, registry
from tests.helpers import EXAMPLES


def letter(*args: str) -> Result:
    return CliRunner().invoke(cli, ["letter", *args])


@pytest.fixture
def keys(tmp_path: Path) -> tuple[str, str, str]:
    """A key pair: the private key's path, the public key's path and the fingerprint."""
    private, public, fingerprint = signing.generate(tmp_path / "keys")
    return str(private), str(public), fingerprint


@pytest.fixture
def signed(tmp_path: Path, keys: tuple[str, str, str]) -> Path:
    """The letter of WSIB 1234567 on 2025-12-15, from the two Ontario audits."""
    db = str(tmp_path / "r.sqlite3")
    init(db)
    assert registry("add", "--db", db, *map(str, ONTARIO)).exit_code == 0
    out = tmp_path / "letter.json"
    result = registry("letter", "WSIB 1234567", "--on", "2025-12-15", "--key", keys[0], "--db", db, "-o", str(out))
    assert (result.exit_code, result.output) == (0, "")
    return out


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_letter_states_the_status_and_why_and_verifies(signed: Path, keys: tuple[str, str, str]) -> None:
    data = signed.read_bytes()
    document = json.loads(data)
    body = document["letter"]
    assert data == json.dumps(document, sort_keys=True, separators=(",", ":")).encode("ascii") + b"\n"
    assert document["signature"]["algorithm"] == "Ed25519"
    assert document["signature"]["fingerprint"] == keys[2]
    assert {k: v for k, v in body.items() if k not in ("findings", "records", "issued")} == {
        "format": "corengine-letter-of-good-standing",
        "version": 1,
        "employer": {
            "key": "WSIB 1234567",
            "name": "Lakeshore Paving Ltd.",
            "wcb_account": "WSIB 1234567",
            "industry_code": "road construction",
        },
        "on": "2025-12-15",
        "status": "maintenance due",
        "current": True,
        "by": "2026-01-31",
        "message": "maintenance audit due by 2026-01-31: not done yet (its window opened on 2025-02-01)",
        "certificate": "COR (3 years)",
        "valid_until": "2028-01-24",
        "engine": {"name": "corengine", "version": "0.2.0"},
    }
    assert body["issued"] == dt.date.today().isoformat()
    assert body["records"] == [
        {
            "sha256": _sha256(ONTARIO[0]),
            "source": "ontario-internal-pass.yaml",
            "audit_date": "2024-09-20",
            "audit_type": "internal",
            "certificate": "External audit authorised",
        },
        {
            "sha256": _sha256(ONTARIO[1]),
            "source": "ontario-external-pass.yaml",
            "audit_date": "2025-01-24",
            "audit_type": "external",
            "certificate": "COR (3 years)",
        },
    ]
    due = body["findings"][1]
    assert (due["check"], due["plugin"], due["rule_version"], due["confidence"], due["sources"]) == (
        "cycle.maintenance",
        "ontario",
        "2020-07-01",
        "H",
        [
            "https://www.ihsa.ca/COR/COR-Internal-and-External-Audit.aspx",
            "https://www.ihsa.ca/COR/Roles-and-Responsibilities.aspx",
        ],
    )
    key = signing.load_public(keys[1])
    signature = base64.b64decode(document["signature"]["value"])
    key.verify(signature, json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())
    result = letter("verify", str(signed), "--key", keys[1])
    assert (result.exit_code, result.output) == (
        0,
        "valid: letter of good standing for Lakeshore Paving Ltd. (WSIB 1234567) on 2025-12-15: maintenance due; "
        f"signed by fingerprint {keys[2]}\n",
    )


def _flip(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def test_one_byte_of_the_body_changed_is_not_valid(signed: Path, keys: tuple[str, str, str]) -> None:
    _flip(signed, signed.read_bytes().index(b"Lakeshore"))  # L -> M
    result = letter("verify", str(signed), "--key", keys[1])
    assert (result.exit_code, result.output) == (
        1,
        "not valid: the signature does not match the letter (the letter or its signature was changed)\n",
    )


def test_one_byte_of_the_signature_changed_is_not_valid(signed: Path, keys: tuple[str, str, str]) -> None:
    data = signed.read_bytes()
    value = json.loads(data)["signature"]["value"]
    at = data.index(value.encode()) + 10
    data = data[:at] + (b"A" if data[at : at + 1] != b"A" else b"B") + data[at + 1 :]
    signed.write_bytes(data)
    result = letter("verify", str(signed), "--key", keys[1])
    assert (result.exit_code, result.output) == (
        1,
        "not valid: the signature does not match the letter (the letter or its signature was changed)\n",
    )


def test_a_letter_checked_with_another_key_is_not_valid(
    tmp_path: Path, signed: Path, keys: tuple[str, str, str]
) -> None:
    _, other, fingerprint = signing.generate(tmp_path / "other")
    result = letter("verify", str(signed), "--key", str(other))
    assert (result.exit_code, result.output) == (
        1,
        f"not valid: signed by fingerprint {keys[2]}, not by the key given (fingerprint {fingerprint})\n",
    )


def test_no_changed_byte_anywhere_in_the_file_verifies(signed: Path, keys: tuple[str, str, str]) -> None:
    """Every byte of the file, one bit flipped: not valid, or not a letter any more; never valid."""
    data = signed.read_bytes()
    key = signing.load_public(keys[1])
    assert verify("l", data, key).valid
    outcomes = {"not valid": 0, "error": 0}
    for at in range(len(data)):
        changed = bytearray(data)
        changed[at] ^= 0x01
        try:
            found = verify("l", bytes(changed), key)
        except CorengineError:
            outcomes["error"] += 1
            continue
        assert not found.valid, at
        outcomes["not valid"] += 1
    assert sum(outcomes.values()) == len(data) and outcomes["not valid"] > outcomes["error"] > 0


def test_base64_with_unused_bits_set_is_not_valid(signed: Path, keys: tuple[str, str, str]) -> None:
    """``...g==`` and ``...h==`` decode to the same 64 bytes: only the canonical text verifies."""
    document = json.loads(signed.read_bytes())
    value = document["signature"]["value"]
    assert value.endswith("==")
    last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".index(value[-3])
    twin = value[:-3] + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[last ^ 1] + "=="
    assert base64.b64decode(twin) == base64.b64decode(value)
    document["signature"]["value"] = twin
    signed.write_bytes(json.dumps(document, sort_keys=True, separators=(",", ":")).encode() + b"\n")
    found = verify("l", signed.read_bytes(), signing.load_public(keys[1]))
    assert (found.valid, found.reason) == (False, "the signature is not in canonical base64")


def test_a_reformatted_file_is_not_valid(signed: Path, keys: tuple[str, str, str]) -> None:
    signed.write_text(json.dumps(json.loads(signed.read_bytes()), indent=2), encoding="utf-8")
    result = letter("verify", str(signed), "--key", keys[1])
    assert (result.exit_code, result.output) == (
        1,
        "not valid: the signed letter matches, but the file's bytes are not the ones corengine wrote\n",
    )


def test_the_html_is_rendered_from_the_signed_letter_and_escapes_a_hostile_name(
    tmp_path: Path, keys: tuple[str, str, str]
) -> None:
    data = yaml.safe_load((EXAMPLES / "ontario-external-pass.yaml").read_text(encoding="utf-8"))
    data["employer"].update(name="<script>alert(1)</script> & Co", account="WSIB 7654321")
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    db = str(tmp_path / "r.sqlite3")
    init(db)
    assert registry("add", "--db", db, str(hostile)).exit_code == 0
    common = ["letter", "WSIB 7654321", "--on", "2025-02-01", "--key", keys[0], "--db", db]
    html = registry(*common, "--format", "html")
    assert html.exit_code == 0, html.output
    assert "<script>" not in html.output
    assert "<title>Letter of Good Standing — &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</title>" in html.output
    assert "<tr><th>Employer</th><td>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</td></tr>" in html.output
    signed = registry(*common).stdout_bytes
    document = json.loads(signed)
    assert document["letter"]["employer"]["name"] == "<script>alert(1)</script> & Co"
    assert f"Signature: <code>{document['signature']['value']}</code>" in html.output
    assert f"Key fingerprint: <code>{keys[2]}</code>" in html.output
    path = tmp_path / "hostile.json"
    path.write_bytes(signed)
    assert letter("verify", str(path), "--key", keys[1]).exit_code == 0


def test_a_letter_for_an_employer_not_in_the_registry_is_one_error(tmp_path: Path, keys: tuple[str, str, str]) -> None:
    db = str(tmp_path / "r.sqlite3")
    init(db)
    out = tmp_path / "letter.json"
    result = registry("letter", "WSIB 0000000", "--key", keys[0], "--db", db, "-o", str(out))
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "error: EMPLOYER: no employer 'WSIB 0000000' in the registry (give its WCB account or name)\n",
    )
    assert not out.exists()


def test_a_bad_or_exposed_private_key(tmp_path: Path, keys: tuple[str, str, str]) -> None:
    db = str(tmp_path / "r.sqlite3")
    init(db)
    assert registry("add", "--db", db, *map(str, ONTARIO)).exit_code == 0
    wrong = registry("letter", "WSIB 1234567", "--key", keys[1], "--db", db)
    assert (wrong.exit_code, wrong.stderr) == (
        2,
        f"error: {keys[1]}: not a PEM private key (expected letter-key.pem from `corengine letter keygen`)\n",
    )
    os.chmod(keys[0], 0o644)
    exposed = registry("letter", "WSIB 1234567", "--on", "2025-12-15", "--key", keys[0], "--db", db)
    assert exposed.exit_code == 0
    assert exposed.stderr == (
        f"warning: {keys[0]}: the private key can be read by its group or others (chmod 600 it)\n"
    )
