"""Measuring a workbook's XML parts before the spreadsheet library touches them.

openpyxl parses some parts of a workbook whole when it opens one (the styles, the shared strings, the workbook
part with its defined names, the content types and relationships), before any of corengine's sheet bounds
apply, and the unpacked-size limit counts bytes, not elements: a 43 KB file can hold a styles part of millions
of empty elements. So every XML part is first counted in one streaming pass (expat, fed 64 KiB at a time, no
element kept) that stops at the first element beyond its part's limit and refuses the workbook with one problem
naming the part and the limit. What a part may hold:

- ``xl/sharedStrings.xml``: :data:`MAX_SHARED_STRINGS` strings (``<si>``) and :data:`MAX_SHARED_ELEMENTS`
  elements;
- ``xl/styles.xml``: :data:`MAX_STYLE_ELEMENTS` elements;
- ``xl/workbook.xml``: :data:`MAX_DEFINED_NAMES` defined names, and :data:`MAX_PART_ELEMENTS` elements as any
  other part;
- a worksheet (``xl/worksheets/``): :data:`MAX_SHEET_PROLOGUE` elements before its cells (``<sheetData>``; the
  cells are bounded by the sheet's own scan, :mod:`.stream`);
- any other XML part (``.xml``, ``.rels``, ``.vml``): :data:`MAX_PART_ELEMENTS` elements;
- all parts together: :data:`MAX_ELEMENTS` elements counted.

The limits are far above what a spreadsheet program writes for an audit workbook (a blank corengine workbook
has ~150 elements of styles and no shared strings; the bundled evidence index fewer than 200 strings) and low
enough that what openpyxl then parses stays within a second or so of work (``benchmarks/`` records it).
"""

from __future__ import annotations

import zipfile
import zlib
from typing import Any
from xml.parsers import expat

from corengine.errors import InputError, problem

MAX_SHARED_STRINGS = 50_000
"""Strings a workbook's shared-string table may hold: one for every row of the largest table read
(:data:`~corengine._formats.xlsx.stream.MAX_ROWS`); openpyxl reads the whole table when it opens a workbook
(about 16 µs a string)."""

MAX_SHARED_ELEMENTS = 200_000
"""XML elements the shared-string table may hold (a string with rich-text runs is several)."""

MAX_STYLE_ELEMENTS = 20_000
"""XML elements the styles part may hold: openpyxl builds an object of each cell format when it opens a
workbook (about 50 µs a format); a workbook corengine writes has ~150."""

MAX_DEFINED_NAMES = 1_000
"""Defined names the workbook part may hold (corengine writes one, the print titles)."""

MAX_PART_ELEMENTS = 20_000
"""XML elements any other part may hold (content types, relationships, the workbook part, document properties,
the theme, comments, drawings)."""

MAX_SHEET_PROLOGUE = 131_072
"""XML elements a worksheet may hold before its cells, counted before openpyxl's read-only sheet parses them to
find the sheet's size. A backstop: the sheet's own scan (:mod:`.stream`) refuses more than 65,536 elements
outside its rows with the sheet's name (a spreadsheet program writes at most 16,384 column entries)."""

MAX_ELEMENTS = 400_000
"""XML elements counted in all a workbook's parts together, so that many parts just under their limits do not
add up."""

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CHUNK = 64 * 1024


class _Over(Exception):
    """A part holds more than its limit allows."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Counter:
    """Counts one part's elements as expat starts them, raising :class:`_Over` at the first beyond a limit."""

    def __init__(self, part: str, budget: int) -> None:
        self.part = part
        self.elements = 0
        self.budget = budget
        self.strings = self.names = 0
        self.limit, self.strings_limit, self.names_limit = _limits(part)
        self.prologue = part.startswith("xl/worksheets/") and not part.endswith(".rels")
        self.done = False

    def start(self, name: str, attributes: Any) -> None:
        if self.done:
            return
        if self.prologue and name == f"{_MAIN} sheetData":
            self.done = True  # the cells are the sheet scan's to bound
            return
        self.elements += 1
        if self.elements > self.limit:
            what = "elements before its cells" if self.prologue else "elements"
            raise _Over(f"the part {self.part} holds more than {self.limit} {what} (at most {self.limit} are read)")
        if self.elements > self.budget:
            raise _Over(
                f"the workbook's parts hold more than {MAX_ELEMENTS} elements together (at most {MAX_ELEMENTS} are "
                f"read; the limit was reached in {self.part})"
            )
        if name == f"{_MAIN} si" and self.strings_limit:
            self.strings += 1
            if self.strings > self.strings_limit:
                raise _Over(
                    f"the part {self.part} holds more than {self.strings_limit} shared strings "
                    f"(at most {self.strings_limit} are read)"
                )
        elif name == f"{_MAIN} definedName" and self.names_limit:
            self.names += 1
            if self.names > self.names_limit:
                raise _Over(
                    f"the part {self.part} holds more than {self.names_limit} defined names "
                    f"(at most {self.names_limit} are read)"
                )


def _limits(part: str) -> tuple[int, int, int]:
    """(elements, shared strings, defined names) the part may hold; 0 where that count is not limited."""
    lower = part.lower()
    if lower.endswith("sharedstrings.xml"):
        return MAX_SHARED_ELEMENTS, MAX_SHARED_STRINGS, 0
    if lower == "xl/styles.xml":
        return MAX_STYLE_ELEMENTS, 0, 0
    if lower.startswith("xl/worksheets/") and not lower.endswith(".rels"):
        return MAX_SHEET_PROLOGUE, 0, 0
    return MAX_PART_ELEMENTS, 0, MAX_DEFINED_NAMES  # defined names are counted in any part that holds them


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def measure_parts(archive: zipfile.ZipFile, source: str) -> int:
    """Count the elements of every XML part of ``archive`` within its limit (the module's docstring lists them),
    or raise :class:`InputError` with one problem naming the first part over its limit (or that cannot be
    unpacked; a part that is not well-formed XML is counted up to its error and left for the reader to report).
    Returns the number of elements counted. Stops reading a part at its first element beyond a limit, so the
    work is bounded by the limits, not by what the part holds."""
    counted = 0
    for info in archive.infolist():
        if info.is_dir() or not _is_xml(info.filename):
            continue
        counter = _Counter(info.filename, MAX_ELEMENTS - counted)
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = counter.start
        try:
            with archive.open(info) as stream:
                while not counter.done:
                    chunk = stream.read(_CHUNK)
                    parser.Parse(chunk, not chunk)
                    if not chunk:
                        break
        except _Over as exc:
            raise InputError([problem(source, "", exc.message)]) from None
        except expat.ExpatError:  # left for the reader to report as it always has; counting it stops here
            pass
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            detail = f"the part {info.filename} cannot be unpacked: {exc}"
            raise InputError([problem(source, "", f"not a readable .xlsx workbook ({detail})")]) from None
        counted += counter.elements
    return counted
