"""A plugin's command known by its name and short help, imported only when it runs (:class:`LazyCommand`,
public as :func:`corengine.plugin.lazy_command`).

``corengine --help`` lists every plugin's commands; with a lazy command, registering the plugin imports neither
the command's module nor the records and rules it uses, so the list costs what the plugin's own module costs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import click


class LazyCommand(click.Command):
    """A stand-in for the command ``target`` (``"package.module:attribute"``): the attribute is a
    :class:`click.Command`, or a function of no arguments that returns one. Its name and short help are given
    here, so that listing it imports nothing; :meth:`load` imports the real command (the CLI does so before
    running it or showing its own ``--help``). A test in the plugin should hold the short help equal to the
    command's own (:func:`corengine.testing.examples.assert_lazy_commands_match`)."""

    def __init__(self, name: str, target: str, short_help: str, loader: Callable[[], click.Command] | None = None):
        if ":" not in target:
            raise ValueError(f"target {target!r} must be 'package.module:attribute'")
        super().__init__(name, help=short_help)
        self.target = target
        self._loader = loader

    def load(self) -> click.Command:
        """The real command: imported, or built by the function ``target`` names."""
        if self._loader is not None:
            return self._loader()
        return imported_command(self.target)

    def with_loader(self, loader: Callable[[], click.Command]) -> LazyCommand:
        """The same stand-in, whose :meth:`load` calls ``loader`` (the plugin manager wraps the real command)."""
        return LazyCommand(self.name or "", self.target, self.help or "", loader)

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        """Run directly (``stand_in.main()``, click's test runner), the stand-in parses as the real command: its
        options, its ``--help``."""
        return self.load().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        command = ctx.command if ctx.command is not self else self.load()
        return command.invoke(ctx)


def imported_command(target: str) -> click.Command:
    """The command ``target`` names (``"package.module:attribute"``), built when the attribute is a function."""
    module, _, attribute = target.partition(":")
    found: Any = getattr(importlib.import_module(module), attribute)
    if not isinstance(found, click.Command) and callable(found):
        found = found()
    if not isinstance(found, click.Command):
        raise TypeError(f"{target} is {type(found).__name__}, not a click.Command")
    return found


def lazy_command(name: str, target: str, short_help: str) -> LazyCommand:
    """A plugin command imported only when run: return it from ``corengine_register_commands``::

        @hookimpl
        def corengine_register_commands():
            return [lazy_command("mb-rebate", "corengine_manitoba.rebate:make_command", "Estimate ...")]

    :param name: the command's name, as the real command names itself.
    :param target: ``"package.module:attribute"``, a :class:`click.Command` or a function returning one.
    :param short_help: the line ``corengine --help`` shows: the real command's own short help.
    """
    return LazyCommand(name, target, short_help)
