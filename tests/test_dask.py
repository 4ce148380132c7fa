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
