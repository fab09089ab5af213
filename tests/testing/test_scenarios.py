"""Scenario tests that can fail: every key at every level is known, only declared files are collected, and one
engine serves a whole file (the format: docs/scenarios.md)."""

from __future__ import annotations

import textwrap

import pytest

from corengine._io.loading import parse
from corengine.testing.pytest_plugin import is_scenario_file
from corengine.testing.scenarios import UNSET, AuditExpect, ScenarioError, read_scenario_file
from tests.helpers import DATA, TEST_STANDARD

AUDIT = DATA / "audit-basic.yaml"
"""Scores 55/70 (78.57%) on the core's test standard: under its 80% mark, it does not certify."""


def problems(text: str) -> str:
    data, lines = parse(textwrap.dedent(text), "t.yaml")
    with pytest.raises(ScenarioError) as caught:
        read_scenario_file(data, "t.yaml", lines)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            """\
            plugin: [x]
            scenarios:
              - {name: A, command: {args: [x]}, expect: {exit_code: 0}}
            """,
            "t.yaml:1: plugin: unknown key 'plugin' (did you mean 'plugins'?); "
            "a scenario file takes plugins, standard_files, scenarios",
        ),
        (
            """\
            scenarios:
              - name: A
                command: {args: [x]}
                expext: {exit_code: 0}
            """,
            "t.yaml:4: scenarios[0].expext: unknown key 'expext' (did you mean 'expect'?); "
            "a scenario takes name, audit, eligibility, sample, command, expect\n"
            "t.yaml:2: scenarios[0]: a scenario needs a non-empty expect block",
        ),
        (
            """\
            scenarios:
              - name: A
                audit: {base: a.yaml, sett: {x: 1}}
                expect: {passed: true}
            """,
            "t.yaml:3: scenarios[0].audit.sett: unknown key 'sett' (did you mean 'set'?); "
            "the audit subject takes base, set, strict",
        ),
        (
            """\
            scenarios:
              - name: A
                audit: {base: a.yaml}
                expect:
                  pased: true
            """,
            "t.yaml:5: scenarios[0].expect.pased: unknown key 'pased' (did you mean 'passed'?); the expect block of "
            "an audit scenario takes passed, certificate, certificate_months, valid_until, overall, percent, "
            "elements, questions, errors, findings, no_findings",
        ),
        (
            """\
            scenarios:
              - name: A
                audit: {base: a.yaml}
                expect:
                  elements:
                    "3": {earnd: "4"}
            """,
            "t.yaml:6: scenarios[0].expect.elements[\"3\"].earnd: unknown key 'earnd' (did you mean 'earned'?); "
            "elements['3'] takes earned, available, percent",
        ),
        (
            """\
            scenarios:
              - name: A
                sample: {standard: s, worker: 5}
                expect: {interviews_minimum: 3}
            """,
            "t.yaml:3: scenarios[0].sample.worker: unknown key 'worker' (did you mean 'workers'?); "
            "the sample subject takes standard, workers, sites, on, program\n"
            "t.yaml:3: scenarios[0].sample: the sample subject needs 'workers'",
        ),
        (
            """\
            scenarios:
              - name: A
                command: {args: [x]}
                expect: {exit_cod: 0}
            """,
            "t.yaml:4: scenarios[0].expect.exit_cod: unknown key 'exit_cod' (did you mean 'exit_code'?); "
            "the expect block of a command scenario takes exit_code, output_contains",
        ),
        (
            """\
            scenarios:
              - name: A
                eligibility: {province: AB, employes: 5}
                expect: {programs: [COR]}
            """,
            "t.yaml:3: scenarios[0].eligibility.employes: unknown key (did you mean 'employees'? expected one of: "
            "province, employees, fte, payroll_hours, records_months, on, partner, certifications)",
        ),
        (
            """\
            scenarios:
              - name: A
                audit: {base: a.yaml}
                expect:
                  findings:
                    - {check: x, stauts: pass}
            """,
            "t.yaml:6: scenarios[0].expect.findings[0].stauts: unknown finding key 'stauts' (did you mean 'status'?); "
            "expected one of check, status, message, subject, subject_kind, required, measured, due, confidence, "
            "sources, reading, plugin, rule_version",
        ),
        (
            """\
            scenarios:
              - {name: A, audit: {base: a.yaml}, expect: {passed: "yes"}}
            """,
            "t.yaml:2: scenarios[0].expect.passed: passed must be true or false; got 'yes'",
        ),
        (
            """\
            scenarios:
              - {name: A, audit: {base: a.yaml}, sample: {standard: s, workers: 5}, expect: {passed: true}}
            """,
            "t.yaml:2: scenarios[0]: a scenario gives exactly one of audit, eligibility, sample, command "
            "(given: audit, sample)",
        ),
        (
            """\
            scenarios:
              - {name: A, command: {args: [x]}, expect: {exit_code: 0}}
              - {name: A, command: {args: [y]}, expect: {exit_code: 0}}
            """,
            "t.yaml:3: scenarios[1].name: scenario name 'A' appears twice (first as scenarios[0])",
        ),
        ("scenarios: []\n", "t.yaml:1: scenarios: a scenario file needs at least one scenario"),
    ],
    ids=[
        "file",
        "scenario",
        "audit",
        "expect",
        "element",
        "sample",
        "command",
        "eligibility",
        "finding",
        "type",
        "two-subjects",
        "duplicate",
        "empty",
    ],
)
def test_every_level_refuses_what_it_does_not_know(text: str, message: str) -> None:
    assert problems(text) == message


def test_a_scenario_reads_into_records_with_unset_expectations_left_out() -> None:
    data, lines = parse(
        "scenarios:\n  - {name: A, audit: {base: a.yaml}, expect: {passed: false, certificate: null}}\n", "t"
    )
    records = read_scenario_file(data, "t", lines)
    expect = records.scenarios[0].expect
    assert isinstance(expect, AuditExpect)
    assert (expect.passed, expect.certificate, expect.overall) == (False, None, UNSET)


def scenario_file(body: str) -> str:
    return f"standard_files: [{TEST_STANDARD}]\nscenarios:\n" + textwrap.dedent(body)


def test_a_misspelt_expectation_fails_its_file_with_a_did_you_mean(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".yaml",
        test_misspelt=scenario_file(
            f"""\
            - name: The basic audit passes
              audit: {{base: {AUDIT}}}
              expect:
                pased: false
            """
        ),
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(errors=1)
    assert (
        "test_misspelt.yaml:6: scenarios[0].expect.pased: unknown key 'pased' (did you mean 'passed'?); the expect "
        "block of an audit scenario takes passed, certificate, certificate_months, valid_until, overall, percent, "
        "elements, questions, errors, findings, no_findings\n"
    ) in result.stdout.str()


def test_a_wrong_expectation_fails_and_a_right_one_passes(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".yaml",
        test_basic=scenario_file(
            f"""\
            - name: The basic audit at 78.57% does not certify
              audit: {{base: {AUDIT}}}
              expect: {{passed: false, overall: "55/70", percent: 78.57}}
            - name: The basic audit is said to certify, which is wrong
              audit: {{base: {AUDIT}}}
              expect: {{passed: true}}
            """
        ),
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["test_basic.yaml: The basic audit is said to certify, which is wrong", "passed: expected True, got False"]
    )


def test_an_unrelated_test_yaml_is_not_collected(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", test_foo="name: deploy\nsteps:\n  - run: make\npased: true\n")
    pytester.makefile(".yml", test_broken="{{ not: yaml at all\n")
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes()
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_a_project_may_switch_collection_off(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".yaml", test_basic=scenario_file(f"- {{name: A, audit: {{base: {AUDIT}}}, expect: {{passed: true}}}}\n")
    )
    pytester.makeini("[pytest]\ncorengine_scenarios = off\n")
    assert pytester.runpytest("-p", "no:randomly").ret == pytest.ExitCode.NO_TESTS_COLLECTED
    pytester.makeini("[pytest]\ncorengine_scenarios = sometimes\n")
    result = pytester.runpytest("-p", "no:randomly")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*corengine_scenarios = 'sometimes': expected one of declared, off"])


def test_the_scenarios_of_a_file_share_one_engine(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import corengine.testing.pytest_plugin as plugin

        BUILT = []
        ORIGINAL = plugin.Engine


        class Counting(ORIGINAL):
            def __init__(self, *args, **kwargs):
                BUILT.append(1)
                super().__init__(*args, **kwargs)


        def pytest_configure(config):
            plugin.Engine = Counting


        def pytest_unconfigure(config):
            plugin.Engine = ORIGINAL
            print(f"engines built: {len(BUILT)}")
        """
    )
    scenario = f"- {{name: Audit NUMBER, audit: {{base: {AUDIT}}}, expect: {{passed: false}}}}\n"
    pytester.makefile(".yaml", test_one=scenario_file("".join(scenario.replace("NUMBER", str(i)) for i in range(3))))
    pytester.makefile(
        ".yaml", test_two=scenario_file(scenario.replace("NUMBER", "1") + scenario.replace("NUMBER", "2"))
    )
    result = pytester.runpytest("-p", "no:randomly", "-s")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(["engines built: 2"])


def test_a_file_is_a_scenario_file_only_when_it_declares_itself(tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    root = Path(str(tmp_path))
    cases = {
        "test_a.yaml": "scenarios:\n  - {}\n",
        "test_b.yml": "# comment\nplugins: []\nscenarios: []\n",
        "test_c.yaml": "steps:\n  scenarios: nested, not top level\n",
        "notatest.yaml": "scenarios: []\n",
        "test_d.json": '{"scenarios": []}',
    }
    for name, text in cases.items():
        (root / name).write_text(text, encoding="utf-8")
    assert {name: is_scenario_file(root / name) for name in cases} == {
        "test_a.yaml": True,
        "test_b.yml": True,
        "test_c.yaml": False,
        "notatest.yaml": False,
        "test_d.json": False,
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "expect: {findings: [1, null]}",
            "t.yaml:4: scenarios[0].expect.findings[0]: a finding matcher is a mapping of check, status, message, "
            "subject, subject_kind, required, measured, due, confidence, sources, reading, plugin, rule_version; got 1\n"
            "t.yaml:4: scenarios[0].expect.findings[1]: a finding matcher is a mapping of check, status, message, "
            "subject, subject_kind, required, measured, due, confidence, sources, reading, plugin, rule_version; "
            "got null",
        ),
        (
            # a misspelt status could never match: in no_findings it would pass silently
            "expect: {no_findings: [{check: certification.overall_minimum, status: fial}]}",
            "t.yaml:4: scenarios[0].expect.no_findings[0].status: status must be one of pass, fail, advisory, info; "
            "got 'fial'",
        ),
        (
            "expect: {no_findings: [{check: [x], confidence: high, due: 2026-5-1, sources: x, required: {numbr: 80}}]}",
            "t.yaml:4: scenarios[0].expect.no_findings[0].check: check must be text; got a list\n"
            "t.yaml:4: scenarios[0].expect.no_findings[0].confidence: confidence must be one of H, M, L; got 'high'\n"
            "t.yaml:4: scenarios[0].expect.no_findings[0].due: due must be a date (YYYY-MM-DD); got '2026-5-1'\n"
            "t.yaml:4: scenarios[0].expect.no_findings[0].sources: sources must be a list of texts; got 'x'\n"
            "t.yaml:4: scenarios[0].expect.no_findings[0].required: required: unknown quantity field 'numbr' "
            "(did you mean 'number'?); expected some of number, unit, compare, upper, upper_compare, date, items, text",
        ),
        (
            "expect: {errors: [~, [1]], passed: ~}",
            "t.yaml:4: scenarios[0].expect.passed: passed must be true or false; got null\n"
            "t.yaml:4: scenarios[0].expect.errors[0]: errors[0] must be text; got null\n"
            "t.yaml:4: scenarios[0].expect.errors[1]: errors[1] must be text; got a list",
        ),
    ],
    ids=["not-a-mapping", "misspelt-status", "wrong-types", "list-items"],
)
def test_matchers_and_list_items_are_read_strictly(body: str, message: str) -> None:
    text = f"scenarios:\n  - name: A\n    audit: {{base: a.yaml}}\n    {body}\n"
    assert problems(text) == message


def test_whole_numbers_given_for_text_in_a_matcher_are_text() -> None:
    data, lines = parse(
        "scenarios:\n  - name: A\n    audit: {base: a.yaml}\n"
        "    expect: {findings: [{subject: 3, required: {number: 50}, due: 2026-05-01}]}\n",
        "t.yaml",
    )
    expect = read_scenario_file(data, "t.yaml", lines).scenarios[0].expect
    assert isinstance(expect, AuditExpect)
    assert expect.findings == ({"subject": "3", "required": {"number": "50"}, "due": "2026-05-01"},)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "scenarios: null\n",
            "t.yaml:1: scenarios: scenarios must be a list; got null\n"
            "t.yaml:1: scenarios: a scenario file needs at least one scenario",
        ),
        (
            "plugins: [1, ~]\nstandard_files: [{a: b}]\nscenarios:\n  - {name: A, command: {args: [x]}, expect: {exit_code: 0}}\n",
            "t.yaml:1: plugins[0]: plugins[0] must be a module name (text); got 1\n"
            "t.yaml:1: plugins[1]: plugins[1] must be a module name (text); got null\n"
            "t.yaml:2: standard_files[0]: standard_files[0] must be a file path (text); got a mapping",
        ),
        (
            "scenarios:\n  - {name: A, command: {args: [x, {a: 1}]}, expect: {output_contains: [~]}}\n",
            "t.yaml:2: scenarios[0].command.args[1]: args[1] must be text; got a mapping\n"
            "t.yaml:2: scenarios[0].expect.output_contains[0]: output_contains[0] must be text; got null",
        ),
        (
            "scenarios:\n  - {name: A, eligibility: 7, expect: {programs: [COR, [SECOR]]}}\n",
            "t.yaml:2: scenarios[0].eligibility: the eligibility subject is a mapping with keys province, employees, "
            "fte, payroll_hours, records_months, on, partner, certifications; got 7\n"
            "t.yaml:2: scenarios[0].expect.programs[1]: programs[1] must be text; got a list",
        ),
        (
            "scenarios:\n  - {name: A, audit: {base: a.yaml, set: [1]}, expect: {passed: true}}\n",
            "t.yaml:2: scenarios[0].audit.set: set must be a mapping; got a list",
        ),
    ],
    ids=["scenarios-null", "file-lists", "command-lists", "eligibility", "set-list"],
)
def test_wrong_types_at_every_level_are_named(text: str, message: str) -> None:
    assert problems(text) == message


def test_a_file_saved_with_a_byte_order_mark_is_collected(tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "test_bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfscenarios:\n  - {name: A, command: {args: [--help]}, expect: {exit_code: 0}}\n")
    assert is_scenario_file(path)


def test_a_plugin_module_that_cannot_be_imported_is_one_line(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".yaml",
        test_missing="plugins: [corengine_nowhere.plugin]\nscenarios:\n"
        "  - {name: Ten employees qualify, eligibility: {province: AB, employees: 10}, expect: {programs: [COR]}}\n",
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "test_missing.yaml: plugins[0]: cannot import 'corengine_nowhere.plugin': ModuleNotFoundError: "
            "No module named 'corengine_nowhere'"
        ]
    )
    assert "Traceback" not in result.stdout.str()
