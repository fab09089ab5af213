"""``corengine --help`` lists the lazy commands from their stored short help, without importing their modules;
each stored text is the command's own."""

from __future__ import annotations

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
