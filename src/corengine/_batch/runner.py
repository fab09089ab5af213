"""Scoring many audits at once: finding the files, one row per audit, running statistics, worker processes.

What ``corengine batch`` runs, usable without click. Nothing here holds more than one chunk of results at a
time: rows are produced in input order (:func:`rows`) and the caller writes each as it arrives, while a
:class:`Summary` keeps only running counts, sums and minimums per standard and element, so memory stays flat
in the number of audits.

A file that cannot be read, does not structure or fails validation is a row of its own (outcome ``bad``) naming
the file and its first problems; the batch never stops at it.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import glob
import os
import stat
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from fractions import Fraction

from attrs import define, field, frozen

from corengine._formats.evidence_index import is_evidence_index
from corengine._host.engine import Engine
from corengine._views.documents import element_minimum, overall_minimum
from corengine.errors import CorengineError, InputError, Problem
from corengine.model import Result

SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")
"""Files a folder is searched for (named files and glob matches are taken whatever their ending)."""

MAX_JOBS = 256
"""The most worker processes a batch starts (each builds an engine of its own)."""

FIRST_PROBLEMS = 3
"""Problems a bad file's row lists; the rest are counted."""

NOT_AN_AUDIT = "an evidence index, not an audit (`corengine readiness STANDARD FILE` reads it)"
"""A bad row's problem for an evidence index named outright (a folder's or a glob's are left out)."""

OUTCOMES = ("pass", "advisory", "fail", "bad")
"""A row's outcome: passed; passed subject to advisory findings; not passed; the file could not be scored."""


@frozen
class Source:
    """One input found: a file to score, or a path that gave none (``missing`` says why)."""

    path: str
    """The file as found (a folder's files are joined to the folder as given)."""
    missing: str = ""
    """Why nothing was read from ``path`` (no such file, a glob matching nothing); empty for a file."""


def _is_glob(path: str) -> bool:
    return any(char in path for char in "*?[")


def _walk(folder: str) -> Iterator[str]:
    """The audit files under ``folder``, sorted by name at every level, a folder's files before its subfolders';
    hidden files and folders are skipped. Symbolic links to folders are not followed (a link loop cannot make
    the walk endless); a link to a file is a file."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(SUFFIXES):
                yield os.path.join(root, name)


def _component_matches(parts: Sequence[str], names: Sequence[str]) -> bool:
    """Whether path components ``names`` match pattern components ``parts``, as :func:`glob.glob` would: ``**``
    matches any number of folders, other components match one name (``fnmatch``), and a name starting with a dot
    only matches a component that starts with one."""
    if not parts:
        return not names
    if parts[0] == "**":
        return any(
            _component_matches(parts[1:], names[skip:])
            for skip in range(len(names) + 1)
            if not any(n.startswith(".") for n in names[:skip])
        )
    if not names or (names[0].startswith(".") and not parts[0].startswith(".")):
        return False
    return fnmatch.fnmatchcase(names[0], parts[0]) and _component_matches(parts[1:], names[1:])


def _glob(pattern: str) -> list[str]:
    """The paths matching ``pattern``, sorted, as ``glob.glob(pattern, recursive=True)`` gives them, except that
    ``**`` does not descend into symbolic links to folders: :func:`glob.glob` follows them, so one link to a
    parent folder makes it list the same files again at every depth, and two make it run for ever."""
    if "**" not in pattern:
        return sorted(glob.glob(pattern))
    parts = pattern.split("/")
    fixed = 0
    while fixed < len(parts) - 1 and not _is_glob(parts[fixed]):
        fixed += 1
    root = "/".join(parts[:fixed]) if fixed else ""
    if pattern.startswith("/") and not root:
        root = "/"
    rest = [p for p in parts[fixed:] if p]
    start = root or os.curdir
    if not os.path.isdir(start):
        return []
    hidden = any(p.startswith(".") for p in rest)
    only_folders = pattern.endswith("/")
    found = []
    for folder, dirs, files in os.walk(start):
        if not hidden:
            dirs[:] = [d for d in dirs if not d.startswith(".")]
        relative = os.path.relpath(folder, start)
        prefix = [] if relative == os.curdir else relative.split(os.sep)
        for name in dirs if only_folders else (*dirs, *files):
            if _component_matches(rest, [*prefix, name]):
                path = os.path.join(root, *prefix, name) if root else os.path.join(*prefix, name)
                found.append(path + "/" if only_folders else path)
    return sorted(set(found))


def _special(status: os.stat_result) -> str:
    """What a file that is neither a regular file nor a folder is, or empty for a regular file or a folder."""
    mode = status.st_mode
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return ""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def discover(paths: Iterable[str], skipped: list[str] | None = None) -> list[Source]:
    """The inputs named by ``paths`` in order: a file as given, a folder's audit files recursively (sorted), a
    glob's matches (sorted; ``**`` recurses). A file reached twice (by the same name, or through a symbolic or
    hard link) is listed once, where first reached.

    A FIFO, device or socket found in a folder or by a glob is not read (reading a FIFO nobody writes to would
    wait forever): it is a source naming what it is. Named outright, it is read (``<(command)`` gives such a
    path). An evidence index found in a folder or by a glob (known by its content:
    :func:`~corengine._formats.evidence_index.is_evidence_index`) is no audit and is left out, its path appended
    to ``skipped`` when given; named outright, it is read, and its row says it is no audit (:data:`NOT_AN_AUDIT`)."""
    found: list[Source] = []
    seen: set[object] = set()

    def add(path: str, named: bool = False) -> None:
        try:
            status: os.stat_result | None = os.stat(path)
        except (OSError, ValueError):
            status = None  # a dangling link, a name too long...: read, so its row says why
        key: object = (status.st_dev, status.st_ino) if status is not None else os.path.normpath(path)
        if key in seen:
            return
        seen.add(key)
        what = "" if named or status is None else _special(status)
        if what:
            found.append(Source(path, f"{what}, not a regular file: not read (name it outright to read it)"))
        elif not named and status is not None and is_evidence_index(path):
            if skipped is not None:
                skipped.append(path)
        else:
            found.append(Source(path))

    for path in paths:
        if os.path.isdir(path):
            for item in _walk(path):
                add(item)
        elif os.path.exists(path):
            add(path, named=True)
        elif _is_glob(path):
            matches = _glob(path)
            if not matches:
                found.append(Source(path, "no file matches this pattern"))
            for match in matches:
                if os.path.isdir(match):
                    for item in _walk(match):
                        add(item)
                else:
                    add(match)
        else:
            found.append(Source(path, "no such file or folder"))
    return found


@frozen
class Row:
    """One audit of a batch: what was decided, or why it could not be scored."""

    file: str
    """The file as found."""
    outcome: str
    """``pass``, ``advisory`` (passed subject to advisory findings), ``fail`` or ``bad`` (see :data:`OUTCOMES`)."""
    standard: str = ""
    """The standard's id (empty for a bad file)."""
    employer: str = ""
    """The employer's name."""
    date: dt.date | None = None
    """The audit date."""
    audit_type: str = ""
    """The audit type."""
    program: str = ""
    """The program audited."""
    overall: Fraction | None = None
    """The overall percentage, exact (None when nothing was applicable)."""
    overall_minimum: Fraction | None = None
    """The overall minimum the rule judged it against (so a value just under it never prints as the minimum)."""
    below_minimum: tuple[str, ...] = ()
    """Elements below the element minimum the rule sets (ids, in document order)."""
    certificate: str | None = None
    """The certificate (or standing) granted."""
    valid_until: dt.date | None = None
    """When the certificate ends."""
    elements: tuple[tuple[str, Fraction | None], ...] = ()
    """Each element's exact percentage, for the statistics."""
    problems: tuple[Problem, ...] = ()
    """A bad file's first problems."""
    more_problems: int = 0
    """How many more problems the bad file has."""


def row_of(path: str, result: Result) -> Row:
    """The row of a scored audit."""
    outcome, audit, score = result.outcome, result.audit, result.score
    below = tuple(e.id for e in score.elements if element_minimum(result, e.id)[1] in ("fail", "advisory"))
    return Row(
        file=path,
        outcome="fail" if not outcome.passed else "advisory" if outcome.advisories else "pass",
        standard=audit.standard,
        employer=audit.employer.name,
        date=audit.audit_date,
        audit_type=audit.audit_type,
        program=score.program,
        overall=score.percent,
        overall_minimum=overall_minimum(result)[0],
        below_minimum=below,
        certificate=outcome.certificate,
        valid_until=outcome.valid_until,
        elements=tuple((e.id, e.percent) for e in score.elements),
    )


def bad_row(path: str, problems: Sequence[Problem | str], truncated: int = 0) -> Row:
    """The row of a file that could not be scored, with its first problems."""
    records = tuple(p if isinstance(p, Problem) else Problem(file=path, message=str(p)) for p in problems)
    return Row(
        file=path,
        outcome="bad",
        problems=records[:FIRST_PROBLEMS],
        more_problems=max(0, len(records) - FIRST_PROBLEMS) + truncated,
    )


def score_file(engine: Engine, source: Source, strict: bool = False) -> Row:
    """Score one input into its row; every failure becomes a bad row, never an exception."""
    if source.missing:
        return bad_row(source.path, [Problem(file=source.path, message=source.missing)])
    try:
        return row_of(source.path, engine.score(engine.load_audit(source.path), strict=strict))
    except InputError as exc:
        if is_evidence_index(source.path):
            return bad_row(source.path, [Problem(file=source.path, message=NOT_AN_AUDIT)])
        return bad_row(source.path, exc.problems, exc.truncated)
    except CorengineError as exc:
        return bad_row(source.path, [Problem(file=source.path, message=str(exc))])
    except RecursionError:
        return bad_row(source.path, [Problem(file=source.path, message="nested too deeply to read")])
    except Exception as exc:  # a batch never stops at one file: an unexpected error is that file's row
        message = f"unexpected error ({type(exc).__name__}); run `corengine score` on this file with --debug"
        return bad_row(source.path, [Problem(file=source.path, message=message)])


# --------------------------------------------------------------------------- worker processes

_worker: tuple[Engine, bool] | None = None
"""The engine a worker process built once (:func:`_start_worker`), and whether to score strictly."""


def make_engine(standard_files: Sequence[str] = ()) -> Engine:
    """An engine with the installed plugins and ``standard_files`` (warnings about plugins are the parent's
    to show)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        engine = Engine()
    for path in standard_files:
        engine.add_standard_file(path)
    return engine


def _start_worker(standard_files: tuple[str, ...], strict: bool) -> None:
    global _worker
    _worker = (make_engine(standard_files), strict)


def _score_chunk(chunk: list[Source]) -> list[Row]:
    assert _worker is not None, "the worker was not started"
    engine, strict = _worker
    return [score_file(engine, source, strict) for source in chunk]


def chunk_size(count: int, jobs: int) -> int:
    """Audits sent to a worker at a time: enough to keep the cost of a hand-over small, few enough that every
    worker gets several chunks."""
    return max(1, min(64, count // (jobs * 8)))


def rows(
    sources: Sequence[Source],
    engine: Engine,
    standard_files: Sequence[str] = (),
    strict: bool = False,
    jobs: int = 1,
) -> Iterator[Row]:
    """Score ``sources`` in their order, one row each. With ``jobs`` over 1 the work goes to that many worker
    processes (each builds its own engine once, with ``standard_files``) in chunks, with at most a few chunks in
    flight, so the rows are the same, in the same order, as with one job, and memory does not grow with the
    number of audits. ``engine`` scores when ``jobs`` is 1."""
    if jobs <= 1 or len(sources) <= 1:
        for source in sources:
            yield score_file(engine, source, strict)
        return
    size = chunk_size(len(sources), jobs)
    jobs = min(jobs, -(-len(sources) // size))  # never more workers than chunks to give them
    window = jobs * 3
    pending: deque[Future[list[Row]]] = deque()
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(tuple(standard_files), strict))
    try:
        for start in range(0, len(sources), size):
            pending.append(pool.submit(_score_chunk, list(sources[start : start + size])))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    except BrokenProcessPool:
        raise CorengineError("a worker process ended unexpectedly (out of memory?); try fewer --jobs") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# --------------------------------------------------------------------------- running statistics


@frozen
class Stat:
    """Count, exact mean and minimum of a percentage over the audits that have one."""

    count: int = 0
    """Audits with a value."""
    total: Fraction = Fraction(0)
    """Sum of the values (the mean is ``total / count``)."""
    minimum: Fraction | None = None
    """The smallest value."""

    @property
    def mean(self) -> Fraction | None:
        return None if self.count == 0 else self.total / self.count

    def add(self, value: Fraction | None) -> Stat:
        if value is None:
            return self
        low = value if self.minimum is None else min(self.minimum, value)
        return Stat(self.count + 1, self.total + value, low)


@define
class StandardStats:
    """Pass rates and element statistics of one standard's audits in a batch."""

    standard: str
    """The standard's id."""
    counts: dict[str, int] = field(factory=lambda: dict.fromkeys(OUTCOMES[:3], 0))
    """Audits by outcome: ``pass``, ``advisory``, ``fail``."""
    overall: Stat = Stat()
    """The overall percentage."""
    elements: dict[str, Stat] = field(factory=dict)
    """Each element's percentage, in the order elements were first met."""

    @property
    def audits(self) -> int:
        return sum(self.counts.values())

    @property
    def passed(self) -> int:
        """Audits that passed, with or without advisories."""
        return self.counts["pass"] + self.counts["advisory"]

    @property
    def pass_rate(self) -> Fraction | None:
        """Passed audits as an exact percentage of those scored."""
        return None if not self.audits else Fraction(100 * self.passed, self.audits)


class Summary:
    """Running totals of a batch: rows by outcome, and per standard its pass rate and element statistics.

    Holds no row; :meth:`add` each as it is written."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = dict.fromkeys(OUTCOMES, 0)
        self.standards: dict[str, StandardStats] = {}

    def add(self, row: Row) -> None:
        self.counts[row.outcome] += 1
        if row.outcome == "bad":
            return
        stats = self.standards.setdefault(row.standard, StandardStats(row.standard))
        stats.counts[row.outcome] += 1
        stats.overall = stats.overall.add(row.overall)
        for element, percent in row.elements:
            stats.elements[element] = stats.elements.get(element, Stat()).add(percent)

    @property
    def files(self) -> int:
        return sum(self.counts.values())

    @property
    def scored(self) -> int:
        return self.files - self.counts["bad"]

    @property
    def failed(self) -> int:
        return self.counts["fail"]

    def by_standard(self) -> list[StandardStats]:
        """Per-standard statistics, by standard id."""
        return [self.standards[k] for k in sorted(self.standards)]


def exit_code(summary: Summary, check: bool) -> int:
    """2 when a file was bad; else 1 when ``check`` and an audit did not pass; else 0."""
    if summary.counts["bad"]:
        return 2
    return 1 if check and summary.failed else 0


def run(
    sources: Sequence[Source],
    engine: Engine,
    emit: Callable[[Row], None],
    standard_files: Sequence[str] = (),
    strict: bool = False,
    jobs: int = 1,
) -> Summary:
    """Score every source, hand each row to ``emit`` as it comes (in input order) and return the summary."""
    summary = Summary()
    for row in rows(sources, engine, standard_files, strict, jobs):
        summary.add(row)
        emit(row)
    return summary


__all__ = [
    "MAX_JOBS",
    "OUTCOMES",
    "SUFFIXES",
    "Row",
    "Source",
    "StandardStats",
    "Stat",
    "Summary",
    "bad_row",
    "discover",
    "exit_code",
    "make_engine",
    "row_of",
    "rows",
    "run",
    "score_file",
]
