"""``corengine letter``: the keys that sign Letters of Good Standing, and offline verification of a letter
(``docs/registry.md``). A letter is written by ``corengine registry letter``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from corengine._util import textlayout


@click.group("letter")
def letter_group() -> None:
    """Letters of Good Standing: make a signing key pair; verify a signed letter offline."""


@letter_group.command("keygen")
@click.option(
    "-o",
    "--output",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for letter-key.pem (private, mode 0600) and letter-key.pub.pem (created if missing).",
)
def keygen_command(folder: Path) -> None:
    """Write a new Ed25519 key pair; never overwrites a key."""
    from corengine._io import signing

    private, public, fingerprint = signing.generate(folder)
    click.echo(f"private key: {textlayout.escape(str(private))} (mode 0600: keep it secret, never share it)")
    click.echo(f"public key: {textlayout.escape(str(public))} (give it to whoever verifies your letters)")
    click.echo(f"fingerprint: {fingerprint}")


@letter_group.command("verify")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--key", "key_file", required=True, type=click.Path(dir_okay=False), help="The signer's public key (PEM)."
)
def verify_command(file: str, key_file: str) -> None:
    """Check a signed letter offline: exit 0 when valid, 1 when not valid, 2 when it cannot be read."""
    from corengine._io import signing
    from corengine._views.letter import verify
    from corengine.errors import CorengineError

    key = signing.load_public(key_file)
    name = "<stdin>" if file == "-" else file
    try:
        with click.open_file(file, "rb") as stream:
            data = stream.read()
    except OSError as exc:
        raise CorengineError(f"{name}: cannot read the letter ({exc.strerror or exc})") from None
    found = verify(name, data, key)
    if found.valid:
        click.echo(f"valid: {textlayout.escape(found.reason)}; signed by fingerprint {found.fingerprint}")
        return
    click.echo(f"not valid: {textlayout.escape(found.reason)}")
    sys.exit(1)
