"""Where runs are computed: every executor is a ``concurrent.futures.Executor``.

- ``serial``: in this process, one chunk at a time;
- ``process``: a process pool (default: all cores), workers started from a forkserver that has the
  model imported already, so a worker costs a fork, not a fresh interpreter;
- ``dask``: a Dask distributed cluster (``pip install -e '.[dask]'``) — a running scheduler at
  ``scheduler`` (``tcp://host:8786``) or, without one, a local cluster of ``workers`` processes.

Results do not depend on the executor: each run's seed comes from its index, and chunks are written
under their own index whatever order they finish in.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing as mp
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

ExecutorKind = Literal["serial", "process", "dask"]
EXECUTORS: tuple[str, ...] = ("serial", "process", "dask")


class ExecutorError(RuntimeError):
    """An executor that cannot start (e.g. an unreachable scheduler); one line."""


class SerialExecutor(cf.Executor):
    """Runs each task when it is submitted, in this process (for debugging, tests and one core)."""

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> cf.Future:
        fut: cf.Future = cf.Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as e:
            if isinstance(e, KeyboardInterrupt):
                raise
            fut.set_exception(e)
        return fut


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which stops the sweep and keeps what finished."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def worker_context() -> mp.context.BaseContext:
    """How worker processes start: forked from a server that has the model imported (spawn elsewhere)."""
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["model", "experiments.runner", "experiments.warm"])
        return ctx
    return mp.get_context("spawn")


@contextmanager
def make_executor(kind: ExecutorKind = "process", workers: int | None = None,
                  scheduler: str | None = None) -> Iterator[tuple[cf.Executor, int]]:
    """Yield ``(executor, parallelism)``; the executor is shut down on exit."""
    if workers is not None and workers < 1:
        raise ExecutorError(f"--workers must be at least 1, got {workers}")
    if scheduler is not None:
        kind = "dask"
    if kind == "serial":
        yield SerialExecutor(), 1
    elif kind == "process":
        n = workers or default_workers()
        ex = cf.ProcessPoolExecutor(max_workers=n, mp_context=worker_context(), initializer=ignore_sigint)
        try:
            yield ex, n
        finally:
            ex.shutdown(wait=False, cancel_futures=True)
    elif kind == "dask":
        with _dask_client(workers, scheduler) as (client, n):
            yield client.get_executor(pure=False), n
    else:
        raise ExecutorError(f"unknown executor {kind!r}; known: {', '.join(EXECUTORS)}")


@contextmanager
def _dask_client(workers: int | None, scheduler: str | None):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ExecutorError("the dask executor needs the dask extra: pip install -e '.[dask]'") from None
    import logging

    for name in ("distributed", "distributed.worker", "distributed.scheduler", "distributed.nanny"):
        logging.getLogger(name).setLevel(logging.ERROR)
    cluster = None
    try:
        if scheduler is None:
            cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as e:
        if cluster is not None:
            cluster.close()
        where = scheduler or "a local cluster"
        raise ExecutorError(f"cannot reach the Dask scheduler at {where}: {str(e).splitlines()[0]}") from None
    try:
        n = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()) or 1
        yield client, n
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
