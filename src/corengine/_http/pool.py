"""Scoring processes: the work of a request (reading its upload, scoring, rendering) run in one of a pool of
worker processes, each with its own :class:`Engine` built once, so that work over the time limit is stopped.

A thread cannot be stopped: a request answered 503 at its time limit would leave its thread working alone (a few
hostile uploads then pin every core). A process can: at the limit its worker is killed (``SIGKILL``), the work
ends with it, and a new worker is started in its place. Workers are started with ``spawn`` (a fresh interpreter:
nothing of the service's threads or event loop is copied), ignore ``SIGINT`` (the service stops them) and run at a
lower priority than the service (:data:`WORKER_NICENESS`).

A task is a module-level function (so that it pickles by name) called in the worker as ``function(engine,
*args)``; it answers ``("ok", value)``, ``("problem", ServiceProblem)`` for an error the service answers with a
problem document, or ``("error", None)`` for anything unexpected (logged by the worker with its traceback).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from corengine._http.limits import LOG

T = TypeVar("T")

Task = tuple[Callable[..., Any], tuple[Any, ...]]
Answer = tuple[str, Any]
Perform = Callable[[Any, Callable[..., Any], tuple[Any, ...]], Answer]


WORKER_NICENESS = 5
"""How much lower a scoring process's scheduling priority is than the service's (``os.nice``): with every core
busy scoring, the process that answers the light routes and reads the requests is still scheduled first."""


class WorkFailed(Exception):
    """A scoring process failed unexpectedly (its traceback is in the server's log) or died."""


def log_to_stderr() -> None:
    """One line per record on standard error for the service's logger, when nothing configured it."""
    if not LOG.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        LOG.addHandler(handler)
        LOG.setLevel(logging.INFO)
        LOG.propagate = False


def _worker_main(
    connection: multiprocessing.connection.Connection,
    setup: Callable[[], Any],
    perform: Perform,
) -> None:
    """A worker process: build its context (the engine) once, then answer tasks until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICENESS)  # the service's own process (its light routes, its event loop) goes first
    log_to_stderr()
    context = setup()
    connection.send(("ready", os.getpid()))
    while True:
        try:
            function, args = connection.recv()
        except (EOFError, OSError):  # the service went away
            return
        try:
            connection.send(perform(context, function, args))
        except (BrokenPipeError, OSError):
            return


class Worker:
    """One worker process and its end of the pipe to it."""

    def __init__(self, process: BaseProcess, connection: multiprocessing.connection.Connection) -> None:
        self.process = process
        self.connection = connection
        self.ready = False

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def call(self, task: Task) -> Answer:
        """Send ``task`` and wait for its answer (blocking: run in a thread)."""
        try:
            self.connection.send(task)
            answer: Answer = self.connection.recv()
        except (EOFError, OSError):
            raise WorkFailed(f"the scoring process {self.pid} ended without an answer") from None
        return answer

    def stop(self) -> None:
        """Kill the process (its work ends with it) and reap it."""
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        self.process.join(5)
        self.connection.close()


class Pool:
    """``size`` worker processes, each running ``setup()`` once; :meth:`run` gives a task to an idle one and,
    when the request is cancelled (its time limit), kills that worker and starts another."""

    def __init__(self, size: int, setup: Callable[[], Any], perform: Perform) -> None:
        self.size = size
        self.setup = setup
        self.perform = perform
        self.context = multiprocessing.get_context("spawn")
        self.idle: list[Worker] = []
        self.lock = threading.Lock()
        self.replaced = 0
        """Workers killed at a time limit (or after dying) and started again."""
        self._slots: anyio.Semaphore | None = None
        self.closed = False

    def start(self) -> None:
        """Start every worker (they build their engines in parallel, while the service starts)."""
        for _ in range(self.size):
            self.idle.append(self._spawn())

    def _spawn(self) -> Worker:
        ours, theirs = self.context.Pipe()
        process = self.context.Process(
            target=_worker_main, args=(theirs, self.setup, self.perform), name="corengine-scoring", daemon=True
        )
        process.start()
        theirs.close()
        return Worker(process, ours)

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """``function(engine, *args)`` in an idle worker (waiting for one); a cancellation kills the worker."""
        if self._slots is None:
            self._slots = anyio.Semaphore(self.size)
        async with self._slots:
            with self.lock:
                worker = self.idle.pop() if self.idle else None
            if worker is None:  # a replacement could not be started (out of descriptors): try again now
                worker = self._spawn()
            try:
                await self._ready(worker)
            except BaseException as exc:  # given no task yet: kept as it is, unless it died
                if isinstance(exc, WorkFailed):
                    with anyio.CancelScope(shield=True):
                        await anyio.to_thread.run_sync(self._replace, worker, exc)
                else:
                    with self.lock:
                        self.idle.append(worker)
                raise
            try:
                answer = await anyio.to_thread.run_sync(worker.call, (function, args), abandon_on_cancel=True)
            except BaseException as exc:
                with anyio.CancelScope(shield=True):
                    await anyio.to_thread.run_sync(self._replace, worker, exc)
                raise
            with self.lock:
                self.idle.append(worker)
        kind, value = answer
        if kind == "ok":
            result: T = value
            return result
        if kind == "problem":
            raise value
        raise WorkFailed("a scoring process failed; the error was logged on the server")

    async def _ready(self, worker: Worker) -> None:
        """Wait (without a thread, so a cancellation leaves the worker untouched) until ``worker`` has built its
        engine: a request that runs out of time while a new worker starts does not kill it."""
        while not worker.ready:
            if worker.connection.poll():
                try:
                    worker.connection.recv()  # ("ready", pid)
                except (EOFError, OSError):
                    raise WorkFailed(f"the scoring process {worker.pid} ended while it started") from None
                worker.ready = True
            elif not worker.process.is_alive():
                raise WorkFailed(f"the scoring process {worker.pid} ended while it started")
            else:
                await anyio.sleep(0.02)

    def _replace(self, worker: Worker, exc: BaseException) -> None:
        pid = worker.pid
        worker.stop()
        if self.closed:
            return
        try:
            fresh = self._spawn()
        except OSError as error:  # the next task starts one
            LOG.warning("scoring process %s stopped; no process could be started in its place (%s)", pid, error)
            return
        with self.lock:
            self.idle.append(fresh)
            self.replaced += 1
        why = "it died" if isinstance(exc, WorkFailed) else "its request ran out of time"
        LOG.info("scoring process %s stopped (%s); process %s started in its place", pid, why, fresh.pid)

    def close(self) -> None:
        """Stop every worker."""
        self.closed = True
        with self.lock:
            workers, self.idle = self.idle, []
        for worker in workers:
            worker.stop()
