"""The YAML scenario-test format, as attrs records read strictly: every key at every level is known.

A scenario file (``test_*.yaml`` with a top-level ``scenarios:`` key) is read whole before any scenario runs;
an unknown key anywhere, at the file, a scenario, its subject, its ``expect`` block or a finding matcher, is an
error naming the file, the line, the path and the closest known key (``did you mean 'passed'?``), so a misspelt
expectation cannot pass silently. ``docs/scenarios.md`` documents every key; :mod:`corengine.testing.pytest_plugin`
collects and runs the files.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

import attrs
from attrs import frozen

from corengine._io.loading import LineMap, PathKey, format_path, located
from corengine._util.textlayout import escape
from corengine.errors import InputError
from corengine.model import EligibilityRequest, SamplePlan
from corengine.model.converter import structure, unstructure
from corengine.model.findings import STATUSES, Finding, Quantity, status_of

SUBJECTS = ("audit", "eligibility", "sample", "command")
"""What a scenario may run; each scenario gives exactly one."""

DECLARATION = re.compile(rb"^(?:\xef\xbb\xbf)?scenarios[ \t]*:", re.M)
"""A top-level ``scenarios:`` key, which makes a YAML file a scenario file (after a byte-order mark, on the first
line of a file an editor saved with one)."""


class ScenarioError(Exception):
    """A scenario file is malformed or a scenario's expectation does not hold."""


def safe_name(text: str) -> str:
    """A scenario's name (or a finding's text) safe for a test id and a terminal: every control character, tabs
    and line breaks included, shown escaped (``\\x0a``), so a name cannot start a line of its own (a CI
    ``::error::`` command) or move the cursor."""
    return escape(text.replace("\t", "\\x09").replace("\n", "\\x0a"))


def declares_scenarios(raw: bytes) -> bool:
    """Whether a YAML file's bytes have a top-level ``scenarios:`` key (files without one are not scenario files)."""
    return DECLARATION.search(raw) is not None


# --------------------------------------------------------------------------- finding matchers

FINDING_KEYS = (
    "check",
    "status",
    "message",
    "subject",
    "subject_kind",
    "required",
    "measured",
    "due",
    "confidence",
    "sources",
    "reading",
    "plugin",
    "rule_version",
)
"""Keys a scenario may match a finding on; ``message`` and ``reading`` match a part of the text."""

LEGACY_FINDING_KEYS = {"rule": "check", "passed": "status", "reference": "sources"}
"""Pre-0.3 scenario keys, still read for one release with a warning naming the new key."""


def _did_you_mean(key: str, names: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(key, names, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


CONFIDENCES = ("H", "M", "L")
"""A finding's confidence."""

QUANTITY_KEYS = tuple(a.name for a in attrs.fields(Quantity))
"""The typed fields a ``required`` or ``measured`` matcher may give as a mapping."""

_TEXT_FINDING_KEYS = ("check", "message", "subject", "subject_kind", "reading", "plugin")


def kind_of(value: Any) -> str:
    """What a value read from YAML is, in words (``null``, ``a list``, ``text 'x'``), for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value.isoformat() if isinstance(value, dt.date) else value)


def _is_day(value: Any) -> bool:
    """A date, or text written ``YYYY-MM-DD`` that is one."""
    if isinstance(value, dt.date):
        return True
    return isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None and _is_date(value)


def _matcher_value(key: str, value: Any) -> tuple[Any, str | None]:
    """A matcher's value as it is compared (whole numbers given for text become text), or a problem: a value
    that could never match (a misspelt status, a date that is not one) must not pass a ``no_findings`` silently."""
    if key in _TEXT_FINDING_KEYS:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value), None
        return value, None if isinstance(value, str) else f"{key} must be text; got {kind_of(value)}"
    if key == "status":
        return (
            value,
            None if value in STATUSES else f"status must be one of {', '.join(STATUSES)}; got {kind_of(value)}",
        )
    if key == "confidence":
        ok = value in CONFIDENCES
        return value, None if ok else f"confidence must be one of {', '.join(CONFIDENCES)}; got {kind_of(value)}"
    if key in ("due", "rule_version"):
        if not _is_day(value):
            return value, f"{key} must be a date (YYYY-MM-DD); got {kind_of(value)}"
        return value.isoformat() if isinstance(value, dt.date) else value, None
    if key == "sources":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return value, f"sources must be a list of texts; got {kind_of(value)}"
        return value, None
    # required, measured: the quantity's text, or a mapping of its typed fields
    if isinstance(value, dict):
        unknown = [k for k in value if k not in QUANTITY_KEYS]
        if unknown:
            return value, (
                f"{key}: unknown quantity field {unknown[0]!r}{_did_you_mean(str(unknown[0]), QUANTITY_KEYS)}; "
                f"expected some of {', '.join(QUANTITY_KEYS)}"
            )
        typed = {
            k: str(v)
            if isinstance(v, int) and not isinstance(v, bool)
            else v.isoformat()
            if isinstance(v, dt.date)
            else v
            for k, v in value.items()
        }
        return typed, None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return value, None
    return value, f"{key} must be text or a mapping of {', '.join(QUANTITY_KEYS)}; got {kind_of(value)}"


def matcher_problems(wanted: Any) -> tuple[dict[str, Any], list[tuple[str | None, str]]]:
    """A finding matcher with legacy keys translated (warning once each), and its problems: each with the key it
    is at (None: the matcher itself): not a mapping, an unknown key, a value that could never match."""
    if not isinstance(wanted, dict):
        return {}, [(None, f"a finding matcher is a mapping of {', '.join(FINDING_KEYS)}; got {kind_of(wanted)}")]
    out: dict[str, Any] = {}
    problems: list[tuple[str | None, str]] = []
    for given, value in wanted.items():
        key = given
        if key in LEGACY_FINDING_KEYS:
            new = LEGACY_FINDING_KEYS[key]
            warnings.warn(
                f"scenario finding key {key!r} is deprecated; use {new!r}"
                + (" with 'pass', 'fail', 'advisory' or 'info'" if key == "passed" else ""),
                DeprecationWarning,
                stacklevel=3,
            )
            if key == "passed":
                if not isinstance(value, bool | None):
                    problems.append((str(given), f"passed must be true or false; got {kind_of(value)}"))
                    continue
                value = status_of(value)
            key = new
        if key not in FINDING_KEYS:
            problems.append(
                (
                    str(given),
                    f"unknown finding key {key!r}{_did_you_mean(str(key), FINDING_KEYS)}; "
                    f"expected one of {', '.join(FINDING_KEYS)}",
                )
            )
            continue
        value, problem = _matcher_value(key, value)
        if problem:
            problems.append((str(given), problem))
        out[key] = value
    return out, problems


def matcher(wanted: Any) -> dict[str, Any]:
    """A scenario's finding matcher with legacy keys translated (warning once each); a :class:`ScenarioError` for
    one that is not a mapping, has an unknown key or a value that could never match (see
    :func:`matcher_problems`)."""
    out, problems = matcher_problems(wanted)
    if problems:
        raise ScenarioError(problems[0][1])
    return out


def finding_row(finding: Finding) -> dict[str, Any]:
    """A finding as a scenario compares it: typed values as data and as their text (``>= 80%``), and the
    quantities themselves (``required_quantity``) for matching a number as messages show it (``70.83%``)."""
    row: dict[str, Any] = unstructure(finding)
    for key in ("required", "measured"):
        quantity = getattr(finding, key)
        row[f"{key}_data"] = row[key]
        row[f"{key}_quantity"] = quantity
        row[key] = "" if quantity is None else str(quantity)
        row[f"{key}_bare"] = "" if quantity is None else str(attrs.evolve(quantity, unit=""))
        row[f"{key}_words"] = "" if quantity is None else quantity.text
    return row


SHOWN_NUMBER = re.compile(r"(?:(?P<compare>>=|<=|>|<|=)\s*)?(?P<number>-?\d+(?:\.(?P<places>\d+))?)(?P<unit>.*)")
"""A number as a matcher may write it: an optional comparison, the number, an optional unit (``>= 80%``,
``70.83%``, ``48 employees``, ``78.57``)."""


def _half_up(value: Fraction, places: int) -> Fraction:
    """``value`` rounded half up to ``places`` decimals, as messages and tables show a percentage."""
    scale = 10**places
    return Fraction((2 * value.numerator * scale + value.denominator) // (2 * value.denominator), scale)


def shown_number_matches(text: str, quantity: Quantity | None) -> bool:
    """Whether ``text`` is the number of ``quantity`` as it is shown: the same comparison, the same unit (or none)
    and the same number, exactly or rounded half up to the places ``text`` gives when it gives two or more
    (``70.83%`` and ``70.833%`` are 425/6%, ``70.8%`` is not); the quantity's words may follow in brackets
    (``78.57% (55/70)``). Ranges, dates and names are matched by their text alone."""
    if quantity is None or quantity.number is None or quantity.upper is not None or quantity.date or quantity.items:
        return False
    given = text.strip()
    if quantity.text and given.endswith(f"({quantity.text})"):
        given = given[: -len(quantity.text) - 2].rstrip()
    found = SHOWN_NUMBER.fullmatch(given)
    if found is None or (found["compare"] or "") != quantity.compare:
        return False
    if found["unit"].strip() not in ("", quantity.unit):
        return False
    number = Fraction(Decimal(found["number"]))
    places = len(found["places"] or "")
    return number == quantity.number or (places >= 2 and _half_up(quantity.number, places) == number)


def matches(row: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """Whether ``row`` has every value ``wanted`` gives."""
    for key, value in wanted.items():
        if key in ("message", "reading"):
            if str(value) not in row[key]:
                return False
        elif key in ("required", "measured"):
            if isinstance(value, dict):
                if any(row[f"{key}_data"] is None or row[f"{key}_data"].get(k) != v for k, v in value.items()):
                    return False
            elif str(value) not in (row[key], row[f"{key}_bare"], row[f"{key}_words"]) and not (
                shown_number_matches(str(value), row.get(f"{key}_quantity"))
            ):
                return False
        elif row.get(key) != value:
            return False
    return True


def deep_merge(base: Any, changes: Any) -> Any:
    """``changes`` over ``base``: mappings merge key by key, anything else replaces (null deletes a key)."""
    if isinstance(base, dict) and isinstance(changes, dict):
        merged = dict(base)
        for key, value in changes.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = deep_merge(base.get(key), value)
        return merged
    return changes


_PATH_PART = re.compile(r'\.?(?P<name>[A-Za-z_][A-Za-z0-9_]*)|\[(?P<index>\d+)\]|\[(?P<quoted>"(?:[^"\\]|\\.)*")\]')


def parse_path(text: str) -> tuple[PathKey, str | None]:
    """A ``replace:`` path as written in error messages (``responses["2.4"]``, ``employer.name``,
    ``methods_used[0]``) as its keys, or why it is not one: a key that is not a plain name is quoted in brackets,
    so ``responses.2.4`` (keys ``2`` and ``4``?) is refused rather than guessed."""
    refused = (
        f"{text!r} is not a path: write keys as in error messages, a plain name after a dot and any other key "
        f'quoted in brackets (responses["2.4"].points, employer.name, methods_used[0])'
    )
    parts: list[str | int] = []
    at = 0
    while at < len(text):
        found = _PATH_PART.match(text, at)
        if found is None or (at == 0 and found.group(0).startswith(".")) or (at and found["name"] and text[at] != "."):
            return (), refused
        if found["name"] is not None:
            parts.append(found["name"])
        elif found["index"] is not None:
            parts.append(int(found["index"]))
        else:
            try:
                parts.append(str(json.loads(found["quoted"])))
            except ValueError:  # an escape JSON does not know (\q)
                return (), refused
        at = found.end()
    if not parts or isinstance(parts[0], int):
        return (), f'{text!r} is not a path: a path starts with a key of the audit (responses["2.4"], employer)'
    return tuple(parts), None


def replace_at(data: Any, path: PathKey, value: Any) -> Any:
    """``data`` with the value at ``path`` replaced whole by ``value`` (a copy; ``data`` is not changed). Missing
    mappings on the way are added; a list item must exist. A :class:`ScenarioError` where the path cannot be
    followed (a list where a key is given, a text where a mapping is needed)."""
    return _replace_at(data, path, value, 0)


def _replace_at(data: Any, path: PathKey, value: Any, depth: int) -> Any:
    if depth == len(path):
        return value
    part = path[depth]
    if isinstance(part, int):
        if not isinstance(data, list) or part >= len(data):
            got = f"a list of {len(data)}" if isinstance(data, list) else kind_of(data)
            raise ScenarioError(
                f"replace: {format_path(path)}: {format_path(path[: depth + 1])} is not an item; "
                f"{format_path(path[:depth])} is {got}"
            )
        out = list(data)
        out[part] = _replace_at(data[part], path, value, depth + 1)
        return out
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(
            f"replace: {format_path(path)}: {format_path(path[:depth])} is {kind_of(data)}, not a mapping with keys"
        )
    merged = dict(data)
    merged[part] = _replace_at(data.get(part), path, value, depth + 1)
    return merged


def build_audit(base: Any, replace: Iterable[tuple[PathKey, Any]], changes: Any) -> Any:
    """An audit scenario's data: ``base`` with each ``replace`` value put in whole at its path, then ``changes``
    (``set:``) merged over the result (:func:`deep_merge`)."""
    data = base
    for path, value in replace:
        data = replace_at(data, path, value)
    return deep_merge(data, changes)


# --------------------------------------------------------------------------- the records


class _Unset:
    """The value of an expectation a scenario does not give (``null`` is a value: "no certificate")."""

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()

Kind = str
"""How a key's value is checked: ``text``, ``bool``, ``int``, ``number``, ``date``, ``list``, ``texts`` (a list
of texts or numbers), ``mapping``, ``any``; a trailing ``?`` allows null; ``matchers`` is a list of finding matchers;
``paths`` a mapping of paths (:func:`parse_path`) to values; ``record:NAME`` a nested record, ``records:NAME`` a
mapping of ids to records."""


def meta(kind: Kind, key: str | None = None) -> dict[str, Any]:
    """A scenario record field's metadata: its value's ``kind`` and its YAML ``key`` (default: the field's name).
    A field without a default is required."""
    return {"kind": kind, "key": key}


@frozen
class AuditSubject:
    """``audit:`` — an audit built from a file and changes, scored."""

    base: Any = attrs.field(default=UNSET, metadata=meta("text"))
    """An audit file (YAML or JSON), relative to the scenario file; left out: the audit is ``set`` alone."""
    changes: Any = attrs.field(default=UNSET, metadata=meta("mapping", key="set"))
    """Changes merged over ``base`` (``deep_merge``: mappings key by key, anything else replaced, null deletes);
    a response given here merges into the base's response, keeping its other keys."""
    replace: Any = attrs.field(default=UNSET, metadata=meta("paths"))
    """Paths (``responses["2.4"]``) to values that replace the base's value there whole, before ``set`` merges;
    read as a tuple of (keys, value) pairs."""
    strict: Any = attrs.field(default=UNSET, metadata=meta("bool"))
    """Make advisories decisive (``corengine score --strict``)."""


@frozen
class SampleSubject:
    """``sample:`` — the minimum samples for an audit of a standard."""

    standard: Any = attrs.field(metadata=meta("text"))
    """Standard id."""
    workers: Any = attrs.field(metadata=meta("int"))
    """Workers counted."""
    sites: Any = attrs.field(default=UNSET, metadata=meta("int?"))
    """Work sites."""
    on: Any = attrs.field(default=UNSET, metadata=meta("date"))
    """The audit date (default: today)."""
    program: Any = attrs.field(default=UNSET, metadata=meta("text?"))
    """The program audited."""


@frozen
class CommandSubject:
    """``command:`` — a ``corengine`` command line."""

    args: Any = attrs.field(metadata=meta("texts"))
    """The arguments after ``corengine`` (each turned into text)."""


@frozen
class ElementExpect:
    """What an element of the score must be."""

    earned: Any = attrs.field(default=UNSET, metadata=meta("any"))
    """Points earned, as text (``"45"``, ``"22/3"``)."""
    available: Any = attrs.field(default=UNSET, metadata=meta("any"))
    """Points available, as text."""
    percent: Any = attrs.field(default=UNSET, metadata=meta("number?"))
    """Percent, rounded to 2 places."""


@frozen
class QuestionExpect:
    """What a question of the score must be."""

    earned: Any = attrs.field(default=UNSET, metadata=meta("any"))
    """Points earned, as text."""
    available: Any = attrs.field(default=UNSET, metadata=meta("any"))
    """Points available, as text."""
    status: Any = attrs.field(default=UNSET, metadata=meta("text"))
    """``scored``, ``na`` or ``not_applicable`` (the score's status)."""


@frozen
class AuditExpect:
    """``expect:`` of an ``audit:`` scenario."""

    passed: Any = attrs.field(default=UNSET, metadata=meta("bool"))
    """The outcome passed."""
    certificate: Any = attrs.field(default=UNSET, metadata=meta("text?"))
    """The certificate awarded (null: none)."""
    certificate_months: Any = attrs.field(default=UNSET, metadata=meta("int?"))
    """Its length in months."""
    valid_until: Any = attrs.field(default=UNSET, metadata=meta("date?"))
    """Its expiry."""
    overall: Any = attrs.field(default=UNSET, metadata=meta("text"))
    """Overall points as ``earned/available`` (``"170/200"``)."""
    percent: Any = attrs.field(default=UNSET, metadata=meta("number?"))
    """Overall percent rounded to 2 places."""
    elements: Any = attrs.field(default=UNSET, metadata=meta("records:element"))
    """Element id to :class:`ElementExpect`."""
    questions: Any = attrs.field(default=UNSET, metadata=meta("records:question"))
    """Question id to :class:`QuestionExpect`."""
    errors: Any = attrs.field(default=UNSET, metadata=meta("texts"))
    """The audit is invalid: each text must be part of one of its problems."""
    findings: Any = attrs.field(default=UNSET, metadata=meta("matchers"))
    """Finding matchers: each must match at least one finding."""
    no_findings: Any = attrs.field(default=UNSET, metadata=meta("matchers"))
    """Finding matchers: none may match any finding."""


@frozen
class EligibilityExpect:
    """``expect:`` of an ``eligibility:`` scenario."""

    programs: Any = attrs.field(default=UNSET, metadata=meta("texts"))
    """Programs whose size test passes, in order."""
    may_start: Any = attrs.field(default=UNSET, metadata=meta("mapping"))
    """Program to whether an audit may start (``pass``, ``fail``, ``advisory``, ``info``)."""
    findings: Any = attrs.field(default=UNSET, metadata=meta("matchers"))
    """Finding matchers: each must match at least one finding."""
    no_findings: Any = attrs.field(default=UNSET, metadata=meta("matchers"))
    """Finding matchers: none may match any finding."""


SAMPLE_KEYS = tuple(a.name for a in attrs.fields(SamplePlan) if a.name != "reasons")
"""What a ``sample:`` scenario may expect of the plan (its findings aside)."""


@frozen
class SampleExpect:
    """``expect:`` of a ``sample:`` scenario."""

    standard: Any = attrs.field(default=UNSET, metadata=meta("text"))
    """Standard id."""
    workers: Any = attrs.field(default=UNSET, metadata=meta("int"))
    """Workers counted."""
    sites: Any = attrs.field(default=UNSET, metadata=meta("int?"))
    """Sites given."""
    interviews_minimum: Any = attrs.field(default=UNSET, metadata=meta("int?"))
    """Minimum interviews (null: the partner decides)."""
    sites_minimum: Any = attrs.field(default=UNSET, metadata=meta("int?"))
    """Minimum sites to visit."""
    questionnaires_maximum: Any = attrs.field(default=UNSET, metadata=meta("int?"))
    """Most interviews questionnaires may replace."""
    findings: Any = attrs.field(default=UNSET, metadata=meta("matchers"))
    """Finding matchers: each must match at least one finding."""
    no_findings: Any = attrs.field(default=UNSET, metadata=meta("matchers"))
    """Finding matchers: none may match any finding."""


@frozen
class CommandExpect:
    """``expect:`` of a ``command:`` scenario."""

    exit_code: Any = attrs.field(default=UNSET, metadata=meta("int"))
    """The exit status (default 0)."""
    output_contains: Any = attrs.field(default=UNSET, metadata=meta("texts"))
    """Texts the output (standard output and error) must contain."""


@frozen
class Scenario:
    """One scenario: a full-sentence name, one subject and what to expect."""

    name: str
    """The test's name."""
    subject: str
    """Which of :data:`SUBJECTS` it runs."""
    spec: AuditSubject | EligibilityRequest | SampleSubject | CommandSubject
    """The subject's record."""
    expect: AuditExpect | EligibilityExpect | SampleExpect | CommandExpect
    """What must hold."""
    line: int | None = None
    """Its line in the file."""


@frozen
class ScenarioFile:
    """A whole scenario file."""

    plugins: tuple[str, ...] = ()
    """Modules to register by hand, entry points off (the plugin in isolation); empty: everything installed."""
    standard_files: tuple[str, ...] = ()
    """Standard files (relative to the scenario file) added to the engine, for overlays and drafts."""
    scenarios: tuple[Scenario, ...] = ()
    """The scenarios, in order."""


FILE_KEYS = ("plugins", "standard_files", "scenarios")
SCENARIO_KEYS = ("name", *SUBJECTS, "expect")
SUBJECT_RECORDS: dict[str, type] = {"audit": AuditSubject, "sample": SampleSubject, "command": CommandSubject}
EXPECT_RECORDS: dict[str, type] = {
    "audit": AuditExpect,
    "eligibility": EligibilityExpect,
    "sample": SampleExpect,
    "command": CommandExpect,
}
NESTED: dict[str, type] = {"element": ElementExpect, "question": QuestionExpect}


def keys_of(cls: type) -> tuple[str, ...]:
    """The YAML keys a record takes, in order."""
    return tuple(a.metadata.get("key") or a.name for a in attrs.fields(cls))


# --------------------------------------------------------------------------- reading


_KINDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "text": (lambda v: isinstance(v, str | int | float) and not isinstance(v, bool), "text"),
    "bool": (lambda v: isinstance(v, bool), "true or false"),
    "int": (lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number"),
    "number": (lambda v: isinstance(v, int | float) and not isinstance(v, bool), "a number"),
    "date": (lambda v: isinstance(v, str | dt.date) and _is_date(v), "a date (YYYY-MM-DD)"),
    "list": (lambda v: isinstance(v, list), "a list"),
    "texts": (lambda v: isinstance(v, list) and all(_KINDS["text"][0](item) for item in v), "a list of texts"),
    "mapping": (lambda v: isinstance(v, dict), "a mapping"),
    "any": (lambda v: True, "a value"),
}


def _is_date(value: str | dt.date) -> bool:
    if isinstance(value, dt.date):
        return True
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


class _Reader:
    """Reads a parsed scenario file into records, gathering every problem with its line."""

    def __init__(self, source: str, lines: LineMap) -> None:
        self.source = source
        self.lines = lines
        self.problems: list[str] = []

    def fail(self, path: PathKey, message: str) -> None:
        self.problems.append(str(located(self.source, self.lines, path, message)))

    def line(self, path: PathKey) -> int | None:
        found = self.lines.get(path)
        return found if isinstance(found, int) else None

    def mapping(self, value: Any, path: PathKey, keys: tuple[str, ...], what: str) -> dict[str, Any] | None:
        """``value`` if it is a mapping of known keys; each unknown key is a problem naming the closest."""
        if not isinstance(value, dict):
            self.fail(path, f"{what} is a mapping with keys {', '.join(keys)}; got {kind_of(value)}")
            return None
        for key in value:
            if key not in keys:
                self.fail(
                    (*path, str(key)),
                    f"unknown key {key!r}{_did_you_mean(str(key), keys)}; {what} takes {', '.join(keys)}",
                )
        return value

    def record(self, cls: type, value: Any, path: PathKey, what: str) -> Any:
        """``value`` read into the record ``cls`` (None when it has problems, each recorded)."""
        before = len(self.problems)
        data = self.mapping(value, path, keys_of(cls), what)
        if data is None:
            return None
        kwargs: dict[str, Any] = {}
        for field in attrs.fields(cls):
            key = field.metadata.get("key") or field.name
            if key not in data:
                if field.default is attrs.NOTHING:
                    self.fail(path, f"{what} needs {key!r}")
                continue
            kwargs[field.name] = self.value(field.metadata["kind"], data[key], (*path, key), key)
        if len(self.problems) > before:
            return None
        return cls(**kwargs)

    def value(self, kind: Kind, value: Any, path: PathKey, key: str) -> Any:
        if kind == "matchers":
            return self.matchers(value, path)
        if kind == "paths":
            return self.paths(value, path, key)
        if kind.startswith("records:"):
            cls = NESTED[kind.split(":", 1)[1]]
            if not isinstance(value, dict):
                self.fail(path, f"{key} must be a mapping of ids to expectations; got {kind_of(value)}")
                return None
            return {str(k): self.record(cls, v, (*path, k), f"{key}[{str(k)!r}]") for k, v in value.items()}
        if kind == "texts" and isinstance(value, list):
            bad = [(i, item) for i, item in enumerate(value) if not _KINDS["text"][0](item)]
            for index, item in bad:
                self.fail((*path, index), f"{key}[{index}] must be text; got {kind_of(item)}")
            return None if bad else value
        optional = kind.endswith("?")
        check, expected = _KINDS[kind.rstrip("?")]
        if value is None and optional:
            return None
        if value is None or not check(value):
            self.fail(path, f"{key} must be {expected}{' or null' if optional else ''}; got {kind_of(value)}")
            return None
        if kind.rstrip("?") == "date" and isinstance(value, dt.date):
            return value.isoformat()
        return value

    def paths(self, value: Any, path: PathKey, key: str) -> tuple[tuple[PathKey, Any], ...]:
        if not isinstance(value, dict):
            self.fail(path, f'{key} must be a mapping of paths (responses["2.4"]) to values; got {kind_of(value)}')
            return ()
        found = []
        for given, item in value.items():
            keys, problem = parse_path(str(given))
            if problem:
                self.fail((*path, str(given)), f"{key}: {problem}")
            else:
                found.append((keys, item))
        return tuple(found)

    def matchers(self, value: Any, path: PathKey) -> tuple[dict[str, Any], ...]:
        if not isinstance(value, list):
            self.fail(path, f"expected a list of finding matchers; got {kind_of(value)}")
            return ()
        found = []
        for index, item in enumerate(value):
            out, problems = matcher_problems(item)
            for key, message in problems:
                self.fail((*path, index) if key is None else (*path, index, key), message)
            if not problems:
                found.append(out)
        return tuple(found)

    def scenario(self, value: Any, path: PathKey, names: dict[str, int]) -> Scenario | None:
        before = len(self.problems)
        data = self.mapping(value, path, SCENARIO_KEYS, "a scenario")
        if data is None:
            return None
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            self.fail(path, "a scenario needs a name: a full sentence saying what it shows")
        elif name in names:
            self.fail((*path, "name"), f"scenario name {name!r} appears twice (first as scenarios[{names[name]}])")
        else:
            names[name] = int(path[-1])
        subjects = [s for s in SUBJECTS if s in data]
        if len(subjects) != 1:
            given = f" (given: {', '.join(subjects)})" if subjects else ""
            self.fail(path, f"a scenario gives exactly one of {', '.join(SUBJECTS)}{given}")
            return None
        subject = subjects[0]
        spec: Any
        if subject == "eligibility":
            spec = self.eligibility(data[subject], (*path, subject))
        else:
            spec = self.record(SUBJECT_RECORDS[subject], data[subject], (*path, subject), f"the {subject} subject")
        expect = data.get("expect")
        if not expect:
            self.fail(path, "a scenario needs a non-empty expect block")
            return None
        wanted = self.record(
            EXPECT_RECORDS[subject], expect, (*path, "expect"), f"the expect block of {article(subject)}"
        )
        if len(self.problems) > before:
            return None
        return Scenario(str(name), subject, spec, wanted, self.line(path))

    def eligibility(self, value: Any, path: PathKey) -> EligibilityRequest | None:
        if not isinstance(value, dict):
            keys = ", ".join(a.name for a in attrs.fields(EligibilityRequest))
            self.fail(path, f"the eligibility subject is a mapping with keys {keys}; got {kind_of(value)}")
            return None
        try:
            return structure(value, EligibilityRequest, self.source, _under(self.lines, path))
        except InputError as exc:
            for problem in exc.problems:
                inner = problem.path
                joined = format_path(path) + ("" if not inner or inner.startswith("[") else ".") + inner
                where = self.source if problem.line is None else f"{self.source}:{problem.line}"
                self.problems.append(f"{where}: {joined}: {problem.message}")
            return None


def article(subject: str) -> str:
    return f"an {subject} scenario" if subject[0] in "aeiou" else f"a {subject} scenario"


def _under(lines: LineMap, path: PathKey) -> LineMap:
    """The line map of the part of a file under ``path``, keyed from there."""
    return {key[len(path) :]: line for key, line in lines.items() if key[: len(path)] == path}


def read_scenario_file(data: Any, source: str, lines: LineMap) -> ScenarioFile:
    """A parsed scenario file as records; a :class:`ScenarioError` listing every problem (file:line: path:
    message) when any key is unknown or any value of the wrong kind."""
    reader = _Reader(source, lines)
    top = reader.mapping(data, (), FILE_KEYS, "a scenario file")
    if top is None:
        raise ScenarioError("\n".join(reader.problems))
    lists: dict[str, tuple[Any, ...]] = {}
    for key in FILE_KEYS:
        value = top.get(key, [])
        if not isinstance(value, list):
            reader.fail((key,), f"{key} must be a list; got {kind_of(value)}")
            value = []
        elif key != "scenarios":
            for index, item in enumerate(value):
                if not isinstance(item, str) or not item.strip():
                    what = "a module name" if key == "plugins" else "a file path"
                    reader.fail((key, index), f"{key}[{index}] must be {what} (text); got {kind_of(item)}")
        lists[key] = tuple(value)
    if not lists["scenarios"]:
        reader.fail(("scenarios",), "a scenario file needs at least one scenario")
    names: dict[str, int] = {}
    scenarios = [reader.scenario(item, ("scenarios", index), names) for index, item in enumerate(lists["scenarios"])]
    if reader.problems:
        raise ScenarioError("\n".join(reader.problems))
    return ScenarioFile(
        tuple(str(p) for p in lists["plugins"]),
        tuple(str(f) for f in lists["standard_files"]),
        tuple(s for s in scenarios if s is not None),
    )


def expected_values(expect: object) -> Mapping[str, Any]:
    """The scalar expectations a record gives (those not UNSET), by YAML key, without findings and nested ones."""
    skipped = {"findings", "no_findings", "elements", "questions", "errors"}
    return {
        (field.metadata.get("key") or field.name): getattr(expect, field.name)
        for field in attrs.fields(cast(Any, type(expect)))
        if field.name not in skipped and getattr(expect, field.name) is not UNSET
    }


__all__ = [
    "FINDING_KEYS",
    "LEGACY_FINDING_KEYS",
    "SUBJECTS",
    "UNSET",
    "AuditExpect",
    "AuditSubject",
    "CommandExpect",
    "CommandSubject",
    "ElementExpect",
    "EligibilityExpect",
    "QuestionExpect",
    "SampleExpect",
    "SampleSubject",
    "Scenario",
    "ScenarioError",
    "ScenarioFile",
    "build_audit",
    "declares_scenarios",
    "deep_merge",
    "finding_row",
    "kind_of",
    "matcher",
    "matcher_problems",
    "matches",
    "parse_path",
    "read_scenario_file",
    "replace_at",
    "safe_name",
    "shown_number_matches",
]
