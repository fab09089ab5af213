"""Shared fixtures: an engine with only the core and a small test standard (no installed plugins)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from corengine import Engine, hookimpl

DATA = Path(__file__).parent / "data"
TEST_STANDARD = DATA / "standards" / "test-basic.yaml"


class StandardsPlugin:
    """Registers the core tests' own standard files."""

    name = "test-standards"

    def __init__(self, *paths: Path) -> None:
        self.paths = list(paths) or [TEST_STANDARD]

    @hookimpl
    def corengine_register_standards(self) -> list[Path]:
        return self.paths


def make_engine() -> Engine:
    return Engine(plugins=[StandardsPlugin()], load_entrypoints=False, environ={})


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
