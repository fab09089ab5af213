"""Reading a request: the body or the uploaded file with its name, the media type, the options, and the
audit, evidence index or record in it, refused with a problem when it cannot be read."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from attrs import frozen
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from corengine._formats.evidence_index import LoadedIndex, load_index_bytes
from corengine._host.engine import Engine
from corengine._http.openapi import UPLOAD_TYPES
from corengine._http.problems import ServiceProblem, bad_parameter, invalid, too_large, unreadable
from corengine._io.loading import ShapeError, check_size, decode_text, input_format, parse, parse_checked
from corengine._views.payloads import (
    parse_day,
)
from corengine.errors import InputError
from corengine.model import LoadedAudit
from corengine.model.converter import structure

T = TypeVar("T")
# --------------------------------------------------------------------------- reading requests


@frozen
class Upload:
    """What a request sent: its files by field (bytes and the name for messages) and its options."""

    files: dict[str, tuple[bytes, str]]
    """Each file by its form field (or the one field a whole body stands for): content and file name."""
    options: dict[str, str]
    """Query parameters and a form's text fields."""


def _file_name(given: str | None, field: str) -> str:
    """The name a client gave its file, reduced to its last part (no path is ever used) without control, format
    or bidi characters (a NUL, an escape sequence or a right-to-left override would reach every message that
    names the file), or ``field.yaml``."""
    last = re.split(r"[\\/]", given or "")[-1]
    name = "".join(char for char in last if unicodedata.category(char)[0] != "C" and char.isprintable())
    name = name.strip()[:200]
    return name if name not in ("", ".", "..") else f"{field}.yaml"


TEXT_CHARSETS = ("utf-8", "utf8", "us-ascii")
"""The ``charset`` a JSON or YAML body may declare: the loaders read UTF-8 (of which ASCII is a part)."""


def _media(request: Request) -> str:
    """The media type of the body, lower case, without parameters; 400 when ``Content-Type`` is sent twice (the
    two could disagree) and 415 when it declares a ``charset`` other than UTF-8 (the body would be misread)."""
    given = request.headers.getlist("content-type")
    if len(given) > 1:
        raise ServiceProblem(400, "bad-header", "Bad header", f"Content-Type is sent {len(given)} times; send it once")
    media, *parameters = (given[0] if given else "").split(";")
    for parameter in parameters:
        key, _, value = parameter.partition("=")
        charset = value.strip().strip('"').lower()
        if key.strip().lower() == "charset" and charset not in TEXT_CHARSETS:
            raise ServiceProblem(
                415,
                "unsupported-media-type",
                "Unsupported media type",
                f"a body in the charset {charset!r} cannot be read here (send UTF-8)",
            )
    return media.strip().lower()


def _options(request: Request, allowed: tuple[str, ...], fields: Sequence[tuple[str, str]] = ()) -> dict[str, str]:
    options: dict[str, str] = {}
    for key, value in [*request.query_params.multi_items(), *fields]:
        if key not in allowed:
            known = ", ".join(allowed) or "none"
            raise bad_parameter(f"unknown parameter {key!r} (parameters: {known})")
        if key in options:
            raise bad_parameter(f"the parameter {key!r} is given twice")
        options[key] = value
    return options


async def read_upload(request: Request, fields: tuple[str, ...], allowed: tuple[str, ...]) -> Upload:
    """The files a request sends: the whole body as ``fields[0]`` (by its media type), or the file fields of a
    ``multipart/form-data`` form; its options from the query string and the form's text fields."""
    media = _media(request)
    if media == "multipart/form-data":
        try:
            form = await request.form(max_files=len(fields), max_fields=len(allowed) + 2, max_part_size=64 * 1024)
        except MultiPartException as exc:
            raise unreadable(None, f"not a readable form: {exc.message}") from None
        except HTTPException as exc:  # Starlette turns the parser's complaint into a 400 of its own
            raise unreadable(None, f"not a readable form: {exc.detail}") from None
        try:
            files: dict[str, tuple[bytes, str]] = {}
            texts: list[tuple[str, str]] = []
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    if key not in fields:
                        raise unreadable(None, f"unexpected file field {key!r} (expected: {', '.join(fields)})")
                    files[key] = (await value.read(), _file_name(value.filename, key))
                else:
                    texts.append((key, value))
        finally:
            await form.close()
        missing = [f for f in fields if f not in files]
        if missing:
            raise unreadable(None, f"the form has no file field {missing[0]!r}")
        return Upload(files, _options(request, allowed, texts))
    if media in UPLOAD_TYPES and len(fields) == 1:
        options = _options(request, allowed)
        body = await request.body()
        return Upload({fields[0]: (body, fields[0] + UPLOAD_TYPES[media])}, options)
    accepted = ", ".join(["multipart/form-data"] if len(fields) > 1 else [*UPLOAD_TYPES, "multipart/form-data"])
    raise ServiceProblem(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        f"a body of type {media or 'unknown'!r} cannot be read here (accepted: {accepted})",
    )


def _sized(raw: bytes, name: str) -> None:
    if not raw:
        raise unreadable(None, f"{name}: the file is empty")
    try:
        check_size(raw, name)
    except InputError as exc:
        raise too_large(exc.problems) from None


def load_audit(engine: Engine, raw: bytes, name: str) -> LoadedAudit:
    """An uploaded audit, read as :meth:`Engine.load_audit_bytes` reads it; a YAML or JSON file that does not
    even parse is 400 (:func:`unreadable`), every other problem 422."""
    _sized(raw, name)
    try:
        return engine.load_audit_bytes(raw, name)
    except InputError as exc:
        if _is_text(raw, name):
            _parses(raw, name, lambda text: parse_checked(text, name, mapping=True))
        raise invalid(exc, "audit") from None


def load_index(raw: bytes, name: str) -> LoadedIndex:
    """An uploaded evidence index, as :func:`load_audit` reads an audit."""
    _sized(raw, name)
    try:
        return load_index_bytes(raw, name)
    except InputError as exc:
        if _is_text(raw, name):
            _parses(raw, name, lambda text: parse(text, name, mapping=True))
        raise invalid(exc, "evidence index") from None


def _is_text(raw: bytes, name: str) -> bool:
    """Whether ``raw`` is read as YAML or JSON (not a workbook, nor a format refused with its own message)."""
    try:
        return input_format(raw, name) == "text"
    except InputError:
        return False


def _parses(raw: bytes, name: str, parser: Callable[[str], object]) -> None:
    """Raise 400 when ``raw`` is not UTF-8 text that ``parser`` reads (run only after a failure)."""
    try:
        parser(decode_text(raw, name))
    except ShapeError:  # readable, refused for its shape before it was built: the caller's 422
        return
    except InputError as exc:
        raise unreadable(exc, f"{name}: not readable as {'JSON' if name.endswith('.json') else 'YAML'}") from None


def _flag(options: Mapping[str, str], name: str) -> bool:
    value = options.get(name, "false")
    if value not in ("true", "false", "on"):
        raise bad_parameter(f"{name}: expected true or false, not {value!r}")
    return value != "false"


def _day(options: Mapping[str, str], name: str = "on") -> dt.date | None:
    value = options.get(name)
    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError as exc:
        raise bad_parameter(f"{name}: {exc}") from None


def _required(options: Mapping[str, str], name: str) -> str:
    value = options.get(name)
    if not value:
        raise bad_parameter(f"the parameter {name!r} is required")
    return value


def _record(raw: bytes, name: str, cls: type[T]) -> T:
    """A JSON or YAML request record (eligibility, sample) structured into ``cls``; 400 when it does not parse,
    422 when it does not structure."""
    _sized(raw, name)
    try:
        data, lines = parse(decode_text(raw, name), name)
    except InputError as exc:
        raise unreadable(exc, f"{name}: not readable as {'JSON' if name.endswith('.json') else 'YAML'}") from None
    try:
        return structure(data, cls, name, lines)
    except InputError as exc:
        raise invalid(exc, "request") from None
