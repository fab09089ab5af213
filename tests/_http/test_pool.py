"""Work that stops when its answer is abandoned: an upload over the time limit is answered 503 and its scoring
process killed and replaced, so nothing of the service keeps burning a core for it; the service answers
``GET /v1/standards`` within a second while four such uploads run. The hostile uploads are made at run time."""

from __future__ import annotations

import json
import secrets
import threading
import time
from pathlib import Path

import httpx2
import pytest
import yaml

from corengine import Engine
from corengine._http.app import create_app, score_task
from corengine._http.pool import Pool
from corengine._http.problems import ServiceProblem
from tests.helpers import EXAMPLES, children, cpu_seconds, serving

PASS = EXAMPLES / "alberta-acsa-cor-certification-pass.yaml"
YAML = {"content-type": "application/yaml"}
JSON = {"content-type": "application/json"}


def hostile_audit() -> bytes:
    """The example audit as JSON with four lists of 99,000 numbers and 90,000 unknown keys of random names:
    within every reader's limit (5 MiB, 100,000 entries, 500,000 values), and seconds of work to read."""
    salt = secrets.token_hex(4)
    data = yaml.safe_load(PASS.read_text(encoding="utf-8"))
    data.update({f"extra_{salt}_{j}": [0] * 99_000 for j in range(4)})
    data.update({f"k{salt}_{i}": 1 for i in range(90_000)})
    return json.dumps(data, default=str, separators=(",", ":")).encode()


def scoring(pid: int) -> list[int]:
    """The scoring processes of the service ``pid`` (spawned interpreters; not multiprocessing's resource
    tracker)."""
    found = []
    for child in children(pid):
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
        except OSError:
            continue
    return found


def tree_cpu(pid: int) -> float:
    return cpu_seconds(pid) + sum(cpu_seconds(child) for child in children(pid))


def test_an_upload_over_the_time_limit_is_503_and_its_scoring_process_is_killed_and_replaced(tmp_path: Path) -> None:
    with serving(tmp_path, "--time-limit", "1", "--processes", "1") as (process, base, log):
        before = scoring(process.pid)
        assert len(before) == 1  # the one scoring process
        started = time.monotonic()
        answer = httpx2.post(f"{base}/v1/score", content=hostile_audit(), headers=JSON, timeout=30)
        took = time.monotonic() - started
        assert answer.status_code == 503, answer.text
        assert answer.json()["detail"] == "the request took longer than the limit of 1 seconds"
        assert took < 3
        deadline = time.monotonic() + 60
        while httpx2.post(f"{base}/v1/score", content=PASS.read_bytes(), headers=YAML).status_code != 200:
            assert time.monotonic() < deadline  # answered, once it has built its engine, by the process started
            time.sleep(0.5)  # in the killed one's place
        after = scoring(process.pid)
        assert len(after) == 1 and after != before
        assert not Path(f"/proc/{before[0]}").exists()
        used = tree_cpu(process.pid)
        time.sleep(1.5)
        assert tree_cpu(process.pid) - used < 0.3  # nothing of the service is working on the abandoned upload
    written = log.read_text(encoding="utf-8")
    assert f"scoring process {before[0]} stopped (its request ran out of time); process {after[0]} started" in written
    assert "POST /v1/score 503 " in written
    assert "Traceback" not in written


def test_the_service_answers_the_standards_within_a_second_while_four_hostile_uploads_run(tmp_path: Path) -> None:
    with serving(tmp_path, "--time-limit", "2", "--processes", "2") as (_, base, log):
        statuses: list[int] = []

        def upload(body: bytes) -> None:
            answer = httpx2.post(f"{base}/v1/score", content=body, headers=JSON, timeout=60)
            statuses.append(answer.status_code)

        uploads = [threading.Thread(target=upload, args=(hostile_audit(),)) for _ in range(4)]
        for thread in uploads:
            thread.start()
        time.sleep(0.5)  # the uploads are sent and being read
        waits: list[float] = []
        while any(thread.is_alive() for thread in uploads):
            started = time.monotonic()
            listed = httpx2.get(f"{base}/v1/standards", timeout=10)
            waits.append(time.monotonic() - started)
            assert listed.status_code == 200
            time.sleep(0.1)
        for thread in uploads:
            thread.join()
        assert len(waits) >= 5
        assert max(waits) < 1, waits
        assert set(statuses) <= {503, 422} and len(statuses) == 4  # stopped at the limit, or refused in time
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_a_problem_found_in_a_scoring_process_is_answered_as_in_a_thread() -> None:
    """The problem document carried back from a scoring process is the one a thread's work answers."""
    broken = b"organization: [\n"
    with pytest.raises(ServiceProblem) as in_thread:
        score_task(Engine(), broken, "audit.yaml", False)

    import anyio

    async def in_process() -> ServiceProblem:
        from corengine._http.app import perform, scoring_engine

        pool = Pool(1, scoring_engine, perform)
        pool.start()
        try:
            with pytest.raises(ServiceProblem) as raised:
                await pool.run(score_task, broken, "audit.yaml", False)
            return raised.value
        finally:
            pool.close()

    carried = anyio.run(in_process)
    assert carried.document("/v1/score") == in_thread.value.document("/v1/score")
    assert carried.status == 400


def test_scoring_processes_need_the_installed_plugins_engine() -> None:
    with pytest.raises(ValueError, match="give no engine"):
        create_app(Engine(), processes=1)
