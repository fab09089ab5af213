"""Text that fits a terminal: the output width, cutting with an ellipsis, wrapping with a hanging indent,
tables that shrink to the width, and colour only where it is wanted.

Every text command lays its output out through this module, so one rule holds everywhere: no line is
longer than the output width, nothing is cut without an ellipsis, and nothing read from an input file can
put a control character (a terminal escape) on the screen. The order is fixed: escape and lay out first,
colour last (:func:`style` adds escape sequences of its own, which nothing may measure or escape again).

The width is ``COLUMNS`` when it is set to a whole number, else the terminal's width when standard output
is a terminal, else 80. Unlike :func:`shutil.get_terminal_size`, the terminal asked is the current
``sys.stdout`` (not ``sys.__stdout__``), so output captured by a test or sent down a pipe is never laid out
for the developer's terminal. Colour follows https://no-color.org: only on a terminal, and never when
``NO_COLOR`` is set to anything but the empty string.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from typing import IO, Any

from attrs import frozen

from corengine._util.records import Record

ELLIPSIS = "…"
"""The one character that marks cut text."""
DEFAULT_WIDTH = 80
"""The width when standard output is not a terminal and ``COLUMNS`` is not set."""
MIN_WIDTH = 20
"""Narrower widths are laid out at this width: below it, indents and table columns no longer fit."""
GAP = "  "
"""Between table columns."""
TEXT_FLOOR = 6
"""A text column is never shrunk below this width (or its own width, when narrower)."""

COLOURS = {"pass": "32", "fail": "31", "advisory": "33"}
"""ANSI colours by status: green, red, yellow; other statuses stay plain."""


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def output_width(environ: Mapping[str, str] | None = None, stream: IO[str] | None = None) -> int:
    """Columns to lay text out in: ``COLUMNS`` when it is a whole number above 0, else the width of the
    terminal when ``stream`` (default: standard output) is one, else 80; never below :data:`MIN_WIDTH`."""
    environ = os.environ if environ is None else environ
    stream = sys.stdout if stream is None else stream
    try:
        columns = int(environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0 and _isatty(stream):
        try:
            columns = os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return DEFAULT_WIDTH if columns <= 0 else max(columns, MIN_WIDTH)


def colour_wanted(environ: Mapping[str, str] | None = None, stream: IO[str] | None = None) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (and not empty)."""
    environ = os.environ if environ is None else environ
    return not environ.get("NO_COLOR") and _isatty(sys.stdout if stream is None else stream)


@frozen(repr=False, eq=False)
class Layout(Record):
    """How text output is laid out: its width, and whether it is coloured. ``Layout.detect()`` asks the
    environment; tests build one (``Layout(40)``, ``Layout(colour=True)``)."""

    width: int = DEFAULT_WIDTH
    colour: bool = False

    @classmethod
    def detect(cls) -> Layout:
        return cls(output_width(), colour_wanted())


HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Unicode categories :func:`escape` shows escaped: controls (C0, DEL and C1, so ESC/CSI/OSC sequences), format
characters (bidi overrides and isolates U+202A-U+202E and U+2066-U+2069, marks, zero-width spaces and joiners,
the soft hyphen, tags: all can reorder or hide text), lone surrogates, and line and paragraph separators."""


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape(text: str, keep: str = "") -> str:
    """``text`` safe for a terminal: tabs and line breaks become spaces, every other control character is
    shown escaped (``\\x1b``, ``\\x9b``, ``\\u202e``), so an input field cannot move the cursor, recolour or
    retitle the screen, make a link, reorder the line (bidi overrides) or hide text (zero-width characters).
    Characters in ``keep`` (such as ``"\\n"`` for a CSV cell) are kept as they are."""
    if text.isprintable():  # the common case: nothing to escape (printable excludes every category in HIDDEN)
        return text
    out = []
    for char in text:
        if char in keep:
            out.append(char)
        elif char in "\t\n":
            out.append(" ")
        elif not char.isprintable() and unicodedata.category(char) in HIDDEN:
            out.append(_escaped(char))
        else:
            out.append(char)
    return "".join(out)


def ellipsize(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters: whole when it fits, else cut and ended with "…"."""
    text = escape(text)
    if len(text) <= width:
        return text
    if width <= 0:
        return ""
    return text[: width - 1].rstrip() + ELLIPSIS


def wrap(text: str, width: int, indent: str = "", hanging: str = "") -> list[str]:
    """``text`` as lines of at most ``width`` characters: the first starts with ``indent``, the others with
    ``hanging``. Words longer than a line (URLs, long ids) are broken, never left to overflow."""
    import textwrap  # (text output only: not imported by ``--format json``)

    text, indent, hanging = escape(text), escape(indent), escape(hanging)
    width = max(width, len(indent) + 1, len(hanging) + 1)
    lines = textwrap.wrap(
        text,
        width,
        initial_indent=indent,
        subsequent_indent=hanging,
        break_long_words=True,
        break_on_hyphens=False,
    )
    return lines or [indent.rstrip()]


def fit(line: str, width: int, more: int = 4) -> list[str]:
    """One line of text as lines of at most ``width``: continuation lines keep its own indent plus ``more``."""
    body = line.lstrip(" ")
    lead = " " * (len(line) - len(body))
    return wrap(body, width, lead, lead + " " * more)


def fit_all(lines: Sequence[str], width: int, more: int = 4) -> list[str]:
    """Every line through :func:`fit`."""
    return [part for line in lines for part in fit(line, width, more)]


def column_widths(rows: Sequence[Sequence[str]], width: int, numeric: Collection[int] = ()) -> tuple[list[int], str]:
    """Widths for a table's columns, and the gap between them, that fit ``width`` if anything does. In turn,
    until the table fits: the widest text column loses one character at a time, down to
    :data:`TEXT_FLOOR`; the gap narrows to one space; the headers of number columns are cut down to their
    widest number; text columns go down to two characters. Numbers are never cut, so a table with many
    number columns can stay wider than a very narrow width."""
    count = len(rows[0])
    natural = [max(len(row[i]) for row in rows) for i in range(count)]
    body = [max((len(row[i]) for row in rows[1:]), default=0) for i in range(count)]
    text = [i for i in range(count) if i not in numeric]
    numbers = [i for i in range(count) if i in numeric]

    def shrink(widths: list[int], gap: str, columns: list[int], floor: list[int]) -> bool:
        """Take characters from the widest of ``columns`` (down to ``floor``); True when the table fits."""
        excess = sum(widths) + len(gap) * (count - 1) - width
        while excess > 0:
            candidates = [i for i in columns if widths[i] > floor[i]]
            if not candidates:
                return False
            widths[max(candidates, key=lambda i: widths[i])] -= 1
            excess -= 1
        return True

    for gap in (GAP, " "):
        widths = list(natural)
        if shrink(widths, gap, text, [min(n, TEXT_FLOOR) for n in natural]):
            return widths, gap
    if not shrink(widths, gap, numbers, [max(n, 1) for n in body]):
        shrink(widths, gap, text, [min(n, 2) for n in natural])
    return widths, gap


def table(rows: Sequence[Sequence[str]], width: int, numeric: Collection[int] = ()) -> list[str]:
    """A table (the first row its header, underlined) fitting ``width``: columns in ``numeric`` are right
    aligned and their numbers never cut; text cells too long for their column end in "…"."""
    rows = [[escape(cell) for cell in row] for row in rows]
    widths, gap = column_widths(rows, width, numeric)
    lines = []
    for n, row in enumerate(rows):
        cells = [
            ellipsize(cell, w).rjust(w) if i in numeric else ellipsize(cell, w).ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append(gap.join(cells).rstrip())
        if n == 0:
            lines.append(gap.join("-" * w for w in widths))
    return lines


def style(text: str, status: str, colour: bool | None = None) -> str:
    """``text`` (escaped) in the colour of ``status``: pass green, fail red, advisory yellow. ``colour`` None
    asks the environment (:func:`colour_wanted`); True or False force it. Apply it last: after layout."""
    text = escape(text)
    code = COLOURS.get(status)
    if code is None or not (colour_wanted() if colour is None else colour):
        return text
    return f"\x1b[{code}m{text}\x1b[0m"


__all__ = [
    "DEFAULT_WIDTH",
    "ELLIPSIS",
    "MIN_WIDTH",
    "Layout",
    "colour_wanted",
    "column_widths",
    "ellipsize",
    "escape",
    "fit",
    "fit_all",
    "output_width",
    "style",
    "table",
    "wrap",
]
