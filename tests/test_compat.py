"""The 0.1 module paths still import for one release, each name with a DeprecationWarning naming its new path."""

from __future__ import annotations

import importlib
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import corengine
from corengine import _compat


@pytest.mark.parametrize("old", sorted(_compat.MOVED))
def test_every_old_module_path_resolves_to_a_real_module(old: str) -> None:
    target = importlib.import_module(_compat.MOVED[old])
    shim = importlib.import_module(f"corengine.{old}")
    assert shim is not target
    assert f"moved to {_compat.MOVED[old]}" in (shim.__doc__ or "")
    assert set(dir(target)) <= set(dir(shim))


def test_an_old_name_is_the_new_object_and_warns_naming_the_new_public_path() -> None:
    from corengine._batch.runner import run

    with pytest.warns(DeprecationWarning) as caught:
        from corengine.batch import run as old_run
    assert old_run is run is corengine.run_batch
    assert [str(w.message) for w in caught] == [
        "corengine.batch.run is deprecated; use corengine.run_batch (corengine.batch is removed in 0.3.0)"
    ]


def test_an_undocumented_old_name_warns_naming_its_module_now() -> None:
    with pytest.warns(
        DeprecationWarning,
        match=r"^corengine\.scoring\.round_to is deprecated; use "
        r"corengine\._rules\.scoring\.round_to \(corengine\.scoring is removed in 0\.3\.0\)$",
    ):
        from corengine.scoring import round_to
    from corengine._rules.scoring import round_to as new

    assert round_to is new


def test_the_documented_paths_of_the_batch_page_still_run() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        from corengine.impact import Rescorer
        from corengine.impact import run as impact
    assert Rescorer is corengine.Rescorer and impact is corengine.run_impact
    assert [str(w.message).split(";")[0] for w in caught] == [
        "corengine.impact.Rescorer is deprecated",
        "corengine.impact.run is deprecated",
    ]


def test_a_name_the_old_module_never_had_is_an_attribute_error() -> None:
    import corengine.scoring as old

    with pytest.raises(AttributeError):
        old.no_such_name  # noqa: B018


def test_the_public_names_load_on_first_use_and_are_the_defining_objects() -> None:
    from corengine._host.engine import Engine
    from corengine.errors import InputError

    assert corengine.Engine is Engine and corengine.InputError is InputError
    assert sorted(corengine.__all__) == sorted([*corengine._HOMES, "__version__"])
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        corengine.nothing  # noqa: B018


def test_an_old_path_works_in_a_fresh_interpreter_and_the_warning_points_at_the_caller() -> None:
    code = "import warnings; warnings.simplefilter('always')\nfrom corengine.converter import load_file\n"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stderr.startswith("<string>:2: DeprecationWarning: corengine.converter.load_file is deprecated; use ")


def test_python_dash_m_on_an_old_path_warns_and_runs_the_new_module(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-W", "always", "-m", "corengine.schema", str(tmp_path)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert "python -m corengine.schema is deprecated; use python -m corengine._views.schema" in run.stderr
    assert (tmp_path / "result.schema.json").is_file()


def test_a_name_of_a_module_split_in_several_is_found_in_its_new_module() -> None:
    from corengine._http.server import app_from_environment

    with pytest.warns(
        DeprecationWarning,
        match=r"^corengine\.serve\.app_from_environment is deprecated; use "
        r"corengine\._http\.server\.app_from_environment ",
    ):
        from corengine.serve import app_from_environment as old
    assert old is app_from_environment
