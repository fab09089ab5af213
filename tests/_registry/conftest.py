"""The registry's databases for tests: a SQLite file always, and a throwaway PostgreSQL cluster when one can be
started here (Debian's ``postgresql`` package; as root, the server runs as ``nobody``). No mock database."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


class _Cluster:
    def __init__(self) -> None:
        self.reason = ""
        self.url = ""
        self.folder = ""
        self._as: list[str] = []
        self._pg_ctl = ""

    def start(self) -> None:
        initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
        if initdb is None or pg_ctl is None:
            self.reason = "PostgreSQL is not installed here (no initdb or pg_ctl on PATH or in /usr/lib/postgresql)"
            return
        self.folder = tempfile.mkdtemp(prefix="corengine-pg-")
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            runuser = shutil.which("runuser")
            if runuser is None:
                self.reason = "running as root and runuser is missing: cannot start PostgreSQL as another user"
                return
            os.chmod(self.folder, 0o777)
            self._as = [runuser, "-u", "nobody", "--"]
        data = os.path.join(self.folder, "data")
        port = _free_port()
        steps = [
            [*self._as, initdb, "-D", data, "-U", "corengine", "--auth=trust", "-E", "UTF8", "--no-sync"],
            [
                *self._as, pg_ctl, "-D", data, "-l", os.path.join(self.folder, "log"), "-w", "-t", "30", "-o",
                f"-p {port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start",
            ],
        ]  # fmt: skip
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, cwd=self.folder, check=False)
            if done.returncode != 0:
                self.reason = (
                    f"PostgreSQL did not start: {' '.join(step[len(self._as) :][:1])}: {done.stderr.strip()[-300:]}"
                )
                return
        self._pg_ctl = pg_ctl
        self.data = data
        self.port = port
        self.url = f"postgresql://corengine@127.0.0.1:{port}/postgres"

    def database(self, name: str) -> str:
        """A new empty database on the cluster, and its URL."""
        import psycopg

        with psycopg.connect(f"postgresql://corengine@127.0.0.1:{self.port}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://corengine@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self._pg_ctl:
            subprocess.run([*self._as, self._pg_ctl, "-D", self.data, "-m", "immediate", "stop"], capture_output=True)
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[_Cluster]:
    cluster = _Cluster()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


_COUNTER = iter(range(1, 1_000_000))


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL or path to an empty registry database: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "registry.sqlite3")
    cluster: _Cluster = request.getfixturevalue("postgres")
    if not cluster.url:
        pytest.skip(cluster.reason)
    return cluster.database(f"registry_{os.getpid()}_{next(_COUNTER)}_{int(time.time())}")
