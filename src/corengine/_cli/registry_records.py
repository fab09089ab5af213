"""``corengine registry auditor`` and ``registry equivalency``: the registry's records beyond audits (see
``docs/registry.md``), added to the ``registry`` group (this module is what ``corengine registry`` loads)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from corengine._cli.main import FORMAT, Context, _date, _emit, pass_context
from corengine._cli.registry import _db_options, _store, registry_group
from corengine._util import textlayout
from corengine.errors import CorengineError
from corengine.model.converter import unstructure
from corengine.model.vocabulary import AUDITOR_KINDS, CERTIFICATIONS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from corengine._registry.store import Store

__all__ = ["registry_group"]


T = TypeVar("T")


def _written(store: Store, write: Callable[[Session], T]) -> T:
    """Run ``write`` in one transaction; when another process stored the same auditor, employer or record at
    the same moment (a unique key), run it again, once: it then finds that row."""
    import sqlalchemy

    for attempt in range(2):
        try:
            with store.transaction() as session:
                return write(session)
        except sqlalchemy.exc.IntegrityError as exc:
            if attempt:
                raise CorengineError(f"{store.name}: {str(exc.orig).splitlines()[0]}") from None
    raise AssertionError("unreachable")


def _required_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date:
    found = _date(ctx, param, value)
    assert found is not None  # the option is required
    return found


@registry_group.group("auditor")
def auditor_group() -> None:
    """Auditors: their qualifications, the audits they did, their currency on a date."""


@auditor_group.command("add")
@click.argument("name")
@click.option("--kind", required=True, type=click.Choice(list(AUDITOR_KINDS)), help="The auditor's kind.")
@click.option("--qualified", required=True, callback=_required_date, help="Day qualified (YYYY-MM-DD).")
@click.option("--requalify-by", callback=_date, help="Last day of the qualification, where known (YYYY-MM-DD).")
@click.option("--certificate", help="The auditor's certificate number.")
@click.option("--partner", help="The certifying partner that qualified the auditor (BCCSA, AMTA...).")
@_db_options
def auditor_add_command(
    name: str,
    kind: str,
    qualified: dt.date,
    requalify_by: dt.date | None,
    certificate: str | None,
    partner: str | None,
    db: str | None,
    lock_timeout: float,
) -> None:
    """Record an auditor's qualification (the auditor is created when the registry does not know it yet)."""
    from corengine._registry.lifecycle import add_qualification

    if not name.strip():
        raise CorengineError("NAME: expected the auditor's name, not an empty text")
    with _store(db, lock_timeout) as store:
        store.check_revision()
        new = _written(
            store,
            lambda session: add_qualification(session, name, kind, qualified, requalify_by, certificate, partner)[1],
        )
    said = " (a new auditor)" if new else ""
    click.echo(textlayout.escape(f"{name} ({kind}): qualification of {qualified} recorded{said}"))


@auditor_group.command("show")
@click.argument("name")
@click.option("--kind", type=click.Choice(list(AUDITOR_KINDS)), help="The auditor's kind (when the name has two).")
@click.option("--on", "on", callback=_date, help="Date the currency is judged on (YYYY-MM-DD; default today).")
@FORMAT
@_db_options
@pass_context
def auditor_show_command(
    context: Context, name: str, kind: str | None, on: dt.date | None, fmt: str, db: str | None, lock_timeout: float
) -> None:
    """An auditor's qualifications, the audits it did and its currency on a date, by each partner's rule."""
    from corengine._registry.lifecycle import auditor_document
    from corengine._views.registry_records import auditor_text

    with _store(db, lock_timeout) as store, store.reading() as session:
        document = auditor_document(context.engine, session, name, kind, on or dt.date.today())
    _emit(fmt, lambda: unstructure(document), lambda: auditor_text(document))


@registry_group.group("equivalency")
def equivalency_group() -> None:
    """Equivalency CORs (granted on an ISO 45001 or CSA certificate) and their yearly proofs."""


@equivalency_group.command("add")
@click.argument("employer")
@click.option("--jurisdiction", required=True, help="The jurisdiction whose route granted the COR (AB).")
@click.option(
    "--scheme",
    required=True,
    type=click.Choice(list(CERTIFICATIONS)),
    help="The outside certificate: ISO45001 (ISO 45001:2018), CSA-Z45001 (CSA Z45001:19), CSA-Z1000 (CSA Z1000:14).",
)
@click.option("--certified", required=True, callback=_required_date, help="The outside certificate's date.")
@click.option("--expires", callback=_date, help="The outside certificate's expiry (YYYY-MM-DD).")
@click.option("--granted", required=True, callback=_required_date, help="The day the COR was granted.")
@click.option("--valid-until", callback=_date, help="The COR's last valid day (default: from the jurisdiction's data).")
@click.option("--partner", help="The certifying partner.")
@click.option("--name", "employer_name", help="The employer's name, for an employer the registry does not know.")
@click.option("--wcb-account", help="The employer's WCB account, for an employer the registry does not know.")
@_db_options
@pass_context
def equivalency_add_command(
    context: Context,
    employer: str,
    jurisdiction: str,
    scheme: str,
    certified: dt.date,
    expires: dt.date | None,
    granted: dt.date,
    valid_until: dt.date | None,
    partner: str | None,
    employer_name: str | None,
    wcb_account: str | None,
    db: str | None,
    lock_timeout: float,
) -> None:
    """Record an equivalency COR of EMPLOYER (its key, WCB account or name; created when the registry does not
    know it, keyed by --wcb-account, else its name)."""
    from corengine._registry import models
    from corengine._registry.lifecycle import add_equivalency
    from corengine._registry.records import find_employer

    if not employer.strip():
        raise CorengineError("EMPLOYER: expected the employer's key, WCB account or name, not an empty text")

    def write(session: Session) -> str:
        try:
            found = find_employer(session, employer)
        except CorengineError as exc:
            if "no employer" not in str(exc):
                raise
            name = employer_name or employer
            found = models.Employer(key=wcb_account or name, name=name, wcb_account=wcb_account)
            session.add(found)
            session.flush()
        record = add_equivalency(
            context.engine, session, found, jurisdiction, scheme, certified, expires, granted, valid_until, partner
        )
        return (
            f"{found.key}: equivalency COR ({scheme}, {jurisdiction}) granted {record.cor_granted}, valid until "
            f"{record.cor_valid_until} recorded"
        )

    with _store(db, lock_timeout) as store:
        store.check_revision()
        said = _written(store, write)
    click.echo(textlayout.escape(said))


@equivalency_group.command("proof")
@click.argument("employer")
@click.option("--year", required=True, type=int, help="The year of the COR's cycle the proof is for: 2 or 3.")
@click.option("--received", required=True, callback=_required_date, help="The day it was received (YYYY-MM-DD).")
@click.option(
    "--file",
    "proof_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The document received: its SHA-256 is recorded.",
)
@click.option("--granted", callback=_date, help="Which equivalency COR (the day it was granted; default the latest).")
@_db_options
def equivalency_proof_command(
    employer: str,
    year: int,
    received: dt.date,
    proof_file: Path | None,
    granted: dt.date | None,
    db: str | None,
    lock_timeout: float,
) -> None:
    """Record that the proof of a year (the outside certificate maintained) was received."""
    from corengine._registry.lifecycle import add_proof
    from corengine._registry.records import digest_of, find_employer

    digest = None
    if proof_file is not None:
        try:
            digest = digest_of(proof_file.read_bytes())
        except OSError as exc:
            raise CorengineError(f"{proof_file}: cannot read ({exc.strerror or exc})") from None

    def write(session: Session) -> str:
        found = find_employer(session, employer)
        record = add_proof(session, found, year, received, digest, granted)
        return (
            f"{found.key}: year {year} proof of the equivalency COR granted {record.cor_granted} received "
            f"{received} recorded" + ("" if digest is None else f" (sha256 {digest[:12]})")
        )

    with _store(db, lock_timeout) as store:
        store.check_revision()
        said = _written(store, write)
    click.echo(textlayout.escape(said))
