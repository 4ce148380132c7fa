"""The Dask engine on a LocalCluster of 2 worker processes: the same database as the local engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import run as rn
from tests.test_ingest import dump

distributed = pytest.importorskip("distributed", reason="dask[distributed] is the optional extra `cluster`")

N = 500


@pytest.fixture(scope="module")
def cluster_and_corpus(tmp_path_factory):
    from corpora.synth import generate

    root = tmp_path_factory.mktemp("dask")
    # short bodies: the test is about the engine, not extraction speed
    generate(N, root / "corpus", seed=3, formats=["txt"], min_chars=600, max_chars=1000)
    (root / "corpus" / "truth.jsonl").unlink()
    local = root / "local.sqlite"
    s = rn.run([str(root / "corpus")], local, jobs=2)
    assert s.stored == N - s.skipped and s.failed == 0
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        yield client, root / "corpus", local
    finally:
        client.close()
        cluster.close()


def test_dask_engine_leaves_the_same_database_as_the_local_engine(cluster_and_corpus, tmp_path):
    client, corpus, local = cluster_and_corpus
    db = tmp_path / "dask.sqlite"
    s = rn.run([str(corpus)], db, engine="dask", client=client, chunk_size=16)
    assert s.stored + s.skipped == N and s.failed == 0
    assert dump(db) == dump(local)
    again = rn.run([str(corpus)], db, engine="dask", client=client)
    assert (again.stored, again.skipped) == (0, N)


def test_dask_parquet_parts_merge_to_the_same_database(cluster_and_corpus, tmp_path: Path):
    client, corpus, local = cluster_and_corpus
    parts, db = tmp_path / "parts", tmp_path / "merged.sqlite"
    s = rn.run([str(corpus)], db, engine="dask", client=client, parquet_out=parts, chunk_size=64)
    assert s.stored + s.skipped == N and not db.exists()
    rn.merge(parts, db)
    assert dump(db) == dump(local)


# a worker the nanny restarts asks for the default dashboard port, which the first cluster holds
@pytest.mark.filterwarnings("ignore:Port 8787 is already in use")
def test_dask_records_a_file_that_kills_its_workers_and_goes_on(tmp_path):
    """A file whose task kills every worker it runs on (Dask retries it, then gives up with
    KilledWorker) is a failed document with the reason; the other files of its chunk and of
    the run are stored."""
    import dask
    import pyarrow.parquet as pq

    from tests.test_ingest import fake_process, make_corpus
    from tests.test_run import _crash_on_crash_files

    corpus = make_corpus(tmp_path / "c", n=12)
    clean = rn.run([str(corpus)], tmp_path / "clean.sqlite", jobs=1, process=fake_process)
    (corpus / "甲区" / "2030_crash.txt").write_text("CRASH", encoding="utf-8")
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):  # two kills, not four, per task
        cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                           dashboard_address=None)
        client = distributed.Client(cluster)
        try:
            s = rn.run([str(corpus)], tmp_path / "dask.sqlite", engine="dask", client=client, chunk_size=4,
                       process=_crash_on_crash_files)
            parts = tmp_path / "parts"  # and with --parquet-out: the crashing file's row is a part of its own
            p = rn.run([str(corpus)], tmp_path / "unused.sqlite", engine="dask", client=client, chunk_size=4,
                       parquet_out=parts, process=_crash_on_crash_files)
        finally:
            client.close()
            cluster.close()
    assert (s.stored, s.failed) == (clean.stored, 1)
    (path, reason), = s.failures
    assert path.endswith("2030_crash.txt") and "killed its worker process on every try" in reason
    assert (p.stored, p.failed, p.failures) == (s.stored, 1, s.failures)
    singles = [f for f in parts.glob("part-*.documents.parquet") if len(f.name) > len("part-000000.documents.parquet")]
    # the crashing file's chunk is redone a file at a time. Dask may also give up on a chunk that was
    # queued on the worker each time it died (the deaths count against both), and a chunk whose part
    # was written but whose result died with its worker is redone: then it has a part of its own too,
    # which merge skips (the race documented in pool_map). So only the crash chunk's split is certain.
    split = {f.name[:11] for f in singles}
    crash_chunk = next(f.name[:11] for f in singles
                       if any(p.endswith("2030_crash.txt")
                              for p in pq.read_table(f, columns=["path"]).column("path").to_pylist()))
    assert crash_chunk in split
    m = rn.merge(parts, tmp_path / "merged.sqlite")
    assert (m.stored, m.failed) == (s.stored, 1)  # not m.skipped: a redone chunk may have a part twice (above)
    assert dump(tmp_path / "merged.sqlite") == dump(tmp_path / "dask.sqlite")
