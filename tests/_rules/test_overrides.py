"""Overriding single rule values as data: applied with their own source, and bad overrides rejected clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from corengine import Engine
from corengine.errors import InputError
from corengine.model.findings import Quantity
from tests.helpers import StandardsPlugin, basic_audit

OVERLAY = """\
id: test-override
title: Override
version: "1"
jurisdiction: ZZ
programs: [Large, Small]
extends: test-basic
overrides:
  - rule: {rule}
    start: {start}
    values: {values}
    reference: [https://example.org/override]
    confidence: M
"""


def engine_with(tmp_path: Path) -> Engine:
    path = tmp_path / "test-override.yaml"
    path.write_text(OVERLAY.format(rule="certification", start="2000-01-01", values="{overall_minimum: 75}"))
    engine = Engine(plugins=[StandardsPlugin()], load_entrypoints=False, environ={})
    engine.add_standard_file(path)
    return engine


def test_an_override_changes_one_value_and_cites_its_own_source(tmp_path: Path) -> None:
    engine = engine_with(tmp_path)
    data = basic_audit() | {"standard": "test-override", "standard_version": "1"}
    result = engine.score(engine.audit_from_data(data))
    overall = next(f for f in result.outcome.reasons if f.check == "certification.overall_minimum")
    assert (overall.status, str(overall.required), overall.sources, overall.confidence, overall.plugin) == (
        "pass",
        ">= 75%",
        ("https://example.org/override",),
        "M",
        "<file>",
    )
    element = next(f for f in result.outcome.reasons if f.check == "certification.element_minimum")
    assert element.required == Quantity.of(50, "%", ">=")  # the values not overridden are kept
    version = result.outcome.reasons[0]
    assert version.message.endswith("Overridden by test-override: overall_minimum 80 -> 75.")


@pytest.mark.parametrize(
    ("rule", "start", "values", "message"),
    [
        (
            "certificaton",
            "2000-01-01",
            "{overall_minimum: 75}",
            "overrides[0].rule: no rule 'certificaton' to override (rules: certification, maintenance)",
        ),
        (
            "certification",
            "2001-01-01",
            "{overall_minimum: 75}",
            "overrides[0].start: rule 'certification' has no version starting 2001-01-01 "
            "(versions start: 2000-01-01, 2020-01-01)",
        ),
        ("certification", "2000-01-01", "{start: 2001-01-01}", "overrides[0].values: 'start' cannot be overridden"),
        (
            "certification",
            "2000-01-01",
            "{overall_minimum: high}",
            "overrides[0].values: overall_minimum: expected a number such as 10, 7.5 or 7/10, not 'high'",
        ),
        ("certification", "2000-01-01", "{}", "overrides[0].values: must set at least one value"),
        (
            "certification",
            "2000-01-01",
            "{overall_minimum: 150}",
            "overrides[0].values.overall_minimum: must be a percentage between 0 and 100, not 150",
        ),
    ],
)
def test_a_bad_override_is_one_clear_message(tmp_path: Path, rule: str, start: str, values: str, message: str) -> None:
    path = tmp_path / "test-override.yaml"
    path.write_text(OVERLAY.format(rule=rule, start=start, values=values))
    engine = Engine(plugins=[StandardsPlugin()], load_entrypoints=False, environ={})
    with pytest.raises(InputError) as info:
        engine.add_standard_file(path)
    assert len(info.value.problems) == 1
    assert message in info.value.problems[0].text()
    assert info.value.problems[0].file == str(path)


def test_extending_an_unknown_standard_names_the_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "orphan.yaml"
    path.write_text('id: orphan\ntitle: O\nversion: "1"\njurisdiction: ZZ\nprograms: [COR]\nextends: nope\n')
    engine = Engine(plugins=[StandardsPlugin()], load_entrypoints=False, environ={})
    with pytest.raises(InputError) as info:
        engine.add_standard_file(path)
    assert info.value.problems == (f"{path}: extends: unknown standard 'nope' (installed: test-basic)",)


def test_two_files_giving_one_standard_are_refused_naming_both(tmp_path: Path) -> None:
    """A second file with the same id would silently win; the same file given twice is still one standard."""
    from corengine.errors import CorengineError

    first = tmp_path / "first.yaml"
    second = tmp_path / "second.yaml"
    for path, minimum in ((first, 75), (second, 70)):
        text = OVERLAY.format(rule="certification", start="2000-01-01", values=f"{{overall_minimum: {minimum}}}")
        path.write_text(text, encoding="utf-8")
    engine = Engine(plugins=[StandardsPlugin()], load_entrypoints=False, environ={})
    engine.add_standard_file(first)
    engine.add_standard_file(tmp_path / "." / "first.yaml")
    with pytest.raises(CorengineError) as caught:
        engine.add_standard_file(second)
    assert str(caught.value) == (
        f"{second}: standard 'test-override' is also given by {first}; give one file per standard"
    )


def test_a_rule_version_the_overlay_does_not_touch_is_credited_to_the_plugin_that_wrote_it(tmp_path: Path) -> None:
    """An overlay changing the 2020 version (in force through 2020) leaves the 2000 version as written: a 2019
    audit's findings name the base standard's plugin, not the overlay file; a 2020 audit's name the file."""
    path = tmp_path / "test-override.yaml"
    path.write_text(OVERLAY.format(rule="certification", start="2020-01-01", values="{overall_minimum: 75}"))
    engine = Engine(plugins=[StandardsPlugin()], load_entrypoints=False, environ={})
    engine.add_standard_file(path)
    for day, plugin in (("2019-06-01", "test-standards"), ("2020-06-01", "<file>")):
        data = basic_audit() | {
            "standard": "test-override",
            "standard_version": "1",
            "audit_date": day,
            "start_date": day,
        }
        result = engine.score(engine.audit_from_data(data))
        overall = next(f for f in result.outcome.reasons if f.check == "certification.overall_minimum")
        assert (day, overall.plugin) == (day, plugin)
