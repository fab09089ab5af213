"""Small hostile YAML and JSON files cost bounded work (issue 26, item 1): a list at the top level is refused
before it is built, a mapping or list wider than MAX_ENTRIES is refused at its first entry beyond, and the
did-you-mean of unknown keys is worked out only for the problems that can be shown. The inputs are generated
here; the work is bounded by counting (what was built, how many searches ran), never by timing."""

from __future__ import annotations

import difflib
import json
import random
import secrets
from pathlib import Path
from typing import Any

import pytest
import yaml

from corengine import InputError
from corengine._io import loading
from corengine._io.loading import MAX_ENTRIES, MAX_VALUES, ShapeError, parse, parse_checked
from corengine.errors import MAX_PROBLEMS
from tests.helpers import basic_audit, make_engine, run

NUMBERS = "[" + ", ".join(str(i % 1000) for i in range(1_000_000)) + "]\n"
"""A flow list of a million numbers (about 4.9 MB: under the 5 MiB size limit)."""


def test_a_top_level_list_is_refused_before_any_node_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    def compose(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the document was composed")

    monkeypatch.setattr(yaml, "compose", compose)
    with pytest.raises(ShapeError) as caught:
        parse_checked(NUMBERS, "audit.yaml", mapping=True)
    assert caught.value.lines() == ["audit.yaml: expected a mapping at the top level, got a list"]


def test_a_top_level_json_list_is_refused_before_it_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def loads(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the text was parsed")

    monkeypatch.setattr(loading.json, "loads", loads)
    with pytest.raises(ShapeError) as caught:
        parse(" \n" + NUMBERS, "audit.json", mapping=True)
    assert caught.value.lines() == ["audit.json: expected a mapping at the top level, got a list"]


def test_a_list_is_still_read_where_no_mapping_is_asked_for() -> None:
    assert parse("[1, 2]\n", "x.yaml")[0] == [1, 2]
    assert parse("[1, 2]", "x.json")[0] == [1, 2]


def test_the_cli_refuses_the_top_level_list_as_before(tmp_path: Path) -> None:
    path = tmp_path / "audit.yaml"
    path.write_text(NUMBERS, encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}: expected a mapping at the top level, got a list\n"


def wide_mapping(entries: int) -> str:
    return "extra:\n" + "".join(f"  k{i}: 1\n" for i in range(entries))


def test_a_mapping_wider_than_the_limit_is_refused_at_its_first_entry_beyond(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "MAX_VALUES", 10**6)  # else a mapping this wide holds too many values first
    monkeypatch.setattr(yaml, "compose", lambda *a, **k: pytest.fail("the document was composed"))
    with pytest.raises(ShapeError) as caught:
        parse_checked(wide_mapping(MAX_ENTRIES + 1), "audit.yaml")
    assert caught.value.lines() == [
        f"audit.yaml:{MAX_ENTRIES + 2}: extra: a mapping of more than 100000 entries (at most 100000 are read)"
    ]
    assert caught.value.problems[0].column == 3


def test_a_mapping_at_the_limit_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "MAX_VALUES", 10**6)
    data, _ = parse(wide_mapping(MAX_ENTRIES), "audit.yaml")
    assert len(data["extra"]) == MAX_ENTRIES


def test_a_wide_list_inside_is_refused_with_its_path() -> None:
    text = "a:\n  b:\n" + "".join("    - 1\n" for _ in range(MAX_ENTRIES + 1))
    with pytest.raises(ShapeError) as caught:
        parse(text, "x.yaml")
    assert caught.value.lines() == [
        f"x.yaml:{MAX_ENTRIES + 3}: a.b: a list of more than 100000 entries (at most 100000 are read)"
    ]


def test_wide_json_is_refused_with_its_line_and_path() -> None:
    text = '{\n "a": 1,\n "b": [' + ",".join(["0"] * (MAX_ENTRIES + 1)) + "]}"  # 100,004 values: within 500,000
    with pytest.raises(ShapeError) as caught:
        parse(text, "x.json")
    assert caught.value.lines() == ["x.json:3: b: a list of more than 100000 entries (at most 100000 are read)"]
    top = json.dumps({f"k{i}": 1 for i in range(MAX_ENTRIES + 1)})
    with pytest.raises(ShapeError) as caught:
        parse(top, "x.json")
    assert caught.value.lines() == ["x.json:1: a mapping of more than 100000 entries (at most 100000 are read)"]


def test_a_did_you_mean_is_searched_only_for_the_problems_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    audit = basic_audit()
    audit.update({f"audit_tipe_{i}": 1 for i in range(5_000)})
    path = tmp_path / "audit.json"
    path.write_text(json.dumps(audit), encoding="utf-8")
    searched: list[str] = []
    real = difflib.get_close_matches  # (the converter imports difflib when a problem needs a did-you-mean)

    def counted(word: str, *args: Any, **kwargs: Any) -> list[str]:
        searched.append(word)
        return real(word, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    with pytest.raises(InputError) as caught:
        make_engine().load_audit(path)
    assert len(searched) == MAX_PROBLEMS
    assert len(caught.value.problems) == MAX_PROBLEMS
    assert caught.value.truncated == 5_000 - MAX_PROBLEMS
    first = caught.value.problems[0]
    assert first.path == "audit_tipe_0"
    assert first.hint == "did you mean 'audit_type'?"
    assert caught.value.lines()[-1] == "... and 4800 more problems"


def test_a_yaml_file_of_more_values_than_the_limit_is_refused_before_any_is_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lists = "".join(f"k{j}: [" + ",".join(["1"] * 50_000) + "]\n" for j in range(5))
    monkeypatch.setattr(yaml, "compose", lambda *a, **k: pytest.fail("the document was composed"))
    with pytest.raises(ShapeError) as caught:
        parse(lists, "x.yaml", mapping=True)
    # the mapping, then 50,002 values a line (its key, its list, its numbers): past 200,000 at the 49,992nd
    # number of the fourth line
    assert caught.value.lines() == ["x.yaml:4: the file holds more than 200000 values (at most 200000 are read)"]
    assert caught.value.problems[0].column == len("k3: [") + 1 + 2 * (49_992 - 1)


def test_a_yaml_file_at_the_value_limit_is_read() -> None:
    # the mapping, two keys, two lists and their numbers: 200,000 values
    text = "k: [" + ",".join(["1"] * 99_998) + "]\nj: [" + ",".join(["2"] * 99_997) + "]\n"
    data, _ = parse(text, "x.yaml")
    assert 5 + len(data["k"]) + len(data["j"]) == MAX_VALUES


def test_a_plain_text_is_read_in_one_pass_over_its_events(monkeypatch: pytest.MonkeyPatch) -> None:
    """Since the event builder, the shape limits are checked while the data is built: each event is read once
    (before it, a short text was walked to its first value, then composed)."""
    events: list[object] = []
    real = loading._Loader.get_event

    def counted(self: object) -> object:
        event = real(self)  # type: ignore[arg-type]
        events.append(event)
        return event

    monkeypatch.setattr(loading._Loader, "get_event", counted)
    text = "a: 1\nb: [1, 2]\n"
    assert parse_checked(text, "x.yaml", mapping=True)[0] == {"a": 1, "b": [1, 2]}
    assert [type(e).__name__ for e in events] == [type(e).__name__ for e in yaml.parse(text)][:-1]  # the end seen


def test_a_json_file_of_more_values_than_the_limit_is_refused_before_it_is_structured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(loading, "MAX_JSON_VALUES", 1_000)
    lists = {f"k{j}": [0] * 300 for j in range(4)}  # the object, then 301 values a key
    monkeypatch.setattr(loading, "_json_positions", lambda *a: pytest.fail("the text was scanned for positions"))
    with pytest.raises(ShapeError) as caught:
        parse(json.dumps(lists), "x.json", mapping=True)
    assert caught.value.lines() == ["x.json: the file holds more than 1000 values (at most 1000 are read)"]
    del lists["k3"]
    assert parse(json.dumps(lists), "x.json")[0] == lists  # 1 + 3 * 301 = 904 values


def test_a_json_problem_near_the_start_is_placed_without_scanning_the_rest() -> None:
    text = '{"a": "x",\n "b": {"c": [' + ",".join(["0"] * 99_999) + ']}, "d": 1}'
    lines = loading.JsonLines(text)
    assert (lines[("a",)], lines.columns[("a",)]) == (1, 7)
    assert lines._text is not None  # the scan stopped at "a"
    assert ("b", "z") not in lines  # absent: known once "b" closes, before "d"
    assert dict.__contains__(lines, ("b", "c", 99_998)) and not dict.__contains__(lines, ("d",))
    assert ("zz",) not in lines  # the top level closes at the end of the text
    assert dict.__contains__(lines, ("d",)) and lines[("d",)] == 2


def _random_yaml(rng: random.Random, depth: int = 0) -> str:
    """A random YAML value as flow text: plain, quoted and odd scalars, duplicate keys, and (rarely) an anchor,
    an alias or a tag, which the event builder leaves to the composer."""
    roll = rng.random()
    if depth < 4 and roll < 0.25:
        keys = [rng.choice(["a", "b", "k1", "0", "true", "x y", "~", "'q'"]) for _ in range(rng.randint(0, 5))]
        return "{" + ", ".join(f"{key}: {_random_yaml(rng, depth + 1)}" for key in keys) + "}"
    if depth < 4 and roll < 0.45:
        return "[" + ", ".join(_random_yaml(rng, depth + 1) for _ in range(rng.randint(0, 5))) + "]"
    if rng.random() < 0.03:
        return rng.choice(["!!int x", "!!str 5", "!!float 1", "&x 1", "*x", "!!timestamp 2024"])
    return rng.choice(
        [
            "1", "-7", "+3", "0x1F", "0o17", "1.5", "1e3", ".inf", ".nan", "null", "~", "True", "yes", "'text'",
            '"a\\u00e9"', "2024-01-01", "9" * 700, "", "a b", "1_000", "0x", "1.2.3",
        ]
    )  # fmt: skip


def test_the_event_builder_reads_every_file_as_the_composer_and_walker_do() -> None:
    """Random documents made here (plain and block mappings and lists, duplicate keys, refused scalars, and a few
    anchors, aliases and tags): the one-pass builder and the composer answer the same data, lines, columns and
    problems, or the same error, for each."""
    rng = random.Random(secrets.randbits(64))
    built = 0
    for _ in range(400):
        text = "top: " + _random_yaml(rng) + "\nnext:\n  - " + _random_yaml(rng) + "\n  - " + _random_yaml(rng) + "\n"
        if rng.random() < 0.1:
            text += "top: 1\n"
        try:
            composed: Any = loading._composed(text, "x.yaml", True)
        except InputError as exc:
            composed = exc.lines()
        try:
            fast: Any = loading._built_from_events(text, "x.yaml", True)
            built += 1
        except loading._Unusual:
            continue
        except InputError as exc:
            fast = exc.lines()
        if isinstance(composed, tuple):
            assert isinstance(fast, tuple), text
            assert repr(fast[0]) == repr(composed[0]), text  # ExactFloat, NaN: compared as written
            assert dict(fast[1]) == dict(composed[1]) and fast[1].columns == composed[1].columns, text
            assert fast[2] == composed[2], text
        else:
            assert fast == composed, text
    assert built > 100  # most documents are plain enough for the builder
