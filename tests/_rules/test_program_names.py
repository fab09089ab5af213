"""An overlay names the base's programs its own way (``program_names``): every inherited question and rule of a
base program is also for the name mapped onto it, so the overlay scores and decides exactly as the base does."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.helpers import EXAMPLES, invoke

OVERLAY = """\
id: bc-renamed
title: BCCSA with its programs renamed
version: "1"
jurisdiction: BC
partner: BCCSA
programs: [Standard, Little]
extends: bc-bccsa-cor
program_names: NAMES
"""


def _files(tmp_path: Path, names: str = "{Standard: Large, Little: Small}") -> tuple[Path, Path]:
    overlay = tmp_path / "bc-renamed.yaml"
    overlay.write_text(OVERLAY.replace("NAMES", names), encoding="utf-8")
    data = yaml.safe_load((EXAMPLES / "bc-small-certification.yaml").read_text(encoding="utf-8"))
    data |= {"standard": "bc-renamed", "standard_version": "1", "program": "Little"}
    audit = tmp_path / "audit.yaml"
    audit.write_text(yaml.safe_dump(data), encoding="utf-8")
    return overlay, audit


def test_a_renamed_program_scores_and_decides_as_the_base_program(tmp_path: Path) -> None:
    overlay, audit = _files(tmp_path)
    code, out, err = invoke("score", str(audit), "--standard-file", str(overlay), "--format", "json")
    assert code == 0, err
    renamed = json.loads(out)
    code, out, _ = invoke("score", str(EXAMPLES / "bc-small-certification.yaml"), "--format", "json")
    base = json.loads(out)
    assert (
        renamed["overall"]
        == base["overall"]
        == {
            "earned": "94",
            "available": "104",
            "percent": 90.38,
            "percent_exact": "1175/13",
        }
    )
    assert renamed["outcome"]["passed"] is True and renamed["outcome"]["certificate"] == "Small COR (3 years)"
    code, out, _ = invoke("plugin", "check", str(overlay))
    assert (code, out) == (0, f"{overlay}: 1 standard checked, clean\n")


def test_without_the_names_plugin_check_warns_and_a_wrong_name_is_a_load_error(tmp_path: Path) -> None:
    overlay, audit = _files(tmp_path, "{}")
    code, out, _ = invoke("plugin", "check", str(overlay))
    assert code == 0 and "48 of 48 questions inherited from bc-bccsa-cor are answered only in programs" in out
    assert "map yours onto them with program_names" in out
    overlay, audit = _files(tmp_path, "{Standard: Large, Little: Tiny, Big: Large}")
    code, _, err = invoke("score", str(audit), "--standard-file", str(overlay))
    assert code == 2
    assert err == (
        f"error: {overlay}:8: program_names.Little: 'Tiny' is not a program of bc-bccsa-cor (Large, Small)\n"
        f"error: {overlay}:8: program_names.Big: 'Big' is not one of this standard's programs (Standard, Little)\n"
    )
