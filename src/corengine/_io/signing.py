"""Ed25519 keys and signatures for letters of good standing (``docs/registry.md``), through ``cryptography``.

A key pair is two PEM files: the private key (PKCS #8, unencrypted) created with mode 0600 from the start, so it
is never readable by the group or others, not even for a moment; and the public key (SubjectPublicKeyInfo). A
key's fingerprint is ``sha256:`` and the hex SHA-256 of the 32 raw bytes of its public key.

Every failure to read or parse a key is a :class:`~corengine.errors.CorengineError` of one line naming the file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import stat
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from corengine.errors import CorengineError

PRIVATE_FILE = "letter-key.pem"
PUBLIC_FILE = "letter-key.pub.pem"
ALGORITHM = "Ed25519"
SIGNATURE_BYTES = 64


def fingerprint(key: Ed25519PublicKey) -> str:
    """``sha256:`` and the hex SHA-256 of the key's 32 raw bytes."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def generate(folder: Path) -> tuple[Path, Path, str]:
    """Write a new key pair into ``folder`` (created if missing): the private key with mode 0600, the public one
    with 0644. Refuses, writing nothing, when either file is already there. Returns both paths and the
    fingerprint."""
    private, public = folder / PRIVATE_FILE, folder / PUBLIC_FILE
    existing = [str(p) for p in (private, public) if os.path.lexists(p)]
    if existing:
        said = "already exists" if len(existing) == 1 else "already exist"
        raise CorengineError(f"{', '.join(existing)}: {said}; not overwritten (move it away, or use another -o)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CorengineError(f"{folder}: cannot create the folder ({exc.strerror or exc})") from None
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _create(private, private_pem, 0o600)
    try:
        _create(public, public_pem, 0o644)
    except CorengineError:
        private.unlink()
        raise
    return private, public, fingerprint(key.public_key())


def _create(path: Path, data: bytes, mode: int) -> None:
    """Create ``path`` (never an existing file, never through a symbolic link) with ``mode`` from the start."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, mode)
    except FileExistsError:
        raise CorengineError(f"{path}: already exists; not overwritten") from None
    except OSError as exc:
        raise CorengineError(f"{path}: cannot create ({exc.strerror or exc})") from None
    try:
        os.fchmod(fd, mode)  # the umask may have taken bits away; it never adds any
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except OSError as exc:
        os.close(fd)
        path.unlink()
        raise CorengineError(f"{path}: cannot write ({exc.strerror or exc})") from None
    os.close(fd)


def _read(path: str, what: str) -> bytes:
    try:
        with open(path, "rb") as stream:
            return stream.read()
    except OSError as exc:
        raise CorengineError(f"{path}: cannot read the {what} ({exc.strerror or exc})") from None


def load_private(path: str) -> Ed25519PrivateKey:
    """The Ed25519 private key in the PEM file at ``path``."""
    data = _read(path, "private key")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise CorengineError(f"{path}: the private key is encrypted; give an unencrypted PKCS #8 PEM file") from None
    except (ValueError, UnsupportedAlgorithm):
        raise CorengineError(
            f"{path}: not a PEM private key (expected {PRIVATE_FILE} from `corengine letter keygen`)"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CorengineError(f"{path}: not an Ed25519 private key")
    return key


def load_public(path: str) -> Ed25519PublicKey:
    """The Ed25519 public key in the PEM file at ``path``."""
    data = _read(path, "public key")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise CorengineError(
            f"{path}: not a PEM public key (expected {PUBLIC_FILE} from `corengine letter keygen`)"
        ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise CorengineError(f"{path}: not an Ed25519 public key")
    return key


def exposed(path: str) -> bool:
    """Whether the file at ``path`` can be read by its group or by others."""
    try:
        return bool(os.stat(path).st_mode & (stat.S_IRWXG | stat.S_IRWXO))
    except OSError:
        return False


def sign(key: Ed25519PrivateKey, data: bytes) -> str:
    """The Ed25519 signature of ``data``, in standard base64."""
    return base64.b64encode(key.sign(data)).decode("ascii")


def check(key: Ed25519PublicKey, data: bytes, signature: str) -> str | None:
    """None when ``signature`` (base64) is ``key``'s signature of ``data``, else why not."""
    try:
        raw = base64.b64decode(signature.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return "the signature is not base64"
    if base64.b64encode(raw).decode("ascii") != signature:  # unused bits set: another text for the same bytes
        return "the signature is not in canonical base64"
    if len(raw) != SIGNATURE_BYTES:
        return f"the signature is {len(raw)} bytes, not {SIGNATURE_BYTES}"
    try:
        key.verify(raw, data)
    except InvalidSignature:
        return "the signature does not match the letter (the letter or its signature was changed)"
    return None
