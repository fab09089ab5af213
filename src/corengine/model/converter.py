"""The one cattrs converter: strict structuring of plain data into the model, and back.

Strict means: unknown keys, wrong types, impossible dates and validator complaints all become problems like
``audit.yaml:31: responses["2.4"].points: must be <= 10, not 12`` — never a traceback. Input that fails is
walked once more to find every problem in one pass: each field on its own, each field's validator on its own
(so a bad value next to a wrong type is reported too), and what did structure is kept (:class:`Partial`) for
the checks that can still run on it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import types
from collections.abc import Callable, Iterator, Mapping
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, Union, cast, get_args, get_origin, get_type_hints

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from corengine._io.loading import ExactFloat, LineMap, PathKey, located, parse, read_text
from corengine._util.records import Record
from corengine.errors import MAX_PROBLEMS, InputError, Problem, problem
from corengine.model.findings import Quantity, number_text
from corengine.model.validators import MAX_DECIMALS as MAX_DECIMALS
from corengine.model.validators import MAX_WHOLE_DIGITS as MAX_WHOLE_DIGITS
from corengine.model.validators import YEARS, FieldError

T = TypeVar("T")

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_NUMBER = re.compile(r"^\s*(-?)([0-9]+)(?:\.([0-9]+))?(?:/([0-9]+))?\s*$")

MAX_DENOMINATOR = 1000
"""Largest denominator of a number written as a fraction ``a/b``. Exact sums of many fractions with large,
different denominators grow without bound (their common denominator is the product); with these bounds the
common denominator of every number the engine can read is fixed, so totals stay small and fast."""


_SURROGATE = re.compile("[\ud800-\udfff]")
_YAML_11_BOOLEANS = {"y", "n", "yes", "no", "on", "off"}


class _TypeProblem(ValueError):
    pass


def shown(value: Any) -> str:
    """A value as a message quotes it: its ``repr``, but a huge number or a very long text is summarised
    (the interpreter cannot even print an integer of more than a few thousand digits)."""
    if isinstance(value, int | Fraction) and not isinstance(value, bool):
        size = max(abs(value.numerator), value.denominator).bit_length()
        if size > 200:
            return f"a number of about {int(size * 0.30103)} digits"
        return str(value)
    if isinstance(value, str) and len(value) > 80:
        return f"{value[:60]!r}... ({len(value)} characters)"
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # an integer too long to print, or nesting too deep, inside
        return f"a {type(value).__name__}"
    return text if len(text) <= 200 else f"{text[:150]}... (a {type(value).__name__})"


def _bounded(number: Fraction, shown_as: str) -> Fraction:
    """``number``, or a problem when it is larger or finer than any number the engine reads."""
    if abs(number) >= 10**MAX_WHOLE_DIGITS:
        raise _TypeProblem(
            f"expected a number with at most {MAX_WHOLE_DIGITS} digits before the decimal point, not {shown_as}"
        )
    denominator = number.denominator
    if denominator > MAX_DENOMINATOR and 10**MAX_DECIMALS % denominator:
        raise _TypeProblem(
            f"expected at most {MAX_DECIMALS} decimal places, or a fraction a/b with b at most {MAX_DENOMINATOR},"
            f" not {shown_as}"
        )
    return number


def _number_text(value: str) -> Fraction:
    """A number written as text (``10``, ``-7.5``, ``7/10``), checked for size before it is converted."""
    match = _NUMBER.match(value)
    if match is None:
        raise _TypeProblem(f"expected a number such as 10, 7.5 or 7/10, not {shown(value)}")
    sign, whole, decimals, denominator = match.groups()
    whole = whole.lstrip("0") or "0"  # leading and trailing zeros say nothing, and may be very many
    if decimals is not None and denominator is not None:
        raise _TypeProblem(f"expected a number such as 10, 7.5 or 7/10, not {shown(value)}")
    if len(whole) > MAX_WHOLE_DIGITS:
        raise _TypeProblem(
            f"expected a number with at most {MAX_WHOLE_DIGITS} digits before the decimal point, not {shown(value)}"
        )
    decimals = (decimals or "").rstrip("0") or "0"
    if len(decimals) > MAX_DECIMALS:
        raise _TypeProblem(
            f"expected at most {MAX_DECIMALS} decimal places (write a fraction such as 1/3 instead), not {shown(value)}"
        )
    if denominator is not None:
        below = denominator.lstrip("0") or "0"
        if len(below) > len(str(MAX_DENOMINATOR)) or int(below) > MAX_DENOMINATOR:
            raise _TypeProblem(
                f"expected a fraction a/b with b at most {MAX_DENOMINATOR} (exact sums of finer fractions grow "
                f"without bound), not {shown(value)}"
            )
        if below == "0":
            raise _TypeProblem(f"expected a number, not {shown(value)} (division by zero)")
        return Fraction(int(sign + whole), int(below))
    return Fraction(f"{sign}{whole}.{decimals}")


_DECIMAL = re.compile(r"^([-+]?)(?:([0-9]*)\.([0-9]*)|([0-9]+))(?:[eE]([-+]?[0-9]+))?$")
"""A YAML 1.2 core-schema float (infinities and NaN are refused before this)."""


def _exact_decimal(text: str) -> Fraction:
    """The exact value of a decimal written ``7.5``, ``.5`` or ``1.25e2``, under the limits of
    :func:`_number_text` (checked before any power of ten is built)."""
    match = _DECIMAL.match(text)
    if match is None:  # pragma: no cover - the YAML reader admits only core-schema floats
        raise _TypeProblem(f"expected a number such as 10, 7.5 or 7/10, not {text}")
    sign, whole, decimals, integer, exponent = match.groups()
    digits = (whole if integer is None else integer) + (decimals or "")
    if exponent is not None and len(exponent.lstrip("+-").lstrip("0")) > 6:
        places = MAX_DECIMALS + 1 if exponent.startswith("-") else -(MAX_WHOLE_DIGITS + 1)
    else:
        places = len(decimals or "") - int(exponent or 0)  # value = digits / 10**places
    digits = digits.lstrip("0")
    while digits.endswith("0") and places > 0:
        digits, places = digits[:-1], places - 1
    if digits and places > MAX_DECIMALS:
        raise _TypeProblem(
            f"expected at most {MAX_DECIMALS} decimal places (write a fraction such as 1/3 instead), not {text}"
        )
    if digits and len(digits) - places > MAX_WHOLE_DIGITS:
        raise _TypeProblem(
            f"expected a number with at most {MAX_WHOLE_DIGITS} digits before the decimal point, not {text}"
        )
    if not digits:
        return Fraction(0)
    number = int(sign + digits)
    return Fraction(number * 10**-places) if places <= 0 else Fraction(number, 10**places)


def _to_fraction(value: Any, _type: Any) -> Fraction:
    if isinstance(value, bool):
        raise _TypeProblem(f"expected a number, not {value!r}")
    if isinstance(value, Fraction | int):
        return _bounded(Fraction(value), shown(value))
    if isinstance(value, ExactFloat):
        return _exact_decimal(value.text)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _TypeProblem(f"expected a finite number, not {value!r}")
        return _bounded(Fraction(repr(value)), repr(value))
    if isinstance(value, str):
        return _number_text(value)
    raise _TypeProblem(f"expected a number such as 10, 7.5 or 7/10, not {shown(value)}")


def _to_date(value: Any, _type: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        date = value
    elif isinstance(value, str) and _DATE.match(value):
        try:
            date = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise _TypeProblem(f"{value!r} is not a date that exists ({exc})") from None
    else:
        raise _TypeProblem(f"expected a date as YYYY-MM-DD, not {shown(value)}")
    first, last = YEARS
    if not first <= date.year <= last:
        raise _TypeProblem(
            f"{date.isoformat()!r} is outside the years {first} to {last} accepted for dates "
            "(a year that far off is taken for a typing mistake)"
        )
    return date


def _to_str(value: Any, _type: Any) -> str:
    if not isinstance(value, str):
        raise _TypeProblem(f"expected text, not {shown(value)} (quote it)")
    if value.isascii():
        return value
    surrogate = _SURROGATE.search(value)
    if surrogate is not None:  # no file holds one (the readers refuse it); data handed to the library might
        raise _TypeProblem(f"text contains a lone surrogate (U+{ord(surrogate.group()):04X}), which is not a character")
    return value


def _to_int(value: Any, _type: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _TypeProblem(f"expected a whole number, not {shown(value)}")
    if abs(value) >= 10**MAX_WHOLE_DIGITS:
        raise _TypeProblem(f"expected a whole number of at most {MAX_WHOLE_DIGITS} digits, not {shown(value)}")
    return value


def _to_bool(value: Any, _type: Any) -> bool:
    if not isinstance(value, bool):
        old = isinstance(value, str) and value.lower() in _YAML_11_BOOLEANS
        hint = " (write true or false: yes, no, on and off are text)" if old else ""
        raise _TypeProblem(f"expected true or false, not {shown(value)}{hint}")
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


def _text_or_mapping(cls: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """A class that also accepts a plain string (``cls.from_text``) as well as its mapping form."""
    from cattrs.gen import make_dict_structure_fn

    by_fields = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True)

    def structure(value: Any, _type: Any) -> Any:
        return cls.from_text(value) if isinstance(value, str) else by_fields(value, cls)

    return structure


KEY = "corengine_key"
"""Field metadata naming the key a field is written under where it cannot be the field's name (``from``, a Python
keyword): ``field(metadata={KEY: "from"})``. The converter writes it and the schemas describe it so."""

OMIT_DEFAULTS = "__corengine_omit_defaults__"
"""A document class that sets this attribute true is written without its members left at their defaults (an RFC
9457 problem document has ``problems`` only when there are some)."""


def _omitting(cls: type, conv: cattrs.Converter) -> Callable[[Any], dict[str, Any]]:
    from cattrs.gen import make_dict_unstructure_fn, override

    renamed: dict[str, Any] = {f.name: override(rename=f.metadata[KEY]) for f in attrs.fields(cls) if KEY in f.metadata}
    omit = bool(getattr(cls, OMIT_DEFAULTS, False))
    return make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=omit, **renamed)


def _renames(cls: Any) -> bool:
    return isinstance(cls, type) and attrs.has(cls) and any(KEY in f.metadata for f in attrs.fields(cls))


def _make_converter(detailed: bool = True) -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed)
    conv.register_structure_hook(Fraction, _to_fraction)
    conv.register_structure_hook(dt.date, _to_date)
    conv.register_structure_hook(str, _to_str)
    conv.register_structure_hook(int, _to_int)
    conv.register_structure_hook(bool, _to_bool)
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], _str_tuple)
    conv.register_structure_hook_factory(
        lambda t: isinstance(t, type) and attrs.has(t) and hasattr(t, "from_text"),
        lambda t, c: _text_or_mapping(t, c),
    )
    conv.register_unstructure_hook(Fraction, lambda f: int(f) if f.denominator == 1 else str(f))
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    base = conv.get_unstructure_hook(Quantity)
    conv.register_unstructure_hook(Quantity, lambda q: _quantity(base, q))
    conv.register_unstructure_hook_factory(
        lambda t: isinstance(t, type) and attrs.has(t) and (getattr(t, OMIT_DEFAULTS, False) or _renames(t)),
        lambda t: _omitting(t, conv),
    )
    return conv


def _quantity(base: Callable[[Any], dict[str, Any]], quantity: Quantity) -> dict[str, Any]:
    """A typed value as JSON: exact numbers as decimal text where they are finite decimals (``169.14``), else
    ``a/b``; empty fields left out, so each value shows only what it is."""
    data = base(quantity)
    for key in ("number", "upper"):
        value = getattr(quantity, key)
        data[key] = None if value is None else number_text(value)
    return {k: v for k, v in data.items() if v not in (None, "", [], ())}


converter = _make_converter()
"""The project's converter; plugins use it through :func:`structure` and :func:`unstructure`."""

_fast = _make_converter(detailed=False)
"""The same rules without error bookkeeping: valid input (the common case) structures several times faster,
and only input that fails is structured again by :data:`converter` to locate every problem."""


def register_fast_hook(
    cls: type[T],
    fast: Callable[[Any], T | None],
    many: Callable[[dict[Any, Any], Callable[[Any], T]], dict[str, T] | None] | None = None,
) -> None:
    """Put ``fast`` in front of the fast converter's generated hook for ``cls``: it structures the common,
    valid shapes of a class met thousands of times per audit (a response) by hand, and returns None for any
    other input, which the generated hook then structures as before. Only :data:`_fast` changes: whatever
    fails there is walked again by :data:`converter`, so messages are unchanged; ``fast`` must build exactly
    what the generated hook would (the class's own validators still run in its ``__init__``).

    ``many``, if given, reads a whole ``{id: value}`` mapping of the class in one call (given the mapping and the
    hook for one value), or returns None to leave the mapping to the generic hook."""
    generated: Callable[[Any, Any], T] | None = None

    def hook(value: Any, _type: Any = cls) -> T:
        nonlocal generated
        found = fast(value)
        if found is not None:
            return found
        if generated is None:
            from cattrs.gen import make_dict_structure_fn

            generated = make_dict_structure_fn(cls, _fast, _cattrs_forbid_extra_keys=True)
        return generated(value, _type)

    _fast.register_structure_hook(cls, hook)
    generic = _fast.get_structure_hook(dict[str, cls])  # type: ignore[valid-type]

    def by_key(value: Any, _type: Any) -> dict[str, T]:
        # ``{id: answer}`` with plain keys in one loop (each uncommon answer through ``hook``); else the generic way
        if type(value) is dict:
            if many is not None:
                read = many(value, hook)
                if read is not None:
                    return read
            else:
                found: dict[str, T] = {}
                for key, item in value.items():
                    if type(key) is not str or not key.isascii():
                        break
                    one = fast(item)
                    found[key] = one if one is not None else hook(item, cls)
                else:
                    return found
        structured: dict[str, T] = generic(value, _type)
        return structured

    mapping = dict[str, cls]  # type: ignore[valid-type]
    _fast.register_structure_hook_func(lambda t: t == mapping, by_key)


class Issue(NamedTuple):
    """One problem found while structuring: where (a path inside the data) and what, with a hint if any."""

    path: PathKey
    message: str
    hint: str | None = None


class _Broken:
    def __repr__(self) -> str:
        return "BROKEN"


BROKEN: Any = _Broken()
"""What a value that could not be structured at all becomes inside a :class:`Partial` or a mapping."""


@attrs.frozen(repr=False, eq=False)
class Partial(Record):
    """What could be structured of a mapping that did not structure into its class as a whole."""

    cls: type
    """The class it was meant to become."""
    values: dict[str, Any]
    """Fields that structured and passed their own validator; a field not given has its default here."""
    failed: dict[str, Any]
    """Fields with a problem, each with what could be structured of it (a Partial, a mapping whose broken
    entries are Partial or :data:`BROKEN`, or BROKEN)."""


def _errors(exc: BaseException, path: PathKey) -> Iterator[Issue]:
    """The problems inside one cattrs exception, classified by the exception's type."""
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
        listed = ", ".join(names)
        for index, key in enumerate(sorted(exc.extra_fields)):
            yield _unknown_key(path, key, names, index < MAX_PROBLEMS, listed)
    elif isinstance(exc, FieldError):
        yield Issue((*path, exc.field), str(exc))
    elif isinstance(exc, KeyError):
        yield Issue(path, "required key is missing")
    elif isinstance(exc, TypeError | ValueError | AttributeError):
        yield Issue(path, str(exc))
    else:
        raise exc


def _unknown_key(path: PathKey, key: str, names: list[str], suggest: bool = True, listed: str | None = None) -> Issue:
    """The problem of an unknown key. Its did-you-mean is worked out only when ``suggest``: past the first
    :data:`~corengine.errors.MAX_PROBLEMS` unknown keys of one mapping, a problem can only be counted, never
    shown (an :class:`InputError` shows the first ones), so 100,000 unknown keys cost no 100,000 searches.
    ``listed``: ``names`` joined with commas, when the caller joined them once for many keys."""
    import difflib  # (only for a problem: not imported by a valid audit)

    close = difflib.get_close_matches(key, names, n=1) if suggest else []
    hint = f"did you mean {close[0]!r}?" if close else None
    said = f"{hint} " if hint else ""
    listed = listed if listed is not None else ", ".join(names)
    return Issue((*path, key), f"unknown key ({said}expected one of: {listed})", hint)


_MAPPING = "expected a mapping of keys to values"
_LIST = "expected a list"


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _walk(value: Any, hint: Any, path: PathKey) -> tuple[Any, list[Issue]]:
    """Structure ``value`` as ``hint`` finding every problem: ``(result, [])``, or what could be structured
    (a :class:`Partial`, a mapping with broken entries, or :data:`BROKEN`) and the problems."""
    if isinstance(hint, type) and attrs.has(hint):
        if isinstance(value, str) and hasattr(hint, "from_text"):
            try:
                return hint.from_text(value), []
            except FieldError as exc:
                return BROKEN, [Issue((*path, exc.field), str(exc))]
        return _walk_class(value, hint, path)
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
        if value is None:
            return None, []
        inner = args[0] if args[1] is type(None) else args[1]
        if (isinstance(inner, type) and attrs.has(inner)) or get_origin(inner) in (dict, Mapping, tuple):
            return _walk(value, inner, path)
    elif origin in (dict, Mapping):
        if not isinstance(value, dict):
            return BROKEN, [Issue(path, _MAPPING)]
        if len(args) == 2 and args[0] is str:
            results: dict[str, Any] = {}
            issues: list[Issue] = []
            for key, item in value.items():
                if not isinstance(key, str):  # plain data may hold any key: 1.5, None, a huge number
                    issues.append(Issue((*path, key), f"expected text, not {shown(key)} (quote it)"))
                    continue
                results[key], found = _walk(item, args[1], (*path, key))
                issues += found
            return results, issues
    elif origin in (tuple, list, frozenset, set) and hint != tuple[str, ...]:
        if not isinstance(value, list | tuple):
            return BROKEN, [Issue(path, _LIST)]
        if len(args) == 2 and args[1] is Ellipsis:
            items: list[Any] = []
            issues = []
            for index, item in enumerate(value):
                result, found = _walk(item, args[0], (*path, index))
                items.append(result)
                issues += found
            return (items if issues else origin(items) if origin is not list else items), issues
    try:
        return converter.structure(value, hint), []
    except Exception as exc:
        return BROKEN, list(_errors(exc, path))


def _walk_class(value: Any, cls: type, path: PathKey) -> tuple[Any, list[Issue]]:
    if not isinstance(value, dict):
        return BROKEN, [Issue(path, _MAPPING)]
    fields = attrs.fields(cls)
    if any(a.name.startswith("_") for a in fields if a.init):  # pragma: no cover - the model has none
        try:
            return converter.structure(value, cls), []
        except Exception as exc:
            return BROKEN, list(_errors(exc, path))
    hints = _hints(cls)
    issues: list[Issue] = []
    kwargs: dict[str, Any] = {}
    values: dict[str, Any] = {}
    failed: dict[str, Any] = {}
    for a in fields:
        if not a.init:
            continue
        if a.name not in value:
            if a.default is attrs.NOTHING:
                issues.append(Issue((*path, a.name), "required key is missing"))
                failed[a.name] = BROKEN
            elif isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
                if not a.default.takes_self:
                    values[a.name] = a.default.factory()
            else:
                values[a.name] = a.default
            continue
        result, found = _walk(value[a.name], hints[a.name], (*path, a.name))
        if not found and a.validator is not None and a.converter is None:
            try:
                a.validator(None, a, result)
            except FieldError as exc:
                found = [Issue((*path, exc.field), str(exc))]
            except ValueError as exc:
                found = [Issue((*path, a.name), str(exc))]
            except Exception:  # a validator that needs the instance: judged below, when the class is built
                pass
        if found:
            issues += found
            failed[a.name] = result
            continue
        kwargs[a.alias] = values[a.name] = result
    names = [a.name for a in fields]
    known = {a.name for a in fields if a.init}
    unknown = sorted(k if isinstance(k, str) else shown(k) for k in value if k not in known)
    listed = ", ".join(names)
    issues += [_unknown_key(path, key, names, index < MAX_PROBLEMS, listed) for index, key in enumerate(unknown)]
    if not issues:
        try:
            return cls(**kwargs), []
        except FieldError as exc:
            issues.append(Issue((*path, exc.field), str(exc)))
        except (TypeError, ValueError) as exc:
            issues.append(Issue(path, str(exc)))
    return Partial(cls, values, failed), issues


def structure_partial(data: Any, cls: type[T]) -> tuple[T | Partial | Any, list[Issue]]:
    """``(result, [])``, or what could be structured of ``data`` (a :class:`Partial` of ``cls``, or
    :data:`BROKEN` when it is not even a mapping) and every problem."""
    try:
        return _fast.structure(data, cls), []
    except Exception:
        pass
    result, issues = _walk(data, cls, ())
    if issues:
        return result, issues
    try:  # pragma: no cover - the walk finds a problem wherever the converter does
        return converter.structure(data, cls), []
    except Exception as exc:  # pragma: no cover
        return BROKEN, list(_errors(exc, ())) or [Issue((), str(exc) or type(exc).__name__)]


def structure(data: Any, cls: type[T], source: str, lines: LineMap | None = None) -> T:
    """Turn plain data into ``cls`` or raise one :class:`InputError` listing every problem with its place."""
    found = lines or {}
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise InputError([problem(source, "", f"expected a mapping at the top level, got {kind}")])
    result, issues = structure_partial(data, cls)
    if issues:
        raise InputError([located(source, found, path, message, hint) for path, message, hint in issues])
    return cast(T, result)


def _problems(value: Any, hint: Any) -> tuple[Any, list[Issue]]:
    """Structure ``value``: valid input goes through the fast converter; only a failure is walked again to
    locate every problem. Returns (result, []) or (None, problems)."""
    try:
        return _fast.structure(value, hint), []
    except Exception:
        pass
    result, issues = _walk(value, hint, ())
    if not issues:
        return result, []
    return None, issues


def structure_value(value: Any, hint: Any) -> Any:
    """One value structured to a type hint; a failure is a ValueError with the first problem's message."""
    result, problems = _problems(value, hint)
    if problems:
        raise ValueError(problems[0].message)
    return result


def unstructure(obj: Any) -> Any:
    """Plain data (for JSON/YAML output) with fractions as exact strings and dates as ISO text."""
    return converter.unstructure(obj)


def structure_located(data: dict[str, Any], cls: type[T], locate: Callable[[PathKey, str], Problem | str]) -> T:
    """Structure ``data`` into ``cls``; ``locate(path, message)`` writes each problem (a file and line, or a
    spreadsheet cell)."""
    result, problems = structure_partial(data, cls)
    if problems:
        raise InputError([locate(path, message) for path, message, _ in problems])
    return cast(T, result)


def load_file(path: str | Path, cls: type[T]) -> T:
    """Read, parse and structure one file into ``cls``; every failure is an :class:`InputError`.

    A file that loads is kept in the user's cache (:mod:`corengine._io.cache`), keyed by its text, ``cls`` and the
    code; reading it again is then a matter of unpickling."""
    from corengine._io.cache import cached

    text, source = read_text(path)

    def build() -> T:
        data, lines = parse(text, source, mapping=True)
        return structure(data, cls, source, lines)

    if str(path) == "-":  # stdin: read once, nothing to gain
        return build()
    return cached(text, "json" if source.endswith(".json") else "yaml", cls, build)
