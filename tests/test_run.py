"""Engines: the process pool and Parquet parts leave the same database as the sequential ingest."""

from __future__ import annotations

import itertools
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from pipeline import ingest as ing
from pipeline import run as rn
from pipeline import store
from pipeline.types import HuibaoError
from tests.conftest import kill_mid_run
from tests.test_ingest import dump, fake_process, make_corpus

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent


def _add_faults(corpus: Path) -> list[str]:
    """A copy of one file under another name, a broken docx; returns the inputs (with a missing path)."""
    first = sorted(corpus.rglob("*.txt"))[0]
    (corpus / "copies").mkdir()
    (corpus / "copies" / "same_bytes.txt").write_bytes(first.read_bytes())
    (corpus / "copies" / "broken.docx").write_bytes(b"this is no zip")
    return [str(corpus), str(corpus.parent / "missing.txt")]


@pytest.fixture(scope="module")
def synth_corpus(tmp_path_factory) -> tuple[list[str], Path]:
    """60 synthetic txt/html reports plus faults, and the sequential ingest of them (the reference)."""
    from corpora.synth import generate

    root = tmp_path_factory.mktemp("synth")
    generate(60, root / "corpus", seed=7, formats=["txt", "html"], min_chars=800, max_chars=1500)
    (root / "corpus" / "truth.jsonl").unlink()
    inputs = _add_faults(root / "corpus")
    ref = root / "sequential.sqlite"
    s = ing.ingest(inputs, ref)
    assert (s.stored, s.skipped, s.failed) == (60, 1, 2)
    return inputs, ref


def _counts(s: ing.Summary) -> tuple[int, int, int, list]:
    return s.stored, s.skipped, s.failed, sorted(s.failures)


def test_pool_engine_leaves_the_same_database_as_sequential(synth_corpus, tmp_path):
    inputs, ref = synth_corpus
    db = tmp_path / "pool.sqlite"
    s = rn.run(inputs, db, jobs=2, chunk_size=4)
    assert _counts(s) == _counts(ing.ingest(inputs, tmp_path / "again.sqlite"))
    assert dump(db) == dump(ref)
    rerun = rn.run(inputs, db, jobs=2, chunk_size=4)
    # the missing path fails again, and so does the broken docx, as a known failure (not redone)
    assert (rerun.stored, rerun.skipped, rerun.failed, rerun.known_failed) == (0, 61, 2, 1)
    assert dump(db) == dump(ref)
    settings = store.open_db(db).execute("SELECT settings FROM runs ORDER BY id").fetchone()[0]
    assert '"engine": "local"' in settings and '"jobs": 2' in settings


def test_parquet_parts_then_merge_leave_the_same_database(synth_corpus, tmp_path):
    inputs, ref = synth_corpus
    parts, db = tmp_path / "parts", tmp_path / "merged.sqlite"
    s = rn.run(inputs, db, jobs=2, chunk_size=8, parquet_out=parts)
    assert (s.stored, s.skipped, s.failed) == (60, 1, 2)
    assert not db.exists(), "--parquet-out writes no database"
    assert len(list(parts.glob("part-*.documents.parquet"))) == 8
    m = rn.merge(parts, db)
    assert (m.stored, m.skipped, m.failed) == (60, 1, 1)  # the missing path has no row to merge
    assert dump(db) == dump(ref)
    again = rn.merge(parts, db)
    assert (again.stored, again.skipped) == (0, 62) and dump(db) == dump(ref)
    # a later parquet run against the merged corpus writes only what is new: nothing; the broken
    # docx is a known failure, as in an ingest into the database
    s = rn.run(inputs, db, jobs=2, parquet_out=tmp_path / "parts2")
    assert (s.stored, s.skipped, s.failed, s.known_failed) == (0, 61, 2, 1)


def test_parquet_part_holding_the_same_content_twice_merges(tmp_path):
    """Two copies of one content in one chunk: the part holds its rows once (merge reads a part's
    figures by document id, so two copies made one document of doubled figures, and the merge
    failed on the figures' unique index); the merge equals the sequential ingest."""
    corpus = make_corpus(tmp_path / "c", n=6)
    first = sorted(corpus.rglob("*.txt"))[0]
    (corpus / "甲区" / "0000_copy.txt").write_bytes(first.read_bytes())
    ref = tmp_path / "ref.sqlite"
    s = ing.ingest([str(corpus)], ref, process=fake_process)
    parts, db = tmp_path / "parts", tmp_path / "merged.sqlite"
    p = rn.run([str(corpus)], db, jobs=2, chunk_size=64, parquet_out=parts, process=fake_process)
    assert len(list(parts.glob("part-*.documents.parquet"))) == 1  # one chunk: both copies in it
    assert (p.stored, p.skipped, p.failed) == (s.stored, s.skipped, 0) == (6, 1, 0)
    m = rn.merge(parts, db)
    assert (m.stored, m.skipped, m.failed) == (6, 0, 0)
    assert dump(db) == dump(ref)


def test_parquet_out_rerun_into_the_same_folder_does_only_what_is_missing(synth_corpus, tmp_path):
    """An interrupted --parquet-out run (here: the parts of two chunks never written) rerun into the
    same folder processes only the files of the missing parts; the merge equals the sequential
    ingest. --force redoes every file."""
    import pyarrow.parquet as pq

    inputs, ref = synth_corpus
    parts, db = tmp_path / "parts", tmp_path / "merged.sqlite"
    rn.run(inputs, db, jobs=2, chunk_size=8, parquet_out=parts)
    lost = 0
    for doc_file in sorted(parts.glob("part-*.documents.parquet"))[2:4]:
        lost += pq.read_metadata(doc_file).num_rows
        for table in ("documents", "texts", "figures"):
            doc_file.with_name(doc_file.name.replace(".documents.", f".{table}.")).unlink()
    assert lost == 16
    again = rn.run(inputs, db, jobs=2, chunk_size=8, parquet_out=parts)
    # the missing path fails again; the broken docx, in a part kept, is a known failure
    assert (again.stored, again.skipped, again.failed, again.known_failed) == (lost, 61 - lost, 2, 1)
    m = rn.merge(parts, db)
    assert (m.stored, m.failed) == (60, 1)
    assert dump(db) == dump(ref)
    forced = rn.run(inputs, tmp_path / "unused.sqlite", jobs=2, chunk_size=8, parquet_out=parts, force=True)
    assert (forced.stored, forced.skipped) == (60, 1)


def test_write_records_matches_write_record(tmp_path):
    corpus = make_corpus(tmp_path / "c", n=9)
    f = corpus / "甲区" / "2018_report.txt"
    recs = [fake_process(str(p)) for p in sorted(corpus.rglob("*.txt"))]
    f.write_text(f.read_text(encoding="utf-8") + "新建儿童之家7个。\n", encoding="utf-8")
    recs += [fake_process(str(f)), recs[0]]  # a new version of a path, then a rewrite of stored content
    slow, fast = store.open_db(tmp_path / "slow.sqlite"), store.open_db(tmp_path / "fast.sqlite")
    with slow.atomic():
        for r in recs:
            store.write_record(slow, r)
    with fast.atomic():
        store.write_records(fast, recs)
    versions = [r[0] for r in fast.execute("SELECT version FROM documents WHERE path = ? ORDER BY version",
                                           [str(f)])]
    slow.close()
    fast.close()
    assert dump(tmp_path / "fast.sqlite") == dump(tmp_path / "slow.sqlite")
    assert versions == [1, 2]


def test_writer_commits_a_full_batch_or_a_batch_that_waited(tmp_path):
    import sqlite3
    import time

    recs = [fake_process(str(p)) for p in sorted(make_corpus(tmp_path / "c", n=5).rglob("*.txt"))]
    db = store.open_db(tmp_path / "w.sqlite")
    reader = sqlite3.connect(tmp_path / "w.sqlite")  # sees committed batches only

    def committed() -> int:
        return reader.execute("SELECT count(*) FROM documents").fetchone()[0]

    with ing.Writer(db, batch_size=3, max_wait=0.3) as w:
        w.write(recs[0])
        w.write(recs[1])
        assert db["documents"].count == 2  # written as they came, in the open batch
        assert committed() == 0  # neither full nor old: not committed
        w.write(recs[2])
        assert committed() == 3  # full
        w.write(recs[3])
        time.sleep(0.35)
        w.write(recs[4])
        assert committed() == 5  # the batch's first record waited 0.35 s
    reader.close()
    db.close()


def test_a_record_that_fails_to_write_leaves_no_rows_and_keeps_the_batch(tmp_path):
    import sqlite3

    recs = [fake_process(str(p)) for p in sorted(make_corpus(tmp_path / "c", n=3).rglob("*.txt"))]
    db = store.open_db(tmp_path / "w.sqlite")
    bad = store.Record(dict(recs[2].document, id="bad"), recs[2].text,
                       [{"idx": 0, "value": object()}])  # not a value SQLite can store
    with pytest.raises(sqlite3.Error), ing.Writer(db, batch_size=10) as w:
        w.write(recs[0])
        w.write(recs[1])
        w.write(bad)
    ids = {r[0] for r in db.execute("SELECT id FROM documents")}
    assert ids == {recs[0].document["id"], recs[1].document["id"]}  # committed on the way out
    assert db.execute("SELECT count(*) FROM texts").fetchone()[0] == 2  # none of the bad record's rows
    db.close()


def test_writer_indexes_texts_as_it_goes(tmp_path, monkeypatch):
    monkeypatch.setattr(ing, "INDEX_EVERY", 3)
    recs = [fake_process(str(p)) for p in sorted(make_corpus(tmp_path / "c", n=5).rglob("*.txt"))]
    db = store.open_db(tmp_path / "w.sqlite")

    def queued() -> int:
        return db.execute("SELECT count(*) FROM texts_fts_pending").fetchone()[0]

    with ing.Writer(db, batch_size=2) as w:
        for r in recs[:2]:
            w.write(r)
        assert queued() == 2  # one batch committed, below INDEX_EVERY
        w.write(recs[2])
        assert queued() == 0  # three texts written: indexed, in the open batch
        w.write(recs[3])
        w.write(recs[4])
        assert queued() == 2
    assert queued() == 0  # and the rest when the writer closes
    # FTS5's own check that the index holds exactly the content rows (it fails on a missing one)
    db.execute("INSERT INTO texts_fts(texts_fts, rank) VALUES ('integrity-check', 1)")
    db.close()


def test_pool_map_reads_its_input_lazily_and_stops_on_close():
    taken = []

    def items():
        for i in itertools.count():
            taken.append(i)
            yield [i]

    results = rn.pool_map(_echo, items(), {}, jobs=2)
    assert list(itertools.islice(results, 5)) == [0, 1, 2, 3, 4]
    results.close()
    assert len(taken) <= rn.WINDOW_PER_WORKER * 2 + 5, "in-flight work must be bounded"


def _echo(chunk: list[int], shared: dict) -> list[int]:
    return chunk


def test_pool_strict_stops_at_the_first_error(tmp_path):
    corpus = make_corpus(tmp_path / "c", n=6)
    (corpus / "甲区" / "2017_bad.txt").write_text("BAD", encoding="utf-8")
    with pytest.raises(HuibaoError, match="2017_bad.txt: unreadable on purpose .*--strict"):
        rn.run([str(corpus / "甲区")], tmp_path / "c.sqlite", jobs=2, chunk_size=1, strict=True,
               process=fake_process)


def _crash_on_crash_files(path: str, extractor: str = "rules", doc_id: str | None = None) -> store.Record:
    """fake_process, except that a file holding CRASH kills its worker, as a native library's crash
    would (SIGKILL: a SIGSEGV prints a faulthandler dump), and ONCE only the first time."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    if "CRASH" in text:
        os.kill(os.getpid(), signal.SIGKILL)
    if "ONCE" in text:
        marker = Path(path + ".crashed")
        if not marker.exists():
            marker.write_text("")
            os.kill(os.getpid(), signal.SIGKILL)
    return fake_process(path, extractor, doc_id)


def test_a_file_that_kills_its_worker_is_recorded_and_the_run_goes_on(tmp_path):
    """A file whose processing kills its worker every time (a native parser's crash) is a failed
    document with the reason; a file that killed it once (the OOM killer's pick) is retried and
    stored; every other file is stored as without them."""
    corpus = make_corpus(tmp_path / "c", n=40)
    clean = rn.run([str(corpus)], tmp_path / "clean.sqlite", jobs=2, chunk_size=2, process=fake_process)
    (corpus / "甲区" / "2030_crash.txt").write_text("CRASH", encoding="utf-8")
    (corpus / "乙县" / "2030_once.txt").write_text("全区已建成儿童之家12个。ONCE", encoding="utf-8")
    db = tmp_path / "c.sqlite"
    s = rn.run([str(corpus)], db, jobs=2, chunk_size=2, batch_size=4, process=_crash_on_crash_files)
    assert (s.stored, s.failed) == (clean.stored + 1, 1)
    (path, reason), = s.failures
    assert path.endswith("2030_crash.txt") and "killed its worker process on every try" in reason
    status = dict(sqlite3.connect(db).execute("SELECT path, status || ':' || coalesce(error, '') FROM documents"))
    assert status[path] == f"failed:{reason}" and status[str(corpus / "乙县" / "2030_once.txt")] == "ok:"
    again = rn.run([str(corpus)], db, jobs=2, chunk_size=2, process=_crash_on_crash_files)
    # recorded once: not redone, but a known failure, not a skipped file
    assert (again.stored, again.skipped, again.failed, again.known_failed) == (0, clean.stored + 1, 1, 1)


def test_parquet_out_records_a_file_that_kills_its_worker_and_goes_on(tmp_path):
    """With --parquet-out too: the redone files are written as parts of one file each, named so that
    they merge in their chunk's place, the crashing file as its failed row; the merge equals the
    pool run's database."""
    corpus = make_corpus(tmp_path / "c", n=40)
    (corpus / "甲区" / "2030_crash.txt").write_text("CRASH", encoding="utf-8")
    once = corpus / "乙县" / "2030_once.txt"
    once.write_text("全区已建成儿童之家12个。ONCE", encoding="utf-8")
    ref = tmp_path / "pool.sqlite"
    pool = rn.run([str(corpus)], ref, jobs=2, chunk_size=2, process=_crash_on_crash_files)
    Path(str(once) + ".crashed").unlink()  # it kills a worker once again
    parts, db = tmp_path / "parts", tmp_path / "merged.sqlite"
    s = rn.run([str(corpus)], db, jobs=2, chunk_size=2, parquet_out=parts, process=_crash_on_crash_files)
    assert _counts(s) == _counts(pool) and s.failed == 1
    names = sorted(p.name for p in parts.glob("part-*.documents.parquet"))
    singles = [n for n in names if len(n) > len("part-000000.documents.parquet")]
    assert singles, "the chunks in flight at the crash are redone as parts of one file"
    m = rn.merge(parts, db)
    # not m.skipped: a chunk whose worker wrote its part just before the pool broke, its result not
    # yet back, is redone, and merge skips its copy (the database is the same)
    assert (m.stored, m.failed) == (pool.stored, 1)
    assert dump(db) == dump(ref)


def test_files_that_all_kill_their_worker_stop_the_run(tmp_path):
    """Three files in a row that each kill their worker is the environment, not the files: the run
    stops with one line that says how to resume; what was committed stays."""
    corpus = make_corpus(tmp_path / "c", n=6)
    for i in range(3):
        (corpus / "丙市" / f"zz_{i}_crash.txt").write_text(f"CRASH {i}", encoding="utf-8")  # walked last
    db = tmp_path / "c.sqlite"
    with pytest.raises(HuibaoError) as info:
        rn.run([str(corpus)], db, jobs=2, chunk_size=1, batch_size=1, process=_crash_on_crash_files)
    msg = str(info.value)
    assert "worker process died" in msg and "rerun" in msg and 'engine = "pdfplumber"' in msg and "\n" not in msg
    assert 0 < len(dump(db)["documents"]) <= 6


def jieba_process(path: str, extractor: str = "rules", doc_id: str | None = None) -> store.Record:
    """fake_process in a worker that segments a text with jieba first, as extraction does."""
    import jieba

    jieba.lcut("全区已建成儿童之家")
    return fake_process(path, extractor, doc_id)


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("quiet", [False, True])
def test_quiet_silences_jiebas_start_up_lines_in_every_worker(tmp_path, jobs, quiet):
    """jieba logs four lines to stderr ("Building prefix dict from the default dictionary ...")
    the first time a process segments a text: `ingest -q` printed them from each worker."""
    corpus = make_corpus(tmp_path / "c", n=4)
    script = (f"import sys; sys.path[:0] = [{str(ROOT)!r}]\n"
              "from pipeline.run import run\nfrom tests.test_run import jieba_process\n"
              f"s = run([{str(corpus)!r}], {str(tmp_path / 'c.sqlite')!r}, jobs={jobs}, chunk_size=1, "
              f"quiet={quiet}, process=jieba_process)\nprint(s.stored)\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert proc.stdout.strip() == "4", proc.stderr
    assert ("Prefix dict has been built" in proc.stderr) is not quiet, proc.stderr


def test_cli_ingest_quiet_reaches_the_workers(tmp_path, monkeypatch):
    from cli import main

    seen = {}

    def spy(paths, db_path, **kwargs):
        seen.update(kwargs)
        return ing.Summary(stored=1)

    monkeypatch.setattr(rn, "run", spy)
    for args, quiet in (([], False), (["-q"], True)):
        r = CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", str(tmp_path / "c.sqlite"), *args])
        assert r.exit_code == 0, r.output
        assert seen["quiet"] is quiet


def test_bad_engine_options_are_one_line_errors(tmp_path):
    with pytest.raises(HuibaoError, match="unknown engine 'spark'"):
        rn.run([str(tmp_path)], tmp_path / "c.sqlite", engine="spark")
    with pytest.raises(HuibaoError, match="at least 1"):
        rn.run([str(tmp_path)], tmp_path / "c.sqlite", jobs=0)
    with pytest.raises(HuibaoError, match="no such folder of Parquet parts"):
        rn.merge(tmp_path / "nope", tmp_path / "c.sqlite")
    (tmp_path / "empty").mkdir()
    with pytest.raises(HuibaoError, match="no part-"):
        rn.merge(tmp_path / "empty", tmp_path / "c.sqlite")
    assert not (tmp_path / "c.sqlite").exists()


def test_kill_9_of_a_pool_run_then_rerun_equals_an_uninterrupted_run(tmp_path):
    corpus = make_corpus(tmp_path / "c", n=40)
    clean_db, killed_db = tmp_path / "clean.sqlite", tmp_path / "killed.sqlite"
    ing.ingest([str(corpus)], clean_db, process=fake_process, batch_size=3)
    script = (f"import sys; sys.path[:0] = [{str(ROOT)!r}]\n"
              "from pipeline.run import run\nfrom tests.test_ingest import slow_process\n"
              f"run([{str(corpus)!r}], {str(killed_db)!r}, jobs=2, chunk_size=2, batch_size=3, "
              "process=slow_process)\n")
    # its own session, so that the kill takes the pool's workers with it
    proc = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    kill_mid_run(proc, killed_db, at_least=10, group=True)
    assert proc.returncode == -signal.SIGKILL
    partial = len(dump(killed_db)["documents"])
    assert 10 <= partial < 40, "the kill must land in the middle of the run"
    s = rn.run([str(corpus)], killed_db, jobs=2, chunk_size=2, batch_size=3, process=fake_process)
    assert s.skipped == partial and s.stored == 40 - partial
    assert dump(killed_db) == dump(clean_db)


def test_cli_ingest_jobs_parquet_and_merge(tmp_path):
    from cli import main

    corpus, db, parts = make_corpus(tmp_path / "c", n=5), tmp_path / "c.sqlite", tmp_path / "parts"
    r = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(db), "-j", "2", "-q", "--parquet-out",
                                  str(parts)])
    assert r.exit_code == 0, r.output
    assert "stored 5, skipped 0, failed 0" in r.output and not db.exists()
    r = CliRunner().invoke(main, ["merge", str(parts), "--db", str(db)])
    assert r.exit_code == 0 and "stored 5, skipped 0, failed 0" in r.output, r.output
    r = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(db), "-j", "2", "-q"])
    assert "stored 0, skipped 5, failed 0" in r.output
    r = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(db), "--scheduler", "tcp://x:1", "-q"])
    assert r.exit_code == 2 and "--scheduler needs --engine dask" in r.output
    r = CliRunner().invoke(main, ["merge", str(tmp_path / "nope"), "--db", str(db)])
    assert r.exit_code == 1 and r.output.startswith("Error: ") and "Traceback" not in r.output


def test_bench_prints_every_figure(tmp_path):
    from cli import main

    r = CliRunner().invoke(main, ["bench", "--n", "6", "-j", "2"])
    assert r.exit_code == 0, r.output
    for line in ("generated 6 synthetic txt reports", "machine: ", "ingest -j 1 (in process): stored 6",
                 "ingest -j 2 (pool: 2 workers + the writer): stored 6", "speed-up 1 -> 2 workers: ",
                 "rerun -j 2 (everything skipped): stored 0, skipped 6", "peak RSS", "  extract ",
                 "  store ", "ratio extract / jieba.lcut: "):
        assert line in r.output, line
    # JioNLP is an optional extra: either its ratio or the reason it was skipped
    assert "ratio extract / jionlp.extract_money: " in r.output or "jionlp.ner.extract_money: skipped (" in r.output


def test_bench_on_synthetic_pdfs(tmp_path):
    from cli import main

    r = CliRunner().invoke(main, ["bench", "--n", "4", "-j", "2", "--formats", "pdf"])
    assert r.exit_code == 0, r.output
    assert "generated 4 synthetic pdf reports" in r.output and "ingest -j 2 (pool: 2 workers + the writer): stored 4" in r.output
    r = CliRunner().invoke(main, ["bench", "--n", "4", "--formats", "pdf,tiff"])
    assert r.exit_code == 2 and "tiff; known: txt, html, docx, pdf" in r.output and "Traceback" not in r.output


def test_bench_scale_ingests_then_reruns(tmp_path):
    from cli import main
    from corpora.synth import generate

    generate(8, tmp_path / "corpus", seed=3, formats=["txt"])
    (tmp_path / "corpus" / "truth.jsonl").unlink()
    db = tmp_path / "scale.sqlite"
    r = CliRunner().invoke(main, ["bench", "--scale", str(tmp_path / "corpus"), "--db", str(db), "-j", "2"])
    assert r.exit_code == 0, r.output
    assert "first run: stored 8, skipped 0, failed 0" in r.output
    assert "rerun: stored 0, skipped 8, failed 0" in r.output
    peak = int(r.output.split("peak RSS of all processes ")[1].split(" MB")[0])
    assert peak > 0
    assert Database(db)["documents"].count == 8


_WORKER = """
import json, sys
from pipeline import run as rn
from pipeline.ingest import process_one
from pipeline import ingest as ing
results = rn.work_chunk(sys.argv[1:], rn._shared("rules", ing.StoredIds(()), process_one))
out = [(kind, payload[1].ok) for _path, kind, payload in results]
print(json.dumps({"results": out, "heavy": [m for m in ("sqlite_utils", "pandas", "numpy", "pyarrow")
                                                if m in sys.modules]}))
"""


def test_a_worker_makes_records_without_importing_sqlite_utils_or_pandas():
    """A Dask worker imports ``pipeline.run`` and processes chunks. sqlite-utils imports pandas (with
    numpy and pyarrow) when pandas is installed: ~80 MB and 0.25 s a process that a worker, which never
    opens the database, should not pay."""
    files = [str(p) for p in sorted((ROOT / "corpora" / "samples").iterdir()) if p.suffix != ".jsonl"]
    res = subprocess.run([sys.executable, "-c", _WORKER, *files], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr
    out = __import__("json").loads(res.stdout.strip().splitlines()[-1])
    assert len(out["results"]) == len(files) and all(kind == "record" and ok for kind, ok in out["results"])
    assert out["heavy"] == []


def _text_where_numbers_are(path: str, extractor: str = "rules", doc_id: str | None = None) -> store.Record:
    """fake_process, but one report's year is a text where every other report has a number."""
    rec = fake_process(path, extractor, doc_id)
    if "2019" in path and "甲区" in path:
        rec.document["year"] = "二〇一九年"
    return rec


def test_a_parquet_part_with_a_text_in_a_number_column_is_written_and_merges_as_sqlite_stores_it(tmp_path):
    """Arrow gives a column one type: one text among numbers ended the whole --parquet-out run
    (ArrowInvalid). The column is written as text, and the merge is the SQLite run's database."""
    corpus = make_corpus(tmp_path / "in", n=12)
    direct = rn.run([str(corpus)], tmp_path / "direct.sqlite", jobs=2, process=_text_where_numbers_are, chunk_size=3)
    parts = tmp_path / "parts"
    p = rn.run([str(corpus)], tmp_path / "unused.sqlite", jobs=2, parquet_out=parts, process=_text_where_numbers_are,
               chunk_size=3)
    assert (p.stored, p.failed) == (direct.stored, 0) == (12, 0)
    m = rn.merge(parts, tmp_path / "merged.sqlite")
    assert (m.stored, m.failed) == (12, 0)
    assert dump(tmp_path / "merged.sqlite") == dump(tmp_path / "direct.sqlite")
    with sqlite3.connect(tmp_path / "merged.sqlite") as conn:
        years = dict(conn.execute("SELECT path, year FROM documents"))
    assert sorted(map(type, years.values()), key=str).count(str) == 1 and 2018 in years.values()


def test_a_damaged_parquet_part_fails_alone_and_a_rerun_writes_it_anew(tmp_path):
    """A part file cut short (a disk error, a copy between machines) stopped the whole merge. Now
    that part fails with the reason, the others merge, and a rerun of the ingest into the folder
    writes its documents anew, so the second merge completes the corpus."""
    corpus = make_corpus(tmp_path / "in", n=12)
    rn.run([str(corpus)], tmp_path / "direct.sqlite", jobs=1, process=fake_process)
    parts = tmp_path / "parts"
    rn.run([str(corpus)], tmp_path / "unused.sqlite", jobs=2, parquet_out=parts, process=fake_process, chunk_size=4)
    damaged = parts / "part-000001.figures.parquet"
    damaged.write_bytes(damaged.read_bytes()[:100])
    db = tmp_path / "merged.sqlite"
    m = rn.merge(parts, db)
    assert (m.stored, m.failed) == (8, 1)
    (path, reason), = m.failures
    assert path.endswith("part-000001.documents.parquet") and reason.startswith("cannot read the Parquet part (")
    again = rn.run([str(corpus)], tmp_path / "unused.sqlite", jobs=2, parquet_out=parts, process=fake_process,
                   chunk_size=4)
    assert (again.stored, again.skipped) == (4, 8)
    m2 = rn.merge(parts, db)
    assert (m2.stored, m2.failed) == (4, 1)
    assert dump(db) == dump(tmp_path / "direct.sqlite")


def test_a_full_disk_under_the_parquet_folder_is_one_line_and_the_run_resumes(tmp_path, monkeypatch):
    """A worker that cannot write its part (No space left on device) ended the run with a traceback."""
    import pyarrow.parquet as pq

    corpus = make_corpus(tmp_path / "in", n=12)
    parts = tmp_path / "parts"
    real = pq.write_table
    calls = []

    def full_disk(table, where, *a, **k):
        calls.append(where)
        if len(calls) > 3:  # the first part is written, then the disk is full
            with open(where, "wb") as f:
                f.write(b"PAR1 half")
            raise OSError(28, "No space left on device")
        return real(table, where, *a, **k)

    monkeypatch.setattr(pq, "write_table", full_disk)
    with pytest.raises(HuibaoError, match=r"parts: cannot write a Parquet part \(\[Errno 28\] No space left on device\)"):
        rn.run([str(corpus)], tmp_path / "unused.sqlite", jobs=1, parquet_out=parts, process=fake_process,
               chunk_size=4)
    assert not list(parts.glob(".*.tmp"))
    monkeypatch.undo()
    again = rn.run([str(corpus)], tmp_path / "unused.sqlite", jobs=1, parquet_out=parts, process=fake_process,
                   chunk_size=4)
    assert (again.stored, again.skipped) == (8, 4)


def _big_and_real_values(path: str, extractor: str = "rules", doc_id: str | None = None) -> store.Record:
    """fake_process whose first figure is a 17-digit count, beside a share (a real) in the same part."""
    from pipeline.types import Figure

    rec = fake_process(path, extractor, doc_id)
    figs = [Figure("12345678901234567元", 12345678901234567, "money", "元", 0, 18),
            Figure("12.5%", 12.5, "percent", "%", 19, 24)]
    return store.Record(rec.document, rec.text, store.figure_rows(figs, rec.id))


def test_a_parquet_part_keeps_integers_beyond_doubles_exact(tmp_path):
    """Integers and reals in one column are doubles to Arrow, which refuses an integer a double cannot
    hold (ArrowInvalid, which ended the run): the column is written as text, and SQLite's affinity
    makes its values numbers again, exact."""
    corpus = make_corpus(tmp_path / "in", n=6)
    rn.run([str(corpus)], tmp_path / "direct.sqlite", jobs=1, process=_big_and_real_values)
    parts = tmp_path / "parts"
    rn.run([str(corpus)], tmp_path / "unused.sqlite", jobs=1, parquet_out=parts, process=_big_and_real_values)
    rn.merge(parts, tmp_path / "merged.sqlite")
    assert dump(tmp_path / "merged.sqlite") == dump(tmp_path / "direct.sqlite")
    with sqlite3.connect(tmp_path / "merged.sqlite") as conn:
        assert set(conn.execute("SELECT value, typeof(value) FROM figures")) == {
            (12345678901234567, "integer"), (12.5, "real")}


def test_bench_repeat_runs_the_ingest_configurations_in_turn(tmp_path, monkeypatch):
    """With --repeat, each round runs every configuration once (a drift of the machine's speed then
    touches all of them, not one), and each configuration's best run is the one printed."""
    from corpora.synth import generate
    from pipeline import bench

    generate(4, tmp_path / "corpus", seed=3, formats=["txt"])
    (tmp_path / "corpus" / "truth.jsonl").unlink(missing_ok=True)
    calls: list[tuple[int, bool]] = []
    real = bench._ingest

    def ingest(folder, db_path, jobs, pool=True):
        calls.append((jobs, pool))
        return real(folder, db_path, jobs, pool)

    monkeypatch.setattr(bench, "_ingest", ingest)
    lines: list[str] = []
    (tmp_path / "work").mkdir()
    assert bench.report(tmp_path / "corpus", jobs=2, repeat=2, out=lines.append, work=tmp_path / "work") == 0
    one_round = [(1, False), (1, True), (2, True)]
    assert calls == one_round * 2 + [(2, True)]  # two rounds in turn, then the rerun
    text = "\n".join(lines)
    assert "ingest -j 2 (pool: 2 workers + the writer): stored 4" in text and "(best of 2 rounds)" in text
    assert "ms per document, the best of 2 rounds" in text
