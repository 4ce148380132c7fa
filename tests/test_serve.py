"""serve: Datasette on a corpus, canned queries checked end to end in headless Chromium."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from pipeline import serve, store
from tests.test_compare import build_corpus

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_metadata_names_the_database_and_its_queries():
    meta = serve.metadata("some/dir/my_corpus.sqlite")
    db = meta["databases"]["my_corpus"]
    assert {"indicator_by_region_year", "figure_source", "documents_with_placeholders"} <= set(db["queries"])
    assert "region" in db["tables"]["documents"]["facets"]


def test_canned_queries_run_on_a_corpus(tmp_path):
    db_path = build_corpus(tmp_path / "corpus.sqlite")
    conn = sqlite3.connect(db_path)
    for q in serve.metadata(db_path)["databases"]["corpus"]["queries"].values():
        params = {"indicator": "", "id": "", "subject": "", "q": "儿童"}
        conn.execute(q["sql"], params).fetchall()  # every query parses and runs against this schema
    conn.close()


def test_serve_refuses_a_missing_corpus(tmp_path):
    from click.testing import CliRunner

    from cli import main

    r = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.sqlite")])
    assert r.exit_code == 1 and "no such corpus database" in r.output


@pytest.mark.parametrize("args, expected", [
    ([], {"port": 8001, "allow_sql": False, "allow_hosts": ()}),
    (["--allow-sql", "--allow-host", "box.lan", "--allow-host", "x.lan"],
     {"port": 8001, "allow_sql": True, "allow_hosts": ("box.lan", "x.lan")}),
])
def test_serve_command_passes_its_options(monkeypatch, tmp_path, args, expected):
    from click.testing import CliRunner

    from cli import main

    seen = {}
    monkeypatch.setattr(serve, "serve", lambda db, **kw: seen.update(kw) or 0)
    r = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "c.sqlite"), *args])
    assert r.exit_code == 0, r.output
    assert seen == expected


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(tmp_path, allow_sql: bool = False):
    db_path = build_corpus(tmp_path / "corpus.sqlite")
    with sqlite3.connect(db_path) as conn:  # one report is a template full of placeholders
        conn.execute("UPDATE documents SET placeholders = 7 WHERE path = 'b/2026.txt'")
    db = store.open_db(db_path)
    store.index_texts(db)  # as ingest does at the end of a run
    db.close()
    port = _free_port()
    meta = serve.write_metadata(db_path, tmp_path / "metadata.json")
    proc = subprocess.Popen(serve.datasette_command(db_path, meta, port, allow_sql=allow_sql), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=1).read()
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"datasette did not start: {proc.stderr.read().decode()[-500:]}") from None
                time.sleep(0.2)
        yield base
    finally:
        serve.stop(proc)


@pytest.fixture
def server(tmp_path):
    yield from _start(tmp_path)


@pytest.fixture
def sql_server(tmp_path):
    yield from _start(tmp_path, allow_sql=True)


def _json(url: str) -> dict:
    return json.loads(urllib.request.urlopen(url, timeout=10).read())


def _status(url: str, host: str | None = None) -> int:
    req = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        return urllib.request.urlopen(req, timeout=10).status
    except urllib.error.HTTPError as e:
        return e.code


def test_server_is_not_immutable_and_answers_queries(server):
    # not -i: ingest rewrites the corpus while it is served
    assert _json(f"{server}/corpus.json")["database"] == "corpus"
    data = _json(f"{server}/corpus/documents_with_placeholders.json?_shape=objects")
    assert [(r["path"], r["placeholders"]) for r in data["rows"]] == [("b/2026.txt", 7)]
    q = urllib.parse.urlencode({"subject": "地区生产总值", "id": "", "_shape": "objects"})
    rows = _json(f"{server}/corpus/figure_source.json?{q}")["rows"]
    assert rows and all("地区生产总值" in r["sentence"] and r["path"] for r in rows)
    facets = _json(f"{server}/corpus/documents.json?_facet=region")["facet_results"]
    assert "region" in facets


def test_texts_search_box_uses_the_trigram_index(server):
    def search(term: str) -> list[str]:
        q = urllib.parse.urlencode({"_search": term, "_shape": "objects"})
        return [r["text"] for r in _json(f"{server}/corpus/texts.json?{q}")["rows"]]

    every = [r["text"] for r in _json(f"{server}/corpus/texts.json?_shape=objects")["rows"]]
    hits = search("2026年政府")  # in some texts, not all
    assert 0 < len(hits) < len(every)
    assert sorted(hits) == sorted(t for t in every if "2026年政府" in t)
    assert search("地区生产总值 不在语料中的词") == []  # every term must occur


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is absent (Debian: apt-get install -y chromium)")
def test_canned_query_page_shows_rows_in_chromium(server, tmp_path):
    url = f"{server}/corpus/indicator_by_region_year?" + urllib.parse.urlencode({"indicator": "children_home.count"})
    out = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'chromium'}", "--dump-dom", url],
        capture_output=True, text=True, timeout=60)
    dom = out.stdout
    assert "An indicator by region and year" in dom, out.stderr[-500:]
    body = dom.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = body.count("<tr")
    assert rows == 4, body[:1000]  # 甲省 2024, 2025; 乙市 2026 target, 2021-2025 span
    assert "甲省" in body and "乙市" in body and "children_home.count" in body


def test_server_sees_new_rows_without_restart(server, tmp_path):
    before = _json(f"{server}/corpus/documents.json?_shape=objects")["rows"]
    with sqlite3.connect(tmp_path / "corpus.sqlite") as conn:
        conn.execute("UPDATE documents SET placeholders = 3 WHERE placeholders = 0")
    data = _json(f"{server}/corpus/documents_with_placeholders.json?_shape=objects")
    assert len(data["rows"]) > 1  # the fixture had one; the running server sees the change
    assert len(_json(f"{server}/corpus/documents.json?_shape=objects")["rows"]) == len(before)


@pytest.mark.parametrize("path, status", [
    ("/corpus.json?sql=select+1", 403),  # arbitrary SQL is off by default
    ("/corpus/failed_documents.json", 200),  # canned queries still run
    ("/corpus/documents.json", 200),  # table pages too
])
def test_arbitrary_sql_is_off_by_default(server, path, status):
    assert _status(server + path) == status


def test_allow_sql_turns_arbitrary_sql_on(sql_server):
    assert _json(f"{sql_server}/corpus.json?sql=select+1+as+one&_shape=objects")["rows"] == [{"one": 1}]


@pytest.mark.parametrize("host, status", [
    (None, 200),  # 127.0.0.1:port
    ("localhost", 200),
    ("LOCALHOST:8001", 200),
    ("evil.example.com", 403),  # a rebound name
    ("evil.example.com:8001", 403),
    ("127.0.0.1.evil.example.com", 403),
])
def test_host_header_is_checked(server, host, status):
    assert _status(f"{server}/corpus/documents.json", host) == status


@pytest.mark.parametrize("path", ["/-/databases.json", "/-/databases", "/-/databases/"])
def test_database_file_paths_are_not_shown(server, path):
    assert _status(server + path) == 404
