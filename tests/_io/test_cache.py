"""The cache of structured data files: used when nothing changed, never trusted when something did."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from corengine._io import cache
from corengine.errors import InputError
from corengine.model import Standard
from corengine.model.converter import load_file

STANDARD = """\
id: tiny
title: A tiny standard
version: "1"
jurisdiction: ZZ
programs: [COR]
elements:
  - id: "1"
    title: Element one
    questions:
      - id: "1.1"
        text: Is there a policy?
        points: {points}
        methods: [D]
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    return tmp_path / "cache" / "corengine"


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.exists() else []


def test_a_loaded_file_is_cached_and_read_back_equal(tmp_path: Path, folder: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(STANDARD.format(points=10), encoding="utf-8")
    first = load_file(path, Standard)
    assert len(_entries(folder)) == 1
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700)
    second = load_file(path, Standard)
    assert second == first and second is not first
    assert len(_entries(folder)) == 1


def test_a_changed_file_is_loaded_afresh(tmp_path: Path, folder: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(STANDARD.format(points=10), encoding="utf-8")
    assert load_file(path, Standard).elements[0].questions[0].points == 10
    path.write_text(STANDARD.format(points=7), encoding="utf-8")
    assert load_file(path, Standard).elements[0].questions[0].points == 7
    assert len(_entries(folder)) == 2


def test_a_file_with_a_problem_is_never_cached(tmp_path: Path, folder: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(STANDARD.format(points="ten"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError, match="points"):
            load_file(path, Standard)
    assert _entries(folder) == []


def test_a_damaged_or_foreign_entry_falls_back_to_a_fresh_load(tmp_path: Path, folder: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(STANDARD.format(points=10), encoding="utf-8")
    expected = load_file(path, Standard)
    (entry,) = _entries(folder)
    for damage in (b"", b"not a pickle", entry.read_bytes()[:20]):
        entry.write_bytes(damage)
        assert load_file(path, Standard) == expected
    import pickle

    entry.write_bytes(pickle.dumps({"not": "a standard"}))
    assert load_file(path, Standard) == expected


def test_the_key_changes_with_the_class_the_kind_and_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    text = STANDARD.format(points=10)
    key = cache.key_of(text, "yaml", Standard)
    assert cache.key_of(text, "json", Standard) != key
    assert cache.key_of(text, "yaml", InputError) != key
    assert cache.key_of(text + " ", "yaml", Standard) != key
    monkeypatch.setattr(cache, "_package_fingerprint", lambda: b"another corengine")
    assert cache.key_of(text, "yaml", Standard) != key


def test_a_changed_module_changes_the_fingerprint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "package"
    package.mkdir()
    module = package / "model.py"
    module.write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "__file__", str(package / "cache.py"))
    cache._package_fingerprint.cache_clear()
    try:
        before = cache._package_fingerprint()
        stat = module.stat()
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        cache._package_fingerprint.cache_clear()
        assert cache._package_fingerprint() != before
    finally:
        cache._package_fingerprint.cache_clear()


def test_corengine_no_cache_reads_afresh_and_writes_nothing(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    path = tmp_path / "tiny.yaml"
    path.write_text(STANDARD.format(points=10), encoding="utf-8")
    load_file(path, Standard)
    assert _entries(folder) == []
    assert cache.cache_folder() is None


def test_an_unwritable_cache_folder_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    path = tmp_path / "tiny.yaml"
    path.write_text(STANDARD.format(points=10), encoding="utf-8")
    assert load_file(path, Standard) == load_file(path, Standard)


@pytest.mark.parametrize("loose", ["folder", "entry"])
def test_an_entry_others_may_write_is_never_unpickled(tmp_path: Path, folder: Path, loose: str) -> None:
    """Unpickling runs code: a cache under a shared ``XDG_CACHE_HOME`` that another user could fill is not read."""
    import pickle

    path = tmp_path / "tiny.yaml"
    path.write_text(STANDARD.format(points=10), encoding="utf-8")
    expected = load_file(path, Standard)
    (entry,) = _entries(folder)
    planted = tmp_path / "planted"

    class Plant:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (Path.touch, (str(planted),))  # type: ignore[return-value]

    entry.write_bytes(pickle.dumps(Plant()))
    os.chmod(folder if loose == "folder" else entry, 0o777 if loose == "folder" else 0o666)
    assert load_file(path, Standard) == expected
    assert not planted.exists()
