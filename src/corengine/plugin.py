"""The public plugin API: everything a province or partner plugin may import, from one module.

A plugin writes ``from corengine.plugin import ...`` and nothing else from the core; every name below is kept
stable (a name that changes keeps working for a release with a ``DeprecationWarning`` saying
"X is deprecated; use Y"). The modules these names come from are the core's own and may change shape;
this module is the contract. ``docs/plugin-tutorial.md`` describes every name with its fields.

The names, by what a plugin does with them:

- **Hooks and errors**: :data:`hookimpl` marks hook implementations (the specs are in
  :mod:`corengine.hookspecs`); raise :class:`InputError` (a :class:`CorengineError`) for a problem in the
  user's input, so it reaches the user unchanged rather than as a plugin failure.
- **Registration**: :func:`data_plugin` registers a package's standard files and jurisdiction data and declares
  its other data files (:class:`DataFile`, for ``corengine plugin check``); :func:`load_file` reads any other
  data file of the plugin into an attrs class.
- **Records** (the model a plugin receives and returns): standards (:class:`Standard`, :class:`Element`,
  :class:`Question`, :class:`Rule`, :class:`RuleVersion`, ...), audits (:class:`Audit`, :class:`Response`,
  ...), scores, :class:`Outcome`, :class:`SamplePlan`, :class:`Jurisdiction` and its parts,
  :class:`ScoringMethod`, :class:`ResolvedStandard`, and :class:`AuditExtension` (a plugin's own audit fields,
  read back with :func:`extension`).
- **Findings**: :class:`Finding`, :class:`Quantity`, :data:`Status` and :func:`decided` (the confidence policy).
- **Rules**: :func:`in_force` (the one dated-value selector), :func:`add_months`, :func:`rule_for`,
  :func:`decide` (the core's default decision), :func:`program_of`, :func:`check_eligibility`,
  :func:`answer_eligibility`, :func:`version_in_force`, :func:`round_to`.
- **Validators** for a plugin's own data classes: :func:`one_of`, :func:`non_negative`, ... raising
  :class:`FieldError`.
- **Command line**: click types (:data:`AMOUNT`, :data:`NON_NEGATIVE`, :data:`COUNT`, :class:`ExactNumber`),
  text layout (:class:`Layout`, :func:`wrap`, :func:`fit_all`, :func:`table`, ...), rendering
  (:func:`reason_lines`, :func:`finding_json`, :func:`dumps`) and safe output (:func:`write_atomically`,
  :func:`check_output`, :func:`write_stdout`).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from corengine._cli.params import AMOUNT, COUNT, NON_NEGATIVE, ExactNumber, format_option
from corengine._io.output import check_output, write_atomically, write_stdout
from corengine._rules.audit_checks import program_of
from corengine._rules.eligibility import answer as answer_eligibility
from corengine._rules.eligibility import check as check_eligibility
from corengine._rules.eligibility import version_in_force
from corengine._rules.money import cents, exact_decimal, money
from corengine._rules.outcome import EXACT, decide, rule_for
from corengine._rules.scoring import Problem as AuditProblem
from corengine._rules.scoring import ScoringMethod, format_percent, format_percent_against, params_of, round_to
from corengine._util.dates import add_months, in_force, month_end
from corengine._util.textlayout import Layout, ellipsize, escape, fit, fit_all, table, wrap
from corengine._views.render import dumps, finding_json, reason_lines
from corengine.errors import CorengineError, InputError
from corengine.hookspecs import hookimpl
from corengine.model import (
    AUDIT_TYPES,
    CONFIDENCE,
    METHODS,
    Audit,
    AuditHistory,
    Auditor,
    AuditScore,
    CertificateRule,
    CountingRule,
    Element,
    ElementScore,
    EligibilityRequest,
    EligibilityVersion,
    Employer,
    Equivalency,
    EvidenceKind,
    Expectation,
    FailOption,
    Jurisdiction,
    MoneyRounding,
    Note,
    Outcome,
    Partner,
    Question,
    QuestionScore,
    ResolvedStandard,
    Response,
    Rounding,
    Rule,
    RuleVersion,
    SamplePlan,
    SampleRow,
    SampleTableVersion,
    Sampling,
    Scoring,
    SizeBand,
    Standard,
    Tally,
)
from corengine.model.converter import load_file, structure, unstructure
from corengine.model.data_files import DataFile
from corengine.model.extensions import AuditExtension, extension
from corengine.model.findings import Finding, Quantity, Status, decided, number_text, status_of
from corengine.model.lifecycle import (
    AuditFact,
    AuditorCurrency,
    AuditorCurrencyRule,
    IncentiveQuestion,
    IncentiveRule,
    Incentives,
)
from corengine.model.themes import ROLES, THEMES
from corengine.model.validators import (
    FieldError,
    calendar_year,
    day_span,
    month_span,
    non_empty,
    non_negative,
    one_of,
    percent_range,
    positive,
    unique_ids,
)

T = TypeVar("T")

STANDARDS_FOLDER = "data/standards"
"""Where :func:`data_plugin` looks for a package's standard files, relative to the package."""


class DataPlugin:
    """A plugin package's data files, and the two registration hooks every data plugin needs.

    Build it with :func:`data_plugin`; expose its hooks from the plugin module (pluggy registers the module,
    so the hooks must be module attributes)::

        PACKAGE = data_plugin("corengine_mycp", jurisdictions=["mycp.yaml"], files={"refund.yaml": RefundRules})
        corengine_register_standards = PACKAGE.corengine_register_standards
        corengine_register_jurisdictions = PACKAGE.corengine_register_jurisdictions
        corengine_register_data_files = PACKAGE.corengine_register_data_files

    Files are read when first asked for and kept (a plugin's data does not change while it runs). The plugin's
    own data files (read with :meth:`load`) are declared with the class each is read into, in ``files`` or with
    :meth:`declare`, so that ``corengine plugin check`` reads them too (``corengine_register_data_files``).
    """

    def __init__(
        self,
        data: Path,
        jurisdictions: tuple[str, ...],
        standards: str,
        files: Mapping[str, type] | None = None,
    ) -> None:
        self.data = data
        """The package's ``data`` folder."""
        self.jurisdiction_files = jurisdictions
        """Jurisdiction files, relative to :attr:`data`."""
        self.standards_folder = data.parent / standards
        """The folder of standard files."""
        self.declared: dict[str, type] = {}
        """The plugin's own data files (relative to :attr:`data`) with the class each is read into."""
        self._cache: dict[tuple[str, type], Any] = {}
        self._lock = threading.Lock()
        for name, cls in (files or {}).items():
            self.declare(name, cls)

    def declare(self, name: str, cls: type) -> None:
        """Declare the data file ``name`` (relative to :attr:`data`) as read into the attrs class ``cls``, for
        ``corengine plugin check``; for a class defined after the :class:`DataPlugin` (in the same module).

        :raises ValueError: when ``name`` is a jurisdiction file or is already declared with another class.
        :raises TypeError: when ``cls`` is not an attrs class.
        """
        if name in self.jurisdiction_files:
            raise ValueError(f"{name!r} is a jurisdiction file (read as Jurisdiction); declare only other files")
        earlier = self.declared.get(name)
        if earlier is not None and earlier is not cls:
            raise ValueError(
                f"{name!r} is already declared as read into {earlier.__qualname__}, not {cls.__qualname__}"
            )
        DataFile(self.path(name), cls)  # an attrs class, or TypeError
        self.declared[name] = cls

    def path(self, name: str) -> Path:
        """A data file's path, relative to :attr:`data`."""
        return self.data / name

    def load(self, name: str, cls: type[T]) -> T:
        """The data file ``name`` (relative to :attr:`data`) read into ``cls``, once; an
        :class:`InputError` naming the file and line when it does not fit."""
        key = (name, cls)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = load_file(self.path(name), cls)
            found: T = self._cache[key]
        return found

    def standards(self) -> list[Path]:
        """The package's standard files (``*.yaml``, ``*.yml``, ``*.json``), sorted by name."""
        return sorted(path for path in self.standards_folder.glob("*") if path.suffix in (".yaml", ".yml", ".json"))

    def jurisdictions(self) -> list[Jurisdiction]:
        """The package's jurisdictions, each read once."""
        return [self.load(name, Jurisdiction) for name in self.jurisdiction_files]

    def jurisdiction(self) -> Jurisdiction:
        """The package's only jurisdiction (a plugin for one province)."""
        found = self.jurisdictions()
        if len(found) != 1:
            raise LookupError(f"{self.data}: {len(found)} jurisdiction files, not one")
        return found[0]

    @hookimpl
    def corengine_register_standards(self) -> list[Path]:
        """The hook registering :meth:`standards`."""
        return self.standards()

    @hookimpl
    def corengine_register_jurisdictions(self) -> list[Jurisdiction]:
        """The hook registering :meth:`jurisdictions`."""
        return self.jurisdictions()

    def data_files(self) -> list[DataFile]:
        """The package's jurisdiction files (read as :class:`Jurisdiction`), then its declared files."""
        found = [DataFile(self.path(name), Jurisdiction) for name in self.jurisdiction_files]
        return found + [DataFile(self.path(name), cls) for name, cls in self.declared.items()]

    @hookimpl
    def corengine_register_data_files(self) -> list[DataFile]:
        """The hook declaring :meth:`data_files` (nothing is read)."""
        return self.data_files()


def data_plugin(
    package: str,
    jurisdictions: list[str] | tuple[str, ...] = (),
    standards: str = STANDARDS_FOLDER,
    files: Mapping[str, type] | None = None,
) -> DataPlugin:
    """The data of the plugin package ``package`` (its import name, e.g. ``"corengine_alberta"``).

    :param package: the package holding a ``data/`` folder.
    :param jurisdictions: jurisdiction files in ``data/`` (e.g. ``["alberta.yaml"]``).
    :param standards: the folder of standard files, relative to the package (default ``data/standards``).
    :param files: the plugin's own data files in ``data/`` with the attrs class each is read into (e.g.
        ``{"pir-refund.yaml": RefundRules}``), for ``corengine plugin check``; more with :meth:`DataPlugin.declare`.
    :returns: a :class:`DataPlugin` whose hooks register the standards and jurisdictions and declare the data files.
    """
    module = importlib.import_module(package)
    if module.__file__ is None:
        raise ValueError(f"{package!r} is not a package with files")
    return DataPlugin(Path(module.__file__).parent / "data", tuple(jurisdictions), standards, files)


__all__ = [
    "AMOUNT",
    "AUDIT_TYPES",
    "CONFIDENCE",
    "COUNT",
    "EXACT",
    "METHODS",
    "NON_NEGATIVE",
    "ROLES",
    "THEMES",
    "Audit",
    "AuditExtension",
    "AuditFact",
    "AuditHistory",
    "AuditProblem",
    "AuditScore",
    "Auditor",
    "AuditorCurrency",
    "AuditorCurrencyRule",
    "CertificateRule",
    "CorengineError",
    "CountingRule",
    "DataFile",
    "DataPlugin",
    "Element",
    "ElementScore",
    "EligibilityRequest",
    "EligibilityVersion",
    "Employer",
    "Equivalency",
    "EvidenceKind",
    "ExactNumber",
    "Expectation",
    "FailOption",
    "FieldError",
    "Finding",
    "IncentiveQuestion",
    "IncentiveRule",
    "Incentives",
    "InputError",
    "Jurisdiction",
    "Layout",
    "MoneyRounding",
    "Note",
    "Outcome",
    "Partner",
    "Quantity",
    "Question",
    "QuestionScore",
    "ResolvedStandard",
    "Response",
    "Rounding",
    "Rule",
    "RuleVersion",
    "SamplePlan",
    "SampleRow",
    "SampleTableVersion",
    "Sampling",
    "Scoring",
    "ScoringMethod",
    "SizeBand",
    "Standard",
    "Status",
    "Tally",
    "add_months",
    "answer_eligibility",
    "calendar_year",
    "cents",
    "check_eligibility",
    "check_output",
    "data_plugin",
    "day_span",
    "decide",
    "decided",
    "dumps",
    "ellipsize",
    "escape",
    "exact_decimal",
    "extension",
    "finding_json",
    "fit",
    "fit_all",
    "format_option",
    "format_percent",
    "format_percent_against",
    "hookimpl",
    "in_force",
    "load_file",
    "money",
    "month_end",
    "month_span",
    "non_empty",
    "non_negative",
    "number_text",
    "one_of",
    "params_of",
    "percent_range",
    "positive",
    "program_of",
    "reason_lines",
    "round_to",
    "rule_for",
    "status_of",
    "structure",
    "table",
    "unique_ids",
    "unstructure",
    "version_in_force",
    "wrap",
    "write_atomically",
    "write_stdout",
]
