"""Outputs that must never cost a file: an output that is an input, devices, FIFOs and descriptors, modes,
signals, and every way a write can fail (issue 12, "Files").

Real files in ``tmp_path``; the cases that need a real process (standard output, signals, limits) run the
CLI in a subprocess. Every failure case checks the exit code, the exact one-line message, that there is no
traceback and that no file was left behind or changed.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import Result

from corengine import Engine
from corengine._cli.main import LAZY_COMMANDS, cli, input_files
from corengine._io.output import check_output, substituted, write_atomically
from corengine.errors import CorengineError, OutputError
from tests.helpers import DATA, ISOLATED, TEST_STANDARD, StandardsPlugin, run

SAME = "is the same file as the input {}; choose another output (inputs are never overwritten)"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
CLI = [sys.executable, "-c", "from corengine._cli.main import main; main()"]
"""The installed command, run as a process (the package has no ``__main__``)."""


@pytest.fixture
def audit(tmp_path: Path) -> Path:
    """A copy of the test audit, with its standard beside it as ``standard.yaml``."""
    shutil.copy(TEST_STANDARD, tmp_path / "standard.yaml")
    return Path(shutil.copy(DATA / "audit-basic.yaml", tmp_path / "audit.yaml"))


def report_args(audit: Path, *more: str) -> list[str]:
    return ["report", str(audit), "--standard-file", str(audit.parent / "standard.yaml"), *more]


def process(*args: str, env: dict[str, str] | None = None, **popen: Any) -> subprocess.CompletedProcess[bytes]:
    """The CLI in a real process: its own standard streams, signals and limits."""
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR")}
    environ |= ISOLATED | {"PYTHONIOENCODING": "utf-8"} | (env or {})
    popen.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([*CLI, *args], env=environ, timeout=60, check=False, **popen)


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry of ``folder``: a link's target, a file's bytes (hidden temporary files included)."""
    found: dict[str, bytes | str] = {}
    for entry in sorted(folder.iterdir()):
        if entry.is_symlink():
            found[entry.name] = "-> " + os.readlink(entry)
        elif entry.is_file():
            found[entry.name] = entry.read_bytes()
        else:
            found[entry.name] = "<folder>" if entry.is_dir() else "<special>"
    return found


def report_text(audit: Path) -> str:
    result = run(*report_args(audit))
    assert result.exit_code == 0, result.output
    return result.stdout


def assert_refused(result: Result | subprocess.CompletedProcess[bytes], message: str) -> None:
    """Exit 2, exactly one line ``error: message``, no traceback."""
    if isinstance(result, Result):
        code, err = result.exit_code, result.stderr
    else:
        code, err = result.returncode, result.stderr.decode("utf-8", "backslashreplace")
    assert "Traceback" not in err
    assert (code, err) == (2, f"error: {message}\n")


# ---------------------------------------------------------------- an output that is an input


def _spell(tmp_path: Path, target: Path, how: str) -> Path:
    """Another name for ``target``: itself, another spelling, a symbolic link, a hard link, a link to a link."""
    if how == "the same path":
        return target
    if how == "another spelling":
        (tmp_path / "sub").mkdir()
        return tmp_path / "sub" / ".." / target.name
    if how == "a symbolic link":
        (tmp_path / "link").symlink_to(target)
        return tmp_path / "link"
    if how == "a relative symbolic link to a link":
        (tmp_path / "link").symlink_to(target.name)
        (tmp_path / "link2").symlink_to("link")
        return tmp_path / "link2"
    os.link(target, tmp_path / "hard")
    return tmp_path / "hard"


SPELLINGS = [
    "the same path",
    "another spelling",
    "a symbolic link",
    "a relative symbolic link to a link",
    "a hard link",
]


@pytest.mark.parametrize("how", SPELLINGS)
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_refuses_to_write_over_its_audit(tmp_path: Path, audit: Path, how: str, fmt: str) -> None:
    out = _spell(tmp_path, audit, how)
    before = snapshot(tmp_path)
    result = run(*report_args(audit, "--format", fmt, "-o", str(out)))
    assert_refused(result, f"{out}: " + SAME.format(audit))
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("how", SPELLINGS)
def test_report_refuses_to_write_over_its_standard_file(tmp_path: Path, audit: Path, how: str) -> None:
    standard = tmp_path / "standard.yaml"
    out = _spell(tmp_path, standard, how)
    before = snapshot(tmp_path)
    result = run(*report_args(audit, "-o", str(out)))
    assert_refused(result, f"{out}: " + SAME.format(standard))
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("how", SPELLINGS)
@pytest.mark.parametrize("suffix", [".yaml", ".xlsx"])
def test_new_refuses_to_write_over_its_standard_file(tmp_path: Path, how: str, suffix: str) -> None:
    standard = Path(shutil.copy(TEST_STANDARD, tmp_path / f"standard{suffix}"))
    out = _spell(tmp_path, standard, how)
    before = snapshot(tmp_path)
    result = run("new", "test-basic", "--standard-file", str(standard), "-o", str(out))
    assert_refused(result, f"{out}: " + SAME.format(standard))
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("how", SPELLINGS)
@pytest.mark.parametrize("fmt", ["text", "csv", "jsonl", "xlsx"])
def test_batch_refuses_to_write_over_an_audit_it_found(tmp_path: Path, audit: Path, how: str, fmt: str) -> None:
    out = _spell(tmp_path, audit, how)
    before = snapshot(tmp_path)
    args = ["batch", str(tmp_path), "--standard-file", str(tmp_path / "standard.yaml"), "--jobs", "1"]
    result = run(*args, "--format", fmt, "-o", str(out))
    assert_refused(result, f"{out}: " + SAME.format(audit))
    assert snapshot(tmp_path) == before


def test_batch_refuses_its_standard_file_and_standard_output_appending_to_an_audit(tmp_path: Path, audit: Path) -> None:
    standard = tmp_path / "standard.yaml"
    before = snapshot(tmp_path)
    result = run("batch", str(audit), "--standard-file", str(standard), "-o", str(standard))
    assert_refused(result, f"{standard}: " + SAME.format(standard))
    with audit.open("ab") as stdout:
        result = process("batch", str(audit), "--standard-file", str(standard), stdout=stdout)
    assert_refused(result, "standard output: " + SAME.format(audit))
    assert snapshot(tmp_path) == before


def test_an_installed_standard_file_is_an_input_too(tmp_path: Path) -> None:
    installed = Path(shutil.copy(TEST_STANDARD, tmp_path / "test-basic.yaml"))
    engine = Engine(plugins=[StandardsPlugin(installed)], load_entrypoints=False, environ={})
    inputs = input_files(engine, "audit.yaml")
    assert inputs == ("audit.yaml", str(installed))
    with pytest.raises(OutputError) as caught:
        write_atomically(str(installed), "# report\n", inputs)
    assert str(caught.value) == f"{installed}: " + SAME.format(installed)
    assert installed.read_bytes() == TEST_STANDARD.read_bytes()


def test_an_audit_read_from_standard_input_is_not_overwritten(tmp_path: Path, audit: Path) -> None:
    before = snapshot(tmp_path)
    args = ["report", "-", "--standard-file", str(tmp_path / "standard.yaml"), "-o", str(audit)]
    with audit.open("rb") as stdin:
        result = process(*args, stdin=stdin, stdout=subprocess.PIPE)
    assert_refused(result, f"{audit}: " + SAME.format("read from standard input"))
    assert snapshot(tmp_path) == before


def test_standard_output_appending_to_the_audit_is_refused(tmp_path: Path, audit: Path) -> None:
    before = snapshot(tmp_path)
    with audit.open("ab") as stdout:
        result = process(*report_args(audit), stdout=stdout)
    assert_refused(result, "standard output: " + SAME.format(audit))
    with audit.open("ab") as stdout:
        result = process(*report_args(audit, "-o", "/dev/stdout"), stdout=stdout)
    assert_refused(result, "/dev/stdout: " + SAME.format(audit))
    assert snapshot(tmp_path) == before


def test_every_command_with_an_output_option_is_checked_here() -> None:
    """A command that gains ``-o`` must pass its inputs to write_atomically, and get a case above."""
    ctx = click.Context(cli, obj=None)
    with_output = set()
    for name in cli.list_commands(ctx):  # the core's, the lazy ones and the installed plugins'
        command = cli.get_command(ctx, name)
        if command is not None and any(p.name == "output" or "-o" in getattr(p, "opts", ()) for p in command.params):
            with_output.add(name)
    assert set(LAZY_COMMANDS) <= set(cli.list_commands(ctx))
    assert with_output == {"report", "new", "batch"}


# ---------------------------------------------------------------- devices, FIFOs, descriptors


def test_dev_null_is_written_into_not_replaced(audit: Path) -> None:
    before = os.stat("/dev/null")
    result = run(*report_args(audit, "-o", "/dev/null"))
    assert (result.exit_code, result.stderr) == (0, "wrote /dev/null\n")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_a_fifo_is_written_into(tmp_path: Path, audit: Path) -> None:
    expected = report_text(audit).encode("utf-8")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def reader() -> None:
        with fifo.open("rb") as handle:
            received.append(handle.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        result = run(*report_args(audit, "-o", str(fifo)))
        thread.join(20)
    finally:
        if thread.is_alive():  # a broken write never opened the FIFO: let the reader go
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert (result.exit_code, result.stderr) == (0, f"wrote {fifo}\n")
    assert received == [expected]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.yaml", "pipe", "standard.yaml"]


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1", "a link to /dev/stdout"])
def test_standard_output_named_as_a_file_is_written_into(tmp_path: Path, audit: Path, name: str) -> None:
    if name.startswith("/proc") and not Path("/proc/self/fd").is_dir():
        pytest.skip("no /proc on this system")
    if name.startswith("a link"):
        (tmp_path / "out.md").symlink_to("/dev/stdout")
        name = str(tmp_path / "out.md")
    expected = report_text(audit).encode("utf-8")
    result = process(*report_args(audit, "-o", name), stdout=subprocess.PIPE)
    assert (result.returncode, result.stdout, result.stderr) == (0, expected, f"wrote {name}\n".encode())
    log = tmp_path / "log.txt"
    log.write_bytes(b"before\n")
    with log.open("ab") as stdout:  # appended after what is there, not a new file
        result = process(*report_args(audit, "-o", name), stdout=stdout)
    assert (result.returncode, result.stderr) == (0, f"wrote {name}\n".encode())
    assert log.read_bytes() == b"before\n" + expected
    if (tmp_path / "out.md").is_symlink():
        assert os.readlink(tmp_path / "out.md") == "/dev/stdout"


def test_a_descriptor_that_is_not_open_is_an_error(audit: Path) -> None:
    result = process(*report_args(audit, "-o", "/dev/fd/9"), stdout=subprocess.PIPE)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() in (
        "error: /dev/fd/9: cannot write: descriptor 9 is not open\n",  # /proc names it a descriptor
        "error: /dev/fd/9: folder /dev/fd does not exist\n",  # a system without /dev/fd
    )


# ---------------------------------------------------------------- modes


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path: Path, audit: Path, umask: int, mode: int) -> None:
    out = tmp_path / "report.md"
    old = os.umask(umask)
    try:
        result = run(*report_args(audit, "-o", str(out)))
    finally:
        os.umask(old)
    assert (result.exit_code, result.stderr) == (0, f"wrote {out}\n")
    assert stat.S_IMODE(out.stat().st_mode) == mode


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_a_replaced_file_keeps_its_mode(tmp_path: Path, audit: Path, mode: int) -> None:
    out = tmp_path / "report.md"
    out.write_text("old\n")
    out.chmod(mode)
    result = run(*report_args(audit, "-o", str(out)))
    assert result.exit_code == 0
    assert out.read_text() == report_text(audit)
    assert stat.S_IMODE(out.stat().st_mode) == mode


@pytest.mark.skipif(not IS_ROOT, reason="only root can give a file to another owner")
def test_a_replaced_file_keeps_its_owner(tmp_path: Path, audit: Path) -> None:
    out = tmp_path / "report.md"
    out.write_text("old\n")
    os.chown(out, 65534, 65534)
    out.chmod(0o2640)  # a set-group-id bit survives the change of owner too
    result = run(*report_args(audit, "-o", str(out)))
    assert result.exit_code == 0
    status = out.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (65534, 65534, 0o2640)


def test_a_symbolic_link_is_written_through(tmp_path: Path, audit: Path) -> None:
    (tmp_path / "reports").mkdir()
    real = tmp_path / "reports" / "real.md"
    real.write_text("old\n")
    real.chmod(0o640)
    (tmp_path / "report.md").symlink_to("reports/real.md")
    result = run(*report_args(audit, "-o", str(tmp_path / "report.md")))
    assert result.exit_code == 0
    assert os.readlink(tmp_path / "report.md") == "reports/real.md"
    assert real.read_text() == report_text(audit)
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["real.md"]


# ---------------------------------------------------------------- signals

DRIVER = """
import os, sys, time
def stuck(fd):  # the write has reached the disk flush: the temporary file exists
    sys.stderr.write("writing\\n")
    sys.stderr.flush()
    time.sleep(60)
os.fsync = stuck
from corengine._cli.main import main
main()
"""


@pytest.mark.parametrize(
    ("signum", "code", "err"),
    [(signal.SIGTERM, -signal.SIGTERM, ""), (signal.SIGHUP, -signal.SIGHUP, ""), (signal.SIGINT, 1, "\nAborted!\n")],
    ids=["SIGTERM", "SIGHUP", "SIGINT"],
)
def test_a_signal_during_a_write_leaves_no_temporary_file(
    tmp_path: Path, audit: Path, signum: int, code: int, err: str
) -> None:
    before = snapshot(tmp_path)
    out = tmp_path / "report.md"
    environ = {k: v for k, v in os.environ.items() if k != "COLUMNS"} | ISOLATED
    with subprocess.Popen(
        [sys.executable, "-c", DRIVER, *report_args(audit, "-o", str(out))],
        env=environ,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stderr is not None
        assert child.stderr.readline() == "writing\n"
        temporary = [p.name for p in tmp_path.iterdir() if p.name.startswith(".report.md.")]
        assert len(temporary) == 1, "the write is under way: its temporary file exists"
        child.send_signal(signum)
        assert child.wait(30) == code  # the process still ends as the signal says
        assert child.stderr.read() == err
    assert snapshot(tmp_path) == before


def test_the_signal_handlers_are_put_back(tmp_path: Path) -> None:
    handlers = (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP))
    write_atomically(str(tmp_path / "a.txt"), "text\n")
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)) == handlers
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == set()


def test_a_write_from_another_thread_works(tmp_path: Path) -> None:
    errors: list[BaseException] = []

    def write() -> None:
        try:
            write_atomically(str(tmp_path / "a.txt"), b"bytes\n")
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    assert errors == []
    assert (tmp_path / "a.txt").read_bytes() == b"bytes\n"


# ---------------------------------------------------------------- places that cannot be written


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "the output file name is empty"),
        (".", ".: cannot write: is a folder"),
        ("{tmp}", "{tmp}: cannot write: is a folder"),
        ("{tmp}/new/", "{tmp}/new/: cannot write: names a folder, not a file"),
        ("{tmp}/" + "x" * 300, "{tmp}/" + "x" * 300 + ": cannot write: file name too long"),
        ("{tmp}/missing/r.md", "{tmp}/missing/r.md: folder {tmp}/missing does not exist"),
        ("{tmp}/audit.yaml/r.md", "{tmp}/audit.yaml/r.md: cannot write: a part of the path is not a folder"),
        ("{tmp}/loop", "{tmp}/loop: cannot write: too many levels of symbolic links"),
        ("/dev/full", "/dev/full: cannot write: no space left on device"),
    ],
    ids=["empty", "dot", "folder", "trailing slash", "too long", "no folder", "file as folder", "loop", "/dev/full"],
)
def test_a_place_that_cannot_be_written_is_one_line_and_exit_2(
    tmp_path: Path, audit: Path, name: str, message: str
) -> None:
    (tmp_path / "loop").symlink_to("loop")
    before = snapshot(tmp_path)
    name, message = name.replace("{tmp}", str(tmp_path)), message.replace("{tmp}", str(tmp_path))
    new = ["new", "test-basic", "--standard-file", str(tmp_path / "standard.yaml"), "-o", name]
    for command in (report_args(audit, "-o", name), new):
        result = run(*command)
        assert result.stdout == ""
        assert_refused(result, message)
    assert snapshot(tmp_path) == before


def _read_only_run(folder: Path, *args: str) -> tuple[subprocess.CompletedProcess[bytes], list[str]]:
    """Run the CLI with ``folder`` read-only: a read-only bind mount in a private mount namespace as root
    (the mount ends with the process), permissions 0555 otherwise. Returns the run and the folder's entries
    as the run left them."""
    if not IS_ROOT:
        folder.chmod(0o555)
        try:
            return process(*args, stdout=subprocess.PIPE), sorted(os.listdir(folder))
        finally:
            folder.chmod(0o755)
    if shutil.which("unshare") is None:
        pytest.skip("running as root, which may write anywhere, and unshare(1) is missing for a read-only mount")
    script = (
        'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" || exit 99; "$@"; code=$?; ls -A "$0"; exit $code'
    )
    environ = {k: v for k, v in os.environ.items() if k != "COLUMNS"} | ISOLATED | {"PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, str(folder), *CLI, *args],
        env=environ,
        capture_output=True,
        timeout=60,
        check=False,
    )
    if done.returncode == 99 or b"unshare failed" in done.stderr:
        pytest.skip("running as root, which may write anywhere, and no read-only bind mount is allowed here")
    return done, done.stdout.decode().split()


@pytest.mark.parametrize("existing", [False, True], ids=["new file", "existing file"])
def test_a_read_only_folder_is_one_line_and_exit_2(tmp_path: Path, audit: Path, existing: bool) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    out = folder / "report.md"
    if existing:
        out.write_text("mine\n")
    result, left = _read_only_run(folder, *report_args(audit, "-o", str(out)))
    reason = "read-only file system" if IS_ROOT else "permission denied"
    assert_refused(result, f"{out}: cannot write: {reason}")
    assert left == (["report.md"] if existing else [])
    if existing:
        assert out.read_text() == "mine\n"


@pytest.mark.skipif(IS_ROOT, reason="root may replace a read-only file; a non-root run checks the refusal")
def test_a_read_only_file_is_not_replaced(tmp_path: Path, audit: Path) -> None:
    out = tmp_path / "report.md"
    out.write_text("mine\n")
    out.chmod(0o444)
    before = snapshot(tmp_path)
    result = run(*report_args(audit, "-o", str(out)))
    assert_refused(result, f"{out}: cannot write: permission denied (the file is read-only)")
    assert snapshot(tmp_path) == before


def test_a_full_disk_leaves_no_partial_file(tmp_path: Path, audit: Path) -> None:
    """A 4 KiB tmpfs in a private mount namespace; the HTML report is larger."""
    if not IS_ROOT or shutil.which("unshare") is None:
        pytest.skip("a small file system to fill needs root and unshare(1) (/dev/full covers devices)")
    folder = tmp_path / "small"
    folder.mkdir()
    out = folder / "report.html"
    script = 'mount -t tmpfs -o size=4k tmpfs "$0" || exit 99; "$@"; code=$?; ls -A "$0"; exit $code'
    environ = {k: v for k, v in os.environ.items() if k != "COLUMNS"} | ISOLATED | {"PYTHONIOENCODING": "utf-8"}
    args = report_args(audit, "--format", "html", "-o", str(out))
    done = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, str(folder), *CLI, *args],
        env=environ,
        capture_output=True,
        timeout=60,
        check=False,
    )
    if done.returncode == 99:
        pytest.skip("mounting a tmpfs is not allowed here")
    assert_refused(done, f"{out}: cannot write: no space left on device")
    assert done.stdout == b""  # `ls -A` of the full file system: nothing left behind


def test_a_file_size_limit_is_one_line_and_exit_2(tmp_path: Path, audit: Path) -> None:
    out = tmp_path / "report.md"
    before = snapshot(tmp_path)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    result = process(*report_args(audit, "-o", str(out)), stdout=subprocess.PIPE, preexec_fn=limit)
    assert_refused(result, f"{out}: cannot write: file too large (over the file-size limit)")
    assert result.stdout == b""
    assert snapshot(tmp_path) == before


def test_text_that_utf8_cannot_encode_is_an_error_not_a_partial_file(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as caught:
        write_atomically(str(tmp_path / "r.md"), "ok \ud800")
    assert str(caught.value) == f"{tmp_path / 'r.md'}: cannot write: the encoding utf-8 cannot represent U+D800"
    assert isinstance(caught.value, CorengineError)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- standard output


def _closed_pipe() -> int:
    """The writing end of a pipe whose reading end is already closed: every write fails with EPIPE."""
    read, write = os.pipe()
    os.close(read)
    return write


@pytest.mark.parametrize("args", [["score"], ["report"]], ids=["score", "report"])
def test_a_reader_gone_from_standard_output_stops_the_command_quietly(audit: Path, args: list[str]) -> None:
    """`corengine ... | head`: as git and pytest do, no message, status 141 (128 + SIGPIPE)."""
    stdout = _closed_pipe()
    try:
        result = process(
            args[0], str(audit), *args[1:], "--standard-file", str(audit.parent / "standard.yaml"), stdout=stdout
        )
    finally:
        os.close(stdout)
    assert (result.returncode, result.stderr) == (141, b"")


def test_a_closed_pipe_named_as_the_output_file_is_one_line_and_exit_2(audit: Path) -> None:
    stdout = _closed_pipe()
    try:
        result = process(
            "report", str(audit), "-o", "/dev/stdout", "--standard-file", str(audit.parent / "standard.yaml"),
            stdout=stdout,
        )  # fmt: skip
    finally:
        os.close(stdout)
    assert_refused(result, "/dev/stdout: cannot write: broken pipe (the reading end was closed)")


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "PYTHONUNBUFFERED"])
def test_a_reader_that_stops_early_stops_the_command_quietly(audit: Path, unbuffered: bool) -> None:
    """`corengine explain ... | head -c 1`: the reader takes one byte and leaves while the write is blocked on a
    full pipe (made one page small, so the 8 KB explanation cannot fit). Unbuffered, the write returns the part
    written, and a text stream over the raw file would drop the rest and exit 0."""
    fcntl = pytest.importorskip("fcntl")
    if not hasattr(fcntl, "F_SETPIPE_SZ"):
        pytest.skip("the pipe size cannot be set on this system")
    read, write = os.pipe()
    fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, 4096)
    args = [*CLI, "explain", str(audit), "--format", "json", "--standard-file", str(audit.parent / "standard.yaml")]
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "PYTHONUNBUFFERED")} | ISOLATED
    if unbuffered:
        environ["PYTHONUNBUFFERED"] = "1"
    with subprocess.Popen(args, env=environ, stdout=write, stderr=subprocess.PIPE) as child:
        os.close(write)
        assert len(os.read(read, 1)) == 1
        os.close(read)
        assert child.stderr is not None
        code, err = child.wait(60), child.stderr.read().decode()
    assert "Traceback" not in err
    assert (code, err) == (141, "")  # quiet, as a reader that stops early expects


@pytest.mark.parametrize("command", ["score", "report"])
def test_a_full_standard_output_is_one_line_and_exit_2(audit: Path, command: str) -> None:
    with open("/dev/full", "wb") as full:
        result = process(command, str(audit), "--standard-file", str(audit.parent / "standard.yaml"), stdout=full)
    assert_refused(result, "standard output: cannot write: no space left on device")


def test_a_closed_standard_output_is_an_error_when_something_is_printed(tmp_path: Path, audit: Path) -> None:
    def close_stdout() -> None:
        os.close(1)

    result = process(*report_args(audit), preexec_fn=close_stdout)
    assert_refused(result, "standard output: cannot write: it is closed")
    result = process(
        "score", str(audit), "--standard-file", str(audit.parent / "standard.yaml"), preexec_fn=close_stdout
    )
    assert_refused(result, "standard output: cannot write: it is closed")
    out = tmp_path / "report.md"  # nothing to print: a closed standard output does not matter
    result = process(*report_args(audit, "-o", str(out)), preexec_fn=close_stdout)
    assert (result.returncode, result.stderr) == (0, f"wrote {out}\n".encode())
    assert out.read_text() == report_text(audit)


TEXT_COMMANDS = [
    ["score"],
    ["score", "--format", "json"],
    ["explain"],
    ["plan"],
    ["report"],
    ["report", "--format", "md"],
]
"""Commands whose text output holds characters a latin-1 or ASCII terminal lacks (the em dash of the headers)."""


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
@pytest.mark.parametrize("command", TEXT_COMMANDS, ids=" ".join)
def test_every_command_prints_to_a_terminal_that_lacks_characters_alike(
    audit: Path, command: list[str], encoding: str
) -> None:
    """What ``score`` did on an ASCII terminal, ``report`` and every other command now do on latin-1 and ASCII too:
    the characters the encoding lacks shown as their look-alikes (``—`` as ``-``), never an error."""
    args = [command[0], str(audit), "--standard-file", str(audit.parent / "standard.yaml"), *command[1:]]
    full = process(*args, stdout=subprocess.PIPE)
    assert (full.returncode, full.stderr) == (0, b"")
    text = full.stdout.decode("utf-8")
    assert "—" in text or command[0] == "plan" or command[1:] == ["--format", "json"]
    result = process(*args, stdout=subprocess.PIPE, env={"PYTHONIOENCODING": encoding})
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout.decode(encoding) == substituted(text, encoding)
    assert "—" not in result.stdout.decode(encoding)


def test_characters_without_a_look_alike_are_escaped_and_the_rest_kept() -> None:
    assert substituted("Élan — 5 ≥ 3… ☃", "latin-1") == "Élan - 5 >= 3... \\u2603"
    assert substituted("Élan — 5 ≥ 3… ☃", "ascii") == "\\xc9lan - 5 >= 3... \\u2603"
    assert substituted("Élan — ☃", "utf-8") == "Élan — ☃"


def test_html_goes_out_as_the_utf_8_it_declares_whatever_the_terminal(audit: Path) -> None:
    utf8 = process(*report_args(audit, "--format", "html"), stdout=subprocess.PIPE)
    latin = process(
        *report_args(audit, "--format", "html"), stdout=subprocess.PIPE, env={"PYTHONIOENCODING": "latin-1"}
    )
    assert (latin.returncode, latin.stderr) == (0, b"")
    assert latin.stdout == utf8.stdout and b'<meta charset="utf-8">' in latin.stdout
    assert "—".encode() in latin.stdout


def test_an_encoding_problem_writing_a_file_never_happens(tmp_path: Path, audit: Path) -> None:
    """Files are UTF-8 whatever standard output's encoding is."""
    out = tmp_path / "report.md"
    result = process(*report_args(audit, "-o", str(out)), env={"PYTHONIOENCODING": "latin-1"})
    assert (result.returncode, result.stderr) == (0, f"wrote {out}\n".encode())
    assert "—" in out.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the checks themselves


def test_check_output_says_what_kind_of_place_an_output_is(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    os.mkfifo(tmp_path / "fifo")
    kinds: dict[str, Callable[[], str]] = {
        "-": lambda: check_output("-").kind,
        "new": lambda: check_output(str(tmp_path / "new")).kind,
        "file": lambda: check_output(str(tmp_path / "file")).kind,
        "fifo": lambda: check_output(str(tmp_path / "fifo")).kind,
        "null": lambda: check_output("/dev/null").kind,
    }
    assert {k: f() for k, f in kinds.items()} == {
        "-": "stdout",
        "new": "new",
        "file": "file",
        "fifo": "stream",
        "null": "stream",
    }
