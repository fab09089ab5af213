"""The program audited against the jurisdiction's size bands, from data alone: a partner plugin that ships only a
jurisdiction file gets the check at certification, the ``outgrown`` note elsewhere, and nothing where its data
turns the check off (``decides_at: []``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corengine import Engine, hookimpl
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
