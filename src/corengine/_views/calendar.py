"""``registry due --format ics``: the deadlines due within the window as an iCalendar file (RFC 5545).

One all-day ``VEVENT`` per deadline (``DTSTART;VALUE=DATE`` the due date, ``DTEND`` the day after). Its ``UID`` is
derived from the employer's key, the deadline's check and subject and the due date alone, so importing a later
export into a calendar updates the events it already holds instead of duplicating them. Text that came from the
audits (employer names, keys, certificates) is escaped as RFC 5545 TEXT (backslash, semicolon, comma, line
breaks; other control characters replaced by U+FFFD, which TEXT cannot hold); every content line is folded at 75
octets without splitting a UTF-8 character, and ends with CRLF.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from corengine._views.registry import DueDocument, DueItem

PRODID = "-//corengine//registry due//EN"
UID_DOMAIN = "registry.corengine"
"""The right-hand side of every event's UID (``<hex>@registry.corengine``)."""

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
"""Control characters RFC 5545 TEXT cannot hold (horizontal tab is allowed; line breaks are escaped first)."""

LIMIT = 75
"""Octets a content line may have, its line break not counted (RFC 5545 section 3.1)."""


def text(value: str) -> str:
    r"""``value`` as an RFC 5545 TEXT value: ``\`` ``;`` ``,`` and line breaks escaped (section 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return _CONTROL.sub("\ufffd", value)


def fold(line: str) -> bytes:
    """One content line in UTF-8, folded so that no line is over 75 octets (a continuation starts with one
    space, which counts), never inside a character, each line ending with CRLF."""
    out = bytearray()
    room = LIMIT
    for char in line:
        encoded = char.encode("utf-8")
        if len(encoded) > room:
            out += b"\r\n "
            room = LIMIT - 1
        out += encoded
        room -= len(encoded)
    return bytes(out) + b"\r\n"


def uid(item: DueItem) -> str:
    """The event's stable UID: the SHA-256 of the employer's key, check, subject and due date (each separated by a
    unit separator, so no two different tuples give the same text), its first 32 hex digits."""
    key = "\x1f".join((item.employer, item.check, item.subject, item.due.isoformat()))
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _summary(item: DueItem) -> str:
    what = "recertification (certificate ends)" if item.check == "cycle.renewal" else item.subject
    return f"{item.name}: {what} due"


def _description(item: DueItem) -> str:
    lines = [
        f"Employer: {item.name}" + ("" if item.employer == item.name else f" ({item.employer})"),
        f"Deadline: {item.subject} ({item.check}), {item.state}, last day {item.due.isoformat()}",
    ]
    if item.certificate is not None:
        lines.append(f"Certificate: {item.certificate}")
    lines.append("From corengine registry due; check the employer's status with corengine registry status.")
    return "\n".join(lines)


def due_ics(document: DueDocument, stamp: dt.datetime) -> bytes:
    """The iCalendar file of ``document``; ``stamp`` (a UTC time) is every event's ``DTSTAMP``."""
    stamped = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for item in document.items:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid(item)}",
            f"DTSTAMP:{stamped}",
            f"DTSTART;VALUE=DATE:{_date(item.due)}",
            f"DTEND;VALUE=DATE:{_date(item.due + dt.timedelta(days=1))}",
            f"SUMMARY:{text(_summary(item))}",
            f"DESCRIPTION:{text(_description(item))}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return b"".join(fold(line) for line in lines)
