"""Auditors' reviews of audit findings, in a SQLite file of their own beside the corpus.

``audit`` replaces a check's rows in ``audit_findings`` on every run, so a finding's row id is
no lasting name. A review is keyed by ``finding_key``: a hash of the check, the documents (their
content ids) and the evidence, without what a rerun or a re-ingest changes although the finding
is the same (figure row ids, the evidence score and its reasons, file paths). The same finding
found again has the same key and keeps its review; a finding whose evidence changed is a new
one to review.

The reviews file is never the corpus: ``huibao review`` and Datasette's writable canned query
(``huibao serve``) write it; the corpus is only read. Each review is a row; the newest row of a
key (``latest_reviews``) is its status, older rows are its history.

Reading findings with their status (``findings``, and the Datasette canned queries) needs the
SQL function ``huibao_finding_key`` and the reviews file attached as ``reviews``: ``prepare``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from pipeline.types import HuibaoError

#: what an auditor can say about a finding
VERDICTS = ("confirmed", "false_alarm", "fixed", "unsure")

#: evidence keys left out of the key: they change when the same finding is found again
#: (figure row ids after ``ingest --force``, the score and reasons when severity rules are tuned,
#: paths when a file is moved but its content is the same)
VOLATILE = frozenset({"figure_id", "figure_ids", "score", "reasons", "path", "paths", "doc_path"})

KEY_LENGTH = 16

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY,
    finding_key TEXT NOT NULL CHECK (length(finding_key) = {KEY_LENGTH} AND finding_key NOT GLOB '*[^0-9a-f]*'),
    "check" TEXT,
    verdict TEXT NOT NULL CHECK (verdict IN ({', '.join(f"'{v}'" for v in VERDICTS)})),
    note TEXT,
    reviewer TEXT,
    reviewed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS reviews_key ON reviews(finding_key, id);
CREATE VIEW IF NOT EXISTS latest_reviews AS
SELECT r.* FROM reviews r
WHERE r.id = (SELECT max(r2.id) FROM reviews r2 WHERE r2.finding_key = r.finding_key);
"""


def _stable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def _loads(value: Any) -> Any:
    if isinstance(value, str | bytes):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def finding_key(check: str, document_ids: Any, evidence: Any) -> str:
    """The lasting name of a finding; ``document_ids`` and ``evidence`` as stored (JSON) or decoded.

    >>> k = finding_key("parts_total", '["d1"]', '{"total": 9, "items": [{"figure_id": 4, "value": 9}]}')
    >>> k == finding_key("parts_total", ["d1"], {"items": [{"value": 9, "figure_id": 77}], "total": 9})
    True
    >>> k == finding_key("parts_total", ["d1"], {"total": 8, "items": [{"value": 9}]}), len(k)
    (False, 16)
    """
    docs = _loads(document_ids) or []
    canonical = json.dumps({"check": check, "documents": sorted(map(str, docs)), "evidence": _stable(_loads(evidence))},
                           sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:KEY_LENGTH]


def default_path(db_path: str | Path) -> Path:
    """Where a corpus's reviews are kept: ``corpus.sqlite`` -> ``corpus-reviews.sqlite`` beside it."""
    p = Path(db_path)
    return p.with_name(f"{p.stem}-reviews.sqlite")


def open_reviews(path: str | Path) -> sqlite3.Connection:
    """Open (or create) a reviews file for writing, in WAL mode (Datasette reads it meanwhile)."""
    try:
        conn = sqlite3.connect(str(path), timeout=5.0)
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.executescript(SCHEMA)
    except sqlite3.Error as e:
        raise HuibaoError(f"{path}: cannot open the reviews file: {e}") from None
    return conn


def _sql_key(check: Any, document_ids: Any, evidence: Any) -> str:
    return finding_key(str(check), document_ids, evidence)


def prepare(conn: sqlite3.Connection, reviews_path: str | Path | None = None) -> None:
    """Make ``conn`` (a corpus connection) able to show review status: the SQL function
    ``huibao_finding_key(check, document_ids, evidence)``, and the reviews file attached read-only
    as ``reviews`` (an empty in-memory one when there is no file)."""
    conn.create_function("huibao_finding_key", 3, _sql_key, deterministic=True)
    if "reviews" in {r[1] for r in conn.execute("PRAGMA database_list")}:
        return
    if reviews_path is not None and Path(reviews_path).exists():
        conn.execute("ATTACH DATABASE ? AS reviews", [f"file:{Path(reviews_path).resolve()}?mode=ro"])
    else:
        conn.execute("ATTACH DATABASE ':memory:' AS reviews")
        for stmt in SCHEMA.split(";"):
            if stmt.strip():
                conn.execute(stmt.replace("IF NOT EXISTS ", "IF NOT EXISTS reviews.", 1))


#: findings with their documents and review status, newest review first per key (the same
#: columns as the Datasette canned queries)
FINDINGS_SQL = """
SELECT f.id, f."check", f.severity, f.message, f.evidence,
       group_concat(f.path, ' | ') AS file, group_concat(f.region, ' | ') AS region,
       group_concat(f.year, ' | ') AS year, group_concat(f.title, ' | ') AS title, group_concat(f.org, ' | ') AS org,
       coalesce(r.verdict, 'unreviewed') AS review, r.note AS review_note, r.reviewer, r.reviewed_at,
       huibao_finding_key(f."check", f.document_ids, f.evidence) AS finding_key
FROM audit_findings_documents f
LEFT JOIN reviews.latest_reviews r ON r.finding_key = huibao_finding_key(f."check", f.document_ids, f.evidence)
WHERE (:check = '' OR f."check" = :check)
GROUP BY f.id
ORDER BY min(f.severity_rank), f."check", min(f.region), min(f.year), f.id
"""


def findings(db_path: str | Path, reviews_path: str | Path | None = None, check: str = "") -> list[dict[str, Any]]:
    """The corpus's findings with their files, regions, years and review status."""
    from pipeline import store

    db = store.open_db(db_path, readonly=True)
    try:
        prepare(db.conn, reviews_path or default_path(db_path))
        cur = db.conn.execute(FINDINGS_SQL, {"check": check})
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]
    finally:
        db.conn.close()


def mark(db_path: str | Path, finding: str, verdict: str, note: str | None = None, reviewer: str | None = None,
         reviews_path: str | Path | None = None) -> dict[str, Any]:
    """Record a review of ``finding`` (a current finding's id, or its key); returns the finding.

    The corpus is opened read-only: a review never writes it.
    """
    if verdict not in VERDICTS:
        raise HuibaoError(f"unknown verdict {verdict!r} (known: {', '.join(VERDICTS)})")
    rows = findings(db_path, reviews_path)
    found = [r for r in rows if str(r["id"]) == finding or r["finding_key"] == finding.lower()]
    if not found:
        raise HuibaoError(f"no finding {finding!r} in {db_path} (an id or key of `huibao review --db {db_path}`; "
                          "run `huibao audit` first)")
    row = found[0]
    conn = open_reviews(reviews_path or default_path(db_path))
    try:
        with conn:
            conn.execute('INSERT INTO reviews (finding_key, "check", verdict, note, reviewer) VALUES (?, ?, ?, ?, ?)',
                         [row["finding_key"], row["check"], verdict, note, reviewer])
    except sqlite3.Error as e:
        raise HuibaoError(f"{reviews_path or default_path(db_path)}: cannot record the review: {e}") from None
    finally:
        conn.close()
    return {**row, "review": verdict, "review_note": note, "reviewer": reviewer}
