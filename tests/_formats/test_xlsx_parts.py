"""Every XML part of a workbook is measured before openpyxl touches it (issue 26, item 1): a 43 KB file whose
styles part holds millions of empty elements, or a 92 KB one with ten million shared strings, is refused with one
problem naming the part and the limit, after counting no more than the limit's elements. The hostile files are
generated here; the work is bounded by counting (elements seen, openpyxl never called), never by timing: the
time and memory are measured in benchmarks/run.py (h)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from starlette.testclient import TestClient

from corengine import Engine, InputError
from corengine._formats.evidence_index import load_index
from corengine._formats.xlsx import parts, read_workbook_checked, workbook_from_bytes, write_workbook
from corengine._formats.xlsx.parts import (
    MAX_DEFINED_NAMES,
    MAX_ELEMENTS,
    MAX_PART_ELEMENTS,
    MAX_SHARED_STRINGS,
    MAX_STYLE_ELEMENTS,
)
from tests.helpers import EXAMPLES, run

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHARED = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def blank() -> bytes:
    return write_workbook(Engine().standard("ab-acsa-cor"), "COR")


def rebuilt(raw: bytes, edits: dict[str, Callable[[bytes], bytes]]) -> bytes:
    """``raw`` with each named part changed (a part not there is added, from empty bytes)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, edits[info.filename](data) if info.filename in edits else data)
        for name, change in edits.items():
            if name not in source.namelist():
                target.writestr(name, change(b""))
    return out.getvalue()


def with_shared_strings(raw: bytes, table: bytes) -> bytes:
    return rebuilt(
        raw,
        {
            "xl/sharedStrings.xml": lambda _: table,
            "[Content_Types].xml": lambda d: d.replace(
                b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED}"/></Types>'.encode()
            ),
            "xl/_rels/workbook.xml.rels": lambda d: d.replace(
                b"</Relationships>",
                f'<Relationship Id="rId99" Type="{SHARED_REL}" Target="sharedStrings.xml"/></Relationships>'.encode(),
            ),
        },
    )


def styles_flood(raw: bytes) -> bytes:
    """The styles part with about twelve million empty elements: a 43 KB file (48 MB unpacked)."""
    return rebuilt(
        raw, {"xl/styles.xml": lambda d: d.replace(b"</styleSheet>", b"<x/>" * 12_000_000 + b"</styleSheet>")}
    )


def strings_flood(raw: bytes) -> bytes:
    """Ten million empty shared strings: a file of about 90 KB (50 MB unpacked)."""
    return with_shared_strings(raw, b"<sst " + MAIN + b">" + b"<si/>" * 10_000_000 + b"</sst>")


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """The elements the measure saw in each part, and openpyxl's opening of a workbook made to fail the test."""
    seen: dict[str, int] = {}
    real = parts._Counter.start

    def start(self: Any, name: str, attributes: Any) -> None:
        try:
            real(self, name, attributes)
        finally:
            seen[self.part] = self.elements

    monkeypatch.setattr(parts._Counter, "start", start)
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("openpyxl opened the workbook"))
    return seen


def refused(raw: bytes, name: str = "audit.xlsx") -> list[str]:
    with pytest.raises(InputError) as caught:
        read_workbook_checked(name, raw)
    return caught.value.lines()


def test_a_styles_part_of_millions_of_empty_elements_is_refused_after_counting_its_limit(
    counted: dict[str, int],
) -> None:
    raw = styles_flood(blank())
    assert len(raw) < 100_000
    assert refused(raw) == [
        f"audit.xlsx: the part xl/styles.xml holds more than {MAX_STYLE_ELEMENTS} elements (at most 20000 are read)"
    ]
    assert counted["xl/styles.xml"] == MAX_STYLE_ELEMENTS + 1


def test_ten_million_shared_strings_are_refused_after_counting_the_limit(counted: dict[str, int]) -> None:
    raw = strings_flood(blank())
    assert len(raw) < 100_000
    assert refused(raw) == [
        f"audit.xlsx: the part xl/sharedStrings.xml holds more than {MAX_SHARED_STRINGS} shared strings "
        "(at most 50000 are read)"
    ]
    assert counted["xl/sharedStrings.xml"] == MAX_SHARED_STRINGS + 2  # the table's own element, then the strings


def test_shared_strings_up_to_the_limit_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parts, "MAX_SHARED_STRINGS", 10)
    table = b"<sst " + MAIN + b">" + b"<si><t>text</t></si>" * 10 + b"</sst>"
    with workbook_from_bytes(with_shared_strings(blank(), table), "audit.xlsx") as opened:
        assert opened.sheetnames == ["Instructions", "Audit", "Responses"]
    over = table.replace(b"</sst>", b"<si><t>one more</t></si></sst>")
    assert refused(with_shared_strings(blank(), over)) == [
        "audit.xlsx: the part xl/sharedStrings.xml holds more than 10 shared strings (at most 10 are read)"
    ]


def test_too_many_defined_names_are_refused() -> None:
    names = b"".join(b'<definedName name="n%d">Audit!$A$1</definedName>' % i for i in range(MAX_DEFINED_NAMES + 1))
    raw = rebuilt(blank(), {"xl/workbook.xml": lambda d: d.replace(b"</definedNames>", names + b"</definedNames>")})
    assert refused(raw) == [
        "audit.xlsx: the part xl/workbook.xml holds more than 1000 defined names (at most 1000 are read)"
    ]


def test_any_other_part_is_bounded_and_so_are_all_parts_together(counted: dict[str, int]) -> None:
    flood = b"<Types>" + b"<x/>" * MAX_PART_ELEMENTS + b"</Types>"
    raw = rebuilt(blank(), {"[Content_Types].xml": lambda _: flood})
    assert refused(raw) == [
        "audit.xlsx: the part [Content_Types].xml holds more than 20000 elements (at most 20000 are read)"
    ]
    counted.clear()
    just_under = b"<a>" + b"<x/>" * (MAX_PART_ELEMENTS - 2) + b"</a>"
    many = {f"xl/extra/part{i}.xml": (lambda _: just_under) for i in range(MAX_ELEMENTS // MAX_PART_ELEMENTS + 1)}
    message = refused(rebuilt(blank(), many))[0]
    assert message.startswith(
        "audit.xlsx: the workbook's parts hold more than 400000 elements together (at most 400000 are read; "
        "the limit was reached in xl/extra/part"
    )
    assert sum(counted.values()) == MAX_ELEMENTS + 1


def test_an_evidence_index_and_the_cli_refuse_the_same(tmp_path: Path, counted: dict[str, int]) -> None:
    index = tmp_path / "index.xlsx"
    index.write_bytes(styles_flood((EXAMPLES / "evidence" / "alberta-evidence-partial.xlsx").read_bytes()))
    with pytest.raises(InputError) as caught:
        load_index(index)
    assert caught.value.lines() == [
        f"{index}: the part xl/styles.xml holds more than 20000 elements (at most 20000 are read)"
    ]
    audit = tmp_path / "audit.xlsx"
    audit.write_bytes(strings_flood(blank()))
    result = run("validate", str(audit))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {audit}: the part xl/sharedStrings.xml holds more than 50000 shared strings (at most 50000 are read)\n"
    )


def test_the_service_answers_422_naming_the_part() -> None:
    from corengine._http.app import create_app

    with TestClient(create_app(Engine())) as client:
        response = client.post("/v1/score", files={"audit": ("audit.xlsx", styles_flood(blank()))})
    assert response.status_code == 422
    assert [p["message"] for p in response.json()["problems"]] == [
        "the part xl/styles.xml holds more than 20000 elements (at most 20000 are read)"
    ]
