"""Speed figures for corengine, as ratios against baselines measured in the same run.

Not a test: machines here are noisy, so figures are recorded in benchmarks/README.md and compared as
ratios. Run with `make bench` (or `.venv/bin/python benchmarks/run.py`).

(a) CLI: `corengine score EXAMPLE --format json` wall time over the import floor
    `python -c "import click, pluggy, attrs, cattrs, yaml"` (target <= 1.5x).
(b) Library: audits scored per second, in process, for a 150-question audit structured from a dict
    (target >= 2,000/s on one core).
(c) (b) against a minimal hand-written loop over the same dict (sum points, exact percentages, 80/50
    thresholds) (target within 10x).
(d) the action plan and path to pass of a failing 20,000-question audit against scoring it (target: the plan
    in under 2 s, a fraction of the scoring time).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "alberta-acsa-cor-certification-pass.yaml"
BIN = Path(sys.executable).parent


def wall(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
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


def rate(function: Any, seconds: float = 2.0) -> float:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        function()
        count += 1
    return count / (time.perf_counter() - start)


def main() -> None:
    from corengine import Engine, hookimpl

    runs = 15
    floor = wall([sys.executable, "-c", "import click, pluggy, attrs, cattrs, yaml"], runs)
    cli = wall([str(BIN / "corengine"), "score", str(EXAMPLE), "--format", "json"], runs)
    print(f"(a) import floor {floor * 1000:.0f} ms; corengine score {cli * 1000:.0f} ms; ratio {cli / floor:.2f}x")

    standard = synthetic_standard()
    audit = synthetic_audit(standard)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.yaml"
        path.write_text(yaml.safe_dump(standard))

        class Bench:
            name = "bench"

            @hookimpl
            def corengine_register_standards(self) -> list[Path]:
                return [path]

        engine = Engine(plugins=[Bench()], load_entrypoints=False, environ={})
        result = engine.score(engine.audit_from_data(audit))
        assert hand_loop(standard, audit) == result.outcome.passed
        questions = sum(len(e["questions"]) for e in standard["elements"])
        engine_rate = rate(lambda: engine.score(engine.audit_from_data(audit)))
        loop_rate = rate(lambda: hand_loop(standard, audit))
    print(f"(b) {questions}-question audit: {engine_rate:,.0f} audits/s scored in process")
    print(f"(c) hand-written loop: {loop_rate:,.0f} audits/s; engine is {loop_rate / engine_rate:.1f}x slower")
    plan_at_scale()


def plan_at_scale(questions: int = 20_000) -> None:
    """(d) The action plan and path to pass of a failing 20,000-question audit, against scoring it."""
    from corengine import Engine
    from corengine.plan import build_plan

    standard = synthetic_standard(elements=20, per_element=questions // 20)
    for element in standard["elements"]:
        for question in element["questions"]:
            question["scoring"] = {"method": "awarded"}
    audit = synthetic_audit(standard)
    audit["responses"] = {ident: {"points": 5} for ident in audit["responses"]}  # 50%: far below 80%
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.yaml"
        path.write_text(yaml.safe_dump(standard))
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


if __name__ == "__main__":
    main()
