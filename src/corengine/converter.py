"""The one cattrs converter: strict structuring of plain data into the model, and back.

Strict means: unknown keys, wrong types, impossible dates and validator complaints all become lines like
``audit.yaml:31: responses["2.4"].points: must be <= 10, not 12`` — never a traceback.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any, TypeVar, cast

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from .errors import InputError, problem
from .loading import LineMap, PathKey, format_path, line_for
from .model import FieldError

T = TypeVar("T")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^\s*-?\d+(\.\d+)?(/\d+)?\s*$")


class _TypeProblem(ValueError):
    pass


def _to_fraction(value: Any, _type: Any) -> Fraction:
    if isinstance(value, bool):
        raise _TypeProblem(f"expected a number, not {value!r}")
    if isinstance(value, Fraction | int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value))
    if isinstance(value, str) and _NUMBER.match(value):
        try:
            return Fraction(value.strip())
        except ZeroDivisionError:
            raise _TypeProblem(f"expected a number, not {value!r} (division by zero)") from None
    raise _TypeProblem(f"expected a number such as 10, 7.5 or 7/10, not {value!r}")


def _to_date(value: Any, _type: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise _TypeProblem(f"{value!r} is not a date that exists ({exc})") from None
    raise _TypeProblem(f"expected a date as YYYY-MM-DD, not {value!r}")


def _to_str(value: Any, _type: Any) -> str:
    if not isinstance(value, str):
        raise _TypeProblem(f"expected text, not {value!r} (quote it)")
    return value


def _to_int(value: Any, _type: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _TypeProblem(f"expected a whole number, not {value!r}")
    return value


def _to_bool(value: Any, _type: Any) -> bool:
    if not isinstance(value, bool):
        raise _TypeProblem(f"expected true or false, not {value!r}")
    return value


def _str_tuple(value: Any, _type: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list | tuple):
        raise _TypeProblem(f"expected a list of text, not {value!r}")
    problems = []
    for index, item in enumerate(value):
        if not isinstance(item, str):
            problems.append(f"item {index}: expected text, not {item!r}")
    if problems:
        raise _TypeProblem("; ".join(problems))
    return tuple(value)


def _make_converter(detailed: bool = True) -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed)
    conv.register_structure_hook(Fraction, _to_fraction)
    conv.register_structure_hook(dt.date, _to_date)
    conv.register_structure_hook(str, _to_str)
    conv.register_structure_hook(int, _to_int)
    conv.register_structure_hook(bool, _to_bool)
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], _str_tuple)
    conv.register_unstructure_hook(Fraction, lambda f: int(f) if f.denominator == 1 else str(f))
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    return conv


converter = _make_converter()
"""The project's converter; plugins use it through :func:`structure` and :func:`unstructure`."""

_fast = _make_converter(detailed=False)
"""The same rules without error bookkeeping: valid input (the common case) structures several times faster,
and only input that fails is structured again by :data:`converter` to locate every problem."""


def _errors(exc: BaseException, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(exc, ClassValidationError | IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for inner, note in with_notes:
            if isinstance(note, AttributeValidationNote):
                yield from _errors(inner, (*path, note.name))
            elif isinstance(note, IterableValidationNote):
                yield from _errors(inner, (*path, note.index))
            else:  # pragma: no cover - cattrs only makes the two notes above
                yield from _errors(inner, path)
        for inner in without:
            yield from _errors(inner, path)
    elif isinstance(exc, ForbiddenExtraKeysError):
        names = [a.name for a in attrs.fields(exc.cl)] if attrs.has(exc.cl) else []
        for key in sorted(exc.extra_fields):
            close = difflib.get_close_matches(key, names, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            yield (*path, key), f"unknown key ({hint}expected one of: {', '.join(names)})"
    elif isinstance(exc, FieldError):
        yield (*path, exc.field), str(exc)
    elif isinstance(exc, KeyError):
        yield path, "required key is missing"
    elif isinstance(exc, _TypeProblem):
        yield path, str(exc)
    elif isinstance(exc, TypeError) and "missing" in str(exc):
        names = re.findall(r"'(\w+)'", str(exc))
        for name in names or ["?"]:
            yield (*path, name), "required key is missing"
    elif isinstance(exc, TypeError | ValueError | AttributeError):
        yield path, _plain(exc)
    else:
        raise exc


def _plain(exc: BaseException) -> str:
    text = str(exc)
    if any(sign in text for sign in ("has no attribute 'items'", "has no attribute 'keys'", "argument after **")):
        return "expected a mapping of keys to values"
    if "object is not iterable" in text:
        return "expected a list"
    return text


def structure(data: Any, cls: type[T], source: str, lines: LineMap | None = None) -> T:
    """Turn plain data into ``cls`` or raise one :class:`InputError` listing every problem with its place."""
    found = lines or {}
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise InputError([problem(source, "", f"expected a mapping at the top level, got {kind}")])
    return structure_located(
        data, cls, lambda path, message: problem(source, format_path(path), message, line_for(found, path))
    )


def _problems(value: Any, hint: Any) -> tuple[Any, list[tuple[PathKey, str]]]:
    """Structure ``value``: valid input goes through the fast converter; only a failure is structured again by
    the detailed one, to locate every problem. Returns (result, []) or (None, problems)."""
    try:
        return _fast.structure(value, hint), []
    except Exception:
        pass
    try:
        return converter.structure(value, hint), []
    except Exception as exc:
        return None, list(_errors(exc, ()))


def structure_value(value: Any, hint: Any) -> Any:
    """One value structured to a type hint; a failure is a ValueError with the first problem's message."""
    result, problems = _problems(value, hint)
    if problems:
        raise ValueError(problems[0][1])
    return result


def unstructure(obj: Any) -> Any:
    """Plain data (for JSON/YAML output) with fractions as exact strings and dates as ISO text."""
    return converter.unstructure(obj)


def structure_located(data: dict[str, Any], cls: type[T], locate: Callable[[PathKey, str], str]) -> T:
    """Structure ``data`` into ``cls``; ``locate(path, message)`` writes each problem (a file and line, or a
    spreadsheet cell)."""
    result, problems = _problems(data, cls)
    if problems:
        raise InputError([locate(path, message) for path, message in problems])
    return cast(T, result)
