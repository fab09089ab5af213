"""(i) CPU freed at the time limit: four hostile uploads (the example audit and 99,000 unknown keys, seconds of
work within every reader's limit) sent at once to a real ``corengine serve --time-limit 1``, once with scoring
threads (``--processes 0``, the work left to run on alone at the limit) and once with scoring processes (killed
and replaced at the limit). Printed: the 503s' latency, and the CPU seconds the service (its process and every
child) used after the last 503, when it has nothing left to do for anyone, until it is idle (a half second
with under 0.05 CPU seconds), and how long that took.

Not a test; figures go in benchmarks/README.md by hand.

    .venv/bin/python benchmarks/serve_abandon.py [--processes 2]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path

import httpx2
from serve_load import EXAMPLE, free_port, start_with

YAML = {"content-type": "application/yaml"}
CLOCK = os.sysconf("SC_CLK_TCK")


def cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and every process under it that is still running."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / CLOCK
        for task in Path(f"/proc/{pid}/task").glob("*"):
            for child in (task / "children").read_text(encoding="ascii").split():
                total += cpu(int(child))
    except OSError:
        pass
    return total


def hostile() -> bytes:
    return EXAMPLE.read_bytes() + "".join(f"unknown_key_{i}: 1\n" for i in range(99_000)).encode()


def one_run(processes: int) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        port = free_port()
        process = start_with(port, folder, "--time-limit", "1", "--processes", str(processes))
        base = f"http://127.0.0.1:{port}"
        try:
            if processes:  # the scoring processes have built their engines
                httpx2.post(f"{base}/v1/score", content=EXAMPLE.read_bytes(), headers=YAML, timeout=60)
            took: list[tuple[int, float]] = []

            def upload() -> None:
                started = time.perf_counter()
                answer = httpx2.post(f"{base}/v1/score", content=hostile(), headers=YAML, timeout=120)
                took.append((answer.status_code, time.perf_counter() - started))

            threads = [threading.Thread(target=upload) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            answered = time.perf_counter()
            before = last = cpu(process.pid)
            while True:  # until a half second passes with (almost) nothing used
                time.sleep(0.5)
                now = cpu(process.pid)
                if now - last < 0.05:
                    break
                last = now
            idle = time.perf_counter() - answered
            statuses = sorted(status for status, _ in took)
            slowest = max(seconds for _, seconds in took)
            print(
                f"| --processes {processes} | {statuses} | {slowest:.2f} s | {now - before:.2f} CPU s"
                f" | idle after {idle:.1f} s |"
            )
        finally:
            process.terminate()
            process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    print("| scoring | statuses | slowest answer | service CPU after the last answer | |")
    print("|---|---|---|---|---|")
    one_run(0)
    one_run(args.processes)


if __name__ == "__main__":
    main()
