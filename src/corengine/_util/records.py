"""One ``__repr__``, ``__eq__`` and ``__hash__`` for corengine's attrs records, written once here instead of
generated for every class.

attrs writes the source of each class's ``__init__``, ``__repr__``, ``__eq__`` and ``__hash__`` and compiles it
when the class is created, at every start-up (Python caches the bytecode of modules, not of generated code).
``__repr__``, ``__eq__`` and ``__hash__`` are two thirds of that source: for the ~75 records that
``corengine score`` builds, compiling them cost ~25 ms of a start-up of ~110 ms above the import floor. A record
declared ``@frozen(repr=False, eq=False)`` and derived from :class:`Record` gets these instead, which behave as
attrs' own:

- ``repr``: the same text (``Scoring(method='awarded', steps=(), ...)``; ``...`` for an object already being
  shown; a field's ``repr=`` callable or ``repr=False`` honoured);
- ``==``: ``NotImplemented`` for another class, else each field compared with ``==`` in order (a field's
  ``eq=False`` or ``eq=`` key honoured), so ``!=`` is its negation;
- ``hash``: the hash of the class and the compared fields (a field's ``hash=`` honoured), equal for equal records.

They read the class's fields when called, which costs more per call than attrs' generated code; no scoring or
validation path compares or hashes records (the benchmark's audits call neither), so only start-up changes.
"""

from __future__ import annotations

import reprlib
from typing import Any

from attrs import NOTHING


class Record:
    """The base of an attrs record declared with ``repr=False, eq=False``: its ``__repr__``, ``__eq__`` and
    ``__hash__`` are attrs' own, read from the class's fields when called (no slots of its own, so a slotted
    record stays slotted). A record that defines its own keeps it."""

    __slots__ = ()

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        parts = []
        for field in _fields(self):
            if field.repr is False:
                continue
            value = getattr(self, field.name) if field.init else getattr(self, field.name, NOTHING)
            parts.append(f"{field.name}={value!r}" if field.repr is True else f"{field.name}={field.repr(value)}")
        return f"{type(self).__qualname__.rsplit('>.', 1)[-1]}({', '.join(parts)})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        for field in _fields(self):
            if field.eq:
                mine, theirs = getattr(self, field.name), getattr(other, field.name)
                if field.eq_key is not None:
                    mine, theirs = field.eq_key(mine), field.eq_key(theirs)
                if not mine == theirs:
                    return False
        return True

    def __hash__(self) -> int:
        cls = type(self)  # (salted by the class's name, as attrs does: the same under a fixed PYTHONHASHSEED)
        values: list[Any] = [hash(f"{cls.__module__}.{cls.__qualname__}")]
        for field in _fields(self):
            if field.hash is True or (field.hash is None and field.eq):
                value = getattr(self, field.name)
                values.append(value if field.eq_key is None else field.eq_key(value))
        return hash(tuple(values))


def _fields(record: Record) -> tuple[Any, ...]:
    found: tuple[Any, ...] = type(record).__attrs_attrs__  # type: ignore[attr-defined]
    return found
