"""The library API: the public names, uploads read from bytes, and one Engine shared by threads."""

from __future__ import annotations

import io
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corengine
from corengine import InputError, result_json
from corengine._views.render import dumps
from tests.helpers import EXAMPLES, basic_audit, bundled_engine, make_engine

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


# --------------------------------------------------------------------------- the README's promises, hostile data


def test_result_bytes_are_exactly_what_score_writes_and_result_json_its_data() -> None:
    from click.testing import CliRunner

    from corengine._cli.main import cli

    path = EXAMPLES / "alberta-acsa-cor-certification-pass.yaml"
    result = bundled_engine().score(bundled_engine().load_audit(path))
    printed = CliRunner().invoke(cli, ["score", str(path), "--format", "json"])
    assert printed.exit_code == 0
    assert corengine.result_bytes(result) == printed.stdout_bytes
    data = result_json(result)
    assert isinstance(data, dict)
    assert json.loads(printed.stdout_bytes) == data


def test_every_request_type_is_exported() -> None:
    from corengine._views.payloads import SampleRequest
    from corengine.model import EligibilityRequest

    assert corengine.EligibilityRequest is EligibilityRequest
    assert corengine.SampleRequest is SampleRequest
    assert {"EligibilityRequest", "SampleRequest", "result_bytes"} <= set(corengine.__all__)


def test_a_read_only_mapping_is_read_like_a_dict() -> None:
    engine = make_engine()
    data = basic_audit()
    expected = dumps(result_json(engine.score(engine.audit_from_data(data))))
    responses = MappingProxyType({key: MappingProxyType(value) for key, value in data["responses"].items()})
    frozen = MappingProxyType(data | {"responses": responses, "employer": MappingProxyType(data["employer"])})
    assert dumps(result_json(engine.score(engine.audit_from_data(frozen)))) == expected
    # a dict whose parts are read-only views is read as it is (no copy), with the same result
    mixed = data | {"responses": responses, "employer": MappingProxyType(data["employer"])}
    assert dumps(result_json(engine.score(engine.audit_from_data(mixed)))) == expected
    plain_bad = data | {"responses": {**data["responses"], "1.1": {"points": 99}}}
    bad = data | {"responses": MappingProxyType({**data["responses"], "1.1": MappingProxyType({"points": 99})})}
    problems = engine.problems(engine.audit_from_data(plain_bad))
    assert [(p.path, p.message) for p in problems] == [('responses["1.1"].points', "points must be <= 10, not 99")]
    assert engine.problems(engine.audit_from_data(bad)) == problems


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["responses"].__setitem__(1.5, {"points": 1}),
            "<data>: responses[1.5]: expected text, not 1.5 (quote it)",
        ),
        (
            lambda d: d["responses"].__setitem__(None, {"points": 1}),
            "<data>: responses[None]: expected text, not None (quote it)",
        ),
        (
            lambda d: d["responses"].__setitem__(10**5000, {"points": 1}),
            "<data>: responses[a number of about 5000 digits]: expected text, not a number of about 5000 digits (quote it)",
        ),
        (
            lambda d: d["responses"].__setitem__("1.1", {"points": 10**5000}),
            '<data>: responses["1.1"].points: expected a number with at most 15 digits before the decimal point, '
            "not a number of about 5000 digits",
        ),
    ],
)
def test_a_hostile_value_is_an_input_error_with_its_path(change: Any, expected: str) -> None:
    data = basic_audit()
    change(data)
    with pytest.raises(InputError) as caught:
        make_engine().audit_from_data(data)
    assert [str(p) for p in caught.value.problems] == [expected]


_ODD = st.deferred(
    lambda: (
        st.none()
        | st.booleans()
        | st.integers()
        | st.just(10**5000)
        | st.floats()
        | st.decimals()
        | st.fractions()
        | st.complex_numbers()
        | st.text(max_size=5)
        | st.binary(max_size=3)
        | st.dates()
        | st.datetimes()
        | st.builds(object)
        | st.lists(_ODD, max_size=3)
        | st.tuples(_ODD)
        | st.dictionaries(st.text(max_size=3) | st.floats() | st.integers() | st.none(), _ODD, max_size=3)
        | st.dictionaries(st.text(max_size=3), _ODD, max_size=3).map(MappingProxyType)
    )
)
_PLACES = [
    ("audit_date",),
    ("start_date",),
    ("employer",),
    ("employer", "workers"),
    ("employer", "name"),
    ("auditor",),
    ("responses",),
    ("responses", "1.1"),
    ("responses", "1.1", "points"),
    ("responses", "1.3", "interviews"),
    ("responses", "1.3", "interviews", "total"),
    ("history",),
    ("notes",),
    ("extensions",),
    ("program",),
    (1.5,),
    ("responses", 2.5),
    ("responses", None),
    ("employer", 10**5000),
]


@settings(max_examples=300, deadline=None)
@given(place=st.sampled_from(_PLACES), value=_ODD)
def test_only_input_errors_escape_from_odd_plain_data(shared_engine: Any, place: tuple[Any, ...], value: Any) -> None:
    data = basic_audit()
    target = data
    for key in place[:-1]:
        target = target[key]
    target[place[-1]] = value
    try:
        shared_engine.score(shared_engine.audit_from_data(MappingProxyType(data)))
    except InputError as exc:
        assert exc.problems and all(isinstance(str(p), str) for p in exc.problems)
