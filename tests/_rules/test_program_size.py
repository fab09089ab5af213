"""The program audited against the jurisdiction's size bands, from data alone: a partner plugin that ships only a
jurisdiction file gets the check at certification, the ``outgrown`` note elsewhere, and nothing where its data
turns the check off (``decides_at: []``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from corengine import Engine, hookimpl
from corengine._rules.eligibility import OUTGROWN, program_size
from corengine.model import Jurisdiction
from corengine.model.converter import load_file
from tests.helpers import StandardsPlugin, basic_audit

SIZES = """\
code: ZZ
name: Size test province
eligibility:
  - start: 2000-01-01
    reference: [https://partner.example/sizes]
    confidence: M
    measure: employees
    DECIDES
    bands:
      - {program: Large, min: 20}
      - program: Small
        below: 20
        outgrown: {text: the employer moves to Large at its next certification, confidence: M, reference: [https://partner.example/moves]}
"""


def engine(tmp_path: Path, decides: str = "") -> Engine:
    path = tmp_path / "zz.yaml"
    path.write_text(SIZES.replace("DECIDES", decides), encoding="utf-8")

    class Sizes:
        name = "zz"

        @hookimpl
        def corengine_register_jurisdictions(self) -> list[Jurisdiction]:
            return [load_file(path, Jurisdiction)]

    return Engine(plugins=[StandardsPlugin(), Sizes()], load_entrypoints=False, environ={})


def sized(engine: Engine, program: str, workers: int | None, **changes: Any) -> tuple[bool, list[tuple[Any, ...]]]:
    data = basic_audit() | {"program": program} | changes
    if program == "Small":
        data["responses"] = {q: r for q, r in data["responses"].items() if q != "2.2"}
    data["employer"] = data["employer"] | {"workers": workers}
    result = engine.score(engine.audit_from_data(data))
    found = [
        (f.status, f.message, f.confidence, f.sources, f.plugin, str(f.required))
        for f in result.outcome.reasons
        if f.check == "eligibility.program_size"
    ]
    return result.outcome.passed, found


def test_a_program_the_size_does_not_fit_fails_a_certification(tmp_path: Path) -> None:
    _, found = sized(engine(tmp_path), "Small", 24)
    assert found == [
        ("fail", "24 employees: the employer qualifies for Large, not the Small program audited", "M",
         ("https://partner.example/sizes",), "zz", "< 20 employees"),
    ]  # fmt: skip
    _, found = sized(engine(tmp_path), "Large", 24)
    assert found == [
        ("pass", "24 employees: the employer qualifies for Large, the program audited", "M",
         ("https://partner.example/sizes",), "zz", ">= 20 employees"),
    ]  # fmt: skip


def test_elsewhere_the_bands_outgrown_note_is_stated_and_without_one_an_advisory(tmp_path: Path) -> None:
    _, found = sized(engine(tmp_path), "Small", 24, audit_type="maintenance")
    assert found == [
        ("info", "24 employees: the employer qualifies for Large, not the Small program audited: the employer "
         "moves to Large at its next certification", "M", ("https://partner.example/moves",), "zz", "< 20 employees"),
    ]  # fmt: skip
    _, found = sized(engine(tmp_path), "Large", 12, audit_type="maintenance")
    assert [(status, confidence) for status, _, confidence, *_ in found] == [("advisory", "L")]


def test_a_size_the_audit_does_not_record_is_said_not_checked(tmp_path: Path) -> None:
    _, found = sized(engine(tmp_path), "Small", None)
    assert [message for _, message, *_ in found] == [
        "Small is for below 20 employees; the audit records no employer.workers, so whether the employer's size "
        "fits the program audited was not checked"
    ]


def test_data_can_turn_the_check_off(tmp_path: Path) -> None:
    assert sized(engine(tmp_path, "decides_at: []"), "Small", 24)[1] == []


# --------------------------------------------------------------------------- the step called directly

DATED = """\
code: ZZ
name: Dated size test province
fte_hours: 2000
eligibility:
  - start: 2000-01-01
    reference: [https://partner.example/sizes-2000]
    confidence: M
    measure: MEASURE
    bands:
      - {program: Large, min: 20}
      - {program: Small, below: 20}
      - {program: Large, min: 10, partner: ZP, reference: [https://partner.example/zp-sizes], confidence: H}
      - {program: Small, below: 10, partner: ZP, reference: [https://partner.example/zp-sizes], confidence: H}
      - {program: Small, below: 5, partner: ZS}
      - {program: Small, below: 20, partner: ZT}
      - {program: Medium, min: 10, partner: ZT}
      - {program: Large, min: 10, partner: ZT}
      - program: Small
        below: 20
        partner: ZL
        confidence: L
        reference: [https://partner.example/zl-small]
        outgrown: {text: the employer moves to Large at its next certification, confidence: M}
      - {program: Large, min: 20, partner: ZL}
  - start: 2025-01-01
    reference: [https://partner.example/sizes-2025]
    confidence: M
    measure: MEASURE
    bands:
      - {program: Large, min: 50}
      - {program: Small, below: 50}
"""


def step(
    tmp_path: Path,
    measure: str,
    employer: dict[str, Any],
    program: str = "Small",
    partner: str | None = None,
    strict: bool | None = None,
    **audit: Any,
) -> list[tuple[Any, ...]]:
    """``program_size`` as the decision calls it, for an audit of 2024-05-10 (under the bands of 2000, not those
    in force today), with ``strict`` where given (otherwise its default)."""
    path = tmp_path / "dated.yaml"
    path.write_text(DATED.replace("MEASURE", measure), encoding="utf-8")
    jurisdiction = load_file(path, Jurisdiction)
    engine = Engine(plugins=[StandardsPlugin()], load_entrypoints=False, environ={})
    data = basic_audit() | {"program": program} | audit
    data["employer"] = data["employer"] | {"workers": None} | employer
    parsed = engine.audit_from_data(data).audit
    standard = attrs.evolve(engine.standard(parsed.standard), partner=partner)
    args = (jurisdiction, standard, parsed, program, "zz")
    found = program_size(*args) if strict is None else program_size(*args, strict=strict)
    return [(f.status, f.message, f.sources, f.confidence, f.reading, str(f.required), str(f.measured)) for f in found]


EXACT = "sizes are compared exactly (19.9 FTE is below 20), not rounded"


def test_the_step_sizes_by_the_bands_in_force_on_the_audit_date_by_fte_or_payroll_hours(tmp_path: Path) -> None:
    sources = ("https://partner.example/sizes-2000",)
    assert step(tmp_path, "employees", {"workers": 24}) == [
        ("fail", "24 employees: the employer qualifies for Large, not the Small program audited", sources, "M", "",
         "< 20 employees", "24 employees (24 employees)"),
    ]  # fmt: skip
    assert step(tmp_path, "fte", {"fte": 24}) == [
        ("fail", "24 FTE: the employer qualifies for Large, not the Small program audited", sources, "M", EXACT,
         "< 20 FTE", "24 FTE (24 FTE)"),
    ]  # fmt: skip
    assert step(tmp_path, "fte", {"payroll_hours": 48000}, program="Large") == [
        ("pass", "48000 payroll hours / 2000 = 24 FTE: the employer qualifies for Large, the program audited",
         sources, "M", EXACT, ">= 20 FTE", "24 FTE (48000 payroll hours / 2000 = 24 FTE)"),
    ]  # fmt: skip
    assert step(tmp_path, "fte", {}) == [
        ("info", "Small is for below 20 FTE; the audit records no fte or payroll_hours, so whether the employer's "
         "size fits the program audited was not checked", sources, "M", "", "< 20 FTE", "None"),
    ]  # fmt: skip


def test_the_step_sizes_by_the_partners_own_bands(tmp_path: Path) -> None:
    """12 FTE is Small by the general bands, Large by partner ZP's."""
    zp = ("https://partner.example/zp-sizes",)
    assert step(tmp_path, "fte", {"fte": 12}, partner="ZP") == [
        ("fail", "12 FTE: the employer qualifies for Large, not the Small program audited", zp, "H", EXACT,
         "< 10 FTE", "12 FTE (12 FTE)"),
    ]  # fmt: skip
    assert [row[0] for row in step(tmp_path, "fte", {"fte": 12})] == ["pass"]
    assert step(tmp_path, "fte", {}, partner="ZP") == [
        ("info", "Small is for below 10 FTE; the audit records no fte or payroll_hours, so whether the employer's "
         "size fits the program audited was not checked", zp, "H", "", "< 10 FTE", "None"),
    ]  # fmt: skip


def test_the_step_names_every_program_the_size_fits_or_none(tmp_path: Path) -> None:
    """Partner ZS has one band, which 24 employees do not fit; ZT's 24 employees fit two programs."""
    assert [row[:2] for row in step(tmp_path, "employees", {"workers": 24}, partner="ZS")] == [
        ("fail", "24 employees: the employer qualifies for no program, not the Small program audited")
    ]
    assert [row[:2] for row in step(tmp_path, "employees", {"workers": 24}, partner="ZT")] == [
        ("fail", "24 employees: the employer qualifies for Medium or Large, not the Small program audited")
    ]


def test_a_band_of_low_confidence_advises_and_strict_makes_it_decisive(tmp_path: Path) -> None:
    """Partner ZL's Small band is of confidence L: 24 employees outside it advise at certification unless
    ``strict``; at a maintenance audit its ``outgrown`` note is stated; Large has no note, so outgrowing it advises
    unless ``strict``."""
    zl = ("https://partner.example/zl-small",)
    message = "24 employees: the employer qualifies for Large, not the Small program audited"
    assert step(tmp_path, "employees", {"workers": 24}, partner="ZL") == [
        ("advisory", message, zl, "L", "", "< 20 employees", "24 employees (24 employees)"),
    ]
    assert [row[:4] for row in step(tmp_path, "employees", {"workers": 24}, partner="ZL", strict=True)] == [
        ("fail", message, zl, "L"),
    ]
    assert step(tmp_path, "employees", {"workers": 24}, partner="ZL", strict=True, audit_type="maintenance") == [
        ("info", f"{message}: the employer moves to Large at its next certification",
         ("https://partner.example/sizes-2000",), "M", "", "< 20 employees", "24 employees (24 employees)"),
    ]  # fmt: skip
    outgrown = step(tmp_path, "employees", {"workers": 12}, "Large", "ZL", strict=True, audit_type="maintenance")
    assert [row[:4] for row in outgrown] == [
        ("fail", "12 employees: the employer qualifies for Small, not the Large program audited",
         ("https://partner.example/sizes-2000",), "L"),
    ]  # fmt: skip


def test_without_strict_a_program_outgrown_with_no_note_is_an_advisory(tmp_path: Path) -> None:
    assert step(tmp_path, "employees", {"workers": 12}, program="Large", audit_type="maintenance") == [
        ("advisory", "12 employees: the employer qualifies for Small, not the Large program audited",
         ("https://partner.example/sizes-2000",), "L", OUTGROWN, ">= 20 employees", "12 employees (12 employees)"),
    ]  # fmt: skip
