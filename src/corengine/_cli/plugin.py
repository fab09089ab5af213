"""``corengine plugin``: commands for plugin authors (``new`` scaffolds a package, ``check`` lints one)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import click

from corengine._cli.params import format_option
from corengine._util.textlayout import escape
from corengine._views import render
from corengine.errors import CorengineError, InputError, Problem
from corengine.model.converter import unstructure

if TYPE_CHECKING:
    from corengine._kit.check import CheckReport


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
    help="Folder to create the package in: it is made as DIRECTORY/corengine-NAME/, which must not exist yet "
    "(DIRECTORY is created when missing).",
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
    """Load every standard and data file of a plugin (an installed plugin's NAME, or the PATH of a package, a
    standard file or a data file; default: every installed plugin) and report each problem with file and line,
    then each warning. Exit 2 when anything is wrong (warnings alone exit 0)."""
    from corengine._kit.check import check
    from corengine._views.payloads import PluginCheckDocument

    report = check(target)
    if fmt == "json":
        data = unstructure(
            PluginCheckDocument(
                target=report.target,
                standards=report.standards,
                data_files=report.data_files,
                clean=report.clean,
                problems=report.problems,
                warnings=report.warnings,
            )
        )
        click.echo(render.dumps(data), nl=False)
    else:
        for item in report.problems:
            click.echo(escape(str(item)))
        for item in report.warnings:
            click.echo(escape(warning_line(item)))
        click.echo(escape(summary(report)))
    if not report.clean:
        raise click.exceptions.Exit(2)


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'s' if n != 1 else ''}"


def summary(report: CheckReport) -> str:
    """The last line: what was checked, and how many problems (or clean) and warnings."""
    checked = _count(len(report.standards), "standard")
    if report.data_files:
        checked += f" and {_count(len(report.data_files), 'data file')}"
    found = "clean" if report.clean else _count(len(report.problems), "problem")
    if report.warnings:
        found += f", {_count(len(report.warnings), 'warning')}"
    return f"{report.target}: {checked} checked, {found}"


def warning_line(item: Problem) -> str:
    """A warning as ``file:line: warning: path: message`` (a problem's line, marked)."""
    where = attrs.evolve(item, path="", message="").text()
    rest = ": ".join(part for part in (item.path, item.message) if part)
    return f"{where}: warning: {rest}" if where else f"warning: {rest}"


__all__ = ["CorengineError", "check_command", "new_command", "plugin_group"]
