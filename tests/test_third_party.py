"""The core's suite passes with a third-party plugin installed beside the bundled ones.

A deliberately unconventional partner plugin is installed for real as far as ``importlib.metadata`` can tell (a
``dist-info`` folder with an entry point in the ``corengine`` group, on ``sys.path``): its question declares no
expected evidence, its element no theme, its ``expects_note`` words things its own way and it adds a command.
None of that is wrong for a plugin; these are conventions of the bundled plugins only (docs/plugins.md,
"Conventions of the bundled plugins"). The core's tests see the bundled plugins only, so they still pass.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from corengine import Engine
from corengine._cli.main import cli
from corengine._host.manager import ONLY_ENV
from tests.helpers import BUNDLED_NAMES, ROOT, bundled_engine, convention_problems, question_bearing

STANDARD = """\
id: zz-odd-cor
title: An odd partner's COR (third-party test plugin)
version: "1"
jurisdiction: ZZ
partner: ODD
programs: [COR]
expects_note: We list our own evidence in our partner manual.
elements:
  - id: "1"
    title: Leadership
    questions:
      - {id: "1.1", text: A policy exists, points: 10, methods: [D]}
rules:
  - id: certification
    title: Certification
    audit_types: [certification]
    versions:
      - start: 2000-01-01
        reference: [https://odd.example/rules]
        confidence: M
        overall_minimum: 80
        certificates:
          - {certificate: COR, months: 36}
"""

PLUGIN = """\
from collections.abc import Iterator
from pathlib import Path

import click

from corengine.plugin import hookimpl


@click.command("odd-rebate")
def odd_rebate() -> None:
    \"\"\"The odd partner's rebate.\"\"\"
    click.echo("no rebate")


@hookimpl
def corengine_register_standards():
    return [Path(__file__).parent / "zz-odd-cor.yaml"]


@hookimpl
def corengine_register_commands():
    return [odd_rebate]
"""


def install_odd_plugin(root: Path) -> Path:
    """Lay out an installed distribution ``corengine-odd`` under ``root`` (to put on ``sys.path``)."""
    package = root / "corengine_odd"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "plugin.py").write_text(PLUGIN, encoding="utf-8")
    (package / "zz-odd-cor.yaml").write_text(STANDARD, encoding="utf-8")
    info = root / "corengine_odd-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: corengine-odd\nVersion: 0.1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[corengine]\nodd = corengine_odd.plugin\n", encoding="utf-8")
    (info / "top_level.txt").write_text("corengine_odd\n", encoding="utf-8")
    return root


@pytest.fixture
def odd_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = install_odd_plugin(tmp_path / "site")
    monkeypatch.syspath_prepend(str(root))
    importlib.invalidate_caches()
    yield root
    sys.modules.pop("corengine_odd.plugin", None)
    sys.modules.pop("corengine_odd", None)


def test_the_odd_plugin_is_installed_and_breaks_every_convention_the_bundled_plugins_keep(odd_installed: Path) -> None:
    everything = Engine(environ={})
    assert "odd" in {info.name for info in everything.plugins()}
    assert "zz-odd-cor" in question_bearing(everything)
    assert [p for p in convention_problems(everything) if p.startswith("zz-odd-cor")] == [
        'zz-odd-cor: expects_note does not begin "Expected evidence (expects) and themes are corengine\'s reference"',
        "zz-odd-cor element 1: no theme",
        "zz-odd-cor 1.1: no expected evidence",
        "zz-odd-cor 1.1: method D has no matching expectation",
        "zz-odd-cor 1.1: no free-text evidence",
    ]


def test_the_core_tests_see_only_the_bundled_plugins(odd_installed: Path) -> None:
    bundled = bundled_engine()
    assert [info.name for info in bundled.plugins()] == ["alberta", "bc", "corengine.defaults", "ontario"]
    assert convention_problems(bundled) == []
    allowed = Engine(environ={ONLY_ENV: BUNDLED_NAMES})
    assert "odd" not in {info.name for info in allowed.plugins()}
    assert convention_problems(allowed) == []


def test_the_commands_the_core_tests_run_load_only_the_bundled_plugins(odd_installed: Path) -> None:
    assert os.environ[ONLY_ENV] == BUNDLED_NAMES  # set for every core test by tests/conftest.py
    listed = CliRunner().invoke(cli, ["standards"])
    assert listed.exit_code == 0
    assert "zz-odd-cor" not in listed.output and "ab-acsa-cor" in listed.output
    everything = CliRunner().invoke(cli, ["standards"], env={ONLY_ENV: ""})
    assert "zz-odd-cor" in everything.output


def test_an_allow_list_naming_no_installed_plugin_warns() -> None:
    with pytest.warns(UserWarning) as caught:
        Engine(environ={ONLY_ENV: "alberta,albreta"})
    assert str(caught[0].message).startswith(f"{ONLY_ENV} names no installed plugin: 'albreta' (installed: ")


def test_the_convention_tests_pass_in_a_process_where_the_odd_plugin_is_installed(tmp_path: Path) -> None:
    root = install_odd_plugin(tmp_path / "site")
    env = {k: v for k, v in os.environ.items() if k != ONLY_ENV}
    env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    probe = subprocess.run(
        [sys.executable, "-c", "from corengine import Engine; print(sorted(Engine().sources()))"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "zz-odd-cor" in probe.stdout, probe.stderr
    tests = [
        "tests/model/test_evidence_kinds.py",
        "tests/_formats/test_evidence_index.py",
        "tests/_rules/test_crosswalk.py",
        "tests/_util/test_textlayout.py::test_the_standards_listed_here_are_the_ones_installed",
    ]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *tests],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, textwrap.shorten(run.stdout[-3000:], 3000)
