"""One ``__repr__`` for corengine's attrs records, written once here instead of generated for every class.

attrs writes the source of each class's ``__init__``, ``__repr__``, ``__eq__`` and ``__hash__`` and compiles it
when the class is created, at every start-up (Python caches the bytecode of modules, not of generated code).
The ``__repr__`` is over a third of that source: for the ~75 records that ``corengine score`` builds, compiling
it cost ~15 ms of a start-up of ~110 ms above the import floor. A record declared
``@frozen(repr=False)`` and derived from :class:`Record` gets this one instead, which gives exactly the text
attrs would (``Scoring(method='awarded', steps=(), ...)``, ``...`` for an object already being shown, each
field's own ``repr=`` callable or ``repr=False`` honoured).
"""

from __future__ import annotations

import reprlib
from typing import Any

from attrs import NOTHING


class Record:
    """The base of an attrs record declared with ``repr=False``: its ``__repr__`` is attrs' own, read from the
    class's fields when called (no slots of its own, so a slotted record stays slotted)."""

    __slots__ = ()

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        parts = []
        fields: tuple[Any, ...] = type(self).__attrs_attrs__  # type: ignore[attr-defined]
        for field in fields:
            if field.repr is False:
                continue
            value = getattr(self, field.name) if field.init else getattr(self, field.name, NOTHING)
            parts.append(f"{field.name}={value!r}" if field.repr is True else f"{field.name}={field.repr(value)}")
        return f"{type(self).__qualname__.rsplit('>.', 1)[-1]}({', '.join(parts)})"
