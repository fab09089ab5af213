"""Reading input files: what a careless or hostile file gets is one clear message naming the file, the line and
the path — never a traceback, a wrong value or a hang; every bad file under ``tests/data/bad/`` gets its pinned
message (``<file>.expected``; ``CORENGINE_UPDATE_GOLDEN=1`` rewrites them after a deliberate change) and exit 2.

YAML has its YAML 1.2 core-schema meaning (``yes``/``on`` stay text, ``020`` is twenty, ``1:00`` is text);
numbers too long to convert, NaN and infinities, lone surrogates, absurd dates and fractions whose exact sums
would grow without bound are refused where they are written (options: ``tests/_cli/test_params.py``; result
files read by ``verify``: ``tests/_views/test_explain.py``). Hypothesis
feeds the readers and :meth:`corengine.Engine.audit_from_data` arbitrary input: only :class:`InputError`.
"""

from __future__ import annotations

import copy
import json
import os
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corengine import Engine, InputError, Problem
from corengine._io.loading import CORE_SCHEMA, MAX_BYTES, ExactFloat, parse_checked, parse_json, parse_yaml
from corengine.model import LoadedAudit
from tests.helpers import DATA, TEST_STANDARD, basic_audit, make_engine, run, run_test_standard

AUDIT = (DATA / "audit-basic.yaml").read_text(encoding="utf-8")
LIMIT = sys.get_int_max_str_digits()


def problems_of(path: Path) -> list[str]:
    """The lines ``validate`` prints for ``path`` (file names relative to its folder), checking exit 2."""
    result = run("validate", str(path), "--standard-file", str(TEST_STANDARD))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    return [line.replace(str(path.parent) + os.sep, "") for line in result.stderr.splitlines()]


def audit_file(folder: Path, old: str, new: str, name: str = "audit.yaml") -> Path:
    """The basic test audit with one line edited."""
    assert old in AUDIT
    path = folder / name
    path.write_text(AUDIT.replace(old, new), encoding="utf-8")
    return path


def json_audit(folder: Path, text: str) -> Path:
    path = folder / "audit.json"
    path.write_text(text, encoding="utf-8")
    return path


JSON_AUDIT = json.dumps(basic_audit(), indent=1)


# --------------------------------------------------------------------------- YAML 1.2 core schema


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("ON", "ON"),
        ("off", "off"),
        ("y", "y"),
        ("n", "n"),
        ("true", True),
        ("True", True),
        ("FALSE", False),
        ("tRUE", "tRUE"),
        ("020", 20),  # decimal in YAML 1.2; octal is 0o20
        ("0o20", 16),
        ("0x1F", 31),
        ("-0x1F", "-0x1F"),  # hexadecimal takes no sign in the core schema
        ("0b101", "0b101"),
        ("1:00", "1:00"),  # no base 60
        ("1_000", "1_000"),
        ("+12", 12),
        ("7.5", 7.5),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("~", None),
        ("null", None),
        ("NULL", None),
        ("nULL", "nULL"),
        ("", None),
        ("2024-05-10", "2024-05-10"),  # no timestamps: dates stay text for the converter
        ("= 1", "= 1"),
        ("<<", "<<"),
    ],
)
def test_plain_scalars_have_their_yaml_1_2_core_schema_meaning(text: str, value: Any) -> None:
    data, _ = parse_yaml(f"a: {text}\n", "x.yaml")
    assert data == {"a": value}
    if isinstance(value, float):  # a decimal carries its text, so the engine reads it exactly where it counts
        assert type(data["a"]) is ExactFloat and data["a"].text == text
    else:
        assert type(data["a"]) is type(value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("19.99999999999999999", "expected at most 10 decimal places (write a fraction such as 1/3 instead), not "),
        ("4.99999999999999999", "expected at most 10 decimal places (write a fraction such as 1/3 instead), not "),
        ("1e-400", "expected at most 10 decimal places (write a fraction such as 1/3 instead), not "),
        ("1e308", "expected a number with at most 15 digits before the decimal point, not "),
        ("1e99999999999", "the number {} is out of range"),  # beyond a float: refused by the reader
    ],
)
def test_yaml_decimals_are_read_exactly_from_their_text_not_through_a_float(
    engine: Engine, tmp_path: Path, text: str, message: str
) -> None:
    """``19.99999999999999999`` is a float 20.0 to Python; an audit must not be sized (or scored) by that."""
    audit = basic_audit()
    audit["employer"]["fte"] = "PLACEHOLDER"
    path = tmp_path / "audit.yaml"
    path.write_text(
        yaml.safe_dump(audit, sort_keys=False).replace("fte: PLACEHOLDER", f"fte: {text}"), encoding="utf-8"
    )
    with pytest.raises(InputError) as info:
        engine.check(engine.load_audit(path))
    wanted = message.format(text) if "{}" in message else message + text
    assert [f"{p.path}: {p.message}" for p in info.value.problems] == [f"employer.fte: {wanted}"]


@pytest.mark.parametrize(
    ("text", "exact"), [("7.5", Fraction(15, 2)), (".25", Fraction(1, 4)), ("1.25e1", Fraction(25, 2))]
)
def test_yaml_decimals_within_bounds_are_exact(engine: Engine, tmp_path: Path, text: str, exact: Fraction) -> None:
    audit = basic_audit()
    audit["employer"]["fte"] = "PLACEHOLDER"
    path = tmp_path / "audit.yaml"
    path.write_text(
        yaml.safe_dump(audit, sort_keys=False).replace("fte: PLACEHOLDER", f"fte: {text}"), encoding="utf-8"
    )
    assert engine.load_audit(path).audit.employer.fte == exact


def test_the_resolvers_are_the_specifications_patterns() -> None:
    """YAML 1.2.2 section 10.3.2, tag resolution of the core schema."""
    assert {tag.rsplit(":", 1)[1]: pattern.pattern for tag, pattern in CORE_SCHEMA.items()} == {
        "null": r"(?:null|Null|NULL|~|)\Z",
        "bool": r"(?:true|True|TRUE|false|False|FALSE)\Z",
        "int": r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z",
        "float": r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?(?:\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN)\Z",
    }


def test_keys_stay_as_written_and_quoted_values_stay_text() -> None:
    data, _ = parse_yaml('1.10: a\n020: b\nyes: c\n"x": "020"\ny: !!str 020\n', "x.yaml")
    assert data == {"1.10": "a", "020": "b", "yes": "c", "x": "020", "y": "020"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!int abc", "x.yaml:1: a: 'abc' is not a valid !!int value"),
        ("a: !!bool yes", "x.yaml:1: a: 'yes' is not a valid !!bool value"),
        ("a: !!float x", "x.yaml:1: a: 'x' is not a valid !!float value"),
        ("a: !!null x", "x.yaml:1: a: 'x' is not a valid !!null value"),
    ],
)
def test_an_explicit_tag_must_fit_its_value(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "x.yaml")
    assert [p.text() for p in caught.value.problems] == [message]


def test_an_unquoted_yes_is_text_and_a_boolean_field_says_so(tmp_path: Path) -> None:
    path = audit_file(tmp_path, "kind: external}", "kind: external, built_system: yes}")
    assert problems_of(path) == [
        "error: audit.yaml:7: auditor.built_system: expected true or false, not 'yes' "
        "(write true or false: yes, no, on and off are text)"
    ]


def test_an_unquoted_on_is_not_true(tmp_path: Path) -> None:
    path = audit_file(tmp_path, "kind: external}", "kind: ON}")
    assert problems_of(path) == [
        "error: audit.yaml:7: auditor.kind: must be one of external, internal, candidate, self-assessor, not 'ON'"
    ]


def test_a_leading_zero_is_decimal_not_octal(tmp_path: Path) -> None:
    engine = make_engine()
    path = audit_file(tmp_path, "program: Large\n", "program: Large\ninterviews_conducted: 020\nsites_visited: 0o3\n")
    audit = engine.load_audit(path).audit
    assert (audit.interviews_conducted, audit.sites_visited) == (20, 3)


def test_base_60_is_text(tmp_path: Path) -> None:
    path = audit_file(tmp_path, "program: Large\n", "program: Large\ninterviews_conducted: 1:00\n")
    assert problems_of(path) == ["error: audit.yaml:6: interviews_conducted: expected a whole number, not '1:00'"]


# --------------------------------------------------------------------------- values no file needs


def test_an_integer_beyond_the_interpreters_digit_limit_in_yaml(tmp_path: Path) -> None:
    digits = LIMIT + 700
    path = audit_file(tmp_path, "workers: 40,", f"workers: {'9' * digits},")
    assert problems_of(path) == [
        f"error: audit.yaml:6: employer.workers: a number written with {digits} digits is too long "
        f"(at most {LIMIT} digits are read)"
    ]
    with pytest.raises(InputError) as caught:
        make_engine().load_audit(path)
    (found,) = caught.value.problems
    assert (found.line, found.column, found.path) == (6, 36, "employer.workers")


def test_a_hexadecimal_integer_too_large_to_print_in_yaml(tmp_path: Path) -> None:
    path = audit_file(tmp_path, "workers: 40,", f"workers: 0x{'f' * LIMIT},")
    assert problems_of(path) == [
        f"error: audit.yaml:6: employer.workers: the number 0xffffffffff... is too large "
        f"(at most {LIMIT} decimal digits are read)"
    ]


def test_an_integer_beyond_the_interpreters_digit_limit_in_json(tmp_path: Path) -> None:
    digits = LIMIT + 1
    path = json_audit(tmp_path, JSON_AUDIT.replace('"workers": 40', f'"workers": {"9" * digits}'))
    with pytest.raises(InputError) as caught:
        make_engine().load_audit(path)
    (found,) = caught.value.problems
    assert found.text() == (
        f"{path}:9: employer.workers: a number written with {digits} digits is too long (at most {LIMIT} digits are read)"
    )
    assert (found.line, found.column) == (9, 14)


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.Inf", "+.INF"])
def test_nan_and_infinity_in_yaml(tmp_path: Path, value: str) -> None:
    path = audit_file(tmp_path, '"1.1": {points: 8}', f'"1.1": {{points: {value}}}')
    assert problems_of(path) == [
        f'error: audit.yaml:9: responses["1.1"].points: {value} is not a number corengine reads '
        "(no infinities or NaN); write a number, or quote it as text"
    ]


def test_a_float_that_overflows_in_yaml(tmp_path: Path) -> None:
    path = audit_file(tmp_path, '"1.1": {points: 8}', '"1.1": {points: 1e400}')
    assert problems_of(path) == ['error: audit.yaml:9: responses["1.1"].points: the number 1e400 is out of range']


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_in_json(tmp_path: Path, value: str) -> None:
    text = JSON_AUDIT.replace('"points": 8', f'"points": {value}')
    path = json_audit(tmp_path, text)
    assert problems_of(path) == [
        f'error: audit.json:19: responses["1.1"].points: {value} is not a number JSON allows (no infinities or NaN)'
    ]
    with pytest.raises(InputError) as caught:
        make_engine().load_audit(path)
    assert (caught.value.problems[0].line, caught.value.problems[0].column) == (19, 14)


def test_a_lone_surrogate_in_a_json_string(tmp_path: Path) -> None:
    path = json_audit(tmp_path, JSON_AUDIT.replace('"name": "Test Co"', '"name": "Test \\ud800Co"'))
    assert problems_of(path) == [
        "error: audit.json:8: employer.name: text contains a lone surrogate (U+D800), which is not a character: "
        "write the character itself or its full surrogate pair"
    ]


def test_a_lone_surrogate_in_a_json_key() -> None:
    with pytest.raises(InputError) as caught:
        parse_json('{"ok": 1,\n "\\udc00": 2}', "x.json")
    assert [p.text() for p in caught.value.problems] == [
        'x.json:2: ["\\udc00"]: the key text contains a lone surrogate (U+DC00), which is not a character: '
        "write the character itself or its full surrogate pair"
    ]


def test_a_valid_surrogate_pair_is_one_character() -> None:
    assert parse_json('{"a": "\\ud83d\\ude00"}', "x.json") == {"a": "\U0001f600"}


def test_text_with_a_lone_surrogate_given_to_the_yaml_reader() -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml("a: 1\nb: x\ud800\n", "x.yaml")
    assert [p.text() for p in caught.value.problems] == [
        "x.yaml:2: not valid YAML: text contains a lone surrogate (U+D800), which is not a character: "
        "write the character itself or its full surrogate pair"
    ]


def test_a_lone_surrogate_handed_to_the_library() -> None:
    data = basic_audit()
    data["employer"]["name"] = "Test \ud800Co"
    with pytest.raises(InputError) as caught:
        make_engine().audit_from_data(data)
    assert [p.text() for p in caught.value.problems] == [
        "<data>: employer.name: text contains a lone surrogate (U+D800), which is not a character"
    ]


def test_every_refused_value_is_reported_and_the_rest_still_checked(tmp_path: Path) -> None:
    text = JSON_AUDIT.replace('"points": 8', '"points": NaN').replace('"workers": 40', '"workers": "forty"')
    assert problems_of(json_audit(tmp_path, text)) == [
        "error: audit.json:9: employer.workers: expected a whole number, not 'forty'",
        'error: audit.json:19: responses["1.1"].points: NaN is not a number JSON allows (no infinities or NaN)',
    ]


def test_a_json_duplicate_key_is_placed() -> None:
    with pytest.raises(InputError) as caught:
        parse_json('{"a": {"b": 1,\n  "b": 2}}', "x.json")
    (found,) = caught.value.problems
    assert found.text() == "x.json:2: a: duplicate key 'b' (first given on line 1)"
    assert found.column == 3


def test_json_nested_deeper_than_yaml_allows_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        parse_json("[" * 80 + "]" * 80, "x.json")
    assert caught.value.problems[0].message == "nested deeper than 64 levels"
    with pytest.raises(InputError) as caught:
        parse_json("[" * 100_000 + "]" * 100_000, "x.json")
    assert caught.value.problems[0].text() == "x.json: nested deeper than 64 levels"


def test_year_one_for_an_audit_date(tmp_path: Path) -> None:
    path = audit_file(tmp_path, "audit_date: 2024-05-10", "audit_date: 0001-05-10")
    assert problems_of(path)[0] == (
        "error: audit.yaml:3: audit_date: '0001-05-10' is outside the years 1900 to 2999 accepted for dates "
        "(a year that far off is taken for a typing mistake)"
    )


def test_a_date_in_year_9999_handed_to_the_library() -> None:
    import datetime as dt

    data = basic_audit() | {"audit_date": dt.date(9999, 12, 31)}
    with pytest.raises(InputError) as caught:
        make_engine().audit_from_data(data)
    assert caught.value.problems[0].text() == (
        "<data>: audit_date: '9999-12-31' is outside the years 1900 to 2999 accepted for dates "
        "(a year that far off is taken for a typing mistake)"
    )


def test_a_cycle_year_of_minus_five(tmp_path: Path) -> None:
    path = audit_file(tmp_path, "program: Large\n", "program: Large\ncycle_year: -5\n")
    assert problems_of(path) == [
        "error: audit.yaml:6: cycle_year: must be a year from 1900 to 2999, not -5 "
        "(a year that far off is taken for a typing mistake)"
    ]


def test_fractions_whose_exact_sums_would_grow_without_bound(tmp_path: Path) -> None:
    path = audit_file(tmp_path, '"1.1": {points: 8}', '"1.1": {points: "1/999999999999999999999999"}')
    assert problems_of(path) == [
        'error: audit.yaml:9: responses["1.1"].points: expected a fraction a/b with b at most 1000 '
        "(exact sums of finer fractions grow without bound), not '1/999999999999999999999999'"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1e308", "expected a number with at most 15 digits before the decimal point, not 1e308"),
        (
            '"1234567890123456"',
            "expected a number with at most 15 digits before the decimal point, not '1234567890123456'",
        ),
        (
            "0.000000000001",
            "expected at most 10 decimal places (write a fraction such as 1/3 instead), not 0.000000000001",
        ),
        (
            '"0.00000000001"',
            "expected at most 10 decimal places (write a fraction such as 1/3 instead), not '0.00000000001'",
        ),
        ('"7/0"', "expected a number, not '7/0' (division by zero)"),
        ('"1.5/3"', "expected a number such as 10, 7.5 or 7/10, not '1.5/3'"),
    ],
)
def test_numbers_larger_or_finer_than_any_audit_needs(tmp_path: Path, value: str, message: str) -> None:
    path = audit_file(tmp_path, '"1.1": {points: 8}', f'"1.1": {{points: {value}}}')
    assert problems_of(path) == [f'error: audit.yaml:9: responses["1.1"].points: {message}']


def test_numbers_within_the_bounds_are_exact(tmp_path: Path) -> None:
    path = audit_file(tmp_path, '"1.1": {points: 8}', '"1.1": {points: "0000000007.5000000000000000000"}')
    assert make_engine().load_audit(path).audit.responses["1.1"].points == Fraction(15, 2)
    path = audit_file(tmp_path, '"1.1": {points: 8}', '"1.1": {points: 22/3}')
    assert make_engine().load_audit(path).audit.responses["1.1"].points == Fraction(22, 3)


def test_a_whole_number_too_large_handed_to_the_library() -> None:
    data = basic_audit()
    data["employer"]["workers"] = 10**5000
    with pytest.raises(InputError) as caught:
        make_engine().audit_from_data(data)
    assert [p.text() for p in caught.value.problems] == [
        "<data>: employer.workers: expected a whole number of at most 15 digits, not a number of about 5000 digits"
    ]


def test_a_standards_day_limit_too_far_off(tmp_path: Path) -> None:
    standard = tmp_path / "std.yaml"
    standard.write_text(TEST_STANDARD.read_text().replace("within_days: 90", "within_days: 999999999999999"))
    result = run("score", str(DATA / "audit-basic.yaml"), "--standard-file", str(standard))
    assert result.exit_code == 2
    assert result.stderr.replace(str(tmp_path) + os.sep, "") == (
        "error: std.yaml:38: rules[0].versions[0].on_fail[0].within_days: must be at most 36,525 days (a century), "
        "not 999999999999999\n"
    )


# --------------------------------------------------------------------------- fuzzing

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats()
    | st.fractions()
    | st.text(max_size=12)
    | st.sampled_from(["2024-05-10", "0001-01-01", "9999-12-31", "7/10", "1/0", "1e308", "nan", "\ud800", "yes"])
    | st.dates()
)
keys = st.text(max_size=8) | st.sampled_from(
    ["standard", "audit_type", "audit_date", "employer", "auditor", "responses", "points", "name", "workers",
     "kind", "interviews", "positive", "total", "na", "program", "cycle_year", "1.1", "2.3"]
)  # fmt: skip
nested = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=12
)
PATHS = [
    ("standard",),
    ("audit_date",),
    ("program",),
    ("cycle_year",),
    ("employer",),
    ("employer", "workers"),
    ("employer", "fte"),
    ("auditor", "kind"),
    ("responses",),
    ("responses", "1.1"),
    ("responses", "1.1", "points"),
    ("responses", "1.3", "interviews"),
    ("responses", "1.3", "interviews", "total"),
    ("methods_used",),
    ("interviews_by_level",),
]


def scored(engine: Engine, loaded: LoadedAudit) -> None:
    """Score an audit that structured: a problem against the standard is an InputError too."""
    try:
        engine.score(loaded)
    except InputError as exc:
        "\n".join(exc.lines()).encode("utf-8")


@FUZZ
@given(data=st.dictionaries(keys, nested, max_size=6))
def test_audit_from_data_raises_only_input_error_on_anything(shared_engine: Engine, data: dict[str, Any]) -> None:
    try:
        loaded = shared_engine.audit_from_data(data)
    except InputError as exc:
        assert exc.problems
        "\n".join(exc.lines()).encode("utf-8")  # every message can be printed
    else:  # pragma: no cover - random data hardly ever makes an audit
        scored(shared_engine, loaded)


@FUZZ
@given(path=st.sampled_from(PATHS), value=nested)
def test_audit_from_data_with_one_value_replaced_raises_only_input_error(
    shared_engine: Engine, path: tuple[str, ...], value: Any
) -> None:
    data = copy.deepcopy(basic_audit())
    target = data
    for part in path[:-1]:
        target = target.setdefault(part, {})
        if not isinstance(target, dict):
            return
    target[path[-1]] = value
    try:
        loaded = shared_engine.audit_from_data(data)
    except InputError as exc:
        "\n".join(exc.lines()).encode("utf-8")
    else:
        scored(shared_engine, loaded)


YAMLISH = st.lists(
    st.sampled_from([*"ab01:-[]{},'\"!&*#|>%@`?.~ \n\t\\xeE+é\ud800", "!!int ", "!!bool ", ".nan", "0x", "0o", "<<"]),
    max_size=30,
).map("".join)
JSONISH = st.lists(
    st.sampled_from([*'{}[]":,0123456789.eE+- \n\\', "true", "null", "NaN", "Infinity", "\\ud800", "\\u00e9", '"a"']),
    max_size=30,
).map("".join)


@FUZZ
@given(text=st.text(max_size=60) | YAMLISH)
def test_the_yaml_reader_raises_only_input_error(text: str) -> None:
    try:
        parse_checked(text, "x.yaml")
        parse_yaml(text, "x.yaml")
    except InputError as exc:
        assert exc.problems


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**400), max_value=10**400) | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=12,
)


@FUZZ
@given(text=st.text(max_size=60) | JSONISH | JSON_VALUES.map(json.dumps))
def test_the_json_reader_raises_only_input_error(text: str) -> None:
    try:
        parse_checked(text, "x.json")
        parse_json(text, "x.json")
    except InputError as exc:
        assert exc.problems


@FUZZ
@given(raw=st.binary(max_size=60), name=st.sampled_from(["x.yaml", "x.json"]))
def test_reading_bytes_raises_only_input_error(shared_engine: Engine, raw: bytes, name: str) -> None:
    try:
        shared_engine.load_audit_bytes(raw, name)
    except InputError as exc:
        assert exc.problems


# --------------------------------------------------------------------------- bad input files

BAD = DATA / "bad"
CASES = sorted(p for p in BAD.iterdir() if p.suffix in (".yaml", ".json"))


def run_alone(*args: str) -> tuple[int, str, str]:
    result = run_test_standard(*args)
    return result.exit_code, result.stdout, result.stderr


def relative(text: str) -> str:
    return text.replace(str(BAD) + os.sep, "")


def test_there_are_at_least_fifteen_bad_files() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_bad_file_gets_its_pinned_message_and_exit_2(path: Path) -> None:
    before = path.read_bytes()
    code, out, err = run_alone("validate", str(path))
    golden = path.with_name(path.name + ".expected")
    if os.environ.get("CORENGINE_UPDATE_GOLDEN"):
        golden.write_text(relative(err), encoding="utf-8")
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert relative(err) == golden.read_text(encoding="utf-8")
    assert path.read_bytes() == before, "an input file must never be modified"


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_score_rejects_the_same_files_without_output(path: Path) -> None:
    code, out, err = run_alone("score", str(path), "--format", "json")
    assert code == 2
    assert out == ""
    assert err.startswith("error: ")


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"notes: '" + b"x" * MAX_BYTES + b"'\n")
    code, out, err = run_alone("validate", str(huge))
    assert (code, out) == (2, "")
    assert err == f"error: {huge}: larger than 5 MiB; refusing to read it\n"


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("a: " + "[" * 200 + "]" * 200 + "\n")
    code, _, err = run_alone("validate", str(deep))
    assert code == 2
    assert "nested deeper than 64 levels" in err


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run_alone("validate", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "does not exist" in err


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("standard: test-basic\nemployer:\n\tname: x\n", 3, 1),  # libyaml: "cannot start any token"
        ("standard: test-basic\nemployer:\n  name: x\n\tworkers: 3\n", 4, 1),  # "violates indentation"
        ("responses:\n  - x\n  \t- y\n", 3, 3),
    ],
)
def test_a_tab_in_the_indentation_is_explained(text: str, line: int, column: int) -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "a.yaml")
    assert caught.value.problems == (
        Problem(
            file="a.yaml",
            line=line,
            column=column,
            message="not valid YAML: this line is indented with a tab; tabs cannot indent YAML: use spaces",
        ),
    )


def test_a_tab_inside_a_line_is_no_indentation_problem() -> None:
    assert parse_yaml("a: [1,\n\t2]\nb:\tx\n", "a.yaml")[0] == {"a": [1, 2], "b": "x"}
