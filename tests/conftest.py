"""Shared fixtures: an engine with only the core and a small test standard (no installed plugins), and one with
the three bundled plugins only.

The core's suite never reads every installed entry point: a third-party plugin installed beside the bundled ones
(with its own conventions) must not change what these tests see. Engines are built from the bundled plugin
modules by hand (:func:`bundled_engine`), and every command the tests run (``CliRunner``, subprocesses) sees
``CORENGINE_PLUGINS=alberta,ontario,bc``, which loads only those entry points.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

import corengine_alberta.plugin
import corengine_bc.plugin
import corengine_ontario.plugin
from corengine import Engine, hookimpl
from corengine._host.manager import ONLY_ENV
from corengine.model.findings import Finding

pytest_plugins = ["pytester"]


def pytest_configure(config: pytest.Config) -> None:
    """The suite's cache of structured standards goes to a folder of its own, never the user's: commands the
    tests run in subprocesses inherit it (tests/test_cache.py checks the cache itself in temporary folders)."""
    import tempfile

    if not os.environ.get("CORENGINE_TEST_CACHE"):
        os.environ["CORENGINE_TEST_CACHE"] = tempfile.mkdtemp(prefix="corengine-test-cache-")
    os.environ["XDG_CACHE_HOME"] = os.environ["CORENGINE_TEST_CACHE"]
    # engines built by module- and session-scoped fixtures (before the autouse fixture below runs) and commands
    # in subprocesses see only the bundled plugins too
    os.environ[ONLY_ENV] = BUNDLED_NAMES


DATA = Path(__file__).parent / "data"
TEST_STANDARD = DATA / "standards" / "test-basic.yaml"
BUNDLED_PLUGINS = (corengine_alberta.plugin, corengine_ontario.plugin, corengine_bc.plugin)
"""The bundled plugin modules, in the order their entry points load (by name: alberta, bc, ontario aside)."""
BUNDLED_NAMES = "alberta,ontario,bc"
"""Their entry-point names, for :data:`corengine._host.manager.ONLY_ENV`."""


class StandardsPlugin:
    """Registers the core tests' own standard files."""

    name = "test-standards"

    def __init__(self, *paths: Path) -> None:
        self.paths = list(paths) or [TEST_STANDARD]

    @hookimpl
    def corengine_register_standards(self) -> list[Path]:
        return self.paths


def make_engine(reuse: bool = True) -> Engine:
    return Engine(plugins=[StandardsPlugin()], load_entrypoints=False, environ={}, reuse=reuse)


def bundled_engine(reuse: bool = True) -> Engine:
    """An engine with the three bundled plugins and nothing else installed."""
    return Engine(plugins=BUNDLED_PLUGINS, load_entrypoints=False, environ={}, reuse=reuse)


def basic_audit() -> dict[str, Any]:
    """The test audit as plain data (dates as text, as JSON would give them)."""
    with open(DATA / "audit-basic.yaml", encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return copy.deepcopy(data | {"audit_date": "2024-05-10", "start_date": "2024-04-01"})


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


@pytest.fixture
def audit_data() -> dict[str, Any]:
    return basic_audit()


def finding_lines(f: Finding) -> list[str]:
    """A finding as the golden files of eligibility answers and sample plans show it, every field on three lines."""
    details = [
        f"required {f.required}" if f.required is not None else "",
        f"measured {f.measured}" if f.measured is not None else "",
        f"confidence {f.confidence}" if f.confidence else "",
        f"version {f.rule_version}" if f.rule_version else "",
        f"plugin {f.plugin}",
        f"reading {f.reading}" if f.reading else "",
    ]
    return [
        f"  - {f.status} {f.check} [{f.subject_kind}: {f.subject}] {f.message}",
        "      " + "; ".join(d for d in details if d),
        "      sources " + " ".join(f.sources),
    ]
