"""A per-user cache of data files already structured into the model (standards, a plugin's jurisdictions).

Reading a standard means parsing its YAML with line numbers and structuring thousands of values with every
check; the result depends only on the file's bytes and on the code that structures it. So a file that loads
without a problem is pickled under the user's cache folder (``$XDG_CACHE_HOME/corengine``, else
``~/.cache/corengine``), keyed by the SHA-256 of:

- the file's text and whether it is read as JSON or YAML;
- the class it becomes (module and name);
- a fingerprint of the code: the Python version, corengine's version, and the size and modification time of
  every module of the ``corengine`` package and of the module defining the class (an editable install keeps its
  version while its code changes, so the version alone is not trusted).

A cached object is used only when its key matches exactly; any failure to read it (a missing, truncated or
foreign file, an object of another class) falls back to a fresh load, and a failure to write it is ignored.
Files are written atomically (a temporary file renamed into place) in a folder only the user may read. A file
with a problem is never cached, so its messages always come from a fresh load. ``CORENGINE_NO_CACHE=1``
switches the cache off.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from corengine._io.distributions import VERSION

T = TypeVar("T")

if TYPE_CHECKING:
    from hashlib import sha256
else:  # CPython's own SHA-256, the same digests as hashlib's: importing hashlib loads OpenSSL (~2.5 ms a start)
    try:
        from _sha2 import sha256  # Python 3.12 and later
    except ImportError:
        try:
            from _sha256 import sha256  # Python 3.11
        except ImportError:  # pragma: no cover - an interpreter without them
            from hashlib import sha256

NO_CACHE_ENV = "CORENGINE_NO_CACHE"
"""Set to 1 (or any value but empty and 0) to read every data file afresh and write no cache."""

FORMAT = b"corengine-cache-1"
"""Changed whenever the layout of a cache entry changes."""


def cache_folder() -> Path | None:
    """Where cached files go, or None when the cache is off."""
    if os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "corengine"


@cache
def _package_fingerprint() -> bytes:
    """Python's and corengine's versions and the size and time of every module of the package, in every folder."""
    folder = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found: list[tuple[str, os.stat_result]] = []
    pending = [("", folder)]
    while pending:  # (os.scandir, not Path.rglob: a third of the time, on every start-up that reads a standard)
        prefix, where = pending.pop()
        with os.scandir(where) as entries:
            for entry in entries:
                if entry.is_dir():
                    pending.append((f"{prefix}{entry.name}/", entry.path))
                elif entry.name.endswith(".py"):
                    found.append((f"{prefix}{entry.name}", entry.stat()))
    parts = [sys.version.encode(), VERSION.encode()]
    for name, stat in sorted(found, key=lambda item: item[0].split("/")):
        parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return b"\n".join(parts)


def _module_fingerprint(cls: type) -> bytes:
    module = sys.modules.get(cls.__module__)
    where = getattr(module, "__file__", None)
    if not where:
        return b"-"
    try:
        stat = os.stat(where)
    except OSError:
        return b"-"
    return f"{where}:{stat.st_size}:{stat.st_mtime_ns}".encode()


def key_of(text: str, kind: str, cls: type) -> str:
    """The cache key of ``text`` read as ``kind`` (``json`` or ``yaml``) into ``cls`` with this code."""
    digest = sha256(FORMAT)
    for part in (
        _package_fingerprint(),
        _module_fingerprint(cls),
        f"{cls.__module__}.{cls.__qualname__}:{kind}".encode(),
        text.encode("utf-8", "surrogatepass"),
    ):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def cached(text: str, kind: str, cls: type[T], build: Callable[[], T]) -> T:
    """``build()``, or the object an earlier ``build()`` of the same text, kind and class left in the cache."""
    folder = cache_folder()
    if folder is None:
        return build()
    try:
        path = folder / f"{key_of(text, kind, cls)}.pickle"
    except (OSError, UnicodeError):  # pragma: no cover - a package folder that cannot be listed
        return build()
    try:
        with open(path, "rb") as file:
            if _trusted(folder, os.fstat(file.fileno())):
                found = pickle.load(file)
                if type(found) is cls:
                    return found
    except Exception:  # a missing, truncated or foreign entry: load afresh (and replace it below)
        pass
    value = build()
    _write(folder, path, value)
    return value


def _trusted(folder: Path, entry: os.stat_result) -> bool:
    """Whether an entry may be unpickled: it and its folder belong to this user and nobody else may write to
    them (unpickling runs code, so a cache folder another user can write to, say under a shared
    ``XDG_CACHE_HOME``, is never read)."""
    uid = os.getuid() if hasattr(os, "getuid") else None
    if uid is None:  # pragma: no cover - no owners to compare (Windows): the user's own profile folder
        return True
    where = os.stat(folder)
    return all(st.st_uid == uid and not st.st_mode & 0o022 for st in (where, entry))


def _write(folder: Path, path: Path, value: object) -> None:
    """Pickle ``value`` to ``path`` atomically; any failure leaves no file and is ignored."""
    import tempfile

    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    except Exception:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except Exception:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
