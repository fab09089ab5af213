"""The WorkSafeBC COR incentive: up to 10% of the base assessment, with the small-employer guideline's bands.

The band is chosen by the amounts (the total and the base assessment), as the published table keys it, not by
the employer's size or COR program: ``--small`` (``estimate(small=...)``) is deprecated and has no effect.
Money is exact (fractions from the decimal text given); the incentive is rounded to the cent the way the
data says (half up: the sources are silent), and amounts along the way are shown rounded half up.
Every number in the answer is a :class:`~corengine.model.Finding` traced to the data's sources.
"""

from __future__ import annotations

import json
import warnings
from decimal import Decimal
from fractions import Fraction
from typing import Any

import click
from attrs import frozen

from corengine.plugin import (
    AMOUNT,
    Finding,
    Layout,
    Quantity,
    Status,
    cents,
    fit_all,
    format_option,
    money,
    reason_lines,
    unstructure,
)
from corengine.plugin import (
    exact_decimal as plain,
)

from .program import IncentiveBand, IncentiveVersion, program

PLUGIN = "bc"
CENT = Fraction(1, 100)
LABELS = {"base": "base assessment", "assessment": "total assessment"}


def _percent(value: Fraction) -> str:
    return f"{plain(value)}%"


@frozen
class Estimate:
    """The incentive for one employer and year, with every reason."""

    payroll: Fraction
    """Assessable payroll (dollars)."""
    base_rate: Fraction
    """The classification unit's base rate per $100 of payroll."""
    base_assessment: Fraction
    """payroll x base rate / 100, exact."""
    assessment: Fraction
    """Total assessment the bands compare (the base assessment unless given)."""
    small: bool
    """Whether a band of the small-employer guideline applied (chosen by the amounts, not the employer's size)."""
    band: str
    """The band applied, as people say it."""
    computed: Fraction
    """The incentive the bands give, before disqualifiers, exact."""
    incentive: Fraction
    """The incentive payable (0 when disqualified), exact."""
    payable: Decimal
    """The incentive payable, rounded to the cent as the data says."""
    eligible: bool
    """False when a disqualifier applies."""
    year: int | None
    """The COR (incentive) year, if given."""
    paid_in: int | None
    """The year the incentive is paid (the following year)."""
    findings: tuple[Finding, ...]
    """Every step and condition, with its source."""


def _applies(band: IncentiveBand, base: Fraction, assessment: Fraction) -> bool:
    measured = assessment if band.measure == "assessment" else base
    return (band.below is None or measured < band.below) and (band.up_to is None or measured <= band.up_to)


def _pays(band: IncentiveBand, base: Fraction, assessment: Fraction) -> tuple[Fraction, str]:
    if band.amount is not None:
        return band.amount, f"a flat {money(band.amount)}"
    assert band.percent is not None
    of_value = assessment if band.of == "assessment" else base
    value = of_value * band.percent / 100
    how = f"{_percent(band.percent)} of the {LABELS[band.of]} {money(of_value)} = {money(value)}"
    if band.maximum is not None and value > band.maximum:
        return band.maximum, f"{how}, capped at {money(band.maximum)}"
    return value, how


SMALL_DEPRECATED = (
    "--small is deprecated and has no effect; it will be removed in the next release. The incentive band is now "
    "chosen by the amounts for every employer, as the published table keys it: {bands}."
)
"""The deprecation note for ``--small`` (``{bands}``: the bands in force, from the data)."""


def band_summary(version: IncentiveVersion) -> str:
    """The bands in force, in order, as people say them."""
    return "; ".join(band.note for band in version.bands if band.note)


def estimate(
    payroll: Fraction,
    base_rate: Fraction,
    *,
    small: bool | None = None,
    assessment: Fraction | None = None,
    disqualifiers: tuple[str, ...] = (),
    year: int | None = None,
) -> Estimate:
    """Compute the incentive from the plugin's data; raises :class:`ValueError` on a bad input.

    ``small`` is deprecated and ignored (the amounts choose the band); passing it warns.
    """
    if small is not None:
        warnings.warn(
            "estimate(small=...) is deprecated and has no effect: the incentive band is chosen by the total and "
            "base assessment amounts",
            DeprecationWarning,
            stacklevel=2,
        )
    if payroll < 0 or base_rate < 0 or (assessment is not None and assessment < 0):
        raise ValueError("payroll, base rate and assessment must be >= 0")
    version: IncentiveVersion = program().incentive_for(year)
    known = {d.id: d for d in version.disqualifiers}
    unknown = [d for d in disqualifiers if d not in known]
    if unknown:
        raise ValueError(f"unknown disqualifier(s) {', '.join(unknown)} (known: {', '.join(known)})")
    findings: list[Finding] = []

    def add(check: str, status: Status, message: str, **kw: Any) -> None:
        kw.setdefault("sources", version.reference)
        kw.setdefault("confidence", version.confidence)
        findings.append(
            Finding(
                check=f"bc-incentive.{check}",
                status=status,
                message=message,
                plugin=PLUGIN,
                rule_version=version.start,
                **kw,
            )
        )

    base = payroll * base_rate / 100
    add(
        "base_assessment",
        "info",
        f"base assessment = payroll {money(payroll)} x base rate {plain(base_rate)} / 100 = {money(base)}",
        measured=Quantity.of(base, "CAD"),
    )
    total = base if assessment is None else assessment
    add(
        "assessment",
        "info",
        f"total assessment {money(total)}"
        + (" (the base assessment: no total assessment given)" if assessment is None else ""),
        measured=Quantity.of(total, "CAD"),
    )
    band = next(b for b in version.bands if _applies(b, base, total))  # the last band has no bound
    computed, how = _pays(band, base, total)
    kind = "small-employer guideline band" if band.small_employer else "band"
    add(
        "band",
        "info",
        f"{kind} ({band.note or 'the only band'}): {how}",
        required=Quantity.words(band.note) if band.note else None,
        measured=Quantity.of(computed, "CAD"),
        sources=band.reference or version.reference,
        confidence=band.confidence or version.confidence,
    )
    for condition in version.conditions:
        add("condition", "info", condition)
    for ident in disqualifiers:
        add(
            "disqualifier",
            "fail",
            f"no incentive: {known[ident].reason} ({ident})",
            subject=ident,
            sources=version.disqualifier_reference or version.reference,
        )
    eligible = not disqualifiers
    exact = computed if eligible else Fraction(0)
    payable = cents(exact, version.rounding.mode)
    add(
        "rounding",
        "info",
        version.rounding.note or f"rounded {version.rounding.mode.replace('_', ' ')} to the cent",
        required=Quantity.words(version.rounding.mode),
        measured=Quantity(number=Fraction(payable), unit="CAD", text=f"exact {plain(exact)}"),
        confidence=version.rounding.confidence,
    )
    paid_in = year + 1 if year is not None else None
    when = f"in {paid_in}" if paid_in is not None else "in the year after the COR year"
    add(
        "incentive",
        "pass" if eligible else "fail",
        f"incentive ${payable:,.2f}, paid {when}"
        if eligible
        else f"incentive $0.00: {len(disqualifiers)} disqualifier(s) apply "
        f"(without them: ${cents(computed, version.rounding.mode):,.2f})",
        measured=Quantity.of(Fraction(payable), "CAD"),
    )
    return Estimate(
        payroll,
        base_rate,
        base,
        total,
        band.small_employer,
        band.note,
        computed,
        exact,
        payable,
        eligible,
        year,
        paid_in,
        tuple(findings),
    )


# --------------------------------------------------------------------------- command line


@frozen(kw_only=True)
class IncentiveDocument:
    """``corengine bc-incentive --format json``: the estimate's figures as exact text, and every finding."""

    format: str = "corengine-bc.incentive/1"
    year: int | None
    paid_in: int | None
    small: bool
    band: str
    payroll: str
    base_rate: str
    base_assessment: str
    base_assessment_exact: str
    assessment: str
    eligible: bool
    computed: str
    incentive: str
    incentive_exact: str
    findings: tuple[Finding, ...]

    @classmethod
    def of(cls, result: Estimate) -> IncentiveDocument:
        return cls(
            year=result.year,
            paid_in=result.paid_in,
            small=result.small,
            band=result.band,
            payroll=str(cents(result.payroll)),
            base_rate=plain(result.base_rate),
            base_assessment=str(cents(result.base_assessment)),
            base_assessment_exact=plain(result.base_assessment),
            assessment=str(cents(result.assessment)),
            eligible=result.eligible,
            computed=str(cents(result.computed)),
            incentive=str(result.payable),
            incentive_exact=plain(result.incentive),
            findings=result.findings,
        )


def _as_json(result: Estimate) -> dict[str, Any]:
    data: dict[str, Any] = unstructure(IncentiveDocument.of(result))
    return data


def _as_text(result: Estimate, layout: Layout | None = None) -> str:
    layout = layout or Layout.detect()
    head = "BC COR incentive" + (f" for {result.year}" if result.year is not None else "")
    head += " (small-employer guideline)" if result.small else ""
    lines = [
        head,
        f"  base assessment:  {money(result.base_assessment)}",
        f"  band:             {result.band}",
        f"  incentive:        ${result.payable:,.2f}" + ("" if result.eligible else " (disqualified)"),
        "Reasons:",
    ]
    return "\n".join([*fit_all(lines, layout.width), *reason_lines(result.findings, layout)]) + "\n"


def make_command() -> click.Command:
    """The ``corengine bc-incentive`` command (built on demand, so the data is read only when needed)."""
    disqualifier_ids = [d.id for d in program().incentive_for(None).disqualifiers]

    @click.command(name="bc-incentive")
    @click.option(
        "--payroll",
        required=True,
        type=AMOUNT,
        help="Assessable payroll for the year, in dollars (e.g. 1250000 or 1,250,000.00).",
    )
    @click.option(
        "--base-rate",
        required=True,
        type=AMOUNT,
        help="The classification unit's base rate per $100 of assessable payroll (e.g. 2.37).",
    )
    @click.option(
        "--small",
        is_flag=True,
        help="Deprecated, no effect (removed in the next release): the amounts choose the band for every employer.",
    )
    @click.option(
        "--assessment",
        type=AMOUNT,
        help="Total assessment after experience rating, which the bands compare (default: the base assessment).",
    )
    @click.option(
        "--disqualifier",
        "disqualifiers",
        multiple=True,
        type=click.Choice(disqualifier_ids),
        help="Something in the employer's record that cancels the incentive; repeat for several.",
    )
    @click.option(
        "--year",
        type=click.IntRange(1900, 9998),
        help="The COR year the incentive is for (rules in force then; paid the following year).",
    )
    @format_option("text", "json")
    def bc_incentive(
        payroll: Fraction,
        base_rate: Fraction,
        small: bool,
        assessment: Fraction | None,
        disqualifiers: tuple[str, ...],
        year: int | None,
        fmt: str,
    ) -> None:
        """Estimate the WorkSafeBC COR incentive: up to 10% of the base assessment (payroll x base rate / 100),
        in the small-employer guideline's bands where the amounts are small."""
        if small:
            try:
                version = program().incentive_for(year)
            except LookupError:
                version = program().incentive_for(None)
            click.echo("Deprecation: " + SMALL_DEPRECATED.format(bands=band_summary(version)), err=True)
        try:
            result = estimate(
                payroll,
                base_rate,
                assessment=assessment,
                disqualifiers=tuple(dict.fromkeys(disqualifiers)),
                year=year,
            )
        except (ValueError, LookupError) as exc:
            raise click.UsageError(str(exc)) from None
        if fmt == "json":
            click.echo(json.dumps(_as_json(result), indent=2, ensure_ascii=False) + "\n", nl=False)
        else:
            click.echo(_as_text(result), nl=False)

    return bc_incentive
