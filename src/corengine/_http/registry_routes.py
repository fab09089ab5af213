"""The registry over HTTP (``corengine serve --db URL``): an employer's status on a date, the deadlines due, an
uploaded audit stored (with the bearer token only), and a signed letter verified (``--letter-key PUBLIC``).

Each answer is the document the CLI writes with ``--format json`` (the same functions and the same attrs view
classes: :class:`~corengine._views.registry.StatusDocument`, :class:`~corengine._views.registry.DueDocument`,
:class:`~corengine._views.letter.LetterCheck`, :class:`~corengine._views.stored.StoredAudit`), described in the
OpenAPI document from the same classes. Without ``--db`` the registry routes do not exist (404); without
``--letter-key`` the verification route does not.

A letter is verified against the public key the service was started with, never a key sent with the request: the
answer says whether the letter was signed by the issuer this service speaks for (a key sent by the caller would
make any self-signed letter "valid").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from attrs import frozen
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from corengine._host.engine import Engine
from corengine._http.openapi import AUDIT, LETTER, ON, Endpoint, Param, hoist
from corengine._http.problems import JSON, ServiceProblem, bad_parameter, invalid, unreadable
from corengine._http.requests import _day, _options, _sized, load_audit, read_upload
from corengine._registry import models
from corengine._registry.records import digest_of, due, parse_within, record_of, status, store, window_end
from corengine._registry.store import Store, database_url
from corengine._views import render
from corengine._views.letter import LetterCheck, SignedLetter, verify
from corengine._views.registry import DueDocument, StatusDocument
from corengine._views.schema import model_schema
from corengine._views.stored import StoredAudit
from corengine.errors import CorengineError, InputError
from corengine.model.converter import unstructure

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

STATUS = Endpoint(
    "GET",
    "/v1/registry/employers/{key}/status",
    "registryStatus",
    "An employer's standing on a date (good standing, maintenance due, renewal due, overdue, lapsed, cancelled, "
    "no certificate), from its stored audits.",
    "corengine registry status EMPLOYER --format json",
    "RegistryStatus",
    (Param("key", "The employer's key, WCB account or name (URL-encoded).", where="path", required=True), ON),
    errors=(400, 404, 422),
)
DUE = Endpoint(
    "GET",
    "/v1/registry/due",
    "registryDue",
    "Every deadline due within the window, of every employer whose certificate is current: earliest first.",
    "corengine registry due --format json",
    "RegistryDue",
    (
        Param("within", "The window: 60d (default), 8w, 2m or a number of days."),
        Param("on", "The window's first day as YYYY-MM-DD (default today).", "date"),
    ),
    errors=(400, 422),
)
ADD = Endpoint(
    "POST",
    "/v1/registry/audits",
    "registryAddAudit",
    "Score an audit and store it in the registry (once: the same bytes again add nothing). Only on a service "
    "started with --token-file.",
    "corengine registry add AUDIT",
    "RegistryStoredAudit",
    body=AUDIT,
    errors=(400, 403, 422),
)
VERIFY = Endpoint(
    "POST",
    "/v1/letters/verify",
    "verifyLetter",
    "Check a signed Letter of Good Standing against the public key the service was started with "
    "(--letter-key). Answers 200 whether or not it is valid.",
    "corengine letter verify FILE --key PUBLIC_KEY",
    "LetterCheck",
    body=LETTER,
    errors=(400,),
)

FORBIDDEN = 403
"""The status of a write on a service started without a bearer token."""


def schemas() -> dict[str, dict[str, Any]]:
    """The components the registry's operations refer to, generated from their attrs classes."""
    generated = {
        "RegistryStatus": model_schema(StatusDocument, "registry-status", "corengine registry status"),
        "RegistryDue": model_schema(DueDocument, "registry-due", "corengine registry due"),
        "RegistryStoredAudit": model_schema(StoredAudit, "registry-stored-audit", "corengine stored audit"),
        "LetterCheck": model_schema(LetterCheck, "letter-check", "corengine letter verification"),
        "SignedLetter": model_schema(SignedLetter, "signed-letter", "corengine signed letter of good standing"),
    }
    hoisted: dict[str, dict[str, Any]] = {}
    for name, schema in generated.items():
        hoisted.update(hoist(name, schema))
    return hoisted


Handler = Callable[[Request], Awaitable[Response]]


def check_settings(settings: RegistrySettings) -> str | None:
    """Refuse, before the service starts, a database that is not a registry at this corengine's revision or a
    key that is not an Ed25519 public key (one CorengineError); the database as the workers open it (a SQLite
    path made absolute, so a worker started elsewhere opens the same file)."""
    from corengine._io import signing

    db = None
    if settings.db is not None:
        url = database_url(settings.db)
        store = Store(url, settings.lock_timeout)
        try:
            store.check_revision()
        finally:
            store.close()
        db = url.database if store.sqlite else url.render_as_string(hide_password=False)
    if settings.letter_key is not None:
        signing.load_public(settings.letter_key)
    return db


@frozen
class RegistrySettings:
    """What ``corengine serve --db URL --letter-key PUBLIC`` gives the service."""

    db: str | None = None
    """The registry database (a SQLite path or a postgresql:// URL); None: no registry routes."""
    letter_key: str | None = None
    """The issuer's Ed25519 public key (PEM file); None: no letter verification route."""
    lock_timeout: float = 30.0
    """Seconds a write waits for another writer's lock."""

    def routes(self, engine: Engine, token: bool, run: Callable[[Callable[[], Any]], Awaitable[Any]]) -> RegistryRoutes:
        """The routes over the opened registry (refused at start, with one message, when it is not a registry
        at this corengine's revision) and the loaded key."""
        from corengine._io import signing

        store = None
        if self.db is not None:
            store = Store(database_url(self.db), self.lock_timeout)
            store.check_revision()
        key = None if self.letter_key is None else signing.load_public(self.letter_key)
        return RegistryRoutes(engine, store, key, token, run)


class RegistryRoutes:
    """The registry's routes over one open store (``store`` None: only letter verification) and, for letters,
    the issuer's public key."""

    def __init__(
        self,
        engine: Engine,
        store: Store | None,
        letter_key: Ed25519PublicKey | None,
        token: bool,
        run: Callable[[Callable[[], Any]], Awaitable[Any]],
    ) -> None:
        self.engine, self.store, self.letter_key, self.token, self.run = engine, store, letter_key, token, run

    def endpoints(self) -> tuple[Endpoint, ...]:
        """The operations this service has (the registry's with a store, verification with a key)."""
        found: tuple[Endpoint, ...] = (STATUS, DUE, ADD) if self.store is not None else ()
        return found + ((VERIFY,) if self.letter_key is not None else ())

    def handlers(self) -> list[tuple[Endpoint, str, Handler]]:
        """Each endpoint, the Starlette path it is routed at (an employer's key may hold a slash) and its
        handler."""
        table: dict[str, Handler] = {
            STATUS.name: self.status,
            DUE.name: self.due,
            ADD.name: self.add,
            VERIFY.name: self.verify,
        }
        return [(e, e.path.replace("{key}", "{key:path}"), table[e.name]) for e in self.endpoints()]

    def _store(self) -> Store:
        assert self.store is not None
        return self.store

    async def status(self, request: Request) -> Response:
        day = _day(_options(request, ("on",))) or dt.date.today()
        wanted = request.path_params["key"]

        def work() -> str:
            with self._store().reading() as session:
                known = models.Employer
                found = session.scalar(
                    select(known.id).where(
                        (known.key == wanted) | (known.wcb_account == wanted) | (known.name == wanted)
                    )
                )
                if found is None:
                    raise ServiceProblem(
                        404,
                        "unknown-employer",
                        "Unknown employer",
                        f"no employer {wanted!r} in the registry (give its key, WCB account or name)",
                    )
                return render.dumps(unstructure(status(self.engine, session, wanted, day)))

        return Response(await self.run(work), media_type=JSON)

    async def due(self, request: Request) -> Response:
        options = _options(request, ("within", "on"))
        start = _day(options) or dt.date.today()
        try:
            within = parse_within(options.get("within", "60d"))
        except ValueError as exc:
            raise bad_parameter(f"within: {exc}") from None

        def work() -> str:
            with self._store().reading() as session:
                return render.dumps(unstructure(due(self.engine, session, start, window_end(start, within))))

        return Response(await self.run(work), media_type=JSON)

    async def add(self, request: Request) -> Response:
        if not self.token:
            raise ServiceProblem(
                FORBIDDEN,
                "writes-need-a-token",
                "Writes need a token",
                "this service was started without --token-file: it stores nothing (start it with --token-file "
                "to accept writes from those who hold the token)",
            )
        upload = await read_upload(request, ("audit",), ())
        raw, name = upload.files["audit"]

        def work() -> str:
            loaded = load_audit(self.engine, raw, name)
            try:
                result = self.engine.score(loaded)
            except InputError as exc:
                raise invalid(exc, "audit") from None
            record = record_of(result, digest_of(raw), name)
            outcome = store(self._store(), record)
            granted = record.certificate
            answer = StoredAudit(
                outcome=outcome,
                sha256=record.digest,
                source=name,
                employer=record.employer,
                audit_type=record.audit_type,
                audit_date=record.audit_date,
                passed=record.passed,
                certificate=None if granted is None else granted.certificate,
                valid_until=None if granted is None else granted.valid_until,
            )
            return render.dumps(unstructure(answer))

        return Response(await self.run(work), media_type=JSON)

    async def verify(self, request: Request) -> Response:
        upload = await read_upload(request, ("letter",), ())
        raw, name = upload.files["letter"]
        _sized(raw, name)
        key = self.letter_key
        assert key is not None
        try:
            found = verify(name, raw, key)
        except CorengineError as exc:
            raise unreadable(None, str(exc)) from None
        return Response(render.dumps(unstructure(found)), media_type=JSON)
