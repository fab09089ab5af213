"""The uvicorn protocol and loop of ``corengine serve``, against a real server with real sockets: clients that
pipeline requests and never read are closed at the write timeout, a connection over the maximum is a 503
problem document, a malformed header line is a 400 problem document with the security headers, and running out of
descriptors is one log line (no traceback per attempt). The hostile input is made at run time."""

from __future__ import annotations

import json
import resource
import secrets
import socket
import time
from pathlib import Path

import httpx2

from tests.helpers import serving

HEAD = b"GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def established(port: int) -> int:
    """Connections the server listening on ``port`` holds open (its side of them), from ``/proc/net/tcp``."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[1].endswith(f":{port:04X}") and fields[3] == "01":
                count += 1
    return count


def answer_of(raw: bytes) -> tuple[str, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_clients_that_pipeline_requests_and_never_read_are_closed_at_the_write_timeout(tmp_path: Path) -> None:
    clients = 40
    with serving(tmp_path, "--write-timeout", "1", "--time-limit", "30") as (_, base, log):
        port = int(base.rsplit(":", 1)[1])
        opened = []
        for _ in range(clients):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a reader that takes (almost) nothing
            sock.connect(("127.0.0.1", port))
            sock.sendall(HEAD * (50 + secrets.randbelow(50)))
            opened.append(sock)
        try:
            time.sleep(0.5)
            assert established(port) >= clients  # held while the answers wait for them
            deadline = time.monotonic() + 15
            while established(port) > 0:
                assert time.monotonic() < deadline, f"{established(port)} connections still open"
                time.sleep(0.2)
            assert httpx2.get(f"{base}/v1/standards", timeout=10).status_code == 200
        finally:
            for sock in opened:
                sock.close()
    written = log.read_text(encoding="utf-8")
    assert written.count("connection closed: its client read nothing for the write timeout") == clients
    assert "Traceback" not in written


def test_a_connection_over_the_maximum_is_a_503_problem_document_and_closed(tmp_path: Path) -> None:
    most = 3 + secrets.randbelow(4)
    with serving(tmp_path, "--max-connections", str(most), "--time-limit", "30") as (_, base, log):
        port = int(base.rsplit(":", 1)[1])
        held = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(most)]
        try:
            time.sleep(0.3)
            with socket.create_connection(("127.0.0.1", port), timeout=10) as extra:
                status, headers, body = answer_of(read_all(extra))  # answered at once, and closed
            assert status == "HTTP/1.1 503 Service Unavailable"
            assert headers["content-type"] == "application/problem+json"
            assert headers["x-content-type-options"] == "nosniff"
            assert json.loads(body) == {
                "type": "/problems/too-many-connections",
                "title": "Too many connections",
                "status": 503,
                "detail": f"the service has {most} connections open, its maximum; try again later",
                "instance": "",
            }
        finally:
            for sock in held:
                sock.close()
        time.sleep(0.3)
        assert httpx2.get(f"{base}/v1/standards", timeout=10).status_code == 200
    written = log.read_text(encoding="utf-8")
    assert f"connection refused: {most} connections open, the maximum is {most}" in written


def test_a_malformed_header_line_is_a_400_problem_document_with_the_security_headers(tmp_path: Path) -> None:
    broken = [
        b"X-" + secrets.token_hex(4).encode() + b" no colon here",  # a header line without its colon
        b": " + secrets.token_hex(4).encode(),  # a header without a name
        b"X-Bad\x00" + secrets.token_hex(2).encode() + b": value",  # a NUL in a name
    ]
    with serving(tmp_path) as (_, base, log):
        port = int(base.rsplit(":", 1)[1])
        for line in broken:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.sendall(b"GET /v1/standards HTTP/1.1\r\nHost: 127.0.0.1\r\n" + line + b"\r\n\r\n")
                status, headers, body = answer_of(read_all(sock))
            assert status == "HTTP/1.1 400 Bad Request", line
            assert headers["content-type"] == "application/problem+json"
            assert headers["content-length"] == str(len(body))
            for name in ("x-content-type-options", "x-frame-options", "content-security-policy", "cache-control"):
                assert name in headers, name
            assert json.loads(body) == {
                "type": "/problems/bad-request",
                "title": "Bad request",
                "status": 400,
                "detail": "the request could not be read as HTTP/1.1 (a malformed request line or header)",
                "instance": "",
            }
        assert httpx2.get(f"{base}/v1/standards", timeout=10).status_code == 200
    assert "Traceback" not in log.read_text(encoding="utf-8")


def _few_descriptors() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (80, 80))


def test_running_out_of_descriptors_is_one_log_line_and_the_service_recovers(tmp_path: Path) -> None:
    options = ("--processes", "1", "--max-connections", "10000", "--time-limit", "30")
    with serving(tmp_path, *options, preexec_fn=_few_descriptors) as (_, base, log):
        port = int(base.rsplit(":", 1)[1])
        flood = []
        for _ in range(120 + secrets.randbelow(40)):  # more than the service has descriptors for
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))
            flood.append(sock)
        time.sleep(3.5)  # a few of asyncio's one-second pauses
        for sock in flood:
            sock.close()
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx2.get(f"{base}/v1/standards", timeout=5).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert time.monotonic() < deadline
            time.sleep(0.3)
    written = log.read_text(encoding="utf-8")
    assert "Traceback" not in written
    assert written.count("cannot accept connections: Too many open files") == 1, written[-3000:]
