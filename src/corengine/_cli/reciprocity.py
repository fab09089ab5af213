"""``corengine reciprocity``: what an employer with a COR from one jurisdiction needs in another."""

from __future__ import annotations

import click

from corengine._cli.main import Context, _date, _emit, pass_context
from corengine._cli.params import format_option
from corengine._util import textlayout
from corengine._views import render
from corengine._views.payloads import reciprocity_data
from corengine.model.converter import unstructure


@click.command("reciprocity")
@click.option("--from", "home", required=True, metavar="CODE", help="The jurisdiction that issued the COR (AB, MB...).")
@click.option("--to", "to", required=True, metavar="CODE", help="The jurisdiction the employer wants to work in.")
@click.option("--program", help="The certificate's program (COR, SECOR...); default: any.")
@click.option("--partner", help="The home certifying partner (ESC, ACSA...), where its certificates are treated apart.")
@click.option("--on", "on", callback=_date, help="Date asked about (YYYY-MM-DD; default today).")
@format_option("text", "json")
@click.option("--failures", is_flag=True, help="Show only the rules that refuse the certificate.")
@pass_context
def reciprocity_command(
    context: Context,
    home: str,
    to: str,
    program: str | None,
    partner: str | None,
    on: object,
    fmt: str,
    failures: bool,
) -> None:
    """What a COR from one jurisdiction is worth in another: letters, documents, refusals, and where to cross the
    evidence."""
    import datetime as dt

    day = on if isinstance(on, dt.date) else dt.date.today()
    answer = reciprocity_data(context.engine, home, to, day, program, partner)

    def text() -> str:
        layout = textlayout.Layout.detect()
        head = textlayout.fit_all([answer.headline, "Reasons:"], layout.width)
        lines = render.reason_lines(answer.findings, layout, failures)
        standards = answer.standards
        if standards:
            lines += textlayout.fit(
                textlayout.escape(
                    f"Evidence to reuse: corengine crosswalk AUDIT --to STANDARD, with {answer.to}'s standards: "
                    + ", ".join(standards)
                ),
                layout.width,
            )
        return "\n".join([*head, *lines]) + "\n"

    _emit(fmt, lambda: unstructure(answer), text)
