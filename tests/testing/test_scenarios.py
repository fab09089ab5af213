"""Scenario tests that can fail: every key at every level is known, only declared files are collected, and one
engine serves a whole file (the format: docs/scenarios.md)."""

from __future__ import annotations

import os
import textwrap
from fractions import Fraction
from pathlib import Path

import pytest

from corengine._io.loading import parse
from corengine.model.findings import Finding, Quantity
from corengine.testing.pytest_plugin import findings_summary, is_scenario_file
from corengine.testing.scenarios import (
    UNSET,
    AuditExpect,
    AuditSubject,
    ScenarioError,
    build_audit,
    finding_row,
    matches,
    read_scenario_file,
    replace_at,
    safe_name,
)
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
            "the audit subject takes base, set, replace, strict",
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


# --------------------------------------------------------------------------- set merges, replace replaces whole

BASE = {
    "responses": {"2.1": {"interviews": {"positive": 7, "total": 10}, "observations": {"positive": 3, "total": 3}}},
    "methods_used": ["D", "I", "O"],
}


def test_set_merges_a_response_and_replace_puts_it_in_whole() -> None:
    changed = {"interviews": {"positive": 2, "total": 4}}
    assert build_audit(BASE, (), {"responses": {"2.1": changed}}) == {
        "responses": {"2.1": {"interviews": {"positive": 2, "total": 4}, "observations": {"positive": 3, "total": 3}}},
        "methods_used": ["D", "I", "O"],
    }
    assert build_audit(BASE, ((("responses", "2.1"), changed),), {}) == {
        "responses": {"2.1": {"interviews": {"positive": 2, "total": 4}}},
        "methods_used": ["D", "I", "O"],
    }
    # replace first, then set merges over it; a list item by index; missing mappings on the way are added
    assert build_audit(
        BASE,
        ((("responses", "2.1"), changed), (("methods_used", 2), "X"), (("employer", "name"), "New Co")),
        {"responses": {"2.1": {"note": "re-checked"}}},
    ) == {
        "responses": {"2.1": {"interviews": {"positive": 2, "total": 4}, "note": "re-checked"}},
        "methods_used": ["D", "I", "X"],
        "employer": {"name": "New Co"},
    }
    assert BASE["responses"]["2.1"]["observations"] == {"positive": 3, "total": 3}  # the base is not changed


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (("methods_used", 5), "replace: methods_used[5]: methods_used[5] is not an item; methods_used is a list of 3"),
        (("methods_used", "D"), "replace: methods_used.D: methods_used is a list, not a mapping with keys"),
        (
            ("responses", "2.1", "interviews", "total", "x"),
            'replace: responses["2.1"].interviews.total.x: responses["2.1"].interviews.total is 10, '
            "not a mapping with keys",
        ),
    ],
    ids=["no-item", "list-for-key", "number-for-key"],
)
def test_a_replace_path_the_base_cannot_follow_is_named(path: tuple[str | int, ...], message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        replace_at(BASE, path, 1)
    assert str(caught.value) == message


def test_replace_paths_are_read_as_error_messages_write_them() -> None:
    data, lines = parse(
        "scenarios:\n  - name: A\n    audit:\n      base: a.yaml\n      replace:\n"
        "        'responses[\"2.4\"]': {points: 5}\n        employer.name: X\n        methods_used[0]: D\n"
        "    expect: {passed: true}\n",
        "t.yaml",
    )
    spec = read_scenario_file(data, "t.yaml", lines).scenarios[0].spec
    assert isinstance(spec, AuditSubject)
    assert spec.replace == (
        (("responses", "2.4"), {"points": 5}),
        (("employer", "name"), "X"),
        (("methods_used", 0), "D"),
    )


def test_a_replace_path_that_is_not_one_fails_its_file() -> None:
    text = """\
        scenarios:
          - name: A
            audit:
              base: a.yaml
              replace:
                responses.2.4: {points: 5}
                '[0]': x
            expect: {passed: true}
          - {name: B, audit: {replace: [x]}, expect: {passed: true}}
        """
    hint = (
        "write keys as in error messages, a plain name after a dot and any other key quoted in brackets "
        '(responses["2.4"].points, employer.name, methods_used[0])'
    )
    assert problems(text) == (
        f"t.yaml:6: scenarios[0].audit.replace[\"responses.2.4\"]: replace: 'responses.2.4' is not a path: {hint}\n"
        "t.yaml:7: scenarios[0].audit.replace[\"[0]\"]: replace: '[0]' is not a path: a path starts with a key "
        'of the audit (responses["2.4"], employer)\n'
        't.yaml:9: scenarios[1].audit.replace: replace must be a mapping of paths (responses["2.4"]) to values; '
        "got a list"
    )


def test_set_and_replace_score_differently_in_a_scenario(pytester: pytest.Pytester) -> None:
    # 2.1 is all-or-nothing at 70% of every tally: merged, 2/4 interviews + the base's 3/3 observations is 5/7
    # (71.43%, 20 points); replaced, 2/4 alone is 50% (0 points).
    pytester.makefile(
        ".yaml",
        test_replace=scenario_file(
            f"""\
            - name: Set merges the interviews into the response and keeps its observations
              audit:
                base: {AUDIT}
                set: {{responses: {{"2.1": {{interviews: {{positive: 2, total: 4}}}}}}}}
              expect: {{questions: {{"2.1": {{earned: "20"}}}}}}
            - name: Replace puts in the response whole, without the observations
              audit:
                base: {AUDIT}
                replace: {{'responses["2.1"]': {{interviews: {{positive: 2, total: 4}}}}}}
              expect: {{questions: {{"2.1": {{earned: "0"}}}}, overall: "35/70"}}
            - name: A path the base cannot follow fails its scenario
              audit:
                base: {AUDIT}
                replace: {{employer.name.first: X}}
              expect: {{passed: false}}
            """
        ),
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "test_replace.yaml: A path the base cannot follow fails its scenario",
            "replace: employer.name.first: employer.name is 'Test Co', not a mapping with keys",
        ]
    )


# --------------------------------------------------------------------------- a failing scenario says why


def failure_text(result: pytest.RunResult, first: str) -> list[str]:
    """The lines of one scenario's failure report, from its ``file: name`` line to the next section."""
    lines = result.stdout.lines
    start = lines.index(first)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(("____", "====")))
    return lines[start:end]


def test_a_failing_audit_expectation_prints_what_was_measured_and_found(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".yaml",
        test_basic=scenario_file(
            f"""\
            - name: The basic audit is said to certify, which is wrong
              audit: {{base: {AUDIT}}}
              expect: {{passed: true}}
            - name: The basic audit is said to have a certificate finding
              audit: {{base: {AUDIT}}}
              expect: {{findings: [{{check: certification.certificate}}]}}
            """
        ),
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=2)
    found = [
        "measured: passed false, certificate none, overall 55/70 = 78.57%",
        "elements: 1 25/30 = 83.33%; 2 30/40 = 75.00%",
        "findings (9, failing and advisory first):",
        "  certification.overall_minimum fail '': overall 78.57% is below the 80% minimum",
        "  certification.version info '': Certification: rules in force from 2000-01-01",
        "  certification.methods_required pass '': all required verification methods were used",
        "  certification.element_minimum pass '1': element 1 (Policy) 83.33% meets the 50% element minimum",
        "  certification.element_minimum pass '2': element 2 (Hazards) 75.00% meets the 50% element minimum",
        "  certification.mandatory_full_marks pass '1.2': mandatory question 1.2 has full marks",
        "  certification.on_fail info '': Limited-scope re-audit of the weak elements within 90 days",
        "  sampling.interviews info '': interviews: not checked: no interviews_conducted given (the minimum for "
        "this employer is 16)",
        "  sampling.sites info '': sites visited: not checked: no sites_visited or worksites_visited given (the "
        "minimum for this employer is 1)",
    ]
    assert failure_text(result, "test_basic.yaml: The basic audit is said to certify, which is wrong") == [
        "test_basic.yaml: The basic audit is said to certify, which is wrong",
        "passed: expected True, got False",
        *found,
    ]
    assert failure_text(result, "test_basic.yaml: The basic audit is said to have a certificate finding") == [
        "test_basic.yaml: The basic audit is said to have a certificate finding",
        "no finding matches {'check': 'certification.certificate'}",
        *found,
    ]


def test_findings_listed_are_bounded_failing_first() -> None:
    findings = tuple(
        Finding(check=f"c{i}", status="fail" if i == 40 else "advisory" if i == 39 else "pass", message=f"m{i}")
        for i in range(41)
    )
    lines = findings_summary(findings).splitlines()
    assert lines[:4] == [
        "findings (41, failing and advisory first):",
        "  c40 fail '': m40",
        "  c39 advisory '': m39",
        "  c0 pass '': m0",
    ]
    assert lines[-2:] == ["  c27 pass '': m27", "  ... and 11 more"]
    assert len(lines) == 32
    assert findings_summary(()) == "findings: none"


def test_failing_eligibility_sample_and_command_expectations_say_why(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".yaml",
        test_others=scenario_file(
            """\
            - name: Ten employees are said to qualify for nothing
              eligibility: {province: AB, employees: 10, on: 2025-01-01}
              expect: {programs: []}
            - name: Fifty workers are said to need fifty interviews
              sample: {standard: test-basic, workers: 50, on: 2025-01-01}
              expect: {interviews_minimum: 50}
            - name: The sample command is said to fail
              command: {args: [sample, --standard, test-basic, --workers, "50", --on, "2025-01-01"]}
              expect: {exit_code: 2}
            """
        ),
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=3)
    eligibility = failure_text(result, "test_others.yaml: Ten employees are said to qualify for nothing")
    assert eligibility[1:4] == [
        "programs: expected [], got ['SECOR', 'COR']",
        "programs: SECOR size pass, may start info; COR size pass, may start info",
        "findings (8, failing and advisory first):",
    ]
    assert [line for line in eligibility if "eligibility.size" in line] == [
        "  eligibility.size pass 'SECOR': SECOR is for 10 or fewer employees: 10 employees qualifies. 10 or fewer "
        "employees at any time in the previous 12 months",
        "  eligibility.size pass 'COR': COR is for 10 or more employees: 10 employees qualifies. the government's "
        'page says "10 or more"',
    ]
    assert failure_text(result, "test_others.yaml: Fifty workers are said to need fifty interviews") == [
        "test_others.yaml: Fifty workers are said to need fifty interviews",
        "interviews_minimum: expected 50, got 19",
        "plan: standard test-basic, workers 50, sites None, interviews_minimum 19, sites_minimum None, "
        "questionnaires_maximum 9",
        "findings (2, failing and advisory first):",
        "  sampling.interviews info '': minimum interviews for 50 workers: 19 — published point 50 -> 19",
        "  sampling.questionnaires info 'workers': questionnaires may replace at most 50% of the worker interviews, "
        "never those of managers or supervisors (at most 9 when all 19 interviews are workers', rounded down)",
    ]
    assert failure_text(result, "test_others.yaml: The sample command is said to fail") == [
        "test_others.yaml: The sample command is said to fail",
        "exit_code: expected 2, got 0; output was:",
        "Sample plan for test-basic: 50 workers",
        "  minimum interviews:         19",
        "  questionnaires at most:     9",
        "Reasons:",
        "  info  minimum interviews for 50 workers: 19 — published point 50 -> 19 (sampling.interviews from "
        "2000-01-01; <file>; confidence M) [1]",
        "  info  questionnaires may replace at most 50% of the worker interviews, never those of managers or "
        "supervisors (at most 9 when all 19 interviews are workers', rounded down) (sampling.questionnaires; "
        "<file>) [a]",
        "Sources:",
        "  [1] https://example.org/sampling",
        "Readings (where the sources are silent, the reading the engine took):",
        "  [a] the share is of the worker interviews; the plan does not know the split, so the number assumes "
        "every interview is a worker's",
        "",
    ]


# --------------------------------------------------------------------------- a measured number as it is shown

OVERALL = Finding(
    check="certification.overall_minimum",
    status="fail",
    message="overall 70.83% is below the 80% minimum",
    required=Quantity.of(80, "%", ">="),
    measured=Quantity(number=Fraction(425, 6), unit="%", text="85/120"),
)


@pytest.mark.parametrize(
    ("key", "value", "matched"),
    [
        # the form messages and tables show: half up to 2 places, or more places where given
        ("measured", "70.83%", True),
        ("measured", "70.833%", True),
        ("measured", 70.83, True),
        ("measured", "70.83% (85/120)", True),
        ("measured", "70.83", True),
        # exact forms, as before
        ("measured", "425/6% (85/120)", True),
        ("measured", "85/120", True),
        ("measured", {"number": "425/6", "unit": "%"}, True),
        # what is not the number as shown
        ("measured", "70.8%", False),
        ("measured", "70.82%", False),
        ("measured", "70.84%", False),
        ("measured", "70.83 days", False),
        ("measured", ">= 70.83%", False),
        ("measured", "71%", False),
        ("measured", {"number": "70.83"}, False),
        # an exact number keeps matching exactly, with its comparison
        ("required", ">= 80%", True),
        ("required", ">= 80.00%", True),
        ("required", ">= 80", True),
        ("required", "80%", False),
        ("required", ">= 79.995%", False),
    ],
)
def test_a_measured_percentage_matches_as_it_is_shown(key: str, value: object, matched: bool) -> None:
    assert matches(finding_row(OVERALL), {key: value}) is matched


def test_a_measured_percentage_as_shown_matches_in_a_scenario(pytester: pytest.Pytester) -> None:
    # 55/70 is 550/7%, shown 78.57%; before 0.2 only "550/7% (55/70)" or "55/70" matched it
    pytester.makefile(
        ".yaml",
        test_shown=scenario_file(
            f"""\
            - name: The basic audit measures 78.57% overall
              audit: {{base: {AUDIT}}}
              expect:
                findings: [{{check: certification.overall_minimum, measured: 78.57%}}]
                no_findings: [{{check: certification.overall_minimum, measured: 78.58%}}]
            """
        ),
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=1)


# --------------------------------------------------------------------------- command paths are the scenario file's


def command_scenarios(pytester: pytest.Pytester) -> Path:
    """``sub/test_cmd.yaml`` scoring ``sub/audit.yaml``: once named from the scenario file, once (the pre-0.2
    way) from the working directory ``pytester.path``."""
    sub = pytester.mkdir("sub")
    (sub / "audit.yaml").write_text(AUDIT.read_text(encoding="utf-8"), encoding="utf-8")
    (sub / "std.yaml").write_text(TEST_STANDARD.read_text(encoding="utf-8"), encoding="utf-8")
    (sub / "test_cmd.yaml").write_text(
        "standard_files: [std.yaml]\nscenarios:\n"
        "  - name: The score command reads the audit next to the scenario file\n"
        "    command: {args: [score, audit.yaml, --format=json]}\n"
        "    expect: {output_contains: ['\"percent\": 78.57']}\n"
        "  - name: An older scenario names the audit from the working directory\n"
        "    command: {args: [score, --format, json, sub/audit.yaml]}\n"
        "    expect: {output_contains: ['\"percent\": 78.57']}\n",
        encoding="utf-8",
    )
    return sub


def test_command_paths_are_relative_to_the_scenario_file(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    sub = command_scenarios(pytester)
    elsewhere = pytester.mkdir("elsewhere")
    monkeypatch.chdir(elsewhere)
    result = pytester.runpytest("-p", "no:randomly", str(sub / "test_cmd.yaml"), "-k", "next")
    result.assert_outcomes(passed=1, deselected=1)
    assert os.getcwd() == str(elsewhere)  # the command's working directory is restored


def test_a_command_path_found_only_from_the_working_directory_still_works_and_warns(
    pytester: pytest.Pytester,
) -> None:
    sub = command_scenarios(pytester)
    result = pytester.runpytest("-p", "no:randomly", str(sub / "test_cmd.yaml"))
    result.assert_outcomes(passed=2, warnings=1)
    assert (
        f"  {sub / 'test_cmd.yaml'}:6: DeprecationWarning: An older scenario names the audit from the working "
        "directory: args[3]: 'sub/audit.yaml' is found from the working directory, not the scenario file's folder; "
        "paths relative to the working directory are deprecated; use the path relative to the scenario file: "
        "'audit.yaml'"
    ) in result.stdout.lines


# --------------------------------------------------------------------------- names cannot forge output lines


def test_control_characters_in_a_name_are_escaped_in_its_test_id_and_report(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".yaml",
        test_names=scenario_file(
            f"""\
            - name: "A name\\n::error::forged\\ttab\\u001b[31m"
              audit: {{base: {AUDIT}}}
              expect: {{passed: true}}
            """
        ),
    )
    result = pytester.runpytest("-p", "no:randomly", "-rf")
    result.assert_outcomes(failed=1)
    assert "test_names.yaml: A name\\x0a::error::forged\\x09tab\\x1b[31m" in result.stdout.lines
    assert not any(line.startswith("::error::") or "\x1b" in line for line in result.stdout.lines)
    assert safe_name("a\tb\nc\r\x1b\u202e") == "a\\x09b\\x0ac\\x0d\\x1b\\u202e"


def test_a_name_of_random_control_characters_and_ci_commands_reaches_no_output_raw(pytester: pytest.Pytester) -> None:
    """Names made here of random control, format and line-separator characters around ``::error::`` and
    ``::set-output`` commands: nothing of them reaches pytest's output raw, in verbose mode, the failure report
    or the short summary, for a scenario that fails and one that passes."""
    import json
    import secrets

    controls = [chr(c) for c in (*range(32), 127, *range(0x80, 0xA0))] + ["\u202e", "\u2028", "\u2029", "\u200b"]
    names = []
    for _ in range(2):
        noise = "".join(secrets.choice(controls) for _ in range(12))
        names.append(f"{noise[:6]}\n::error file=x.py,line=1::forged {secrets.token_hex(3)}\r\n::set-output{noise[6:]}")
    pytester.makefile(
        ".yaml",
        test_random_names=scenario_file(
            f"""\
            - name: {json.dumps(names[0])}
              audit: {{base: {AUDIT}}}
              expect: {{passed: true}}
            - name: {json.dumps(names[1])}
              audit: {{base: {AUDIT}}}
              expect: {{passed: false}}
            """
        ),
    )
    result = pytester.runpytest("-p", "no:randomly", "-v", "-rA")
    result.assert_outcomes(failed=1, passed=1)
    text = "\n".join(result.stdout.lines)
    assert not [c for c in text if c in controls and c != "\n"]
    assert not any(line.lstrip().startswith("::") for line in result.stdout.lines)
    assert sum(safe_name(names[0]) in line for line in result.stdout.lines) >= 2  # verbose line, failure, summary
