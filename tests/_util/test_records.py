"""A record's ``__repr__``, ``==`` and ``hash`` (:class:`corengine._util.records.Record`) are those attrs would
generate for it."""

from __future__ import annotations

from typing import Any

import attrs
from attrs import field, frozen

from corengine._util.records import Record
from tests.helpers import EXAMPLES, bundled_engine


def attrs_twin(cls: type) -> type:
    """A class with ``cls``'s name and fields whose ``__repr__`` attrs generates."""
    fields = {f.name: attrs.field(repr=f.repr, eq=f.eq, hash=f.hash) for f in attrs.fields(cls)}
    twin = attrs.make_class(cls.__name__, fields, frozen=True)
    twin.__qualname__ = cls.__qualname__
    return twin


def records_in(value: Any, found: dict[int, Record]) -> dict[int, Record]:
    """Every :class:`Record` reachable from ``value``."""
    pending = [value]
    while pending:
        item = pending.pop()
        if attrs.has(type(item)):
            if id(item) in found:
                continue
            if isinstance(item, Record):
                found[id(item)] = item
            pending += [getattr(item, f.name, None) for f in attrs.fields(type(item))]
        elif isinstance(item, list | tuple | set | frozenset):
            pending += list(item)
        elif isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
    return found


def test_every_record_of_a_scored_audit_reads_and_compares_as_attrs_would() -> None:
    from corengine._views.documents import result_document

    engine = bundled_engine()
    result = engine.score(engine.load_audit(EXAMPLES / "alberta-acsa-cor-certification-pass.yaml"))
    found = records_in([result, result_document(result), engine.jurisdictions()], {})
    kinds = {type(record) for record in found.values()}
    assert len(kinds) > 30  # the standard, the audit, the results, the jurisdictions, the documents...
    twins = {cls: attrs_twin(cls) for cls in kinds}
    by_class: dict[type, list[Any]] = {}
    for record in found.values():
        cls = type(record)
        twin = twins[cls](**{f.alias: getattr(record, f.name) for f in attrs.fields(cls)})
        assert repr(record) == repr(twin)
        by_class.setdefault(cls, []).append((record, twin))
    compared = 0
    for pairs in by_class.values():
        for (a, twin_a), (b, twin_b) in zip(pairs, pairs[1:] + pairs[:1], strict=True):
            assert (a == b, a != b) == (twin_a == twin_b, twin_a != twin_b)
            copy = attrs.evolve(a)
            assert copy == a and (copy != a) is False and copy is not a
            if type(a).__hash__ is not None and _hashable(twin_a):
                assert hash(copy) == hash(a)
                compared += 1
        assert pairs[0][0] != object() and pairs[0][0].__eq__(object()) is NotImplemented
    assert compared > 100


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


@frozen(repr=False)
class Node(Record):
    name: str
    hidden: str = field(default="secret", repr=False)
    shown: int = field(default=7, repr=lambda value: f"<{value}>")
    children: list[Any] = field(factory=list)


def test_a_record_honours_its_fields_repr_and_shows_itself_once() -> None:
    node = Node("top")
    node.children.append(node)
    assert repr(node) == "Node(name='top', shown=<7>, children=[...])"
    assert repr(Node("leaf")) == "Node(name='leaf', shown=<7>, children=[])"
    assert not hasattr(Node("leaf"), "__dict__")  # still slotted


@frozen(repr=False, eq=False)
class Keyed(Record):
    word: str = field(eq=str.lower)
    note: str = field(default="", eq=False)


def test_a_record_compares_and_hashes_by_its_fields_eq() -> None:
    assert Keyed("Yes", "a") == Keyed("yes", "b")
    assert hash(Keyed("Yes", "a")) == hash(Keyed("yes", "b"))
    assert Keyed("yes") != Keyed("no")
    assert {Keyed("A"), Keyed("a"), Keyed("b")} == {Keyed("a"), Keyed("B")}
    assert Node("x") != Keyed("x")
