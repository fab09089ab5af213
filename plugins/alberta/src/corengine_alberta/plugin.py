"""Alberta's hooks: its data files, and the few rules the data cannot express."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from corengine import hookimpl
from corengine.loading import load_file
from corengine.model import Jurisdiction

DATA = Path(__file__).parent / "data"


@hookimpl
def corengine_register_standards() -> list[Path]:
    return sorted((DATA / "standards").glob("*.yaml"))


@cache
def jurisdiction() -> Jurisdiction:
    return load_file(DATA / "alberta.yaml", Jurisdiction)


@hookimpl
def corengine_register_jurisdictions() -> list[Jurisdiction]:
    return [jurisdiction()]
