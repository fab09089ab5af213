"""`corengine impact` and `Engine.score(rules_on=...)`: which decisions move under other rules, and why."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from corengine import Engine
from corengine._cli.main import cli
from tests.helpers import EXAMPLES, ROOT, bundled_engine

pytestmark = pytest.mark.usefixtures("in_root")  # file names in the rows are as given: relative to the project


ALL_EXAMPLES = "examples/*.yaml"
DOC_ONLY = "examples/alberta-acsa-cor-2020-documentation-only.yaml"
ELEMENT_FAIL = "examples/alberta-acsa-cor-certification-element-fail.yaml"
PASS = "examples/alberta-acsa-cor-certification-pass.yaml"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["impact", *args], env=env)


def as_json(*args: str) -> dict[str, Any]:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def summary(data: dict[str, Any]) -> dict[str, list[tuple[str, list[str]]]]:
    """Each changed file: its changes as (kind, the checks behind it)."""
    return {
        item["file"]: [(c["kind"], [b["check"] for b in c["because"]]) for c in item["changes"]]
        for item in data["changes"]
    }


def test_the_2023_return_of_mandatory_observation_fails_the_2020_documentation_only_audit() -> None:
    data = as_json(ALL_EXAMPLES, "--rules-on", "2023-06-01")
    assert (data["audits"], data["scored"], data["changed"]) == (10, 10, 3)
    assert data["counts"] == {
        "pass-to-fail": 3,
        "fail-to-pass": 0,
        "certificate": 0,
        "advisory-added": 0,
        "advisory-removed": 0,
    }
    # BC's standards publish rules from 2024 only: on 2023-06-01 none is in force.
    assert summary(data) == {
        DOC_ONLY: [("pass-to-fail", ["certification.methods_required"])],
        "examples/bc-large-certification.yaml": [("pass-to-fail", ["no-rule"])],
        "examples/bc-small-certification.yaml": [("pass-to-fail", ["no-rule"])],
    }
    item = data["changes"][0]
    assert item["rule_before"] == {"rule": "certification", "version": "2020-03-17"}
    assert item["rule_after"] == {"rule": "certification", "version": "2023-01-01"}
    change = item["changes"][0]
    assert (change["before"], change["after"]) == ("COR (1 year), 12 months, valid until 2021-06-15", "not passed")
    because = change["because"][0]
    assert because["before"]["status"] == "pass"
    assert because["before"]["required"]["items"] == ["D"]
    assert because["after"]["status"] == "fail"
    assert because["after"]["required"]["items"] == ["D", "I", "O"]
    assert because["after"]["measured"]["items"] == ["D"]
    assert because["after"]["rule_version"] == "2023-01-01"


def test_the_2020_pandemic_rules_flip_a_known_set() -> None:
    data = as_json(ALL_EXAMPLES, "--rules-on", "2020-06-01")
    assert data["counts"] == {
        "pass-to-fail": 5,
        "fail-to-pass": 1,
        "certificate": 2,
        "advisory-added": 0,
        "advisory-removed": 3,
    }
    assert summary(data) == {
        ELEMENT_FAIL: [("fail-to-pass", ["certification.element_minimum"])],
        PASS: [("certificate", ["certification.certificate"])],
        "examples/alberta-esc-cor-recertification.yaml": [("certificate", ["certification.certificate"])],
        "examples/bc-large-certification.yaml": [("pass-to-fail", ["no-rule"])],
        "examples/bc-small-certification.yaml": [("pass-to-fail", ["no-rule"])],
        "examples/ontario-external-pass.yaml": [("pass-to-fail", ["no-rule"])],
        "examples/ontario-internal-fail.yaml": [
            ("pass-to-fail", ["no-rule"]),
            ("advisory-removed", ["internal-gate.overall_minimum"]),
            ("advisory-removed", ["internal-gate.element_minimum"]),
            ("advisory-removed", ["internal-gate.mandatory_full_marks"]),
        ],
        "examples/ontario-internal-pass.yaml": [("pass-to-fail", ["no-rule"])],
    }
    certificate = next(item for item in data["changes"] if item["file"] == PASS)["changes"][0]
    assert (certificate["before"], certificate["after"]) == (
        "COR (3 years), 36 months, valid until 2027-10-18",
        "COR (1 year), 12 months, valid until 2025-10-18",
    )


def test_text_output() -> None:
    result = run(DOC_ONLY, ELEMENT_FAIL, PASS, "--rules-on", "2020-06-01", env={"COLUMNS": "200"})  # no wrapping
    assert result.exit_code == 0
    assert result.stdout == (
        "Impact of the rules in force on 2020-06-01 on 3 audit files: 2 of 3 scored audits change.\n"
        "  pass to fail: 0, fail to pass: 1, certificate: 1, advisory added: 0, advisory removed: 0\n"
        "\n"
        f"{ELEMENT_FAIL}\n"
        "  Foothills Concrete Forming Inc. (fictional); ab-acsa-cor certification audit on 2024-05-24\n"
        "  rule: certification from 2023-01-01 -> certification from 2020-03-17\n"
        "  fail to pass: not passed -> COR (1 year), 12 months, valid until 2025-05-24\n"
        "    because certification.element_minimum [3]: FAIL -> not checked (required >= 50% -> nothing; "
        "measured 85/3% (17/60))\n"
        "\n"
        f"{PASS}\n"
        "  Parkland Ridge Builders Ltd. (fictional); ab-acsa-cor certification audit on 2024-10-18\n"
        "  rule: certification from 2023-01-01 -> certification from 2020-03-17\n"
        "  certificate: COR (3 years), 36 months, valid until 2027-10-18 -> COR (1 year), 12 months, valid until "
        "2025-10-18\n"
        "    because certification.certificate [COR]: PASS -> PASS (required COR (3 years) -> COR (1 year))\n"
    )


OVERLAY = """\
id: ab-acsa-cor-strict
title: ACSA COR with an 86% pass mark (a draft correction)
version: "draft"
jurisdiction: AB
programs: [COR, SECOR]
extends: ab-acsa-cor
overrides:
  - rule: certification
    start: 2023-01-01
    values: {overall_minimum: 86}
    reference: [https://example.org/draft]
    confidence: M
"""


def test_an_overlay_applies_to_the_audits_of_the_standard_it_extends(tmp_path: Path) -> None:
    overlay = tmp_path / "ab-acsa-cor-strict.yaml"
    overlay.write_text(OVERLAY, encoding="utf-8")
    data = as_json(ALL_EXAMPLES, "--standard-file", str(overlay))
    assert data["against"] == {"rules_on": None, "standard_files": [str(overlay)]}
    # 85.51% passes 80% but not 86%; the 2020 audit is judged by the 2020 version, which the overlay leaves alone.
    assert summary(data) == {PASS: [("pass-to-fail", ["certification.overall_minimum"])]}
    item = data["changes"][0]
    assert (item["standard"], item["under"]) == ("ab-acsa-cor", "ab-acsa-cor-strict")
    because = item["changes"][0]["because"][0]
    assert (because["before"]["required"]["number"], because["after"]["required"]["number"]) == ("80", "86")
    # With a date as well, the overlay's rules in force on it apply.
    both = as_json(DOC_ONLY, PASS, "--standard-file", str(overlay), "--rules-on", "2024-01-01")
    assert summary(both) == {
        DOC_ONLY: [("pass-to-fail", ["certification.methods_required", "certification.overall_minimum"])],
        PASS: [("pass-to-fail", ["certification.overall_minimum"])],
    }


def test_bad_files_are_listed_not_fatal(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("standard: [\n", encoding="utf-8")
    result = run(DOC_ONLY, str(bad), "missing.yaml", "--rules-on", "2023-06-01", env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == (
        "Impact of the rules in force on 2023-06-01 on 3 audit files: 1 of 1 scored audits change."
    )
    assert result.stdout.splitlines()[-5:] == [
        "Could not be scored (2):",
        f"  {bad}",
        f"    {bad}:2: not valid YAML: did not find expected node content",
        "  missing.yaml",
        "    missing.yaml: no such file or folder",
    ]
    assert result.stderr == "error: 2 of 3 files could not be scored (listed above)\n"
    data = json.loads(run(str(bad), "--rules-on", "2023-06-01", "--format", "json").stdout)
    assert data["bad"][0]["problems"][0]["line"] == 2


def test_usage_errors() -> None:
    result = run(DOC_ONLY)
    assert result.exit_code == 2
    assert "give --rules-on DATE or --standard-file OVERLAY (or both)" in result.stderr
    assert run(DOC_ONLY, "--rules-on", "2023-02-30").exit_code == 2


@pytest.fixture(scope="module")
def engine() -> Engine:
    return bundled_engine()


@pytest.mark.parametrize("path", sorted(str(p.relative_to(ROOT)) for p in (EXAMPLES).glob("*.yaml")))
def test_rules_on_the_audit_date_changes_nothing(engine: Engine, path: str) -> None:
    loaded = engine.load_audit(ROOT / path)
    assert engine.score(loaded, rules_on=loaded.audit.audit_date).outcome == engine.score(loaded).outcome


def test_rules_on_keeps_the_audits_own_dates_and_names_the_real_version(engine: Engine) -> None:
    loaded = engine.load_audit(ROOT / DOC_ONLY)
    result = engine.score(loaded, rules_on=dt.date(2021, 6, 1))
    outcome = result.outcome
    # The 2021 plan's 1-year COR, counted from the audit's own date (2020-06-15), not from 2021.
    assert (outcome.passed, outcome.certificate, outcome.valid_until) == (True, "COR (1 year)", dt.date(2021, 6, 15))
    version = next(f for f in outcome.reasons if f.check == "certification.version")
    assert version.rule_version == dt.date(2021, 1, 1)
    assert version.message.startswith(
        "COR certification and recertification: rules in force from 2020-06-15. The rules in force on 2021-06-01 "
        "(the version from 2021-01-01) applied in place of those of the audit date."
    )
    assert {f.rule_version for f in outcome.reasons if f.check.startswith("certification.")} == {dt.date(2021, 1, 1)}
    # The engine's own standard is untouched.
    assert engine.score(loaded).outcome.reasons[0].rule_version == dt.date(2020, 3, 17)


def test_text_output_fits_80_columns() -> None:
    result = run(DOC_ONLY, ELEMENT_FAIL, PASS, "nothing-here/*.yaml", "--rules-on", "2020-06-01")
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, "\n".join(line for line in lines if len(line) > 80)
    assert lines[:2] == [
        "Impact of the rules in force on 2020-06-01 on 4 audit files: 2 of 3 scored",
        "    audits change.",
    ]
    assert "  certificate: COR (3 years), 36 months, valid until 2027-10-18 -> COR (1 year)," in lines
    assert "      12 months, valid until 2025-10-18" in lines


def test_two_overlays_of_one_standard_are_refused_naming_both(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "ab-acsa-cor-strict.yaml", tmp_path / "b" / "ab-acsa-cor-strict.yaml"
    for path, mark in ((first, "86"), (second, "90")):
        path.parent.mkdir()
        path.write_text(OVERLAY.replace("86", mark), encoding="utf-8")
    result = run(PASS, "--standard-file", str(first), "--standard-file", str(second))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {second}: standard 'ab-acsa-cor-strict' is also given by {first}; give one file per standard\n"
    )
    # the same file named twice is one overlay
    again = as_json(PASS, "--standard-file", str(first), "--standard-file", str(first))
    assert summary(again) == {PASS: [("pass-to-fail", ["certification.overall_minimum"])]}


def test_an_unexpected_error_on_one_audit_is_its_entry_and_the_run_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    from corengine._batch.impact import Rescorer

    real = Rescorer.rescore

    def flaky(self: Rescorer, loaded: Any, strict: bool) -> Any:
        if loaded.audit.audit_date == dt.date(2024, 5, 24):
            raise ZeroDivisionError("a bug")
        return real(self, loaded, strict)

    monkeypatch.setattr(Rescorer, "rescore", flaky)
    data = json.loads(run(ELEMENT_FAIL, PASS, "--rules-on", "2020-06-01", "--format", "json").stdout)
    assert (data["audits"], data["scored"]) == (2, 1)
    assert data["bad"][0]["file"] == ELEMENT_FAIL
    assert data["bad"][0]["problems"][0]["message"] == (
        "unexpected error (ZeroDivisionError); run `corengine score` on this file with --debug"
    )
