"""User text made safe for each output format: Markdown, links, CSV cells and spreadsheet cells.

Every field that comes from an audit, an evidence index or a standard file may hold anything: Markdown or HTML
(``<script>``, ``[x](javascript:alert(1))``, table pipes, heading hashes, backticks), terminal escapes
(``\\x1b[31m``, OSC links, C1 controls, bidi overrides) or a spreadsheet formula (``=HYPERLINK(...)``,
``+cmd``, ``@SUM``). The functions here are pure and shared by every writer:

- :func:`md_escape`: Markdown where the text is shown as text (HTML as entities, Markdown syntax escaped,
  line breaks folded, control and invisible format characters shown escaped as by :func:`textlayout.escape`);
  :func:`md_line` where the text may start a line or a list item.
- :func:`linkable` / :func:`md_autolink`: only ``http``, ``https`` and ``mailto`` addresses become links.
- :func:`csv_cell`: a CSV cell starting with ``= + - @``, a tab or a carriage return is prefixed with a single
  quote (the OWASP CSV-injection guidance), so a spreadsheet opening the file shows it as text; control
  characters but tabs and line breaks are shown escaped.
- :func:`set_cell`: an openpyxl cell given text is always a string cell (never a formula), with the quote
  prefix set where the text starts like a formula (so editing the cell in a spreadsheet keeps it text), and
  characters XML cannot hold shown escaped.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from corengine._util.textlayout import escape

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|#])")
_LINK_SCHEMES = ("http", "https", "mailto")
_NOT_IN_LINKS = re.compile(r"[\s<>\"'`\\\x00-\x1f\x7f]")
_BLOCK_MARK = re.compile(r"[-+=~]|\d{1,9}[.)](?=\s|$)")
"""What at the start of a line opens a Markdown block (the last character is the one escaped)."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""How a cell starts that a spreadsheet may read as a formula or a command (OWASP CSV injection)."""

_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters an XML 1.0 document (an .xlsx part) cannot hold; openpyxl refuses them."""


def md_escape(text: Any) -> str:
    """User text safe in Markdown: HTML is shown as text, table pipes and emphasis marks are literal, line
    breaks become spaces (so text cannot start a heading, list or table row), and control characters and
    invisible format characters (bidi overrides, zero-width spaces) are shown escaped (``\\x1b``)."""
    value = "" if text is None else str(text)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MD_SPECIAL.sub(r"\\\1", value)
    return escape(" ".join(value.split()))


def md_line(text: Any) -> str:
    """:func:`md_escape`, safe also where the text starts a line or a list item's content: a leading ``-``,
    ``+``, ``=`` or ``~`` (list item, setext underline, code fence) or ``1.`` (ordered list) is escaped too."""
    value = md_escape(text)
    found = _BLOCK_MARK.match(value)
    if found is None:
        return value
    return value[: found.end() - 1] + "\\" + value[found.end() - 1 :]


def linkable(url: Any) -> bool:
    """Whether a source may become a link: an ``http``, ``https`` or ``mailto`` address with nothing that could
    end a Markdown autolink or an HTML attribute early. Anything else is shown as text."""
    if not isinstance(url, str) or not url or _NOT_IN_LINKS.search(url) or not url.isprintable():
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme.lower() not in _LINK_SCHEMES:
        return False
    return bool(parts.path) if parts.scheme.lower() == "mailto" else bool(parts.netloc)


def md_autolink(url: Any) -> str:
    """``<https://...>`` for an address that may become a link (:func:`linkable`), else the address as
    escaped text."""
    return f"<{url}>" if linkable(url) else md_escape(url)


def csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet reads as a formula: text starting with ``= + - @``, a tab or a carriage
    return gets a leading single quote (OWASP), and control characters other than tabs and line breaks are shown
    escaped (``\\x1b``), as CSV is often read on a terminal; other values are returned unchanged."""
    if not isinstance(value, str):
        return value
    return ("'" if value.startswith(FORMULA_START) else "") + escape(value, keep="\t\n")


def xml_text(text: str) -> str:
    """``text`` with the characters XML cannot hold (C0 controls but tab and line breaks, lone surrogates,
    U+FFFE, U+FFFF) shown escaped, as :func:`textlayout.escape` shows them."""
    return _XML_ILLEGAL.sub(lambda m: escape(m.group()), text) if _XML_ILLEGAL.search(text) else text


def set_cell(cell: Any, value: Any) -> Any:
    """Give an openpyxl ``cell`` a value; text is always stored as text, never as a formula.

    openpyxl makes any string starting with ``=`` a live formula: text is set as a string cell instead, and
    where it starts like a formula (:data:`FORMULA_START`) the cell's quote prefix is set, so a spreadsheet
    keeps it text even when someone edits the cell. Returns the cell.
    """
    if isinstance(value, str):
        cell.value = xml_text(value)
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def append_row(sheet: Any, values: list[Any]) -> None:
    """``sheet.append(values)``, with every text cell then set by :func:`set_cell` (openpyxl's own ``append``
    makes text starting with ``=`` a formula, and refuses control characters)."""
    sheet.append([xml_text(value) if isinstance(value, str) else value for value in values])
    row = sheet._current_row  # the row append just wrote (openpyxl's own counter)
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            set_cell(sheet.cell(row=row, column=column), value)


__all__ = [
    "FORMULA_START",
    "append_row",
    "csv_cell",
    "linkable",
    "md_autolink",
    "md_escape",
    "md_line",
    "set_cell",
    "xml_text",
]
