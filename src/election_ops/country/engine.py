"""Where the unit tasks run: in this process (``local``), or on Dask distributed (``dask``).

Dask distributed, not Ray: it is a pure-Python install (no 200 MB wheel, no daemon), its
``LocalCluster`` starts on this machine with nothing to set up, ``--address`` joins an
existing cluster (``dask scheduler`` + ``dask worker`` on N machines), and its scheduler
re-runs a task whose worker died. A plain process pool (``process``) is kept for measuring
the engine's overhead (bench) and as a fallback without a scheduler.

Every engine calls ``on_result`` in this process as each unit finishes, in completion order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..errors import UsageError
from .unit_task import UnitTask, plan_unit, warm_up

ENGINES = ("dask", "local", "process")
ResultHook = Callable[[dict], None]
StartHook = Callable[[str], None]


def run_tasks(tasks: Sequence[UnitTask], *, engine: str, workers: int, address: str | None,
              on_result: ResultHook, on_start: StartHook | None = None) -> None:
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if address and engine != "dask":
        raise UsageError("--address joins a Dask cluster: use it with --engine dask")
    if not tasks:
        return
    if engine == "local":
        for task in tasks:
            if on_start:
                on_start(task.code)
            on_result(plan_unit(task))
    elif engine == "process":
        _run_process_pool(tasks, workers, on_result)
    else:
        _run_dask(tasks, workers, address, on_result)


def _run_process_pool(tasks: Sequence[UnitTask], workers: int, on_result: ResultHook) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # spawn, not fork: a forked child would inherit the parent's threads and solver state
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=warm_up) as pool:
        futures = {pool.submit(plan_unit, task): task for task in tasks}
        for future in as_completed(futures):
            on_result(_result_of(future, futures[future]))


def _run_dask(tasks: Sequence[UnitTask], workers: int, address: str | None, on_result: ResultHook) -> None:
    import logging

    from distributed import Client, LocalCluster, as_completed

    logging.getLogger("distributed").setLevel(logging.ERROR)  # its INFO lines would bury the progress display
    cluster = None
    if address:
        client = Client(address, timeout="30s")
    else:
        # one thread per worker process: CP-SAT runs one search worker, and the GIL would serialise threads
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        client.run(warm_up)  # every worker now, in parallel; see warm_up
        futures = client.map(plan_unit, list(tasks), key=[f"unit-{t.code}-{t.input_key[:12]}" for t in tasks],
                             pure=False, retries=2)
        by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        for future in as_completed(futures):
            on_result(_result_of(future, by_key[future.key]))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _result_of(future, task: UnitTask) -> dict:
    """The task's own record, or a failure record when the engine lost it (e.g. its worker kept dying)."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - recorded, and the other units go on
        return {"code": task.code, "sido": task.sido, "sigungu": task.sigungu, "input_key": task.input_key,
                "status": "failed", "error": f"engine: {type(exc).__name__}"}


