"""(f) The HTTP service under load: 200 concurrent ``POST /v1/score`` requests to a real ``corengine serve`` on
loopback, every answer checked against the CLI's ``corengine score EXAMPLE --format json``.

Not a test: it prints p50/p99 latency and requests per second, beside two baselines measured in the same run
(scoring and rendering the same audit in process, one call after another; and 200 concurrent ``GET
/v1/plugins``, the service's floor without scoring). Figures go in benchmarks/README.md by hand.

    .venv/bin/python benchmarks/serve_load.py [--requests 200] [--workers 1] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2

from corengine import Engine
from corengine._views.render import dumps, result_json

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "alberta-acsa-cor-certification-pass.yaml"
COMMAND = Path(sys.executable).with_name("corengine")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start(port: int, workers: int, folder: Path) -> subprocess.Popen[bytes]:
    return start_with(port, folder, "--workers", str(workers))


def start_with(port: int, folder: Path, *options: str) -> subprocess.Popen[bytes]:
    """``corengine serve`` on ``port`` with ``options``, once it answers."""
    log = open(folder / "serve.log", "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [str(COMMAND), "serve", "--port", str(port), *options],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=folder,
    )
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise SystemExit((folder / "serve.log").read_text(encoding="utf-8"))
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/v1/plugins", timeout=2).status_code == 200:
                return process
        except httpx2.TransportError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("the service did not start within 60 s")
        time.sleep(0.2)


async def fire(url: str, count: int, body: bytes | None) -> tuple[list[float], float, list[httpx2.Response]]:
    """``count`` requests at once (POST ``body`` when given, else GET): each one's latency, the wall time, and
    the responses."""
    limits = httpx2.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx2.AsyncClient(limits=limits, timeout=120) as client:

        async def one() -> tuple[float, httpx2.Response]:
            started = time.perf_counter()
            if body is None:
                response = await client.get(url)
            else:
                response = await client.post(url, content=body, headers={"content-type": "application/yaml"})
            return time.perf_counter() - started, response

        started = time.perf_counter()
        done = await asyncio.gather(*(one() for _ in range(count)))
        wall = time.perf_counter() - started
    return [latency for latency, _ in done], wall, [response for _, response in done]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def in_process(count: int) -> float:
    """Seconds per audit to load, score and render the example in process, one after another (the baseline)."""
    engine = Engine()
    raw = EXAMPLE.read_bytes()
    dumps(result_json(engine.score(engine.load_audit_bytes(raw, "audit.yaml"))))  # warm the caches
    started = time.perf_counter()
    for _ in range(count):
        dumps(result_json(engine.score(engine.load_audit_bytes(raw, "audit.yaml"))))
    return (time.perf_counter() - started) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        shutil.copyfile(EXAMPLE, folder / "audit.yaml")
        expected = subprocess.run(
            [str(COMMAND), "score", "audit.yaml", "--format", "json"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        port = free_port()
        process = start(port, args.workers, folder)
        base = f"http://127.0.0.1:{port}"
        body = EXAMPLE.read_bytes()
        try:
            print(f"{args.requests} concurrent requests, {args.workers} worker process(es), {args.rounds} rounds")
            print("| round | score p50 | score p99 | score req/s | plugins p50 | plugins req/s | in process |")
            print("|---|---|---|---|---|---|---|")
            for round_ in range(1, args.rounds + 1):
                latencies, wall, responses = asyncio.run(fire(f"{base}/v1/score", args.requests, body))
                statuses = {r.status_code for r in responses}
                same = sum(r.text == expected for r in responses)
                if statuses != {200} or same != args.requests:
                    raise SystemExit(f"round {round_}: statuses {statuses}, {same} of {args.requests} equal the CLI's")
                floor, floor_wall, floor_responses = asyncio.run(fire(f"{base}/v1/plugins", args.requests, None))
                assert {r.status_code for r in floor_responses} == {200}
                each = in_process(50)
                print(
                    f"| {round_} | {percentile(latencies, 0.5) * 1000:.0f} ms | {percentile(latencies, 0.99) * 1000:.0f} ms"
                    f" | {args.requests / wall:.1f} | {statistics.median(floor) * 1000:.0f} ms"
                    f" | {args.requests / floor_wall:.1f} | {each * 1000:.1f} ms ({1 / each:.1f}/s) |"
                )
            print("every score answer: 200 OK and byte-identical to `corengine score audit.yaml --format json`")
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
