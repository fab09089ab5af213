"""One exception type per kind of user error, so the CLI can print each without a traceback."""

from __future__ import annotations

from collections.abc import Sequence


class CorengineError(Exception):
    """Base of every error a user (not a programmer) can cause; the CLI exits 2 on these."""


class InputError(CorengineError):
    """A file the user gave is malformed: each problem names the file, the place in it and what was expected."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


class UnknownStandardError(CorengineError):
    """An audit or a command names a standard no installed plugin provides."""


class PluginError(CorengineError):
    """A plugin broke a rule of the contract or raised; the message names the plugin and the hook."""


class DuplicateError(PluginError):
    """Two plugins claim one id (standard, scoring method, jurisdiction); the message names both."""


def problem(source: str, path: str, message: str, line: int | str | None = None) -> str:
    """Format one problem the way every loader and validator reports it: ``file:line: path: message``.

    A spreadsheet cell is given as text and shown after the file: ``audit.xlsx: Responses!G12: path: message``.
    """
    where = source if line is None else f"{source}: {line}" if isinstance(line, str) else f"{source}:{line}"
    return f"{where}: {path}: {message}" if path else f"{where}: {message}"
