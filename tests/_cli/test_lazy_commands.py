"""``corengine --help`` lists the lazy commands from their stored short help, without importing their modules;
each stored text is the command's own."""

from __future__ import annotations

import re
import subprocess
import sys

import click
import pytest

from corengine._cli.main import LAZY_COMMANDS, cli


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_the_stored_short_help_is_the_commands_own(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    assert LAZY_COMMANDS[name][1] == command.get_short_help_str(limit=10_000)


def test_help_imports_no_lazy_command_module() -> None:
    modules = sorted({path.split(":")[0] for path, _ in LAZY_COMMANDS.values()})
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom corengine._cli.main import cli\n"
        "result = CliRunner().invoke(cli, ['--help'])\nassert result.exit_code == 0, result.output\n"
        f"print(sorted(m for m in {modules!r} if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout == "[]\n"
    assert "corengine._cli.report" in modules and "corengine._cli.batch" in modules


def test_help_imports_neither_the_records_nor_the_plugins_command_modules() -> None:
    """``corengine --help`` registers every installed plugin and lists its commands, but imports no record, rule,
    view or converter module, and no plugin's command module (issue 21: start-up pays only for what it uses)."""
    heavy = [
        "cattrs",
        "yaml",
        "corengine._io.loading",
        "corengine.model.standard",
        "corengine.model.audit",
        "corengine.model.results",
        "corengine.model.converter",
        "corengine._rules.scoring",
        "corengine._rules.outcome",
        "corengine._views.render",
        "corengine._formats.yaml_workbook",
        "corengine_alberta.refund",
        "corengine_alberta.action_plans",
        "corengine_bc.incentive",
        "corengine_bc.program",
        "corengine_manitoba.rebate",
        "corengine_manitoba.rules",
    ]
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom corengine._cli.main import cli\n"
        "result = CliRunner().invoke(cli, ['--help'])\nassert result.exit_code == 0, result.output\n"
        "assert 'bc-incentive' in result.output and 'pir-refund' in result.output, result.output\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout == "[]\n"


def test_each_lazy_plugin_command_lists_its_own_short_help() -> None:
    from corengine._host.engine import Engine
    from corengine._host.lazy_command import LazyCommand

    found = Engine().hooks.commands()
    lazy = {name: command for name, (_, command) in found.items() if isinstance(command, LazyCommand)}
    assert "bc-incentive" in lazy  # and mb-rebate, when Manitoba is installed (tested in its plugin)
    for name, command in lazy.items():
        real = command.load()
        assert real.name == name
        assert command.get_short_help_str(limit=10_000) == real.get_short_help_str(limit=10_000)


def test_a_lazy_command_that_cannot_be_imported_names_its_plugin() -> None:
    from click.testing import CliRunner

    from corengine import hookimpl
    from corengine._host.engine import Engine
    from corengine.plugin import lazy_command

    class Broken:
        name = "broken"

        @hookimpl
        def corengine_register_commands(self) -> list[click.Command]:
            return [lazy_command("gone", "corengine_no_such_module:command", "Does nothing.")]

    engine = Engine(plugins=[Broken()], load_entrypoints=False)
    from corengine._cli.main import Context

    context = Context()
    context._engine = engine
    listed = CliRunner().invoke(cli, ["--help"], obj=context)
    assert listed.exit_code == 0
    assert re.search(r"^  gone +Does nothing\.$", listed.output, re.MULTILINE), listed.output
    run = CliRunner().invoke(cli, ["gone"], obj=context)
    assert run.exit_code == 2
    assert run.output == (
        "error: plugin 'broken' failed in command 'gone' (hook corengine_register_commands): "
        "ModuleNotFoundError: No module named 'corengine_no_such_module'\n"
    )


def test_lazy_command_needs_a_module_and_an_attribute() -> None:
    from corengine.plugin import lazy_command

    with pytest.raises(ValueError, match=r"^target 'nothing' must be 'package.module:attribute'$"):
        lazy_command("x", "nothing", "help")


def test_a_lazy_command_run_by_itself_is_the_real_command() -> None:
    """A plugin's test may run the command its hook returns (``CliRunner().invoke(command, ...)``): the stand-in
    parses, helps and runs as the real one, never silently doing nothing."""
    from click.testing import CliRunner

    from corengine._host.engine import Engine
    from corengine._host.lazy_command import LazyCommand

    stand_in = Engine().hooks.commands()["bc-incentive"][1]
    assert isinstance(stand_in, LazyCommand)
    real = stand_in.load()
    args = ["--payroll", "1000000", "--base-rate", "2.5", "--format", "json"]
    ran, expected = CliRunner().invoke(stand_in, args), CliRunner().invoke(real, args)
    assert (ran.exit_code, ran.output) == (expected.exit_code, expected.output) == (0, expected.output)
    assert '"format": "corengine-bc.incentive/1"' in ran.output
    helped = CliRunner().invoke(stand_in, ["--help"])
    assert helped.exit_code == 0 and "--payroll" in helped.output
    assert helped.output == CliRunner().invoke(real, ["--help"]).output


def test_score_json_imports_only_what_scoring_uses() -> None:
    """``corengine score FILE --format json`` reads, scores and writes one audit, and imports nothing that only
    another command, a text output or a problem needs: no action plan, evidence index, pinning, report, workbook,
    batch, service or registry module, no other province's records (Ontario's requirements), no OpenSSL
    (``hashlib``), no did-you-mean (``difflib``), no text wrapping (``textwrap``) and no ``importlib.metadata``
    (issue 21: start-up pays only for what it uses)."""
    from tests.helpers import EXAMPLES

    heavy = [
        "hashlib",
        "difflib",
        "textwrap",
        "importlib.metadata",
        "zipfile",
        "corengine._rules.action_plan",
        "corengine._rules.pinning",
        "corengine._rules.readiness",
        "corengine._rules.cycle",
        "corengine._views.plan",
        "corengine._views.report",
        "corengine._views.explain",
        "corengine._views.payloads",
        "corengine._formats.xlsx",
        "corengine._formats.yaml_workbook",
        "corengine._batch",
        "corengine._http",
        "corengine._registry",
        "corengine._kit",
        "corengine.model.evidence_index",
        "corengine.model.data_files",
        "corengine.model.lifecycle",
        "corengine_ontario.requirements",
        "corengine_alberta.refund",
        "corengine_bc.incentive",
        "corengine_manitoba.rebate",
    ]
    example = EXAMPLES / "alberta-acsa-cor-certification-pass.yaml"
    code = (
        "import contextlib, io, sys\nfrom corengine._cli.main import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    cli(['score', {str(example)!r}, '--format', 'json'], standalone_mode=False)\n"
        "assert out.getvalue().startswith('{'), out.getvalue()\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout == "[]\n"
