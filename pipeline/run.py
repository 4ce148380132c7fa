"""Engines for bulk ingest: a local process pool, or a Dask cluster; SQLite or Parquet out.

    python cli.py ingest DIR --db corpus.sqlite                    # local pool, every core
    python cli.py ingest DIR --db corpus.sqlite -j 2
    python cli.py ingest DIR --db corpus.sqlite --engine dask      # a LocalCluster on this machine
    python cli.py ingest DIR --db corpus.sqlite --engine dask --scheduler tcp://HOST:8786
    python cli.py ingest DIR --db corpus.sqlite --engine dask --parquet-out parts/
    python cli.py merge parts/ --db corpus.sqlite

Whatever the engine, one code path (``pipeline.ingest``):

1. the main process walks the inputs lazily (``iter_paths``) and cuts them into chunks of
   ``CHUNK`` paths (one task each: a task per file would cost more than the file);
2. a worker runs ``ingest.classify`` on each path of a chunk: hash the bytes, skip content
   whose id is in the set of ids stored when the run started (shipped to each worker once),
   else ``process_one`` (load, clean, metadata, extract: pure);
3. results come back **in input order** (a bounded window of chunks in flight: memory does
   not grow with the corpus) to the single writer in the main process, which commits in
   batches (SQLite allows one writer). Input order makes every engine leave the same rows;
4. with ``parquet_out`` the workers write each chunk's documents, texts and figures to
   ``part-NNNNNN.{documents,texts,figures}.parquet`` instead (a chunk redone after a worker
   crash: ``part-NNNNNN-MMMMMM.*``, one file each), and ``merge`` loads those into SQLite once,
   in part order, through the same writer (a second merge skips everything).

Dask workers must see the input paths (and ``parquet_out``) at the same names: a shared
filesystem on a cluster. On SLURM, with ``dask-jobqueue`` (optional extra ``cluster``)::

    # slurm_ingest.py: run on the login node; each SLURM job is one Dask worker
    from dask_jobqueue import SLURMCluster
    from distributed import Client
    from pipeline.run import run

    cluster = SLURMCluster(cores=1, processes=1, memory="2GB", walltime="02:00:00",
                           job_extra_directives=["--partition=short"])
    cluster.scale(jobs=32)
    run(["/shared/reports"], "/shared/corpus.sqlite", engine="dask", client=Client(cluster))

or start the scheduler yourself (``dask scheduler`` and ``dask worker tcp://HOST:8786
--nworkers 1 --nthreads 1`` per core, e.g. from an sbatch array) and pass
``--scheduler tcp://HOST:8786``.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections import deque
from collections.abc import Callable, Container, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from pipeline import ingest as ing
from pipeline import store
from pipeline.types import HuibaoError, LoadError

#: paths per task: a few tens of ms of work, so task overhead (pickling, IPC, scheduling)
#: stays under a few per cent, and the tail of a run does not leave one core idle for long
CHUNK = 32
#: documents per transaction in bulk runs (or fewer: ``Writer`` commits every 2 s): each
#: commit syncs the journal and rewrites the index pages it touched, so bigger batches write
#: faster (measured on 24,000 documents, writer only: 64 -> 2.6 ms a document, 256 -> 2.2,
#: 1024 -> 1.8); a kill loses at most one batch of (redoable) work
BULK_BATCH = 1024
#: chunks in flight per worker: enough to keep workers busy while the writer commits and indexes
#: (~0.2 s for 256 texts); 4 let them stall when the writer still did a batch's work all at once
#: (4,000 reports, 2 workers, two runs each: 4 -> 162 and 155 docs/s, 16 -> 181 and 164), at
#: the price of up to 16 x 2 x 32 results held in memory
WINDOW_PER_WORKER = 16

ENGINES = ("local", "dask")


def chunks(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """Lists of ``size`` items, lazily.

    >>> list(chunks(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


# ---------------------------------------------------------------- what a worker does with a chunk

def work_chunk(chunk: list[str], shared: dict[str, Any]) -> list[ing.Result]:
    """Classify and process every path of a chunk (on a worker)."""
    if shared.get("quiet"):  # a Dask worker is no fork of the process that was told so
        ing.quiet_libraries()
    stored: Container[str] = shared["stored"]
    return [ing.classify(p, shared["extractor"], stored, shared["process"]) for p in chunk]


def parquet_chunk(item: tuple[str, list[str]], shared: dict[str, Any]) -> list[ing.Result]:
    """Process a chunk and write its rows as Parquet part ``item[0]``; returns light results.

    Records are replaced by ``(doc_id, pipeline_version, ok, error)`` so that only counts cross the wire.
    """
    name, chunk = item
    return _write_light(Path(shared["out"]), name, work_chunk(chunk, shared))


def _write_light(out: Path, name: str, results: list[ing.Result]) -> list[ing.Result]:
    """Write the records of ``results`` as part ``name``; the results with their records made light."""
    write_part(out, name, [r for r in results if r[1] == "record"])
    light: list[ing.Result] = []
    for path, kind, payload in results:
        if kind == "record":
            doc_id, rec = payload
            payload = (doc_id, rec.document.get("pipeline_version"), rec.ok, rec.document.get("error"))
        light.append((path, kind, payload))
    return light


def split_part(item: tuple[str, list[str]]) -> list[tuple[str, list[str]]]:
    """A part's chunk as parts of one path each, named after it so that they sort in its place.

    >>> split_part(("000012", ["a.txt", "b.txt"]))
    [('000012-000000', ['a.txt']), ('000012-000001', ['b.txt'])]
    """
    name, chunk = item
    return [(f"{name}-{i:06d}", [path]) for i, path in enumerate(chunk)]


def crashed_part(item: tuple[str, list[str]], shared: dict[str, Any]) -> list[ing.Result]:
    """``crashed_chunk`` for a part of ``--parquet-out``: the failed documents are written as the part."""
    name, chunk = item
    return _write_light(Path(shared["out"]), name, crashed_chunk(chunk, shared))


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    keys = list(dict.fromkeys(k for r in rows for k in r))
    return {k: [r.get(k) for r in rows] for k in keys}


def _arrow_table(rows: list[dict[str, Any]]) -> Any:
    """The rows as an Arrow table. A column whose values Arrow cannot give one type (a text where
    the other rows hold numbers) is written as text: merge hands it to SQLite, whose column
    affinity turns the numeric ones back into numbers, as it does for the same rows written
    directly. Until then one such value ended the whole ``--parquet-out`` run (ArrowInvalid)."""
    import pyarrow as pa

    columns = _columns(rows)
    try:
        return pa.table(columns)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    for key, values in columns.items():
        try:
            pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            columns[key] = [v if v is None else str(v) for v in values]
    return pa.table(columns)


def write_part(out: Path, name: str, results: list[ing.Result]) -> None:
    """Write one chunk's records as three Parquet files ``part-{name}.*``, atomically (rename once complete)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out.mkdir(parents=True, exist_ok=True)
    docs, texts, figs = [], [], []
    ids: set[str] = set()
    for _path, _kind, (doc_id, rec) in results:
        if rec.id in ids:  # the same content twice in a chunk: its rows once (merge keys them by id)
            continue
        ids.add(rec.id)
        # the hashed id, or none for unreadable bytes: merge needs it to skip repeated content
        docs.append({**rec.document, "_hashed_id": doc_id})
        if rec.text is not None:
            texts.append({"document_id": rec.id, "text": rec.text})
        figs.extend(rec.figures)
    name = f"part-{name}"
    # documents last: merge only reads a part whose documents file exists, so a worker
    # killed mid-part leaves nothing half-written behind
    for table, rows in (("texts", texts), ("figures", figs), ("documents", docs)):
        tmp = out / f".{name}.{table}.parquet.tmp"
        try:
            pq.write_table(_arrow_table(rows) if rows else pa.table({}), tmp)
        except BaseException:  # a full disk: no half-written file stays behind
            tmp.unlink(missing_ok=True)
            raise
        os.replace(tmp, out / f"{name}.{table}.parquet")


def part_ids(folder: Path, version: str, failed: dict[str, tuple[str, bool]] | None = None) -> Iterator[str]:
    """The content ids of the documents in the complete parts under ``folder`` written by
    ``version``: a rerun into the same folder skips them, so an interrupted ``--parquet-out``
    run resumes where it stopped instead of doing every file again. A part that cannot be
    read gives none (its files are done again). The failed ones go into ``failed`` too, as
    ``ingest.failed_ids`` gives them (a rerun counts them as failed again)."""
    import pyarrow.parquet as pq

    for doc_file in sorted(folder.glob("part-*.documents.parquet")):
        name = doc_file.name[: -len(".documents.parquet")]
        try:
            names = pq.read_schema(doc_file).names
            if "_hashed_id" not in names or "pipeline_version" not in names:
                continue  # a part of no documents
            for table_file in ("texts", "figures"):  # a damaged one makes the part undone (merge fails it)
                pq.read_schema(folder / f"{name}.{table_file}.parquet")
            columns = ["_hashed_id", "pipeline_version", *(c for c in ("status", "error") if c in names)]
            table = pq.read_table(doc_file, columns=columns).to_pydict()
        except (OSError, ValueError):
            continue
        statuses = table.get("status") or [None] * len(table["_hashed_id"])
        errors = table.get("error") or [None] * len(table["_hashed_id"])
        for doc_id, v, status, error in zip(table["_hashed_id"], table["pipeline_version"], statuses, errors):
            if doc_id is not None and v == version:
                if failed is not None and status == "failed":
                    failed[doc_id] = (f"{error or 'failed'} {ing.KNOWN_FAILURE}", True)
                yield doc_id


def read_parts(folder: str | Path) -> Iterator[ing.Result]:
    """The records of every complete part under ``folder``, in part order, as worker results."""
    import pyarrow.parquet as pq

    folder = Path(folder)
    if not folder.is_dir():
        raise HuibaoError(f"{folder}: no such folder of Parquet parts")
    parts = sorted(folder.glob("part-*.documents.parquet"))
    if not parts:
        raise HuibaoError(f"{folder}: no part-*.documents.parquet files (was it written by --parquet-out?)")
    for doc_file in parts:
        name = doc_file.name[: -len(".documents.parquet")]
        try:
            docs = pq.read_table(doc_file).to_pylist()
            texts = {r["document_id"]: r["text"] for r in pq.read_table(folder / f"{name}.texts.parquet").to_pylist()}
            figs: dict[str, list[dict[str, Any]]] = {}
            for f in pq.read_table(folder / f"{name}.figures.parquet").to_pylist():
                figs.setdefault(f["document_id"], []).append(f)
        except (OSError, ValueError) as e:  # pyarrow raises ArrowInvalid (a ValueError) on a bad file
            # one damaged part (a disk error, a copy cut short) fails on its own: the others merge,
            # and ``part_ids`` does not count it as done, so a rerun of the ingest writes it again
            yield (str(doc_file), "missing", f"cannot read the Parquet part ({str(e).splitlines()[0][:160]}); run the ingest "
                                             "with --parquet-out into this folder again to write its files anew")
            continue
        for doc in docs:
            doc_id = doc.pop("_hashed_id", None)
            doc = {k: v for k, v in doc.items() if v is not None}
            rec = store.Record(doc, texts.get(doc["id"]), figs.get(doc["id"], []))
            yield (doc["path"], "record", (doc_id, rec))


# ---------------------------------------------------------------- executors: ordered, bounded maps

_SHARED: dict[str, Any] = {}


def _pool_init(shared: dict[str, Any]) -> None:
    _die_with_parent()
    _SHARED.clear()
    _SHARED.update(shared)


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the ingest that started it dies (a kill leaves no orphans)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGTERM))  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the pool's own shutdown is all there is


def _pool_call(fn: Callable[[Any, dict[str, Any]], Any], item: Any) -> Any:
    return fn(item, _SHARED)


#: what a user can do about a file that crashes a native library
PDF_IN_PYTHON = '[pdf] engine = "pdfplumber" in $HUIBAO_DATA_DIR/loaders.toml reads PDFs in Python'
#: a file whose task kills its worker this many times in a row, each time on a fresh worker, is
#: recorded as failed: once could be the machine (the OOM killer picking a worker), not the file
CRASHES_PER_FILE = 2
#: files in a row recorded as crashing before the run stops: every file killing its worker is the
#: environment (a broken library, no memory), not the files
MAX_CRASHED_IN_A_ROW = 3


def split_chunk(chunk: list[Any]) -> list[list[Any]]:
    """A chunk of paths as chunks of one path each.

    >>> split_chunk(["a.txt", "b.txt"])
    [['a.txt'], ['b.txt']]
    """
    return [[x] for x in chunk]


def pool_map(fn: Callable[[Any, dict[str, Any]], list[Any]], items: Iterable[Any], shared: dict[str, Any],
             jobs: int | None = None,
             crashed: Callable[[Any, dict[str, Any]], list[Any]] | None = None,
             split: Callable[[Any], list[Any]] = split_chunk) -> Iterator[Any]:
    """``fn(item, shared)`` for each item on a pool of ``jobs`` processes, flattened, in order.

    ``shared`` (the stored ids, the extractor) goes to each worker once, not with every
    task. At most ``WINDOW_PER_WORKER * jobs`` tasks are in flight or waiting to be read.
    Closing the generator cancels what is queued and stops the workers.

    A worker that dies (a native library crashing on a file, the OOM killer) breaks the pool.
    Without ``crashed`` that ends the run (``BrokenProcessPool``). With it, the items that were
    in flight are cut into items of one path each (``split``: chunks of paths by default, or
    ``split_part`` for the named chunks of ``--parquet-out``) and run again one at a time on a
    pool of one worker (``_one_by_one``); one that kills its worker ``CRASHES_PER_FILE`` times
    yields ``crashed(item, shared)``, and the rest of the items go on in a new pool.
    """
    from concurrent.futures import ProcessPoolExecutor

    jobs = jobs or os.cpu_count() or 1
    window = WINDOW_PER_WORKER * jobs
    todo = iter(items)
    while True:
        pool = ProcessPoolExecutor(jobs, initializer=_pool_init, initargs=(shared,))
        pending: deque[tuple[Any, Any]] = deque()  # (item, future), in input order
        try:
            try:
                for item in todo:
                    pending.append((item, None))  # first: a pool that broke refuses the submit, and
                    pending[-1] = (item, pool.submit(_pool_call, fn, item))  # the item is redone too
                    if len(pending) >= window:
                        yield from pending[0][1].result()
                        pending.popleft()
                while pending:
                    yield from pending[0][1].result()
                    pending.popleft()
                return
            except BrokenProcessPool:
                if crashed is None:
                    raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        # every item not yet yielded was in flight: those whose results had come back are kept (so
        # their parts are not written twice); the rest are redone (pure work), a path at a time. A
        # worker that wrote its part just before the pool broke, the result not back yet, has its
        # chunk redone too: merge skips the repeated content
        todo_now: list[tuple[Any, list[Any] | None]] = []
        for item, fut in pending:
            if fut is not None and fut.done() and not fut.cancelled() and fut.exception() is None:
                todo_now.append((item, fut.result()))
            else:
                todo_now.extend((sub, None) for sub in split(item))
        yield from _one_by_one(fn, todo_now, shared, crashed)


def _one_by_one(fn: Callable[[Any, dict[str, Any]], list[Any]], entries: list[tuple[Any, list[Any] | None]],
                shared: dict[str, Any], crashed: Callable[[Any, dict[str, Any]], list[Any]]) -> Iterator[Any]:
    """The results of ``entries``, in order: ``(item, results)`` as they are, and for ``(item, None)``
    (an item of one path) ``fn(item, shared)``, one at a time on a pool of one worker, so that the
    item whose task kills the worker is known."""
    from concurrent.futures import ProcessPoolExecutor

    pool = None
    in_a_row = 0
    try:
        for item, done in entries:
            if done is not None:  # came back before the pool broke: a file in between, done
                in_a_row = 0
                yield from done
                continue
            for _attempt in range(CRASHES_PER_FILE):
                if pool is None:
                    pool = ProcessPoolExecutor(1, initializer=_pool_init, initargs=(shared,))
                try:
                    results = pool.submit(_pool_call, fn, item).result()
                    in_a_row = 0
                    break
                except BrokenProcessPool:
                    pool.shutdown(wait=True, cancel_futures=True)
                    pool = None
            else:
                in_a_row += 1
                if in_a_row >= MAX_CRASHED_IN_A_ROW:
                    raise BrokenProcessPool(f"{in_a_row} files in a row killed their worker")
                results = crashed(item, shared)
            yield from results
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def crashed_chunk(chunk: list[str], shared: dict[str, Any]) -> list[ing.Result]:
    """The results for files whose processing killed their worker each time: failed documents."""
    return [crashed_path(path, shared) for path in chunk]


def crashed_path(path: str, shared: dict[str, Any]) -> ing.Result:
    """The result for a file whose processing killed its worker each time: a failed document."""
    try:
        doc_id: str | None = store.content_id(ing.read_input(path))
    except LoadError:
        doc_id = None
    error = ("processing it killed its worker process on every try (a crash in a native library, such as "
             f"PDFium on a PDF, or memory); {PDF_IN_PYTHON}")
    rec = store.Record(store.failed_row(path, doc_id=doc_id or ing.unreadable_id(path), error=error,
                                        version=store.pipeline_version(shared["extractor"])))
    return (path, "record", (doc_id, rec))


def dask_client(scheduler: str | None = None, jobs: int | None = None) -> tuple[Any, Any]:
    """A client of the scheduler at ``scheduler``, or of a new LocalCluster; (client, cluster or None)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise HuibaoError("the dask engine needs dask[distributed]: pip install 'huibao[cluster]'") from None
    if scheduler:
        try:
            return Client(scheduler, timeout="10s"), None
        except (OSError, TimeoutError) as e:
            raise HuibaoError(f"{scheduler}: cannot reach the Dask scheduler ({e})") from None
    cluster = LocalCluster(n_workers=jobs or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster), cluster


def _identity(x: Any) -> Any:
    return x


def dask_map(fn: Callable[[Any, dict[str, Any]], list[Any]], items: Iterable[Any], shared: dict[str, Any],
             client: Any, jobs: int | None = None,
             crashed: Callable[[Any, dict[str, Any]], list[Any]] | None = None,
             split: Callable[[Any], list[Any]] = split_chunk) -> Iterator[Any]:
    """``pool_map`` on a Dask cluster: bounded submission, ``as_completed``, re-ordered.

    A task that killed its worker on every try (Dask retries it on other workers, up to the
    scheduler's ``allowed-failures``) raises ``KilledWorker``. Without ``crashed`` that ends the
    run; with it, the item is cut into items of one path each (``split``), each run as a task of
    its own, and one whose task raises ``KilledWorker`` too yields ``crashed(item, shared)``.
    """
    from distributed import KilledWorker, as_completed

    workers = jobs or max(1, sum(client.nthreads().values()))
    window = WINDOW_PER_WORKER * workers
    # once per worker, not once per task: the result of a task, not scattered data, so that the
    # scheduler computes it again when the workers holding it die (scattered data is lost then,
    # and every task needing it is cancelled); replicated to every worker up front
    shared_f = client.submit(_identity, shared, key=f"huibao-shared-{os.getpid()}-{time.monotonic_ns()}")
    client.replicate([shared_f])
    done = as_completed()
    inflight: dict[str, tuple[int, Any, Any]] = {}  # key -> (seq, future, item)
    ready: dict[int, list[Any]] = {}
    it = iter(items)
    submitted = nxt = 0
    exhausted = False
    try:
        while True:
            while not exhausted and submitted - nxt < window:
                try:
                    item = next(it)
                except StopIteration:
                    exhausted = True
                    break
                fut = client.submit(fn, item, shared_f, pure=False)
                inflight[fut.key] = (submitted, fut, item)
                done.add(fut)
                submitted += 1
            while nxt in ready:
                yield from ready.pop(nxt)
                nxt += 1
            if exhausted and nxt == submitted:
                return
            if submitted - nxt - len(ready) <= 0:
                continue
            fut = next(done)
            seq, _, item = inflight.pop(fut.key)
            try:
                ready[seq] = fut.result()  # a task's exception (a bug, not a bad file) ends the run here
            except KilledWorker:
                if crashed is None:
                    raise
                ready[seq] = _dask_one_by_one(client, fn, split(item), shared_f, shared, crashed)
            fut.release()
    finally:
        if inflight:
            client.cancel([f for _, f, _ in inflight.values()])
        client.cancel([shared_f])


def _dask_one_by_one(client: Any, fn: Callable[[Any, dict[str, Any]], list[Any]], items: list[Any], shared_f: Any,
                     shared: dict[str, Any], crashed: Callable[[Any, dict[str, Any]], list[Any]]) -> list[Any]:
    """The results of ``items`` (of one path each), each run as a task of its own (Dask tells which
    one kills its workers); ``crashed(item, shared)`` for those that do."""
    from distributed import KilledWorker

    futures = [client.submit(fn, item, shared_f, pure=False) for item in items]
    out: list[Any] = []
    for item, fut in zip(items, futures):
        try:
            out.extend(fut.result())
        except KilledWorker:
            out.extend(crashed(item, shared))
        fut.release()
    return out


# ---------------------------------------------------------------- engines and runs

def _shared(extractor: str, stored: Container[str], process: ing.Processor, out: str | None = None,
            quiet: bool = False) -> dict:
    return {"extractor": extractor, "stored": stored, "process": process, "out": out, "quiet": quiet}


def local_engine(extractor: str = "rules", jobs: int | None = None, chunk_size: int = CHUNK,
                 process: ing.Processor = ing.process_one, quiet: bool = False) -> ing.Engine:
    """The process-pool engine for ``ingest.ingest``."""
    def engine(paths: Iterator[str], stored: Container[str]) -> Iterator[ing.Result]:
        return pool_map(work_chunk, chunks(paths, chunk_size), _shared(extractor, stored, process, quiet=quiet),
                        jobs, crashed=crashed_chunk)
    return engine


def dask_engine(client: Any, extractor: str = "rules", chunk_size: int = CHUNK,
                process: ing.Processor = ing.process_one, quiet: bool = False) -> ing.Engine:
    """The Dask engine for ``ingest.ingest``, on a connected ``client``."""
    def engine(paths: Iterator[str], stored: Container[str]) -> Iterator[ing.Result]:
        return dask_map(work_chunk, chunks(paths, chunk_size), _shared(extractor, stored, process, quiet=quiet),
                        client, crashed=crashed_chunk)
    return engine


def run(paths: Iterable[str], db_path: str | Path, *, engine: str = "local", jobs: int | None = None,
        scheduler: str | None = None, client: Any = None, parquet_out: str | Path | None = None,
        extractor: str = "rules", force: bool = False, strict: bool = False,
        progress: ing.Progress | None = None, batch_size: int = BULK_BATCH, chunk_size: int = CHUNK,
        process: ing.Processor = ing.process_one, timeout: float | None = None, quiet: bool = False) -> ing.Summary:
    """Ingest ``paths`` into ``db_path`` with an engine; see the module docstring.

    ``engine="local"`` with ``jobs == 1`` runs in process (no pool to pay for). With
    ``parquet_out`` nothing is written to ``db_path`` (it is only read, when it exists, to
    skip content stored already, as is content in the complete parts of ``parquet_out``: see
    ``part_ids``): run ``merge`` afterwards. ``quiet``: the workers silence libraries'
    start-up messages too (``ingest.quiet_libraries``).
    """
    if engine not in ENGINES:
        raise HuibaoError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    if jobs is not None and jobs < 1:
        raise HuibaoError(f"-j/--jobs must be at least 1, not {jobs}")
    ing.check_extractor(extractor)
    settings = {"engine": engine, "jobs": jobs, "scheduler": scheduler, "chunk_size": chunk_size}
    own = None
    if quiet:  # before any worker starts: forked ones inherit it
        ing.quiet_libraries()
    if engine == "dask" and client is None:
        client, own = dask_client(scheduler, jobs)
    try:
        if parquet_out is not None:
            return _run_parquet(paths, db_path, Path(parquet_out), engine, jobs, client, extractor, force,
                                strict, progress, chunk_size, process, 5.0 if timeout is None else timeout, quiet)
        eng: ing.Engine | None
        if engine == "dask":
            eng = dask_engine(client, extractor, chunk_size, process, quiet)
        elif jobs == 1:
            eng = None
        else:
            eng = local_engine(extractor, jobs, chunk_size, process, quiet)
        # no timeout given: ingest's own default (one place to change it)
        extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        return ing.ingest(paths, db_path, extractor, force, strict, progress, batch_size=batch_size,
                          process=process, engine=eng, settings=settings, quiet=quiet, **extra)
    except BrokenProcessPool:
        # what was committed stays; a rerun resumes after it
        raise HuibaoError(f"{db_path}: a worker process died (out of memory, or killed); "
                          "rerun the same command to resume. If it dies again at the same place, a file "
                          f"crashes a native library (PDFium reads PDFs): {PDF_IN_PYTHON}") from None
    finally:
        if client is not None and own is not None:
            client.close()
            own.close()


def _run_parquet(paths: Iterable[str], db_path: str | Path, out: Path, engine: str, jobs: int | None,
                 client: Any, extractor: str, force: bool, strict: bool, progress: ing.Progress | None,
                 chunk_size: int, process: ing.Processor, timeout: float, quiet: bool = False) -> ing.Summary:
    version = store.pipeline_version(extractor)
    stored: Container[str] = frozenset()
    known: dict[str, tuple[str, bool]] = {}  # content that failed, as ``ingest.take`` counts it
    out.mkdir(parents=True, exist_ok=True)
    if not force:  # content merged already, or in a part of an earlier run into ``out`` (not merged yet)
        db = store.open_db(db_path, readonly=True, timeout=timeout) if Path(db_path).exists() else None
        try:
            known = ing.failed_ids(db, version)
            stored = ing.stored_ids(db, version, also=part_ids(out, version, known))
        finally:
            if db is not None:
                db.close()
    start = 1 + max((int(p.name[5:11]) for p in out.glob("part-*.documents.parquet")), default=-1)
    paths = list(paths)
    summary = ing.Summary()
    walk = ing.iter_paths(paths, passed_over=summary.passed_over)
    items = ((f"{seq:06d}", chunk) for seq, chunk in enumerate(chunks(walk, chunk_size), start))
    shared = _shared(extractor, stored, process, str(out), quiet)
    results = (dask_map(parquet_chunk, items, shared, client, crashed=crashed_part, split=split_part)
               if engine == "dask"
               else pool_map(parquet_chunk, items, shared, jobs, crashed=crashed_part, split=split_part))
    total = sum(1 for _ in ing.iter_paths(paths)) if progress else None
    t0 = time.monotonic()
    seen = ing.Seen()  # merge keeps the first path's copy of each content
    try:
        for done, (path, kind, payload) in enumerate(results, 1):
            if kind == "missing":
                summary.failed += 1
                summary.failures.append((path, str(payload)))
                outcome = "failed"
            elif kind == "skipped":
                outcome = ing.skipped_or_known(path, str(payload), summary, known)
            else:
                doc_id, made_by, ok, error = payload
                if made_by != version:  # a worker with other code, data or libraries than this process
                    summary.foreign[str(made_by)] = summary.foreign.get(str(made_by), 0) + 1
                if doc_id is not None and doc_id in seen:  # merge keeps the first path's copy
                    outcome = ing.skipped_or_known(path, doc_id, summary, known)
                elif ok:
                    summary.stored += 1
                    outcome = "stored"
                else:
                    summary.failed += 1
                    summary.failures.append((path, str(error)))
                    if doc_id is not None:
                        known[doc_id] = ing.failed_in_this_run(path, str(error))
                    outcome = "failed"
                if doc_id is not None:
                    seen.add(doc_id)
            if progress:
                progress(done, total, path, outcome)
            if strict and outcome == "failed":
                raise HuibaoError(f"{store.printable(path)}: {store.printable(summary.failures[-1][1])} "
                                  "(stopped at the first error: --strict)")
    except OSError as e:  # a worker could not write its part: the folder's disk is full, or it is gone
        raise HuibaoError(f"{out}: cannot write a Parquet part ({e}); the parts written so far are kept, "
                          "and the same command resumes") from None
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
        seen.close()
        summary.seconds = time.monotonic() - t0
    return summary


def merge(folder: str | Path, db_path: str | Path, *, force: bool = False, batch_size: int = BULK_BATCH,
          progress: ing.Progress | None = None, timeout: float = 5.0) -> ing.Summary:
    """Load the Parquet parts under ``folder`` into ``db_path`` once, in part order.

    Idempotent: content already stored by the same pipeline version is skipped, so a
    second merge of the same folder (or a merge after an interrupted one) adds nothing twice.
    """
    import sqlite3

    parts = read_parts(folder)
    head: list[ing.Result] = []  # raises a HuibaoError for a missing or empty folder before the db opens
    for result in parts:  # up to the first record, whose pipeline version the run is recorded with
        head.append(result)
        if result[1] == "record":
            break
    version = head[-1][2][1].document.get("pipeline_version") if head and head[-1][1] == "record" else None
    db = store.open_db(db_path, timeout=timeout)
    summary = ing.Summary()
    t0 = time.monotonic()
    seen = ing.Seen()
    try:
        with db.atomic():
            summary.run_id = db.table("runs").insert({
                "started": ing._now(), "pipeline_version": version,
                "settings": json.dumps({"merge": str(folder), "force": force}, ensure_ascii=False),
            }).last_pk
        try:
            with ing.Writer(db, batch_size) as writer:
                for done, result in enumerate(itertools.chain(head, parts), 1):
                    rec_version = result[2][1].document.get("pipeline_version") or "" if result[1] == "record" else ""
                    outcome = ing.take(result, db, writer, seen, summary, rec_version, force)
                    if progress:
                        progress(done, None, result[0], outcome)
        finally:
            ing._finish_run(db, summary, t0)
    except sqlite3.Error as e:
        raise store._db_error(db_path, e) from None
    finally:
        seen.close()
        db.close()
    return summary
