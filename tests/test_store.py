"""The corpus store: schema migrations, round trips, versions, full-text search, views."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from pipeline import store
from pipeline.types import Document, Figure, HuibaoError, RawDocument


def memory_db() -> Database:
    db = Database(memory=True)
    store.migrate(db)
    return db


@pytest.fixture
def db() -> Database:
    return memory_db()


def make_doc(path: str, text: str, **meta) -> Document:
    raw = RawDocument(path, "txt", text, encoding="utf-8")
    return Document(raw, text, list(range(len(text) + 1)), meta=meta)


def record(doc: Document, figures: list[Figure], doc_id: str | None = None) -> store.Record:
    doc_id = doc_id or store.content_id(doc.text.encode())
    rows = [store.figure_row(f, doc_id, i) for i, f in enumerate(figures)]
    return store.Record(store.document_row(doc, doc_id=doc_id, n_figures=len(rows),
                                           version=store.pipeline_version()), doc.text, rows)


def write(db: Database, rec: store.Record) -> None:
    with db.atomic():
        store.write_record(db, rec)


# ---------------------------------------------------------------- migrations

def test_migrations_are_recorded_and_applied_once(db):
    applied = [r["name"] for r in db["_migrations"].rows]
    assert applied == [m.name for m in store.MIGRATIONS._migrations]
    assert store.migrate(db) == []
    assert {"documents", "texts", "figures", "indicators", "regions", "runs", "texts_fts"} <= set(db.table_names())
    assert {"figures_by_indicator", "indicator_region_year", "current_documents",
            "audit_findings_documents"} <= set(db.view_names())
    assert applied[-1] == "0007_audit_findings_documents"


def test_compare_queries_use_indexes(db):
    plan = " ".join(r[3] for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM figures WHERE indicator = ? AND status = ?", ["x", "actual"]))
    assert "figures_indicator" in plan


# ---------------------------------------------------------------- round trips

_opt_text = st.none() | st.text(min_size=1, max_size=12)
_number = (st.none() | st.integers(-10**15, 10**15)
           | st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
_period = (st.none() | st.integers(1949, 2100)
           | st.tuples(st.integers(1949, 2099), st.integers(1, 10)).map(lambda t: [t[0], t[0] + t[1]]))
figures_st = st.builds(
    Figure,
    text=st.text(min_size=1, max_size=20), value=_number,
    kind=st.sampled_from(["count", "money", "percent", "other"]), unit=_opt_text,
    start=st.integers(0, 10**6), end=st.integers(0, 10**6), high=_number,
    approx=st.none() | st.sampled_from(["多", "余", "近", "左右", "超"]), subject=_opt_text,
    indicator=st.none() | st.sampled_from(["children_home.count", "funds.cny"]), redacted=st.booleans(),
    status=st.none() | st.sampled_from(["actual", "target"]), period=_period,
    role=st.none() | st.sampled_from(["total", "part"]), parent=st.none() | st.integers(0, 50),
    raw_start=st.none() | st.integers(0, 10**6), raw_end=st.none() | st.integers(0, 10**6),
    sentence=_opt_text, extractor=st.sampled_from(["rules", "model"]),
    confidence=st.none() | st.floats(0, 1),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(figures_st, max_size=8))
def test_figures_read_back_equal(figures):
    db = memory_db()  # not the fixture: hypothesis reruns the body, and each example wants a fresh db
    doc = make_doc("a.txt", "全文")
    write(db, record(doc, figures, doc_id="d1"))
    assert store.read_figures(db, "d1") == figures


def test_document_metadata_columns_and_extra_meta(db):
    doc = make_doc("r/2021.txt", "某区妇联2021年工作总结", title="某区妇联2021年工作总结", org="某区妇联",
                   level="区", region="四川省成都市某区", year=2021, reviews=[2019, 2021], truncated=True,
                   missing_chars=640, placeholders=3, genre="summary")
    write(db, record(doc, [], doc_id="d1"))
    row = db["documents"].get("d1")
    assert (row["title"], row["year"], row["truncated"], row["missing_chars"], row["placeholders"]) == (
        "某区妇联2021年工作总结", 2021, 1, 640, 3)
    assert row["reviews"] == "[2019, 2021]" and row["meta"] == '{"genre": "summary"}'
    assert row["status"] == "ok" and row["version"] == 1 and row["pipeline_version"] == store.pipeline_version("rules")
    assert db["regions"].get("四川省成都市某区")["level"] == "区"


def test_changed_file_is_a_new_version_and_the_old_is_kept(db):
    write(db, record(make_doc("a.txt", "第一版 儿童之家10个"), [Figure("儿童之家10个", 10, "count", "个", 4, 11)]))
    write(db, record(make_doc("a.txt", "第二版 儿童之家12个"), [Figure("儿童之家12个", 12, "count", "个", 4, 11)]))
    rows = list(db.query("SELECT version, status FROM documents WHERE path = 'a.txt' ORDER BY version"))
    assert [r["version"] for r in rows] == [1, 2]
    current = list(db.query("SELECT value FROM figures_by_indicator"))
    assert [r["value"] for r in current] == [12]


def test_rewrite_replaces_rows_and_keeps_fts_in_step(db):
    doc = make_doc("a.txt", "全区妇女儿童之家125个")
    rec = record(doc, [Figure("儿童之家125个", 125, "count", "个", 4, 12)])
    write(db, rec)
    write(db, rec)  # --force writes the same document again
    assert db["figures"].count == 1 and db["texts"].count == 1
    assert [r["document_id"] for r in store.search(db, "儿童之家")] == [rec.id]
    assert store.index_texts(db) == 1
    write(db, rec)  # and once more after it was indexed
    assert store.index_texts(db) == 1
    assert db.execute("SELECT count(*) FROM texts_fts WHERE texts_fts MATCH '\"儿童之家\"'").fetchone()[0] == 1
    assert [r["document_id"] for r in store.search(db, "儿童之家")] == [rec.id]


def fts_ok(db: Database) -> bool:
    """FTS5's own check that the trigram index holds exactly the content table's rows."""
    try:
        db.execute("INSERT INTO texts_fts(texts_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True


def test_queued_texts_are_found_and_indexed_once(db):
    a = record(make_doc("a.txt", "全区儿童之家125个"), [])
    b = record(make_doc("b.txt", "妇女之家建设"), [])
    write(db, a)
    # queued, not yet indexed: search scans it
    assert db.execute("SELECT count(*) FROM texts_fts_pending").fetchone()[0] == 1
    assert [r["document_id"] for r in store.search(db, "儿童之家")] == [a.id]
    assert store.index_texts(db) == 1 and store.index_texts(db) == 0
    write(db, b)
    # one indexed, one queued: both are found, neither twice
    assert [r["path"] for r in store.search(db, "之家 建设")] == ["b.txt"]
    assert sorted(r["path"] for r in store.search(db, "之家")) == ["a.txt", "b.txt"]
    assert not fts_ok(db)  # the index lacks b until it is indexed
    store.index_texts(db)
    assert fts_ok(db)
    assert sorted(r["path"] for r in store.search(db, "之家")) == ["a.txt", "b.txt"]


@pytest.mark.parametrize("index_between", [False, True])
def test_deletes_and_updates_keep_the_index_consistent(db, index_between):
    """A queued row deleted or updated must not be sent to FTS5 as a 'delete' (that corrupts it)."""
    recs = [record(make_doc(f"{i}.txt", f"第{i}份报告：建成儿童之家{i}个"), []) for i in range(6)]
    for r in recs[:3]:
        write(db, r)
    if index_between:
        store.index_texts(db)
    with db.atomic():
        db.execute("DELETE FROM texts WHERE document_id = ?", [recs[0].id])
        db.execute("UPDATE texts SET text = '改写的文本：妇女之家' WHERE document_id = ?", [recs[1].id])
    for r in recs[3:]:
        write(db, r)
    with db.atomic():  # the largest rowid goes and comes back: SQLite reuses it
        db.execute("DELETE FROM texts WHERE document_id = ?", [recs[5].id])
    write(db, recs[5])
    store.index_texts(db)
    assert fts_ok(db)
    assert db.execute("SELECT count(*) FROM texts_fts WHERE texts_fts MATCH '\"妇女之家\"'").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM texts_fts WHERE texts_fts MATCH '\"儿童之家\"'").fetchone()[0] == 4


def test_trigram_index_merges_sixteen_segments_at_a_time_new_or_upgraded(tmp_path):
    def automerge(db: Database) -> int | None:
        row = db.execute("SELECT v FROM texts_fts_config WHERE k = 'automerge'").fetchone()
        return row and row[0]

    new = store.open_db(tmp_path / "new.sqlite")
    assert automerge(new) == store.FTS_AUTOMERGE == 16
    old = Database(tmp_path / "old.sqlite")
    store.MIGRATIONS.apply(old, stop_before="0005_fts_automerge")
    assert automerge(old) is None  # FTS5's default, 4
    write(old, record(make_doc("a.txt", "全区儿童之家125个"), []))
    assert store.migrate(old)[:1] == ["0005_fts_automerge"]  # and any later ones
    assert automerge(old) == 16
    store.index_texts(old)
    assert fts_ok(old) and [r["path"] for r in store.search(old, "儿童之家")] == ["a.txt"]


def test_case_sensitive_index_upgrades_a_0003_database(tmp_path):
    """0004 rebuilds the trigram index of a database made before it, queued texts included,
    and search then matches Latin letters case-sensitively whether a text is indexed or queued."""
    path = tmp_path / "old.sqlite"
    old = Database(path)
    store.MIGRATIONS.apply(old, stop_before="0004_case_sensitive_trigrams")  # the schema before 0004
    assert "case_sensitive" not in old.execute("SELECT sql FROM sqlite_master WHERE name = 'texts_fts'").fetchone()[0]
    indexed = record(make_doc("a.txt", "全区GDP增长5%，儿童之家125个"), [])
    queued = record(make_doc("b.txt", "全区gdp统计口径调整"), [])
    write(old, indexed)
    store.index_texts(old)
    write(old, queued)
    assert old.execute("SELECT count(*) FROM texts_fts_pending").fetchone()[0] == 1
    old.close()

    db = Database(path)
    assert store.migrate(db)[:2] == ["0004_case_sensitive_trigrams", "0005_fts_automerge"]  # and any later ones
    assert db.execute("SELECT count(*) FROM texts_fts_pending").fetchone()[0] == 0
    assert fts_ok(db)
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'texts_fts'").fetchone()[0]
    assert "case_sensitive 1" in sql
    assert [r["path"] for r in store.search(db, "GDP增长")] == ["a.txt"]
    assert [r["path"] for r in store.search(db, "gdp统计")] == ["b.txt"]
    assert store.search(db, "gdp增长") == []
    # the triggers still feed the rebuilt index
    write(db, record(make_doc("c.txt", "新建儿童之家8个"), []))
    store.index_texts(db)
    assert fts_ok(db)
    assert db.execute("SELECT count(*) FROM texts_fts WHERE texts_fts MATCH '\"儿童之家\"'").fetchone()[0] == 2


def test_failed_document_row(db):
    write(db, store.Record(store.failed_row("bad.pdf", doc_id="x", error="encrypted PDF", version="v")))
    row = db["documents"].get("x")
    assert (row["status"], row["error"], row["path"]) == ("failed", "encrypted PDF", "bad.pdf")
    assert store.is_stored(db, "x", "v") and not store.is_stored(db, "x", "other")


# ---------------------------------------------------------------- search

@pytest.fixture
def searchable(db):
    write(db, record(make_doc("a.txt", "一年来，全区妇女儿童工作稳步推进，争取资金200万元。", title="甲"), []))
    write(db, record(make_doc("b.txt", "留守儿童关爱服务体系建设。", title="乙"), []))
    return db


def test_trigram_index_alone_cannot_find_two_character_words(searchable):
    # why search() falls back to instr(): if SQLite starts matching these, the fallback can go
    # (LIKE on the FTS table is no help: with case_sensitive 1 it is not served by the index, and
    # on SQLite 3.40 it found nothing for these through the case-folding index that came before)
    assert searchable.execute("SELECT count(*) FROM texts_fts WHERE texts_fts MATCH '\"妇女\"'").fetchone()[0] == 0


@pytest.mark.parametrize("q, paths", [
    ("妇女", ["a.txt"]),            # two characters: instr() on the content table
    ("资金", ["a.txt"]),
    ("儿童", ["a.txt", "b.txt"]),
    ("留守儿童", ["b.txt"]),        # 3+ characters: FTS5 trigram
    ("儿童 资金", ["a.txt"]),       # every term must occur
    ("妇女儿童工作", ["a.txt"]),
    ("不存在的词", []),
    ("", []),
])
def test_search(searchable, q, paths):
    hits = store.search(searchable, q)
    assert [h["path"] for h in hits] == paths
    for h in hits:
        assert q.split()[0] in h["snippet"]


# ---------------------------------------------------------------- views, indicators, errors

def test_indicator_region_year_view(db):
    for region, year, value in (("甲区", 2021, 10), ("甲区", 2022, 12), ("乙县", 2022, 7)):
        figs = [Figure(f"儿童之家{value}个", value, "count", "个", 0, 5, indicator="children_home.count",
                       status="actual", period=year),
                Figure("*个", None, "count", "个", 6, 8, indicator="children_home.count", redacted=True,
                       status="actual", period=year)]
        write(db, record(make_doc(f"{region}{year}.txt", f"{region}{year}", region=region, year=year), figs))
    rows = list(db.query("SELECT region, year, all_values, n_figures FROM indicator_region_year "
                         "ORDER BY region, year"))
    assert [(r["region"], r["year"], r["all_values"], r["n_figures"]) for r in rows] == [
        ("乙县", 2022, "7", 1), ("甲区", 2021, "10", 1), ("甲区", 2022, "12", 1)]


def test_indicator_entries_from_the_toml_shapes():
    nested = {"children_home": {"count": {"name": "儿童之家", "synonyms": ["儿童之家", "留守儿童之家"]}}}
    keyed = {"indicator": {"gdp.growth_pct": {"name": "GDP growth", "kinds": ["percent"], "subject_any": ["生产总值"]},
                           "funds.cny": {"kinds": ["money"]}}}
    assert store._indicator_entries(keyed) == [
        {"id": "gdp.growth_pct", "name": "GDP growth", "kind": "percent", "synonyms": ["生产总值"]},
        {"id": "funds.cny", "name": None, "kind": "money", "synonyms": []}]
    array = {"indicator": [{"id": "funds.cny", "kind": "money", "synonyms": ["资金"]}]}
    assert [e["id"] for e in store._indicator_entries(nested)] == ["children_home.count"]
    assert store._indicator_entries(array) == [
        {"id": "funds.cny", "name": None, "kind": "money", "synonyms": ["资金"]}]


def test_refresh_indicators_fills_the_table(db):
    n = store.refresh_indicators(db)
    assert db["indicators"].count == n
    if n:  # extractors/data/indicators.toml is there
        home = db["indicators"].get("children_home.count")
        assert home["name"] and "儿童之家" in home["synonyms"]


def test_open_db_errors_are_one_line(tmp_path):
    with pytest.raises(HuibaoError, match="no such corpus"):
        store.open_db(tmp_path / "missing.sqlite", readonly=True)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(HuibaoError, match="not an SQLite database"):
        store.open_db(junk)
    assert "read-only" in str(store._db_error("c.sqlite", sqlite3.OperationalError(
        "attempt to write a readonly database")))


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_locked_database_is_a_clear_error(tmp_path, journal):
    """Another process writing: one clear line. A WAL corpus opens (readers are never locked out)
    and the write says so; an old rollback-journal corpus says so when it is opened."""
    path = tmp_path / "c.sqlite"
    store.open_db(path).close()
    holder = sqlite3.connect(path)
    holder.execute(f"PRAGMA journal_mode = {journal}")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HuibaoError, match="locked by another process"):
            db = store.open_db(path, timeout=0.1)
            try:
                db["runs"].insert({"started": "now"})
            except sqlite3.Error as e:  # as ingest reports a failed write
                raise store._db_error(path, e) from None
    finally:
        holder.rollback()
        holder.close()


def test_writable_opens_put_the_corpus_in_wal_mode(tmp_path):
    """Readers (serve, compare) go on reading while ingest writes; an old corpus is switched."""
    path = tmp_path / "c.sqlite"
    old = sqlite3.connect(path)
    old.execute("PRAGMA journal_mode = delete")
    old.close()
    assert not store.is_wal(path)
    db = store.open_db(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    assert store.is_wal(path)
    writer = sqlite3.connect(path)
    try:  # a writer committing, or whose changes spilled out of its cache (rollback mode: locked) ...
        writer.execute("BEGIN EXCLUSIVE")
        writer.execute("INSERT INTO runs (started) VALUES ('writing')")
        reader = store.open_db(path, readonly=True, timeout=0.1)  # ... does not keep a reader waiting
        assert reader["runs"].count == 0
        reader.close()
    finally:
        writer.rollback()
        writer.close()


def _crash_mid_write(path, journal: str = "journal") -> None:
    """A process that dies in the middle of a write, leaving a hot journal beside ``path``: its
    changes spilled into the file (a one-page cache), the old pages only in the journal (in WAL
    mode: uncommitted frames in the -wal)."""
    code = ("import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
            "c.execute('PRAGMA cache_size = 1'); c.execute('BEGIN'); "
            "c.execute(\"UPDATE documents SET title = 'half written'\"); "
            "c.execute('INSERT INTO runs (started) SELECT started FROM runs'); os._exit(9)")
    subprocess.run([sys.executable, "-c", code, str(path)], check=False, timeout=60)
    assert Path(f"{path}-{journal}").stat().st_size > 0


def _corpus(path, n: int = 40, journal: str = "delete") -> None:
    """A corpus of ``n`` documents; in rollback-journal mode unless ``journal`` is wal (corpora
    written before writers switched to WAL)."""
    db = store.open_db(path)
    with db.atomic():
        for i in range(n):
            store.write_record(db, record(make_doc(f"{i}.txt", f"第{i}份报告" * 200, title=f"报告{i}"), []))
        db["runs"].insert_all({"started": f"run {i}"} for i in range(200))
    db.execute(f"PRAGMA journal_mode = {journal}")
    db.close()


def test_a_hot_journal_is_rolled_back_for_a_read_only_command(tmp_path):
    """compare, audit and serve open the corpus read-only; after an ingest was killed mid-write
    they said "database is read-only (check the file's and folder's permissions)", which it was
    not: a read-only connection cannot roll back a hot journal. It is rolled back first, as any
    writable open would, and the last committed state is read."""
    path = tmp_path / "c.sqlite"
    _corpus(path)
    _crash_mid_write(path)
    db = store.open_db(path, readonly=True)
    assert db.execute("SELECT count(*), count(DISTINCT title) FROM documents").fetchone() == (40, 40)
    assert db["runs"].count == 200 and not Path(f"{path}-journal").exists()
    db.close()


def test_a_write_killed_in_wal_mode_leaves_the_last_committed_state(tmp_path):
    path = tmp_path / "c.sqlite"
    _corpus(path, journal="wal")
    _crash_mid_write(path, "wal")
    db = store.open_db(path, readonly=True)
    assert db.execute("SELECT count(*), count(DISTINCT title) FROM documents").fetchone() == (40, 40)
    assert db["runs"].count == 200
    db.close()


def _without_file_permission_override(code: str, *args: str) -> subprocess.CompletedProcess:
    """Run Python ``code`` as this user without the power to write where permissions forbid it
    (root: CAP_DAC_OVERRIDE dropped with setpriv), so a read-only folder is read-only."""
    cmd = [sys.executable, "-c", code, *args]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: a read-only folder cannot be made")
        drop = "-dac_override,-dac_read_search"
        cmd = ["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[1])


def test_a_wal_corpus_in_a_read_only_folder_is_read(tmp_path):
    """compare, indicators and serve read a WAL corpus from a read-only folder (a published share):
    a read-only connection would need to create its -shm there (SQLITE_READONLY_DIRECTORY: "folder is
    read-only"); with no -wal no one can be writing it, and it is read as immutable."""
    folder = tmp_path / "share"
    folder.mkdir()
    path = folder / "c.sqlite"
    _corpus(path, journal="wal")
    assert store.is_wal(path) and not Path(f"{path}-wal").exists()
    code = ("import sys; from pipeline import store; db = store.open_db(sys.argv[1], readonly=True); "
            "print(db['documents'].count)")
    folder.chmod(0o555)
    try:
        r = _without_file_permission_override(code, str(path))
    finally:
        folder.chmod(0o755)
    assert r.returncode == 0 and r.stdout.split() == ["40"], r.stderr[-500:]
    assert sorted(p.name for p in folder.iterdir()) == ["c.sqlite"]


def test_a_hot_journal_that_cannot_be_rolled_back_is_named(tmp_path):
    """Where the rollback needs a permission the user lacks, the error says what the file has."""
    path = tmp_path / "c.sqlite"
    _corpus(path)
    _crash_mid_write(path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as info:
        conn.execute("SELECT count(*) FROM documents").fetchone()
    conn.close()
    msg = str(store._db_error(path, info.value))
    assert msg.startswith(f"{path}: has a hot journal (c.sqlite-journal): a write to it was interrupted")
    assert "read-only" not in msg


def test_a_pickled_record_writes_the_same_rows():
    """Records cross processes with their figures packed as tuples (FigureRows); the writer
    must store exactly what it stores for the dicts, and odd rows must travel unpacked."""
    import pickle

    figs = [Figure("125个", 125, "count", "个", 4, 8, subject="儿童之家", indicator="children_home.count"),
            Figure("3.5万元", 35000, "money", "元", 10, 15, period=[2021, 2025])]
    rec = record(make_doc("a.txt", "全区共有125个儿童之家，投入3.5万元"), figs)
    wire = pickle.loads(pickle.dumps(rec))
    assert isinstance(wire.figures, store.FigureRows) and wire.figures == rec.figures
    dbs = []
    for r in (rec, wire):
        db = memory_db()
        with db.atomic():
            store.write_records(db, [r])
        dbs.append(db)
    rows = [list(d.query("SELECT * FROM figures ORDER BY idx")) for d in dbs]
    assert rows[0] == rows[1] and len(rows[0]) == 2
    assert [list(d.query("SELECT * FROM indicators")) for d in dbs] == [[{"id": "children_home.count", "name": None,
                                                                          "kind": None, "synonyms": None}]] * 2
    odd = store.Record(rec.document, rec.text, [rec.figures[0], {**rec.figures[1], "extra": 1}])
    assert isinstance(pickle.loads(pickle.dumps(odd)).figures, list)
