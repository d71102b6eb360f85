"""The model host: one process that loads the spaCy model and runs the model's work for this process.

A cold ``report-facts run`` of a short document spent about a third of its main process's CPU
importing spaCy and loading the model, in a thread that competed for the GIL with what the
main process does meanwhile (imports, opening the instance, creating the Dagster run), which
is the whole critical path. ``start`` forks a host at the beginning of the run instead: it
loads the model on the other core while the main process works, then runs the functions the
steps hand to ``run`` (fact extraction, money flows: rows in, rows out). Its own model workers
(``modelpool``) fork from it, small, as they forked from the main process before.

Without a host, or in a process forked from the one that started it (document processes),
``run`` calls the function here: tests, ``dagster dev``, queue workers and the multiprocess
executor load the model in-process as before. A host that cannot load the model, or dies,
fails the call with the reason; after a death the next calls run in-process. The host exits
when its owner closes the connection, exits or dies, so it never outlives the command.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from pipeline.timing import mark

__all__ = ["ModelHostError", "load_for_steps", "run", "start", "stop"]

_STOP_SECONDS = 5.0  # a host asked to stop that is still busy after this is killed
# each side, while it waits on the other, looks this often whether the other is still alive: the other's end
# of the connection may stay open in processes forked from it (model workers, readers), so no EOF need come
_LIVENESS_SECONDS = 1.0


class ModelHostError(RuntimeError):
    """The model host could not do the work: it died, or the model failed to load; the message says why."""


@dataclass
class _Host:
    model: str
    process: BaseProcess
    conn: Connection
    owner: int  # the process that started it: only it talks to the host
    lock: threading.Lock = field(default_factory=threading.Lock)


_host: _Host | None = None


def load_for_steps(model: str) -> str | None:
    """Both pipelines of ``model`` loaded (``pipeline.extract.nlp``) and the rules of the work imported, while
    no step waits yet (here, or in the process that forks the document processes); the reason when that failed."""
    try:
        import pipeline.extract.facts
        import pipeline.extract.flows  # noqa: F401
        from pipeline.extract.nlp import load_nlp

        load_nlp(model)
    except Exception as exc:
        return f"the spaCy model {model!r} failed to load: {type(exc).__name__}: {exc}"
    return None


def _serve(conn: Connection, model: str, owner: int) -> None:
    """The host's loop: a call at a time, until the owner closes the connection or is gone."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the owner's handler (Dagster's catches SIGTERM)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the owner's to handle; it then closes the connection
    mark("(model host)", "import spaCy, load the model")  # its own chain of marks: the run's stay whole
    failure = load_for_steps(model)
    mark("(model host)", "serve the steps" if failure is None else "the model failed to load")
    while True:
        if not conn.poll(_LIVENESS_SECONDS):
            if os.getppid() != owner:  # the owner died
                return
            continue
        try:
            call = conn.recv()
        except EOFError:  # the owner exited
            return
        if call is None:  # the owner stops the host
            return
        target, args = call
        try:
            if failure is not None:
                raise ModelHostError(failure)
            reply = ("ok", _resolve(target)(*args))
        except Exception as exc:  # reported to the caller, which raises it
            reply = ("error", f"{type(exc).__name__}: {exc}")
        try:
            _reply(conn, reply)
        except OSError:  # the owner is gone
            return


def _reply(conn: Connection, reply: tuple[str, Any]) -> None:
    try:
        payload = pickle.dumps(reply)
    except Exception as exc:  # a result that cannot travel fails the call, not the host
        payload = pickle.dumps(("error", f"its result cannot be sent: {type(exc).__name__}: {exc}"))
    conn.send_bytes(payload)


def start(model: str) -> None:
    """Fork this process's model host for ``model``, which starts loading it at once (no-op if it runs)."""
    global _host
    if _host is not None and _host.owner == os.getpid() and _host.model == model and _host.process.is_alive():
        return
    stop()
    ctx = multiprocessing.get_context("fork")
    mine, theirs = ctx.Pipe()
    gc.freeze()  # objects from before the fork stay shared: the host's GC never touches them
    try:
        process = ctx.Process(target=_serve, args=(theirs, model, os.getpid()), name="model-host")
        process.start()
    finally:
        gc.unfreeze()
    theirs.close()
    _host = _Host(model, process, mine, os.getpid())
    atexit.unregister(stop)
    atexit.register(stop)  # runs before multiprocessing's exit handler, which would wait for the host to end


def stop() -> None:
    """End this process's model host, if it started one (processes forked since hold the connection too,
    so the host is told, not left to see it close)."""
    global _host
    host, _host = _host, None
    if host is None or host.owner != os.getpid():
        return
    with contextlib.suppress(OSError):  # a host that died is only joined
        host.conn.send(None)
    host.conn.close()
    host.process.join(_STOP_SECONDS)
    if host.process.is_alive():
        host.process.kill()
        host.process.join()


def _resolve(target: str) -> Callable[..., Any]:
    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)


def run(target: str, *args: Any) -> Any:
    """``module:function`` called with ``args`` in the model host this process started, else here.

    The function is named, not passed, so that a process with a host never imports spaCy; arguments
    and result travel pickled. Raises ``ModelHostError`` with the reason when the host cannot do it.
    """
    global _host
    host = _host
    if host is None or host.owner != os.getpid():
        return _resolve(target)(*args)
    with host.lock:
        try:
            host.conn.send((target, args))
            while not host.conn.poll(_LIVENESS_SECONDS):
                if not host.process.is_alive():
                    raise EOFError
            status, payload = pickle.loads(host.conn.recv_bytes())
        except (EOFError, OSError) as exc:
            host.process.join(_STOP_SECONDS)
            code = host.process.exitcode
            host.conn.close()
            if _host is host:
                _host = None  # later calls run in-process
            raise ModelHostError(f"the model host exited (code {code}) during {target}") from exc
    if status != "ok":
        raise ModelHostError(f"{target} in the model host: {payload}")
    return payload
