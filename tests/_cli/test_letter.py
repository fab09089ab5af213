"""``corengine letter keygen`` and ``letter verify``'s errors (a letter itself: ``tests/_registry/test_letter.py``)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from click.testing import CliRunner, Result

from corengine._cli.main import cli


def letter(*args: str) -> Result:
    return CliRunner().invoke(cli, ["letter", *args])


def test_keygen_writes_the_private_key_0600_and_the_public_key(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    old = os.umask(0)  # even with no umask, the private key is never readable by group or others
    try:
        result = letter("keygen", "-o", str(folder))
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    private, public = folder / "letter-key.pem", folder / "letter-key.pub.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(public.stat().st_mode) == 0o644
    assert private.read_text(encoding="ascii").startswith("-----BEGIN PRIVATE KEY-----\n")
    assert public.read_text(encoding="ascii").startswith("-----BEGIN PUBLIC KEY-----\n")
    lines = result.output.splitlines()
    assert lines[:2] == [
        f"private key: {private} (mode 0600: keep it secret, never share it)",
        f"public key: {public} (give it to whoever verifies your letters)",
    ]
    assert lines[2].startswith("fingerprint: sha256:") and len(lines[2]) == len("fingerprint: sha256:") + 64


def test_keygen_refuses_to_overwrite_either_key(tmp_path: Path) -> None:
    assert letter("keygen", "-o", str(tmp_path)).exit_code == 0
    before = (tmp_path / "letter-key.pem").read_bytes(), (tmp_path / "letter-key.pub.pem").read_bytes()
    again = letter("keygen", "-o", str(tmp_path))
    assert (again.exit_code, again.stdout) == (2, "")
    assert again.stderr == (
        f"error: {tmp_path / 'letter-key.pem'}, {tmp_path / 'letter-key.pub.pem'}: already exist; "
        "not overwritten (move it away, or use another -o)\n"
    )
    assert ((tmp_path / "letter-key.pem").read_bytes(), (tmp_path / "letter-key.pub.pem").read_bytes()) == before
    (tmp_path / "letter-key.pem").unlink()
    only_public = letter("keygen", "-o", str(tmp_path))
    assert (only_public.exit_code, only_public.stderr) == (
        2,
        f"error: {tmp_path / 'letter-key.pub.pem'}: already exists; not overwritten (move it away, or use another -o)\n",
    )
    assert not (tmp_path / "letter-key.pem").exists()


def test_verify_a_file_that_is_not_a_letter_or_a_bad_key_is_one_error(tmp_path: Path) -> None:
    assert letter("keygen", "-o", str(tmp_path)).exit_code == 0
    public = str(tmp_path / "letter-key.pub.pem")
    cases = {
        b"{not json": "not a signed letter (not JSON: Expecting property name enclosed in double quotes at line 1, "
        "column 2)",
        b"\xff": "not a signed letter (not UTF-8 text)",
        b"[]": 'not a signed letter (expected {"letter": {...}, "signature": {"algorithm", "fingerprint", "value"}})',
        b'{"letter":{},"signature":{"value":1}}': "not a signed letter (signature: expected algorithm, fingerprint "
        "and value, as text)",
    }
    for data, message in cases.items():
        path = tmp_path / "bad.json"
        path.write_bytes(data)
        result = letter("verify", str(path), "--key", public)
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {path}: {message}\n"), data
    missing = letter("verify", str(tmp_path / "none.json"), "--key", public)
    assert (missing.exit_code, missing.stderr) == (
        2,
        f"error: {tmp_path / 'none.json'}: cannot read the letter (No such file or directory)\n",
    )
    for key, message in (
        (
            tmp_path / "letter-key.pem",
            "not a PEM public key (expected letter-key.pub.pem from `corengine letter keygen`)",
        ),
        (tmp_path / "nokey.pem", "cannot read the public key (No such file or directory)"),
    ):
        result = letter("verify", str(path), "--key", str(key))
        assert (result.exit_code, result.stderr) == (2, f"error: {key}: {message}\n")
