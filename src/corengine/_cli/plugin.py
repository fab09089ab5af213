"""``corengine plugin``: commands for plugin authors (``new`` scaffolds a package, ``check`` lints one)."""

from __future__ import annotations

from pathlib import Path

import click

from corengine._cli.params import format_option
from corengine._util.textlayout import escape
from corengine._views import render
from corengine.errors import CorengineError, InputError
from corengine.model.converter import unstructure


@click.group("plugin")
def plugin_group() -> None:
    """Write a plugin: scaffold a package, check its data."""


@plugin_group.command("new")
@click.argument("name")
@click.option(
    "-o",
    "--output",
    "into",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="Folder to create the package in (as corengine-NAME/); it must not exist yet.",
)
@click.option("--code", default=None, help="Jurisdiction code, two or three capital letters (default: from NAME).")
@click.option("--partner", default=None, help="Certifying partner code, capital letters (default: from NAME).")
def new_command(name: str, into: str, code: str | None, partner: str | None) -> None:
    """Create an installable plugin package NAME: pyproject with its entry point, a standard with two elements,
    jurisdiction data, scenario tests, a passing and a failing example audit, README and LICENSE."""
    from corengine._kit.scaffold import names_for, scaffold

    if not into:
        raise InputError(["the output folder name is empty (-o DIR; '.' for here)"])
    target = scaffold(names_for(name, code, partner), Path(into))
    click.echo(f"created {escape(str(target))}")
    click.echo(f"next: pip install -e {escape(str(target))} && corengine plugin check {name}")


@plugin_group.command("check")
@click.argument("target", required=False)
@format_option("text", "json")
def check_command(target: str | None, fmt: str) -> None:
    """Load every standard of a plugin (an installed plugin's NAME, or the PATH of a package or standard file;
    default: every installed plugin) and report each problem with file and line. Exit 2 when anything is wrong."""
    from corengine._kit.check import check

    report = check(target)
    if fmt == "json":
        data = {
            "target": report.target,
            "standards": list(report.standards),
            "clean": report.clean,
            "problems": [unstructure(p) for p in report.problems],
        }
        click.echo(render.dumps(data), nl=False)
    else:
        for item in report.problems:
            click.echo(escape(str(item)))
        count = len(report.problems)
        standards = f"{len(report.standards)} standard{'s' if len(report.standards) != 1 else ''}"
        summary = "clean" if report.clean else f"{count} problem{'s' if count != 1 else ''}"
        click.echo(f"{escape(report.target)}: {standards} checked, {summary}")
    if not report.clean:
        raise click.exceptions.Exit(2)


__all__ = ["CorengineError", "check_command", "new_command", "plugin_group"]
