"""A Letter of Good Standing: an employer's status on a date and why, signed with Ed25519 (``docs/registry.md``).

The signed file is one JSON object ``{"letter": {...}, "signature": {...}}``. The signature is over the
canonical bytes of ``letter`` (:func:`corengine._views.explain.canonical`: sorted keys, no spaces, UTF-8). The
file itself is the same canonical form with non-ASCII text written as ``\\u`` escapes (so printing it sends no
control sequence to a terminal), and a final newline: :func:`signed_bytes` writes it and :func:`verify` requires
it, so a changed byte anywhere in the file fails. The HTML form is rendered from the signed JSON
(:func:`letter_html`), never the other way.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

import jinja2
from attrs import frozen

from corengine._io import signing
from corengine._views.explain import EngineRef, canonical
from corengine._views.registry import EmployerRef
from corengine.errors import CorengineError
from corengine.model import Finding
from corengine.model.converter import unstructure

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

LETTER_FORMAT: Literal["corengine-letter-of-good-standing"] = "corengine-letter-of-good-standing"
LETTER_VERSION = 1


@frozen
class LetterRecord:
    """A registry record the letter relied on: a stored audit done by the letter's date."""

    sha256: str
    """The SHA-256 of the audit file's bytes, in hex: the registry's key for the audit."""
    source: str
    """The file's name when it was added."""
    audit_date: dt.date
    audit_type: str
    certificate: str | None
    """The certificate the audit granted, if any."""


@frozen
class Letter:
    """The signed body: the employer's status on a date and the findings behind it."""

    format: Literal["corengine-letter-of-good-standing"]
    version: int
    employer: EmployerRef
    on: dt.date
    """The date the status is stated for."""
    issued: dt.date
    """The day the letter was written (from the registry as it was that day)."""
    status: str
    """As ``registry status``: good standing, maintenance due, renewal due, overdue, lapsed, cancelled or no
    certificate."""
    current: bool
    by: dt.date | None
    message: str
    certificate: str | None
    valid_until: dt.date | None
    findings: tuple[Finding, ...]
    """The status findings: the cycle's, each with its rule (check, plugin, rule version), sources and
    confidence."""
    engine: EngineRef
    records: tuple[LetterRecord, ...]
    """The stored audits dated on or before ``on`` (those the cycle counts), in date order."""


@frozen
class LetterSignature:
    algorithm: Literal["Ed25519"]
    fingerprint: str
    """``sha256:`` and the hex SHA-256 of the signing key's raw public key."""
    value: str
    """The Ed25519 signature of the canonical letter, in base64."""


@frozen
class SignedLetter:
    """The letter file: the letter and its signature."""

    letter: Letter
    signature: LetterSignature


def _file_form(data: Any) -> bytes:
    """The bytes of a letter file: canonical JSON, ASCII only, a final newline."""
    return (json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n").encode("ascii")


def sign(letter: Letter, key: Ed25519PrivateKey) -> SignedLetter:
    body = unstructure(letter)
    signature = LetterSignature(
        algorithm="Ed25519",
        fingerprint=signing.fingerprint(key.public_key()),
        value=signing.sign(key, canonical(body)),
    )
    return SignedLetter(letter, signature)


def signed_bytes(letter: Letter, key: Ed25519PrivateKey) -> bytes:
    """The letter file for ``letter`` signed with ``key``."""
    return _file_form(unstructure(sign(letter, key)))


@frozen
class LetterCheck:
    """What ``letter verify`` found."""

    valid: bool
    reason: str
    """Why not, when not valid; else a summary of what the letter states."""
    fingerprint: str
    """The fingerprint the letter names."""


_SIGNATURE_FIELDS = ("algorithm", "fingerprint", "value")


def parse(name: str, data: bytes) -> dict[str, Any]:
    """The letter file's JSON, or one error naming ``name`` when it is not a signed letter's shape."""
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise CorengineError(f"{name}: not a signed letter (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise CorengineError(
            f"{name}: not a signed letter (not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    expected = 'expected {"letter": {...}, "signature": {"algorithm", "fingerprint", "value"}}'
    if not isinstance(document, dict) or set(document) != {"letter", "signature"}:
        raise CorengineError(f"{name}: not a signed letter ({expected})")
    letter, signature = document["letter"], document["signature"]
    if not isinstance(letter, dict) or not isinstance(signature, dict):
        raise CorengineError(f"{name}: not a signed letter ({expected})")
    if set(signature) != set(_SIGNATURE_FIELDS) or not all(isinstance(v, str) for v in signature.values()):
        raise CorengineError(
            f"{name}: not a signed letter (signature: expected algorithm, fingerprint and value, as text)"
        )
    return document


def verify(name: str, data: bytes, key: Ed25519PublicKey) -> LetterCheck:
    """Check the letter file's bytes against ``key``. A file that is not a letter's shape is an error
    (:func:`parse`); a letter whose signature or any byte changed is not valid."""
    document = parse(name, data)
    letter, signature = document["letter"], document["signature"]
    named = signature["fingerprint"]
    if signature["algorithm"] != signing.ALGORITHM:
        return LetterCheck(False, f"signed with {signature['algorithm']!r}, not {signing.ALGORITHM}", named)
    own = signing.fingerprint(key)
    if named != own:
        return LetterCheck(False, f"signed by fingerprint {named}, not by the key given (fingerprint {own})", named)
    wrong = signing.check(key, canonical(letter), signature["value"])
    if wrong is not None:
        return LetterCheck(False, wrong, named)
    if data.rstrip(b"\r\n") + b"\n" != _file_form(document):
        return LetterCheck(
            False, "the signed letter matches, but the file's bytes are not the ones corengine wrote", named
        )
    if letter.get("format") != LETTER_FORMAT or letter.get("version") != LETTER_VERSION:
        return LetterCheck(
            False,
            f"not a letter of good standing (format {letter.get('format')!r}, version {letter.get('version')!r})",
            named,
        )
    return LetterCheck(True, summary(letter), named)


def summary(letter: dict[str, Any]) -> str:
    """One line: whom the letter is about, its date and status."""
    employer = letter.get("employer") or {}
    name, key = str(employer.get("name")), str(employer.get("key"))
    who = name if key == name else f"{name} ({key})"
    return f"letter of good standing for {who} on {letter.get('on')}: {letter.get('status')}"


# --------------------------------------------------------------------------- HTML


@cache
def _template() -> jinja2.Template:
    text = resources.files("corengine._views").joinpath("templates", "letter.html.j2").read_text(encoding="utf-8")
    env = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.from_string(text)


def letter_html(data: bytes) -> str:
    """The printable letter, rendered from a signed letter file's bytes (every value escaped)."""
    document = parse("letter", data)
    return _template().render(letter=document["letter"], signature=document["signature"])
