"""``corengine plugin check`` reports every problem of every standard file in one run, by file then line.

A standard that does not load used to stop the check at the first class of problem (what the model refuses,
then unknown evidence kinds, then unknown scoring methods, then the conventions): a partner needed four runs to
see six mistakes. Each check now runs on whatever of the file did structure, and a finding that could come only
from a part that did not is left out rather than reported twice or wrongly."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from attrs import frozen

from corengine import Engine
from corengine._host.manager import ONLY_ENV
from corengine._kit.check import check, check_engine
from corengine.errors import InputError
from corengine.model import Jurisdiction, Standard
from corengine.model.converter import load_file
from corengine.plugin import DataFile, DataPlugin, hookimpl
from tests.helpers import ROOT, invoke


def scaffold(tmp_path: Path) -> tuple[Path, Path]:
    """A fresh ``corengine plugin new yukon`` package and its standard file."""
    code, _, err = invoke("plugin", "new", "yukon", "-o", str(tmp_path))
    assert (code, err) == (0, "")
    package = tmp_path / "corengine-yukon"
    (standard,) = sorted(package.glob("src/*/data/standards/*.yaml"))
    return package, standard


def edit(path: Path, *changes: tuple[str, str]) -> str:
    """Apply each (old, new) replacement, each old text found exactly once; returns the new text."""
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def _unplaced(row: str) -> str:
    """A problem line without its file and line number."""
    return row.split(": ", 1)[1]


def line_of(text: str, needle: str, after: str = "") -> int:
    """The 1-based line of the first line holding ``needle`` (past the first line holding ``after``)."""
    rows = text.splitlines()
    start = next(i for i, row in enumerate(rows) if after in row) if after else 0
    return next(i for i, row in enumerate(rows[start:], start + 1) if needle in row)


PLACEHOLDER = "a placeholder source from the scaffold; cite the public page"
AUDIT_DOCUMENT = ("reference[0]", "https://example.org/yukon/audit-document")
PASS_MARKS = ("rules[0].versions[0].reference[0]", "https://example.org/yukon/pass-marks")
SAMPLING = ("sampling.interviews[0].reference[0]", "https://example.org/yukon/sampling")


def placeholders(path: Path, text: str, *found: tuple[str, str]) -> list[str]:
    """The warning lines of placeholder sources: each (path inside the file, address), on the address's line."""
    lines = [i for i, row in enumerate(text.splitlines(), 1) if "example.org" in row and not row.startswith("#")]
    assert len(lines) == len(found)
    return [f"{path}:{line}: warning: {at}: {url}: {PLACEHOLDER}" for line, (at, url) in zip(lines, found, strict=True)]


THEMES = (
    "policy-leadership, hazard-assessment, hazard-control, inspections, training-orientation, emergency-response, "
    "incident-investigation, records-statistics, committees-representatives, contractors-procurement, legislation, "
    "management-review-change, ppe, preventive-maintenance, company-rules"
)

Q1 = '"1"'
Q22 = 'id: "2.2"'
NO_EXPECTS = '{q} declares no expected evidence (expects; docs/plugins.md, "Data: expected evidence")'

SIX_ERRORS = (
    # 1. an unknown theme
    ("themes: [hazard-assessment]", "themes: [hazard-assesment]"),
    # 2. a rule version without its reference and confidence
    ("        reference: [https://example.org/yukon/pass-marks]\n        confidence: M\n", ""),
    # 3. an unknown evidence kind
    ("{kind: policy, about:", "{kind: polcy, about:"),
    # 4. an unknown scoring method
    (
        "        methods: [D, O]\n        scoring: {method: awarded,",
        "        methods: [D, O]\n        scoring: {method: awardd,",
    ),
    # 5. a question without expects
    (
        "        evidence: [dated reviews of the hazard assessments]\n"
        "        expects:\n"
        '          - {kind: hazard-assessment, within_months: 12, about: "reviewed in the last 12 months"}\n',
        "        evidence: [dated reviews of the hazard assessments]\n",
    ),
    # 6. a sampling table with a gap (10-11)
    (
        "          - {certificate: COR (3 years), months: 36}\n",
        "          - {certificate: COR (3 years), months: 36}\n"
        "sampling:\n"
        "  interviews:\n"
        "    - start: 2020-01-01\n"
        "      reference: [https://example.org/yukon/sampling]\n"
        "      confidence: M\n"
        "      rows:\n"
        "        - {min: 1, max: 9, value: all}\n"
        '        - {min: 12, value: "10"}\n',
    ),
)


def test_six_mistakes_of_six_kinds_are_reported_in_one_run(tmp_path: Path) -> None:
    package, path = scaffold(tmp_path)
    assert invoke("plugin", "check", str(package))[0] == 0
    text = edit(path, *SIX_ERRORS)
    code, out, err = invoke("plugin", "check", str(package))
    version = line_of(text, "- start: 2024-01-01", after="rules:")
    assert (code, err) == (2, "")
    assert out.splitlines() == [
        f"{path}:{line_of(text, 'kind: polcy')}: elements[0].questions[0].expects[0].kind: unknown evidence kind "
        "'polcy' (did you mean 'policy'? `corengine map STANDARD --vocabulary` lists them)",
        f"{path}:{line_of(text, 'hazard-assesment')}: elements[1].themes: unknown theme 'hazard-assesment' "
        f"(themes: {THEMES})",
        f"{path}:{line_of(text, 'awardd')}: elements[1].questions[0].scoring.method: unknown scoring method "
        "'awardd' (did you mean 'awarded'? registered: all_or_nothing, awarded, range)",
        f"{path}:{line_of(text, Q22)}: elements[1].questions[1].expects: " + NO_EXPECTS.format(q="question 2.2"),
        f"{path}:{version}: rules[0].versions[0].reference: required key is missing",
        f"{path}:{version}: rules[0].versions[0].confidence: required key is missing",
        f"{path}:{line_of(text, 'min: 12')}: sampling.interviews[0].rows[1]: gap: no row for 10-11 "
        "(between rows 1-9 and 12-)",
        *placeholders(path, text, AUDIT_DOCUMENT, SAMPLING),
        f"{package}: 1 standard checked, 7 problems, 2 warnings",
    ]
    # the element whose theme is unknown is not also said to name none
    assert "names no theme" not in out
    # the same problems, in the same order, for programs
    code, out, _ = invoke("plugin", "check", str(package), "--format", "json")
    report = json.loads(out)
    assert (code, report["clean"], report["standards"]) == (2, False, ["yu-yukon-cor"])
    assert [(p["line"], p["path"]) for p in report["problems"]] == [
        (line_of(text, "kind: polcy"), "elements[0].questions[0].expects[0].kind"),
        (line_of(text, "hazard-assesment"), "elements[1].themes"),
        (line_of(text, "awardd"), "elements[1].questions[0].scoring.method"),
        (line_of(text, Q22), "elements[1].questions[1].expects"),
        (version, "rules[0].versions[0].reference"),
        (version, "rules[0].versions[0].confidence"),
        (line_of(text, "min: 12"), "sampling.interviews[0].rows[1]"),
    ]


def test_each_mistake_fixed_leaves_the_others_reported(tmp_path: Path) -> None:
    """Fixing the model's complaints does not surface anything new: everything was already reported."""
    package, path = scaffold(tmp_path)
    edit(path, *SIX_ERRORS)
    first = invoke("plugin", "check", str(package))[1].splitlines()
    edit(
        path,
        ("themes: [hazard-assesment]", "themes: [hazard-assessment]"),
        ("      - start: 2024-01-01\n", "      - start: 2024-01-01\n        reference: [x]\n        confidence: M\n"),
    )
    code, out, _ = invoke("plugin", "check", str(package))
    assert code == 2
    assert out.splitlines()[-1] == f"{package}: 1 standard checked, 4 problems, 2 warnings"
    # the same problems as before, less those fixed (lines below the added ones have moved)
    assert [_unplaced(row) for row in out.splitlines()[:-1]] == [
        _unplaced(row) for row in first[:-1] if "themes" not in row and "required key" not in row
    ]


def test_a_wrong_type_still_lets_every_independent_check_run(tmp_path: Path) -> None:
    """A field that cannot be read is reported; the object holding it is checked with the field's default (or
    left out, when the field is required), and no check reports what could come only from the unread field."""
    package, path = scaffold(tmp_path)
    text = edit(
        path,
        # the top level's title missing: the rest of the file is still checked
        ("title: Yukon COR audit document\n", ""),
        # a required field of the wrong type: question 1.1 cannot be built, so it is left out of later checks
        ("responsibilities.\n        points: 10\n", "responsibilities.\n        points: ten\n"),
        ("{kind: policy, about:", "{kind: polcy, about:"),  # in question 1.1: not checked
        # an element's themes unreadable: reported once, not also as "names no theme"
        ("themes: [policy-leadership]", "themes: [policy-leadership, 7]"),
        # an optional field of the wrong type: question 1.2 is checked with its default
        (
            "        methods: [I]\n        scoring: {method: range, tally: interviews}\n",
            "        methods: [I]\n        na_allowed: yes\n        scoring: {method: rnage, tally: interviews}\n",
        ),
        # an expectation whose kind is unreadable: not also "verified by D but expects no document"
        ('{kind: hazard-assessment, within_months: 12, about: "every', '{kind: [hazard-assessment], about: "every'),
        ("methods: [D, O]\n        scoring: {method: awarded,", "methods: [D, O]\n        scoring: {method: awardd,"),
        # a question with an unknown theme of its own and an empty expects: both reported
        (
            '        expects:\n          - {kind: hazard-assessment, within_months: 12, about: "reviewed in the last 12 months"}\n',
            "        expects: []\n        themes: [ppe, hazrd]\n",
        ),
        # a table whose row is unreadable (no gap claimed), and one with a real gap
        (
            "          - {certificate: COR (3 years), months: 36}\n",
            "          - {certificate: COR (3 years), months: 36}\n"
            "sampling:\n"
            "  interviews:\n"
            "    - start: 2020-01-01\n"
            "      reference: [https://example.org/yukon/sampling]\n"
            "      confidence: M\n"
            "      rows:\n"
            "        - {min: 1, max: nine, value: all}\n"
            '        - {min: 12, value: "10"}\n'
            "  sites:\n"
            "    - start: 2020-01-01\n"
            "      reference: [https://example.org/yukon/sampling]\n"
            "      confidence: M\n"
            "      rows:\n"
            "        - {min: 0, max: 2, value: all}\n"
            "        - {min: 5, value: ask}\n",
        ),
    )
    code, out, _ = invoke("plugin", "check", str(package))
    assert code == 2
    assert out.splitlines() == [
        f"{path}:{line_of(text, 'id: yu-yukon-cor')}: title: required key is missing",
        f"{path}:{line_of(text, 'policy-leadership, 7')}: elements[0].themes: item 1: expected text, not 7",
        f"{path}:{line_of(text, 'points: ten')}: elements[0].questions[0].points: expected a number such as 10, "
        "7.5 or 7/10, not 'ten'",
        f"{path}:{line_of(text, 'na_allowed: yes')}: elements[0].questions[1].na_allowed: expected true or false, "
        "not 'yes' (write true or false: yes, no, on and off are text)",
        f"{path}:{line_of(text, 'rnage')}: elements[0].questions[1].scoring.method: unknown scoring method 'rnage' "
        "(did you mean 'range'? registered: all_or_nothing, awarded, range)",
        f"{path}:{line_of(text, 'awardd')}: elements[1].questions[0].scoring.method: unknown scoring method "
        "'awardd' (did you mean 'awarded'? registered: all_or_nothing, awarded, range)",
        f"{path}:{line_of(text, '[hazard-assessment], about')}: elements[1].questions[0].expects[0].kind: expected "
        "text, not ['hazard-assessment'] (quote it)",
        f"{path}:{line_of(text, 'expects: []')}: elements[1].questions[1].expects: "
        + NO_EXPECTS.format(q="question 2.2"),
        f"{path}:{line_of(text, 'hazrd')}: elements[1].questions[1].themes: unknown theme 'hazrd' (themes: {THEMES})",
        f"{path}:{line_of(text, 'max: nine')}: sampling.interviews[0].rows[0].max: expected a whole number, not 'nine'",
        f"{path}:{line_of(text, 'min: 5')}: sampling.sites[0].rows[1]: gap: no row for 3-4 (between rows 0-2 and 5-)",
        *placeholders(
            path, text, AUDIT_DOCUMENT, PASS_MARKS, SAMPLING, ("sampling.sites[0].reference[0]", SAMPLING[1])
        ),
        f"{package}: 1 standard checked, 11 problems, 4 warnings",
    ]


# --------------------------------------------------------------------------- overlays and their bases

BASE = """\
id: zz-base
title: A base with mistakes of two classes
version: "1"
jurisdiction: ZZ
programs: [COR]
evidence_kinds:
  - {id: site-diary, title: Site diary, description: The daily site diary., form: record}
elements:
  - id: "1"
    title: Policy
    themes: [policy-leadership]
    questions:
      - {id: "1.1", text: A policy exists, points: 10, methods: [D], expects: [{kind: policy}], scoring: awardd}
rules:
  - id: certification
    title: Certification
    audit_types: [certification]
    versions:
      - start: 2000-01-01
        reference: [https://example.org/rules]
        confidence: H
        overall_minimum: 80
        element_minimum: 50
"""

OVERLAY = """\
id: zz-overlay
title: An overlay with mistakes of its own
version: "1"
jurisdiction: ZZ
programs: [COR]
extends: zz-base
elements:
  - id: "2"
    title: Hazards
    themes: [hazard-assessment]
    questions:
      - {id: "2.1", text: Hazards assessed, points: ten, methods: [D], expects: [{kind: site-diary}]}
      - {id: "2.2", text: Hazards reviewed, points: 10, methods: [D], expects: [{kind: site-diary, months: 3}]}
      - {id: "2.3", text: Controls in place, points: 10, methods: [D, O], expects: [{kind: site-dairy}]}
overrides:
  - {rule: certificaton, start: 2000-01-01, values: {overall_minimum: 75}, reference: [x], confidence: M}
  - {rule: certification, start: 2001-01-01, values: {overall_minimum: 75}, reference: [x], confidence: M}
"""


def test_an_overlay_and_its_base_are_each_reported_in_full_once(tmp_path: Path) -> None:
    base, overlay = tmp_path / "zz-base.yaml", tmp_path / "zz-overlay.yaml"
    base.write_text(BASE, encoding="utf-8")
    overlay.write_text(OVERLAY, encoding="utf-8")
    code, out, err = invoke("plugin", "check", str(tmp_path))
    assert (code, err) == (2, "")
    assert out.splitlines() == [
        # the base's mistake, once, though both standards load it
        f"{base}:13: elements[0].questions[0].scoring.method: unknown scoring method 'awardd' (did you mean "
        "'awarded'? registered: all_or_nothing, awarded, range)",
        f"{overlay}:12: elements[0].questions[0].points: expected a number such as 10, 7.5 or 7/10, not 'ten'",
        # checked against what could be read of the base: its own kind is known, a misspelling of it is not
        f"{overlay}:14: elements[0].questions[2].expects[0].kind: unknown evidence kind 'site-dairy' (did you mean "
        "'site-diary'? `corengine map STANDARD --vocabulary` lists them)",
        f"{overlay}:14: elements[0].questions[2].expects: question 2.3 is verified by O but expects no observation "
        "(observe: ...)",
        # loading stops at the first override without a target; the check reports both
        f"{overlay}:16: overrides[0].rule: no rule 'certificaton' to override (rules: certification)",
        f"{overlay}:17: overrides[1].start: rule 'certification' has no version starting 2001-01-01 (versions "
        "start: 2000-01-01)",
        *placeholders(base, BASE, ("rules[0].versions[0].reference[0]", "https://example.org/rules")),
        f"{tmp_path}: 2 standards checked, 6 problems, 1 warning",
    ]


def test_a_base_whose_evidence_kinds_cannot_be_read_does_not_make_the_overlays_kinds_unknown(tmp_path: Path) -> None:
    base, overlay = tmp_path / "zz-base.yaml", tmp_path / "zz-overlay.yaml"
    base.write_text(BASE.replace("form: record", "form: diary"), encoding="utf-8")
    overlay.write_text(OVERLAY.replace("site-dairy", "site-diary"), encoding="utf-8")
    code, out, _ = invoke("plugin", "check", str(tmp_path))
    assert code == 2
    assert "site-diary" not in out.replace(f"{base}:7:", "")  # only the base's own line names it
    assert f"{base}:7: evidence_kinds[0].form: must be one of document, record, not 'diary'" in out.splitlines()
    assert out.splitlines()[-1] == f"{tmp_path}: 2 standards checked, 6 problems, 1 warning"


def test_a_misspelt_key_is_reported_once_not_also_as_the_field_it_meant(tmp_path: Path) -> None:
    package, path = scaffold(tmp_path)
    text = edit(
        path,
        ("        expects:\n          - {kind: policy,", "        expect:\n          - {kind: polcy,"),
        ('version: "1"\n', 'version: "1"\nextend: zz\n'),  # the base unknown: its kinds are not taken for unknown
    )
    code, out, _ = invoke("plugin", "check", str(package))
    keys = (
        "id, title, version, jurisdiction, programs, partner, extends, audit_types, reference_document, "
        "description, reference, elements, rules, sampling, overrides, evidence_kinds, expects_note, score_rules, prerequisites, "
        "partner_cycles, program_names"
    )
    assert code == 2
    assert out.splitlines() == [
        f"{path}:{line_of(text, 'extend: zz')}: extend: unknown key (did you mean 'extends'? expected one of: "
        + keys
        + ")",
        f"{path}:{line_of(text, 'kind: polcy')}: elements[0].questions[0].expect: unknown key (did you mean 'expects'? "
        "expected one of: id, text, points, methods, scoring, na_allowed, mandatory, programs, evidence, guidance, "
        "expects, themes)",
        *placeholders(path, text, AUDIT_DOCUMENT, PASS_MARKS),
        f"{package}: 1 standard checked, 2 problems, 2 warnings",
    ]


def test_standards_extending_each_other_are_named_as_loading_names_them(tmp_path: Path) -> None:
    first, second = tmp_path / "zz-a.yaml", tmp_path / "zz-b.yaml"
    head = 'title: T\nversion: "1"\njurisdiction: ZZ\nprograms: [COR]\n'
    question = "{id: '1.1', text: Q, points: 1}"
    first.write_text(f"id: zz-a\n{head}extends: zz-b\nelements:\n  - {{id: '1', title: E, questions: [{question}]}}\n")
    second.write_text(f"id: zz-b\n{head}extends: zz-a\nsampling: {{sites: [{{start: 2020-01-01}}]}}\n")
    code, out, _ = invoke("plugin", "check", str(tmp_path))
    assert code == 2
    assert out.splitlines() == [
        f"{first}:6: extends: standards extend each other in a loop: zz-a -> zz-b -> zz-a",
        # the checks that need no base still run
        f"{first}:8: elements[0].themes: element 1 names no theme (give the element, or each question, themes; "
        'docs/plugins.md, "Data: expected evidence")',
        f"{first}:8: elements[0].questions[0].expects: " + NO_EXPECTS.format(q="question 1.1"),
        f"{second}:6: extends: standards extend each other in a loop: zz-b -> zz-a -> zz-b",
        f"{second}:7: sampling.sites[0].reference: required key is missing",
        f"{second}:7: sampling.sites[0].confidence: required key is missing",
        f"{tmp_path}: 2 standards checked, 6 problems",
    ]


def test_repeated_element_ids_leave_the_rest_checked(tmp_path: Path) -> None:
    package, path = scaffold(tmp_path)
    text = edit(path, ('  - id: "2"\n', '  - id: "1"\n'), ("{kind: policy,", "{kind: polcy,"))
    code, out, _ = invoke("plugin", "check", str(package))
    assert code == 2
    assert out.splitlines() == [
        f"{path}:{line_of(text, 'id: ' + Q1)}: elements: id '1' appears twice",
        f"{path}:{line_of(text, 'polcy')}: elements[0].questions[0].expects[0].kind: unknown evidence kind 'polcy' "
        "(did you mean 'policy'? `corengine map STANDARD --vocabulary` lists them)",
        *placeholders(path, text, AUDIT_DOCUMENT, PASS_MARKS),
        f"{package}: 1 standard checked, 2 problems, 2 warnings",
    ]


def test_a_file_that_cannot_be_read_as_a_standard_is_reported_as_loading_reports_it(tmp_path: Path) -> None:
    path = tmp_path / "zz-bad.yaml"
    for text in ("id: [unclosed\n", "- a list\n"):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as loading:
            load_file(path, Standard)
        code, out, _ = invoke("plugin", "check", str(path))
        assert (code, out.splitlines()[:-1]) == (2, [str(p) for p in loading.value.problems])


def test_a_repeated_key_or_a_refused_value_is_reported_with_the_rest(tmp_path: Path) -> None:
    """Loading stops at a key given twice or a value the reader refuses (``.nan``); the check reports it once,
    with everything else."""
    path = tmp_path / "zz-bad.yaml"
    path.write_text(
        'id: zz-bad\nid: again\ntitle: .nan\nversion: "1"\njurisdiction: ZZ\nprograms: [COR]\n'
        "elements: [{id: '1', title: E, questions: [{id: '1.1', text: Q, points: 1}]}]\n"
    )
    with pytest.raises(InputError) as loading:
        load_file(path, Standard)
    assert [str(p) for p in loading.value.problems] == [
        f"{path}:2: duplicate key 'id' (first given on line 1)",
        f"{path}:3: title: .nan is not a number corengine reads (no infinities or NaN); write a number, or quote it "
        "as text",
    ]
    code, out, _ = invoke("plugin", "check", str(path))
    assert (code, out.splitlines()) == (
        2,
        [
            *(str(p) for p in loading.value.problems),
            f"{path}:7: elements[0].themes: element 1 names no theme (give the element, or each question, themes; "
            'docs/plugins.md, "Data: expected evidence")',
            f"{path}:7: elements[0].questions[0].expects: " + NO_EXPECTS.format(q="question 1.1"),
            f"{path}: 1 standard checked, 4 problems",
        ],
    )


def test_an_overlay_whose_base_is_unknown_is_checked_for_all_that_needs_no_base(tmp_path: Path) -> None:
    """Its evidence kinds (the base may declare them), overrides and replacements need the base; the rest does
    not. Loading reports the unknown base alone."""
    overlay = tmp_path / "zz-overlay.yaml"
    overlay.write_text(OVERLAY, encoding="utf-8")
    edit(
        overlay,
        (
            "methods: [D], expects: [{kind: site-diary, months",
            "methods: [D], scoring: awardd, expects: [{kind: site-diary, months",
        ),
    )
    code, out, _ = invoke("plugin", "check", str(overlay))
    assert code == 2
    assert out.splitlines()[1:] == [
        f"{overlay}:12: elements[0].questions[0].points: expected a number such as 10, 7.5 or 7/10, not 'ten'",
        f"{overlay}:13: elements[0].questions[1].scoring.method: unknown scoring method 'awardd' (did you mean "
        "'awarded'? registered: all_or_nothing, awarded, range)",
        f"{overlay}:14: elements[0].questions[2].expects: question 2.3 is verified by O but expects no observation "
        "(observe: ...)",
        f"{overlay}: 1 standard checked, 4 problems",
    ]
    assert out.startswith(f"{overlay}:6: extends: unknown standard 'zz-base' (installed: ")


# --------------------------------------------------------------------------- data files and warnings

REFUND = '''

@frozen
class Refund:
    """The plugin's own data file."""

    rate: int
    reference: tuple[str, ...] = ()


PACKAGE.declare("refund.yaml", Refund)
'''


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``corengine plugin new zzland``, installed as a distribution on ``sys.path`` (entry point ``zzland``, the
    only plugin loaded) with a data file of its own declared: ``data/refund.yaml``, read into ``Refund``."""
    code, _, err = invoke("plugin", "new", "zzland", "-o", str(tmp_path))
    assert (code, err) == (0, "")
    package = tmp_path / "corengine-zzland"
    source = package / "src"
    module = source / "corengine_zzland" / "plugin.py"
    edit(
        module,
        (
            "from corengine.plugin import data_plugin\n",
            "from attrs import frozen\n\nfrom corengine.plugin import data_plugin\n",
        ),
    )
    module.write_text(module.read_text(encoding="utf-8") + REFUND, encoding="utf-8")
    (source / "corengine_zzland" / "data" / "refund.yaml").write_text(
        "rate: 5\nreference: [https://www.gov.example/refund]\n", encoding="utf-8"
    )
    info = source / "corengine_zzland-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: corengine-zzland\nVersion: 0.1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[corengine]\nzzland = corengine_zzland.plugin\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(source))
    monkeypatch.setenv(ONLY_ENV, "zzland")
    importlib.invalidate_caches()
    yield package
    sys.modules.pop("corengine_zzland.plugin", None)
    sys.modules.pop("corengine_zzland", None)


@frozen
class _Refund:
    rate: int


def _data(package: Path) -> Path:
    return package / "src" / "corengine_zzland" / "data"


def _scaffold_warnings(package: Path) -> list[str]:
    """The four placeholder warnings of a fresh ``zzland`` scaffold: two in its standard, two in its jurisdiction."""
    data = _data(package)
    standard, jurisdiction = data / "standards" / "zz-zzland-cor.yaml", data / "zzland.yaml"
    return [
        f"{standard}:9: warning: reference[0]: https://example.org/zzland/audit-document: {PLACEHOLDER}",
        f"{standard}:61: warning: rules[0].versions[0].reference[0]: https://example.org/zzland/pass-marks: "
        f"{PLACEHOLDER}",
        f"{jurisdiction}:8: warning: eligibility[0].reference[0]: https://example.org/zzland/eligibility: {PLACEHOLDER}",
        f"{jurisdiction}:16: warning: partners[0].reference[0]: https://example.org/zzland/partner: {PLACEHOLDER}",
    ]


def test_an_installed_scaffold_has_its_jurisdiction_and_declared_data_files_read_and_is_clean(installed: Path) -> None:
    code, out, err = invoke("plugin", "check", "zzland")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        *_scaffold_warnings(installed),
        "zzland: 1 standard and 2 data files checked, clean, 4 warnings",
    ]
    code, out, _ = invoke("plugin", "check", "zzland", "--format", "json")
    report = json.loads(out)
    data = _data(installed)
    assert (code, report["clean"], report["problems"]) == (0, True, [])
    assert report["data_files"] == [str(data / "refund.yaml"), str(data / "zzland.yaml")]
    assert [(w["line"], w["path"]) for w in report["warnings"]] == [
        (9, "reference[0]"),
        (61, "rules[0].versions[0].reference[0]"),
        (8, "eligibility[0].reference[0]"),
        (16, "partners[0].reference[0]"),
    ]


def test_an_invalid_jurisdiction_file_and_a_misspelt_key_in_a_data_file_fail_naming_file_and_line(
    installed: Path,
) -> None:
    data = _data(installed)
    edit(data / "zzland.yaml", ("measure: employees", "measure: staff"))
    edit(data / "refund.yaml", ("rate: 5", "rte: 5"))
    problems = [
        f"{data / 'refund.yaml'}:1: rate: required key is missing",
        f"{data / 'refund.yaml'}:1: rte: unknown key (did you mean 'rate'? expected one of: rate, reference)",
        # once, though both the declared file and the jurisdictions hook report it
        f"{data / 'zzland.yaml'}:10: eligibility[0].measure: must be one of employees, fte, not 'staff'",
    ]
    # by name, by the installed package's folder, and among every installed plugin: the same report
    for target, shown in (
        (["zzland"], "zzland"),
        ([str(installed)], str(installed)),
        ([], "every installed plugin"),
    ):
        assert invoke("plugin", "check", *target) == (
            2,
            "".join(
                f"{row}\n"
                for row in [
                    *problems,
                    *_scaffold_warnings(installed),
                    f"{shown}: 1 standard and 2 data files checked, 3 problems, 4 warnings",
                ]
            ),
            "",
        )
    # one data file by its path
    code, out, _ = invoke("plugin", "check", str(data / "zzland.yaml"))
    assert (code, out.splitlines()) == (
        2,
        [
            problems[2],
            *_scaffold_warnings(installed)[2:],
            f"{data / 'zzland.yaml'}: 0 standards and 1 data file checked, 1 problem, 2 warnings",
        ],
    )


def test_a_plugin_built_by_hand_has_its_declared_files_checked_and_a_jurisdictions_hook_that_fails_is_a_problem(
    tmp_path: Path,
) -> None:
    """Without installing anything: an Engine with plugins given by hand, and :func:`check_engine`. A plugin that
    builds its jurisdictions in code (declaring no file) and stops at a bad one is reported, not a crash."""
    data = tmp_path / "data"
    (data / "standards").mkdir(parents=True)
    (data / "refund.yaml").write_text("rate: five\n", encoding="utf-8")
    (data / "zz.yaml").write_text("code: ZZ\nname: Zedland\nbaseline: 7\n", encoding="utf-8")
    package = DataPlugin(data, (), "data/standards", files={"refund.yaml": _Refund})
    package.name = "by-hand"  # type: ignore[attr-defined]

    class InCode:
        name = "in-code"

        @hookimpl
        def corengine_register_jurisdictions(self) -> list[Jurisdiction]:
            return [load_file(data / "zz.yaml", Jurisdiction)]

    engine = Engine(plugins=[package, InCode()], load_entrypoints=False, environ={})
    report = check_engine(engine, None)
    assert report.data_files == (str(data / "refund.yaml"),)
    assert [str(p) for p in report.problems] == [
        f"{data / 'refund.yaml'}:1: rate: expected a whole number, not 'five'",
        f"{data / 'zz.yaml'}:3: baseline: expected text, not 7 (quote it)",
    ]
    assert (report.clean, report.warnings) == (False, ())
    assert check_engine(engine, "by-hand").problems == report.problems[:1]


def test_a_data_file_is_declared_once_with_one_attrs_class(tmp_path: Path) -> None:
    package = DataPlugin(tmp_path, ("zz.yaml",), "data/standards", files={"refund.yaml": _Refund})
    package.declare("refund.yaml", _Refund)  # again, with the same class: nothing changes
    assert package.data_files() == [
        DataFile(tmp_path / "zz.yaml", Jurisdiction),
        DataFile(tmp_path / "refund.yaml", _Refund),
    ]
    with pytest.raises(ValueError, match=r"^'refund.yaml' is already declared as read into _Refund, not Jurisdiction$"):
        package.declare("refund.yaml", Jurisdiction)
    with pytest.raises(
        ValueError, match=r"^'zz.yaml' is a jurisdiction file \(read as Jurisdiction\); declare only other files$"
    ):
        package.declare("zz.yaml", _Refund)
    with pytest.raises(TypeError, match=r"^cls must be an attrs class, not <class 'dict'>$"):
        package.declare("other.yaml", dict)


def test_the_bundled_plugins_declare_every_data_file_they_load() -> None:
    from tests.helpers import bundled_engine

    names = {(plugin, item.path.name, item.cls.__name__) for plugin, item in bundled_engine().data_files()}
    assert names == {
        ("alberta", "alberta.yaml", "Jurisdiction"),
        ("alberta", "action-plans.yaml", "ActionPlans"),
        ("alberta", "pir-refund.yaml", "RefundRules"),
        ("alberta", "auditors.yaml", "AuditorCurrency"),
        ("alberta", "incentives.yaml", "Incentives"),
        ("bc", "bc.yaml", "Jurisdiction"),
        ("bc", "auditors.yaml", "AuditorCurrency"),
        ("bc", "incentives.yaml", "Incentives"),
        ("bc", "program.yaml", "Program"),
        ("ontario", "ontario.yaml", "Jurisdiction"),
        ("ontario", "requirements.yaml", "Requirements"),
    }
    report = check(None)
    assert (report.clean, report.problems, report.warnings, len(report.data_files)) == (True, (), (), 11)


BC_OVERLAY = """\
id: zz-bc-overlay
title: An overlay whose programs are renamed
version: "1"
jurisdiction: BC
programs: [SECOR, COR]
extends: bc-bccsa-cor
"""


def test_an_overlay_whose_programs_drop_inherited_questions_warns_and_stays_clean(tmp_path: Path) -> None:
    base = load_file(
        ROOT / "plugins" / "bc" / "src" / "corengine_bc" / "data" / "standards" / "bc-bccsa-cor.yaml", Standard
    )
    questions = [q for _, q in base.questions()]
    restricted = [q for q in questions if q.programs]
    assert (len(questions), len(restricted)) == (48, 48)  # every question names its programs
    overlay = tmp_path / "zz-bc-overlay.yaml"
    overlay.write_text(BC_OVERLAY, encoding="utf-8")
    assert invoke("plugin", "check", str(overlay)) == (
        0,
        f"{overlay}:6: warning: extends: 48 of 48 questions inherited from bc-bccsa-cor are answered only in "
        "programs this standard does not have (Large, Small), so no audit of it answers them (its programs: "
        "SECOR, COR); add those programs to programs, map yours onto them with program_names, or restate the elements with each question's programs\n"
        f"{overlay}: 1 standard checked, clean, 1 warning\n",
        "",
    )
    # one of its programs kept: the questions of that program are answered, those of the other alone are not
    edit(overlay, ("programs: [SECOR, COR]", "programs: [Small, COR]"))
    small = [q for q in restricted if "Small" not in q.programs]
    assert invoke("plugin", "check", str(overlay))[1].splitlines()[0] == (
        f"{overlay}:6: warning: extends: {len(small)} of 48 questions inherited from bc-bccsa-cor are answered only "
        "in programs this standard does not have (Large), so no audit of it answers them (its programs: Small, "
        "COR); add those programs to programs, map yours onto them with program_names, or restate the elements with each question's programs"
    )
    edit(overlay, ("programs: [Small, COR]", "programs: [Large, Small]"))
    assert invoke("plugin", "check", str(overlay)) == (0, f"{overlay}: 1 standard checked, clean\n", "")
    # an element the overlay restates is its own, not inherited (its replacing the base's is a problem)
    first = base.elements[0]
    edit(
        overlay,
        ("programs: [Large, Small]", "programs: [SECOR, COR]"),
        (
            "extends: bc-bccsa-cor\n",
            f"extends: bc-bccsa-cor\nelements:\n  - id: '{first.id}'\n    title: Restated\n    themes: [ppe]\n"
            "    questions:\n      - {id: r.1, text: Q, points: 1, expects: [{kind: policy}]}\n",
        ),
    )
    code, out, _ = invoke("plugin", "check", str(overlay))
    left = 48 - len(first.questions)
    assert (code, [row for row in out.splitlines() if ": warning: " in row]) == (
        2,
        [
            f"{overlay}:6: warning: extends: {left} of {left} questions inherited from bc-bccsa-cor are answered "
            "only in programs this standard does not have (Large, Small), so no audit of it answers them (its "
            "programs: SECOR, COR); add those programs to programs, map yours onto them with program_names, or "
            "restate the elements with each question's programs"
        ],
    )


def test_a_plugin_that_reads_an_invalid_jurisdiction_while_it_loads_is_reported_not_a_crash(installed: Path) -> None:
    """Its module stops at the file when imported: the check reports the file's problems and checks the rest."""
    module = installed / "src" / "corengine_zzland" / "plugin.py"
    module.write_text(module.read_text(encoding="utf-8") + "JURISDICTION = PACKAGE.jurisdiction()\n", encoding="utf-8")
    jurisdiction = _data(installed) / "zzland.yaml"
    edit(jurisdiction, ("measure: employees", "measure: staff"))
    problem = f"{jurisdiction}:10: eligibility[0].measure: must be one of employees, fte, not 'staff'"
    assert invoke("plugin", "check", "zzland") == (2, f"{problem}\nzzland: 0 standards checked, 1 problem\n", "")
    code, out, _ = invoke("plugin", "check")
    assert (code, out) == (2, f"{problem}\nevery installed plugin: 0 standards checked, 1 problem\n")
    # by its folder: no installed plugin provides its standard now, so it is checked as a file, with the problem
    code, out, _ = invoke("plugin", "check", str(installed))
    assert (code, out.splitlines()) == (
        2,
        [problem, *_scaffold_warnings(installed)[:2], f"{installed}: 1 standard checked, 1 problem, 2 warnings"],
    )
    # elsewhere, the plugin that fails to load is named as before
    code, _, err = invoke("standards")
    assert (code, err.splitlines()[0]) == (
        2,
        "error: plugin 'zzland' (corengine_zzland.plugin) failed to load: InputError: " + problem,
    )
