"""Readiness of an evidence index: pinned outputs, the spreadsheet form, and the estimate's invariants."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corengine import Engine
from corengine._cli.main import cli
from corengine._formats.evidence_index import index_to_xlsx, load_index
from corengine._rules.readiness import COVERED, Item, check, readiness
from corengine._util.dates import add_months
from corengine.model import EvidenceIndex, Expectation, ManualSection, RecordSet
from corengine.model.evidence_kinds import vocabulary
from tests.helpers import EXAMPLES, ROOT, bundled_engine, golden, run_ok

EVIDENCE = EXAMPLES / "evidence"
STANDARDS = ["ab-acsa-cor", "ab-acsa-secor", "ab-esc-cor", "bc-bccsa-cor", "on-ihsa-cor2020"]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return bundled_engine()


# --------------------------------------------------------------------------- pinned outputs


@pytest.mark.parametrize(
    ("standard", "index", "fmt", "name"),
    [
        ("ab-acsa-cor", "alberta-evidence-partial.yaml", "text", "readiness-alberta-partial.txt"),
        ("ab-acsa-cor", "alberta-evidence-stale.yaml", "text", "readiness-alberta-stale.txt"),
        ("on-ihsa-cor2020", "ontario-evidence-partial.yaml", "md", "readiness-ontario-partial.md"),
        ("bc-bccsa-cor", "bc-evidence-partial.yaml", "json", "readiness-bc-partial.json"),
    ],
)
def test_readiness_output_is_pinned(
    standard: str, index: str, fmt: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from the checkout with a relative path, so the output names the file the same way under any checkout
    path (a long one wraps differently; replacing it afterwards missed the wrapped text)."""
    monkeypatch.chdir(ROOT)
    out = run_ok("readiness", standard, f"examples/evidence/{index}", "--format", fmt)
    golden(name, out)


@pytest.mark.parametrize("province", ["alberta", "ontario", "bc"])
def test_a_complete_index_is_fully_ready_and_a_stale_one_is_not(province: str) -> None:
    standard = {"alberta": "ab-acsa-cor", "ontario": "on-ihsa-cor2020", "bc": "bc-bccsa-cor"}[province]
    results = {}
    for variant in ("complete", "partial", "stale"):
        data = json.loads(
            run_ok("readiness", standard, str(EVIDENCE / f"{province}-evidence-{variant}.yaml"), "--format", "json")
        )
        assert data["label"].startswith("Readiness estimate from documents and records only")
        results[variant] = Fraction(data["overall"]["estimate_exact"])
    assert results["complete"] == 100
    assert results["stale"] < results["partial"] < 100


def test_the_readiness_text_says_it_is_an_estimate_not_a_score() -> None:
    out = run_ok("readiness", "ab-acsa-cor", str(EVIDENCE / "alberta-evidence-partial.yaml"))
    assert "not an audit score" in out
    assert "Score" not in out


def test_an_index_for_another_standard_is_checked_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # a relative path: the text wraps alike under any checkout path
    index = "examples/evidence/alberta-evidence-partial.yaml"  # standard: ab-acsa-cor
    expected = (
        f"{index}:5: standard: the index was prepared for 'ab-acsa-cor' but is checked against 'ab-esc-cor'; "
        "the estimate is for ab-esc-cor's questions (check the standard named, or correct the index's standard)"
    )
    assert json.loads(run_ok("readiness", "ab-esc-cor", index, "--format", "json"))["warnings"] == [expected]
    text = run_ok("readiness", "ab-esc-cor", index).replace("\n", " ")
    assert f"Warning: {index}:5: standard: the index was prepared for 'ab-acsa-cor'" in " ".join(text.split())
    markdown = run_ok("readiness", "ab-esc-cor", index, "--format", "md")
    assert f"**Warning:** {index}:5: standard: the index was prepared for 'ab-acsa-cor'" in markdown
    assert json.loads(run_ok("readiness", "ab-acsa-cor", index, "--format", "json"))["warnings"] == []
    assert "Warning" not in run_ok("readiness", "ab-acsa-cor", index)


def test_on_moves_the_judging_date() -> None:
    later = json.loads(
        run_ok(
            "readiness",
            "ab-acsa-cor",
            str(EVIDENCE / "alberta-evidence-complete.yaml"),
            "--on",
            "2026-10-18",
            "--format",
            "json",
        )
    )
    assert later["on"] == "2026-10-18"
    assert Fraction(later["overall"]["estimate_exact"]) < 100


def test_bc_small_checks_only_the_small_program_questions() -> None:
    data = json.loads(
        run_ok(
            "readiness",
            "bc-bccsa-cor",
            str(EVIDENCE / "bc-evidence-complete.yaml"),
            "--program",
            "Small",
            "--format",
            "json",
        )
    )
    ids = [q["id"] for e in data["elements"] for q in e["questions"]]
    assert "1.3" not in ids and "1.1" in ids
    assert data["program"] == "Small"


def test_an_unknown_program_is_a_usage_error() -> None:
    result = CliRunner().invoke(
        cli, ["readiness", "ab-acsa-cor", str(EVIDENCE / "alberta-evidence-partial.yaml"), "--program", "Big"]
    )
    assert result.exit_code == 2
    assert result.stderr == "error: --program: ab-acsa-cor has no program 'Big' (programs: COR)\n"


def test_map_output_is_pinned() -> None:
    golden("map-bc-small.md", run_ok("map", "bc-bccsa-cor", "--program", "Small", "--format", "md"))
    text = run_ok("map", "ab-acsa-cor")
    assert text.startswith("ab-acsa-cor — ACSA-style construction COR audit")
    assert (  # wrapped at 80 columns, continuing under the evidence's text
        "        - record    Inspection records [inspection-record] over 12 months within\n"
        "                    12 months: planned inspections for the last 12 months\n" in text
    )
    data = json.loads(run_ok("map", "on-ihsa-cor2020", "--format", "json"))
    assert sum(len(e["questions"]) for e in data["elements"]) == 60
    vocabulary_text = run_ok("map", "on-ihsa-cor2020", "--vocabulary")
    assert "working-at-heights-record *" in vocabulary_text


# --------------------------------------------------------------------------- the spreadsheet form


def test_the_spreadsheet_form_reads_the_same_index(tmp_path: Path) -> None:
    yaml_index = load_index(EVIDENCE / "ontario-evidence-partial.yaml").index
    path = tmp_path / "index.xlsx"
    path.write_bytes(index_to_xlsx(yaml_index))
    assert load_index(path).index == yaml_index
    assert (
        load_index(EVIDENCE / "alberta-evidence-partial.xlsx").index
        == load_index(EVIDENCE / "alberta-evidence-partial.yaml").index
    )


def test_spreadsheet_errors_name_the_sheet_and_the_cell(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    employer = book.active
    employer.title = "Employer"
    employer.append(["employer", "Cells Ltd."])
    employer.append(["colour", "blue"])
    records = book.create_sheet("Records")
    records.append(["kind", "title", "count", "first", "last"])
    records.append(["inspection-records", "Inspections", 12, "2023-11-01", "2024-10-01"])
    records.append(["drill-record", "Drills", "two", "2024-02-30", "2024-06-01"])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    result = CliRunner().invoke(cli, ["readiness", "ab-acsa-cor", str(path)])
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"error: {path}: Employer!A2: unknown key 'colour' (expected one of: employer, standard, program, audit_date)\n"
    )
    employer.delete_rows(2)
    book.save(path)
    result = CliRunner().invoke(cli, ["readiness", "ab-acsa-cor", str(path)])
    assert result.stderr.splitlines() == [
        f"error: {path}: Records!C3 (count): expected a whole number, not 'two'",
        f"error: {path}: Records!D3 (first): '2024-02-30' is not a date that exists (day is out of range for month)",
    ]
    records.delete_rows(3)
    book.save(path)
    result = CliRunner().invoke(cli, ["readiness", "ab-acsa-cor", str(path)])
    assert result.stderr == (
        f"error: {path}: Records!A2 (kind): unknown evidence kind 'inspection-records' "
        "(did you mean 'inspection-record'? `corengine map STANDARD --vocabulary` lists them)\n"
    )


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("not a zip")
    result = CliRunner().invoke(cli, ["readiness", "ab-acsa-cor", str(path)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {path}: named .xlsx but holds text, not a workbook (an .xlsx file is a zip archive); "
        "if it is YAML or JSON, name it .yaml or .json\n",
    )


# --------------------------------------------------------------------------- the checking rules


ON = dt.date(2024, 10, 18)


def test_months_back_clamp_to_the_month_end() -> None:
    assert add_months(dt.date(2024, 3, 31), -1) == dt.date(2024, 2, 29)
    assert add_months(ON, -12) == dt.date(2023, 10, 18)


def test_a_record_set_straddling_the_window_counts_its_share() -> None:
    x = Expectation(kind="inspection-record", count=12, within_months=12, months=12)
    items = [Item("inspection-record", "records", 24, dt.date(2022, 11, 1), dt.date(2024, 10, 1))]
    result = check(x, items, ON, "record")
    # 24 records over 24 months, 13 of them (Oct 2023 to Oct 2024) in the window: 24 × 13 ÷ 24 = 13
    assert (result.status, result.credit, result.found) == (
        COVERED,
        1,
        "13 records over 13 months dated on or after 2023-10-18",
    )


def test_too_few_too_old_and_fewer_months_are_thin() -> None:
    x = Expectation(kind="drill-record", count=4, within_months=12)
    few = check(x, [Item("drill-record", "d", 1, dt.date(2024, 5, 1), dt.date(2024, 5, 1))], ON, "record")
    assert (few.status, few.credit, few.problems) == ("thin", Fraction(1, 4), ("too few: 1 of 4",))
    old = check(x, [Item("drill-record", "d", 9, dt.date(2021, 5, 1), dt.date(2022, 5, 1))], ON, "record")
    assert (old.status, old.credit) == ("thin", 0)
    assert old.problems == ("too old: newest 2022-05-01, needs one dated on or after 2023-10-18",)
    months = Expectation(kind="inspection-record", months=12)
    short = check(months, [Item("inspection-record", "i", 9, dt.date(2024, 4, 1), dt.date(2024, 9, 30))], ON, "record")
    assert (short.status, short.credit, short.problems) == ("thin", Fraction(6, 12), ("fewer months: 6 of 12",))


def test_an_undated_section_never_counts_as_current() -> None:
    x = Expectation(kind="policy", within_months=12)
    undated = check(x, [Item("policy", "manual 1", 1, None, None)], ON)
    assert (undated.status, undated.credit) == ("thin", 0)
    assert undated.problems == ("undated: 1 manual section without a review date",)
    assert check(Expectation(kind="policy"), [Item("policy", "manual 1", 1, None, None)], ON).status == COVERED


def test_evidence_dated_after_the_audit_does_not_exist_yet() -> None:
    x = Expectation(kind="policy")
    assert check(x, [Item("policy", "m", 1, dt.date(2024, 11, 1), dt.date(2024, 11, 1))], ON).status == "missing"


# --------------------------------------------------------------------------- properties

KINDS = [
    "policy",
    "hazard-assessment",
    "inspection-record",
    "safety-meeting-record",
    "flha",
    "training-record",
    "drill-record",
]
dates = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2026, 12, 31))


@st.composite
def record_sets(draw: st.DrawFn) -> RecordSet:
    first = draw(dates)
    last = draw(st.dates(min_value=first, max_value=min(first + dt.timedelta(days=900), dt.date(2027, 12, 31))))
    return RecordSet(draw(st.sampled_from(KINDS)), "records", draw(st.integers(1, 60)), first, last)


@st.composite
def sections(draw: st.DrawFn) -> ManualSection:
    ident = draw(st.integers(1, 10_000))
    kinds = tuple(draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=3, unique=True)))
    return ManualSection(str(ident), "section", kinds, draw(st.none() | dates))


def indexes() -> st.SearchStrategy[EvidenceIndex]:
    return st.builds(
        lambda manual, records: EvidenceIndex(
            "Property Ltd.", manual=tuple({s.id: s for s in manual}.values()), records=tuple(records)
        ),
        st.lists(sections(), max_size=6),
        st.lists(record_sets(), max_size=6),
    )


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    standard_id=st.sampled_from(STANDARDS),
    index=indexes(),
    extra=st.one_of(sections(), record_sets()),
    on=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 12, 31)),
)
def test_adding_evidence_never_lowers_readiness(
    engine: Engine, standard_id: str, index: EvidenceIndex, extra: ManualSection | RecordSet, on: dt.date
) -> None:
    standard = engine.standard(standard_id)
    vocab = vocabulary(standard)
    program = standard.programs[0]
    if isinstance(extra, ManualSection):
        extra = ManualSection(f"x{extra.id}", extra.title, extra.kinds, extra.reviewed)
        more = EvidenceIndex(index.employer, manual=(*index.manual, extra), records=index.records)
    else:
        more = EvidenceIndex(index.employer, manual=index.manual, records=(*index.records, extra))
    before = readiness(standard, vocab, index, on, program)
    after = readiness(standard, vocab, more, on, program)
    assert after.ready >= before.ready
    assert after.checked == before.checked
    for old, new in zip(before.elements, after.elements, strict=True):
        assert new.ready >= old.ready
        for q_old, q_new in zip(old.questions, new.questions, strict=True):
            assert (q_new.credit or 0) >= (q_old.credit or 0)
            assert q_new.at_risk <= q_old.at_risk
    assert before.estimate is None or 0 <= before.estimate <= 100


@settings(max_examples=200)
@given(
    kind=st.sampled_from(KINDS),
    window=st.integers(1, 40),
    months=st.none() | st.integers(1, 24),
    count=st.integers(1, 30),
    items=st.lists(record_sets(), max_size=6),
    on=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 12, 31)),
)
def test_stale_evidence_never_counts_as_current(
    kind: str, window: int, months: int | None, count: int, items: list[RecordSet], on: dt.date
) -> None:
    x = Expectation(kind=kind, count=count, within_months=window, months=months)
    start = add_months(on, -window)
    entries = [Item(kind, "r", r.count, r.first, r.last) for r in items]
    stale = [e for e in entries if e.last is not None and e.last < start]
    current = [e for e in entries if e not in stale]
    assert check(x, entries, on, "record").credit == check(x, current, on, "record").credit
    only_stale = check(x, stale, on, "record")
    assert only_stale.credit == 0
    assert only_stale.status != COVERED
    future = [Item(kind, "r", r.count, on + dt.timedelta(days=1), on + dt.timedelta(days=30)) for r in items]
    assert check(x, future, on, "record").credit == 0


def test_the_mapping_commands_have_help() -> None:
    for command in ("map", "readiness", "crosswalk"):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage: " in result.output
