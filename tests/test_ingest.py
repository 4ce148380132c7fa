"""Ingest: inputs, idempotency, failures, versions, kill -9 and rerun, the CLI."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import ingest as ing
from pipeline import store
from pipeline.types import Document, Figure, HuibaoError, RawDocument
from tests.conftest import kill_mid_run

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent

_FIG = re.compile(r"(\d+)个")


def fake_process(path: str, extractor: str = "rules", doc_id: str | None = None) -> store.Record:
    """A stand-in for process_one with the same contract, independent of the extractors.

    Tests of ingest's mechanics (skips, batches, transactions) use it so that they neither
    wait for nor depend on extraction quality; a file containing BAD fails like a bad file.
    """
    version = store.pipeline_version(extractor)
    data = Path(path).read_bytes()
    doc_id = doc_id or store.content_id(data)
    text = data.decode("utf-8")
    if "BAD" in text:
        return store.Record(store.failed_row(path, doc_id=doc_id, error="unreadable on purpose", version=version))
    doc = Document(RawDocument(path, "txt", text, "utf-8"), text, list(range(len(text) + 1)),
                   meta={"region": Path(path).parent.name, "year": int(re.search(r"\d{4}", Path(path).name)[0])})
    figs = [Figure(m[0], int(m[1]), "count", "个", m.start(), m.end(), indicator="children_home.count",
                   status="actual", period=doc.meta["year"]) for m in _FIG.finditer(text)]
    rows = [store.figure_row(f, doc_id, i) for i, f in enumerate(figs)]
    return store.Record(store.document_row(doc, doc_id=doc_id, n_figures=len(rows), version=version), text, rows)


def slow_process(path: str, extractor: str = "rules", doc_id: str | None = None) -> store.Record:
    time.sleep(0.04)  # gives the kill test a window in the middle of the run
    return fake_process(path, extractor, doc_id)


def make_corpus(root: Path, n: int = 12) -> Path:
    regions = ["甲区", "乙县", "丙市"]
    for i in range(n):
        region = regions[i % len(regions)]
        year = 2018 + i // len(regions)
        folder = root / region
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{year}_report.txt").write_text(
            f"{region}{year}年工作总结\n新建儿童之家{10 + i}个，开展活动{i * 3 + 1}个。\n", encoding="utf-8")
    return root


def dump(db_path: Path) -> dict[str, list[tuple]]:
    """Every row a run leaves, minus what differs between any two runs (write times, the run log)."""
    conn = sqlite3.connect(db_path)
    out = {}
    for table, order in (("documents", "id"), ("texts", "document_id"), ("figures", "id"),
                         ("regions", "name"), ("indicators", "id")):
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "stored_at"]
        out[table] = conn.execute(f"SELECT {', '.join(map(repr, cols))} FROM {table} ORDER BY {order}").fetchall()
    conn.close()
    return out


# ---------------------------------------------------------------- inputs

def test_iter_paths_folders_globs_and_filelists(tmp_path):
    make_corpus(tmp_path / "c", n=6)
    (tmp_path / "c" / "甲区" / "notes.md").write_text("not a report")
    (tmp_path / "c" / ".hidden.txt").write_text("x")
    folder = sorted(ing.iter_paths([str(tmp_path / "c")]))
    assert len(folder) == 6 and all(p.endswith(".txt") for p in folder)
    assert list(ing.iter_paths([str(tmp_path / "c" / "*" / "2018_*.txt")])) == sorted(
        str(p) for p in (tmp_path / "c").glob("*/2018_*.txt"))
    lst = tmp_path / "list.txt"
    lst.write_text(f"# two files\n{folder[0]}\n\nc/甲区\n", encoding="utf-8")
    assert list(ing.iter_paths([f"@{lst}"])) == [folder[0], *sorted(
        str(p) for p in (tmp_path / "c" / "甲区").glob("*.txt"))]
    assert list(ing.iter_paths([str(tmp_path / "nope.txt")])) == [str(tmp_path / "nope.txt")]
    with pytest.raises(HuibaoError, match="cannot read the file list"):
        list(ing.iter_paths(["@" + str(tmp_path / "missing-list")]))


def test_a_file_list_with_names_that_are_no_utf8_and_a_bom(tmp_path):
    """``find > list.txt`` over a GBK-named archive writes bytes that are no UTF-8 (the list raised
    UnicodeDecodeError); Notepad starts a list with a byte-order mark."""
    gbk = os.fsencode(tmp_path) + b"/\xc7\xf8.txt"
    with open(gbk, "wb") as f:
        f.write("全县建成儿童之家12个。".encode())
    (tmp_path / "ok.txt").write_text("全县建成儿童之家13个。", encoding="utf-8")
    lst = tmp_path / "list.txt"
    lst.write_bytes(b"\xef\xbb\xbf" + os.fsencode(tmp_path / "ok.txt") + b"\r\n" + gbk + b"\r\n")
    paths = list(ing.iter_paths([f"@{lst}"]))
    assert paths == [str(tmp_path / "ok.txt"), os.fsdecode(gbk)] and all(os.path.exists(p) for p in paths)


def test_a_folder_that_cannot_be_listed_is_reported_not_skipped(tmp_path, monkeypatch):
    """os.walk passes over a folder it cannot list (permissions, a vanished mount) in silence: its
    reports would be missing from the corpus with no word. The run names it with the reason."""
    corpus = make_corpus(tmp_path / "c", n=6)
    locked = str(corpus / "乙县")
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    s = ing.ingest([str(corpus)], tmp_path / "db.sqlite", process=fake_process)
    assert (s.stored, s.failed) == (4, 1)
    assert s.failures == [(locked, "cannot list the folder (Permission denied)")]


def test_files_no_loader_reads_are_counted_by_extension_not_passed_over_in_silence(tmp_path):
    """A folder's .xls, .jpg and extensionless files were left out without a word: a user could
    not tell a corpus of 500 reports from one of 500 reports and 300 spreadsheets."""
    corpus = make_corpus(tmp_path / "c", n=3)
    for name in ("表1.xls", "表2.XLS", "图.jpg", "README", "说明.md", ".DS_Store"):
        (corpus / "甲区" / name).write_bytes(b"x")
    s = ing.ingest([str(corpus)], tmp_path / "db.sqlite", process=fake_process)
    assert (s.stored, s.failed) == (3, 0)
    assert s.passed_over == {".xls": 2, ".jpg": 1, "": 1, ".md": 1}  # hidden files are no reports
    assert s.line().endswith("; passed over 5 files no loader reads (.xls 2, .jpg 1, .md 1, no extension 1)")


def test_iter_paths_is_lazy(tmp_path):
    make_corpus(tmp_path / "c", n=3)
    it = ing.iter_paths([str(tmp_path / "c"), "@" + str(tmp_path / "missing-list")])
    assert next(it).endswith(".txt")  # the bad list further on is not touched yet


# ---------------------------------------------------------------- runs

def test_ingest_is_idempotent_and_force_redoes(tmp_path):
    corpus, db = make_corpus(tmp_path / "c"), tmp_path / "corpus.sqlite"
    first = ing.ingest([str(corpus)], db, process=fake_process)
    assert (first.stored, first.skipped, first.failed) == (12, 0, 0)
    rows = dump(db)
    again = ing.ingest([str(corpus)], db, process=fake_process)
    assert (again.stored, again.skipped, again.failed) == (0, 12, 0)
    assert dump(db) == rows
    forced = ing.ingest([str(corpus)], db, process=fake_process, force=True)
    assert (forced.stored, forced.skipped) == (12, 0)
    assert dump(db)["figures"][0][1:] == rows["figures"][0][1:] and len(dump(db)["figures"]) == len(rows["figures"])
    runs = list(store.open_db(db)["runs"].rows)
    assert [(r["stored"], r["skipped"]) for r in runs] == [(12, 0), (0, 12), (12, 0)]
    assert all(r["finished"] and r["seconds"] is not None for r in runs)


def test_bad_files_are_recorded_and_the_batch_goes_on(tmp_path):
    corpus, db = make_corpus(tmp_path / "c", n=3), tmp_path / "corpus.sqlite"
    (corpus / "甲区" / "2020_bad.txt").write_text("BAD", encoding="utf-8")
    s = ing.ingest([str(corpus), str(tmp_path / "missing.txt")], db, process=fake_process)
    assert (s.stored, s.failed) == (3, 2)
    assert sorted(s.failures) == sorted([(str(corpus / "甲区" / "2020_bad.txt"), "unreadable on purpose"),
                                         (str(tmp_path / "missing.txt"), "no such file")])
    failed = list(store.open_db(db).query("SELECT path, error FROM documents WHERE status = 'failed'"))
    assert failed == [{"path": str(corpus / "甲区" / "2020_bad.txt"), "error": "unreadable on purpose"}]
    # a failed content is not retried by a plain rerun either, and it counts as failed again, as a
    # known failure (it counted as skipped: a rerun's summary read as if every file were stored)
    again = ing.ingest([str(corpus)], db, process=fake_process)
    assert (again.stored, again.skipped, again.failed, again.known_failed) == (0, 3, 1, 1)
    assert again.failures == [(str(corpus / "甲区" / "2020_bad.txt"), f"unreadable on purpose {ing.KNOWN_FAILURE}")]
    runs = store.open_db(db).execute("SELECT stored, skipped, failed FROM runs ORDER BY id").fetchall()
    assert runs == [(3, 0, 2), (0, 3, 1)]


def test_strict_stops_at_the_first_error(tmp_path):
    corpus, db = make_corpus(tmp_path / "c", n=3), tmp_path / "corpus.sqlite"
    (corpus / "甲区" / "2017_bad.txt").write_text("BAD", encoding="utf-8")
    with pytest.raises(HuibaoError, match="2017_bad.txt: unreadable on purpose .*--strict"):
        ing.ingest([str(corpus / "甲区")], db, process=fake_process, strict=True)
    assert store.open_db(db)["documents"].count == 1  # the failure is recorded, nothing after it ran


def test_changed_file_becomes_a_new_version(tmp_path):
    corpus, db = make_corpus(tmp_path / "c", n=3), tmp_path / "corpus.sqlite"
    ing.ingest([str(corpus)], db, process=fake_process)
    f = corpus / "甲区" / "2018_report.txt"
    f.write_text(f.read_text(encoding="utf-8") + "补充：新建儿童之家99个。\n", encoding="utf-8")
    s = ing.ingest([str(corpus)], db, process=fake_process)
    assert (s.stored, s.skipped) == (1, 2)
    conn = store.open_db(db)
    assert [r["version"] for r in conn.query("SELECT version FROM documents WHERE path = ? ORDER BY version",
                                             [str(f)])] == [1, 2]
    assert 99 in [r["value"] for r in conn.query("SELECT value FROM figures_by_indicator")]


def test_same_content_under_two_paths_is_one_document(tmp_path):
    corpus, db = make_corpus(tmp_path / "c", n=3), tmp_path / "corpus.sqlite"
    (corpus / "copy").mkdir()
    (corpus / "copy" / "2018_report.txt").write_bytes((corpus / "甲区" / "2018_report.txt").read_bytes())
    s = ing.ingest([str(corpus)], db, process=fake_process)
    assert (s.stored, s.skipped) == (3, 1)


def test_progress_callback_sees_every_file(tmp_path):
    corpus, seen = make_corpus(tmp_path / "c", n=4), []
    ing.ingest([str(corpus)], tmp_path / "c.sqlite", process=fake_process,
               progress=lambda done, total, path, outcome: seen.append((done, total, outcome)))
    assert seen == [(i, 4, "stored") for i in range(1, 5)]


def test_locked_database_is_one_error(tmp_path):
    db = tmp_path / "c.sqlite"
    store.open_db(db).close()
    holder = sqlite3.connect(db)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HuibaoError, match=r"c\.sqlite: database is locked"):
            ing.ingest([str(make_corpus(tmp_path / "c", 1))], db, process=fake_process, timeout=0.1)
    finally:
        holder.rollback()
        holder.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through file permissions; the message mapping "
                    "is covered by test_store.test_open_db_errors_are_one_line")
def test_read_only_database_is_one_error(tmp_path):
    db = tmp_path / "c.sqlite"
    store.open_db(db).close()
    db.chmod(0o444)
    with pytest.raises(HuibaoError, match="read-only"):
        ing.ingest([str(make_corpus(tmp_path / "c", 1))], db, process=fake_process)


SPECIAL = [  # (kind, what the failure says), as pipeline.load.read_input says it
    ("fifo", "not a regular file: a named pipe (FIFO): reading it would wait for a writer"),
    ("loop", "symbolic link loop (too many levels of symbolic links)"),
    ("broken link", "broken symbolic link (its target gone.txt does not exist)"),
]


@pytest.mark.parametrize("jobs", [1, 2])
def test_special_files_fail_saying_what_they_are_and_the_run_goes_on(tmp_path, jobs):
    """A FIFO, a symlink loop and a broken symlink were all "no such file", with no row; the
    FIFO could have blocked a worker forever. Each now fails with what it is, as a failed row."""
    from pipeline.run import run
    from tests.test_load import _special, no_hang

    corpus = make_corpus(tmp_path / "c", n=3)
    made = {str(_special(corpus / "甲区", kind)): reason for kind, reason in SPECIAL}
    with no_hang(120):
        s = run([str(corpus)], tmp_path / "db.sqlite", jobs=jobs, process=fake_process)
    assert (s.stored, s.failed) == (3, 3)
    assert dict(s.failures) == made
    rows = store.open_db(tmp_path / "db.sqlite").execute(
        "SELECT path, error FROM documents WHERE status = 'failed'").fetchall()
    assert dict(rows) == made


def test_runs_count_only_what_was_kept_when_sqlite_rolls_a_batch_back(tmp_path, monkeypatch):
    """A full disk makes SQLite roll the open batch back: its documents were counted as stored
    as they came, and the run's row in ``runs`` said stored 2 for a database holding none."""
    corpus = make_corpus(tmp_path / "c", n=5)
    real, calls = store.write_records, []

    def full_disk_at_the_third(db, recs):
        calls.append(1)
        if len(calls) == 3:
            db.conn.execute("ROLLBACK")  # what SQLite does
            raise sqlite3.OperationalError("database or disk is full")
        real(db, recs)

    monkeypatch.setattr(store, "write_records", full_disk_at_the_third)
    with pytest.raises(HuibaoError, match="disk is full"):
        ing.ingest([str(corpus)], tmp_path / "c.sqlite", process=fake_process, batch_size=8)
    monkeypatch.undo()
    db = store.open_db(tmp_path / "c.sqlite")
    assert db["documents"].count == 0
    assert db.execute("SELECT stored, failed FROM runs").fetchall() == [(0, 0)]
    s = ing.ingest([str(corpus)], tmp_path / "c.sqlite", process=fake_process)
    assert (s.stored, s.skipped) == (5, 0)


def test_kill_9_then_rerun_equals_an_uninterrupted_run(tmp_path):
    corpus = make_corpus(tmp_path / "c", n=40)
    clean_db, killed_db = tmp_path / "clean.sqlite", tmp_path / "killed.sqlite"
    ing.ingest([str(corpus)], clean_db, process=fake_process, batch_size=3)
    script = (f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(HERE)!r}]\n"
              "from pipeline.ingest import ingest\nfrom test_ingest import slow_process\n"
              f"ingest([{str(corpus)!r}], {str(killed_db)!r}, process=slow_process, batch_size=3)\n")
    proc = subprocess.Popen([sys.executable, "-c", script])
    kill_mid_run(proc, killed_db, at_least=10, group=False)
    assert proc.returncode == -signal.SIGKILL
    partial = len(dump(killed_db)["documents"])
    assert 10 <= partial < 40, "the kill must land in the middle of the run"
    s = ing.ingest([str(corpus)], killed_db, process=fake_process, batch_size=3)
    assert s.skipped == partial and s.stored == 40 - partial
    assert dump(killed_db) == dump(clean_db)


# ---------------------------------------------------------------- the real pipeline and the CLI

def test_cli_reports_failures_and_exits_1_when_nothing_is_stored(tmp_path):
    from cli import main

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    r = CliRunner().invoke(main, ["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "c.sqlite"), "--quiet"])
    assert r.exit_code == 1
    assert "stored 0, skipped 0, failed 1" in r.output
    assert f"failed: {tmp_path / 'in' / 'empty.txt'}: " in r.output


def test_cli_a_file_name_cannot_forge_a_failure_line(tmp_path):
    """A newline in a file name started a line of its own on stderr: "a\\n  failed: b.pdf: ..." read
    as two failures, one of them made up by whoever named the file. Names are escaped."""
    from cli import main

    (tmp_path / "in").mkdir()
    forged = "a\n  failed: b.pdf: encrypted PDF (password required).pdf"
    (tmp_path / "in" / forged).write_bytes(b"\x00\x01\x02 no pdf")
    (tmp_path / "in" / "ok.txt").write_text("全县建成儿童之家12个。", encoding="utf-8")
    r = CliRunner().invoke(main, ["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "c.sqlite"), "--quiet"])
    assert "stored 1, skipped 0, failed 1" in r.output
    failures = [ln for ln in r.output.splitlines() if ln.startswith("  failed: ")]
    assert failures == [f"  failed: {tmp_path / 'in'}/a\\n  failed: b.pdf: encrypted PDF (password required).pdf: "
                        "not a PDF (no %PDF- header): looks like plain text"]


def test_cli_locked_database_is_one_line(tmp_path, monkeypatch):
    from cli import main

    monkeypatch.setitem(ing.ingest.__kwdefaults__, "timeout", 0.1)  # not the 5 s a user's run waits
    db = tmp_path / "c.sqlite"
    store.open_db(db).close()
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    holder = sqlite3.connect(db)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        r = CliRunner().invoke(main, ["ingest", str(tmp_path / "a.txt"), "--db", str(db), "-q"])
    finally:
        holder.rollback()
        holder.close()
    assert r.exit_code == 1 and r.output.strip().startswith("Error: ") and "locked" in r.output
    assert "Traceback" not in r.output


def _rules_ready() -> bool:
    try:
        import extractors.rules  # noqa: F401
    except ImportError:
        return False
    return True


needs_rules = pytest.mark.skipif(not _rules_ready(), reason="extractors/rules.py is not written yet")


@needs_rules
def test_cli_ingest_real_pipeline_then_rerun_skips(tmp_path):
    from cli import main

    corpus, db = make_corpus(tmp_path / "c", n=4), tmp_path / "c.sqlite"
    (corpus / "甲区" / "broken.docx").write_bytes(b"this is no zip")
    args = ["ingest", str(corpus), "--db", str(db), "--quiet"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert "stored 4, skipped 0, failed 1" in r.output and "broken.docx" in r.output
    conn = store.open_db(db)
    assert conn.execute("SELECT count(*) FROM figures").fetchone()[0] > 0
    assert conn.execute("SELECT count(*) FROM documents WHERE status = 'failed' AND error != ''").fetchone()[0] == 1
    r = CliRunner().invoke(main, args)
    assert "stored 0, skipped 4, failed 1 (1 known from an earlier run)" in r.output and r.exit_code == 0
    assert f"broken.docx: not a DOCX (not a zip archive): looks like plain text {ing.KNOWN_FAILURE}" in r.output
    r = CliRunner().invoke(main, [*args, "--strict", "--force"])
    assert r.exit_code == 1 and "broken.docx" in r.output and "--strict" in r.output


# ---------------------------------------------------------------- the real reports in ../shared

#: file -> (region, year), written from each file's own title / opening (and ../shared SOURCES.md)
REPORTS = {
    "gov_county_hailar_2013.txt": ("内蒙古自治区呼伦贝尔市海拉尔区", 2013),
    "gov_county_hailar_2017.txt": ("内蒙古自治区呼伦贝尔市海拉尔区", 2017),
    "gov_national_2019_wikisource.txt": ("全国", 2019),
    "gov_province_2025_guizhou.docx": ("贵州省", 2025),
    "gov_province_2025_henan.docx": ("河南省", 2025),
    "gov_province_2025_jilin_from_docx.txt": ("吉林省", 2025),
    "gov_province_2025_xizang_from_docx.txt": ("西藏自治区", 2025),
    "gov_province_2025_yunnan.docx": ("云南省", 2025),
    "gov_province_2026_beijing_webscrape.txt": ("北京市", 2026),
    "gov_province_2026_guizhou_webscrape.txt": ("贵州省", 2026),
    "gov_province_2026_hebei_webscrape.txt": ("河北省", 2026),
    "gov_province_2026_shaanxi_webscrape.txt": ("陕西省", 2026),
    "other_company_xiamen_itg_2020q1_report.pdf": ("福建省厦门市", 2020),  # 厦门国贸 2020年第一季度报告
}
#: readable but not a report: stored, with no region or year to check (developer notes)
OTHER_READABLE = {"summary_dev_notes_wps.doc"}
UNREADABLE = {"summary_encrypted_not_really_docx.docx"}  # a DLP-encrypted file named .docx


@pytest.fixture(scope="module")
def reports_db(tmp_path_factory):
    from tests.conftest import shared_path

    folder = shared_path("corpus", "reports")
    db = tmp_path_factory.mktemp("reports") / "reports.sqlite"
    summary = ing.ingest([str(folder)], db)
    return summary, store.open_db(db, readonly=True)


@needs_rules
def test_real_reports_every_readable_file_stored_unreadable_recorded(reports_db):
    summary, db = reports_db
    rows = {Path(r["path"]).name: r for r in db.query("SELECT * FROM documents")}
    assert {n for n, r in rows.items() if r["status"] == "ok"} == set(REPORTS) | OTHER_READABLE
    assert {n for n, r in rows.items() if r["status"] == "failed"} == UNREADABLE
    assert all(rows[n]["error"] for n in UNREADABLE)
    assert (summary.stored, summary.failed) == (len(REPORTS) + len(OTHER_READABLE), len(UNREADABLE))


@needs_rules
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_real_reports_region_and_year(reports_db, name):
    _, db = reports_db
    row = next(db.query("SELECT region, year FROM documents WHERE path LIKE ?", [f"%/{name}"]))
    assert (row["region"], row["year"]) == REPORTS[name]


@needs_rules
def test_real_reports_every_figure_traces_to_its_sentence(reports_db):
    _, db = reports_db
    rows = list(db.query("SELECT text, sentence, path FROM figures_by_indicator"))
    assert len(rows) > 1000
    assert [r for r in rows if not r["sentence"] or r["text"] not in r["sentence"]] == []


def test_stored_ids_answer_as_the_set_of_their_ids_in_16_bytes_each():
    """``StoredIds`` answers ``in`` as a set of the ids would, for stored ids, others, ids that
    share their first 64 bits with a stored one, ids above 2**63 and what is no content id; it
    pickles (to each worker) in 16 bytes an id."""
    import hashlib
    import pickle
    import random

    rng = random.Random(3)
    ids = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(5000)]
    twins = [i[:16] + format(rng.getrandbits(64), "016x") + i[32:] for i in ids[:200]]  # same first 64 bits
    stored = ids[::2] + twins[::2] + ["unreadable:" + "ab" * 32, "f" * 64, "8" + "0" * 63]
    s = ing.StoredIds(stored)
    assert len(s) == len(stored) - 1
    probes = ids + twins + ["f" * 64, "8" + "0" * 63, "7" + "f" * 63, "unreadable:" + "ab" * 32, "xyz", "g" * 64, ""]
    want = set(stored) - {"unreadable:" + "ab" * 32}
    assert [p in s for p in probes] == [p in want for p in probes]
    assert sum(p in s for p in probes) == 2500 + 100 + 2
    assert len(pickle.dumps(s)) < 16 * len(s) + 1000
    again = pickle.loads(pickle.dumps(s))
    assert [p in again for p in probes] == [p in want for p in probes]


@pytest.mark.parametrize("jobs", [1, 2])
def test_force_redoes_stored_content_once_where_it_repeats(tmp_path, jobs):
    """With --force, stored content is redone, but content that repeats within the run is still one
    document: the run's own ids are kept apart from the stored ones (in process and in a pool)."""
    from pipeline import run as rn

    corpus, db = make_corpus(tmp_path / "c"), tmp_path / "corpus.sqlite"
    (corpus / "copy").mkdir()
    (corpus / "copy" / "2018_report.txt").write_bytes((corpus / "甲区" / "2018_report.txt").read_bytes())
    first = rn.run([str(corpus)], db, jobs=jobs, process=fake_process)
    rows = dump(db)
    assert (first.stored, first.skipped) == (12, 1)
    forced = rn.run([str(corpus)], db, jobs=jobs, process=fake_process, force=True)
    assert (forced.stored, forced.skipped, forced.failed) == (12, 1, 0)
    assert dump(db) == rows


def test_a_figure_beyond_sqlite_integers_is_stored_as_a_real_and_the_run_goes_on(tmp_path):
    """A 20-digit amount (a scraped account number before 元) is a Python int SQLite refuses:
    it ended the whole run with OverflowError. It is stored as SQLite would store it: a REAL."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "big.txt").write_text("某县2023年工作总结\n全县总额12345678901234567890元，建成儿童之家12个。\n",
                                    encoding="utf-8")
    (corpus / "ok.txt").write_text("某县2023年工作总结\n全县建成儿童之家12个。\n", encoding="utf-8")
    db = tmp_path / "c.sqlite"
    s = ing.ingest([str(corpus)], db)
    assert (s.stored, s.failed) == (2, 0)
    with sqlite3.connect(db) as conn:
        values = sorted(v for (v,) in conn.execute("SELECT value FROM figures WHERE unit = '元'"))
    assert values == [1.2345678901234567e19]


def _unstorable(path: str, extractor: str = "rules", doc_id: str | None = None) -> store.Record:
    """A record SQLite refuses (its text holds half a UTF-16 pair) for files named bad*."""
    rec = fake_process(path, extractor, doc_id)
    if Path(path).name.startswith("bad"):
        rec = store.Record(rec.document, "全区\ud840", rec.figures)
    return rec


def test_a_record_the_database_refuses_fails_its_file_and_the_run_goes_on(tmp_path):
    corpus = make_corpus(tmp_path / "in", n=6)
    bad = corpus / "甲区" / "bad_2020.txt"
    bad.write_text("全区建成儿童之家3个", encoding="utf-8")
    db = tmp_path / "c.sqlite"
    s = ing.ingest([str(corpus)], db, process=_unstorable)
    assert (s.stored, s.failed) == (6, 1)
    (path, reason), = s.failures
    assert path == str(bad) and "its rows cannot be stored: UnicodeEncodeError" in reason
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status, error FROM documents WHERE path = ?", [str(bad)]).fetchone()[0] == "failed"
        assert conn.execute("SELECT count(*) FROM figures f JOIN documents d ON d.id = f.document_id "
                            "WHERE d.path = ?", [str(bad)]).fetchone()[0] == 0


def test_an_error_that_made_sqlite_roll_back_is_the_one_the_writer_reports(tmp_path):
    """SQLite rolls a transaction back itself on some errors (a full disk while it spills its page
    cache: a 650,000-character page once asked for ~97 GB of sentences). The writer's closing
    COMMIT must not hide that error behind "cannot commit - no transaction is active"."""
    corpus = make_corpus(tmp_path / "in", n=3)
    db = store.open_db(tmp_path / "c.sqlite")
    with pytest.raises(sqlite3.OperationalError, match="disk is full"):
        with ing.Writer(db, batch_size=100) as writer:
            for path in sorted(corpus.rglob("*.txt")):
                writer.write(fake_process(str(path)))
            db.conn.execute("ROLLBACK")  # what SQLite did
            raise sqlite3.OperationalError("database or disk is full")
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    db.close()


def test_texts_without_sentence_ends_or_with_endless_digits_are_stored(tmp_path):
    """A page of one comma-joined line gave each of its figures the whole page as its sentence (a
    650,000-character page ended its ingest in a database error); a run of 100,000 digits failed as
    an internal error."""
    from pipeline.types import MAX_SENTENCE

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "one_line.txt").write_text("全区建成儿童之家125个，" * 5000, encoding="utf-8")
    (corpus / "digits.txt").write_text("编号" + "1" * 100_000 + "元，全区建成儿童之家12个。", encoding="utf-8")
    db = tmp_path / "c.sqlite"
    s = ing.ingest([str(corpus)], db)
    assert (s.stored, s.failed) == (2, 0), s.failures
    with sqlite3.connect(db) as conn:
        n, longest, fits = conn.execute(
            "SELECT count(*), max(length(sentence)), min(instr(sentence, text) > 0) FROM figures f "
            "JOIN documents d ON d.id = f.document_id WHERE d.path LIKE '%one_line.txt'").fetchone()
        assert (n, fits) == (5000, 1) and longest <= MAX_SENTENCE
        assert conn.execute("SELECT value FROM figures f JOIN documents d ON d.id = f.document_id "
                            "WHERE d.path LIKE '%digits.txt'").fetchall() == [(12,)]


def test_file_names_that_are_no_utf8_are_stored_with_escapes(tmp_path):
    """Archives of Chinese reports unpacked on Linux often keep their GBK file names: bytes that are
    no UTF-8, which Python gives as surrogates and SQLite refuses. One such name ended the whole run
    (UnicodeEncodeError); now its path is stored with \\xNN escapes, and a rerun skips it."""
    root = os.fsencode(tmp_path / "in")
    os.makedirs(root + b"/\xc7\xf8")  # 区 in GBK
    with open(root + b"/\xc7\xf8/2023\xb1\xa8\xb8\xe6.txt", "wb") as f:  # 2023报告.txt in GBK
        f.write("某县2023年工作总结\n全县建成儿童之家12个。\n".encode())
    with open(root + b"/broken_\xff.docx", "wb") as f:
        f.write(b"no zip")
    db = tmp_path / "c.sqlite"
    cmd = [sys.executable, "cli.py", "ingest", os.fsdecode(root), "--db", str(db), "-j", "2", "--quiet"]
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "stored 1, skipped 0, failed 1" in res.stdout
    assert "broken_\\xff.docx: not a DOCX" in res.stderr
    with sqlite3.connect(db) as conn:
        paths = dict(conn.execute("SELECT path, status FROM documents"))
    base = str(tmp_path / "in")
    assert paths == {f"{base}/\\xc7\\xf8/2023\\xb1\\xa8\\xb8\\xe6.txt": "ok", f"{base}/broken_\\xff.docx": "failed"}
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "stored 0, skipped 1, failed 1 (1 known from an earlier run)" in again.stdout
