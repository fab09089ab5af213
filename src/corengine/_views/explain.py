"""The derivation of every number in a result, and a record anyone can re-check.

``explain`` walks tallies -> scoring method -> points -> element -> overall -> each outcome rule with its value,
source and plugin. Its JSON form is versioned and carries the engine and plugin versions, SHA-256 digests
of the canonical input and of the resolved standard, and a digest of the whole explanation itself, so
``verify`` can recompute a result and say exactly what differs — in any field, not only the result's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, Literal

from attrs import frozen

from corengine._host.engine import Engine
from corengine._io.distributions import VERSION as __version__
from corengine._io.loading import parse_json
from corengine._rules.scoring import format_percent
from corengine._util.textlayout import Layout, fit, fit_all
from corengine._views.documents import ResultDocument, result_document
from corengine._views.render import failures_first, reason_lines
from corengine.errors import InputError
from corengine.model import Audit, LoadedAudit, QuestionScore, Response, Result, Standard
from corengine.model.converter import unstructure

EXPLAIN_FORMAT: Literal["corengine.explain/1"] = "corengine.explain/1"


@frozen
class EngineRef:
    """The engine that wrote the explanation."""

    name: Literal["corengine"]
    """Always ``corengine``."""
    version: str
    """Its version."""


@frozen
class InputRef:
    """The audit explained, by digest."""

    digest: str
    """``sha256:`` of the audit's canonical JSON."""


@frozen
class ExplainedStandard:
    """The standard that scored the audit, by id, version, chain and digest."""

    id: str
    """Standard id."""
    version: str
    """Standard version."""
    chain: tuple[str, ...]
    """Ids from this standard down to its root baseline."""
    digest: str
    """``sha256:`` of the resolved standard's canonical JSON."""


@frozen
class ExplainDocument:
    """``corengine explain --format json``: the versioned, checkable explanation of a result."""

    format: Literal["corengine.explain/1"]
    """Name and major version of this shape."""
    engine: EngineRef
    """The engine that wrote it."""
    plugins: dict[str, str]
    """The version of each plugin whose data or code decided the result."""
    input: InputRef
    """The audit explained."""
    standard: ExplainedStandard
    """The standard that scored it."""
    result: ResultDocument
    """The result, exactly as ``corengine score --format json`` writes it."""
    digest: str
    """``sha256:`` of every other field: a change anywhere in the file no longer matches it."""


"""Version of the explanation's JSON shape."""


def canonical(data: Any) -> bytes:
    """Canonical JSON (sorted keys, no spaces, UTF-8): the bytes a digest is taken over."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def digest(data: Any) -> str:
    return "sha256:" + hashlib.sha256(canonical(data)).hexdigest()


ADDED_FIELDS = {"score_rules", "value_sources", "program_names", "prerequisites"}
"""Fields added to the standard's records in 0.2: left out of the digest while empty, so an explanation recorded
before them still verifies against the same standard."""


CERTIFICATE_ADDED = {"programs"}
"""Fields added to a certificate's record in 0.2 (``programs`` is older elsewhere: only a certificate's is left
out while empty)."""


def _without_empty_added(node: Any, added: frozenset[str] | set[str] = ADDED_FIELDS) -> Any:
    if isinstance(node, dict):
        return {
            k: [_without_empty_added(c, ADDED_FIELDS | CERTIFICATE_ADDED) for c in v]
            if k == "certificates" and isinstance(v, list)
            else _without_empty_added(v)
            for k, v in node.items()
            if not (k in added and v in ([], {}))
        }
    if isinstance(node, list):
        return [_without_empty_added(v) for v in node]
    return node


def standard_digest(standard: Standard) -> str:
    """``sha256:`` of the resolved standard's canonical JSON (fields added in 0.2 left out while empty)."""
    return digest(_without_empty_added(unstructure(standard)))


def input_digest(audit: Audit) -> str:
    """``sha256:`` of the audit's canonical JSON (fields added in 0.2 left out while empty, so an explanation
    recorded before them still verifies against the same audit)."""
    return digest(_without_empty_added(unstructure(audit)))


def document_digest(document: dict[str, Any]) -> str:
    """The digest of a whole explanation: every field but ``digest`` itself, so a field added, removed or
    changed anywhere in the file (the result included) no longer matches the digest it carries."""
    return digest({key: value for key, value in document.items() if key != "digest"})


def _response_text(response: Response | None) -> str:
    if response is None:
        return "no response"
    if response.na is not None:
        return f"N/A: {response.na}"
    if response.points is not None:
        return f"{response.points} points awarded"
    return ", ".join(f"{name} {t.positive}/{t.total}" for name, t in response.tallies().items())


def explain_json(engine: Engine, result: Result) -> dict[str, Any]:
    """The versioned, checkable explanation of ``result``."""
    plugins = {p.name: p.version for p in engine.plugins()}
    used = sorted(
        {result.standard.source.plugin, *result.standard.rule_plugins.values(), result.outcome.plugin}
        | {f.plugin for f in result.outcome.reasons if f.plugin}
    )
    document: dict[str, Any] = unstructure(
        ExplainDocument(
            format=EXPLAIN_FORMAT,
            engine=EngineRef("corengine", __version__),
            plugins={name: plugins.get(name, "-") for name in used},
            input=InputRef(input_digest(result.audit)),
            standard=ExplainedStandard(
                result.standard.standard.id,
                result.standard.standard.version,
                result.standard.chain,
                standard_digest(result.standard.standard),
            ),
            result=result_document(result),
            digest="",
        )
    )
    document["digest"] = document_digest(document)
    return document


def _matches(selector: str | None, element: str, question: str | None = None) -> bool:
    return selector is None or selector in (element, question)


def _derivation(question: QuestionScore, response: Response | None) -> str:
    """``documents 3/12 -> range: 3/12 positive x 10 = ...``: the response, the scoring method and how it counted;
    where the explanation already says both (``awarded 5 of 10``), that alone, not ``5 points awarded -> awarded:
    awarded 5 of 10``."""
    if question.explanation.split(" ", 1)[0] == question.method:
        return question.explanation
    return f"{_response_text(response)} -> {question.method}: {question.explanation}"


def explain_text(
    result: Result, selector: str | None = None, layout: Layout | None = None, failures: bool = False
) -> str:
    """The derivation for people, optionally for one element or question only, fitted to the width
    (``failures``: only the failing and advisory findings of the outcome)."""
    layout = layout or Layout.detect()
    audit, score = result.audit, result.score
    known = {e.id for e in score.elements} | {q.id for e in score.elements for q in e.questions}
    if selector is not None and selector not in known:
        raise InputError([f"{selector!r} is neither an element nor a question of {score.standard}"])
    lines = [
        f"How {audit.employer.name}'s {audit.audit_type} audit of {audit.audit_date} was scored "
        f"({score.standard} version {score.standard_version}, program {score.program})",
        "",
    ]
    for element in score.elements:
        if not _matches(selector, element.id) and not any(q.id == selector for q in element.questions):
            continue
        lines.append(f"Element {element.id} {element.title}")
        for q in element.questions:
            if not _matches(selector, element.id, q.id):
                continue
            response = audit.responses.get(q.id)
            lines += fit(f"  {q.id}: {_derivation(q, response)}", layout.width, 6)
            lines.append(
                f"      counts {q.earned} of {q.available}"
                + (" (left out of the denominator)" if q.status != "scored" else "")
            )
        lines.append(f"  = {element.earned}/{element.available} = {format_percent(element.percent)}")
        lines.append("")
    if selector is None:
        lines.append(
            f"Overall: sum of elements = {score.earned}/{score.available} = {format_percent(score.percent)}"
            f" (exactly {score.percent})"
        )
        lines.append("")
    outcome = result.outcome
    findings = [
        f
        for f in outcome.reasons
        if selector is None
        or f.subject in ("", selector)
        or f.subject == next((q.element for e in score.elements for q in e.questions if q.id == selector), "")
    ]
    verdict = "passed" if outcome.passed else "did not pass"
    lines.append(
        f"Outcome: {verdict}"
        + (f", {outcome.certificate}" if outcome.certificate else "")
        + f" — decided by rule {outcome.rule or '-'} of plugin {outcome.plugin}"
    )
    lines = fit_all(lines, layout.width)
    lines += reason_lines(failures_first(findings), layout, failures)
    return "\n".join(lines) + "\n"


def verify(engine: Engine, recorded: dict[str, Any], result: Result) -> list[str]:
    """Differences between a recorded explanation and the recomputation (empty when they agree).

    The whole file is compared: the digest it carries must match its content, and every field must match
    the recomputation's, so a field added, removed or changed anywhere (not only in the result) is a
    difference. Read the file with :func:`corengine._io.loading.parse_json` (``floats_as_text=False``), which
    refuses a duplicated key outright.
    """
    if recorded.get("format") != EXPLAIN_FORMAT:
        raise InputError(
            [f"not a corengine explanation: format must be {EXPLAIN_FORMAT!r}, not {_short(recorded.get('format'))}"]
        )
    fresh = explain_json(engine, result)
    differences = []
    carried = recorded.get("digest")
    if carried is None:
        differences.append("the file carries no digest of its content (not written by this `corengine explain`)")
    elif carried != document_digest(recorded):
        differences.append("the file was changed after it was written: its content no longer matches its digest")
    recorded_input = recorded.get("input")
    recorded_digest = recorded_input.get("digest") if isinstance(recorded_input, dict) else None
    if recorded_digest != fresh["input"]["digest"]:
        differences.append(
            f"the audit differs from the one recorded (input digest {fresh['input']['digest']} != "
            f"{_short(recorded_digest)})"
        )
    if recorded.get("standard") != fresh["standard"]:
        differences.append(
            f"the standard differs: recorded {_standard_text(recorded.get('standard'))}, "
            f"now {_standard_text(fresh['standard'])}"
        )
    if recorded.get("engine") != fresh["engine"]:
        differences.append(f"engine version differs: recorded {_short(recorded.get('engine'))}, now {fresh['engine']}")
    if recorded.get("plugins") != fresh["plugins"]:
        differences.append(
            f"plugin versions differ: recorded {_short(recorded.get('plugins'))}, now {fresh['plugins']}"
        )
    differences += [
        f"result {path}: {_change(old, new)}" for path, old, new in _diff(recorded.get("result"), fresh["result"], "")
    ]
    known = {"format", "engine", "plugins", "input", "standard", "result", "digest"}
    differences += [
        f"unexpected field {key!r} (recorded {_short(recorded[key])})" for key in recorded if key not in known
    ]
    if not differences and recorded != fresh:  # pragma: no cover - every field is compared above
        differences.append(f"the explanation differs (digest {_short(carried)} != {fresh['digest']})")
    return differences


_MISSING: Any = object()


def _short(value: Any) -> str:
    """A recorded value as a message shows it (a hostile file's value can be long)."""
    text = repr(value)
    return text if len(text) <= 120 else text[:100] + f"... ({len(text)} characters)"


def _change(old: Any, new: Any) -> str:
    if old is _MISSING:
        return f"missing from the file, now {_short(new)}"
    if new is _MISSING:
        return f"not part of a result (recorded {_short(old)})"
    return f"recorded {_short(old)}, now {_short(new)}"


def _standard_text(data: Any) -> str:
    if not isinstance(data, dict):
        return repr(data)
    return f"{data.get('id')} {data.get('version')} {data.get('digest')}"


def _diff(old: Any, new: Any, path: str) -> list[tuple[str, Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(set(old) | set(new), key=str):  # a key only one side has is a difference too
            found += _diff(old.get(key, _MISSING), new.get(key, _MISSING), f"{path}.{key}" if path else key)
        return found
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        found = []
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            found += _diff(a, b, f"{path}[{index}]")
        return found
    return [] if old == new else [(path or "(root)", old, new)]


__all__ = ["EXPLAIN_FORMAT", "canonical", "digest", "document_digest", "explain_json", "explain_text", "verify"]


def verify_recorded(engine: Engine, text: str, source: str, load: Callable[[], LoadedAudit]) -> list[str]:
    """The differences between the explanation written in ``text`` (read from ``source``) and the recomputation
    of the audit ``load`` reads, scored as strictly as the recorded result was (empty when they agree)."""
    data = parse_json(text, source, floats_as_text=False)
    if not isinstance(data, dict):
        raise InputError([f"{source}: expected the JSON object written by `corengine explain --format json`"])
    result = data.get("result")
    outcome = result.get("outcome") if isinstance(result, dict) else None
    strict = isinstance(outcome, dict) and outcome.get("strict") is True  # score as the recorded result was
    return verify(engine, data, engine.score(load(), strict=strict))
