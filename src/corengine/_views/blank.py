"""The blank audit workbook of a standard, as ``corengine new`` writes it and ``GET
/v1/standards/{id}/template.xlsx`` answers it: the same bytes, refused alike for a standard that asks nothing of
the program."""

from __future__ import annotations

from corengine._host.engine import Engine
from corengine._rules.scoring import applies
from corengine.errors import CorengineError, InputError
from corengine.model import Standard


def has_questions(standard: Standard, program: str) -> bool:
    """Whether ``standard`` asks anything of an audit of ``program`` (a rules-only standard, such as a baseline
    other standards' rules build on or a retired document kept for its dates, asks nothing)."""
    return any(applies(q, program) for element in standard.elements for q in element.questions)


def no_questions(engine: Engine, standard: Standard, program: str) -> str:
    """Why no workbook is written for ``standard`` and ``program``, naming the installed standards of the same
    jurisdiction that have questions for the program."""
    others = []
    for ident in sorted(engine.sources()):
        if ident == standard.id:
            continue
        try:
            other = engine.standard(ident)
        except CorengineError:
            continue  # a broken standard elsewhere is reported where it is used
        if other.jurisdiction == standard.jurisdiction and program in other.programs and has_questions(other, program):
            others.append(ident)
    instead = f"use {', '.join(others)}" if others else "`corengine standards` lists the installed standards"
    why = "it holds rules only" if not any(e.questions for e in standard.elements) else "its questions are for others"
    return f"{standard.id} has no questions for program {program} ({why}), so a workbook from it could never be scored; {instead}"


def blank_xlsx(engine: Engine, standard: Standard, program: str) -> bytes:
    """The blank ``.xlsx`` workbook of ``standard`` for ``program`` (one of its programs); an
    :class:`InputError` when the standard asks nothing of the program (:func:`no_questions` says which to use)."""
    if not has_questions(standard, program):
        raise InputError([no_questions(engine, standard, program)])
    from corengine._formats.xlsx import write_workbook

    return write_workbook(standard, program, engine.methods(), engine.audit_extensions())


__all__ = ["blank_xlsx", "has_questions", "no_questions"]
