"""A record's ``__repr__`` (:class:`corengine._util.records.Record`) is the text attrs would generate for it."""

from __future__ import annotations

from typing import Any

import attrs
from attrs import field, frozen

from corengine._util.records import Record
from tests.helpers import EXAMPLES, bundled_engine


def attrs_twin(cls: type) -> type:
    """A class with ``cls``'s name and fields whose ``__repr__`` attrs generates."""
    twin = attrs.make_class(cls.__name__, {f.name: attrs.field(repr=f.repr) for f in attrs.fields(cls)}, frozen=True)
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


def test_every_record_of_a_scored_audit_reads_as_attrs_would_write_it() -> None:
    from corengine._views.documents import result_document

    engine = bundled_engine()
    result = engine.score(engine.load_audit(EXAMPLES / "alberta-acsa-cor-certification-pass.yaml"))
    found = records_in([result, result_document(result), engine.jurisdictions()], {})
    kinds = {type(record) for record in found.values()}
    assert len(kinds) > 30  # the standard, the audit, the results, the jurisdictions, the documents...
    twins = {cls: attrs_twin(cls) for cls in kinds}
    for record in found.values():
        cls = type(record)
        twin = twins[cls](**{f.alias: getattr(record, f.name) for f in attrs.fields(cls)})
        assert repr(record) == repr(twin)


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
