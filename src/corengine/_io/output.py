"""Writing a command's output without ever losing a file: the one write function every command uses.

:func:`write_atomically` writes all of an output or nothing:

- an output that is the same file as one of the command's inputs (same device and inode, through symbolic or
  hard links, as GNU ``sort -o`` checks) is refused before anything is written;
- a regular file is written to a temporary file in its folder, flushed to disk, then renamed over the
  target (a symbolic link is written through, so the file it points to is replaced); a new file gets the
  permissions the umask gives (0644 under 022), a replaced file keeps its own;
- a character device (``/dev/null``), a FIFO, ``/dev/stdout`` or ``/dev/fd/N`` (or a link to one) is opened
  and written into, never replaced by a regular file; a descriptor of this process is written through a copy
  of it, so ``-o /dev/stdout >> log`` appends;
- the temporary file is removed on an error, Ctrl-C, SIGTERM and SIGHUP (the signal is then delivered to the
  handler that was there before, so the process still ends as killed);
- every failure (a folder, an empty or too long name, a read-only place, a full disk, a file-size limit, a
  closed pipe, an encoding that cannot show the text) is an :class:`~corengine.errors.OutputError` naming the
  output and the reason.

:func:`stdout_checked` does the same for what commands print: the CLI runs every command inside it. On a
standard output whose encoding cannot show every character (a latin-1 or ASCII terminal), every command's text
is printed alike (:class:`Substituting`): a character the encoding lacks is written as its plain look-alike
(``—`` as ``-``, ``…`` as ``...``, ``≥`` as ``>=``), or else as a backslash escape (``\\u2603``), never as an error.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import os
import re
import signal
import stat
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import IO, Any, Literal

from attrs import frozen

from corengine._util.records import Record
from corengine.errors import OutputError, ReaderGone

STDOUT = "standard output"
"""How messages name standard output."""

_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large (over the file-size limit)",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.ELOOP: "too many levels of symbolic links",
    errno.EISDIR: "is a folder",
    errno.EPIPE: "broken pipe (the reading end was closed)",
    errno.EBADF: "not open for writing",
    errno.ENXIO: "no reader at the other end",
    errno.EIO: "input/output error",
}

_STDOUT_ERRNOS = frozenset(
    {errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF, errno.EAGAIN, errno.ENXIO}
)
"""Errors a write to standard output can give (such an error carries no file name)."""

_FD_LINK = re.compile(r"/proc/(?:self|thread-self|(\d+)(?:/task/\d+)?)/fd/(\d+)|/dev/fd/(\d+)")


def reason(exc: OSError | UnicodeEncodeError) -> str:
    """Why a write failed, in a few words (``no space left on device``)."""
    if isinstance(exc, UnicodeEncodeError):
        char = exc.object[exc.start : exc.start + 1]
        code = f"U+{ord(char):04X}" if char else "a character"
        return f"the encoding {exc.encoding} cannot represent {code}"
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    text = exc.strerror or str(exc) or type(exc).__name__
    return text[:1].lower() + text[1:]


def _failure(where: str, exc: OSError | UnicodeEncodeError) -> OutputError:
    return OutputError(f"{where}: cannot write: {reason(exc)}")


@frozen(repr=False, eq=False)
class Target(Record):
    """Where an output goes, checked: what kind of place it is and what to open or replace."""

    path: str
    """The output as given (``-`` for standard output)."""
    kind: Literal["stdout", "descriptor", "stream", "new", "file"]
    """``stdout``; a ``descriptor`` of this process; a ``stream`` (a character device or a FIFO) written
    into; a ``new`` regular file; an existing regular ``file`` to replace."""
    real: str = ""
    """For ``new`` and ``file``: the path to create or replace, symbolic links followed."""
    fd: int = -1
    """For ``descriptor``: the descriptor."""
    existing: os.stat_result | None = None
    """For ``file``: the status of the file replaced (its permissions and owner are kept)."""


def _fileno(stream: object) -> int | None:
    try:
        number = stream.fileno()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return None
    return number if isinstance(number, int) else None


def _stat_input(item: str | Path) -> os.stat_result | None:
    try:
        if str(item) == "-":
            fd = _fileno(sys.stdin)
            return None if fd is None else os.fstat(fd)
        return os.stat(item)
    except (OSError, ValueError):
        return None


def _refuse_inputs(where: str, status: os.stat_result, inputs: Iterable[str | Path]) -> None:
    """Refuse an output that is one of the inputs: a regular file with the same device and inode."""
    if not stat.S_ISREG(status.st_mode):
        return  # a terminal or a pipe may be both read and written, as for `sort -o`
    for item in inputs:
        found = _stat_input(item)
        if found is not None and (found.st_dev, found.st_ino) == (status.st_dev, status.st_ino):
            name = "read from standard input" if str(item) == "-" else str(item)
            raise OutputError(
                f"{where}: is the same file as the input {name}; choose another output (inputs are never overwritten)"
            )


def _own_descriptor(path: str) -> int | None:
    """The descriptor of this process that ``path`` names, as ``/dev/stdout``, ``/dev/fd/N`` or
    ``/proc/self/fd/N`` do (directly or through symbolic links), else None."""
    current = path
    for _ in range(40):
        folder, name = os.path.split(os.path.abspath(current))
        here = os.path.join(os.path.realpath(folder), name)
        match = _FD_LINK.fullmatch(here)
        if match:
            pid, fd, dev_fd = match.groups()
            if dev_fd is not None:
                return int(dev_fd)
            return int(fd) if pid is None or int(pid) == os.getpid() else None
        try:
            link = os.readlink(here)
        except (OSError, ValueError):
            return None
        current = os.path.join(folder, link)
    return None


def check_output(path: str, inputs: Iterable[str | Path] = ()) -> Target:
    """Check an output before anything is computed or written: refuse one that is an input, a folder, an
    empty name or a place that does not exist; say what kind of place it is."""
    inputs = tuple(inputs)
    if path == "-":
        fd = _fileno(sys.stdout)
        if fd is not None:
            with contextlib.suppress(OSError):
                _refuse_inputs(STDOUT, os.fstat(fd), inputs)
        return Target(path, "stdout")
    if not path:
        raise OutputError("the output file name is empty")
    if "\0" in path:
        raise OutputError(f"{path!r}: cannot write: the name contains a NUL character")
    fd = _own_descriptor(path)
    if fd is not None:
        try:
            status = os.fstat(fd)
        except OSError:
            raise OutputError(f"{path}: cannot write: descriptor {fd} is not open") from None
        _refuse_inputs(path, status, inputs)
        return Target(path, "descriptor", fd=fd)
    try:
        existing: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise _failure(path, exc) from None
    if existing is None:
        return Target(path, "new", real=_new_file(path))
    _refuse_inputs(path, existing, inputs)
    mode = existing.st_mode
    if stat.S_ISDIR(mode):
        raise OutputError(f"{path}: cannot write: is a folder")
    if stat.S_ISREG(mode):
        if not os.access(path, os.W_OK):  # as `sort -o` would be refused: a read-only file is kept
            raise OutputError(f"{path}: cannot write: {_read_only(path)}")
        return Target(path, "file", real=os.path.realpath(path), existing=existing)
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return Target(path, "stream")
    if stat.S_ISBLK(mode):
        raise OutputError(f"{path}: cannot write: is a block device (a disk); refusing to write onto it")
    raise OutputError(f"{path}: cannot write: is a socket or another special file")


def _read_only(path: str) -> str:
    """Why a file that exists may not be written: its file system is read-only, or its permissions say so."""
    with contextlib.suppress(OSError, AttributeError):
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return _REASONS[errno.EROFS]
    return "permission denied (the file is read-only)"


def _new_file(path: str) -> str:
    """The regular file to create for ``path`` (a dangling symbolic link is followed), its folder checked."""
    real = os.path.realpath(path)
    if path.endswith(("/", os.sep)) or not os.path.basename(real):
        raise OutputError(f"{path}: cannot write: names a folder, not a file")
    folder = os.path.dirname(real) or "."
    try:
        status = os.stat(folder)
    except FileNotFoundError:
        raise OutputError(f"{path}: folder {os.path.dirname(path) or '.'} does not exist") from None
    except OSError as exc:
        raise _failure(path, exc) from None
    if not stat.S_ISDIR(status.st_mode):
        raise _failure(path, NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)))
    return real


def write_atomically(path: str, content: str | bytes, inputs: Iterable[str | Path] = ()) -> None:
    """Write all of ``content`` (text as UTF-8, or bytes such as a spreadsheet) to ``path`` or nothing.

    ``-`` is standard output. ``inputs`` are the files the command read (``-`` for standard input): an
    output that is one of them is refused. Every failure is an :class:`OutputError`; see the module.
    """
    target = check_output(path, inputs)
    if target.kind == "stdout":
        write_stdout(content)
        return
    if isinstance(content, bytes):
        data = content
    else:
        try:
            data = content.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise _failure(path, exc) from None
    if target.kind == "descriptor":
        _flush_standard_streams()
        try:
            fd = os.dup(target.fd)
        except OSError:
            raise OutputError(f"{path}: cannot write: descriptor {target.fd} is not open") from None
        _write_all(fd, data, path)
    elif target.kind == "stream":
        try:
            fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0))
        except OSError as exc:
            raise _failure(path, exc) from None
        _write_all(fd, data, path)
    else:
        _replace(target, data)


def _flush_standard_streams() -> None:
    """What was printed goes first, before a write through a copy of the descriptor."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.flush()


def _write_all(fd: int, data: bytes, where: str) -> None:
    """Write ``data`` into an open descriptor (a device, a FIFO, a pipe) and close it."""
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise _failure(where, exc) from None
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)


_CLEANUP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
_BLOCKED_SIGNALS = frozenset({*_CLEANUP_SIGNALS, signal.SIGINT})


class _Signalled(BaseException):
    """SIGTERM or SIGHUP arrived while a temporary file existed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _SignalGuard:
    """While a temporary file exists, SIGTERM and SIGHUP raise (so it is removed) instead of ending the
    process at once; :meth:`restore` puts the previous handlers back and delivers the signal to them.

    Only the main thread can set handlers; elsewhere the guard does nothing. A signal the process ignores
    (``nohup``) stays ignored.
    """

    def __init__(self) -> None:
        self.active = threading.current_thread() is threading.main_thread() and hasattr(signal, "pthread_sigmask")
        self.previous: dict[int, signal.Handlers | int | object] = {}
        self.received: int | None = None
        self.blocked = False
        if not self.active:
            return
        for signum in _CLEANUP_SIGNALS:
            old = signal.getsignal(signum)
            if old is None or old == signal.SIG_IGN:
                continue  # ignored, or set outside Python: left alone
            self.previous[signum] = old
            signal.signal(signum, self._handler)

    def _handler(self, signum: int, _frame: FrameType | None) -> None:
        if self.received is None:
            self.received = signum
            raise _Signalled(signum)

    def block(self) -> None:
        """Hold signals back (while a temporary file is created or removed); they wait until unblocked."""
        if self.active and not self.blocked:
            signal.pthread_sigmask(signal.SIG_BLOCK, _BLOCKED_SIGNALS)
            self.blocked = True

    def unblock(self) -> None:
        if self.active and self.blocked:
            self.blocked = False
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _BLOCKED_SIGNALS)

    def restore(self) -> None:
        """The previous handlers back; a signal caught is sent again, to them (by default ending the process)."""
        if not self.active:
            return
        self.block()
        for signum, old in self.previous.items():
            signal.signal(signum, old)  # type: ignore[arg-type]
        if self.received is not None:
            os.kill(os.getpid(), self.received)
        self.unblock()


def _create_temp(folder: str, name: str) -> tuple[int, str]:
    """A new, empty temporary file beside the target: created with mode 0666 so the umask (and a default
    ACL) applies, as for any new file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = os.path.join(folder, f".{name[:40]}.{os.urandom(4).hex()}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", folder)


def _replace(target: Target, data: bytes) -> None:
    """Write a temporary file in the target's folder, flush it to disk, then rename it over the target."""
    folder, name = os.path.split(target.real)
    guard = _SignalGuard()
    fd, tmp = -1, ""
    try:
        guard.block()
        fd, tmp = _create_temp(folder or ".", name)
        guard.unblock()
        if target.existing is not None:
            _keep_mode_and_owner(fd, target.existing)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        _sync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, target.real)
        tmp = ""
    except BaseException as exc:
        guard.block()
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, _Signalled):
            signame = signal.Signals(exc.signum).name
            raise OutputError(f"{target.path}: not written: interrupted by {signame}") from None
        if isinstance(exc, OSError):
            raise _failure(target.path, exc) from None
        raise
    finally:
        guard.restore()


def _sync(fd: int) -> None:
    """Flush the file to disk before the rename, so a crash leaves the old file or the new, never an empty one."""
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EROFS):
            raise


def _keep_mode_and_owner(fd: int, existing: os.stat_result) -> None:
    """The replacement keeps the replaced file's permissions and, where allowed, its owner and group."""
    if hasattr(os, "fchown"):
        with contextlib.suppress(OSError):
            os.fchown(fd, existing.st_uid, existing.st_gid)
    os.fchmod(fd, stat.S_IMODE(existing.st_mode))  # after the owner: a change of owner clears set-id bits


def write_stdout(content: str | bytes) -> None:
    """Print ``content`` (text, or bytes written to the binary stream) on standard output, flushed; a closed
    or full standard output or an encoding that cannot show the text is an :class:`OutputError`."""
    stream = sys.stdout
    if stream is None:
        raise OutputError(f"{STDOUT}: cannot write: it is closed")
    try:
        if isinstance(content, bytes):
            stream.flush()
            binary = getattr(stream.target if isinstance(stream, Substituting) else stream, "buffer", None)
            if binary is None:
                raise OutputError(f"{STDOUT}: cannot write: it takes text only, not a spreadsheet")
            binary.write(content)
            binary.flush()
        else:
            stream.write(content)
            stream.flush()
    except (OSError, UnicodeEncodeError) as exc:
        raise stdout_failure(exc) from None


def _from_stdout(exc: BaseException) -> bool:
    """Whether an error escaping a command came from writing standard output."""
    if isinstance(exc, UnicodeEncodeError):
        encoding = getattr(sys.stdout, "encoding", None)
        try:
            return encoding is not None and codecs.lookup(exc.encoding).name == codecs.lookup(encoding).name
        except LookupError:
            return False
    if isinstance(exc, BrokenPipeError):
        return True
    return isinstance(exc, OSError) and exc.filename is None and exc.errno in _STDOUT_ERRNOS


def stdout_failure(exc: OSError | UnicodeEncodeError) -> OutputError:
    """The error for a failed write to standard output. What is still buffered is dropped (standard output
    then goes to the null device), so the interpreter's last flush does not fail again with a traceback."""
    if isinstance(exc, OSError):
        fd = _fileno(sys.stdout)
        if fd is not None and fd == _fileno(sys.__stdout__):
            with contextlib.suppress(OSError):
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, fd)
                os.close(null)
    if isinstance(exc, UnicodeEncodeError):
        return OutputError(f"{STDOUT}: cannot write: {reason(exc)}; set PYTHONIOENCODING=utf-8")
    if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
        return ReaderGone(f"{STDOUT}: cannot write: {reason(exc)}")
    return _failure(STDOUT, exc)


SUBSTITUTES = {
    "\u2014": "-",  # em dash
    "\u2013": "-",  # en dash
    "\u2212": "-",  # minus sign
    "\u2026": "...",  # ellipsis
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2022": "*",  # bullet
    "\u2192": "->",
    "\u2265": ">=",
    "\u2264": "<=",
    "\u00d7": "x",
    "\u00a0": " ",  # no-break space
    "\u2011": "-",  # no-break hyphen
}
"""Plain look-alikes for the typographic characters the engine's own text uses, for an encoding without them."""


def substituted(text: str, encoding: str) -> str:
    """``text`` with every character ``encoding`` cannot represent written as its look-alike (:data:`SUBSTITUTES`)
    where the encoding has that, else as a backslash escape (``\\u2603``): what a latin-1 or ASCII terminal shows."""
    try:
        text.encode(encoding)
        return text
    except UnicodeEncodeError:
        pass
    return "".join(_shown(char, encoding) for char in text)


def _shown(char: str, encoding: str) -> str:
    """One character as ``encoding`` can show it (see :func:`substituted`)."""
    for candidate in (char, SUBSTITUTES.get(char)):
        if candidate is None:
            continue
        try:
            candidate.encode(encoding)
        except UnicodeEncodeError:
            continue
        return candidate
    return char.encode("ascii", "backslashreplace").decode("ascii")


_UNICODE = frozenset({"utf-8", "utf-16", "utf-32", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"})


def _lacks_characters(encoding: str | None) -> bool:
    """Whether text in ``encoding`` cannot show every character (not a Unicode encoding)."""
    if not encoding:
        return False
    try:
        return codecs.lookup(encoding).name not in _UNICODE
    except LookupError:
        return False


class Substituting(io.TextIOBase):
    """Standard output in an encoding that lacks characters (latin-1, ASCII): text written is
    :func:`substituted` first, so every command prints alike instead of failing. It has no ``buffer`` of its own
    (so click writes through it too, rather than around it to the binary stream); :func:`write_stdout` writes
    bytes (a spreadsheet, a PDF) to :attr:`target`'s."""

    def __init__(self, target: io.TextIOBase | IO[str]) -> None:
        super().__init__()
        self.target = target

    @property
    def encoding(self) -> str:  # type: ignore[override]
        encoding: str = getattr(self.target, "encoding", None) or "utf-8"
        return encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        errors: str | None = getattr(self.target, "errors", None)
        return errors

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.target.write(substituted(text, self.encoding))
        return len(text)

    def flush(self) -> None:
        self.target.flush()

    def isatty(self) -> bool:
        return self.target.isatty()

    def fileno(self) -> int:
        return self.target.fileno()


class _Closed(io.StringIO):
    """Standard output while the real one is closed: what a command prints is kept, to be refused after."""


def _buffered(stream: object) -> io.TextIOWrapper | None:
    """The process's standard output with a buffered binary layer, when it has none (``python -u``,
    ``PYTHONUNBUFFERED=1``): a text stream straight over the raw file ignores a partial write (a pipe whose
    reader leaves mid-write returns one), and would lose the rest without an error. None when buffered."""
    if stream is not sys.__stdout__ or not isinstance(stream, io.TextIOWrapper):
        return None
    raw = stream.buffer
    if not isinstance(raw, io.FileIO):
        return None
    stream.flush()
    return io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(raw.fileno(), "w", closefd=False)),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=stream.line_buffering,
        write_through=True,
    )


def _unwrap(wrapper: io.TextIOWrapper) -> None:
    """Let go of :func:`_buffered`'s stream without closing standard output (or failing on a lost pipe)."""
    with contextlib.suppress(OSError, ValueError):
        wrapper.flush()
    with contextlib.suppress(OSError, ValueError):
        buffer = wrapper.detach()
        if isinstance(buffer, io.BufferedWriter):
            buffer.detach()  # the raw file does not close the descriptor either


@contextlib.contextmanager
def stdout_checked() -> Iterator[None]:
    """Run a command with its printing checked: a failed write to standard output (a closed pipe, a full
    disk, an encoding that cannot show the text) becomes an :class:`OutputError`, and a command that prints
    while standard output is closed fails instead of exiting 0 with its output lost."""
    original = sys.stdout
    closed = original is None
    wrapper = None if closed else _buffered(original)
    if closed:
        sys.stdout = _Closed()
    elif wrapper is not None:
        sys.stdout = wrapper
    substituting = not closed and _lacks_characters(getattr(sys.stdout, "encoding", None))
    if substituting:
        sys.stdout = Substituting(sys.stdout)
    try:
        yield
        if sys.stdout is not None:
            sys.stdout.flush()
    except (OSError, UnicodeEncodeError) as exc:
        if not _from_stdout(exc):
            raise
        raise stdout_failure(exc) from None
    finally:
        printed = sys.stdout.getvalue() if closed and isinstance(sys.stdout, _Closed) else ""
        if wrapper is not None:
            _unwrap(wrapper)
        if closed or wrapper is not None or substituting:
            sys.stdout = original
    if printed:
        raise OutputError(f"{STDOUT}: cannot write: it is closed")


class _FdWriter(io.RawIOBase):
    """A raw binary stream over a descriptor whose write errors name the output (used by :func:`streamed`)."""

    def __init__(self, fd: int, where: str) -> None:
        super().__init__()
        self.fd, self.where = fd, where

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        try:
            return os.write(self.fd, data)
        except OSError as exc:
            raise _failure(self.where, exc) from None


@contextlib.contextmanager
def streamed(path: str, inputs: Iterable[str | Path] = ()) -> Iterator[IO[bytes]]:
    """A binary stream to write a long output into as it is produced, with the promises of
    :func:`write_atomically`: ``-`` is standard output; a regular file is written to a temporary file beside
    it and renamed over it only when the block ends without an error (on an error, Ctrl-C, SIGTERM or SIGHUP
    the temporary file is removed and the target is untouched); a device or FIFO is written into; an output
    that is one of ``inputs`` is refused before anything is written. Every failure is an :class:`OutputError`.
    """
    target = check_output(path, inputs)
    if target.kind == "stdout":
        stream = sys.stdout
        binary = getattr(stream, "buffer", None) if stream is not None else None
        if stream is None or binary is None:
            raise OutputError(f"{STDOUT}: cannot write: it is closed or takes text only")
        stream.flush()
        try:
            yield binary
            binary.flush()
        except OSError as exc:
            raise stdout_failure(exc) from None
        return
    if target.kind in ("descriptor", "stream"):
        try:
            if target.kind == "descriptor":
                _flush_standard_streams()
                fd = os.dup(target.fd)
            else:
                fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0))
        except OSError as exc:
            raise _failure(path, exc) from None
        into = _FdWriter(fd, path)
        try:
            writer = io.BufferedWriter(into)
            yield writer
            writer.flush()
        finally:
            into.fd = -1  # a buffer dropped after an error writes nowhere
            with contextlib.suppress(OSError):
                os.close(fd)
        return
    folder, name = os.path.split(target.real)
    guard = _SignalGuard()
    fd, tmp = -1, ""
    raw: _FdWriter | None = None
    try:
        guard.block()
        fd, tmp = _create_temp(folder or ".", name)
        guard.unblock()
        if target.existing is not None:
            _keep_mode_and_owner(fd, target.existing)
        raw = _FdWriter(fd, path)
        writer = io.BufferedWriter(raw)
        yield writer
        writer.flush()
        raw.fd = -1
        _sync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, target.real)
        tmp = ""
    except BaseException as exc:
        guard.block()
        if raw is not None:
            raw.fd = -1
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, _Signalled):
            signame = signal.Signals(exc.signum).name
            raise OutputError(f"{target.path}: not written: interrupted by {signame}") from None
        if isinstance(exc, OSError):
            raise _failure(target.path, exc) from None
        raise
    finally:
        guard.restore()
