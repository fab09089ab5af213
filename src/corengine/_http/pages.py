"""The service's HTML pages (the upload page, ``/docs``, ``/problems``) and the problem page a browser is
answered with: templates rendered on the server with autoescaping, no script, nothing fetched from the network.

A browser (its ``Accept`` prefers ``text/html`` to JSON, as a form submitted from the upload page does) is
answered a failed request in HTML: the problems listed with their line or cell, and a link back to the page.
Every other client (``*/*``, ``application/json``, no ``Accept``) keeps ``application/problem+json``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import jinja2

TEMPLATES = ("serve-index.html.j2", "serve-docs.html.j2", "serve-problem.html.j2", "serve-problems.html.j2")
"""The pages; ``serve-docs`` writes the descriptions' Markdown inline code (`` `--format json` ``) as ``<code>``
with a macro, every part escaped."""


@cache
def _templates() -> jinja2.Environment:
    folder = resources.files("corengine._http").joinpath("templates")
    loader = jinja2.DictLoader({name: folder.joinpath(name).read_text(encoding="utf-8") for name in TEMPLATES})
    return jinja2.Environment(
        loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )


def page(name: str, **context: Any) -> str:
    """The template ``name`` rendered with ``context``."""
    return _templates().get_template(name).render(**context)


def _quality(accept: str, media: str) -> float:
    """The quality ``accept`` gives ``media``: that of its most specific matching range (``type/sub``, then
    ``type/*``, then ``*/*``), 0 when none matches."""
    kind = media.split("/", 1)[0]
    best: tuple[int, float] = (-1, 0.0)
    for part in accept.split(","):
        fields = [field.strip() for field in part.split(";")]
        given = fields[0].lower()
        quality = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        specific = 2 if given == media else 1 if given == f"{kind}/*" else 0 if given == "*/*" else -1
        if specific > best[0]:
            best = (specific, quality)
    return best[1]


def wants_html(accept: str | None) -> bool:
    """Whether a client sending ``accept`` prefers an HTML page to a problem document: ``text/html`` ranks above
    both ``application/problem+json`` and ``application/json`` (a tie keeps JSON, so ``*/*`` gets JSON)."""
    if not accept:
        return False
    accept = accept[:2000]
    html = _quality(accept, "text/html")
    return html > 0 and html > max(_quality(accept, "application/problem+json"), _quality(accept, "application/json"))
