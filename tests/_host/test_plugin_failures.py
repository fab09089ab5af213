"""Hostile plugins in, a named PluginError out: a hook, scoring method or plugin command that raises, exits or
returns the wrong type is a PluginError naming the plugin and the hook; bad input a plugin finds stays an
InputError; and ``CORENGINE_DISABLE_PLUGINS`` warns about names no installed plugin has.

Plugins registered inline whose hooks raise, call ``sys.exit()``, raise ``KeyboardInterrupt`` or return the wrong
type, and whose scoring methods and commands do the same: each gives a PluginError naming the plugin and the
hook; an InputError a plugin raises about the user's data passes through unchanged."""

from __future__ import annotations

import copy
import sys
import warnings
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner

from corengine import Engine, hookimpl
from corengine._cli.main import cli
from corengine._host.manager import PluginWarning
from corengine._rules.scoring import ScoringMethod
from corengine.errors import InputError, PluginError
from corengine.model import EligibilityRequest, Jurisdiction
from tests.helpers import TEST_STANDARD, StandardsPlugin, basic_audit

# --------------------------------------------------------------------------- the plugin boundary

HOOK_CALLS: dict[str, Callable[[Engine], Any]] = {
    "corengine_register_standards": lambda e: e.sources(),
    "corengine_register_scoring_methods": lambda e: e.methods(),
    "corengine_register_jurisdictions": lambda e: e.jurisdictions(),
    "corengine_register_commands": lambda e: e.hooks.commands(),
    "corengine_validate_audit": lambda e: e.score(e.audit_from_data(basic_audit())),
    "corengine_decide_outcome": lambda e: e.score(e.audit_from_data(basic_audit())),
    "corengine_review_outcome": lambda e: e.score(e.audit_from_data(basic_audit())),
    "corengine_check_eligibility": lambda e: e.eligibility(EligibilityRequest("zz", employees=4)),
    "corengine_plan_sample": lambda e: e.sample("test-basic", 40),
}
"""How the engine reaches each hook."""


class Province:
    """Registers province ZZ, so eligibility has a jurisdiction to ask about."""

    name = "province"

    @hookimpl
    def corengine_register_jurisdictions(self) -> list[Jurisdiction]:
        return [Jurisdiction(code="ZZ", name="Test province")]


def plugin_with(hook: str, body: Callable[[], Any], name: str = "hostile-plugin") -> object:
    """A plugin object named ``name`` whose only hook, ``hook``, runs ``body``."""

    def implementation(self: object) -> Any:
        return body()

    implementation.__name__ = hook
    return type("Hostile", (), {"name": name, hook: hookimpl(implementation)})()


def engine_with(*plugins: object) -> Engine:
    return Engine(plugins=[StandardsPlugin(), Province(), *plugins], load_entrypoints=False, environ={})


def _raise(exc: BaseException) -> Callable[[], Any]:
    def body() -> Any:
        raise exc

    return body


def _exit() -> Any:
    sys.exit(3)


@pytest.mark.parametrize("hook", sorted(HOOK_CALLS))
@pytest.mark.parametrize(
    ("body", "shown"),
    [
        (_raise(ZeroDivisionError("division by zero")), "ZeroDivisionError: division by zero"),
        (_exit, "SystemExit: 3"),
        (_raise(KeyboardInterrupt()), "KeyboardInterrupt"),
    ],
    ids=["error", "sys.exit", "KeyboardInterrupt"],
)
def test_a_hook_that_raises_or_exits_is_a_plugin_error_naming_plugin_and_hook(
    hook: str, body: Callable[[], Any], shown: str
) -> None:
    engine = engine_with(plugin_with(hook, body))
    with pytest.raises(PluginError) as info:
        HOOK_CALLS[hook](engine)
    assert str(info.value) == f"plugin 'hostile-plugin' failed in hook {hook}: {shown}"


WRONG_RETURNS = [
    ("corengine_register_standards", "not-a-list", "str 'not-a-list'", "a list of paths"),
    ("corengine_register_standards", [42], "int 42", "a list of paths"),
    ("corengine_register_scoring_methods", [object()], "object <object", "a list of ScoringMethod objects"),
    ("corengine_register_jurisdictions", [{"code": "ZZ"}], "dict {'code': 'ZZ'}", "a list of Jurisdiction"),
    ("corengine_register_commands", ["hello"], "str 'hello'", "a list of named click.Command objects"),
    ("corengine_validate_audit", [("notes", "bad")], "tuple ('notes', 'bad')", "a list of (path, message)"),
    ("corengine_validate_audit", "bad", "str 'bad'", "a list of (path, message)"),
    ("corengine_decide_outcome", "pass", "str 'pass'", "Outcome or None"),
    ("corengine_review_outcome", ["late"], "str 'late'", "a list of Finding objects"),
    ("corengine_check_eligibility", {"ok": True}, "dict {'ok': True}", "a list of Finding objects"),
    ("corengine_plan_sample", 3, "int 3", "SamplePlan or None"),
]


@pytest.mark.parametrize(("hook", "value", "shown", "expected"), WRONG_RETURNS)
def test_a_hook_returning_the_wrong_type_is_a_plugin_error_naming_the_plugin(
    hook: str, value: Any, shown: str, expected: str
) -> None:
    engine = engine_with(plugin_with(hook, lambda: copy.copy(value)))
    with pytest.raises(PluginError) as info:
        HOOK_CALLS[hook](engine)
    message = str(info.value)
    assert message.startswith(f"plugin 'hostile-plugin' returned {shown}"), message
    assert f"from hook {hook}; expected {expected}" in message


def test_bad_input_a_plugin_finds_is_not_blamed_on_the_plugin() -> None:
    error = InputError(["audit.yaml:3: notes: the user's data is wrong"])
    engine = engine_with(plugin_with("corengine_validate_audit", _raise(error)))
    with pytest.raises(InputError) as info:
        engine.score(engine.audit_from_data(basic_audit()))
    assert info.value is error


# --------------------------------------------------------------------------- what plugins hand back


@pytest.fixture
def boom_standard(tmp_path: Path) -> Path:
    """The test standard with question 1.1 scored by the plugin method ``boom``."""
    data = yaml.safe_load(TEST_STANDARD.read_text(encoding="utf-8"))
    data["elements"][0]["questions"][0]["scoring"] = {"method": "boom"}
    path = tmp_path / "test-basic.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _fine_score(question: Any, response: Any) -> tuple[Fraction, str]:
    return Fraction(1), "fine"


def _fine_validate(question: Any, response: Any) -> list[str]:
    return []


def method_engine(path: Path, score: Callable[..., Any], validate: Callable[..., Any]) -> Engine:
    method = ScoringMethod("boom", score, validate)
    plugin = plugin_with("corengine_register_scoring_methods", lambda: [method])
    return Engine(plugins=[StandardsPlugin(path), plugin], load_entrypoints=False, environ={})


def _sys_exit(*_: Any) -> Any:
    sys.exit(4)


def _interrupt(*_: Any) -> Any:
    raise KeyboardInterrupt


def _divide(*_: Any) -> Any:
    return 1 // 0


@pytest.mark.parametrize("part", ["score", "validate"])
@pytest.mark.parametrize(
    ("bad", "shown"),
    [
        (_divide, "ZeroDivisionError: integer division or modulo by zero"),
        (_sys_exit, "SystemExit: 4"),
        (_interrupt, "KeyboardInterrupt"),
    ],
    ids=["error", "sys.exit", "KeyboardInterrupt"],
)
def test_a_scoring_method_that_raises_is_a_plugin_error_naming_plugin_and_hook(
    boom_standard: Path, part: str, bad: Callable[..., Any], shown: str
) -> None:
    score, validate = (bad, _fine_validate) if part == "score" else (_fine_score, bad)
    engine = method_engine(boom_standard, score, validate)
    with pytest.raises(PluginError) as info:
        engine.score(engine.audit_from_data(basic_audit()))
    assert str(info.value) == (
        f"plugin 'hostile-plugin' failed in scoring method 'boom' {part} "
        f"(hook corengine_register_scoring_methods): {shown}"
    )


@pytest.mark.parametrize(
    ("part", "value", "expected"),
    [
        ("score", 0.5, "a (points, explanation) tuple"),
        ("score", (Fraction(1), None), "a (points, explanation) tuple"),
        ("validate", "problem", "a list of str"),
        ("validate", [3], "a list of str"),
    ],
)
def test_a_scoring_method_returning_the_wrong_type_is_a_plugin_error(
    boom_standard: Path, part: str, value: Any, expected: str
) -> None:
    def wrong(*_: Any) -> Any:
        return value

    score, validate = (wrong, _fine_validate) if part == "score" else (_fine_score, wrong)
    engine = method_engine(boom_standard, score, validate)
    with pytest.raises(PluginError) as info:
        engine.score(engine.audit_from_data(basic_audit()))
    message = str(info.value)
    assert message.startswith("plugin 'hostile-plugin' returned ") and f"; expected {expected}" in message
    assert f"scoring method 'boom' {part}" in message


def test_a_scoring_method_raising_input_error_passes_it_through(boom_standard: Path) -> None:
    error = InputError(['<data>: responses["1.1"]: the user\'s data is wrong'])

    def validate(*_: Any) -> list[str]:
        raise error

    engine = method_engine(boom_standard, _fine_score, validate)
    with pytest.raises(InputError) as info:
        engine.score(engine.audit_from_data(basic_audit()))
    assert info.value is error


def test_a_working_scoring_method_still_scores(boom_standard: Path) -> None:
    engine = method_engine(boom_standard, _fine_score, _fine_validate)
    result = engine.score(engine.audit_from_data(basic_audit()))
    assert result.score.elements[0].questions[0].earned == 1


def command_plugin(callback: Callable[..., Any]) -> object:
    command = click.Command("boom", callback=click.pass_context(callback))
    return plugin_with("corengine_register_commands", lambda: [command])


def _command_exit(ctx: click.Context) -> None:
    sys.exit(5)


def _command_interrupt(ctx: click.Context) -> None:
    raise KeyboardInterrupt


def _command_error(ctx: click.Context) -> None:
    raise ValueError("broken")


@pytest.mark.parametrize(
    ("callback", "shown"),
    [
        (_command_exit, "SystemExit: 5"),
        (_command_interrupt, "KeyboardInterrupt"),
        (_command_error, "ValueError: broken"),
    ],
    ids=["sys.exit", "KeyboardInterrupt", "error"],
)
def test_a_plugin_command_that_raises_or_exits_is_a_plugin_error(
    callback: Callable[..., Any], shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugin = command_plugin(callback)
    command = Engine(plugins=[plugin], load_entrypoints=False, environ={}).hooks.commands()["boom"][1]
    with pytest.raises(PluginError) as info:
        command.main([], standalone_mode=False)
    expected = f"plugin 'hostile-plugin' failed in command 'boom' (hook corengine_register_commands): {shown}"
    assert str(info.value) == expected
    monkeypatch.setattr("corengine._cli.main.Engine", lambda: Engine(plugins=[plugin], load_entrypoints=False))
    result = CliRunner().invoke(cli, ["boom"], env={"CORENGINE_DISABLE_PLUGINS": ""})
    assert (result.exit_code, result.stderr) == (2, f"error: {expected}\n")


def test_a_plugin_command_may_still_exit_through_click(monkeypatch: pytest.MonkeyPatch) -> None:
    def callback(ctx: click.Context) -> None:
        click.echo("done")
        ctx.exit(4)

    plugin = command_plugin(callback)
    monkeypatch.setattr("corengine._cli.main.Engine", lambda: Engine(plugins=[plugin], load_entrypoints=False))
    result = CliRunner().invoke(cli, ["boom"], env={"CORENGINE_DISABLE_PLUGINS": ""})
    assert (result.exit_code, result.stdout) == (4, "done\n")
    result = CliRunner().invoke(cli, ["boom", "--nope"], env={"CORENGINE_DISABLE_PLUGINS": ""})
    assert result.exit_code == 2 and "No such option '--nope'" in result.stderr


# --------------------------------------------------------------------------- the disable switch


def test_disabling_an_unknown_plugin_warns_and_lists_the_installed_ones() -> None:
    with pytest.warns(PluginWarning) as caught:
        Engine(plugins=[StandardsPlugin()], load_entrypoints=False, environ={"CORENGINE_DISABLE_PLUGINS": "nosuch"})
    message = str(caught[0].message)
    assert message.startswith("CORENGINE_DISABLE_PLUGINS names no installed plugin: 'nosuch' (installed: ")
    assert "corengine.defaults" in message and "test-standards" in message


def test_disabling_a_known_plugin_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        engine = Engine(
            plugins=[StandardsPlugin()],
            load_entrypoints=False,
            environ={"CORENGINE_DISABLE_PLUGINS": "test-standards"},
        )
    assert engine.sources() == {}


def test_the_cli_prints_the_warning_on_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("corengine._cli.main.Engine", lambda: Engine(load_entrypoints=False))
    result = CliRunner().invoke(cli, ["plugins"], env={"CORENGINE_DISABLE_PLUGINS": "nosuch,corengine.defaults"})
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: CORENGINE_DISABLE_PLUGINS names no installed plugin: 'nosuch' (")
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
