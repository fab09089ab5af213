"""``corengine serve``: the HTTP JSON API (see :mod:`corengine.serve` and ``docs/serve.md``).

Starlette and uvicorn are imported only when the service starts, so the other commands do not pay for them.
"""

from __future__ import annotations

import ipaddress
import json
import math
import os
import re
import sys

import click

from corengine._util import textlayout
from corengine.errors import CorengineError

_ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?|https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def served_url(host: str, port: int) -> str:
    """The service's address as a URL: an IPv6 address in brackets (``http://[::1]:8000/``)."""
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _finite(_ctx: click.Context, _param: click.Parameter, value: float) -> float:
    if not math.isfinite(value):
        raise click.BadParameter(f"expected a number of seconds, not {value!r}")
    return value


def _origins(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        if not _ORIGIN.fullmatch(value):
            raise click.BadParameter(
                f"expected an origin such as https://portal.example.com (scheme, host, optional port), not {value!r}"
            )
    return values


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; the default answers this machine only (give 0.0.0.0 to listen on every one).",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes (each scores in its own threads; more processes use more cores).",
)
@click.option(
    "--processes",
    type=click.IntRange(0, 64),
    default=None,
    help="Scoring processes per worker: the work on an upload runs in one of them and is stopped (the process "
    "killed and replaced) at the time limit. 0 scores in threads, whose work over the limit runs on alone. "
    "[default: the number of CPUs]",
)
@click.option(
    "--write-timeout",
    type=click.FloatRange(1, 3600),
    callback=_finite,
    default=10.0,
    show_default=True,
    help="Seconds a client may go without reading while its answers wait; its connection is then closed.",
)
@click.option(
    "--max-connections",
    type=click.IntRange(1, 100_000),
    default=200,
    show_default=True,
    help="Connections each worker holds open at once; one more is answered 503 and closed.",
)
@click.option(
    "--cors",
    "cors",
    multiple=True,
    callback=_origins,
    metavar="ORIGIN",
    help="Let web pages from this origin call the API from a browser (repeatable; none by default).",
)
@click.option(
    "--token-file",
    type=click.Path(exists=True, dir_okay=False),
    help="Require 'Authorization: Bearer TOKEN' on every request, TOKEN being this file's content.",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="Another name requests may give in their Host header (repeatable; '*' for any). The service answers "
    "only to localhost, 127.0.0.1, [::1] and --host otherwise, so a web page cannot rebind its name to it.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(1, 3600),
    callback=_finite,
    default=30.0,
    show_default=True,
    help="Seconds a request may take before it is answered 503.",
)
@click.option(
    "--db",
    help="Serve this certificate registry (a SQLite file path or a postgresql:// URL): adds the /v1/registry "
    "endpoints (status, due; storing an audit with --token-file only).",
)
@click.option(
    "--letter-key",
    type=click.Path(exists=True, dir_okay=False),
    help="The Ed25519 public key (PEM) whose letters POST /v1/letters/verify checks.",
)
@click.option(
    "--lock-timeout",
    type=click.FloatRange(0, 3600),
    default=30.0,
    show_default=True,
    help="With --db: seconds a write waits for another process's write lock.",
)
def serve_command(
    host: str,
    port: int,
    workers: int,
    processes: int | None,
    write_timeout: float,
    max_connections: int,
    cors: tuple[str, ...],
    token_file: str | None,
    allowed_hosts: tuple[str, ...],
    time_limit: float,
    db: str | None,
    letter_key: str | None,
    lock_timeout: float,
) -> None:
    """Serve the engine over HTTP: JSON API under /v1, OpenAPI at /openapi.json, docs at /docs, an upload
    page at /. Every response is the document the CLI prints with --format json."""
    import uvicorn

    from corengine._http.limits import SETTINGS_VARIABLE
    from corengine._http.server import read_token

    if token_file is not None:
        read_token(token_file)  # refused here, before the service starts, when unreadable or empty
    if db is not None or letter_key is not None:  # refused here too: not a registry, or not a public key
        from corengine._http.registry_routes import RegistrySettings, check_settings

        db = check_settings(RegistrySettings(db, letter_key, lock_timeout))
    if not _loopback(host) and token_file is None:
        click.echo(
            f"warning: listening on {textlayout.escape(host)} without --token-file: anyone who can reach this "
            "port can use the service",
            err=True,
        )
    settings: dict[str, object] = {
        "token_file": None if token_file is None else os.path.abspath(token_file),
        "cors": list(cors),
        "time_limit": time_limit,
        "write_timeout": write_timeout,
        "max_connections": max_connections,
        "processes": processes if processes is not None else max(1, os.cpu_count() or 1),
        "allowed_hosts": [host, *allowed_hosts],
    }
    if db is not None or letter_key is not None:
        settings["registry"] = {
            "db": db,
            "letter_key": None if letter_key is None else os.path.abspath(letter_key),
            "lock_timeout": lock_timeout,
        }
    os.environ[SETTINGS_VARIABLE] = json.dumps(settings)
    click.echo(f"corengine serving on {textlayout.escape(served_url(host, port))} (docs at /docs)", err=True)
    try:
        uvicorn.run(
            "corengine._http.server:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=False,  # the service logs one line per request itself, never a body
            server_header=False,
            proxy_headers=False,
            timeout_keep_alive=5,
            loop="asyncio",  # the loop whose failed accept() calls corengine._http.server reports quietly
            http="corengine._http.server:HeaderTimedH11",  # a request head sent a byte at a time is cut at the time limit
            log_level="info",
        )
    except SystemExit as exc:  # uvicorn exits 1 when it cannot bind
        if exc.code:
            raise CorengineError(f"cannot serve on {host}:{port} (see the message above)") from None
    sys.stdout.flush()
