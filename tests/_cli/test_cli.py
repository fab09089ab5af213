"""The command line, through click's CliRunner: exact output, exit codes, files written whole or not at all."""

from __future__ import annotations

import datetime as dt
import json
import os
from importlib.metadata import version as distribution_version
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from corengine import __version__
from corengine._cli.main import cli
from corengine._views.schema import all_schemas
from tests.helpers import DATA, EXAMPLES, ISOLATED, TEST_STANDARD, golden, headline, run

AUDIT = str(DATA / "audit-basic.yaml")


def with_standard(*args: str) -> list[str]:
    return [*args, "--standard-file", str(TEST_STANDARD)]


def test_version() -> None:
    result = run("--version")
    assert (result.exit_code, result.output) == (
        0,
        f"corengine {__version__}\nplugins:\n  corengine.defaults {__version__} (corengine)\n",
    )


def test_version_lists_the_installed_plugins_one_line_each() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    lines = result.output.splitlines()
    assert (result.exit_code, lines[:2]) == (0, [f"corengine {__version__}", "plugins:"])
    plugins = {line.split()[0]: line for line in lines[2:]}
    assert sorted(plugins) == ["alberta", "bc", "corengine.defaults", "ontario"]
    versions = {name: distribution_version(f"corengine-{name}") for name in ("alberta", "bc", "ontario")}
    assert plugins["alberta"] == f"  alberta {versions['alberta']} (corengine-alberta)"
    assert plugins["bc"] == f"  bc {versions['bc']} (corengine-bc)"
    assert plugins["ontario"] == f"  ontario {versions['ontario']} (corengine-ontario)"


def test_every_command_has_help() -> None:
    for command in (
        "plugins",
        "standards",
        "show",
        "new",
        "validate",
        "score",
        "eligibility",
        "sample",
        "partners",
        "cycle",
    ):
        result = run(command, "--help")
        assert result.exit_code == 0, command
        assert "Usage: " in result.output


def test_score_text_is_pinned() -> None:
    result = run(*with_standard("score", AUDIT))
    assert result.exit_code == 0
    golden("score-basic.txt", result.output)


def test_score_json_has_the_published_shape_and_exact_values() -> None:
    result = run(*with_standard("score", AUDIT, "--format", "json"))
    assert result.exit_code == 0
    data = json.loads(result.output)
    jsonschema.validate(data, all_schemas()["result.schema.json"])
    assert data["standard"] == {"id": "test-basic", "version": "1", "plugin": "<file>", "extends": []}
    assert data["overall"] == {"earned": "55", "available": "70", "percent": 78.57, "percent_exact": "550/7"}
    assert [
        (e["id"], e["earned"], e["available"], e["percent"], e["minimum"], e["passed"]) for e in data["elements"]
    ] == [
        ("1", "25", "30", 83.33, 50.0, True),
        ("2", "30", "40", 75.0, 50.0, True),
    ]
    assert (data["outcome"]["passed"], data["outcome"]["certificate"]) == (False, None)
    golden("score-basic.json", result.output)


def test_same_input_gives_the_same_bytes() -> None:
    first = run(*with_standard("score", AUDIT, "--format", "json")).output
    assert run(*with_standard("score", AUDIT, "--format", "json")).output == first


def test_check_exits_1_when_the_audit_does_not_pass() -> None:
    assert run(*with_standard("score", AUDIT, "--check")).exit_code == 1


def test_dash_reads_the_audit_from_stdin() -> None:
    text = Path(AUDIT).read_text()
    result = run(*with_standard("score", "-", "--format", "json"), input=text)
    assert result.exit_code == 0
    assert json.loads(result.output)["overall"]["earned"] == "55"


def test_validate_says_valid() -> None:
    result = run(*with_standard("validate", AUDIT))
    assert (result.exit_code, result.output) == (0, f"{AUDIT}: valid\n")


def test_new_writes_a_commented_workbook_that_lists_every_question(tmp_path: Path) -> None:
    out = tmp_path / "workbook.yaml"
    result = run(*with_standard("new", "test-basic", "-o", str(out), "--program", "Small"))
    assert result.exit_code == 0
    text = out.read_text()
    golden("new-test-basic-small.yaml", text)
    data = yaml.safe_load(text)
    assert list(data["responses"]) == ["1.1", "1.2", "1.3", "2.1", "2.3"]
    validation = run(*with_standard("validate", str(out)))
    assert validation.exit_code == 2
    assert "employer.name: must not be empty" in validation.stderr
    out.write_text(text.replace('name: ""', 'name: "Filled in"').replace('audit_date: ""', "audit_date: 2026-01-31"))
    validation = run(*with_standard("validate", str(out)))
    assert validation.exit_code == 2
    assert validation.stderr.splitlines()[:2] == [
        f"error: {out}:20: employer.records_months: give the employer's months of health and safety records: the "
        "rules in force (certification from 2000-01-01) need them to grant a certificate",
        f'error: {out}:30: responses["1.1"]: no answer yet: give {{points: N}} with N from 0 to 10',
    ]


FILLED = (
    ('audit_date: ""', "audit_date: 2024-05-10"),
    ("start_date: null", "start_date: 2024-04-01"),
    ("report_date: null", "report_date: 2024-05-20"),
    ("notice_date: null", "notice_date: 2024-03-01"),
    ("interviews_conducted: null", "interviews_conducted: 9"),
    ("sites_visited: null", "sites_visited: 1"),
    ("worksites_visited: []", "worksites_visited: [Main yard]"),
    ('  name: ""\n  workers: null', '  name: "Test Co"\n  workers: 40'),
    ("  sites: null", "  sites: 3"),
    ("records_months: null", "records_months: 12"),
    ("  worksites: []", "  worksites: [Main yard, North shop]"),
    ('  name: ""\n  kind', '  name: "Pat Auditor"\n  kind'),
    ('"1.1": {}', '"1.1": {points: 8}'),
    ('"1.2": {}', '"1.2": {points: 10}'),
    ('"1.3": {}', '"1.3": {interviews: {positive: 7, total: 9}}'),
    ('"2.1": {}', '"2.1": {observations: {positive: 3, total: 3}}'),
    ('"2.3": {}', '"2.3": {documents: {positive: 2, total: 3}}'),
)


def test_new_yaml_shows_every_checked_field_and_validates_once_filled(tmp_path: Path) -> None:
    out = tmp_path / "workbook.yaml"
    assert run(*with_standard("new", "test-basic", "-o", str(out), "--program", "Small")).exit_code == 0
    text = out.read_text()
    data = yaml.safe_load(text)
    optional = ("start_date", "report_date", "notice_date", "interviews_conducted", "sites_visited")
    assert {key: data[key] for key in optional} == dict.fromkeys(optional)
    assert (data["worksites_visited"], data["employer"]["worksites"]) == ([], [])
    assert "start_date: null            # optional: first day of data gathering (YYYY-MM-DD)\n" in text
    for blank_text, filled in FILLED:
        assert blank_text in text, blank_text
        text = text.replace(blank_text, filled, 1)
    out.write_text(text)
    assert run(*with_standard("validate", str(out))).output == f"{out}: valid\n"
    explained = run(*with_standard("explain", str(out))).output
    assert "interviews: 9, under the minimum of 16 for this employer" in explained
    assert "PASS  sites visited: 1, meeting the minimum of 1 for this employer" in explained


def test_yaml_and_xlsx_templates_show_the_same_checked_fields() -> None:
    from corengine._formats.xlsx import AUDIT_FIELDS
    from corengine._formats.yaml_workbook import blank
    from tests.helpers import make_engine

    data = yaml.safe_load(blank(make_engine().standard("test-basic"), "Small"))
    keys = {key for key in data if key != "responses"}
    keys |= {f"{group}.{key}" for group in ("employer", "auditor") for key in data[group]}
    keys -= {"employer", "auditor"}
    xlsx = {key for key, _, _ in AUDIT_FIELDS}
    checked = {"start_date", "report_date", "notice_date", "interviews_conducted", "sites_visited"}
    checked |= {"worksites_visited", "employer.worksites", "audit_date", "employer.records_months"}
    assert checked <= keys <= xlsx


def test_new_never_overwrites_and_leaves_no_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "workbook.yaml"
    out.write_text("mine\n")
    result = run(*with_standard("new", "test-basic", "-o", str(out)))
    assert result.exit_code == 2
    assert result.stderr == f"error: {out}: already exists; choose another name (workbooks are never overwritten)\n"
    assert out.read_text() == "mine\n"
    missing = tmp_path / "no-such-folder" / "w.yaml"
    result = run(*with_standard("new", "test-basic", "-o", str(missing)))
    assert result.exit_code == 2
    assert not missing.parent.exists()
    assert os.listdir(tmp_path) == ["workbook.yaml"]


def test_show_lists_questions_and_the_rules_in_force_on_a_date() -> None:
    result = run(*with_standard("show", "test-basic", "--on", "2020-06-01"))
    assert result.exit_code == 0
    golden("show-test-basic-2020.txt", result.output)
    data = json.loads(run(*with_standard("show", "test-basic", "--on", "2024-01-01", "--format", "json")).output)
    assert [(r["id"], r["version"]["start"]) for r in data["rules_in_force"]["rules"]] == [
        ("certification", "2000-01-01"),
        ("maintenance", "2000-01-01"),
    ]


def test_a_date_that_does_not_exist_is_a_usage_error() -> None:
    result = run(*with_standard("show", "test-basic", "--on", "2023-02-29"))
    assert result.exit_code == 2
    assert "expected a date as YYYY-MM-DD that exists, not '2023-02-29'" in result.stderr


def test_an_unknown_standard_is_one_line_and_exit_2() -> None:
    result = run("show", "nope")
    assert (result.exit_code, result.stderr) == (2, "error: unknown standard 'nope' (installed: none)\n")


def test_standards_json_lists_the_required_fields() -> None:
    data = json.loads(run(*with_standard("standards", "--format", "json")).output)
    assert data == [
        {
            "id": "test-basic",
            "title": "Test standard (core tests only)",
            "province": "ZZ",
            "partner": None,
            "program": ["Large", "Small"],
            "version": "1",
            "extends": None,
            "reference_document": True,
        }
    ]


def test_sample_through_the_cli() -> None:
    result = run(
        *with_standard("sample", "--standard", "test-basic", "--workers", "50", "--sites", "9", "--format", "json")
    )
    data = json.loads(result.output)
    assert (data["interviews_minimum"], data["sites_minimum"], data["questionnaires_maximum"]) == (19, 3, 9)


def test_eligibility_needs_a_size() -> None:
    result = run("eligibility", "--province", "AB")
    assert result.exit_code == 2
    assert "give --employees, --fte, --payroll-hours or --certification" in result.stderr


def test_plugins_lists_the_core_defaults_with_their_hooks() -> None:
    data = json.loads(run("plugins", "--format", "json").output)
    assert data == [
        {
            "name": "corengine.defaults",
            "version": __version__,
            "distribution": "corengine",
            "hooks": [
                "corengine_check_eligibility",
                "corengine_decide_outcome",
                "corengine_plan_sample",
                "corengine_register_scoring_methods",
            ],
            "standards": [],
        }
    ]


def test_debug_shows_the_traceback_for_bug_reports() -> None:
    result = CliRunner().invoke(cli, ["--debug", "show", "nope"], env=ISOLATED)
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "UnknownStandardError"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cycle_reports_missed_maintenance_and_unvisited_sites(tmp_path: Path, fmt: str) -> None:
    base = yaml.safe_load(Path(AUDIT).read_text())
    base["employer"]["worksites"] = ["North yard", "South yard"]
    base["responses"].update(
        {"1.1": {"points": 10}, "2.2": {"points": 10}, "2.3": {"documents": {"positive": 3, "total": 3}}}
    )
    base["worksites_visited"] = ["North yard"]
    cert = tmp_path / "2024.yaml"
    cert.write_text(yaml.safe_dump(base))
    maintenance = dict(base, audit_type="maintenance", audit_date="2025-05-02", start_date="2025-04-20")
    maintenance["worksites_visited"] = ["North yard"]
    (tmp_path / "2025.yaml").write_text(yaml.safe_dump(maintenance))
    audits = (str(cert), str(tmp_path / "2025.yaml"))
    result = run(*with_standard("cycle", *audits, "--on", "2026-06-01", "--format", fmt))
    assert result.exit_code == 0
    # Issue 25 item 4: a missed maintenance audit cancels the certificate and ends its cycle; the headline and the
    # JSON say so (no valid_until for it), and no worksite is judged after the cancellation.
    if fmt == "json":
        data = json.loads(result.output)
        assert (data["on"], data["complete"], data["certificate"]) == ("2026-06-01", False, "Certificate (3 years)")
        assert (data["state"], data["valid_until"], data["ended"], data["renew_by"]) == (
            "cancelled",
            None,
            "2026-05-31",
            None,
        )
        assert [(d["check"], d["subject"], d["due"], d["state"]) for d in data["deadlines"]] == [
            ("cycle.maintenance", "maintenance", "2025-05-31", "met"),
            ("cycle.maintenance", "maintenance", "2026-05-31", "missed"),
        ]
        assert [(f["check"], f["status"], f["subject"]) for f in data["findings"]] == [
            ("cycle.certificate", "info", "Large"),
            ("cycle.maintenance", "pass", "maintenance"),
            ("cycle.maintenance", "fail", "maintenance"),
            ("cycle.recertification", "info", "recertification"),
        ]
        assert data["findings"][2]["message"] == (
            "no maintenance audit by 2026-05-31: a missed maintenance audit cancels the certificate"
        )
    else:
        assert headline(result.output) == (
            "Cancelled on 2026-06-01: Certificate (3 years) (maintenance by 2026-05-31 missed): 1 met, 1 missed"
        )


def test_cycle_worksites_are_due_by_the_last_valid_day_inclusive(tmp_path: Path) -> None:
    """One date convention (issue 25 item 4): "valid until" is the last valid day, and every deadline at the
    certificate's end is that same day (no "valid until 2027-05-10" beside "cycle ends 2027-05-09")."""
    base = yaml.safe_load(Path(AUDIT).read_text())
    base["employer"]["worksites"] = ["North yard", "South yard"]
    base["responses"].update(
        {"1.1": {"points": 10}, "2.2": {"points": 10}, "2.3": {"documents": {"positive": 3, "total": 3}}}
    )
    base["worksites_visited"] = ["North yard"]
    cert = tmp_path / "2024.yaml"
    cert.write_text(yaml.safe_dump(base))
    result = run(*with_standard("cycle", str(cert), "--on", "2024-06-01", "--format", "json"))
    data = json.loads(result.output)
    assert (data["state"], data["valid_until"], data["renew_by"]) == ("current", "2027-05-10", "2027-05-10")
    assert [(d["subject"], d["due"], d["state"]) for d in data["deadlines"] if d["check"] == "cycle.worksites"] == [
        ("North yard", "2027-05-10", "met"),
        ("South yard", "2027-05-10", "due"),
    ]
    south = next(f for f in data["findings"] if f["subject"] == "South yard")
    assert south["message"] == (
        "worksite 'South yard' has not been covered by an audit in this cycle yet (valid until 2027-05-10)"
    )


@pytest.mark.parametrize(
    ("on", "code", "head"),
    [
        ("2025-01-15", 0, "Cycle on track on 2025-01-15: 2 due, 1 upcoming"),
        ("2025-05-31", 0, "Cycle on track on 2025-05-31: 2 due, 1 upcoming"),
        (
            "2025-06-01",
            1,
            "Cancelled on 2025-06-01: Certificate (3 years) (maintenance by 2025-05-31 missed): 1 missed",
        ),
    ],
)
def test_cycle_check_exits_1_only_once_a_deadline_is_missed(tmp_path: Path, on: str, code: int, head: str) -> None:
    base = yaml.safe_load(Path(AUDIT).read_text())
    base["employer"]["worksites"] = ["North yard"]
    base["responses"].update(
        {"1.1": {"points": 10}, "2.2": {"points": 10}, "2.3": {"documents": {"positive": 3, "total": 3}}}
    )
    cert = tmp_path / "2024.yaml"
    cert.write_text(yaml.safe_dump(base))
    result = run(*with_standard("cycle", str(cert), "--on", on, "--check"))
    assert (result.exit_code, headline(result.output)) == (code, head)


def test_lazy_commands_are_listed_and_resolve_to_their_modules() -> None:
    from corengine._cli.main import LAZY_COMMANDS

    result = run("--help")
    for name in LAZY_COMMANDS:
        assert f"  {name} " in result.output
        assert run(name, "--help").exit_code == 0


def test_strict_makes_advisories_decisive_and_the_json_says_so() -> None:
    example = str(EXAMPLES / "ontario-internal-fail.yaml")
    lenient = CliRunner().invoke(cli, ["score", example, "--check", "--format", "json"])
    assert lenient.exit_code == 0, lenient.output
    data = json.loads(lenient.output)["outcome"]
    assert (data["passed"], data["strict"], data["advisories"]) == (True, False, 3)
    assert [(f["check"], f["subject"]) for f in data["reasons"] if f["status"] == "advisory"] == [
        ("internal-gate.overall_minimum", ""),
        ("internal-gate.element_minimum", "9"),
        ("internal-gate.mandatory_full_marks", "10.1.2"),
    ]
    strict = CliRunner().invoke(cli, ["score", example, "--check", "--strict", "--format", "json"])
    assert strict.exit_code == 1, strict.output
    data = json.loads(strict.output)["outcome"]
    assert (data["passed"], data["strict"], data["advisories"], data["certificate"]) == (False, True, 0, None)
    text = CliRunner().invoke(cli, ["score", example])
    assert "Outcome: PASSED subject to 3 advisory finding(s) — External audit authorised" in text.output


def test_eligibility_says_per_program_whether_an_audit_may_start_and_the_headline_agrees() -> None:
    args = ["eligibility", "--province", "AB", "--employees", "5", "--records-months", "1", "--on", "2024-06-01"]
    data = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).output)
    assert [(p["program"], p["size"], p["may_start"], p["eligible"]) for p in data["programs"]] == [
        ("SECOR", "pass", "fail", False),
        ("COR", "fail", "info", False),
    ]
    assert data["headline"] == "AB: SECOR by size, but an audit may not start yet"
    text = CliRunner().invoke(cli, args).output
    assert text.splitlines()[0] == data["headline"]
    assert "eligible" not in text.splitlines()[0]
    ok = CliRunner().invoke(cli, ["eligibility", "--province", "AB", "--employees", "5", "--records-months", "12"])
    assert ok.output.splitlines()[0] == "AB: eligible for SECOR: an audit may start"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("ab-pir",),
            "ab-pir has no questions for program COR (it holds rules only), so a workbook from it could never be "
            "scored; use ab-acsa-cor, ab-esc-cor",
        ),
        (
            ("ab-pir", "--program", "SECOR"),
            "ab-pir has no questions for program SECOR (it holds rules only), so a workbook from it could never be "
            "scored; use ab-acsa-secor",
        ),
        (
            ("on-ihsa-cor2015",),
            "on-ihsa-cor2015 has no questions for program COR (it holds rules only), so a workbook from it could "
            "never be scored; use on-ihsa-cor2020",
        ),
    ],
)
@pytest.mark.parametrize("ending", ["yaml", "xlsx"])
def test_new_refuses_a_rules_only_standard_naming_those_to_use(
    args: tuple[str, ...], message: str, ending: str, tmp_path: Path
) -> None:
    out = tmp_path / f"workbook.{ending}"
    result = CliRunner().invoke(cli, ["new", *args, "-o", str(out)])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {message}\n")
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("command", ["validate", "score"])
def test_an_audit_dated_after_today_is_a_warning(command: str, fmt: str, tmp_path: Path) -> None:
    path = tmp_path / "future.yaml"
    path.write_text(Path(AUDIT).read_text().replace("audit_date: 2024-05-10", "audit_date: 2042-05-10"))
    result = run(*with_standard(command, str(path), "--format", fmt))
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"warning: {path}:3: audit_date: 2042-05-10 is after today ({dt.date.today().isoformat()}); an audit is "
        "dated by its last day of on-site work, which has happened\n"
    )
    assert run(*with_standard(command, AUDIT, "--format", fmt)).stderr == ""
