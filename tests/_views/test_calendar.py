"""``registry due --format ics``: exact bytes of an iCalendar file checked by eye, RFC 5545 escaping of hostile
employer names, folding at 75 octets without splitting a character, and UIDs that do not change between runs."""

from __future__ import annotations

import datetime as dt

from corengine._views.calendar import due_ics, fold, text, uid
from corengine._views.registry import DueDocument, DueItem

STAMP = dt.datetime(2025, 12, 1, 9, 30, 5, tzinfo=dt.UTC)

LAKESHORE = DueItem(
    "WSIB 1234567",
    "Lakeshore Paving Ltd.",
    "cycle.maintenance",
    "maintenance",
    dt.date(2026, 1, 31),
    "due",
    "COR (3 years)",
)
HOSTILE = DueItem(
    "Smith, Jones; and \\Sons\r\nBEGIN:VEVENT",
    "Smith, Jones; and \\Sons\r\nBEGIN:VEVENT",
    "cycle.renewal",
    "recertification",
    dt.date(2026, 3, 31),
    "due",
    None,
)

GOLDEN = (
    b"BEGIN:VCALENDAR\r\n"
    b"VERSION:2.0\r\n"
    b"PRODID:-//corengine//registry due//EN\r\n"
    b"CALSCALE:GREGORIAN\r\n"
    b"METHOD:PUBLISH\r\n"
    b"BEGIN:VEVENT\r\n"
    b"UID:" + uid(LAKESHORE).encode() + b"\r\n"
    b"DTSTAMP:20251201T093005Z\r\n"
    b"DTSTART;VALUE=DATE:20260131\r\n"
    b"DTEND;VALUE=DATE:20260201\r\n"
    b"SUMMARY:Lakeshore Paving Ltd.: maintenance due\r\n"
    b"DESCRIPTION:Employer: Lakeshore Paving Ltd. (WSIB 1234567)\\nDeadline: maint\r\n"
    b" enance (cycle.maintenance)\\, due\\, last day 2026-01-31\\nCertificate: COR (\r\n"
    b" 3 years)\\nFrom corengine registry due\\; check the employer's status with c\r\n"
    b" orengine registry status.\r\n"
    b"TRANSP:TRANSPARENT\r\n"
    b"END:VEVENT\r\n"
    b"BEGIN:VEVENT\r\n"
    b"UID:" + uid(HOSTILE).encode() + b"\r\n"
    b"DTSTAMP:20251201T093005Z\r\n"
    b"DTSTART;VALUE=DATE:20260331\r\n"
    b"DTEND;VALUE=DATE:20260401\r\n"
    b"SUMMARY:Smith\\, Jones\\; and \\\\Sons\\nBEGIN:VEVENT: recertification (certific\r\n"
    b" ate ends) due\r\n"
    b"DESCRIPTION:Employer: Smith\\, Jones\\; and \\\\Sons\\nBEGIN:VEVENT\\nDeadline: r\r\n"
    b" ecertification (cycle.renewal)\\, due\\, last day 2026-03-31\\nFrom corengine\r\n"
    b"  registry due\\; check the employer's status with corengine registry status\r\n"
    b" .\r\n"
    b"TRANSP:TRANSPARENT\r\n"
    b"END:VEVENT\r\n"
    b"END:VCALENDAR\r\n"
)


def test_the_calendar_is_the_golden_bytes() -> None:
    document = DueDocument(dt.date(2025, 12, 1), dt.date(2026, 3, 31), (LAKESHORE, HOSTILE))
    assert due_ics(document, STAMP) == GOLDEN


def test_every_line_is_at_most_75_octets_and_ends_with_crlf() -> None:
    document = DueDocument(dt.date(2025, 12, 1), dt.date(2026, 3, 31), (LAKESHORE, HOSTILE))
    data = due_ics(document, STAMP)
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) == 75
    # the hostile name's line break and BEGIN:VEVENT stay inside the value: two events, not three
    assert data.count(b"\r\nBEGIN:VEVENT\r\n") == 2


def test_folding_never_splits_a_character() -> None:
    line = "SUMMARY:" + "é" * 40 + "😀" * 20
    folded = fold(line)
    pieces = folded.split(b"\r\n")
    assert pieces[-1] == b""
    assert all(len(piece) <= 75 for piece in pieces)
    decoded = [piece.decode("utf-8") for piece in pieces[:-1]]  # each piece decodes alone: no split character
    assert "".join([decoded[0], *(piece[1:] for piece in decoded[1:])]) == line
    assert [len(piece) for piece in pieces[:-1]] == [74, 75, 21]


def test_text_escapes_what_rfc_5545_requires_and_replaces_other_controls() -> None:
    assert text("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    assert text("tab\tkept, bell\x07 and escape\x1b[31m") == "tab\tkept\\, bell\ufffd and escape\ufffd[31m"


def test_uids_are_stable_and_differ_by_employer_check_subject_and_date() -> None:
    assert uid(LAKESHORE) == uid(
        DueItem(
            "WSIB 1234567", "Renamed Ltd.", "cycle.maintenance", "maintenance", dt.date(2026, 1, 31), "upcoming", None
        )
    )  # a new name, state or certificate is the same deadline: the calendar updates it
    assert uid(LAKESHORE) == "a9cedc866936796f84beeac0db8ab663@registry.corengine"
    others = {
        uid(DueItem("WSIB 7654321", "x", "cycle.maintenance", "maintenance", dt.date(2026, 1, 31), "due", None)),
        uid(DueItem("WSIB 1234567", "x", "cycle.renewal", "maintenance", dt.date(2026, 1, 31), "due", None)),
        uid(DueItem("WSIB 1234567", "x", "cycle.maintenance", "recertification", dt.date(2026, 1, 31), "due", None)),
        uid(DueItem("WSIB 1234567", "x", "cycle.maintenance", "maintenance", dt.date(2026, 2, 1), "due", None)),
    }
    assert len(others) == 4 and uid(LAKESHORE) not in others
