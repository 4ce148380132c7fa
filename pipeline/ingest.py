"""Ingest: files, folders, globs and @filelists into the corpus database.

``ingest(paths, db_path)`` runs, in order:

1. open the database (``store.open_db``: migrate; a locked or read-only file is one error line);
2. walk the inputs lazily (``iter_paths``): folders recursively, in sorted order, keeping the
   extensions a loader exists for (the others are counted by extension and named in the
   summary); globs; ``@list`` files with one input per line;
3. for each file, hash its bytes; content already stored by this pipeline version is skipped
   before any extraction (``--force`` redoes it); content that failed under this version is not
   tried again either, but counted as failed (a known failure), not as skipped;
4. ``process_one(path)`` -> ``store.Record``: a pure function of the file, so a process pool
   or a Dask cluster can run it and feed the same writer (``pipeline.run`` has those engines:
   an engine turns the stream of paths into a stream of ``Result`` in input order, and
   this module's loop does everything else, whichever engine ran);
5. ``Writer`` commits records in batches, each batch one transaction: a run killed at any
   moment leaves only whole documents, and the rerun stores exactly the rest.

A file that cannot be read or processed is stored as a ``failed`` document with its reason
and the batch goes on (``strict=True`` stops at the first one). A path that names nothing is
counted as failed, with no row; one that names something unreadable (a FIFO, a symlink loop, a
file over the size limit) is a failed row saying what it is.
"""

from __future__ import annotations

import bisect
import glob
import hashlib
import itertools
import json
import logging
import os
import sqlite3
import time
from array import array
from collections.abc import Callable, Container, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import store
from pipeline.types import HuibaoError, LoadError

if TYPE_CHECKING:  # imported by store.open_db: a worker that only makes records never imports it
    from sqlite_utils import Database

#: progress(done, total, path, outcome): outcome is "stored", "skipped" or "failed"
Progress = Callable[[int, "int | None", str, str], None]
Processor = Callable[[str, str, "str | None"], store.Record]

#: documents per transaction: fewer fsyncs on big runs; a kill loses at most one batch of work
BATCH_SIZE = 8
#: seconds the first record of the writer's open batch may wait before the batch is committed
MAX_WAIT = 2.0
#: texts added to the trigram index together, as the run goes: in bulk an index insert costs
#: ~0.7 ms a text against 2.3 one by one, and indexing during the run, not all at its end,
#: keeps both cores busy. The last group is indexed after the last record, with the workers
#: done, so a smaller group shortens that tail (on 6,000 texts, per text: 32 -> 1.01 ms,
#: 128 -> 0.76, 256 -> 0.71, 1,024 -> 0.69, 3,000 -> 0.66)
INDEX_EVERY = 256

# Used when pipeline.load is not importable: the formats its loaders read.
_DEFAULT_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".pdf", ".docx", ".doc"})


def supported_suffixes() -> frozenset[str]:
    """Extensions picked up when walking a folder: those ``pipeline.load`` has a loader for."""
    try:
        from pipeline.load import EXTENSIONS
    except ImportError:
        return _DEFAULT_SUFFIXES
    return frozenset(EXTENSIONS)


@dataclass
class Summary:
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    run_id: int | None = None
    #: records a worker made under another pipeline version than the run's (a Dask worker with other
    #: huibao code, data files or libraries), by version: a rerun does not skip them
    foreign: dict[str, int] = field(default_factory=dict)
    #: of ``failed``, files whose content failed under this pipeline version before (not tried again)
    known_failed: int = 0
    #: files in the folders walked that no loader reads, by extension ("" for none); not counted above
    passed_over: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        """One summary line for people.

        >>> Summary(3, 1, 1, [("a.pdf", "encrypted")], 2.0).line()
        'stored 3, skipped 1, failed 1 in 2.0 s (2.5 files/s)'
        >>> Summary(0, 4, 2, seconds=1.0, known_failed=1, passed_over={".xls": 1, ".jpg": 2, "": 1}).line()
        'stored 0, skipped 4, failed 2 (1 known from an earlier run) in 1.0 s (6.0 files/s); passed over 4 files no loader reads (.jpg 2, .xls 1, no extension 1)'
        """
        done = self.stored + self.skipped + self.failed
        rate = done / self.seconds if self.seconds > 0 else 0.0
        known = f" ({self.known_failed} known from an earlier run)" if self.known_failed else ""
        line = (f"stored {self.stored}, skipped {self.skipped}, failed {self.failed}{known} "
                f"in {self.seconds:.1f} s ({rate:.1f} files/s)")
        if self.passed_over:
            n = sum(self.passed_over.values())
            kinds = sorted(self.passed_over.items(), key=lambda kv: (-kv[1], kv[0] == "", kv[0]))
            named = ", ".join(f"{ext or 'no extension'} {k}" for ext, k in kinds)
            line += f"; passed over {n} file{'s' if n != 1 else ''} no loader reads ({named})"
        return line


# ---------------------------------------------------------------- inputs

_GLOB_CHARS = frozenset("*?[")


def _walk(folder: str, suffixes: frozenset[str], passed_over: dict[str, int] | None = None) -> Iterator[str]:
    # a folder that cannot be listed (permissions, a vanished mount) is yielded itself, so the run
    # reports it with the reason; os.walk skips it silently otherwise
    unlisted: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=unlisted.append):
        while unlisted:
            yield unlisted.pop(0).filename
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # sorted: same order every run
        for name in sorted(files):
            if name.startswith("."):  # .DS_Store, editors' swap files: never reports
                continue
            ext = os.path.splitext(name)[1].lower()
            if ext in suffixes:
                yield os.path.join(root, name)
            elif passed_over is not None:
                passed_over[ext] = passed_over.get(ext, 0) + 1
    for e in unlisted:
        yield e.filename


def iter_paths(args: Iterable[str], suffixes: frozenset[str] | None = None,
               passed_over: dict[str, int] | None = None) -> Iterator[str]:
    """Expand inputs lazily into file paths, in a stable order.

    A folder yields its files with a supported extension, recursively; a glob its matches
    (folders among them walked); ``@list`` the expansion of each non-blank, non-# line.
    A path that does not exist is yielded as given, so the caller reports it. The files of the
    folders walked that have another extension are counted in ``passed_over``, by extension.
    """
    if suffixes is None:
        suffixes = supported_suffixes()
    for arg in args:
        if arg.startswith("@") and not os.path.exists(arg):
            list_path = arg[1:]
            try:
                # names that are no UTF-8 (GBK names from an archive, listed by find) come through as
                # os.fsdecode gives them, so they open; a byte-order mark (Notepad) is no path
                with open(list_path, encoding="utf-8-sig", errors="surrogateescape") as f:
                    lines = [ln.strip() for ln in f]
            except OSError as e:
                raise HuibaoError(f"{list_path}: cannot read the file list ({e.strerror})") from None
            base = os.path.dirname(list_path)
            yield from iter_paths((ln if os.path.isabs(ln) else os.path.join(base, ln)
                                   for ln in lines if ln and not ln.startswith("#")), suffixes, passed_over)
        elif os.path.isdir(arg):
            yield from _walk(arg, suffixes, passed_over)
        elif not os.path.exists(arg) and _GLOB_CHARS & set(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                yield arg
            for m in matches:
                if os.path.isdir(m):
                    yield from _walk(m, suffixes, passed_over)
                else:
                    yield m
        else:
            yield os.path.normpath(arg)


# ---------------------------------------------------------------- one document

def unreadable_id(path: str) -> str:
    # no bytes, no content hash: key the failure by its path so a rerun replaces it
    return "unreadable:" + hashlib.sha256(os.path.abspath(path).encode()).hexdigest()


def read_input(path: str) -> bytes:
    """``pipeline.load.read_input``: the bytes of a regular file under the size limit, or
    ``LoadError`` saying what the path is (a FIFO, a symlink loop, a file too big ...)."""
    from pipeline.load import read_input as read

    return read(path)


def unreadable(path: str, reason: str, extractor: str) -> store.Record:
    """The failed record of a path whose bytes cannot be read (keyed by its path)."""
    return store.Record(store.failed_row(path, doc_id=unreadable_id(path), error=reason,
                                         version=store.pipeline_version(extractor)))


def process_one(path: str, extractor: str = "rules", doc_id: str | None = None,
                data: bytes | None = None) -> store.Record:
    """Everything to store for one file: a pure function of the file and the extractor.

    ``data``: the file's bytes when the caller read them already (``classify`` hashes them),
    so that a file is read once. Never raises for bad input: an unreadable or unprocessable
    file is a failed record.
    """
    from pipeline.process import extract_path

    version = store.pipeline_version(extractor)
    if data is None:
        try:
            data = read_input(path)
        except LoadError as e:
            return unreadable(path, e.reason, extractor)
    doc_id = doc_id or store.content_id(data)
    try:
        doc, figures = extract_path(path, extractor=extractor, data=data)
    except LoadError as e:
        return store.Record(store.failed_row(path, doc_id=doc_id, error=e.reason, version=version))
    except HuibaoError as e:
        return store.Record(store.failed_row(path, doc_id=doc_id, error=str(e), version=version))
    except Exception as e:  # noqa: BLE001 - one file's bug must not end a long run; it is recorded
        return store.Record(store.failed_row(path, doc_id=doc_id, version=version,
                                             error=f"internal error: {type(e).__name__}: {e}"))
    doc.raw.path = path  # the path as ingest names it, whatever the loader made of it
    rows = store.figure_rows(figures, doc_id)
    return store.Record(store.document_row(doc, doc_id=doc_id, n_figures=len(rows), version=version),
                        doc.text, rows)


# ---------------------------------------------------------------- one path, on any worker

#: what a worker says about one path: ``(path, "missing", reason)`` for no such file,
#: ``(path, "skipped", doc_id)`` for content already stored, ``(path, "record", (doc_id, Record))``
#: otherwise (doc_id None when the bytes could not be read). Plain tuples: they cross processes.
Result = tuple[str, str, Any]

#: the engine interface: (paths in order, the ids already stored) -> one Result per path, in order
Engine = Callable[[Iterator[str], "Container[str]"], Iterator[Result]]


def classify(path: str, extractor: str, stored: Container[str], process: Processor = process_one) -> Result:
    """Hash one file and, unless ``stored`` already holds its content, process it.

    The part of an ingest that can run anywhere: a pure function of the file, the
    extractor and the set of stored ids, so the skip check costs one hash on the worker.
    """
    if os.path.isdir(path):
        try:
            with os.scandir(path):
                pass
        except OSError as e:
            return (path, "missing", f"cannot list the folder ({e.strerror or e})")
        return (path, "missing", "is a folder with no readable files")
    try:
        # read once: the bytes hashed here are the bytes process_one loads (reading twice was
        # ~9% of a worker's time on 100,000 reports)
        data = read_input(path)
    except LoadError as e:
        from pipeline.load import NO_SUCH_FILE

        if e.reason == NO_SUCH_FILE:
            return (path, "missing", e.reason)
        # something is there and cannot be read (a FIFO, which a read would wait on forever; a
        # symlink loop; a file over the size limit): a failed row saying what it is
        return (path, "record", (None, unreadable(path, e.reason, extractor)))
    doc_id = store.content_id(data)
    if doc_id in stored:
        return (path, "skipped", doc_id)
    if process is process_one:
        return (path, "record", (doc_id, process_one(path, extractor, doc_id, data=data)))
    return (path, "record", (doc_id, process(path, extractor, doc_id)))


class _StoredIn:
    """``doc_id in stored`` answered by the database, for the in-process engine."""

    def __init__(self, db: Database, version: str):
        self.db, self.version = db, version

    def __contains__(self, doc_id: object) -> bool:
        return store.is_stored(self.db, str(doc_id), self.version)


class StoredIds:
    """A set of content ids (sha256, hex) in 16 bytes each: their first 128 bits, sorted.

    The set every worker holds to skip stored content. A ``frozenset`` of the hex strings took
    147 bytes an id (34 MB of set and 113 MB of strings for 1,000,000 ids, in the main process
    and again in every worker, and 67 MB to pickle to each); this takes 16. Two ids that share
    128 bits are as unlikely as two files that share a sha256. Ids that are not content hashes
    (``unreadable:…``) are left out: ``classify`` never asks for one.

    >>> ids = StoredIds(["ab" * 32, "unreadable:x", "00" * 32])
    >>> "ab" * 32 in ids, "00" * 32 in ids, "ac" + "ab" * 31 in ids, "ab" * 16 in ids, len(ids)
    (True, True, False, False, 2)
    """

    def __init__(self, ids: Iterable[str]):
        keys = []
        for i in ids:
            if len(i) == 64:
                try:
                    keys.append(int(i[:32], 16))
                except ValueError:
                    continue
        keys.sort()
        # two arrays of machine words, not a list of ints: 16 bytes an id, and no numpy in workers
        # that do not need it otherwise (importing it cost each process ~25 MB)
        self._hi = array("Q", (k >> 64 for k in keys))
        self._lo = array("Q", (k & 0xFFFF_FFFF_FFFF_FFFF for k in keys))

    def __len__(self) -> int:
        return len(self._hi)

    def __contains__(self, doc_id: object) -> bool:
        if not isinstance(doc_id, str) or len(doc_id) != 64:
            return False
        try:
            key = int(doc_id[:32], 16)
        except ValueError:
            return False
        hi, lo = key >> 64, key & 0xFFFF_FFFF_FFFF_FFFF
        i = bisect.bisect_left(self._hi, hi)
        while i < len(self._hi) and self._hi[i] == hi:  # the ids that share their first 64 bits
            if self._lo[i] == lo:
                return True
            i += 1
        return False


def stored_ids(db: Database | None, version: str, also: Iterable[str] = ()) -> StoredIds:
    """Every content id stored by this pipeline version (in ``db``, when there is one), and ``also``,
    for workers that cannot see the database."""
    rows = db.execute("SELECT id FROM documents WHERE pipeline_version = ?", [version]) if db is not None else ()
    return StoredIds(itertools.chain((r[0] for r in rows), also))


def sequential(extractor: str, process: Processor = process_one) -> Engine:
    """The in-process engine: one path after another."""
    def engine(paths: Iterator[str], stored: Container[str]) -> Iterator[Result]:
        return (classify(p, extractor, stored, process) for p in paths)
    return engine


# ---------------------------------------------------------------- the single writer

class Writer:
    """Writes each record as it comes, and commits in batches; each batch is one transaction.

    The only code that writes documents, texts and figures, so any number of workers
    producing records can share one database. A record's rows are inserted when it arrives
    (so the writer's work keeps pace with the workers, instead of falling due in one burst
    at each commit and, in full, after the last record), inside the batch's open
    transaction. A batch is committed when it holds ``batch_size`` records or when its
    first record has waited ``max_wait`` seconds, so a slow run still shows (and keeps) its
    progress every few seconds; other connections see a batch when it is committed.
    """

    def __init__(self, db: Database, batch_size: int = BATCH_SIZE, max_wait: float = MAX_WAIT):
        self.db = db
        self.batch_size = max(1, batch_size)
        self.max_wait = max_wait
        self._batch: Any = None  # the open transaction (``db.atomic()``) of the current batch
        self._written = 0  # records in the open batch
        self._since = 0.0
        self._queued = 0  # texts written since the trigram index was last brought up to date
        self._batch_ok: list[bool] = []  # ``Record.ok`` of each record written in the open batch
        #: ``Record.ok`` of each record written in a batch that was not committed after all (SQLite
        #: rolled it back: a full disk; or its COMMIT failed: a lock held too long), so the run's
        #: counts say what was kept
        self.lost: list[bool] = []

    def write(self, rec: store.Record) -> None:
        if self._batch is None:
            self._since = time.monotonic()
            self._batch = self.db.atomic()
            self._batch.__enter__()
        with self.db.atomic():  # a savepoint: a record that fails to write leaves no rows
            store.write_records(self.db, [rec])
        self._written += 1
        self._batch_ok.append(rec.ok)
        self._queued += rec.text is not None
        if self._queued >= INDEX_EVERY:  # in the open batch: committed with the texts it indexes
            self._index()
        if self._written >= self.batch_size or time.monotonic() - self._since >= self.max_wait:
            self.flush()

    def flush(self) -> None:
        """Commit the open batch."""
        if self._batch is None:
            return
        batch, self._batch = self._batch, None
        written, self._batch_ok = self._batch_ok, []
        self._written = 0
        if not self.db.conn.in_transaction:
            # SQLite rolled the batch back itself (a full disk, an I/O error): the error that did it
            # is on its way up, and a COMMIT would hide it behind "no transaction is active"
            self.lost += written
            return
        try:
            batch.__exit__(None, None, None)
        except BaseException:  # the COMMIT failed, and sqlite-utils rolled the batch back
            self.lost += written
            raise

    def _index(self) -> None:
        store.index_texts(self.db)
        self._queued = 0

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        # only whole records are ever written (each in its savepoint), so they are kept even
        # when the run stops
        self.flush()
        if exc_type is None:  # an interrupted run leaves its texts queued for the next one
            self._index()


# ---------------------------------------------------------------- the run

def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def ingest(paths: Iterable[str], db_path: str | Path, extractor: str = "rules", force: bool = False,
           strict: bool = False, progress: Progress | None = None, *, batch_size: int = BATCH_SIZE,
           process: Processor = process_one, timeout: float = 5.0, engine: Engine | None = None,
           settings: dict[str, Any] | None = None, quiet: bool = False) -> Summary:
    """Store the documents at ``paths`` in the corpus ``db_path``; see the module docstring.

    ``engine`` (from ``pipeline.run``) processes the paths elsewhere; it is given the ids
    stored when the run starts. Without one, each path is processed here, in turn.
    ``quiet``: libraries' start-up messages are silenced too (``quiet_libraries``).
    Raises ``HuibaoError`` (one line) for an unusable database or file list, an unknown
    extractor, and with ``strict`` for the first file that fails.
    """
    check_extractor(extractor)
    if quiet:
        quiet_libraries()
    paths = list(paths)
    db = store.open_db(db_path, timeout=timeout)
    version = store.pipeline_version(extractor)
    total = sum(1 for _ in iter_paths(paths)) if progress else None
    summary = Summary()
    t0 = time.monotonic()
    seen = Seen()
    writer: Writer | None = None
    try:
        with db.atomic():
            summary.run_id = db.table("runs").insert({
                "started": _now(), "pipeline_version": version,
                "settings": json.dumps({"paths": paths, "extractor": extractor, "force": force,
                                        "strict": strict, "batch_size": batch_size, **(settings or {})},
                                       ensure_ascii=False),
            }).last_pk
        stored: Container[str]
        if engine is None:
            # in process: ask the database, and skip repeated content before processing it
            stored = seen if force else _StoredIn(db, version)
            engine = sequential(extractor, process)
        else:
            stored = frozenset() if force else stored_ids(db, version)
        known = {} if force else failed_ids(db, version)
        results = engine(iter_paths(paths, passed_over=summary.passed_over), stored)
        try:
            with Writer(db, batch_size) as writer:
                for done, result in enumerate(results, 1):
                    outcome = take(result, db, writer, seen, summary, version, force, known)
                    if progress:
                        progress(done, total, result[0], outcome)
                    if strict and outcome == "failed":
                        _, reason = summary.failures[-1]
                        raise HuibaoError(f"{store.printable(result[0])}: {store.printable(reason)} "
                                          "(stopped at the first error: --strict)")
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()  # an engine stops its workers when its stream is closed
            if writer is not None:
                summary.stored -= sum(writer.lost)  # counted as they came, then not kept
            _finish_run(db, summary, t0)
    except sqlite3.Error as e:
        raise store._db_error(db_path, e) from None
    finally:
        seen.close()
        db.close()
    return summary


def failed_ids(db: Database | None, version: str) -> dict[str, tuple[str, bool]]:
    """The content that failed under this pipeline version, for ``take``: id -> (reason, True).

    A rerun does not try it again (the same bytes through the same code fail the same way), and
    counts it as failed, with its stored error, not as skipped."""
    if db is None:
        return {}
    rows = db.execute("SELECT id, error FROM documents WHERE pipeline_version = ? AND status = 'failed'", [version])
    return {r[0]: (f"{r[1] or 'failed'} {KNOWN_FAILURE}", True) for r in rows}


#: loggers of libraries that talk on start-up: jieba logs "Building prefix dict ..." and three
#: more lines at DEBUG to stderr (its own handler) the first time a process segments a text
CHATTY_LIBRARIES = ("jieba",)


def _warnings_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING


def quiet_libraries() -> None:
    """Silence the start-up messages of ``CHATTY_LIBRARIES`` in this process (for ``--quiet``).

    A filter on their loggers, set whether or not the library is imported yet: jieba sets its
    logger's level to DEBUG when it is imported, but keeps the logger's filters. Processes forked
    from this one inherit it; other workers (Dask) call this themselves."""
    for name in CHATTY_LIBRARIES:
        logger = logging.getLogger(name)
        if _warnings_only not in logger.filters:
            logger.addFilter(_warnings_only)


def check_extractor(extractor: str) -> None:
    from extractors.registry import EXTRACTORS

    if extractor not in EXTRACTORS:
        raise HuibaoError(f"unknown extractor {extractor!r} (known: {', '.join(EXTRACTORS.names())})")


def _finish_run(db: Database, summary: Summary, t0: float) -> None:
    summary.seconds = time.monotonic() - t0
    with db.atomic():
        db.table("runs").update(int(summary.run_id or 0), {
            "finished": _now(), "stored": summary.stored, "skipped": summary.skipped,
            "failed": summary.failed, "seconds": round(summary.seconds, 3)})
        store.refresh_indicators(db)


class Seen:
    """A set of content ids kept in a private temporary SQLite file, not in memory: a run's own
    ids, which grow with the run (a set of the hex strings took ~145 bytes an id).

    >>> seen = Seen(); seen.add("ab" * 32); "ab" * 32 in seen, "cd" * 32 in seen, len(seen)
    (True, False, 1)
    >>> seen.close()
    """

    def __init__(self) -> None:
        # "": a private on-disk database that SQLite deletes on close; its page cache (2 MB by
        # default) is all it holds in memory
        self._conn = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode = OFF")
        self._conn.execute("PRAGMA synchronous = OFF")
        self._conn.execute("CREATE TABLE seen (id TEXT PRIMARY KEY) WITHOUT ROWID")

    def add(self, doc_id: str) -> None:
        self._conn.execute("INSERT OR IGNORE INTO seen VALUES (?)", [doc_id])

    def __contains__(self, doc_id: object) -> bool:
        return self._conn.execute("SELECT 1 FROM seen WHERE id = ?", [doc_id]).fetchone() is not None

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM seen").fetchone()[0])

    def close(self) -> None:
        self._conn.close()


#: a known failure's reason: its stored error and this
KNOWN_FAILURE = "(known failure: stored by an earlier run of this pipeline version; --force tries again)"


def take(result: Result, db: Database, writer: Writer, seen: Seen, summary: Summary, version: str,
         force: bool = False, known: dict[str, tuple[str, bool]] | None = None) -> str:
    """Count one worker's result and hand its record to the writer; returns the outcome.

    The same content under two paths is one document: the first path in input order wins,
    whichever engine ran, so every engine leaves the same database. ``known`` maps content that
    failed to (its reason, whether an earlier run stored it): such content is not redone and
    counts as failed again, not as skipped. ``failed_ids`` gives the earlier runs' failures;
    this run's are added as they come.
    """
    path, kind, payload = result
    if kind == "missing":
        summary.failed += 1
        summary.failures.append((path, str(payload)))
        return "failed"
    if kind == "skipped":
        return skipped_or_known(path, str(payload), summary, known)
    doc_id, rec = payload
    if doc_id is not None:
        # content taken earlier in this run is in the database (the writer writes each record at
        # once, in its open batch, which this connection sees); with ``force`` stored content is
        # redone, so the run's own ids are what ``seen`` holds
        if (doc_id in seen) if force else store.is_stored(db, doc_id, version):
            return skipped_or_known(path, doc_id, summary, known)
        if force:
            seen.add(doc_id)
    made_by = rec.document.get("pipeline_version")
    if made_by != version:
        summary.foreign[str(made_by)] = summary.foreign.get(str(made_by), 0) + 1
    try:
        writer.write(rec)
    except (UnicodeError, OverflowError, ValueError, TypeError, sqlite3.IntegrityError) as e:
        # rows SQLite refuses (text that is no UTF-8, a number beyond its integers, a broken
        # record): that file fails with the reason, and the run goes on; the record's savepoint
        # left none of its rows. A locked or full database (OperationalError) still ends the run.
        error = f"internal error: its rows cannot be stored: {type(e).__name__}: {e}"
        rec = store.Record(store.failed_row(path, doc_id=rec.id, error=error, version=str(made_by)))
        writer.write(rec)
    if rec.ok:
        summary.stored += 1
        return "stored"
    summary.failed += 1
    error = str(rec.document.get("error"))
    summary.failures.append((path, error))
    if known is not None and doc_id is not None:
        known[doc_id] = failed_in_this_run(path, error)
    return "failed"


def failed_in_this_run(path: str, error: str) -> tuple[str, bool]:
    """What ``take`` says of a later path of the same content as ``path``, which failed."""
    return f"{error} (the same content as {store.printable(path)}, which failed in this run)", False


def skipped_or_known(path: str, doc_id: str, summary: Summary, known: dict[str, tuple[str, bool]] | None) -> str:
    """Count a path whose content is stored already: skipped, or failed again when it failed."""
    if known is not None and doc_id in known:
        reason, earlier = known[doc_id]
        summary.failed += 1
        summary.known_failed += earlier
        summary.failures.append((path, reason))
        return "failed"
    summary.skipped += 1
    return "skipped"


# ---------------------------------------------------------------- progress for people

@contextmanager
def rich_progress(quiet: bool = False) -> Iterator[Progress | None]:
    """A rich progress bar on stderr (files/s, ETA) as a ``Progress`` callback; None when quiet."""
    if quiet:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        ProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as RichProgress
    from rich.text import Text

    class FilesPerSecond(ProgressColumn):
        def render(self, task: Any) -> Text:
            return Text(f"{task.speed:.1f} files/s" if task.speed else "- files/s")

    bar = RichProgress(TextColumn("ingest"), BarColumn(bar_width=20), MofNCompleteColumn(), FilesPerSecond(),
                       TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.description}"),
                       console=Console(stderr=True), transient=False)
    task = bar.add_task("", total=None)

    def update(done: int, total: int | None, path: str, outcome: str) -> None:
        name = os.path.basename(path)
        name = name if len(name) <= 28 else name[:12] + "…" + name[-15:]
        bar.update(task, completed=done, total=total, description=f"{outcome}: {name}")

    with bar:
        yield update
