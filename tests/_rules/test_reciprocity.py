"""The reciprocity planner reads the destination's inbound rules and the home's outbound rules, from data alone:
a letter with its months, a partner it refuses, a certificate recognised only at home, and silence said as such."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from corengine import Engine, hookimpl
from corengine._rules.reciprocity import plan
from corengine.model import Jurisdiction
from corengine.model.converter import load_file

ON = dt.date(2026, 3, 1)

NORTH = """\
code: XN
name: North test territory
reciprocity:
  - direction: inbound
    treatment: letter
    text: A letter lets a COR holder from elsewhere work here for up to 6 months or until its home letter expires.
    programs: [COR]
    excluded_partners: [ESC]
    valid_months: 6
    reference: [https://north.example/letter]
    confidence: H
"""

HOME = """\
code: XH
name: Home test province
reciprocity:
  - direction: outbound
    treatment: home-only
    text: The home SECOR is recognised only at home.
    programs: [SECOR]
    reference: [https://home.example/secor]
    confidence: H
"""

EMPTY = """\
code: XE
name: Empty test province
note: {text: no COR program is known here, reference: [https://empty.example/absence], confidence: L}
"""


@pytest.fixture
def jurisdictions(tmp_path: Path) -> dict[str, tuple[str, Jurisdiction]]:
    found = {}
    for text in (NORTH, HOME, EMPTY):
        path = tmp_path / "j.yaml"
        path.write_text(text, encoding="utf-8")
        jurisdiction = load_file(path, Jurisdiction)
        found[jurisdiction.code] = ("test", jurisdiction)
    return found


def _rows(answer: object) -> list[tuple[str, str, str]]:
    return [(f.check, f.status, f.message) for f in answer.findings]  # type: ignore[attr-defined]


def test_a_letter_with_its_months_and_the_partner_it_refuses(
    jurisdictions: dict[str, tuple[str, Jurisdiction]],
) -> None:
    letter = (
        "A letter lets a COR holder from elsewhere work here for up to 6 months or until its home letter expires. "
        "Valid up to 6 months."
    )
    answer = plan(jurisdictions, "xh", "xn", ON, "COR", "ACSA")
    assert answer.headline == "XH → XN: COR certificate can be used through letter"
    assert _rows(answer) == [("reciprocity.letter", "info", letter + " Not accepted from: ESC.")]
    refused = plan(jurisdictions, "XH", "XN", ON, "COR", "ESC")
    assert refused.headline == "XH → XN: COR certificate is not accepted as it stands (1 rule(s) refuse it)"
    assert _rows(refused) == [("reciprocity.not_accepted", "fail", letter)]


def test_a_certificate_recognised_only_at_home(jurisdictions: dict[str, tuple[str, Jurisdiction]]) -> None:
    answer = plan(jurisdictions, "XH", "XE", ON, "SECOR")
    assert _rows(answer) == [
        ("reciprocity.home_only", "fail", "The home SECOR is recognised only at home."),
        ("reciprocity.note", "info", "no COR program is known here"),
    ]
    assert [f.sources for f in answer.findings] == [("https://home.example/secor",), ("https://empty.example/absence",)]


def test_silence_is_said_at_l(jurisdictions: dict[str, tuple[str, Jurisdiction]]) -> None:
    answer = plan(jurisdictions, "XN", "XH", ON, "COR")
    assert answer.headline == "XN → XH: no published rule; XH has no known partner"
    assert [(f.check, f.confidence) for f in answer.findings] == [("reciprocity.unknown", "L")]


def test_the_command_answers_in_text_and_json_and_refuses_an_unknown_code() -> None:
    from tests.helpers import invoke

    code, out, _ = invoke("reciprocity", "--from", "ab", "--to", "BC", "--on", "2026-03-01", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert (document["home"], document["to"], document["on"], document["standards"]) == (
        "AB",
        "BC",
        "2026-03-01",
        ["bc-bccsa-cor"],
    )
    code, out, _ = invoke("reciprocity", "--from", "AB", "--to", "ON", "--on", "2026-03-01")
    assert out.splitlines()[0] == "AB → ON: no published rule; ask ON's certifying partner"
    assert out.splitlines()[-2:] == [
        "Evidence to reuse: corengine crosswalk AUDIT --to STANDARD, with ON's standards:",
        "    on-ihsa-cor2015, on-ihsa-cor2020",
    ]
    code, _, err = invoke("reciprocity", "--from", "AB", "--to", "ZZ")
    assert code == 2 and err.startswith("error: no installed plugin covers 'ZZ' (covered: AB, BC")


def test_a_refusal_of_low_confidence_is_an_advisory_never_a_failure_alone(
    jurisdictions: dict[str, tuple[str, Jurisdiction]],
) -> None:
    plugin, home = jurisdictions["XH"]
    doubtful = attrs.evolve(home, reciprocity=(attrs.evolve(home.reciprocity[0], confidence="L"),))
    answer = plan({**jurisdictions, "XH": (plugin, doubtful)}, "XH", "XE", ON, "SECOR")
    assert (answer.findings[0].check, answer.findings[0].status) == ("reciprocity.home_only", "advisory")
    assert answer.headline == "XH → XE: SECOR certificate may not be accepted (1 rule(s) of low confidence refuse it)"


def test_a_jurisdictions_note_reaches_the_terminal_escaped(tmp_path: Path) -> None:
    from corengine._cli.main import Context, cli
    from tests.helpers import StandardsPlugin

    path = tmp_path / "j.yaml"
    path.write_text(EMPTY.replace("no COR program is known here", '"no COR program\\e[2J is known here"'))

    class Empty:
        name = "empty"

        @hookimpl
        def corengine_register_jurisdictions(self) -> list[Jurisdiction]:
            return [load_file(path, Jurisdiction)]

    context = Context()
    context._engine = Engine(plugins=[StandardsPlugin(), Empty()], load_entrypoints=False, environ={})
    result = CliRunner().invoke(cli, ["partners", "--province", "XE"], obj=context)
    assert result.output.splitlines()[0] == "XE: no COR program\\x1b[2J is known here"
