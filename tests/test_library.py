"""The library API: the public names, uploads read from bytes, and one Engine shared by threads."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import corengine
from corengine import InputError, result_json
from corengine._views.render import dumps
from tests.helpers import EXAMPLES, bundled_engine

EXAMPLE_FILES = sorted((EXAMPLES).glob("*.yaml"))


def test_the_public_names_are_importable_and_listed() -> None:
    for name in corengine.__all__:
        assert hasattr(corengine, name), name
    assert {"Engine", "Finding", "Quantity", "Problem", "Result", "result_json"} <= set(corengine.__all__)


def test_an_upload_read_from_bytes_or_a_stream_scores_like_the_file() -> None:
    engine = bundled_engine()
    path = EXAMPLES / "alberta-acsa-cor-certification-pass.yaml"
    expected = dumps(result_json(engine.score(engine.load_audit(path))))
    raw = path.read_bytes()
    for upload in (raw, io.BytesIO(raw)):
        loaded = engine.load_audit_bytes(upload, path.name)
        assert loaded.source == path.name
        assert dumps(result_json(engine.score(loaded))) == expected


def test_an_uploaded_spreadsheet_is_read_from_bytes(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from corengine._cli.main import cli

    target = tmp_path / "blank.xlsx"
    assert CliRunner().invoke(cli, ["new", "ab-acsa-cor", "-o", str(target)]).exit_code == 0
    with pytest.raises(InputError) as caught:
        bundled_engine().load_audit_bytes(target.read_bytes(), "upload.xlsx")
    problems = caught.value.problems
    assert problems and all(p.file == "upload.xlsx" for p in problems)
    assert any(p.cell is not None for p in problems)


def test_bad_bytes_get_one_problem_naming_the_upload() -> None:
    with pytest.raises(InputError) as caught:
        bundled_engine().load_audit_bytes(b"\xff\xfe not text", "upload.yaml")
    assert [str(p) for p in caught.value.problems] == ["upload.yaml: not UTF-8 text (bad byte at offset 0)"]
    with pytest.raises(InputError) as caught:
        bundled_engine().load_audit_bytes(b"\xff not a zip", "upload.xlsx")
    assert [str(p) for p in caught.value.problems] == [
        "upload.xlsx: not an .xlsx workbook (an .xlsx file is a zip archive; this is not one)"
    ]


def test_one_engine_shared_by_eight_threads_gives_the_serial_bytes() -> None:
    serial_engine = bundled_engine()
    serial = {p.name: dumps(result_json(serial_engine.score(serial_engine.load_audit(p)))) for p in EXAMPLE_FILES}
    shared = bundled_engine()  # fresh: its caches fill while the threads race

    def run(path: Path) -> tuple[str, str]:
        return path.name, dumps(result_json(shared.score(shared.load_audit(path))))

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(run, EXAMPLE_FILES * 6))
    assert len(results) == len(EXAMPLE_FILES) * 6
    for name, text in results:
        assert text == serial[name], name


def test_load_file_moved_to_the_converter_and_the_old_import_warns_naming_the_new_one() -> None:
    import corengine.loading

    from corengine.model.converter import load_file

    with pytest.warns(
        DeprecationWarning,
        match=r"corengine\.loading\.load_file is deprecated; use corengine\.model\.converter\.load_file",
    ):
        old = corengine.loading.load_file
    assert old is load_file
