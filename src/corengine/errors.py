"""One exception type per kind of user error, so the CLI can print each without a traceback.

A bad input file raises :class:`InputError` carrying every :class:`Problem` found in it: each a record
with the file, line and column (or spreadsheet cell), the path inside the document and the message, so a
product embedding the engine can mark the failing field and the CLI can print ``file:line: path: message``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from attrs import frozen

from corengine._util.records import Record

MAX_PROBLEMS = 200
"""Most problems one :class:`InputError` carries; the rest are only counted (``... and N more problems``)."""


@frozen(kw_only=True, eq=False, repr=False)
class Problem(Record):
    """One problem with an input file, where it is and what is wrong.

    ``str(problem)`` is the line the CLI prints: ``file:line: path: message`` (or ``file: Sheet!G12: path:
    message`` for a spreadsheet cell). A problem compares equal to that text as well as to an equal record, so
    code written when problems were plain strings keeps working.
    """

    file: str
    """The file named in messages (``<stdin>`` for standard input; empty when unknown)."""
    line: int | None = None
    """1-based line in a YAML or JSON file, where known."""
    column: int | None = None
    """1-based column on that line, where known (YAML files and JSON syntax errors)."""
    cell: str | None = None
    """The spreadsheet cell, such as ``Responses!G12``, for a problem in an ``.xlsx`` workbook."""
    path: str = ""
    """Where inside the document, as ``responses["2.4"].points``; empty for the whole file."""
    message: str
    """What is wrong and what was expected."""
    hint: str | None = None
    """A suggested fix such as ``did you mean 'audit_type'?`` (the message says it too), where there is one."""

    def text(self) -> str:
        """The one-line form: ``file:line: path: message``."""
        where = self.file
        if self.cell is not None:
            where = f"{where}: {self.cell}" if where else self.cell
        elif self.line is not None:
            where = f"{where}:{self.line}"
        return ": ".join(part for part in (where, self.path, self.message) if part)

    def __str__(self) -> str:
        return self.text()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return self.text() == other
        if isinstance(other, Problem):
            return _key(self) == _key(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.text())


def _key(p: Problem) -> tuple[object, ...]:
    return (p.file, p.line, p.column, p.cell, p.path, p.message, p.hint)


def as_problem(item: Problem | str) -> Problem:
    """A problem record; plain text (the form before records) becomes a record whose text is that string."""
    return item if isinstance(item, Problem) else Problem(file="", message=str(item))


_CELL = re.compile(r"(?P<sheet>.*)!(?P<column>[A-Z]+)(?P<row>[0-9]+)")


def _in_place_order(found: list[Problem]) -> list[Problem]:
    """``found`` sorted by file (in the order the files first appear), then by line and column, or for a
    spreadsheet by sheet (in the order the sheets first appear), row and column. A problem of the whole file sorts
    first in its file; the sort is stable, so problems at one place keep the order they were found in."""
    files: dict[str, int] = {}
    sheets: dict[tuple[str, str], int] = {}
    for p in found:
        files.setdefault(p.file, len(files))
        cell = _CELL.match(p.cell or "")
        if cell is not None:
            sheets.setdefault((p.file, cell["sheet"]), len(sheets))

    def place(p: Problem) -> tuple[int, int, int, int, int, int, str]:
        cell = _CELL.match(p.cell or "")
        if cell is None:
            return (files[p.file], p.line or 0, p.column or 0, 0, 0, 0, "")
        return (
            files[p.file],
            0,
            0,
            sheets[p.file, cell["sheet"]] + 1,
            int(cell["row"]),
            len(cell["column"]),
            cell["column"],
        )

    return sorted(found, key=place)


class CorengineError(Exception):
    """Base of every error a user (not a programmer) can cause; the CLI exits 2 on these."""


class InputError(CorengineError):
    """A file the user gave is malformed: each problem names the file, the place in it and what was expected.

    ``problems`` holds the first :data:`MAX_PROBLEMS` records (plain strings given are wrapped as records),
    sorted by file, then line and column (:func:`_in_place_order`), so they read from the top of the file down;
    ``truncated`` counts those left out, with ``more`` that a reader found after them and only counted (it need
    not build a record of a problem that cannot be shown).
    """

    def __init__(self, problems: Iterable[Problem | str] | str, limit: int = MAX_PROBLEMS, more: int = 0) -> None:
        found = _in_place_order([as_problem(p) for p in ([problems] if isinstance(problems, str) else problems)])
        self.problems: tuple[Problem, ...] = tuple(found[:limit])
        self.truncated: int = max(0, len(found) - limit) + more
        """Problems left out: those past ``limit``, and ``more`` found past the shown ones and only counted."""
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line per problem, then ``... and N more problems`` when some were left out."""
        lines = [p.text() for p in self.problems]
        if self.truncated:
            lines.append(f"... and {self.truncated} more problem{'s' if self.truncated != 1 else ''}")
        return lines


class OutputError(CorengineError):
    """An output cannot be written: it is an input, a folder, a read-only or full place, a closed pipe, an
    encoding that cannot show the text... The message names the output (a file, or standard output) and why;
    nothing was written, or nothing is left behind."""


class ReaderGone(OutputError):
    """The reader of standard output stopped reading (``corengine ... | head``): the command stops quietly, as
    ``git`` and ``pytest`` do, with status 141 (killed by SIGPIPE, as a shell reports it) and no message."""


class UnknownStandardError(CorengineError):
    """An audit or a command names a standard no installed plugin provides."""


class PluginError(CorengineError):
    """A plugin broke a rule of the contract or raised; the message names the plugin and the hook."""

    def __init__(self, message: str = "", plugin: str | None = None, where: str | None = None) -> None:
        super().__init__(message)
        self.plugin = plugin
        """The name of the plugin at fault, where the error knows it (one that failed to load or in a hook)."""
        self.where = where
        """Where it failed (``hook corengine_decide_outcome``), where the error knows it."""


class DuplicateError(PluginError):
    """Two plugins claim one id (standard, scoring method, jurisdiction); the message names both."""


def problem(
    source: str,
    path: str,
    message: str,
    line: int | str | None = None,
    column: int | None = None,
    hint: str | None = None,
) -> Problem:
    """The record of one problem, as every loader and validator reports it (text: ``file:line: path: message``).

    A spreadsheet cell is given as text in place of the line and shown after the file:
    ``audit.xlsx: Responses!G12: path: message``.
    """
    if isinstance(line, str):
        return Problem(file=source, cell=line, path=path, message=message, hint=hint)
    return Problem(
        file=source, line=line, column=column if line is not None else None, path=path, message=message, hint=hint
    )
