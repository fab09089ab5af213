"""Alberta data facts the source review asked for, checked on the loaded standards."""

from __future__ import annotations

from corengine import Engine


def test_the_acsa_style_element_6_structure_is_marked_as_assumed() -> None:
    element = next(e for e in Engine().standard("ab-acsa-cor").elements if e.id == "6")
    assert element.confidence == "L"
    assert "April 2022 PIR standards reduced them" in element.note
    assert sum(q.points for q in element.questions if q.id in ("6.9", "6.10", "6.11")) == 30


def test_every_alberta_day_limit_is_partner_data_of_medium_confidence_that_only_advises() -> None:
    engine = Engine()
    for ident in ("ab-pir", "ab-acsa-cor", "ab-esc-cor"):
        for rule in engine.standard(ident).rules:
            for version in rule.versions:
                if version.report_days is not None or version.data_gathering_days is not None:
                    assert (version.lateness, version.deadline_confidence) == ("partner-decides", "M"), (
                        ident,
                        rule.id,
                        version.start,
                    )
                    assert "https://www.amhsa.net/cor-auditing/audit-news/" in version.deadline_reference
