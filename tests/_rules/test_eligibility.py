"""Eligibility decisions pinned: how findings become the per-program answer and its headline (size, may an audit
start, the worst status deciding), and which certificate rule the months-of-records check applies and cites.

Every eligibility answer is also pinned in one golden file checked by eye (``tests/golden/eligibility.txt``):
the headline, each program's size and start, and each finding's check, status, subject, message, required,
measured, confidence, sources, reading and plugin, for a matrix of requests to the bundled provinces and to a
test province whose bands take every shape the data allows (at least, at most, between, below, from-and-below,
any size, per partner). After a deliberate change: ``CORENGINE_UPDATE_GOLDEN=1 pytest
tests/_rules/test_eligibility.py``, then read the diff."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest

from corengine import Engine, hookimpl
from corengine._rules.eligibility import answer
from corengine.model import EligibilityRequest, Jurisdiction, Standard
from corengine.model.converter import load_file
from corengine.model.findings import Finding
from corengine.model.validators import FieldError
from tests.helpers import BUNDLED_PLUGINS, StandardsPlugin, finding_lines, golden

ON = dt.date(2025, 1, 15)


def finding(check: str, status: str, subject: str = "", kind: str = "program") -> Finding:
    return Finding(check=check, status=status, message=f"{check} {status}", subject=subject or None, subject_kind=kind)  # type: ignore[arg-type]


def size(program: str, status: str) -> Finding:
    return finding("eligibility.size", status, program)


@pytest.mark.parametrize(
    ("findings", "expected", "headline"),
    [
        (
            [size("COR", "pass"), finding("x.records", "pass", "COR")],
            [("COR", "pass", "pass", True)],
            "ZZ: eligible for COR: an audit may start",
        ),
        (
            [size("COR", "advisory")],
            [("COR", "advisory", "info", True)],
            "ZZ: eligible for COR by size, subject to an advisory on size (whether an audit may start is not checked)",
        ),
        (
            [size("COR", "pass"), finding("x.records", "advisory", "COR"), finding("x.age", "pass", "COR")],
            [("COR", "pass", "advisory", True)],
            "ZZ: eligible for COR: an audit may start, subject to advisories",
        ),
        (
            [size("COR", "pass"), finding("x.records", "fail", "COR"), finding("x.age", "advisory", "COR")],
            [("COR", "pass", "fail", False)],
            "ZZ: COR by size, but an audit may not start yet",
        ),
        (
            [size("COR", "info"), size("SECOR", "info")],
            [("COR", "info", "info", False), ("SECOR", "info", "info", False)],
            "ZZ: the size given does not say which program applies",
        ),
        (
            [size("COR", "fail"), size("SECOR", "fail")],
            [("COR", "fail", "info", False), ("SECOR", "fail", "info", False)],
            "ZZ: no program's size fits this employer",
        ),
        (
            [size("COR", "pass"), size("SECOR", "advisory"), finding("x.records", "fail", "SECOR")],
            [("COR", "pass", "info", True), ("SECOR", "advisory", "fail", False)],
            "ZZ: eligible for COR by size (whether an audit may start is not checked); "
            "SECOR by size, subject to an advisory on size, but an audit may not start yet",
        ),
    ],
)
def test_each_program_answers_size_and_start_from_its_worst_finding(
    findings: list[Finding], expected: list[tuple[str, str, str, bool]], headline: str
) -> None:
    got = answer("ZZ", ON, findings)
    assert [(p.program, p.size, p.may_start, p.eligible) for p in got.programs] == expected
    assert got.headline == headline
    assert (got.province, got.on, got.findings) == ("ZZ", ON, tuple(findings))


def test_a_finding_about_no_program_decides_every_programs_start_but_information_and_sizes_do_not() -> None:
    findings = [
        size("COR", "pass"),
        size("SECOR", "pass"),
        finding("x.age", "info", kind=""),  # information about no program: decides nothing
        finding("eligibility.size", "fail", kind=""),  # a size finding about no program is not a start condition
    ]
    got = answer("ZZ", ON, findings)
    assert [(p.may_start, p.eligible) for p in got.programs] == [("info", True), ("info", True)]
    got = answer("ZZ", ON, [*findings, finding("x.age", "advisory", kind="")])
    assert [(p.may_start, p.eligible) for p in got.programs] == [("advisory", True), ("advisory", True)]
    got = answer("ZZ", ON, [*findings, finding("x.age", "fail", kind="")])
    assert [(p.may_start, p.eligible) for p in got.programs] == [("fail", False), ("fail", False)]
    assert (
        got.headline == "ZZ: COR by size, but an audit may not start yet; SECOR by size, but an audit may not start yet"
    )


def test_without_sizing_in_force_the_headline_says_why_no_program_is_answered() -> None:
    got = answer("ZZ", ON, [finding("eligibility", "fail", kind="")])
    assert got.headline == "ZZ: no program can be answered: eligibility fail"
    assert answer("ZZ", ON, [finding("eligibility.note", "info", kind="")]).headline == (
        "ZZ: no program's size fits this employer"
    )


def test_a_finding_about_a_partner_is_not_a_finding_about_a_program_of_the_same_name() -> None:
    got = answer("ZZ", ON, [size("COR", "pass"), finding("x.partner", "fail", "COR", kind="partner")])
    assert [(p.may_start, p.eligible, len(p.reasons)) for p in got.programs] == [("info", True, 1)]


# --------------------------------------------------------------------------- the months-of-records check

BASELINE = """\
id: zz-records
title: Records test baseline
version: "1"
jurisdiction: ZZ
programs: [COR, SECOR]
elements:
  - id: "1"
    title: Only
    questions:
      - {id: "1.1", text: One question, points: 10}
rules:
  - id: cor-certification
    title: COR certification, from 2030 only
    audit_types: [certification]
    programs: [COR]
    versions:
      - start: 2030-01-01
        reference: [https://example.org/cor-2030]
        confidence: H
        overall_minimum: 80
        certificates:
          - {certificate: COR, months: 36, min_records_months: 12}
  - id: secor-certification
    title: SECOR certification
    audit_types: [certification]
    programs: [SECOR]
    versions:
      - start: 2000-01-01
        reference: [https://example.org/secor]
        confidence: H
        overall_minimum: 80
        certificates:
          - {certificate: SECOR (3 years), months: 36, min_records_months: 6, reference: [https://example.org/secor-3], confidence: M}
          - {certificate: SECOR (1 year), months: 12, min_records_months: 3, reference: [https://example.org/secor-1], confidence: L}
"""

JURISDICTION = """\
code: ZZ
name: Records test province
baseline: zz-records
eligibility:
  - start: 2000-01-01
    reference: [https://example.org/sizes]
    confidence: H
    measure: employees
    records:
      - {program: SECOR, partner: ZP, months: 12, reference: [https://example.org/zp], confidence: L}
      - {program: COR, partner: ZQ, months: 4, note: a working system, reference: [https://example.org/zq], confidence: M}
      - {program: PILOT, partner: ZQ, months: 2, reference: [https://example.org/zq-pilot], confidence: H}
    bands:
      - {program: COR, min: 1}
      - {program: SECOR, max: 10}
      - {program: PILOT, max: 10}
"""


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    standard = tmp_path / "zz-records.yaml"
    standard.write_text(BASELINE, encoding="utf-8")
    jurisdiction = tmp_path / "zz.yaml"
    jurisdiction.write_text(JURISDICTION, encoding="utf-8")

    class ZZ:
        name = "zz"

        @hookimpl
        def corengine_register_jurisdictions(self) -> list[Jurisdiction]:
            return [load_file(jurisdiction, Jurisdiction)]

    return Engine(plugins=[StandardsPlugin(standard), ZZ()], load_entrypoints=False, environ={})


def records(engine: Engine, months: int) -> list[tuple[object, ...]]:
    request = EligibilityRequest(province="ZZ", employees=5, records_months=months, on=ON)
    return [
        (f.check, f.status, f.subject, f.message, f.sources, f.confidence, str(f.required), str(f.measured))
        for f in engine.eligibility(request)
        if f.check.endswith(".records")
    ]


def test_a_program_whose_certification_rule_is_not_yet_in_force_is_skipped_and_the_next_is_checked(
    engine: Engine,
) -> None:
    """COR's only rule starts in 2030: no records finding for COR, and SECOR (listed after it) is still checked;
    the finding cites the first certificate the months reach."""
    assert records(engine, 6) == [
        (
            "secor-certification.records",
            "pass",
            "SECOR",
            "SECOR: 6 months of records allow a certification audit for SECOR (3 years) (needs 6)",
            ("https://example.org/secor-3",),
            "M",
            ">= 3 months",
            "6 months",
        )
    ]
    assert records(engine, 3)[0][3:6] == (
        "SECOR: 3 months of records allow a certification audit for SECOR (1 year) (needs 3)",
        ("https://example.org/secor-1",),
        "L",
    )


def test_too_few_months_cite_the_certificate_needing_fewest_and_follow_its_confidence(engine: Engine) -> None:
    """Short of every minimum, the check applies the smallest (3 months, the 1-year SECOR, confidence L): an
    advisory, not a failure, under the confidence policy."""
    assert records(engine, 2) == [
        (
            "secor-certification.records",
            "advisory",
            "SECOR",
            "SECOR: 2 months of records are too few for a certification audit (at least 3 needed)",
            ("https://example.org/secor-1",),
            "L",
            ">= 3 months",
            "2 months",
        )
    ]


# --------------------------------------------------------------------------- called directly, as plugins do


def test_a_plugin_calling_the_core_check_directly_gets_its_own_name_on_every_finding(tmp_path: Path) -> None:
    """``corengine.plugin.check_eligibility`` is public: a plugin calls it with its name, and every finding it
    returns (sizes, notes, records, equivalency, unknown certifications) carries that name."""
    from corengine._rules.eligibility import check

    standard = load_file(_write(tmp_path, "zz-records.yaml", BASELINE), Standard)
    jurisdiction = load_file(_write(tmp_path, "zz.yaml", JURISDICTION + EQUIVALENCY), Jurisdiction)
    request = EligibilityRequest(
        province="ZZ", employees=5, records_months=2, certifications=("ISO45001", "CSA-Z1000"), on=ON
    )
    early = attrs.evolve(request, on=dt.date(1999, 1, 1))  # before any sizing data: one finding, named too
    first = check(early, jurisdiction, lambda ident: standard, "p")[0]
    assert (first.check, first.status, first.plugin) == ("eligibility", "fail", "p")
    findings = check(request, jurisdiction, lambda ident: standard, "partner-plugin")
    assert sorted({f.check for f in findings}) == [
        "eligibility.equivalency.route",
        "eligibility.equivalency.unknown",
        "eligibility.size",
        "secor-certification.records",
    ]
    assert {f.plugin for f in findings} == {"partner-plugin"}


EQUIVALENCY = """\
equivalency:
  - {certifications: [ISO45001], treatment: route, program: COR, text: A route (test data), confidence: M, reference: [https://example.org/route]}
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_records_are_checked_only_for_programs_with_a_certification_rule_and_say_when_none_is_needed(
    tmp_path: Path,
) -> None:
    """A program the baseline has no certification rule for gets no records finding (the others still do); a
    rule whose certificates need no months says so; a certificate needing none is named without "(needs N)"."""
    from corengine._rules.eligibility import check

    baseline = BASELINE.replace("programs: [COR, SECOR]", "programs: [COR, SECOR, Trial, Open]")
    baseline += """\
  - id: open-certification
    title: Open certification
    audit_types: [certification]
    programs: [Open]
    versions:
      - start: 2000-01-01
        reference: [https://example.org/open]
        confidence: H
        overall_minimum: 80
  - id: any-certification
    title: Certification with and without a records minimum
    audit_types: [certification]
    programs: [Trial]
    versions:
      - start: 2000-01-01
        reference: [https://example.org/trial]
        confidence: M
        overall_minimum: 80
        certificates:
          - {certificate: Trial (1 year), months: 12}
          - {certificate: Trial (3 years), months: 36, min_records_months: 24}
"""
    bands = (
        JURISDICTION
        + "      - {program: Trial, min: 1}\n      - {program: Open, min: 1}\n      - {program: Nothing, min: 1}\n"
    )
    standard = load_file(_write(tmp_path, "zz-records.yaml", baseline), Standard)
    jurisdiction = load_file(_write(tmp_path, "zz.yaml", bands), Jurisdiction)
    request = EligibilityRequest(province="ZZ", employees=5, records_months=1, on=ON)
    found = [
        (f.check, f.status, f.subject, f.message, str(f.required), f.sources, f.confidence)
        for f in check(request, jurisdiction, lambda ident: standard, "p")
        if f.check.endswith(".records")
    ]
    assert found == [
        (
            "secor-certification.records",
            "advisory",
            "SECOR",
            "SECOR: 1 month of records is too few for a certification audit (at least 3 needed)",
            ">= 3 months",
            ("https://example.org/secor-1",),
            "L",
        ),
        (
            "any-certification.records",
            "pass",
            "Trial",
            "Trial: 1 month of records allows a certification audit for Trial (1 year)",
            ">= 24 months",
            ("https://example.org/trial",),
            "M",
        ),
        (
            "open-certification.records",
            "info",
            "Open",
            "Open: the rules in force set no minimum months of records for a certification audit",
            "None",
            ("https://example.org/open",),
            "H",
        ),
    ]


def test_each_band_shape_is_a_typed_requirement() -> None:
    from corengine._rules.eligibility import band_requirement
    from corengine.model import SizeBand
    from corengine.model.findings import Quantity

    assert band_requirement(SizeBand(program="A", min=Fraction(11)), "employees") == Quantity(
        number=Fraction(11), unit="employees", compare=">="
    )
    assert band_requirement(SizeBand(program="A", max=Fraction(10)), "employees") == Quantity(
        number=Fraction(10), unit="employees", compare="<="
    )
    assert band_requirement(SizeBand(program="A", below=Fraction(20)), "FTE") == Quantity(
        number=Fraction(20), unit="FTE", compare="<"
    )
    assert band_requirement(SizeBand(program="A", min=Fraction(2), max=Fraction(19)), "FTE") == Quantity(
        number=Fraction(2), unit="FTE", compare=">=", upper=Fraction(19), upper_compare="<="
    )
    assert band_requirement(SizeBand(program="A", min=Fraction(20), below=Fraction(50)), "FTE") == Quantity(
        number=Fraction(20), unit="FTE", compare=">=", upper=Fraction(50), upper_compare="<"
    )
    assert band_requirement(SizeBand(program="A"), "FTE") is None


def partner_records(engine: Engine, partner: str, months: int) -> list[tuple[object, ...]]:
    request = EligibilityRequest(province="ZZ", employees=5, records_months=months, on=ON, partner=partner)
    return [
        (
            f.check,
            f.status,
            f.subject,
            f.subject_kind,
            f.message,
            f.sources,
            f.confidence,
            f.plugin,
            str(f.required),
            str(f.measured),
        )
        for f in engine.eligibility(request)
        if f.check.endswith(".records")
    ]


def test_a_partners_own_records_minimum_decides_with_its_own_sources_and_confidence(engine: Engine) -> None:
    """A partner's minimum replaces what the certificates need, for its program only, under the confidence
    policy (an L minimum advises); a program without a certification rule still gets its partner's check."""
    zp = ("https://example.org/zp",)
    assert partner_records(engine, "ZP", 5) == [
        (
            "secor-certification.records",
            "advisory",
            "SECOR",
            "program",
            "SECOR: 5 months of records are fewer than the 12 months ZP requires before a SECOR audit",
            zp,
            "L",
            "zz",
            ">= 12 months",
            "5 months",
        )
    ]
    assert [row[1:5:3] for row in partner_records(engine, "ZP", 1)] == [
        ("advisory", "SECOR: 1 month of records is fewer than the 12 months ZP requires before a SECOR audit")
    ]
    assert [row[4] for row in partner_records(engine, "ZP", 12)] == [
        "SECOR: 12 months of records meet the 12 months ZP requires before a SECOR audit"
    ]
    zq = partner_records(engine, "ZQ", 1)
    assert [row[:5] for row in zq] == [
        (
            "cor-certification.records",
            "fail",
            "COR",
            "program",
            "COR: 1 month of records is fewer than the 4 months ZQ requires before a COR audit (a working system)",
        ),
        (  # no minimum of ZQ's for SECOR: the certificates decide, as without a partner
            "secor-certification.records",
            "advisory",
            "SECOR",
            "program",
            "SECOR: 1 month of records is too few for a certification audit (at least 3 needed)",
        ),
        (
            "eligibility.records",
            "fail",
            "PILOT",
            "program",
            "PILOT: 1 month of records is fewer than the 2 months ZQ requires before a PILOT audit",
        ),
    ]
    assert [row[4] for row in partner_records(engine, "ZQ", 2)][2] == (
        "PILOT: 2 months of records meet the 2 months ZQ requires before a PILOT audit"
    )
    assert partner_records(engine, "ZQ", 4)[0][1:5:3] == (
        "pass",
        "COR: 4 months of records meet the 4 months ZQ requires before a COR audit (a working system)",
    )


def test_a_partners_minimum_called_directly_carries_the_plugins_name_and_one_month_is_singular(
    tmp_path: Path,
) -> None:
    """The partner's own minimum, as a plugin calling the core check gets it: its name on every records finding,
    and a minimum of one month met by one month of records said in the singular."""
    from corengine._rules.eligibility import check

    text = JURISDICTION.replace("{program: PILOT, partner: ZQ, months: 2,", "{program: PILOT, partner: ZQ, months: 1,")
    standard = load_file(_write(tmp_path, "zz-records.yaml", BASELINE), Standard)
    jurisdiction = load_file(_write(tmp_path, "zz.yaml", text), Jurisdiction)
    request = EligibilityRequest(province="ZZ", employees=5, records_months=1, on=ON, partner="ZQ")
    found = [
        (f.check, f.status, f.message, f.plugin, str(f.required))
        for f in check(request, jurisdiction, lambda ident: standard, "partner-plugin")
        if f.check.endswith(".records")
    ]
    assert found == [
        (
            "cor-certification.records",
            "fail",
            "COR: 1 month of records is fewer than the 4 months ZQ requires before a COR audit (a working system)",
            "partner-plugin",
            ">= 4 months",
        ),
        (
            "secor-certification.records",
            "advisory",
            "SECOR: 1 month of records is too few for a certification audit (at least 3 needed)",
            "partner-plugin",
            ">= 3 months",
        ),
        (
            "eligibility.records",
            "pass",
            "PILOT: 1 month of records meets the 1 month ZQ requires before a PILOT audit",
            "partner-plugin",
            ">= 1 months",
        ),
    ]


# --------------------------------------------------------------------------- every eligibility answer, checked by eye

ANSWERED_ON = dt.date(2025, 6, 1)

SHAPES = """\
code: YY
name: Band shapes (test data)
fte_hours: 2000
eligibility:
  - start: 2000-01-01
    reference: [https://example.org/yy-sizes]
    confidence: M
    measure: employees
    notes: [{text: A note of its own confidence, confidence: L, reference: [https://example.org/yy-note]}]
    bands:
      - {program: Micro, max: 4}
      - {program: Small, min: 5, max: 19, note: "5 to 19 inclusive"}
      - {program: Medium, min: 20, below: 50, confidence: L, reference: [https://example.org/yy-medium]}
      - {program: Large, min: 50}
      - {program: Any}
      - {program: Partner, below: 8, partner: PP}
  - start: 2025-01-01
    reference: [https://example.org/yy-fte]
    confidence: H
    measure: fte
    bands:
      - {program: Small, below: 20}
      - {program: Large, min: 20}
counting:
  - {partner: PP, counts: [everyone on payroll], excludes: [contractors], lookback_months: 12, reference: [https://example.org/pp-count], confidence: M}
partners:
  - {code: PP, name: Partner P, industries: [testing], confidence: H, reference: [https://example.org/pp]}
equivalency:
  - {certifications: [ISO45001], treatment: information, text: Starts the day asked (test data), start: 2025-06-01, confidence: M, reference: [https://example.org/eq-today]}
  - {certifications: [CSA-Z1000], treatment: not-accepted, text: Starts the next day (test data), start: 2025-06-02, confidence: H, reference: [https://example.org/eq-later]}
  - {certifications: [ISO45001, CSA-Z45001], treatment: route, program: Large, certificate_months: 36, text: A route to Large (test data), confidence: L, reference: [https://example.org/eq-route]}
"""


def engines(tmp_path: Path) -> tuple[Engine, Engine]:
    path = tmp_path / "yy.yaml"
    path.write_text(SHAPES, encoding="utf-8")

    class YY:
        name = "yy"

        @hookimpl
        def corengine_register_jurisdictions(self) -> list[Jurisdiction]:
            return [load_file(path, Jurisdiction)]

    bundled = Engine(plugins=BUNDLED_PLUGINS, load_entrypoints=False, environ={})
    shapes = Engine(plugins=[StandardsPlugin(), YY()], load_entrypoints=False, environ={})
    return bundled, shapes


REQUESTS: list[dict[str, Any]] = [
    # the test province under employee bands (2024) and FTE bands (2025)
    {"province": "YY", "employees": 4, "on": dt.date(2024, 6, 1)},
    {"province": "YY", "employees": 5, "on": dt.date(2024, 6, 1)},
    {"province": "YY", "employees": 19, "on": dt.date(2024, 6, 1)},
    {"province": "YY", "employees": 20, "on": dt.date(2024, 6, 1)},
    {"province": "YY", "employees": 50, "on": dt.date(2024, 6, 1)},
    {"province": "YY", "employees": 7, "partner": "PP", "on": dt.date(2024, 6, 1)},
    {"province": "YY", "employees": 8, "partner": "PP", "on": dt.date(2024, 6, 1)},
    {"province": "YY", "on": dt.date(2024, 6, 1)},
    {"province": "YY", "fte": Fraction(39, 2), "on": ANSWERED_ON},
    {"province": "YY", "payroll_hours": 40000, "on": ANSWERED_ON},
    {"province": "YY", "payroll_hours": 39999, "on": ANSWERED_ON},
    {"province": "YY", "employees": 25, "on": ANSWERED_ON},
    {"province": "YY", "on": ANSWERED_ON},
    {"province": "YY", "employees": 5, "on": dt.date(1999, 12, 31)},
    {"province": "YY", "fte": 30, "certifications": ("ISO45001", "CSA-Z45001", "CSA-Z1000"), "on": ANSWERED_ON},
    {"province": "YY", "fte": 30, "certifications": ("CSA-Z1000",), "on": dt.date(2025, 6, 2)},
    {"province": "YY", "employees": 3, "certifications": ("CSA-Z45001",), "on": dt.date(2024, 6, 1)},
    {"province": "YY", "fte": 30, "certifications": ("CSA-Z1000", "CSA-Z1000"), "on": ANSWERED_ON},
    # the bundled provinces
    {"province": "AB", "employees": 10, "on": ANSWERED_ON},
    {"province": "AB", "employees": 11, "partner": "ESC", "records_months": 2, "on": ANSWERED_ON},
    {"province": "AB", "employees": 5, "partner": "ACSA", "records_months": 12, "on": ANSWERED_ON},
    {"province": "AB", "employees": 1, "partner": "ACSA", "on": ANSWERED_ON},
    {"province": "BC", "fte": Fraction(199, 10), "records_months": 3, "on": ANSWERED_ON},
    {"province": "BC", "payroll_hours": 41600, "on": ANSWERED_ON},
    {"province": "BC", "employees": 1, "on": ANSWERED_ON},
    {"province": "BC", "fte": 25, "certifications": ("ISO45001",), "on": ANSWERED_ON},
    {"province": "ON", "employees": 40, "records_months": 12, "on": ANSWERED_ON},
    {"province": "ON", "employees": 40, "certifications": ("CSA-Z1000", "ISO45001"), "on": ANSWERED_ON},
]


def describe(engine: Engine, fields: dict[str, Any]) -> list[str]:
    request = EligibilityRequest(**fields)
    answer = engine.eligibility_answer(request)
    shown = ", ".join(f"{key}={value}" for key, value in fields.items())
    lines = [f"## {shown}", answer.headline]
    for program in answer.programs:
        lines.append(
            f"  program {program.program}: size {program.size}, may start {program.may_start}, "
            f"eligible {program.eligible}, {len(program.reasons)} reasons"
        )
    for f in answer.findings:
        lines += finding_lines(f)
    return lines


def test_every_eligibility_answer_is_as_checked_by_eye(tmp_path: Path) -> None:
    bundled, shapes = engines(tmp_path)
    lines: list[str] = []
    for fields in REQUESTS:
        lines += describe(shapes if fields["province"] == "YY" else bundled, fields)
        lines.append("")
    text = "\n".join(lines)
    golden("eligibility.txt", text)


def test_failures_keeps_every_band_when_the_size_fits_none() -> None:
    from corengine._rules.eligibility import Answer, ProgramAnswer, without_other_bands

    small, large = (
        Finding(check="eligibility.size", status="fail", message=f"{p} does not fit", subject=p, subject_kind="program")
        for p in ("Small", "Large")
    )
    programs = (
        ProgramAnswer("Small", "fail", "info", False, (small,)),
        ProgramAnswer("Large", "fail", "info", False, (large,)),
    )
    none_fit = Answer("XX", dt.date(2026, 1, 1), "XX: no program", programs, (small, large))
    assert without_other_bands(none_fit) == ([small, large], [])
    one_fits = attrs.evolve(none_fit, programs=(attrs.evolve(programs[0], size="pass"), programs[1]))
    assert without_other_bands(one_fits) == ([small], ["Large"])
    # a band the size fits at low confidence (an advisory) is a fit too: the others are dropped the same
    uncertain = attrs.evolve(none_fit, programs=(attrs.evolve(programs[0], size="advisory"), programs[1]))
    assert without_other_bands(uncertain) == ([small], ["Large"])


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        ({"min": 5, "max": 3}, "max: 3 is below min 5: no size fits the band"),
        ({"min": 20, "below": 20}, "below: 20 is not above min 20: no size fits the band"),
        ({"max": 19, "below": 20}, "below: give max (inclusive) or below (exclusive), not both"),
    ],
)
def test_a_band_no_size_fits_is_refused(bounds: dict[str, int], message: str) -> None:
    from corengine.model.jurisdiction import SizeBand

    with pytest.raises(FieldError) as raised:
        SizeBand("X", **{k: Fraction(v) for k, v in bounds.items()})
    assert f"{raised.value.field}: {raised.value}" == message
