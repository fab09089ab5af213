"""The plugin kit: ``corengine plugin new`` scaffolds a package that installs, passes its own scenario tests and
``corengine plugin check``; ``plugin check`` reports what is wrong with file and line, and exits 2."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import corengine
from corengine._host.manager import ONLY_ENV
from corengine._kit.check import check
from corengine._kit.scaffold import layout, names_for, render
from tests.helpers import DATA, ROOT, invoke

# --------------------------------------------------------------------------- plugin new


PLACEHOLDER = "a placeholder source from the scaffold; cite the public page"
"""How check words a warning about an ``example.org`` source (the scaffold's placeholders)."""


def test_the_scaffold_names_every_file_after_the_plugin() -> None:
    names = names_for("yukon-wood")
    assert (names.distribution, names.package, names.code, names.partner, names.standard_id) == (
        "corengine-yukon-wood",
        "corengine_yukon_wood",
        "YU",
        "YUKONWOOD",
        "yu-yukonwood-cor",
    )
    assert sorted(layout(names)) == [
        "LICENSE",
        "README.md",
        "examples/audit-fail.yaml",
        "examples/audit-pass.yaml",
        "pyproject.toml",
        "src/corengine_yukon_wood/__init__.py",
        "src/corengine_yukon_wood/data/standards/yu-yukonwood-cor.yaml",
        "src/corengine_yukon_wood/data/yukon-wood.yaml",
        "src/corengine_yukon_wood/plugin.py",
        "src/corengine_yukon_wood/py.typed",
        "tests/test_corengine_yukon_wood.yaml",
    ]
    files = render(names)
    assert 'license = "Apache-2.0"' in files["pyproject.toml"]
    assert 'yukon-wood = "corengine_yukon_wood.plugin"' in files["pyproject.toml"]
    assert files["LICENSE"] == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "from corengine.plugin import data_plugin" in files["src/corengine_yukon_wood/plugin.py"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["Yukon"],
            "error: plugin name 'Yukon': use lower-case letters and digits, words joined by hyphens "
            "(e.g. yukon, my-partner)\n",
        ),
        (["yukon", "--code", "Y"], "error: jurisdiction code 'Y': use two or three capital letters (--code YT)\n"),
        # a trailing line break is not part of a name (it would be in the folder's and the files' names)
        (
            ["yukon\n"],
            "error: plugin name 'yukon\\n': use lower-case letters and digits, words joined by hyphens "
            "(e.g. yukon, my-partner)\n",
        ),
        (
            ["yukon", "--code", "YT\n"],
            "error: jurisdiction code 'YT\\n': use two or three capital letters (--code YT)\n",
        ),
        (
            ["yukon", "--partner", "YCSA\n"],
            "error: partner 'YCSA\\n': use capital letters and digits (--partner YCSA)\n",
        ),
        (["y" * 300], "error: plugin name 'yyyyyyyyyyyyyyyyyyyy'...: at most 64 characters, not 300\n"),
        (["con"], "error: plugin name 'con': a device name on Windows (its data file con.yaml); choose another\n"),
        (
            ["alberta"],
            "error: plugin name 'alberta': the installed plugin corengine-alberta has it (installing the new package "
            "would replace or shadow it); choose another\n",
        ),
        (["yukon", "-o", ""], "error: the output folder name is empty (-o DIR; '.' for here)\n"),
    ],
)
def test_a_bad_name_is_refused_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke("plugin", "new", *args)
    assert (code, err) == (2, message)
    assert list(tmp_path.iterdir()) == []


def test_a_scaffold_that_cannot_be_written_leaves_no_folder_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corengine._kit import scaffold

    files = render(names_for("yukon", "YT"))
    files["README.md/oops"] = "a file under a file: cannot be written"
    monkeypatch.setattr(scaffold, "render", lambda names: files)
    code, out, err = invoke("plugin", "new", "yukon", "--code", "YT", "-o", str(tmp_path / "new" / "place"))
    assert (code, out) == (2, "")
    assert err == f"error: {tmp_path / 'new' / 'place' / 'corengine-yukon'}: cannot write the package: File exists\n"
    assert list(tmp_path.iterdir()) == []  # the folders -o named were made for the package: they go with it


def test_an_existing_folder_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "corengine-yukon").mkdir()
    (tmp_path / "corengine-yukon" / "mine.txt").write_text("keep", encoding="utf-8")
    code, out, err = invoke("plugin", "new", "yukon", "-o", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == (
        f"error: {tmp_path / 'corengine-yukon'}: already exists; choose another name or folder (nothing was written)\n"
    )
    assert [p.name for p in (tmp_path / "corengine-yukon").iterdir()] == ["mine.txt"]


def test_the_scaffold_is_clean_by_path_before_it_is_installed(tmp_path: Path) -> None:
    code, out, _ = invoke("plugin", "new", "yukon", "--code", "YT", "-o", str(tmp_path))
    assert (code, out.splitlines()[0]) == (0, f"created {tmp_path / 'corengine-yukon'}")
    code, out, _ = invoke("plugin", "check", str(tmp_path / "corengine-yukon"))
    # clean: its placeholder sources are warnings; its jurisdiction file is read only once it is installed
    standard = tmp_path / "corengine-yukon" / "src" / "corengine_yukon" / "data" / "standards" / "yt-yukon-cor.yaml"
    assert (code, out.splitlines()) == (
        0,
        [
            f"{standard}:9: warning: reference[0]: https://example.org/yukon/audit-document: {PLACEHOLDER}",
            f"{standard}:61: warning: rules[0].versions[0].reference[0]: https://example.org/yukon/pass-marks: "
            f"{PLACEHOLDER}",
            f"{tmp_path / 'corengine-yukon'}: 1 standard checked, clean, 2 warnings",
        ],
    )


def _venv_with_the_project(where: Path) -> Path:
    """A throwaway virtual environment that sees this one's packages (corengine, setuptools, pytest) through a
    ``.pth`` file, so installing into it needs no network."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, timeout=120)
    python = where / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], *site.getsitepackages()])
    # addsitedir, not a bare path: the parent's own .pth files (its editable installs) are read too
    lines = [f"import site; site.addsitedir({folder!r})" for folder in ours]
    # the corengine under test first, wherever it is imported from here (a checkout on PYTHONPATH, or installed)
    lines.append(f"import sys; sys.path.insert(0, {str(Path(corengine.__file__).resolve().parent.parent)!r})")
    Path(purelib, "corengine-parent.pth").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return python


def test_a_scaffolded_plugin_installs_passes_its_scenarios_and_checks_clean(tmp_path: Path) -> None:
    """Done when: scaffold, ``pip install -e`` (offline: no build isolation, no dependencies), run the package's
    scenario tests in a subprocess, and ``corengine plugin check`` it by name, clean. The name is one no real
    partner plugin would take, so a third-party plugin installed beside the project cannot clash with it."""
    code, _, _ = invoke("plugin", "new", "testland", "--code", "TL", "-o", str(tmp_path))
    assert code == 0
    package = tmp_path / "corengine-testland"
    python = _venv_with_the_project(tmp_path / "venv")
    env = {k: v for k, v in os.environ.items() if k not in (ONLY_ENV, "PYTHONPATH")}
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index", "-e", str(package)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    assert "deprecat" not in (install.stdout + install.stderr).lower()
    tests = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"],
        cwd=package,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "4 passed" in tests.stdout
    run_cli = "import sys; from corengine._cli.main import main; sys.argv[0] = 'corengine'; main()"
    checked = subprocess.run(
        [str(python), "-c", run_cli, "plugin", "check", "testland"],
        env=env | {ONLY_ENV: "testland"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    data = package / "src" / "corengine_testland" / "data"
    standard, jurisdiction = data / "standards" / "tl-testland-cor.yaml", data / "testland.yaml"
    assert (checked.returncode, checked.stdout.splitlines(), checked.stderr) == (
        0,
        [
            f"{standard}:9: warning: reference[0]: https://example.org/testland/audit-document: {PLACEHOLDER}",
            f"{standard}:61: warning: rules[0].versions[0].reference[0]: https://example.org/testland/pass-marks: "
            f"{PLACEHOLDER}",
            f"{jurisdiction}:8: warning: eligibility[0].reference[0]: https://example.org/testland/eligibility: "
            f"{PLACEHOLDER}",
            f"{jurisdiction}:16: warning: partners[0].reference[0]: https://example.org/testland/partner: {PLACEHOLDER}",
            "testland: 1 standard and 1 data file checked, clean, 4 warnings",
        ],
        "",
    )
    scored = subprocess.run(
        [str(python), "-c", run_cli, "score", str(package / "examples" / "audit-fail.yaml")],
        env=env | {ONLY_ENV: "testland"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert scored.returncode == 0 and "certification.overall_minimum" in scored.stdout, scored.stdout + scored.stderr


# --------------------------------------------------------------------------- plugin check


def test_every_bundled_plugin_is_clean() -> None:
    for name, checked in (
        ("alberta", "4 standards and 5 data files"),
        ("ontario", "2 standards and 2 data files"),
        ("bc", "1 standard and 4 data files"),
    ):
        assert invoke("plugin", "check", name) == (0, f"{name}: {checked} checked, clean\n", "")


STANDARD = """\
id: zz-lint
title: A standard with one of everything wrong
version: "1"
jurisdiction: ZZ
programs: [COR]
extends: test-basic
elements:
  - id: "1"
    title: Policy, restated with one question
    questions:
      - {id: "1.1", text: A policy exists, points: 10, methods: [D, I]}
  - id: "9"
    title: New element
    themes: [inspections]
    questions:
      - id: "9.1"
        text: Inspections are done
        points: 10
        methods: [D, O]
        expects:
          - {kind: inspection-record}
rules:
  - id: certification
    title: Certification
    audit_types: [certification, recertification]
    versions:
      - start: 2000-01-01
        reference: [https://example.org/rules-2000]
        confidence: H
        overall_minimum: 75
sampling:
  interviews:
    - start: 2000-01-01
      reference: [https://example.org/sampling]
      confidence: M
      rows:
        - {min: 1, max: 9, value: all}
        - {min: 12, max: 20, value: "10"}
        - {min: 20, value: "12"}
"""


def test_check_reports_every_problem_with_file_and_line_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "test-basic.yaml").write_text((DATA / "standards" / "test-basic.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "zz-lint.yaml"
    path.write_text(STANDARD, encoding="utf-8")
    report = check(str(tmp_path), environ={ONLY_ENV: "alberta"})
    assert report.standards == ("test-basic", "zz-lint")
    expected = [
        f"{path}:8: elements[0].id: element 1 replaces test-basic's element 1 whole (its questions are not merged): "
        "restate every question, or give the element a new id",
        f"{path}:8: elements[0].themes: element 1 names no theme (give the element, or each question, themes; "
        'docs/plugins.md, "Data: expected evidence")',
        f"{path}:11: elements[0].questions[0].expects: question 1.1 declares no expected evidence (expects; "
        'docs/plugins.md, "Data: expected evidence")',
        f"{path}:21: elements[1].questions[0].expects: question 9.1 is verified by O but expects no observation "
        "(observe: ...)",
        f"{path}:27: rules[0].versions[0].start: rule certification's version of 2000-01-01 replaces test-basic's "
        "version of that date whole, dropping its element_minimum, mandatory_full_marks, methods_required, "
        "certificates, on_fail: restate them, or change single values with overrides: "
        '(docs/plugins.md, "Overriding single values")',
        f"{path}:32: sampling: sampling replaces test-basic's whole sampling section (every table, interviews and "
        "sites): restate every table, or leave sampling out to keep the base's",
        f"{path}:38: sampling.interviews[0].rows[1]: gap: no row for 10-11 (between rows 1-9 and 12-20)",
        f"{path}:39: sampling.interviews[0].rows[2]: overlap: rows 12-20 and 20- both cover 20",
    ]
    assert sorted(str(p) for p in report.problems if p.file == str(path)) == sorted(expected)
    # alone, without its base: the load error names the file and line, and what needs no base is still checked
    by_line = sorted(expected, key=lambda row: int(row.removeprefix(f"{path}:").split(":")[0]))
    assert invoke("plugin", "check", str(path)) == (
        2,
        f"{path}:6: extends: unknown standard 'test-basic' (installed: ab-acsa-cor, ab-acsa-secor, ab-esc-cor, "
        "ab-pir, bc-bccsa-cor, on-ihsa-cor2015, on-ihsa-cor2020, zz-lint)\n"
        + "".join(f"{row}\n" for row in by_line if "replaces" not in row)
        + f"{path}:28: warning: rules[0].versions[0].reference[0]: https://example.org/rules-2000: {PLACEHOLDER}\n"
        + f"{path}:34: warning: sampling.interviews[0].reference[0]: https://example.org/sampling: {PLACEHOLDER}\n"
        + f"{path}: 1 standard checked, 6 problems, 2 warnings\n",
        "",
    )


def test_a_misspelt_scoring_method_is_a_load_error_at_the_standards_own_line(tmp_path: Path) -> None:
    text = (DATA / "standards" / "test-basic.yaml").read_text(encoding="utf-8")
    path = tmp_path / "test-basic.yaml"
    path.write_text(
        text.replace("scoring: {method: range, tally: interviews}", "scoring: {method: rnage, tally: interviews}")
    )
    code, out, _ = invoke("plugin", "check", str(path))
    line = next(i for i, row in enumerate(path.read_text().splitlines(), 1) if "rnage" in row)
    assert code == 2
    (row,) = [row for row in out.splitlines() if "scoring.method" in row]
    assert row.startswith(f"{path}:{line}: elements[0].questions[2].scoring.method: ")
    assert "'rnage'" in row


def test_the_tutorial_documents_every_public_name_and_every_hook() -> None:
    import corengine.plugin as api
    from corengine import hookspecs

    tutorial = (ROOT / "docs" / "plugin-tutorial.md").read_text(encoding="utf-8")
    hooks = [name for name in dir(hookspecs) if name.startswith("corengine_")]
    assert len(hooks) >= 10
    assert [name for name in [*api.__all__, *hooks] if f"`{name}" not in tutorial] == []


def test_the_tutorials_allowed_values_are_the_vocabularies() -> None:
    from corengine.model import vocabulary as v
    from corengine.model.standard import PREREQUISITE_KINDS, SCORE_TREATMENTS
    from corengine.model.themes import THEMES

    tutorial = (ROOT / "docs" / "plugin-tutorial.md").read_text(encoding="utf-8")
    table = tutorial[tutorial.index("### Allowed values") :].split("\n\n")[2]
    rows = {row.split(" | ")[0].strip("| "): row.split(" | ")[1].rstrip(" |") for row in table.splitlines()[2:]}

    def listed(*values: str) -> str:
        return ", ".join(f"`{value}`" for value in values)

    assert rows["`EligibilityVersion.measure`"] == listed("employees", "fte")
    assert rows["`Reciprocity.treatment`"] == listed(*v.RECIPROCITY_TREATMENTS)
    assert rows["`Equivalency.treatment`"] == listed(*v.EQUIVALENCY_TREATMENTS)
    assert rows["`ScoreRule.treatment`"] == listed(*SCORE_TREATMENTS)
    assert rows["`Prerequisite.kind`"] == listed(*PREREQUISITE_KINDS)
    assert rows["every `confidence`"] == listed(*v.CONFIDENCE)
    assert rows["`Element.themes`"] == listed(*THEMES)
    assert rows["`Auditor.kind` (and a rule's `auditors`)"] == listed(*v.AUDITOR_KINDS)
    assert rows["`Equivalency.certifications`, `EligibilityRequest.certifications`"] == listed(*v.CERTIFICATIONS)
    audit_types = "`Audit.audit_type` (and a rule's `audit_types`; a standard's `audit_types` adds its own)"
    assert rows[audit_types] == listed(*v.AUDIT_TYPES)


def test_the_documents_link_to_sections_that_exist() -> None:
    import re

    def anchors(text: str) -> set[str]:
        heads = re.findall(r"^#+ (.+)$", text, re.M)
        return {re.sub(r"[^a-z0-9 -]", "", h.lower().replace("`", "")).replace(" ", "-") for h in heads}

    for doc in ("plugins.md", "plugin-tutorial.md", "readiness.md", "scenarios.md"):
        text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
        for target, anchor in re.findall(r"\]\(([a-z-]*\.md)?#([a-z0-9-]+)\)", text):
            linked = (ROOT / "docs" / target).read_text(encoding="utf-8") if target else text
            assert anchor in anchors(linked), f"{doc} links to {target}#{anchor}"


def test_check_refuses_an_empty_target_a_special_file_and_a_folder_without_standards(tmp_path: Path) -> None:
    assert invoke("plugin", "check", "") == (
        2,
        "",
        "error: the plugin name or path is empty; give a plugin's name, a folder or a standard file\n",
    )
    assert invoke("plugin", "check", "/dev/null") == (
        2,
        "",
        "error: /dev/null: not a regular file or a folder; give a standard file or a plugin's folder\n",
    )
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "loop").symlink_to("..")
    (tmp_path / "notes.txt").write_text("not a standard", encoding="utf-8")
    assert invoke("plugin", "check", str(tmp_path)) == (
        2,
        "",
        f"error: {tmp_path}: no standard file here (looked for standards/*.yaml|yml|json below it, then "
        "*.yaml|yml|json in it)\n",
    )


def test_check_names_both_files_of_a_standard_given_twice(tmp_path: Path) -> None:
    text = (DATA / "standards" / "test-basic.yaml").read_text(encoding="utf-8")
    for copy in ("a", "b"):
        (tmp_path / copy / "standards").mkdir(parents=True)
        (tmp_path / copy / "standards" / "test-basic.yaml").write_text(text, encoding="utf-8")
    first, second = (tmp_path / copy / "standards" / "test-basic.yaml" for copy in ("a", "b"))
    code, out, err = invoke("plugin", "check", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == f"error: standard 'test-basic' is registered by both plugin '{first}' and plugin '{second}'\n"


def test_plugin_new_says_where_it_creates_the_package_and_links_no_package_index(tmp_path: Path) -> None:
    code, out, _ = invoke("plugin", "new", "--help")
    assert code == 0 and "DIRECTORY/corengine-NAME/, which must not exist yet" in " ".join(out.split())
    code, _, _ = invoke("plugin", "new", "zzdemo", "-o", str(tmp_path / "made"))
    readme = (tmp_path / "made" / "corengine-zzdemo" / "README.md").read_text(encoding="utf-8")
    assert code == 0 and "pypi.org" not in readme
