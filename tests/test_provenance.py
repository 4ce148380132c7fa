"""The pipeline version: it covers what a document goes through, and a rerun redoes what a change would alter."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline import provenance
from pipeline.settings import USER_DIR_ENV, load_data

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"

# the huibao modules that run the stages and store rows, outside the fingerprint by design
ORCHESTRATION = {"pipeline", "extractors", "pipeline.provenance", "pipeline.ingest", "pipeline.store", "pipeline.run"}

_PROBE = textwrap.dedent("""
    import json, sys
    import pipeline.settings as settings
    loaded = set()
    _load = settings.load_data
    def recording(package, name):
        loaded.add((package, name))
        return _load(package, name)
    settings.load_data = recording  # before any stage module binds it
    from pipeline.process import extract_path
    extractor = sys.argv[1]
    n = 0
    for path in sys.argv[2:]:
        doc, figures = extract_path(path, extractor=extractor)
        n += len(figures)
    mods = sorted(m for m in sys.modules if m.split(".")[0] in ("pipeline", "extractors"))
    print(json.dumps({"modules": mods, "data": sorted(loaded), "figures": n}))
""")


@pytest.mark.parametrize("extractor", ["rules", "ensemble"])
def test_the_fingerprint_covers_every_module_and_data_file_a_document_goes_through(extractor):
    files = sorted(str(p) for p in SAMPLES.iterdir() if p.suffix in (".txt", ".html", ".docx", ".pdf"))
    assert {Path(f).suffix for f in files} == {".txt", ".html", ".docx", ".pdf"}
    res = subprocess.run([sys.executable, "-c", _PROBE, extractor, *files], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    seen = json.loads(res.stdout.strip().splitlines()[-1])
    assert seen["figures"] > 100
    assert set(seen["modules"]) - ORCHESTRATION <= set(provenance.DOCUMENT_MODULES[extractor])
    assert {tuple(d) for d in seen["data"]} <= set(provenance.DOCUMENT_DATA[extractor])
    # and the lists name nothing that is not on the path (a stale entry would hide a missing one)
    assert set(provenance.DOCUMENT_MODULES[extractor]) <= set(seen["modules"])
    assert set(provenance.DOCUMENT_DATA[extractor]) <= {tuple(d) for d in seen["data"]}


def test_the_version_names_release_extractor_and_fingerprint():
    v = provenance.pipeline_version("ensemble")
    assert v == f"{provenance.release()}+ensemble.{provenance.fingerprint('ensemble')}"
    assert provenance.fingerprint("rules") != provenance.fingerprint("ensemble")
    with pytest.raises(KeyError, match="no extractor 'nonesuch'"):
        provenance.fingerprint("nonesuch")


def test_an_extractor_registered_by_other_code_is_fingerprinted_with_its_module(monkeypatch):
    from extractors.registry import EXTRACTORS

    def mine(doc):
        return []

    mine.__module__ = "tests.test_provenance"
    monkeypatch.setitem(EXTRACTORS._items, "mine", mine)
    assert provenance._extractor_modules("mine")[-1] == "tests.test_provenance"
    assert provenance.pipeline_version("mine").startswith(f"{provenance.release()}+mine.")
    assert provenance.fingerprint("mine") != provenance.fingerprint("rules")


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A ``$HUIBAO_DATA_DIR``; the data caches are emptied before and after."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv(USER_DIR_ENV, str(folder))
    load_data.cache_clear()
    yield folder
    monkeypatch.delenv(USER_DIR_ENV)
    load_data.cache_clear()


def test_an_entry_in_a_data_override_changes_the_fingerprint_and_a_comment_does_not(data_dir):
    before = provenance._fingerprint("rules", None, None)
    (data_dir / "indicators.toml").write_text("# a note, no entry\n", encoding="utf-8")
    load_data.cache_clear()
    assert provenance.fingerprint("rules") == before
    (data_dir / "indicators.toml").write_text(
        '[indicator."toilets.count"]\nname = "public toilets"\nkinds = ["count"]\nsubject_any = ["公厕"]\n',
        encoding="utf-8")
    load_data.cache_clear()
    provenance._fingerprint.cache_clear()
    assert provenance.fingerprint("rules") != before


def test_a_library_upgrade_changes_the_fingerprint(monkeypatch):
    before = provenance._fingerprint("rules", None, None)
    real = provenance._library
    monkeypatch.setattr(provenance, "_library", lambda d: "99.0" if d == "opencc" else real(d))
    provenance._fingerprint.cache_clear()
    try:
        assert provenance._fingerprint("rules", None, None) != before
    finally:
        monkeypatch.undo()
        provenance._fingerprint.cache_clear()
    assert provenance._fingerprint("rules", None, None) == before


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def test_a_rerun_after_a_researcher_edits_an_indicator_redoes_the_documents(tmp_path):
    """The researcher's story of DESIGN.md: an indicator is changed in TOML, not in Python, and the
    rerun of the same command brings the corpus up to date instead of answering "skipped"."""
    db = tmp_path / "corpus.sqlite"
    cmd = [sys.executable, "cli.py", "ingest", str(SAMPLES), "--db", str(db), "-j", "1", "--quiet"]
    env = {k: v for k, v in os.environ.items() if k != USER_DIR_ENV}

    def ingest(extra_env: dict[str, str]) -> str:
        res = subprocess.run(cmd, cwd=ROOT, env={**env, **extra_env}, capture_output=True, text=True, timeout=600)
        assert res.returncode == 0, res.stderr
        return res.stdout + res.stderr

    ingest({})
    n_docs = _count(db, "SELECT count(*) FROM documents")
    homes = "SELECT count(*) FROM figures WHERE indicator = 'children_home.count'"
    assert n_docs >= 10 and _count(db, homes) > 0
    assert f"stored 0, skipped {n_docs}," in ingest({})

    data = tmp_path / "data"
    data.mkdir()
    # the researcher retires an indicator: its figures keep their values and lose the id
    (data / "indicators.toml").write_text('[indicator."children_home.count"]\nkinds = ["retired"]\n',
                                          encoding="utf-8")
    out = ingest({USER_DIR_ENV: str(data)})
    assert f"stored {n_docs}, skipped 0," in out
    assert _count(db, homes) == 0
    assert _count(db, "SELECT count(*) FROM documents") == n_docs  # redone in place, nothing twice
    assert _count(db, "SELECT count(*) FROM documents WHERE version != 1") == 0
    assert _count(db, "SELECT count(DISTINCT pipeline_version) FROM documents") == 1
    assert f"stored 0, skipped {n_docs}," in ingest({USER_DIR_ENV: str(data)})


def _other_huibao(path: str, extractor: str = "rules", doc_id: str | None = None):
    """A worker whose huibao differs from the run's: its records carry another pipeline version."""
    from tests.test_ingest import fake_process

    rec = fake_process(path, extractor, doc_id)
    rec.document["pipeline_version"] = "0.0.9+rules.000000000000"
    return rec


def test_records_made_by_another_pipeline_version_are_counted_and_redone_by_the_rerun(tmp_path):
    from pipeline import ingest as ing
    from tests.test_ingest import fake_process, make_corpus

    corpus = make_corpus(tmp_path / "in", n=6)
    db = tmp_path / "c.sqlite"
    first = ing.ingest([str(corpus)], db, process=_other_huibao)
    assert (first.stored, first.foreign) == (6, {"0.0.9+rules.000000000000": 6})
    again = ing.ingest([str(corpus)], db, process=fake_process)  # this process's own version
    assert (again.stored, again.skipped, again.foreign) == (6, 0, {})
    assert ing.ingest([str(corpus)], db, process=fake_process).skipped == 6


def test_parquet_parts_made_by_another_pipeline_version_are_counted(tmp_path):
    from pipeline import run as rn
    from tests.test_ingest import make_corpus

    corpus = make_corpus(tmp_path / "in", n=6)
    s = rn.run([str(corpus)], tmp_path / "unused.sqlite", jobs=1, parquet_out=tmp_path / "parts",
               process=_other_huibao)
    assert (s.stored, s.foreign) == (6, {"0.0.9+rules.000000000000": 6})
