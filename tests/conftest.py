"""Shared fixtures: an engine with only the core and a small test standard (no installed plugins), and one with
the three bundled plugins only.

The core's suite never reads every installed entry point: a third-party plugin installed beside the bundled ones
(with its own conventions) must not change what these tests see. Engines are built from the bundled plugin
modules by hand (:func:`bundled_engine`), and every command the tests run (``CliRunner``, subprocesses) sees
``CORENGINE_PLUGINS=alberta,ontario,bc``, which loads only those entry points.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from corengine import Engine
from corengine._host.manager import ONLY_ENV
from tests.helpers import BUNDLED_NAMES, ROOT, basic_audit, bundled_engine, make_engine

pytest_plugins = ["pytester"]


_MADE_CACHE = pytest.StashKey[str]()
"""The cache folder this session made (a run inside another, in a subprocess, reuses the outer one's)."""
_MADE_BASETEMP = pytest.StashKey[str]()
"""The folder of this session's ``tmp_path`` folders, made here unless ``--basetemp`` names one."""
_FAILED = pytest.StashKey[bool]()
"""Whether the session ended with a failure (its ``tmp_path`` folders are then kept to look at)."""


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """The suite's cache of structured standards goes to a folder of its own, never the user's: commands the
    tests run in subprocesses inherit it (tests/_io/test_cache.py checks the cache itself in temporary folders).
    The tests' ``tmp_path`` folders go to one fresh folder of the session (before pytest's own temporary-path
    plugin reads ``--basetemp``, hence ``tryfirst``), removed when the session passes: pytest would keep the last
    three sessions' under ``/tmp/pytest-of-USER``."""
    import tempfile

    if config.option.basetemp is None:
        config.option.basetemp = tempfile.mkdtemp(prefix="corengine-pytest-")
        config.stash[_MADE_BASETEMP] = config.option.basetemp
    if not os.environ.get("CORENGINE_TEST_CACHE"):
        os.environ["CORENGINE_TEST_CACHE"] = tempfile.mkdtemp(prefix="corengine-test-cache-")
        config.stash[_MADE_CACHE] = os.environ["CORENGINE_TEST_CACHE"]
    os.environ["XDG_CACHE_HOME"] = os.environ["CORENGINE_TEST_CACHE"]
    # engines built by module- and session-scoped fixtures (before the autouse fixture below runs) and commands
    # in subprocesses see only the bundled plugins too
    os.environ[ONLY_ENV] = BUNDLED_NAMES


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Under a mutation run (mutmut sets MUTANT_UNDER_TEST) a failure is a killed mutant, expected thousands of
    # times: its folders are not kept.
    failed = exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED)
    session.config.stash[_FAILED] = failed and not os.environ.get("MUTANT_UNDER_TEST")


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    made = config.stash.get(_MADE_BASETEMP, None)
    if made is not None and config.stash.get(_FAILED, False):
        terminalreporter.write_line(f"the failed tests' temporary folders are kept in {made}")


def pytest_unconfigure(config: pytest.Config) -> None:
    """The cache folder goes when the session that made it ends (it was left in the temporary folder before), and
    the ``tmp_path`` folders with it unless a test failed."""
    import shutil

    made = config.stash.get(_MADE_CACHE, None)
    if made is not None:
        shutil.rmtree(made, ignore_errors=True)
        if os.environ.get("CORENGINE_TEST_CACHE") == made:
            del os.environ["CORENGINE_TEST_CACHE"]
    basetemp = config.stash.get(_MADE_BASETEMP, None)
    if basetemp is not None and not config.stash.get(_FAILED, False):
        shutil.rmtree(basetemp, ignore_errors=True)


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text output laid out as for a pipe: 80 columns, no colour, whatever the developer's terminal says."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(autouse=True)
def _bundled_plugins_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run by the tests (``corengine`` through ``CliRunner`` or a subprocess) load only the bundled
    plugins' entry points, whatever else is installed."""
    monkeypatch.setenv(ONLY_ENV, BUNDLED_NAMES)
    monkeypatch.delenv("CORENGINE_DISABLE_PLUGINS", raising=False)


@pytest.fixture
def engine() -> Engine:
    return make_engine()


@pytest.fixture(scope="session")
def shared_engine() -> Engine:
    """One engine for hypothesis tests (engines are stateless apart from caches)."""
    return make_engine()


@pytest.fixture(scope="module")
def installed() -> Engine:
    """One engine with the bundled plugins for a whole module."""
    return bundled_engine()


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the checkout, so that relative paths name its files (``pytest.mark.usefixtures("in_root")``)."""
    monkeypatch.chdir(ROOT)


@pytest.fixture
def audit_data() -> dict[str, Any]:
    return basic_audit()
