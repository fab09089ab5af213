"""Plugin discovery from the distributions' own files finds what importlib.metadata finds."""

from __future__ import annotations

import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from corengine._io import distributions as entrypoints


def as_found(points: list[entrypoints.EntryPoint]) -> set[tuple[str, str, str, str]]:
    return {(e.name, e.value, e.dist.name if e.dist else "-", e.dist.version if e.dist else "-") for e in points}


def by_metadata(group: str) -> set[tuple[str, str, str, str]]:
    return {(e.name, e.value, e.dist.name, e.dist.version) for e in metadata.entry_points(group=group) if e.dist}


@pytest.mark.parametrize("group", ["corengine", "console_scripts", "pytest11"])
def test_the_entry_points_of_a_group_are_those_importlib_metadata_gives(group: str) -> None:
    found = as_found(entrypoints.entry_points(group))
    assert found == by_metadata(group)
    assert found  # each group has entry points in the project's environment


def test_the_bundled_plugins_are_found_with_their_distributions() -> None:
    found = {e.name: e for e in entrypoints.entry_points("corengine")}
    assert {"alberta", "bc", "ontario"} <= set(found)
    alberta = found["alberta"]
    assert alberta.value == "corengine_alberta.plugin"
    assert alberta.dist is not None and alberta.dist.name == metadata.distribution("corengine-alberta").name
    import corengine_alberta.plugin

    assert alberta.load() is corengine_alberta.plugin


def test_versions_are_those_importlib_metadata_gives() -> None:
    assert entrypoints.version("corengine") == metadata.version("corengine")
    assert entrypoints.version("Corengine_Alberta") == metadata.version("corengine-alberta")
    assert entrypoints.version("corengine-no-such-distribution") is None


def test_an_attribute_path_is_loaded() -> None:
    point = entrypoints.EntryPoint("x", "corengine._io.distributions:EntryPoint.load", "g")
    assert point.load() is entrypoints.EntryPoint.load


def test_a_zip_archive_on_the_path_is_left_to_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "zipped.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(
            "corengine_zipped-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: corengine-zipped\nVersion: 1.0\n"
        )
        zipped.writestr(
            "corengine_zipped-1.0.dist-info/entry_points.txt", "[corengine]\nzipped = corengine_zipped.plugin\n"
        )
    monkeypatch.syspath_prepend(str(archive))
    found = {e.name: e.value for e in entrypoints.entry_points("corengine")}
    assert found["zipped"] == "corengine_zipped.plugin"
    assert entrypoints.version("corengine-zipped") == "1.0"


def test_the_first_distribution_of_a_name_on_the_path_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for folder, version, target in (("first", "2.0", "one.plugin"), ("second", "1.0", "two.plugin")):
        info = tmp_path / folder / f"corengine_twice-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: corengine-twice\nVersion: {version}\n\nBody: x\n")
        (info / "entry_points.txt").write_text(f"# comment\n[other]\nx = y\n\n[corengine]\ntwice = {target}\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "first"), str(tmp_path / "second"), *sys.path])
    found = [e for e in entrypoints.entry_points("corengine") if e.name == "twice"]
    assert [(e.value, e.dist.version if e.dist else None) for e in found] == [("one.plugin", "2.0")]
    assert as_found(entrypoints.entry_points("corengine")) == by_metadata("corengine")
