"""The corpus database: documents, their text, figures, indicators, regions and runs, in SQLite.

Written through sqlite-utils; the schema is an ordered list of migrations (``MIGRATIONS``)
recorded in the ``_migrations`` table, so an old corpus file is upgraded in place and no
code elsewhere alters tables.

Tables
    documents  one row per distinct file content (id = sha256 of the bytes). A file whose
               content changes between runs is a new row with ``version`` + 1; the old
               row is kept. Failed files are rows too (status 'failed', error).
    texts      the cleaned text of each stored document (content table of ``texts_fts``).
               New texts wait in ``texts_fts_pending`` until ``index_texts`` adds them to the
               trigram index in one statement (every 256 texts of an ingest or merge, and
               at its end): per-row indexing cost the single writer 2.3 ms a document, in
               bulk it costs 0.5-0.8 (``FTS_AUTOMERGE``).
    figures    every Figure field plus document_id, idx (position in the document's figure
               list), period as period_start/period_end, and the indicator linker's
               indicator_candidate/indicator_confidence (a link it was unsure of is a
               candidate with indicator NULL).
    indicators indicator ids with name, kind and synonyms (extractors/data/indicators.toml).
    regions    the regions named by stored documents (name, GB/T 2260 code, province, level).
    runs       one row per ingest run: version, settings, counts, timing.

Views
    current_documents     the newest ok version of each path.
    figures_by_indicator  figures of current documents joined to their document's metadata.
    indicator_region_year figures with an indicator grouped by indicator, region, period year,
                          status and unit.
    audit_findings_documents  audit findings joined to their documents' path, region, year,
                          title and org (one row per finding and document).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import provenance
from pipeline.types import Document, Figure, HuibaoError

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

# what produced a document's rows (release, extractor, and a fingerprint of the code, data,
# libraries and model behind them): ``pipeline.provenance``
pipeline_version = provenance.pipeline_version


# sqlite-utils is imported when a database is opened, not with this module: it imports pandas
# (and with it numpy and pyarrow) whenever pandas is installed, about 0.25 s and 80 MB in every
# process. Workers make records (the row functions below) and never open the database, so a
# Dask worker no longer pays for it (tests/test_run.py checks).
_STEPS: list[tuple[str, Any]] = []


def _migration(name: str) -> Any:
    """Register the decorated function as the migration ``name`` (in order of definition)."""
    def deco(fn: Any) -> Any:
        _STEPS.append((name, fn))
        return fn
    return deco


@cache
def _migrations() -> Migrations:
    from sqlite_utils.migrations import Migrations

    class _Migrations(Migrations):
        # the brief names the table; sqlite-utils' default is _sqlite_migrations
        migrations_table = "_migrations"

    migrations = _Migrations("huibao")
    for name, fn in _STEPS:
        migrations(name=name)(fn)
    return migrations


def __getattr__(name: str) -> Any:
    if name == "MIGRATIONS":  # the sqlite-utils ``Migrations`` of the schema, made on first use
        return _migrations()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _run(db: Database, statements: str) -> None:
    # one statement at a time: executescript() would COMMIT the migration's transaction
    buf = ""
    for line in statements.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            db.execute(buf)
            buf = ""
    if buf.strip():
        db.execute(buf)


@_migration("0001_initial")
def _m0001_initial(db: Database) -> None:
    _run(db, """
CREATE TABLE documents (
    id TEXT PRIMARY KEY,            -- sha256 of the file bytes, hex
    path TEXT NOT NULL,
    format TEXT,
    encoding TEXT,
    version INTEGER NOT NULL,       -- 1 + the number of earlier contents stored for this path
    title TEXT,
    org TEXT,
    level TEXT,
    region TEXT,
    region_code TEXT,
    province TEXT,
    year INTEGER,
    reviews TEXT,                   -- JSON: the year (or [first, last]) the report reviews
    published TEXT,
    truncated INTEGER,
    missing_chars INTEGER,
    placeholders INTEGER,
    n_figures INTEGER,
    meta TEXT,                      -- JSON: any other document metadata
    pipeline_version TEXT,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    error TEXT,
    stored_at TEXT
);
CREATE TABLE texts (
    document_id TEXT PRIMARY KEY REFERENCES documents(id),
    text TEXT NOT NULL
);
CREATE TABLE figures (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    idx INTEGER NOT NULL,
    text TEXT,
    value NUMERIC,                  -- NUMERIC: counts read back as integers, shares as reals
    high NUMERIC,
    kind TEXT,
    unit TEXT,
    approx TEXT,
    subject TEXT,
    indicator TEXT,
    redacted INTEGER NOT NULL DEFAULT 0,
    status TEXT,
    period_start INTEGER,
    period_end INTEGER,
    role TEXT,
    parent INTEGER,
    "start" INTEGER,
    "end" INTEGER,
    raw_start INTEGER,
    raw_end INTEGER,
    sentence TEXT,
    extractor TEXT,
    confidence REAL
);
CREATE TABLE indicators (
    id TEXT PRIMARY KEY,
    name TEXT,
    kind TEXT,
    synonyms TEXT                   -- JSON list
);
CREATE TABLE regions (
    name TEXT PRIMARY KEY,
    code TEXT,
    province TEXT,
    level TEXT
);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started TEXT,
    finished TEXT,
    pipeline_version TEXT,
    settings TEXT,                  -- JSON
    stored INTEGER,
    skipped INTEGER,
    failed INTEGER,
    seconds REAL
);
CREATE UNIQUE INDEX figures_document_idx ON figures(document_id, idx);
CREATE INDEX figures_indicator ON figures(indicator, status, period_start);
CREATE INDEX figures_subject ON figures(subject);
CREATE INDEX documents_path_version ON documents(path, version);
CREATE INDEX documents_region_year ON documents(region, year);
CREATE INDEX documents_province_year ON documents(province, year);
CREATE VIRTUAL TABLE texts_fts USING fts5(text, content='texts', content_rowid='rowid', tokenize='trigram');
CREATE TRIGGER texts_ai AFTER INSERT ON texts BEGIN
    INSERT INTO texts_fts(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER texts_ad AFTER DELETE ON texts BEGIN
    INSERT INTO texts_fts(texts_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TRIGGER texts_au AFTER UPDATE ON texts BEGIN
    INSERT INTO texts_fts(texts_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO texts_fts(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE VIEW current_documents AS
SELECT d.* FROM documents d
WHERE d.status = 'ok'
  AND d.version = (SELECT max(d2.version) FROM documents d2 WHERE d2.path = d.path AND d2.status = 'ok');
CREATE VIEW figures_by_indicator AS
SELECT f.id, f.indicator, f.subject, f.value, f.high, f.unit, f.kind, f.approx, f.redacted, f.status,
       f.period_start, f.period_end,
       CASE WHEN f.period_start IS NULL THEN NULL
            WHEN f.period_start = f.period_end THEN f.period_start
            ELSE f.period_start || '-' || f.period_end END AS period,
       d.year AS report_year, d.region, d.province, d.region_code, d.level, d.org, d.title,
       f.text, f.sentence, d.path, f.document_id, f.idx
FROM figures f JOIN current_documents d ON d.id = f.document_id;
CREATE VIEW indicator_region_year AS
SELECT indicator, region, province, period AS year, status, unit,
       count(*) AS n_figures, count(DISTINCT document_id) AS n_documents,
       min(value) AS min_value, max(value) AS max_value, group_concat(DISTINCT value) AS all_values
FROM figures_by_indicator
WHERE indicator IS NOT NULL AND redacted = 0
GROUP BY indicator, region, province, period, status, unit
""")


@_migration("0002_audit_findings")
def _m0002_audit_findings(db: Database) -> None:
    """Findings of ``pipeline.audit``: one row per finding, evidence as JSON with offsets."""
    _run(db, """
CREATE TABLE audit_findings (
    id INTEGER PRIMARY KEY,
    "check" TEXT NOT NULL,
    severity TEXT NOT NULL,
    document_ids TEXT NOT NULL,     -- JSON list of documents.id
    figure_ids TEXT NOT NULL,       -- JSON list of figures.id
    message TEXT NOT NULL,
    evidence TEXT                   -- JSON: offsets into texts.text, the sentence, values
);
CREATE INDEX audit_findings_check ON audit_findings("check", severity);
""")


@_migration("0003_deferred_text_index")
def _m0003_deferred_text_index(db: Database) -> None:
    """Texts are queued for the trigram index instead of indexed row by row.

    ``texts_fts`` is an external-content table, so a 'delete' must only ever be sent for a
    row that was indexed: a queued row is just taken off the queue. The queue is keyed by
    rowid, so a rowid SQLite reuses after a delete is queued afresh.
    """
    _run(db, """
CREATE TABLE texts_fts_pending (rowid INTEGER PRIMARY KEY);
DROP TRIGGER texts_ai;
DROP TRIGGER texts_ad;
DROP TRIGGER texts_au;
CREATE TRIGGER texts_ai AFTER INSERT ON texts BEGIN
    INSERT OR IGNORE INTO texts_fts_pending(rowid) VALUES (new.rowid);
END;
CREATE TRIGGER texts_ad AFTER DELETE ON texts BEGIN
    INSERT INTO texts_fts(texts_fts, rowid, text)
        SELECT 'delete', old.rowid, old.text
        WHERE NOT EXISTS (SELECT 1 FROM texts_fts_pending WHERE rowid = old.rowid);
    DELETE FROM texts_fts_pending WHERE rowid = old.rowid;
END;
CREATE TRIGGER texts_au AFTER UPDATE ON texts BEGIN
    INSERT INTO texts_fts(texts_fts, rowid, text)
        SELECT 'delete', old.rowid, old.text
        WHERE NOT EXISTS (SELECT 1 FROM texts_fts_pending WHERE rowid = old.rowid);
    DELETE FROM texts_fts_pending WHERE rowid = old.rowid;
    INSERT OR IGNORE INTO texts_fts_pending(rowid) VALUES (new.rowid);
END
""")


@_migration("0004_case_sensitive_trigrams")
def _m0004_case_sensitive_trigrams(db: Database) -> None:
    """The trigram index without case folding, rebuilt from the texts.

    Folding every character's case was a quarter of the index's cost (2,000 synthetic reports:
    1.25 -> 0.91 ms a text) for Latin letters only, and it made the index disagree with the
    ``instr()`` that ``search`` uses for short terms and queued texts, which is case-sensitive.
    Now both match case exactly (GDP finds GDP, not gdp). The triggers name the table, so they
    stay; the rebuild indexes every text, queued ones too, so the queue is emptied.
    """
    _run(db, """
DROP TABLE texts_fts;
CREATE VIRTUAL TABLE texts_fts USING fts5(text, content='texts', content_rowid='rowid',
                                          tokenize='trigram case_sensitive 1');
INSERT INTO texts_fts(texts_fts) VALUES ('rebuild');
DELETE FROM texts_fts_pending
""")


#: FTS5 merges this many index segments of a level into one as texts are added (FTS5's default
#: is 4). Fewer, bigger merges make indexing cheaper and searching a little dearer: on 100,000
#: synthetic reports indexed in groups of 256, 4 -> 0.80 ms a text, 8 -> 0.65, 16 -> 0.52; 300
#: phrase searches of 3-6 characters (50 hits at most) took 0.17, 0.24 and 0.33 ms each
FTS_AUTOMERGE = 16


@_migration("0005_fts_automerge")
def _m0005_fts_automerge(db: Database) -> None:
    """The trigram index merges its segments 16 at a time (``FTS_AUTOMERGE``).

    FTS5 keeps the setting in ``texts_fts_config``: a migration that recreates ``texts_fts``
    must set it again.
    """
    db.execute("INSERT INTO texts_fts(texts_fts, rank) VALUES ('automerge', ?)", [FTS_AUTOMERGE])


#: columns the indicator linker fills (``Figure.indicator_candidate``/``indicator_confidence``)
LINKER_COLUMNS = (("indicator_candidate", "TEXT"), ("indicator_confidence", "REAL"))


@_migration("0006_indicator_candidates")
def _m0006_indicator_candidates(db: Database) -> None:
    """Figures keep the linker's candidate and confidence (issue 19): a link it was not sure of is
    stored as ``indicator_candidate`` + ``indicator_confidence`` with ``indicator`` NULL, a
    confident one as ``indicator`` + ``indicator_confidence``. The columns are added only when
    missing, so a corpus that already has them (a hand-made or merged one) upgrades too;
    ``figures_by_indicator`` is made again with them.
    """
    have = {r[1] for r in db.execute("PRAGMA table_info(figures)").fetchall()}
    for name, sql_type in LINKER_COLUMNS:
        if name not in have:
            db.execute(f"ALTER TABLE figures ADD COLUMN {name} {sql_type}")
    _run(db, """
DROP VIEW IF EXISTS figures_by_indicator;
CREATE VIEW figures_by_indicator AS
SELECT f.id, f.indicator, f.subject, f.value, f.high, f.unit, f.kind, f.approx, f.redacted, f.status,
       f.period_start, f.period_end,
       CASE WHEN f.period_start IS NULL THEN NULL
            WHEN f.period_start = f.period_end THEN f.period_start
            ELSE f.period_start || '-' || f.period_end END AS period,
       d.year AS report_year, d.region, d.province, d.region_code, d.level, d.org, d.title,
       f.text, f.sentence, d.path, f.document_id, f.idx, f.indicator_candidate, f.indicator_confidence
FROM figures f JOIN current_documents d ON d.id = f.document_id
""")


@_migration("0007_audit_findings_documents")
def _m0007_audit_findings_documents(db: Database) -> None:
    """Audit findings beside the documents they are about, for auditors browsing in Datasette:
    one row per finding and document (a finding about two reports is a row under each, so a
    region's or a year's facet finds it), with the file, region, year, title and org. Documents
    are joined by id whatever their version: a finding stays with the content it was made on.
    ``audit`` replaces a check's rows on every run, so ``id`` is no lasting name for a finding:
    reviews are kept apart, by ``pipeline.reviews.finding_key``."""
    _run(db, """
CREATE VIEW audit_findings_documents AS
SELECT a.id, a."check", a.severity,
       CASE a.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END AS severity_rank,
       a.message, a.evidence, json_array_length(a.document_ids) AS n_documents,
       j.value AS document_id, d.path, d.region, d.province, d.year, d.title, d.org,
       a.document_ids, a.figure_ids
FROM audit_findings a, json_each(a.document_ids) j
LEFT JOIN documents d ON d.id = j.value
""")


def index_texts(db: Database) -> int:
    """Add the queued texts to the trigram index, in one transaction; returns how many.

    Ingest and merge call it as they go and when they finish; a run killed before that
    leaves texts queued, the next run indexes them, and ``search`` finds queued texts
    meanwhile.
    """
    with db.atomic():
        n = db.execute("SELECT count(*) FROM texts_fts_pending").fetchone()[0]
        if n:
            db.execute("INSERT INTO texts_fts(rowid, text) SELECT t.rowid, t.text FROM texts t "
                       "JOIN texts_fts_pending p ON p.rowid = t.rowid")
            db.execute("DELETE FROM texts_fts_pending")
    return int(n)


def migrate(db: Database) -> list[str]:
    """Apply pending migrations; returns the names applied."""
    pending = [m.name for m in _migrations().pending(db)]
    _migrations().apply(db)
    return pending


#: SQLite's extended result codes that say more than "attempt to write a readonly database"
_READONLY_REASONS = {
    "SQLITE_READONLY_ROLLBACK": "has a hot journal ({name}-journal): a write to it was interrupted (a crash, "
                                "a kill, a full disk) and must be rolled back before it can be read, which "
                                "needs write permission on the file and its folder; any writable open does it, "
                                "such as the next `huibao ingest` into it",
    "SQLITE_READONLY_RECOVERY": "has a write-ahead log ({name}-wal) to recover from an interrupted write, which "
                                "needs write permission on the file and its folder",
    "SQLITE_READONLY_DIRECTORY": "its folder is read-only, and SQLite writes its journal beside the database",
    "SQLITE_READONLY_DBMOVED": "the database file was moved or deleted while it was open",
}


def _db_error(db_path: str | Path, e: sqlite3.Error) -> HuibaoError:
    msg = str(e)
    special = _READONLY_REASONS.get(getattr(e, "sqlite_errorname", ""))
    if special:
        reason = special.format(name=Path(db_path).name)
    elif "locked" in msg or "busy" in msg:
        reason = "database is locked by another process (is an ingest or a writer still running?)"
    elif "readonly" in msg or "read-only" in msg:
        reason = "database is read-only (check the file's and folder's permissions)"
    elif "unable to open" in msg:
        reason = "cannot open the database file (missing folder or no permission)"
    elif "not a database" in msg:
        reason = "not an SQLite database"
    else:
        reason = f"database error: {msg}"
    return HuibaoError(f"{db_path}: {reason}")


def is_wal(db_path: str | Path) -> bool:
    """Is the file an SQLite database in WAL mode (its header's read/write versions are 2)?"""
    try:
        with open(db_path, "rb") as f:
            head = f.read(20)
    except OSError:
        return False
    return head[:16] == b"SQLite format 3\x00" and head[18:20] == b"\x02\x02"


def frozen_wal(db_path: str | Path) -> bool:
    """A WAL-mode corpus that no process can be writing: its folder is read-only and it has no
    write-ahead log. A read-only connection cannot open it (SQLite must create ``-shm`` beside
    it: SQLITE_READONLY_DIRECTORY), and it needs none of what that file is for: it is read as
    immutable (``immutable=1``). A writer would need to create ``-wal`` in that folder first."""
    path = Path(db_path).resolve()
    wal = Path(f"{path}-wal")
    return (is_wal(path) and not os.access(path.parent, os.W_OK)
            and (not wal.exists() or wal.stat().st_size == 0))


def _open_readonly(db_path: str | Path, timeout: float) -> Database:
    from sqlite_utils import Database

    mode = "immutable=1" if frozen_wal(db_path) else "mode=ro"
    conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?{mode}", uri=True, timeout=timeout)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a hot journal shows here
    except sqlite3.Error:
        conn.close()
        raise
    return Database(conn)


def _roll_back(db_path: str | Path, timeout: float, readonly_error: sqlite3.Error) -> None:
    """Roll back the hot journal of an interrupted write, as SQLite does when a writable
    connection first reads the file: a read-only one cannot, so compare, audit or serve after a
    crashed ingest said "database is read-only". A journal is hot only when no process holds the
    database's write lock, so this never touches a live writer's transaction."""
    try:
        conn = sqlite3.connect(str(db_path), timeout=timeout)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        raise _db_error(db_path, readonly_error) from None


def _write_ahead(conn: sqlite3.Connection) -> None:
    """Put the corpus in WAL mode (it stays so: the mode is kept in the file).

    Readers then never wait for a writer nor a writer for readers, and each reader sees the last
    committed state: ``huibao serve`` keeps answering while ``ingest`` writes (in rollback-journal
    mode a commit locked every reader out, and a steady stream of readers could hold off the
    writer's commit until its busy timeout). WAL needs ``-wal`` and ``-shm`` files beside the
    corpus while it is open, and a file system with shared memory (not a network share).
    A file that cannot be switched (read-only, locked) keeps its mode; the write that follows
    reports why."""
    try:
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
    except sqlite3.OperationalError:
        pass


def open_db(db_path: str | Path, *, readonly: bool = False, timeout: float = 5.0) -> Database:
    """Open a corpus; writable ones are migrated to the current schema.

    Raises ``HuibaoError`` with one line for a missing, locked, read-only or foreign file.
    """
    from sqlite_utils import Database

    try:
        if readonly:
            if not Path(db_path).exists():
                raise HuibaoError(f"{db_path}: no such corpus database (run `ingest` first)")
            try:
                db = _open_readonly(db_path, timeout)
            except sqlite3.OperationalError as e:
                if getattr(e, "sqlite_errorname", "") not in ("SQLITE_READONLY_ROLLBACK", "SQLITE_READONLY_RECOVERY"):
                    raise
                _roll_back(db_path, timeout, e)
                db = _open_readonly(db_path, timeout)
            if _migrations().pending(db):
                raise HuibaoError(f"{db_path}: not a huibao corpus of this version (run `ingest` to upgrade)")
            return db
        conn = sqlite3.connect(str(db_path), timeout=timeout)
        _write_ahead(conn)
        db = Database(conn)
        migrate(db)
        return db
    except sqlite3.Error as e:
        raise _db_error(db_path, e) from None


# ---------------------------------------------------------------- rows <-> records

#: document metadata keys with their own column; anything else in ``doc.meta`` goes to ``meta`` JSON
META_COLUMNS = ("title", "org", "level", "region", "region_code", "province", "year", "reviews",
                "published", "truncated", "missing_chars", "placeholders")

_FIGURE_FIELDS = [f.name for f in fields(Figure)]


def content_id(data: bytes) -> str:
    """The document id: sha256 of the file bytes, hex.

    >>> content_id(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _jsonable(v: Any) -> Any:
    return v if v is None or isinstance(v, str | int | float | bool) else json.loads(json.dumps(v, default=str))


def document_row(doc: Document, *, doc_id: str, n_figures: int, version: str) -> dict[str, Any]:
    """The ``documents`` row of a processed document (``version`` is the pipeline version)."""
    meta = dict(doc.meta)
    row: dict[str, Any] = {
        "id": doc_id, "path": utf8_text(doc.path), "format": doc.raw.format, "encoding": doc.raw.encoding,
    }
    for key in META_COLUMNS:
        row[key] = meta.pop(key, None)
    if row["reviews"] is not None:
        row["reviews"] = json.dumps(row["reviews"])
    for key in ("truncated",):
        if row[key] is not None:
            row[key] = int(bool(row[key]))
    if row["published"] is not None:
        row["published"] = str(row["published"])
    row.update(
        n_figures=n_figures,
        meta=json.dumps({k: _jsonable(v) for k, v in meta.items()}, ensure_ascii=False) if meta else None,
        pipeline_version=version, status="ok", error=None,
    )
    return row


def failed_row(path: str, *, doc_id: str, error: str, version: str) -> dict[str, Any]:
    """The ``documents`` row of a file that could not be processed."""
    return {"id": doc_id, "path": utf8_text(path), "pipeline_version": version, "status": "failed",
            "error": utf8_text(error)}


def utf8_text(text: str) -> str:
    """``text`` as SQLite (and Parquet) can store it: a file name that is no UTF-8 (a GBK name from
    an archive unpacked on Linux) reaches Python with its undecodable bytes as surrogates, which
    UTF-8 refuses; they are kept as ``\\xNN`` escapes. Until then such a name ended the whole run.

    >>> utf8_text("区/\\udcc7\\udcf8.txt")
    '区/\\\\xc7\\\\xf8.txt'
    >>> utf8_text("区/报告.txt")
    '区/报告.txt'
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


#: characters that would break a line or draw nothing where a path or reason is printed: C0 and
#: C1 controls (a newline in a file name started a line of its own, forging a "failed:" line),
#: and the Unicode line and paragraph separators
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` as one printable line: ``utf8_text``, and control characters as escapes.

    >>> printable("区/a\\n  failed: b.pdf: forged.pdf")
    '区/a\\\\n  failed: b.pdf: forged.pdf'
    >>> printable("\\udcc7\\x1b[31m\\u2028"), printable("区/报告.txt")
    ('\\\\xc7\\\\x1b[31m\\\\u2028', '区/报告.txt')
    """
    text = utf8_text(text)
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: _ESCAPES.get(m[0]) or m[0].encode("unicode_escape").decode("ascii"), text)


def _period_span(period: int | list[int] | tuple[int, ...] | None) -> tuple[int | None, int | None]:
    """A figure's period as (period_start, period_end): a year is a one-year span."""
    if period is None:
        return None, None
    if isinstance(period, list | tuple):
        return int(period[0]), int(period[-1])
    return int(period), int(period)


def figure_row(fig: Figure, document_id: str, idx: int) -> dict[str, Any]:
    """A ``figures`` row: every Figure field, period split into period_start/period_end.

    >>> r = figure_row(Figure("过去五年123个", 123, "count", "个", 0, 5, period=[2021, 2025]), "d", 0)
    >>> r["period_start"], r["period_end"], "period" in r
    (2021, 2025, False)
    """
    # a shallow copy of the fields: asdict() deep-copies and was 9% of process_one (profiled);
    # the instance dict holds exactly the fields, in order, unless someone added an attribute
    row = dict(fig.__dict__)
    if len(row) != len(_FIGURE_FIELDS):  # the linker's fields live in the instance dict too
        row = {name: getattr(fig, name) for name in _FIGURE_FIELDS}
    start, end = _period_span(row.pop("period"))
    row.update(indicator_candidate=fig.indicator_candidate, indicator_confidence=fig.indicator_confidence)
    row.update(document_id=document_id, idx=idx, period_start=start, period_end=end,
               redacted=int(bool(row["redacted"])), value=_fit(row["value"]), high=_fit(row["high"]))
    return row


#: the integers SQLite stores as INTEGER; a figure's value beyond them is stored as a REAL, as SQLite
#: itself stores such a number written in SQL (sqlite3 refuses the Python int: OverflowError)
_INT64 = (-2**63, 2**63 - 1)


def _fit(v: Any) -> Any:
    """``v``, or as a float when it is an int too large for SQLite.

    >>> _fit(12345678901234567890), _fit(125), _fit(None)
    (1.2345678901234567e+19, 125, None)
    """
    if v.__class__ is int and not _INT64[0] <= v <= _INT64[1]:
        return float(v)
    return v


#: the ``figures`` columns of ``figure_rows``: ``figure_row``'s keys, in its order
_ROW_FIELDS = (*(name for name in _FIGURE_FIELDS if name != "period"), *(name for name, _ in LINKER_COLUMNS))
FIGURE_COLUMNS = (*_ROW_FIELDS, "document_id", "idx", "period_start", "period_end")
_row_fields = attrgetter(*_ROW_FIELDS)
_REDACTED = _ROW_FIELDS.index("redacted")
_VALUE, _HIGH = _ROW_FIELDS.index("value"), _ROW_FIELDS.index("high")


def figure_rows(figures: list[Figure], document_id: str) -> FigureRows:
    """``figure_row`` of every figure, as one ``FigureRows``: the same rows, built as tuples.

    The writer inserts these tuples as they are, and they cross processes as they are: no dict
    per figure, no packing to pickle. 1,000 synthetic reports in process, four alternated runs
    each way: rows 0.09-0.10 -> 0.08, writer 0.81-0.85 -> 0.76-0.79 ms a document.

    >>> fs = [Figure("3个", 3, "count", "个", 0, 2, period=[2021, 2025]), Figure("5%", 5, "percent", "%", 3, 5)]
    >>> list(figure_rows(fs, "d")) == [figure_row(f, "d", i) for i, f in enumerate(fs)]
    True
    """
    rows = []
    lo, hi = _INT64
    for idx, fig in enumerate(figures):
        values = _row_fields(fig)
        value, high = values[_VALUE], values[_HIGH]
        if value.__class__ is int and not lo <= value <= hi or high.__class__ is int and not lo <= high <= hi:
            values = tuple(map(_fit, values))
        start, end = _period_span(fig.period)
        rows.append((*values[:_REDACTED], int(bool(values[_REDACTED])), *values[_REDACTED + 1:],
                     document_id, idx, start, end))
    return FigureRows(FIGURE_COLUMNS, rows)


def row_to_figure(row: dict[str, Any]) -> Figure:
    """The Figure a ``figures`` row was made from (a one-year span reads back as that year).

    >>> f = Figure("3个", 3, "count", "个", 0, 2, period=2025, redacted=False)
    >>> row_to_figure(figure_row(f, "d", 0)) == f
    True
    """
    kwargs = {k: row[k] for k in _FIGURE_FIELDS if k in row and k != "period"}
    start, end = row.get("period_start"), row.get("period_end")
    kwargs["period"] = None if start is None else (start if start == end else [start, end])
    kwargs["redacted"] = bool(kwargs.get("redacted"))
    fig = Figure(**kwargs)
    for name, _ in LINKER_COLUMNS:
        if row.get(name) is not None:
            setattr(fig, name, row[name])
    return fig


@dataclass
class Record:
    """Everything stored for one file: made by a worker, written by the single writer.

    Plain data (dicts and strings). Pickled (to the writer, across a pool or a Dask
    cluster), the figure rows travel as one column tuple and a tuple per row
    (``FigureRows``), which iterates as the same dicts.
    """

    document: dict[str, Any]
    text: str | None = None
    figures: list[dict[str, Any]] | FigureRows = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.document["id"])

    @property
    def ok(self) -> bool:
        return self.document.get("status") == "ok"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_record_from_wire, (self.document, self.text, FigureRows.pack(self.figures)))


class FigureRows:
    """Figure rows as ``columns`` and one tuple per row: a fifth of the pickling work of as many
    dicts (300 synthetic reports: dumps 0.16 -> 0.10, loads 0.26 -> 0.12 ms a document), and
    the writer inserts the tuples as they are. Iterating gives the rows as dicts.

    >>> rows = FigureRows.pack([{"idx": 0, "value": 125}, {"idx": 1, "value": 521}])
    >>> rows.columns, rows.rows, list(rows)[1]
    (('idx', 'value'), [(0, 125), (1, 521)], {'idx': 1, 'value': 521})
    """

    __slots__ = ("columns", "rows")

    def __init__(self, columns: tuple[str, ...], rows: list[tuple[Any, ...]]):
        self.columns, self.rows = columns, rows

    @staticmethod
    def pack(figures: list[dict[str, Any]] | FigureRows) -> FigureRows | list[dict[str, Any]]:
        """Rows of the same keys in the same order, packed; anything else as it is."""
        if isinstance(figures, FigureRows) or not figures:
            return figures
        columns = tuple(figures[0])
        if not all(len(f) == len(columns) and tuple(f) == columns for f in figures):
            return figures
        return FigureRows(columns, [tuple(f.values()) for f in figures])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        columns = self.columns
        return (dict(zip(columns, row)) for row in self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, FigureRows | list) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FigureRows({len(self.rows)} rows of {len(self.columns)} columns)"


def _record_from_wire(document: dict[str, Any], text: str | None,
                      figures: list[dict[str, Any]] | FigureRows) -> Record:
    return Record(document, text, figures)


def is_stored(db: Database, doc_id: str, version: str) -> bool:
    """Is this content already stored (ok or failed) by this pipeline version?"""
    rows = db.execute("SELECT 1 FROM documents WHERE id = ? AND pipeline_version = ?", [doc_id, version])
    return rows.fetchone() is not None


def write_record(db: Database, rec: Record) -> None:
    """Write one document's rows, replacing any earlier rows of the same content.

    The caller owns the transaction (``Writer`` wraps a batch in ``db.atomic()``).
    """
    doc = dict(rec.document)
    doc_id = doc["id"]
    old = db.execute("SELECT version FROM documents WHERE id = ?", [doc_id]).fetchone()
    if old is not None:
        version = old[0]
    else:
        prev = db.execute("SELECT max(version) FROM documents WHERE path = ?", [doc["path"]]).fetchone()[0]
        version = (prev or 0) + 1
    doc.update(version=version, stored_at=_now())
    db.execute("DELETE FROM figures WHERE document_id = ?", [doc_id])
    db.execute("DELETE FROM texts WHERE document_id = ?", [doc_id])
    db.table("documents").insert(doc, replace=True, alter=False)
    if rec.text is not None:
        db.table("texts").insert({"document_id": doc_id, "text": rec.text})
    if rec.figures:
        db.table("figures").insert_all(({**f, "document_id": doc_id} for f in rec.figures), alter=False)
    if rec.ok and doc.get("region"):
        db.table("regions").upsert({"name": doc["region"], "code": doc.get("region_code"),
                              "province": doc.get("province"), "level": doc.get("level")}, pk="name")
    for f in rec.figures:
        if f.get("indicator"):
            db.execute("INSERT OR IGNORE INTO indicators(id) VALUES (?)", [f["indicator"]])


def _sql_value(v: Any) -> Any:
    # what sqlite-utils stores for a value (write_record goes through it): containers as JSON
    if isinstance(v, dict | list | tuple):
        return json.dumps(v, default=repr, ensure_ascii=False)
    return v


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _indicators_of(figures: list[dict[str, Any]] | FigureRows) -> Iterator[str]:
    if isinstance(figures, FigureRows):
        if "indicator" in figures.columns:
            k = figures.columns.index("indicator")
            yield from (row[k] for row in figures.rows if row[k])
        return
    yield from (f["indicator"] for f in figures if f.get("indicator"))


def _sql_row(values: list[Any] | tuple[Any, ...]) -> list[Any] | tuple[Any, ...]:
    """``_sql_value`` of each value: a row of plain scalars (every figure row) passes as it is,
    one type test per value in C instead of a Python call (writer: 1.8 -> 1.2 ms a document)."""
    if _SCALARS.issuperset(map(type, values)):
        return values
    return [_sql_value(v) for v in values]


def write_records(db: Database, recs: list[Record]) -> None:
    """``write_record`` for a batch, in plain SQL: the same rows, at a fraction of the cost.

    sqlite-utils rebuilds its INSERT and inspects the table on every call, which cost
    more than SQLite itself on a bulk ingest (profiled: ~5 ms of ~7 ms per document).
    The caller owns the transaction.
    """
    conn = db.conn
    stamp = _now()
    for rec in recs:
        doc = dict(rec.document)
        doc_id = doc["id"]
        old = conn.execute("SELECT version FROM documents WHERE id = ?", [doc_id]).fetchone()
        if old is not None:
            version = old[0]
            conn.execute("DELETE FROM figures WHERE document_id = ?", [doc_id])
            conn.execute("DELETE FROM texts WHERE document_id = ?", [doc_id])
        else:
            prev = conn.execute("SELECT max(version) FROM documents WHERE path = ?", [doc["path"]]).fetchone()[0]
            version = (prev or 0) + 1
        doc.update(version=version, stored_at=stamp)
        cols = list(doc)
        conn.execute(f"INSERT OR REPLACE INTO documents ({', '.join(f'[{c}]' for c in cols)}) "
                     f"VALUES ({', '.join('?' * len(cols))})", [_sql_value(doc[c]) for c in cols])
        if rec.text is not None:
            conn.execute("INSERT INTO texts (document_id, text) VALUES (?, ?)", [doc_id, rec.text])
        figs = rec.figures
        if isinstance(figs, FigureRows) and "document_id" in figs.columns:
            di = figs.columns.index("document_id")
            if all(row[di] == doc_id for row in figs.rows):  # the rows as they came, no dicts made
                conn.executemany(
                    f"INSERT INTO figures ({', '.join(f'[{c}]' for c in figs.columns)}) "
                    f"VALUES ({', '.join('?' * len(figs.columns))})", map(_sql_row, figs.rows))
                figs = []
            else:
                figs = list(figs)
        if figs:
            fcols = list(dict.fromkeys(k for f in figs for k in f if k != "document_id"))
            conn.executemany(
                f"INSERT INTO figures (document_id, {', '.join(f'[{c}]' for c in fcols)}) "
                f"VALUES (?, {', '.join('?' * len(fcols))})",
                (_sql_row([doc_id, *map(f.get, fcols)]) for f in figs))
        if rec.ok and doc.get("region"):
            conn.execute("INSERT INTO regions (name, code, province, level) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT(name) DO UPDATE SET code = excluded.code, province = excluded.province, "
                         "level = excluded.level",
                         [doc["region"], doc.get("region_code"), doc.get("province"), doc.get("level")])
        indicators = dict.fromkeys(_indicators_of(rec.figures))
        if indicators:
            conn.executemany("INSERT OR IGNORE INTO indicators (id) VALUES (?)", [[i] for i in indicators])


def read_figures(db: Database, document_id: str) -> list[Figure]:
    """The figures of one document, in their original order."""
    rows = db.query("SELECT * FROM figures WHERE document_id = ? ORDER BY idx", [document_id])
    return [row_to_figure(r) for r in rows]


# ---------------------------------------------------------------- indicators

def _indicator_entries(data: Any, prefix: str = "") -> list[dict[str, Any]]:
    """Indicator tables found in a parsed indicators.toml, whichever shape it has.

    ``[indicator."children_home.count"]`` tables (ids as keys under ``indicator``),
    ``[[indicator]]`` arrays with an ``id``, or bare ``[children_home.count]`` tables
    (TOML nests those, so the id is the dotted path).

    >>> _indicator_entries({"indicator": {"children_home.count": {"kinds": ["count"], "subject_any": ["儿童之家"]}}})
    [{'id': 'children_home.count', 'name': None, 'kind': 'count', 'synonyms': ['儿童之家']}]
    """
    leaf_keys = {"synonyms", "aliases", "terms", "subject_any", "name", "label", "kind", "kinds"}
    out: list[dict[str, Any]] = []
    if isinstance(data, list):
        for item in data:
            if isinstance(item, dict) and "id" in item:
                out.append(_indicator(str(item["id"]), item))
        return out
    if not isinstance(data, dict):
        return out
    if not prefix and set(data) & {"indicator", "indicators"}:
        return _indicator_entries(data.get("indicator", data.get("indicators")), "")
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and leaf_keys & value.keys() and not any(
                isinstance(v, dict) for v in value.values()):
            out.append(_indicator(path, value))
        elif isinstance(value, dict | list):
            out.extend(_indicator_entries(value, "" if isinstance(value, list) else path))
    return out


def _indicator(ident: str, item: dict[str, Any]) -> dict[str, Any]:
    syn = item.get("synonyms") or item.get("aliases") or item.get("terms") or item.get("subject_any") or []
    kind = item.get("kind") or ",".join(item.get("kinds") or []) or None
    return {"id": ident, "name": item.get("name") or item.get("label"), "kind": kind,
            "synonyms": list(syn) if isinstance(syn, list | tuple) else [syn]}


def refresh_indicators(db: Database) -> int:
    """Upsert the indicators of extractors/data/indicators.toml (when present); returns how many."""
    try:
        from pipeline.settings import load_data

        data = load_data("extractors", "indicators")
    except (FileNotFoundError, ModuleNotFoundError, tomllib.TOMLDecodeError):
        return 0
    entries = _indicator_entries(data)
    for e in entries:
        db.table("indicators").upsert({**e, "synonyms": json.dumps(e["synonyms"], ensure_ascii=False)}, pk="id")
    return len(entries)


# ---------------------------------------------------------------- search

#: characters of context either side of a hit in ``search`` snippets
SNIPPET_CONTEXT = 30


def search(db: Database, q: str, limit: int = 50) -> list[dict[str, Any]]:
    """Documents whose text contains every whitespace-separated term of ``q``.

    Terms of 3+ characters go through the FTS5 trigram index, plus ``instr()`` over texts
    still queued for it (``index_texts``); both match case exactly (migration 0004). The trigram tokenizer cannot match shorter
    terms (妇女, 资金) and on SQLite 3.40 ``LIKE`` on the FTS table returns nothing for them
    either, so a query with a short term scans the content table with ``instr()`` instead.
    """
    terms = q.split()
    if not terms:
        return []
    if all(len(t) >= 3 for t in terms):
        match = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
        scan = " AND ".join("instr(t.text, ?) > 0" for _ in terms)
        where = (f"(t.rowid IN (SELECT rowid FROM texts_fts WHERE texts_fts MATCH ?) "
                 f"OR (t.rowid IN (SELECT rowid FROM texts_fts_pending) AND {scan}))")
        params: list[Any] = [match, *terms]
    else:
        where = " AND ".join("instr(t.text, ?) > 0" for _ in terms)
        params = list(terms)
    sql = f"""
        SELECT d.id AS document_id, d.path, d.title, d.region, d.year,
               substr(t.text, max(instr(t.text, ?) - {SNIPPET_CONTEXT}, 1),
                      {2 * SNIPPET_CONTEXT} + length(?)) AS snippet
        FROM texts t JOIN documents d ON d.id = t.document_id
        WHERE {where}
        ORDER BY d.year, d.path LIMIT ?"""
    return list(db.query(sql, [terms[0], terms[0], *params, limit]))
