"""Public: a check for plugin tests that an example audit scores as its header says.

A plugin's example audits carry their expected outcome in their header (``# score: PASSED — COR (3 years), ...``
and ``# score --strict: ...``), so a reader sees it and a test holds it::

    assert_scores_as_its_header_says(EXAMPLES / "pass.yaml", 0, "Outcome: PASSED — COR (3 years), ...", env)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner

from corengine._cli.main import cli


def assert_scores_as_its_header_says(path: Path, code: int, outcome: str, env: Mapping[str, str]) -> None:
    """``corengine score PATH --check`` (with and without ``--strict``, in the environment ``env``: e.g.
    ``CORENGINE_PLUGINS`` naming the plugins the test runs alone with) exits ``code`` and prints the ``outcome``
    line, and the file's two ``# score`` header lines say that outcome."""
    header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# score")]
    for options in ([], ["--strict"]):
        result = CliRunner().invoke(cli, ["score", str(path), "--check", *options], env=dict(env))
        assert result.exit_code == code, result.output
        assert [line for line in result.output.splitlines() if line.startswith("Outcome:")] == [outcome]
    assert [line.split(":", 1)[1].strip() for line in header] == [outcome.removeprefix("Outcome: ")] * 2
