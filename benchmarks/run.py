"""Speed figures for corengine, as ratios against baselines measured in the same run.

Not a test: machines here are noisy, so figures are recorded in benchmarks/README.md and compared as
ratios. Run with `make bench` (or `.venv/bin/python benchmarks/run.py`).

(a) CLI: `corengine score EXAMPLE --format json` wall time over the import floor
    `python -c "import click, pluggy, attrs, cattrs, yaml"` (target <= 1.5x).
(b) Library: audits scored per second, in process, for a 150-question audit structured from a dict: 1,000
    different audits (seeded) in turn, and one audit over and over beside it (the engine reuses the results of
    answers it has met, which one repeated audit would flatter) (target >= 5,000/s on one core).
(c) (b) against a minimal hand-written loop over the same dicts (sum points, exact percentages, 80/50
    thresholds), written twice: with ``Fraction``, and with whole numbers only (exact scoring of integer
    points compares by cross-multiplication, ``positive * 100 >= threshold * total``) (target: within 10x of
    the integer loop over the same 1,000 audits).
(d) the action plan and path to pass of a failing 20,000-question audit against scoring it (target: the plan
    in under 2 s, a fraction of the scoring time).
(e) refusing a spreadsheet with one value at row 1,048,576 against reading the example audit as a filled
    workbook (and the same for an evidence index against the bundled one): time and peak memory, each in a
    fresh process, as ratios (target: refused in under 1 s and 200 MB); and the worst sheet at the size limit.

(g) `corengine batch DIR --jobs 2 --format csv -o out.csv` over 10,000 generated audits (the example audit with
    varied answers, as JSON files): wall time and peak memory of the largest process, and the same at 2,500 audits
    to show memory is flat, against scoring the same audits in process on one core, divided by 2 (target: <= 15 s
    wall on 2 cores, <= 200 MB, flat). ((f) is the HTTP service's own script.)

(h) small hostile files (issue 26): a workbook whose styles part holds millions of empty elements, one with ten
    million shared strings, a 5 MB YAML or JSON list of numbers where a mapping belongs, 480,000 unknown keys,
    and the worst files just within each limit: the time of the load and the peak memory of the process
    (``ru_maxrss`` of ``RUSAGE_CHILDREN`` read by a small launcher), each in a fresh process, against loading
    the example audit (YAML, and filled into a workbook) the same way (target: every one read or refused in
    under 2 s and 300 MB).

(r) the registry (issue 24): a generated history of 1,000 employers over four years (2022-2025: certification,
    two maintenance audits, recertification; seeded, one employer in 20 skipping its second maintenance audit),
    imported with `corengine registry import DIR` into SQLite and, when a server can be started (the fixture of
    tests/_registry/conftest.py), PostgreSQL; then the status of every employer on one date, in process. Baselines
    in the same run: loading and scoring the same audit files in process without a store (for the import), and
    judging each employer's cycle from those in-memory results (for status). `r` is not in the default set.

`run.py e` (any of a-e, g, h, r) runs only those figures.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "alberta-acsa-cor-certification-pass.yaml"
BIN = Path(sys.executable).parent


def wall(command: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def synthetic_standard(elements: int = 15, per_element: int = 10) -> dict[str, Any]:
    methods = ["awarded", "all_or_nothing", "range"]
    return {
        "id": "bench",
        "title": "Benchmark standard",
        "version": "1",
        "jurisdiction": "ZZ",
        "programs": ["COR"],
        "elements": [
            {
                "id": str(e),
                "title": f"Element {e}",
                "questions": [
                    {
                        "id": f"{e}.{q}",
                        "text": f"Question {e}.{q}",
                        "points": 10,
                        "methods": ["D", "I", "O"],
                        "scoring": {"method": methods[q % 3], "threshold": 70},
                        "na_allowed": True,
                    }
                    for q in range(1, per_element + 1)
                ],
            }
            for e in range(1, elements + 1)
        ],
        "rules": [
            {
                "id": "certification",
                "title": "Certification",
                "audit_types": ["certification"],
                "versions": [
                    {
                        "start": "2000-01-01",
                        "reference": ["https://example.org"],
                        "confidence": "H",
                        "overall_minimum": 80,
                        "element_minimum": 50,
                        "methods_required": ["D", "I", "O"],
                        "certificates": [{"certificate": "COR", "months": 36, "min_records_months": 12}],
                    }
                ],
            }
        ],
    }


def synthetic_audit(standard: dict[str, Any]) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for element in standard["elements"]:
        for n, question in enumerate(element["questions"]):
            if question["scoring"]["method"] == "awarded":
                responses[question["id"]] = {"points": 8 + n % 3}
            else:
                responses[question["id"]] = {"interviews": {"positive": 7 + n % 3, "total": 10}}
    return {
        "standard": "bench",
        "audit_type": "certification",
        "audit_date": "2024-05-01",
        "employer": {"name": "Bench Co", "workers": 40, "records_months": 12},
        "auditor": {"name": "B", "kind": "external"},
        "responses": responses,
    }


def varied_audits(standard: dict[str, Any], count: int = 1_000, seed: int = 14) -> list[dict[str, Any]]:
    """``count`` different audits of ``standard`` (seeded): points 0-10, tallies of 5-20 with any share positive,
    one question in 20 not applicable; so (b) does not score one audit over and over."""
    import random

    chance = random.Random(seed)
    audits = []
    for _ in range(count):
        audit = synthetic_audit(standard)
        responses: dict[str, Any] = {}
        for element in standard["elements"]:
            for question in element["questions"]:
                if chance.random() < 0.05:
                    responses[question["id"]] = {"na": "no such work"}
                elif question["scoring"]["method"] == "awarded":
                    responses[question["id"]] = {"points": chance.randint(0, 10)}
                else:
                    total = chance.randint(5, 20)
                    responses[question["id"]] = {"interviews": {"positive": chance.randint(0, total), "total": total}}
        audit["responses"] = responses
        audits.append(audit)
    return audits


def hand_loop(standard: dict[str, Any], audit: dict[str, Any]) -> bool:
    """What a spreadsheet does: sum each element, compare exact percentages with 80 and 50."""
    earned_all = available_all = Fraction(0)
    elements_ok = True
    for element in standard["elements"]:
        earned = available = Fraction(0)
        for question in element["questions"]:
            response = audit["responses"][question["id"]]
            points = Fraction(question["points"])
            if "points" in response:
                got = Fraction(response["points"])
            else:
                tally = response["interviews"]
                share = Fraction(tally["positive"], tally["total"])
                if question["scoring"]["method"] == "all_or_nothing":
                    got = points if share * 100 >= question["scoring"]["threshold"] else Fraction(0)
                else:
                    got = Fraction(int(points * share))
            earned += got
            available += points
        elements_ok = elements_ok and earned * 100 >= available * 50
        earned_all += earned
        available_all += available
    return elements_ok and earned_all * 100 >= available_all * 80


def integer_hand_loop(standard: dict[str, Any], audit: dict[str, Any]) -> bool:
    """:func:`hand_loop` in whole numbers: points are integers, so every comparison is exact by
    cross-multiplication and proportional points round down by integer division."""
    earned_all = available_all = 0
    elements_ok = True
    responses = audit["responses"]
    for element in standard["elements"]:
        earned = available = 0
        for question in element["questions"]:
            response = responses[question["id"]]
            points = question["points"]
            if "na" in response:
                continue
            if "points" in response:
                got = response["points"]
            else:
                tally = response["interviews"]
                positive, total = tally["positive"], tally["total"]
                if question["scoring"]["method"] == "all_or_nothing":
                    got = points if positive * 100 >= question["scoring"]["threshold"] * total else 0
                else:
                    got = points * positive // total
            earned += got
            available += points
        elements_ok = elements_ok and (available == 0 or earned * 100 >= available * 50)
        earned_all += earned
        available_all += available
    return elements_ok and earned_all * 100 >= available_all * 80


def rate(function: Any, seconds: float = 2.0) -> float:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        function()
        count += 1
    return count / (time.perf_counter() - start)


def main() -> None:
    chosen = set(sys.argv[1:]) or {"a", "b", "c", "d", "e", "g", "h"}
    if chosen & {"a", "b", "c"}:
        speed()
    if "d" in chosen:
        plan_at_scale()
    if "e" in chosen:
        spreadsheet_bounds()
    if "g" in chosen:
        batch_at_scale()
    if "h" in chosen:
        hostile_files()
    if "r" in chosen:
        registry_at_scale()


def speed() -> None:
    """(a), (b) and (c)."""
    from corengine import Engine, hookimpl

    runs = 15
    with tempfile.TemporaryDirectory() as caches:
        # Both commands as installed: with compiled bytecode (written under a private prefix, as the sandbox
        # may set PYTHONDONTWRITEBYTECODE) and corengine's cache of structured standards in a private folder.
        # One run of each first fills both; the cold figure reads every standard afresh.
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "CORENGINE_NO_CACHE")}
        env.update(PYTHONPYCACHEPREFIX=str(Path(caches) / "pyc"), XDG_CACHE_HOME=str(Path(caches) / "cache"))
        floor_cmd = [sys.executable, "-c", "import click, pluggy, attrs, cattrs, yaml"]
        score_cmd = [str(BIN / "corengine"), "score", str(EXAMPLE), "--format", "json"]
        help_cmd = [str(BIN / "corengine"), "--help"]
        wall(floor_cmd, 1, env)
        wall(score_cmd, 1, env)
        wall(help_cmd, 1, env)
        floor = wall(floor_cmd, runs, env)
        cli = wall(score_cmd, runs, env)
        helped = wall(help_cmd, runs, env)
        cold = wall(score_cmd, 5, {**env, "CORENGINE_NO_CACHE": "1"})
    print(
        f"(a) import floor {floor * 1000:.0f} ms; corengine score {cli * 1000:.0f} ms; ratio {cli / floor:.2f}x "
        f"(without the standards cache: {cold * 1000:.0f} ms, {cold / floor:.2f}x); "
        f"corengine --help {helped * 1000:.0f} ms, {helped / floor:.2f}x"
    )

    standard = synthetic_standard()
    audit = synthetic_audit(standard)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.json"  # JSON: a YAML file is read up to 200,000 values (MAX_VALUES)
        path.write_text(json.dumps(standard))

        class Bench:
            name = "bench"

            @hookimpl
            def corengine_register_standards(self) -> list[Path]:
                return [path]

        engine = Engine(plugins=[Bench()], load_entrypoints=False, environ={})
        result = engine.score(engine.audit_from_data(audit))
        assert hand_loop(standard, audit) == integer_hand_loop(standard, audit) == result.outcome.passed
        varied = varied_audits(standard)
        for one in varied:  # the engine and the integer loop decide each varied audit alike
            assert integer_hand_loop(standard, one) == engine.score(engine.audit_from_data(one)).outcome.passed
        questions = sum(len(e["questions"]) for e in standard["elements"])
        engine_rate = rate(lambda: engine.score(engine.audit_from_data(audit)))
        loop_rate = rate(lambda: hand_loop(standard, audit))
        integer_rate = rate(lambda: integer_hand_loop(standard, audit))
        turn = iter(range(1 << 62))
        varied_rate = rate(lambda: engine.score(engine.audit_from_data(varied[next(turn) % len(varied)])))
        turn = iter(range(1 << 62))
        varied_integer = rate(lambda: integer_hand_loop(standard, varied[next(turn) % len(varied)]))
    print(
        f"(b) {questions}-question audit: {varied_rate:,.0f} audits/s scored in process, "
        f"{len(varied):,} different audits in turn ({engine_rate:,.0f}/s scoring one audit over and over)"
    )
    print(
        f"(c) integer hand loop {varied_integer:,.0f} audits/s over the same audits: engine "
        f"{varied_integer / varied_rate:.1f}x slower (one audit: integer loop {integer_rate:,.0f}/s, engine "
        f"{integer_rate / engine_rate:.1f}x slower; Fraction loop {loop_rate:,.0f}/s, {loop_rate / engine_rate:.1f}x)"
    )


def plan_at_scale(questions: int = 20_000) -> None:
    """(d) The action plan and path to pass of a failing 20,000-question audit, against scoring it."""
    from corengine import Engine
    from corengine._rules.action_plan import build_plan

    standard = synthetic_standard(elements=20, per_element=questions // 20)
    for element in standard["elements"]:
        for question in element["questions"]:
            question["scoring"] = {"method": "awarded"}
    audit = synthetic_audit(standard)
    audit["responses"] = {ident: {"points": 5} for ident in audit["responses"]}  # 50%: far below 80%
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.json"  # JSON: a YAML file is read up to 200,000 values (MAX_VALUES)
        path.write_text(json.dumps(standard))
        engine = Engine(load_entrypoints=False, environ={})
        engine.add_standard_file(path)
        start = time.perf_counter()
        result = engine.score(engine.audit_from_data(audit))
        scored = time.perf_counter() - start
        start = time.perf_counter()
        plan = build_plan(result)
        planned = time.perf_counter() - start
    print(
        f"(d) {questions}-question failing audit: scored in {scored:.2f} s, planned in {planned:.2f} s "
        f"({len(plan.path.questions)} questions on the path to pass); plan/score {planned / scored:.2f}x"
    )


READ = """
import json, sys, time
import openpyxl  # imported lazily by the reader: loaded here so that the figures are the read's alone
from corengine.errors import InputError
from corengine._formats.evidence_index import load_index
from corengine._formats.xlsx import read_workbook_checked

def peak():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024

kind, path = sys.argv[1:3]
before = peak()
start = time.perf_counter()
try:
    if kind == "audit":
        read_workbook_checked(path)
    else:
        load_index(path)
    outcome = "read"
except InputError as exc:
    outcome = str(exc)
seconds = time.perf_counter() - start
after = peak()
print(json.dumps({"seconds": seconds, "peak_mb": after, "growth_mb": after - before, "outcome": outcome}))
"""
"""Reads one workbook in a fresh process: the time of the read, the process's peak resident memory and how much
the read raised it above the imports. The peak is Linux's ``VmHWM``, which starts afresh with the new program
(``ru_maxrss`` would carry over the benchmark's own peak from before ``exec``)."""


def read_in_process(kind: str, path: Path, runs: int = 5) -> dict[str, Any]:
    """The median time and peak memory of reading ``path`` over ``runs`` fresh processes."""
    results = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", READ, kind, str(path)], check=True, capture_output=True, text=True, timeout=600
        )
        results.append(json.loads(done.stdout))
    return {
        "seconds": statistics.median(r["seconds"] for r in results),
        "peak_mb": statistics.median(r["peak_mb"] for r in results),
        "growth_mb": statistics.median(r["growth_mb"] for r in results),
        "outcome": results[0]["outcome"],
    }


def filled_workbook(path: Path) -> None:
    """The example audit typed into a blank workbook for its standard, as an auditor would fill it."""
    from openpyxl import load_workbook

    from corengine import Engine
    from corengine._formats.xlsx import RESPONSE_COLUMNS, write_workbook

    data = yaml.safe_load(EXAMPLE.read_text())
    path.write_bytes(write_workbook(Engine().standard(data["standard"]), data["program"]))
    book = load_workbook(path)
    audit = book["Audit"]
    for row in range(2, audit.max_row + 1):
        value: Any = data
        for part in str(audit.cell(row=row, column=1).value).split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, list):
            value = ", ".join(value)
        if value is not None:
            audit.cell(row=row, column=2).value = value if not isinstance(value, dt.date) else value.isoformat()
    sheet = book["Responses"]
    column = {name: i for i, (name, _) in enumerate(RESPONSE_COLUMNS, start=1)}
    rows = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    for qid, response in data["responses"].items():
        row = rows[qid]
        for key, value in response.items():
            if key == "points":
                sheet.cell(row=row, column=column["Points"]).value = value
            elif key == "note":
                sheet.cell(row=row, column=column["Note"]).value = value
            else:
                sheet.cell(row=row, column=column["Tally"]).value = key
                sheet.cell(row=row, column=column["Positive"]).value = value["positive"]
                sheet.cell(row=row, column=column["Total"]).value = value["total"]
    book.save(path)


def with_value_at(source: Path, target: Path, sheet: str, cell: str) -> None:
    from openpyxl import load_workbook

    book = load_workbook(source)
    book[sheet][cell] = "x"
    book.save(target)


def flooded(source: Path, target: Path, part: str, unpacked: int) -> None:
    """``source`` with the sheet ``part`` padded with empty rows (``<row/>``) until the archive unpacks to just
    under ``unpacked`` bytes: the longest sheet a workbook within the limits can have."""
    with zipfile.ZipFile(source) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    room = unpacked - sum(len(data) for data in parts.values()) - 1024
    padding = b"<row/>" * (room // len(b"<row/>"))
    parts[part] = parts[part].replace(b"</sheetData>", padding + b"</sheetData>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    target.write_bytes(out.getvalue())


def spreadsheet_bounds() -> None:
    """(e) Refusing a workbook with one value at row 1,048,576, against reading a real one."""
    from corengine._formats.xlsx import MAX_UNPACKED

    index = ROOT / "examples" / "evidence" / "alberta-evidence-partial.xlsx"
    with tempfile.TemporaryDirectory() as folder:
        normal, far = Path(folder) / "audit.xlsx", Path(folder) / "far.xlsx"
        filled_workbook(normal)
        with_value_at(normal, far, "Responses", "A1048576")
        far_index = Path(folder) / "far-index.xlsx"
        with_value_at(index, far_index, "Records", "XFD1048576")
        longest = Path(folder) / "longest.xlsx"
        flooded(normal, longest, "xl/worksheets/sheet3.xml", MAX_UNPACKED)
        pairs = [
            ("audit", "the example audit (69 questions) as a workbook", normal, "one value at Responses!A1048576", far),
            ("index", "the bundled alberta-evidence-partial.xlsx", index, "one value at Records!XFD1048576", far_index),
        ]
        for kind, read_what, read_path, refuse_what, refuse_path in pairs:
            read = read_in_process(kind, read_path)
            refused = read_in_process(kind, refuse_path)
            assert read["outcome"] == "read", read["outcome"]
            assert "the sheet reaches row 1048576" in refused["outcome"], refused["outcome"]
            print(
                f"(e) {kind}: reading {read_what}: {read['seconds']:.3f} s, peak {read['peak_mb']:.0f} MB "
                f"(+{read['growth_mb']:.1f} MB over the imports); refusing {refuse_what}: {refused['seconds']:.3f} s, "
                f"peak {refused['peak_mb']:.0f} MB (+{refused['growth_mb']:.1f} MB); refuse/read: time "
                f"{refused['seconds'] / read['seconds']:.2f}x, peak memory {refused['peak_mb'] / read['peak_mb']:.2f}x"
            )
        worst = read_in_process("audit", longest, runs=3)
        print(
            f"(e) audit: a Responses sheet padded with empty rows to the {MAX_UNPACKED // 2**20} MiB unpacked limit "
            f"({longest.stat().st_size // 1024} KiB file): {worst['seconds']:.2f} s, peak {worst['peak_mb']:.0f} MB "
            f"(+{worst['growth_mb']:.1f} MB); {worst['outcome'].split(': ', 1)[-1]}"
        )


BATCH_RUN = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True)
seconds = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "code": done.returncode, "err": done.stderr.decode()}))
"""
"""Runs the batch from a fresh, small Python process, so that ``RUSAGE_CHILDREN``'s ``ru_maxrss`` (the largest
resident set of any one descendant waited for: the batch's main process or one of its workers) is the batch's
own, not the benchmark's."""


def generated_audits(folder: Path, count: int) -> None:
    """``count`` variants of the example audit as JSON files: each response's points (or tallies) varied by a
    fixed pseudo-random sequence, so some pass, some fail an element and some fail overall."""
    import random

    from corengine import Engine

    base = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    standard = Engine().standard(base["standard"])
    steps = {q.id: q.scoring.steps for _, q in standard.questions()}
    randomly = random.Random(14)
    for n in range(count):
        audit = json.loads(json.dumps(base, default=str))
        audit["employer"]["name"] = f"Generated employer {n}"
        for ident, response in audit["responses"].items():
            if isinstance(response, dict) and response.get("points") is not None:
                points = Fraction(str(response["points"]))
                lower = [s for s in steps.get(ident, ()) if s <= points] or [max(Fraction(0), points - 1), points]
                choice = randomly.choice([points, points, points, *lower])
                response["points"] = str(choice)
            for tally in ("interviews", "observations", "documents"):
                if isinstance(response, dict) and isinstance(response.get(tally), dict):
                    item = response[tally]
                    item["positive"] = max(0, int(item["positive"]) - randomly.choice((0, 0, 0, 1)))
        (folder / f"audit-{n:05}.json").write_text(json.dumps(audit), encoding="utf-8")


def batch_run(folder: Path, out: Path) -> dict[str, Any]:
    command = [str(BIN / "corengine"), "batch", str(folder), "--jobs", "2", "--format", "csv", "-o", str(out)]
    done = subprocess.run([sys.executable, "-c", BATCH_RUN, *command], check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout)
    assert result["code"] in (0, 2), result
    return result


def batch_at_scale(full: int = 10_000, part: int = 2_500) -> None:
    """(g) `corengine batch` over 10,000 generated audits on 2 workers, against in-process scoring on one core."""
    from corengine import Engine

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        small, large = root / "small", root / "large"
        small.mkdir()
        large.mkdir()
        generated_audits(large, full)
        for path in sorted(large.iterdir())[:part]:
            (small / path.name).write_bytes(path.read_bytes())
        engine = Engine()
        sample = sorted(large.iterdir())[:300]
        engine.score(engine.load_audit(sample[0]))
        start = time.perf_counter()
        for path in sample:
            engine.score(engine.load_audit(path))
        per_audit = (time.perf_counter() - start) / len(sample)
        baseline = per_audit * full / 2
        figures = {
            count: batch_run(where, root / f"out-{count}.csv") for count, where in ((part, small), (full, large))
        }
        rows = (root / f"out-{full}.csv").read_text(encoding="utf-8").split("\n\n")[0].count("\n")
        assert rows == full, rows
    print(
        f"(g) in-process baseline: {1 / per_audit:,.0f} audits/s on one core (load + score of one JSON file), "
        f"so {full:,} audits / 2 cores = {baseline:.1f} s"
    )
    for count, figure in figures.items():
        print(
            f"(g) batch of {count:,} audits, --jobs 2: {figure['seconds']:.1f} s wall "
            f"({count / figure['seconds']:,.0f} audits/s; {figure['seconds'] / (per_audit * count / 2):.2f}x the "
            f"baseline), peak {figure['peak_mb']:.0f} MB"
        )
    ratio = figures[full]["peak_mb"] / figures[part]["peak_mb"]
    print(f"(g) peak memory at {full:,} / at {part:,} audits: {ratio:.2f}x (flat when close to 1)")


HOSTILE_LOAD = """
import json, sys, time
from corengine import Engine, InputError
import openpyxl  # imported lazily by the reader: loaded here so that the figure is the load's alone
engine = Engine()
start = time.perf_counter()
try:
    engine.load_audit(sys.argv[1])
    outcome = "read"
except InputError as exc:
    outcome = exc.lines()[0].split(": ", 1)[-1]
print(json.dumps({"seconds": time.perf_counter() - start, "outcome": outcome}))
"""
"""Loads one audit file in a fresh process and prints the time of the load and why it was refused, if it was."""

LAUNCH = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=True, timeout=600)
figure = json.loads(done.stdout)
figure["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps(figure))
"""
"""Runs :data:`HOSTILE_LOAD` as its child from a small fresh process, so that ``RUSAGE_CHILDREN``'s ``ru_maxrss``
is the loading process's own peak."""

MAIN_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def rezipped(raw: bytes, edits: dict[str, Any]) -> bytes:
    """The workbook ``raw`` with each named part changed by its function (a part not there is added)."""
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


def with_strings(raw: bytes, table: bytes) -> bytes:
    """``raw`` with ``table`` as its shared-string table (declared in the content types and relationships)."""
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    return rezipped(
        raw,
        {
            "xl/sharedStrings.xml": lambda _: table,
            "[Content_Types].xml": lambda d: d.replace(
                b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}"/></Types>'.encode()
            ),
            "xl/_rels/workbook.xml.rels": lambda d: d.replace(
                b"</Relationships>",
                f'<Relationship Id="rId99" Type="{rel}" Target="sharedStrings.xml"/></Relationships>'.encode(),
            ),
        },
    )


def hostile_cases(folder: Path) -> list[tuple[str, Path]]:
    """The hostile files of (h), and the worst just within each limit, written into ``folder``."""
    from corengine._formats.xlsx.parts import MAX_SHARED_STRINGS, MAX_STYLE_ELEMENTS

    cases: list[tuple[str, Path]] = []

    def add(what: str, name: str, data: bytes | str) -> None:
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        cases.append((what, path))

    example = EXAMPLE.read_text()
    add("baseline: the example audit (YAML)", "example.yaml", example)
    normal = folder / "example.xlsx"
    filled_workbook(normal)
    cases.append(("baseline: the example audit as a filled workbook", normal))
    raw = normal.read_bytes()
    styles = rezipped(
        raw, {"xl/styles.xml": lambda d: d.replace(b"</styleSheet>", b"<x/>" * 12_000_000 + b"</styleSheet>")}
    )
    add(f"workbook, styles part of 12 million empty elements ({len(styles) // 1024} KB)", "styles.xlsx", styles)
    strings = with_strings(raw, b"<sst " + MAIN_NS + b">" + b"<si/>" * 10_000_000 + b"</sst>")
    add(f"workbook, 10 million shared strings ({len(strings) // 1024} KB)", "strings.xlsx", strings)
    formats = MAX_STYLE_ELEMENTS - 200  # the part's own elements fill the rest
    at_styles = rezipped(raw, {"xl/styles.xml": lambda d: d.replace(b"</cellXfs>", b"<xf/>" * formats + b"</cellXfs>")})
    add(f"workbook, {formats:,} cell formats (styles within their limit)", "at-styles.xlsx", at_styles)
    table = b"".join(b"<si><t>text %d</t></si>" % i for i in range(MAX_SHARED_STRINGS))
    add(
        f"workbook, {MAX_SHARED_STRINGS:,} shared strings (the limit)",
        "at-strings.xlsx",
        with_strings(raw, b"<sst " + MAIN_NS + b">" + table + b"</sst>"),
    )
    numbers = "[" + ", ".join(str(i % 1000) for i in range(1_000_000)) + "]\n"
    add(f"YAML, a flow list of a million numbers ({len(numbers) // 1024} KB)", "numbers.yaml", numbers)
    add(f"JSON, a list of a million numbers ({len(numbers) // 1024} KB)", "numbers.json", numbers)
    keys = example + "".join(f"{i:x}: 1\n" for i in range(480_000))
    add(f"YAML, 480,000 unknown keys ({len(keys) // 1024} KB)", "keys.yaml", keys)
    data = yaml.safe_load(example)
    data.update({f"{i:x}": 1 for i in range(480_000)})
    as_json = json.dumps(data, default=str, separators=(",", ":"))
    add(f"JSON, 480,000 unknown keys ({len(as_json) // 1024} KB)", "keys.json", as_json)
    within = example + "".join(f"unknown_key_{i}: 1\n" for i in range(99_000))
    add(f"YAML, 99,000 unknown keys (within 200,000 values; {len(within) // 1024} KB)", "within.yaml", within)
    data = yaml.safe_load(example)
    data.update({f"unknown_key_{i}": 1 for i in range(99_950)})
    as_json = json.dumps(data, default=str)
    add(f"JSON, 99,950 unknown keys (within 100,000 entries; {len(as_json) // 1024} KB)", "within.json", as_json)
    data = yaml.safe_load(example)
    data.update({f"extra_{j}": [0] * 99_999 for j in range(4)})
    data["extra_4"] = [0] * 99_000  # with the example's own values, just under 500,000
    as_json = json.dumps(data, default=str, separators=(",", ":"))
    add(
        f"JSON, five lists of ~100,000 numbers (within 500,000 values; {len(as_json) // 1024} KB)",
        "lists.json",
        as_json,
    )
    data["extra_5"] = [0] * 2_000
    as_json = json.dumps(data, default=str, separators=(",", ":"))
    add(f"JSON, over 500,000 values ({len(as_json) // 1024} KB)", "over.json", as_json)
    return cases


def hostile_files() -> None:
    """(h) Small hostile files and the worst within each limit, each loaded in a fresh process."""
    with tempfile.TemporaryDirectory() as folder:
        for what, path in hostile_cases(Path(folder)):
            done = subprocess.run(
                [sys.executable, "-c", LAUNCH, sys.executable, "-c", HOSTILE_LOAD, str(path)],
                check=True,
                capture_output=True,
                text=True,
                timeout=900,
            )
            figure = json.loads(done.stdout)
            outcome = figure["outcome"] if len(figure["outcome"]) < 110 else figure["outcome"][:107] + "..."
            print(f"(h) {what}: {figure['seconds']:.2f} s, peak {figure['peak_mb']:.0f} MB; {outcome}")


REGISTRY_BASE = ROOT / "examples" / "alberta-acsa-cor-certification-pass.yaml"


def registry_history(folder: Path, employers: int, seed: int = 24) -> int:
    """Four years of audits of ``employers`` employers as JSON files in ``folder``: each a certification in 2022,
    maintenance audits about one and two years later (one employer in 20 skips the second) and a recertification
    before the certificate ends; answers varied by a seeded sequence. The number of files written."""
    import random

    base = yaml.safe_load(REGISTRY_BASE.read_text(encoding="utf-8"))
    for key in ("start_date", "report_date"):
        base.pop(key, None)
    randomly = random.Random(seed)
    written = 0
    for n in range(employers):
        start = dt.date(2022, 1, 10) + dt.timedelta(days=randomly.randint(0, 290))
        plan = [
            ("certification", start),
            ("maintenance", start + dt.timedelta(days=365 + randomly.randint(-20, 20))),
            ("maintenance", start + dt.timedelta(days=730 + randomly.randint(-20, 20))),
            ("recertification", start + dt.timedelta(days=1095 - randomly.randint(10, 60))),
        ]
        if randomly.random() < 0.05:
            del plan[2]
        for audit_type, day in plan:
            audit = json.loads(json.dumps(base, default=str))
            audit.update(audit_type=audit_type, audit_date=day.isoformat())
            audit["employer"].update(name=f"Bench Employer {n:04} Ltd.", account=f"WCB {n:07}")
            if audit_type == "maintenance":
                audit["auditor"]["kind"] = "internal"
            for response in audit["responses"].values():
                tally = response.get("interviews") if isinstance(response, dict) else None
                if isinstance(tally, dict):
                    tally["positive"] = max(0, int(tally["positive"]) - randomly.choice((0, 0, 0, 1)))
            (folder / f"{n:04}-{day.isoformat()}-{audit_type}.json").write_text(json.dumps(audit), encoding="utf-8")
            written += 1
    return written


def _registry_import(db: str, folder: Path) -> float:
    corengine = str(BIN / "corengine")
    subprocess.run([corengine, "registry", "init", "--db", db], check=True, capture_output=True)
    start = time.perf_counter()
    done = subprocess.run([corengine, "registry", "import", str(folder), "--db", db], capture_output=True, text=True)
    took = time.perf_counter() - start
    assert done.returncode == 0, done.stderr[-2000:]
    assert " 0 bad" in done.stdout.splitlines()[-1], done.stdout[-500:]
    return took


def _registry_status(db: str, keys: list[str], on: dt.date) -> tuple[float, dict[str, int]]:
    from corengine import Engine
    from corengine._registry.records import status
    from corengine._registry.store import Store, database_url

    engine = Engine()
    store = Store(database_url(db))
    counts: dict[str, int] = {}
    try:
        start = time.perf_counter()
        with store.reading() as session:
            for key in keys:
                found = status(engine, session, key, on).status
                counts[found] = counts.get(found, 0) + 1
        took = time.perf_counter() - start
    finally:
        store.close()
    return took, counts


def registry_at_scale(employers: int | None = None, on: dt.date = dt.date(2025, 12, 31)) -> None:
    """(r) importing a generated four-year history of 1,000 employers, and every employer's status on one date."""
    from corengine import Engine
    from corengine._rules.cycle import check_cycle
    from corengine._rules.standing import standing

    employers = employers or int(os.environ.get("CORENGINE_BENCH_EMPLOYERS", "1000"))
    print(f"(r) load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        audits = root / "audits"
        audits.mkdir()
        files = registry_history(audits, employers)
        engine = Engine()
        paths = sorted(audits.iterdir())
        engine.score(engine.load_audit(paths[0]))
        start = time.perf_counter()
        results = [engine.score(engine.load_audit(path)) for path in paths]
        baseline = time.perf_counter() - start
        by_employer: dict[str, list[Any]] = {}
        for result in results:
            by_employer.setdefault(result.audit.employer.account or "", []).append(result)
        start = time.perf_counter()
        expected: dict[str, int] = {}
        for group in by_employer.values():
            found = standing(check_cycle(group, on)).state
            expected[found] = expected.get(found, 0) + 1
        cycle_baseline = time.perf_counter() - start
        print(
            f"(r) {employers:,} employers, {files:,} audit files; baseline: load + score in process, no store: "
            f"{baseline:.1f} s ({files / baseline:,.0f} audits/s); every employer's cycle and standing from those "
            f"results on {on}: {cycle_baseline:.2f} s"
        )
        keys = sorted(by_employer)
        databases = [("SQLite", str(root / "registry.sqlite3"))]
        cluster = None
        try:
            sys.path.insert(0, str(ROOT))
            from tests._registry.conftest import _Cluster

            cluster = _Cluster()
            cluster.start()
            if cluster.url:
                databases.append(("PostgreSQL", cluster.database("bench")))
            else:
                print(f"(r) PostgreSQL skipped: {cluster.reason}")
            for label, db in databases:
                imported = _registry_import(db, audits)
                took, counts = _registry_status(db, keys, on)
                assert counts == expected, (counts, expected)
                print(
                    f"(r) {label}: import {imported:.1f} s ({files / imported:,.0f} audits/s; {imported / baseline:.2f}x "
                    f"the baseline); status of {len(keys):,} employers on {on}: {took:.2f} s "
                    f"({took / len(keys) * 1000:.1f} ms each; {took / cycle_baseline:.2f}x the in-memory cycle); "
                    f"{dict(sorted(counts.items()))}"
                )
        finally:
            if cluster is not None:
                cluster.stop()
    print(f"(r) load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
